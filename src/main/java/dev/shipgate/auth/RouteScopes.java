package dev.shipgate.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scope each protected route needs, and the audit operation of those that spend or change data, in
 * one table. {@link #verify} runs once the protected router is built and refuses to start when a route
 * is not in the table, so a new route cannot be mounted without saying who may call it; a request that
 * matches no entry needs {@code admin}. Paths are written as Vert.x writes them ({@code /shipments/:id}).
 */
public final class RouteScopes {

    /**
     * One operation: {@code operation} names it in the audit trail (null: not audited, because it spends
     * nothing and changes nothing).
     */
    public record Entry(HttpMethod method, String path, Scope scope, String operation) {

        /** The path's segments; a {@code :name} segment stands for any one non-empty segment. */
        String[] segments() {
            String[] segments = path.split("/", -1);
            for (String segment : segments) {
                if (segment.startsWith(":") && !segment.matches(":[A-Za-z_]+")) {
                    throw new IllegalArgumentException("a path parameter must be a whole segment: " + path);
                }
            }
            return segments;
        }
    }

    /*
     * Every request is looked up here three times (authentication twice, the audit recorder once), so the
     * lookup must cost next to nothing: literal paths by a hash lookup, parameterised ones by comparing
     * segments. Matching each entry's regular expression in turn allocated a Matcher per entry tried, a
     * fifth of the bytes an event loop allocated for GET /shipments/{id} (benchmarks/RESULTS.md, "The tail").
     */
    private record Compiled(Entry entry, String[] segments) {

        boolean matches(String[] path) {
            if (path.length != segments.length) {
                return false;
            }
            for (int i = 0; i < segments.length; i++) {
                String want = segments[i];
                if (want.startsWith(":") ? path[i].isEmpty() : !want.equals(path[i])) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Entry> table = new ArrayList<>();
    private final Map<HttpMethod, Map<String, Entry>> literals = new HashMap<>();
    private final List<Compiled> patterns = new ArrayList<>();

    /** A table of {@code entries}; a path with no parameter wins over a pattern that also matches. */
    public RouteScopes(List<Entry> entries) {
        for (Entry e : entries) {
            if (e.path().contains(":")) {
                patterns.add(new Compiled(e, e.segments()));
            } else {
                literals.computeIfAbsent(e.method(), m -> new HashMap<>()).putIfAbsent(e.path(), e);
            }
        }
        entries.stream().filter(e -> !e.path().contains(":")).forEach(table::add);
        patterns.forEach(c -> table.add(c.entry()));
    }

    public static Entry entry(HttpMethod method, String path, Scope scope) {
        return new Entry(method, path, scope, null);
    }

    public static Entry audited(HttpMethod method, String path, Scope scope, String operation) {
        return new Entry(method, path, scope, operation);
    }

    /** The entry for a request's method and path (relative to the API's mount point), if any. */
    public Optional<Entry> find(HttpMethod method, String path) {
        HttpMethod m = method == HttpMethod.HEAD ? HttpMethod.GET : method;
        String p = withoutTrailingSlash(path);
        Entry literal = literals.getOrDefault(m, Map.of()).get(p);
        if (literal != null) {
            return Optional.of(literal);
        }
        String[] segments = p.split("/", -1);
        for (Compiled c : patterns) {
            if (c.entry().method().equals(m) && c.matches(segments)) {
                return Optional.of(c.entry());
            }
        }
        return Optional.empty();
    }

    private static String withoutTrailingSlash(String path) {
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    /** Every entry of the table, in its order (for documentation checks). */
    public List<Entry> entries() {
        return List.copyOf(table);
    }

    /** The audit operations of the table, sorted: what {@code GET /audit?operation=} accepts. */
    public java.util.SortedSet<String> operations() {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        table.forEach(e -> {
            if (e.operation() != null) {
                names.add(e.operation());
            }
        });
        return java.util.Collections.unmodifiableSortedSet(names);
    }

    /**
     * The methods the table has for {@code path} (GET brings HEAD): empty for a path no route serves (a
     * 404), else what a 405's {@code Allow} lists.
     */
    public java.util.Set<HttpMethod> allowed(String path) {
        String p = withoutTrailingSlash(path);
        String[] segments = p.split("/", -1);
        java.util.Set<HttpMethod> methods = new java.util.LinkedHashSet<>();
        for (Entry e : table) {
            boolean matches = e.path().contains(":") ? new Compiled(e, e.segments()).matches(segments) : e.path().equals(p);
            if (matches) {
                methods.add(e.method());
                if (e.method().equals(HttpMethod.GET)) {
                    methods.add(HttpMethod.HEAD);
                }
            }
        }
        return methods;
    }

    /** The scope a request needs: its entry's, or {@code admin} when it has none. */
    public Scope required(HttpMethod method, String path) {
        return find(method, path).map(Entry::scope).orElse(Scope.ADMIN);
    }

    /**
     * Fails when a route of {@code router} (and its sub-routers) has no entry: a route nobody gave a scope
     * must not be served.
     */
    public void verify(Router router) {
        List<String> missing = new ArrayList<>();
        verify(router, "", missing);
        if (!missing.isEmpty()) {
            throw new IllegalStateException("routes without a scope in the route table: " + missing);
        }
    }

    private void verify(Router router, String mountPoint, List<String> missing) {
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (route.getSubRouter() != null && path != null) {
                verify(route.getSubRouter(), mountPoint + path.replaceAll("/$", ""), missing);
                continue;
            }
            if (path == null || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            for (HttpMethod m : route.methods()) {
                String full = mountPoint + path;
                boolean declared = table.stream().anyMatch(e -> e.method().equals(m) && e.path().equals(full));
                if (!declared && !m.equals(HttpMethod.HEAD)) {
                    missing.add(m.name() + " " + full);
                }
            }
        }
    }
}
