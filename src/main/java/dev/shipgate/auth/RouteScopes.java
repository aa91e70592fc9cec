package dev.shipgate.auth;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

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

        Pattern pattern() {
            return Pattern.compile(path.replaceAll(":[A-Za-z_]+", "[^/]+"));
        }
    }

    private record Compiled(Entry entry, Pattern pattern, boolean literal) {
    }

    private final List<Compiled> entries = new ArrayList<>();

    /** A table of {@code entries}; a path with no parameter wins over a pattern that also matches. */
    public RouteScopes(List<Entry> entries) {
        for (Entry e : entries) {
            this.entries.add(new Compiled(e, e.pattern(), !e.path().contains(":")));
        }
        this.entries.sort(Comparator.comparing((Compiled c) -> !c.literal()));
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
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (Compiled c : entries) {
            if (c.entry().method().equals(m) && c.pattern().matcher(p).matches()) {
                return Optional.of(c.entry());
            }
        }
        return Optional.empty();
    }

    /** Every entry of the table, in its order (for documentation checks). */
    public List<Entry> entries() {
        return entries.stream().map(Compiled::entry).toList();
    }

    /** The audit operations of the table, sorted: what {@code GET /audit?operation=} accepts. */
    public java.util.SortedSet<String> operations() {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        entries.forEach(c -> {
            if (c.entry().operation() != null) {
                names.add(c.entry().operation());
            }
        });
        return java.util.Collections.unmodifiableSortedSet(names);
    }

    /**
     * The methods the table has for {@code path} (GET brings HEAD): empty for a path no route serves (a
     * 404), else what a 405's {@code Allow} lists.
     */
    public java.util.Set<HttpMethod> allowed(String path) {
        String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        java.util.Set<HttpMethod> methods = new java.util.LinkedHashSet<>();
        for (Compiled c : entries) {
            if (c.pattern().matcher(p).matches()) {
                methods.add(c.entry().method());
                if (c.entry().method().equals(HttpMethod.GET)) {
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
                boolean declared = entries.stream().anyMatch(c -> c.entry().method().equals(m)
                        && c.entry().path().equals(full));
                if (!declared && !m.equals(HttpMethod.HEAD)) {
                    missing.add(m.name() + " " + full);
                }
            }
        }
    }
}
