package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("OpenAPI description and Swagger UI")
class OpenApiIT {

    static Api anonymous;

    @BeforeAll
    static void start() {
        anonymous = new Api(TestApp.shared().config().httpPort(), null);
    }

    @AfterAll
    static void close() {
        anonymous.close();
    }

    @Test
    @DisplayName("the description is OpenAPI 3.1 and lists exactly the operations the service serves")
    void matchesRoutes() {
        var response = anonymous.get("/openapi.json");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject spec = response.bodyAsJsonObject();
        assertThat(spec.getString("openapi")).startsWith("3.1");
        Set<String> described = new TreeSet<>();
        JsonObject paths = spec.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            for (String method : paths.getJsonObject(path).fieldNames()) {
                described.add(method.toUpperCase() + " " + path.replaceAll("\\{[^}]+}", "{}"));
            }
        }
        assertThat(described).isEqualTo(TestApp.shared().operations());
    }

    @Test
    @DisplayName("every schema reference in the description resolves")
    void referencesResolve() {
        String text = anonymous.get("/openapi.json").bodyAsString();
        JsonObject components = new JsonObject(text).getJsonObject("components");
        var refs = java.util.regex.Pattern.compile("\"\\$ref\":\"#/components/([a-zA-Z]+)/([A-Za-z]+)\"").matcher(text);
        int count = 0;
        while (refs.find()) {
            count++;
            assertThat(components.getJsonObject(refs.group(1)).containsKey(refs.group(2))).as(refs.group()).isTrue();
        }
        assertThat(count).isGreaterThan(20);
    }

    @Test
    @DisplayName("Swagger UI is served at /docs from the vendored copy, without a token")
    void swaggerUi() {
        var page = anonymous.get("/docs");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.getHeader("content-type")).startsWith("text/html");
        assertThat(page.bodyAsString()).contains("swagger-ui-bundle.js", "app/docs.js");
        assertThat(anonymous.get("/app/docs.js").bodyAsString()).as("no inline script, so the CSP holds").contains("openapi.json");
        var bundle = anonymous.get("/vendor/swagger-ui/swagger-ui-bundle.js");
        assertThat(bundle.statusCode()).isEqualTo(200);
        assertThat(bundle.body().length()).isGreaterThan(100_000);
    }
}
