package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every operation in the OpenAPI description, fed malformed paths, parameters and bodies: none may
 * answer 5xx, and every error is problem JSON (or, on /mcp, a JSON-RPC error).
 */
@DisplayName("Hostile input")
class HostileInputIT extends SharedAppTest {

    static final List<String> BODIES = List.of(
            "", "null", "[]", "42", "\"text\"", "{", "{\"a\":", "{}", "{\"shipments\": {}}",
            "{\"tracking_codes\": [null, 1, {}, []]}", "{\"rate_id\": 12, \"strategy\": []}",
            "{\"to_address\": {\"street1\": \"\\u0000\", \"city\": [], \"zip\": 1e999}}",
            "{\"parcel\": {\"weight\": \"-1e309\"}, \"to_address\": null}",
            "{\"strategy\": \"cheapest\", \"carriers\": [\"" + "x".repeat(5000) + "\"]}",
            "[".repeat(2000) + "]".repeat(2000),
            "{\"tracking_code\": \"a b\", \"carrier\": {}}",
            "\u00ff\u00fe garbage \u0001");
    static final List<String> IDS = List.of("x", "00000000-0000-4000-8000-000000000000", "%00", "..%2F..%2Fetc",
            "1".repeat(400), "00000000-0000-0000-0000-00000000000g", "2026-02-30", "9999-99-99");
    static final List<String> QUERIES = List.of("", "?limit=-1", "?limit=99999999999", "?cursor=%FF%FE", "?from=x&to=y",
            "?status=%00", "?q=%25%25%25", "?created_from=2026-01-01&created_to=1900-01-01", "?after=-5&state=x",
            "?buy=slowest", "?limit=1&limit=2");




    @Test
    @DisplayName("no malformed request to any operation produces a 5xx, and errors are problem JSON")
    void noServerErrors() {
        JsonObject paths = api.get("/openapi.json").bodyAsJsonObject().getJsonObject("paths");
        List<String> failures = new ArrayList<>();
        int sent = 0;
        for (String path : paths.fieldNames()) {
            if (path.startsWith("/jobs/") && path.endsWith("/events")) {
                continue;
            }
            for (String method : paths.getJsonObject(path).fieldNames()) {
                List<String> concrete = path.contains("{") ? IDS.stream().map(id -> path.replaceAll("\\{[^}]+}", id)).toList()
                        : List.of(path);
                for (String uri : concrete) {
                    for (String query : QUERIES) {
                        List<String> bodies = method.equals("post") ? BODIES : List.of("");
                        for (String body : bodies) {
                            HttpResponse<Buffer> response = api.send(HttpMethod.valueOf(method.toUpperCase()), uri + query,
                                    body.isEmpty() && !method.equals("post") ? null : Buffer.buffer(body));
                            sent++;
                            String type = String.valueOf(response.getHeader("content-type"));
                            if (response.statusCode() >= 500) {
                                failures.add(method + " " + uri + query + " body=" + abbreviate(body) + " -> " + response.statusCode());
                            } else if (response.statusCode() >= 400 && !type.startsWith("application/problem+json")
                                    && !jsonRpcError(uri, response)) {
                                failures.add(method + " " + uri + query + " -> " + response.statusCode() + " as " + type);
                            }
                        }
                    }
                }
            }
        }
        assertThat(sent).isGreaterThan(1000);
        assertThat(failures).isEmpty();
    }

    /** MCP answers protocol mistakes in JSON-RPC's own error shape, as its clients expect. */
    private static boolean jsonRpcError(String uri, HttpResponse<Buffer> response) {
        try {
            JsonObject body = response.bodyAsJsonObject();
            return uri.equals("/mcp") && "2.0".equals(body.getString("jsonrpc")) && body.getJsonObject("error") != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
