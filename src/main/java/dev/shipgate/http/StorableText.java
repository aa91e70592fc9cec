package dev.shipgate.http;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Text that PostgreSQL stores exactly as received. PostgreSQL refuses U+0000 in {@code text} and
 * {@code jsonb}, and a UTF-16 string with an unpaired surrogate cannot be encoded as UTF-8 without being
 * changed (to {@code ?}) or refused. A request carrying either would reach EasyPost and then fail, or be
 * stored differently from what EasyPost was sent, so it is refused before any side effect, naming the
 * field. Non-finite numbers in free-form maps ({@code options}) are refused for the same reason: JSON and
 * {@code jsonb} cannot hold them.
 */
public final class StorableText {

    static final String NUL = "must not contain the NUL character (U+0000)";
    static final String SURROGATE = "must be valid Unicode text (it has an unpaired surrogate)";
    static final String NUL_KEY = "must not have keys containing the NUL character (U+0000) or unpaired surrogates";
    static final String NOT_FINITE = "must be a finite number";

    private static final ClassValue<List<Component>> COMPONENTS = new ClassValue<>() {
        @Override
        protected List<Component> computeValue(Class<?> type) {
            List<Component> components = new ArrayList<>();
            for (RecordComponent c : type.getRecordComponents()) {
                Method accessor = c.getAccessor();
                accessor.setAccessible(true);
                components.add(new Component(snake(c.getName()), accessor));
            }
            return components;
        }
    };

    private record Component(String name, Method accessor) {
    }

    private StorableText() {
    }

    /** Why PostgreSQL could not store {@code text} unchanged, or null when it can. */
    public static String problem(String text) {
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return NUL;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return SURROGATE;
                }
            } else if (Character.isLowSurrogate(c)) {
                return SURROGATE;
            }
        }
        return null;
    }

    /**
     * Every string in a bound request (records, lists, maps, map keys) that PostgreSQL could not store
     * unchanged, named by its JSON path ({@code to_address.name}, {@code shipments[3].reference}).
     */
    public static List<Problem.InvalidParam> problems(Object request) {
        List<Problem.InvalidParam> found = new ArrayList<>();
        walk(request, "", found);
        return found;
    }

    private static void walk(Object value, String path, List<Problem.InvalidParam> found) {
        if (value instanceof String s) {
            String reason = problem(s);
            if (reason != null) {
                found.add(new Problem.InvalidParam(path.isEmpty() ? "body" : path, reason));
            }
        } else if (value instanceof Record r) {
            for (Component c : COMPONENTS.get(r.getClass())) {
                walk(read(c, r), path.isEmpty() ? c.name() : path + "." + c.name(), found);
            }
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                walk(list.get(i), path + "[" + i + "]", found);
            }
        } else if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (problem(key) != null) {
                    found.add(new Problem.InvalidParam(path.isEmpty() ? "body" : path, NUL_KEY));
                } else {
                    walk(e.getValue(), path.isEmpty() ? key : path + "." + key, found);
                }
            }
        } else if (value instanceof Double d && !Double.isFinite(d) || value instanceof Float f && !Float.isFinite(f)) {
            found.add(new Problem.InvalidParam(path.isEmpty() ? "body" : path, NOT_FINITE));
        }
    }

    private static Object read(Component c, Record r) {
        try {
            return c.accessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.name() + " of " + r.getClass().getSimpleName(), e);
        }
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
