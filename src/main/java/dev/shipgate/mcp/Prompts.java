package dev.shipgate.mcp;

import io.modelcontextprotocol.spec.McpSchema;
import java.util.List;
import java.util.Map;

/** Starting points for common shipping work, phrased for an agent that has Shipgate's tools. */
final class Prompts {

    private Prompts() {
    }

    static List<McpSchema.Prompt> list() {
        return List.of(
                new McpSchema.Prompt("compare_carriers", null, "Compare the rates of a shipment by price and delivery time",
                        List.of(new McpSchema.PromptArgument("shipment_id", null, "The shipment to compare", true)), null, null),
                new McpSchema.Prompt("ship_batch", null, "Create and buy labels for a list of shipments as one bulk job",
                        List.of(new McpSchema.PromptArgument("strategy", null, "cheapest or fastest", false)), null, null),
                new McpSchema.Prompt("chase_late_parcels", null, "Find parcels that have not moved for some days",
                        List.of(new McpSchema.PromptArgument("days", null, "Days without a tracking event", false)), null, null));
    }

    static McpSchema.GetPromptResult get(String name, Map<String, Object> arguments) {
        String text = switch (name) {
            case "compare_carriers" -> "Use get_shipment on shipment " + required(arguments, "shipment_id")
                    + ". Compare its rates in a table by price and delivery days, name the cheapest and the fastest, "
                    + "and recommend one. Do not buy anything unless I confirm.";
            case "ship_batch" -> "I will give you shipments. Check each address with verify_address, then start one bulk "
                    + "job with start_bulk_job and buy strategy " + arguments.getOrDefault("strategy", "cheapest")
                    + ". Report progress with get_job until it ends, then list any failed items with their reasons.";
            case "chase_late_parcels" -> "Use list_shipments with status in_transit, then track_shipments on their "
                    + "tracking codes, and list the parcels whose latest event is older than "
                    + arguments.getOrDefault("days", "3") + " days, with carrier, reference and last location.";
            default -> throw new McpMethods.RpcError(McpSchema.ErrorCodes.INVALID_PARAMS, "unknown prompt: " + name);
        };
        return new McpSchema.GetPromptResult(null, List.of(new McpSchema.PromptMessage(McpSchema.Role.USER,
                new McpSchema.TextContent(null, text, null))), null);
    }

    /** Completions for prompt arguments: the buy strategies; other arguments have none to offer. */
    static McpSchema.CompleteResult complete(Map<String, Object> argument) {
        String name = String.valueOf(argument.get("name"));
        String prefix = String.valueOf(argument.getOrDefault("value", ""));
        List<String> values = name.equals("strategy")
                ? List.of("cheapest", "fastest").stream().filter(v -> v.startsWith(prefix)).toList()
                : List.of();
        return new McpSchema.CompleteResult(new McpSchema.CompleteResult.CompleteCompletion(values, values.size(), false));
    }

    private static Object required(Map<String, Object> arguments, String name) {
        Object value = arguments.get(name);
        if (value == null) {
            throw new McpMethods.RpcError(McpSchema.ErrorCodes.INVALID_PARAMS, "argument " + name + " is required");
        }
        return value;
    }
}
