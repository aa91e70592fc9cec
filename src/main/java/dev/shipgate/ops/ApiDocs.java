package dev.shipgate.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.shipgate.http.Reply;
import dev.shipgate.http.Responses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import java.io.IOException;
import java.io.InputStream;

/**
 * The API's own description: {@code openapi.yaml} from the jar, served as {@code /openapi.json}, with
 * Swagger UI at {@code /docs} from the vendored copy under {@code webroot/vendor/} (served by the dashboard's files). Public: it holds
 * no data, only the contract.
 */
public final class ApiDocs {

    private static final String PAGE = """
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <title>Shipgate API</title>
              <link rel="stylesheet" href="vendor/swagger-ui/swagger-ui.css">
            </head>
            <body>
              <div id="docs"></div>
              <script src="vendor/swagger-ui/swagger-ui-bundle.js"></script>
              <script src="app/docs.js"></script>
            </body>
            </html>
            """;

    private final Buffer spec;
    public ApiDocs() {
        try (InputStream in = ApiDocs.class.getResourceAsStream("/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("missing openapi.yaml in the build");
            }
            Object tree = new ObjectMapper(new YAMLFactory()).readValue(in, Object.class);
            this.spec = Buffer.buffer(new ObjectMapper().writeValueAsBytes(tree));
        } catch (IOException e) {
            throw new IllegalStateException("openapi.yaml is not valid YAML: " + e.getMessage(), e);
        }
    }

    public void mount(Router router) {
        Reply openapi = new Reply(200, "application/json", spec);
        Reply page = new Reply(200, "text/html; charset=utf-8", Buffer.buffer(PAGE));
        router.get("/openapi.json").handler(ctx -> {
            ctx.response().putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
            Responses.reply(ctx, openapi);
        });
        router.get("/docs").handler(ctx -> Responses.reply(ctx, page));
    }
}
