package dev.shipgate.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The operations the HTTP verticles actually serve ("GET /shipments/{}"), read off the router tree, so
 * the OpenAPI description can be checked against the real routes instead of a list kept by hand. HEAD
 * is left out: every GET answers it (see {@link HeadRequests}).
 */
public final class RouteCatalog {

    private final Set<String> operations = new ConcurrentSkipListSet<>();

    void record(Router router) {
        record(router, "");
    }

    private void record(Router router, String mountPoint) {
        for (Route route : router.getRoutes()) {
            String path = route.getPath();
            if (route.getSubRouter() != null && path != null) {
                record(route.getSubRouter(), mountPoint + path.replaceAll("/$", ""));
                continue;
            }
            if (path == null || !route.isExactPath() || route.methods() == null || route.methods().isEmpty()) {
                continue;
            }
            route.methods().stream().filter(m -> !m.equals(HttpMethod.HEAD)).forEach(m ->
                    operations.add(m.name() + " " + (mountPoint + path).replaceAll(":[A-Za-z_]+", "{}")));
        }
    }

    public Set<String> operations() {
        return new TreeSet<>(operations);
    }
}
