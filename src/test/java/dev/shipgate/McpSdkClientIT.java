package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The official MCP TypeScript SDK client (npm) against the running service, as an agent would connect. */
@DisplayName("MCP with the official TypeScript SDK client")
@RequiredTools.Needs({RequiredTools.Tool.NODE})
class McpSdkClientIT {

    static final Path DIR = Path.of("src/test/mcp");

    /** Installs the npm packages of src/test/mcp when missing; skips (or fails in CI) without Node.js. */
    static void requireNode() throws Exception {
        RequiredTools.requireNpmPackages(DIR, "@modelcontextprotocol/sdk", "@modelcontextprotocol/conformance");
    }

    @BeforeAll
    static void node() throws Exception {
        requireNode();
    }

    @Test
    @DisplayName("initializes, lists tools, calls a read and a write tool, reads a resource and ends the session")
    void sdkClient() throws Exception {
        File out = File.createTempFile("mcp-sdk", ".out");
        Process client = new ProcessBuilder("node", "client.mjs", "http://127.0.0.1:" + TestApp.shared().config().httpPort() + "/mcp",
                TestApp.TOKEN).directory(DIR.toFile()).redirectErrorStream(true).redirectOutput(out).start();
        assertThat(client.waitFor(120, TimeUnit.SECONDS)).isTrue();
        List<String> lines = Files.readAllLines(out.toPath());
        assertThat(client.exitValue()).as(String.join("\n", lines)).isZero();
        JsonObject findings = new JsonObject(lines.get(lines.size() - 1));
        assertThat(findings.getString("protocolVersion")).isEqualTo("2025-11-25");
        assertThat(findings.getBoolean("sessionId")).isTrue();
        assertThat(findings.getJsonArray("tools").getList()).contains("list_shipments", "create_shipment", "buy_label");
        assertThat(findings.getJsonObject("readTool").getBoolean("isError")).isFalse();
        assertThat(findings.getJsonObject("readTool").getBoolean("hasStructured")).isTrue();
        assertThat(findings.getJsonObject("writeTool").getBoolean("isError")).isFalse();
        assertThat(findings.getJsonObject("writeTool").getInteger("rates")).isPositive();
        assertThat(findings.getJsonObject("resource").getBoolean("hasShipments")).isTrue();
        assertThat(findings.getJsonArray("prompts")).hasSize(3);
    }
}
