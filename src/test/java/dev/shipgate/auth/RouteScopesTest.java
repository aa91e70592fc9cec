package dev.shipgate.auth;

import static io.vertx.core.http.HttpMethod.DELETE;
import static io.vertx.core.http.HttpMethod.GET;
import static io.vertx.core.http.HttpMethod.HEAD;
import static io.vertx.core.http.HttpMethod.POST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.shipgate.Services;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The route table's lookup")
class RouteScopesTest {

    private final RouteScopes table = new RouteScopes(List.of(
            RouteScopes.entry(GET, "/shipments/:id", Scope.READ),
            RouteScopes.entry(GET, "/shipments/export.csv", Scope.ADMIN),
            RouteScopes.audited(POST, "/shipments/:id/buy", Scope.BUY, "buy_label"),
            RouteScopes.entry(GET, "/shipments", Scope.READ)));

    @Test
    @DisplayName("a literal path wins over a pattern that also matches it, whatever the order of the table")
    void literalFirst() {
        assertThat(table.find(GET, "/shipments/export.csv")).get().extracting(RouteScopes.Entry::scope).isEqualTo(Scope.ADMIN);
        assertThat(table.find(GET, "/shipments/0b0c4d8e")).get().extracting(RouteScopes.Entry::path).isEqualTo("/shipments/:id");
        // a dot is a dot: the literal is not a pattern any more
        assertThat(table.find(GET, "/shipments/exportXcsv")).get().extracting(RouteScopes.Entry::path).isEqualTo("/shipments/:id");
    }

    @Test
    @DisplayName("HEAD is looked up as GET, one trailing slash is ignored, the method must match")
    void methodsAndSlash() {
        assertThat(table.find(HEAD, "/shipments/abc")).get().extracting(RouteScopes.Entry::path).isEqualTo("/shipments/:id");
        assertThat(table.find(GET, "/shipments/")).get().extracting(RouteScopes.Entry::path).isEqualTo("/shipments");
        assertThat(table.find(POST, "/shipments/abc/buy")).get().extracting(RouteScopes.Entry::operation).isEqualTo("buy_label");
        assertThat(table.find(DELETE, "/shipments/abc")).isEmpty();
        assertThat(table.required(DELETE, "/shipments/abc")).isEqualTo(Scope.ADMIN);
    }

    @Test
    @DisplayName("a parameter takes exactly one non-empty segment")
    void parameterIsOneSegment() {
        assertThat(table.find(GET, "/shipments//")).isEmpty();
        assertThat(table.find(GET, "/shipments/a/b")).isEmpty();
        assertThat(table.find(POST, "/shipments//buy")).isEmpty();
        assertThat(table.find(GET, "/nowhere")).isEmpty();
    }

    @Test
    @DisplayName("the methods a path has answer a 405's Allow; none for a path no route serves")
    void allowed() {
        assertThat(table.allowed("/shipments/abc")).containsExactly(GET, HEAD);
        assertThat(table.allowed("/shipments/abc/buy")).containsExactly(POST);
        assertThat(table.allowed("/shipments/a/b/c")).isEmpty();
    }

    @Test
    @DisplayName("a parameter that is only part of a segment is refused when the table is built")
    void partialParameter() {
        assertThatThrownBy(() -> new RouteScopes(List.of(RouteScopes.entry(GET, "/labels/:id.pdf", Scope.READ))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/labels/:id.pdf");
    }

    @Test
    @DisplayName("every entry of the service's own table is found again by its own path, and literals keep their order first")
    void serviceTable() {
        RouteScopes scopes = Services.routeScopes();
        for (RouteScopes.Entry e : scopes.entries()) {
            String path = e.path().replaceAll(":[A-Za-z_]+", "x1");
            RouteScopes.Entry found = scopes.find(e.method(), path).orElseThrow();
            assertThat(found.method()).isEqualTo(e.method());
            assertThat(found.path().contains(":") ? found.path().replaceAll(":[A-Za-z_]+", "x1") : found.path()).isEqualTo(path);
        }
        List<RouteScopes.Entry> entries = scopes.entries();
        int firstPattern = entries.stream().map(RouteScopes.Entry::path).toList().indexOf(
                entries.stream().filter(e -> e.path().contains(":")).findFirst().orElseThrow().path());
        assertThat(entries.subList(firstPattern, entries.size())).allMatch(e -> e.path().contains(":"));
    }
}
