package dev.shipgate.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

/**
 * HEAD answers like GET without a body (RFC 9110 9.3.2), on every GET route, and uptime monitors probe
 * with it. Vert.x matches HEAD only where a route names it, so the tree is walked once it is complete:
 * a GET route added later gets HEAD too, without anyone remembering to. Vert.x itself drops the body of
 * an answer to HEAD.
 */
final class HeadRequests {

    private HeadRequests() {
    }

    static void answerLikeGet(Router router) {
        for (Route route : router.getRoutes()) {
            if (route.getSubRouter() != null) {
                answerLikeGet(route.getSubRouter());
            } else if (route.methods() != null && route.methods().contains(HttpMethod.GET)) {
                route.method(HttpMethod.HEAD);
            }
        }
    }
}
