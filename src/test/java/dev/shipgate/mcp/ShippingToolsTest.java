package dev.shipgate.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("MCP tool results for the spend policy and the calling client")
class ShippingToolsTest {

    static String text(McpSchema.CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    @Test
    @DisplayName("a purchase answered 202 with an approval is not an error: the agent is told it awaits a person, with the id")
    void pendingApproval() {
        JsonObject body = new JsonObject().put("approval", new JsonObject().put("id", "apr_1").put("status", "pending")
                .put("shipment_id", "s1").put("rate", new JsonObject().put("rate", "61.20")));
        McpSchema.CallToolResult result = ShippingTools.result("buy_label", new ApiCall.Answer(202, body.toBuffer()));
        assertThat(result.isError()).isFalse();
        assertThat(text(result)).contains("awaits a person's approval", "apr_1", "get_approval");
        assertThat(result.structuredContent()).isInstanceOf(Map.class);
    }

    @Test
    @DisplayName("a 403 from the API (missing scope, spend limit) is a tool error carrying the problem's detail")
    void refusedBySpendPolicy() {
        JsonObject problem = new JsonObject().put("type", "https://shipgate.dev/problems/daily-spend-limit").put("title", "Forbidden")
                .put("status", 403).put("detail", "spend today 190.00 + 12.40 would pass the daily limit 200.00");
        McpSchema.CallToolResult result = ShippingTools.result("buy_label", new ApiCall.Answer(403, problem.toBuffer()));
        assertThat(result.isError()).isTrue();
        assertThat(text(result)).startsWith("HTTP 403 Forbidden: spend today 190.00 + 12.40 would pass the daily limit 200.00")
                .contains("daily-spend-limit");
        assertThat(result.structuredContent()).isNull();
    }

    @Test
    @DisplayName("a dry run's 200 answer is passed on as it is, and its body sent with dry_run true")
    void dryRun() {
        McpSchema.CallToolResult result = ShippingTools.result("buy_label", new ApiCall.Answer(200,
                Buffer.buffer("{\"dry_run\":true,\"rate\":{\"rate\":\"7.58\"},\"verdict\":\"allowed\"}")));
        assertThat(result.isError()).isFalse();
        assertThat(text(result)).contains("\"verdict\":\"allowed\"");
    }

    @Test
    @DisplayName("the REST calls name the MCP client as name/version (MCP), printable only")
    void userAgent() {
        assertThat(ApiCall.Caller.of("Bearer t", "claude-code", "2.1.0").userAgent()).isEqualTo("claude-code/2.1.0 (MCP)");
        assertThat(ApiCall.Caller.of("Bearer t", "bad\nname", null).userAgent()).isEqualTo("bad?name (MCP)");
        assertThat(ApiCall.Caller.of("Bearer t", null, null).userAgent()).isEqualTo("unknown (MCP)");
    }

    @Test
    @DisplayName("unknown arguments are found at any depth, known ones pass")
    void unknownArguments() {
        JsonObject schema = ToolSchemas.object(null, ToolSchemas.props("shipments", ToolSchemas.array(ToolSchemas.newShipment())));
        JsonObject args = new JsonObject().put("shipments", new io.vertx.core.json.JsonArray()
                .add(new JsonObject().put("parcel", new JsonObject().put("weight", 3).put("colour", "red"))))
                .put("bogus", 1);
        assertThat(ToolArguments.unknown(schema, args)).containsExactly("shipments[0].parcel.colour", "bogus");
    }
}
