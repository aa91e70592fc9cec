package dev.shipgate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.mcp.ConformanceFixtures;
import java.io.File;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The official MCP conformance suite against /mcp of an app started with the suite's fixtures
 * ({@link ConformanceFixtures}, test scope only), so its scenarios for what Shipgate supports run and must
 * pass. Its client sends no credentials, so a small proxy (test code) adds the bearer token. Only the
 * scenarios in src/test/mcp/expected-failures.yml, each with the capability Shipgate lacks, may fail; any
 * other failure, or an expected one that starts passing, fails the test.
 */
@DisplayName("MCP conformance suite")
@RequiredTools.Needs({RequiredTools.Tool.NODE})
class McpConformanceIT {

    @BeforeAll
    static void node() throws Exception {
        McpSdkClientIT.requireNode();
    }

    @Test
    @DisplayName("every scenario passes except those for capabilities Shipgate lacks (sampling, elicitation, subscriptions)")
    void conformance() throws Exception {
        ShipgateApp app;
        System.setProperty(ConformanceFixtures.PROPERTY, "true");
        try {
            app = TestApp.start(Map.of());
        } finally {
            System.clearProperty(ConformanceFixtures.PROPERTY);
        }
        int proxyPort = TestApp.freePort();
        Process proxy = new ProcessBuilder("node", "auth-proxy.mjs", String.valueOf(proxyPort),
                "http://127.0.0.1:" + app.config().httpPort(), TestApp.TOKEN)
                .directory(McpSdkClientIT.DIR.toFile()).redirectErrorStream(true)
                .redirectOutput(File.createTempFile("mcp-proxy", ".out")).start();
        try {
            Await.until("the MCP auth proxy to listen on " + proxyPort, Duration.ofSeconds(10),
                    () -> TestApp.listening(proxyPort));
            File out = File.createTempFile("mcp-conformance", ".out");
            Process suite = new ProcessBuilder("node_modules/.bin/conformance", "server",
                    "--url", "http://127.0.0.1:" + proxyPort + "/mcp", "--expected-failures", "expected-failures.yml",
                    "--output-dir", new File("target/mcp-conformance").getAbsolutePath())
                    .directory(McpSdkClientIT.DIR.toFile()).redirectErrorStream(true).redirectOutput(out).start();
            assertThat(suite.waitFor(600, TimeUnit.SECONDS)).isTrue();
            String report = Files.readString(out.toPath());
            System.out.println(report);
            assertThat(suite.exitValue()).as(report).isZero();
            assertThat(report).contains("server-initialize: 1 passed, 0 failed", "tools-list: 1 passed, 0 failed",
                    "dns-rebinding-protection: 2 passed, 0 failed", "tools-call-with-progress: 1 passed, 0 failed",
                    "tools-call-with-logging: 1 passed, 0 failed", "tools-call-error: 1 passed, 0 failed",
                    "resources-templates-read: 1 passed, 0 failed");
        } finally {
            proxy.destroy();
            app.close();
        }
    }
}
