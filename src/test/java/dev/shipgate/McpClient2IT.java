package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The official MCP TypeScript client 2.x (npm {@code @modelcontextprotocol/client}, pinned in src/test/mcp)
 * against the running service over protocol revision 2026-07-28, pinned and in its automatic mode. Its
 * script validates every tool's {@code structuredContent} against the tool's output schema with ajv
 * (JSON Schema 2020-12).
 */
@DisplayName("MCP with the official TypeScript client 2.x")
@RequiredTools.Needs({RequiredTools.Tool.NODE})
class McpClient2IT {

    @BeforeAll
    static void node() throws Exception {
        RequiredTools.requireNpmPackages(McpSdkClientIT.DIR, "@modelcontextprotocol/client", "ajv", "ajv-formats");
    }

    @ParameterizedTest(name = "negotiation mode {0}")
    @ValueSource(strings = {"pin", "auto"})
    @DisplayName("speaks 2026-07-28 without a session, lists tools, calls them, and every output matches its schema")
    void client2(String mode) throws Exception {
        File out = File.createTempFile("mcp-client2", ".out");
        Process client = new ProcessBuilder("node", "client2.mjs", "http://127.0.0.1:" + TestApp.shared().config().httpPort() + "/mcp",
                TestApp.TOKEN, mode).directory(McpSdkClientIT.DIR.toFile()).redirectErrorStream(true).redirectOutput(out).start();
        assertThat(client.waitFor(180, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(out.toPath());
        assertThat(client.exitValue()).as(String.join("\n", lines)).isZero();
        JsonObject findings = new JsonObject(lines.get(lines.size() - 1));
        assertThat(findings.getString("protocolVersion")).isEqualTo("2026-07-28");
        assertThat(findings.getBoolean("sessionId")).isFalse();
        assertThat(findings.getString("server")).isEqualTo("shipgate");
        assertThat(findings.getJsonArray("tools").getList()).contains("list_shipments", "buy_label", "get_approval");
        assertThat(findings.getJsonArray("validated").getList()).containsExactlyInAnyOrder("create_shipment", "buy_label",
                "get_shipment", "list_shipments", "track_shipments", "verify_address", "shipping_analytics", "start_bulk_job",
                "get_job", "refund_label", "create_scan_form", "list_scan_forms", "create_pickup", "buy_pickup", "cancel_pickup",
                "get_label", "print_labels", "create_return", "list_carrier_accounts", "list_exceptions");
        assertThat(findings.getString("batchState")).isEqualTo("ready");
        assertThat(findings.getJsonObject("unknownArgument").getBoolean("isError")).isTrue();
        assertThat(findings.getJsonObject("unknownArgument").getString("text")).contains("bogus");
    }
}
