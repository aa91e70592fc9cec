// The official MCP TypeScript SDK client against a running Shipgate: initialize, list tools, call a
// read tool and a write tool, read a resource. Prints one JSON line of findings; exits 1 on any failure.
// Usage: node client.mjs URL TOKEN
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const [url, token] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
});
const client = new Client({ name: "shipgate-sdk-test", version: "1.0.0" });
try {
  await client.connect(transport);
  const findings = { protocolVersion: transport.protocolVersion, sessionId: Boolean(transport.sessionId) };
  findings.server = client.getServerVersion()?.name;
  const tools = await client.listTools();
  findings.tools = tools.tools.map((t) => t.name).sort();
  const list = await client.callTool({ name: "list_shipments", arguments: { limit: 5 } });
  findings.readTool = { isError: list.isError, hasStructured: Array.isArray(list.structuredContent?.shipments) };
  const created = await client.callTool({
    name: "create_shipment",
    arguments: {
      reference: "SDK-1",
      to_address: { name: "Ada Lovelace", street1: "417 Montgomery St", city: "San Francisco", state: "CA", zip: "94104", country: "US" },
      from_address: { name: "Warehouse", street1: "1 Dock Rd", city: "Oakland", state: "CA", zip: "94607", country: "US" },
      parcel: { length: 10, width: 8, height: 4, weight: 15.4 },
    },
  });
  findings.writeTool = { isError: created.isError, id: created.structuredContent?.id, rates: created.structuredContent?.rates?.length };
  const resource = await client.readResource({ uri: "shipgate://shipments/recent" });
  findings.resource = { mimeType: resource.contents[0].mimeType, hasShipments: "shipments" in JSON.parse(resource.contents[0].text) };
  const prompts = await client.listPrompts();
  findings.prompts = prompts.prompts.map((p) => p.name).sort();
  await transport.terminateSession();
  await client.close();
  console.log(JSON.stringify(findings));
} catch (e) {
  console.error(`MCP SDK client failed: ${e?.stack ?? e}`);
  process.exit(1);
}
