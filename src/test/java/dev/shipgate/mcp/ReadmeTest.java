package dev.shipgate.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.shipgate.Services;
import dev.shipgate.auth.RouteScopes;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * README.md is what a newcomer reads first: it must name every protected route, every MCP tool, every audit
 * operation and every setting the service has, so none is added without being documented.
 */
@DisplayName("README.md agrees with the running service")
class ReadmeTest {

    static String readme() throws IOException {
        return Files.readString(Path.of("README.md"));
    }

    /** Path parameters spelt alike: {@code :id} in the route table, {@code {id}} or {@code {date}} in the README. */
    static String normalized(String path) {
        return path.replaceAll(":[A-Za-z_]+", "{}").replaceAll("\\{[^}]*}", "{}");
    }

    @Test
    @DisplayName("every route in Services.routeScopes() appears as `METHOD /path` in the README")
    void everyRoute() throws IOException {
        String readme = normalized(readme());
        List<String> missing = new ArrayList<>();
        for (RouteScopes.Entry e : Services.routeScopes().entries()) {
            String path = normalized(e.path());
            Pattern written = Pattern.compile("`" + e.method().name() + " " + Pattern.quote(path) + "[`?\\s,]");
            if (!written.matcher(readme).find()) {
                missing.add(e.method().name() + " " + path);
            }
        }
        assertThat(missing).as("routes the README does not list").isEmpty();
    }

    @Test
    @DisplayName("every MCP tool the server lists in tools/list is named in the README's MCP section")
    void everyTool() throws IOException {
        String readme = readme();
        String mcp = readme.substring(readme.indexOf("## MCP for AI agents"), readme.indexOf("## nginx in front"));
        List<String> names = new ShippingTools(null).definitions().stream().map(McpSchema.Tool::name).toList();
        assertThat(names).hasSizeGreaterThan(10);
        assertThat(names).as("tools the README's MCP section does not name").allMatch(n -> mcp.contains("`" + n + "`"));
    }

    @Test
    @DisplayName("the audit trail's operation list names every audited operation")
    void everyAuditOperation() throws IOException {
        String readme = readme();
        int at = readme.indexOf("`operation` is one of");
        assertThat(at).isPositive();
        String list = readme.substring(at, readme.indexOf("any other is a 400", at));
        assertThat(Services.routeScopes().operations()).as("operations the README's list lacks")
                .allMatch(op -> list.contains("`" + op + "`"));
    }

    @Test
    @DisplayName("every setting of conf/shipgate.properties has a row in the README's configuration table")
    void everySetting() throws IOException {
        Properties settings = new Properties();
        try (var in = Files.newBufferedReader(Path.of("conf/shipgate.properties"))) {
            settings.load(in);
        }
        String readme = readme();
        assertThat(settings.stringPropertyNames()).as("settings without a row")
                .allMatch(name -> readme.contains("| `" + name + "` |"));
    }

    @Test
    @DisplayName("the startup hint for making a token gives the required --scopes")
    void tokenHint() throws IOException {
        String app = Files.readString(Path.of("src/main/java/dev/shipgate/ShipgateApp.java"));
        assertThat(app).doesNotContain("token create --name NAME`").contains("token create --name NAME --scopes");
    }
}
