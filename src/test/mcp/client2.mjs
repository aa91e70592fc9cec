// The official MCP TypeScript client 2.x (@modelcontextprotocol/client) against a running Shipgate, in one
// negotiation mode: "pin" (protocol revision 2026-07-28 only) or "auto" (2026-07-28 with fallback to
// 2025). Lists tools, calls every read tool and a write tool, and validates each structuredContent against
// the tool's outputSchema with ajv (JSON Schema 2020-12). Prints one JSON line of findings; exits 1 on failure.
// Usage: node client2.mjs URL TOKEN pin|auto
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [url, token, mode] = process.argv.slice(2);
const transport = new StreamableHTTPClientTransport(new URL(url), {
  requestInit: { headers: { Authorization: `Bearer ${token}` } },
});
const client = new Client({ name: "shipgate-sdk2-test", version: "2.4.0" },
  { versionNegotiation: { mode: mode === "pin" ? { pin: "2026-07-28" } : "auto" } });
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
try {
  await client.connect(transport);
  const findings = { mode, protocolVersion: client.getNegotiatedProtocolVersion?.() ?? transport.protocolVersion,
    sessionId: Boolean(transport.sessionId), server: client.getServerVersion()?.name };
  const { tools } = await client.listTools();
  findings.tools = tools.map((t) => t.name).sort();
  const schemas = Object.fromEntries(tools.map((t) => [t.name, t.outputSchema]));
  const validated = {};
  const check = (name, result) => {
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
    const validate = ajv.compile(schemas[name]);
    if (!validate(result.structuredContent)) {
      throw new Error(`${name}: structuredContent does not match its outputSchema: ${ajv.errorsText(validate.errors)}\n`
        + JSON.stringify(result.structuredContent).slice(0, 2000));
    }
    validated[name] = true;
    return result.structuredContent;
  };
  const call = async (name, args) => check(name, await client.callTool({ name, arguments: args }));
  const address = (name, street1, city, zip) => ({ name, street1, city, state: "CA", zip, country: "US" });
  const shipment = (reference) => ({
    reference,
    to_address: address("Ada Lovelace", "417 Montgomery St", "San Francisco", "94104"),
    from_address: address("Warehouse", "1 Dock Rd", "Oakland", "94607"),
    parcel: { length: 10, width: 8, height: 4, weight: 15.4 },
  });
  const created = await call("create_shipment", shipment(`SDK2-${mode}`));
  findings.rates = created.rates.length;
  const bought = await call("buy_label", { id: created.id, strategy: "cheapest" });
  await call("get_shipment", { id: created.id });
  await call("create_return", { id: created.id });
  await call("list_carrier_accounts", {});
  await call("list_shipments", { limit: 5 });
  await call("list_shipments", { carrier: "usps", status: "pre_transit", limit: 5 });
  await call("track_shipments", { tracking_codes: [bought.tracking_code, "NOPE123"] });
  await call("verify_address", address("Ada Lovelace", "417 Montgomery St", "San Francisco", "94104"));
  await call("shipping_analytics", { date: new Date().toISOString().slice(0, 10) });
  await call("shipping_analytics", { from: "2026-01-01", to: "2026-12-31" });
  await call("list_exceptions", { limit: 5 });
  await call("list_exceptions", { reason: "failure", include_acknowledged: true });
  const job = await call("start_bulk_job", { shipments: [shipment("SDK2-BULK-1"), shipment("SDK2-BULK-2")] });
  for (let i = 0; i < 100; i++) {
    const view = await call("get_job", { id: job.id });
    if (view.job.state !== "running") break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await call("get_label", { id: created.id, format: "pdf" });
  let batch = await call("print_labels", { shipment_ids: [created.id], format: "pdf" });
  for (let i = 0; i < 100 && (batch.state === "pending" || batch.state === "generating"); i++) {
    await new Promise((r) => setTimeout(r, 200));
    batch = await call("print_labels", { batch_id: batch.id });
  }
  findings.batchState = batch.state;
  await call("create_scan_form", { shipment_ids: [created.id] });
  await call("list_scan_forms", { limit: 5 });
  const tomorrow = (hour) => { const d = new Date(); d.setUTCDate(d.getUTCDate() + 1); d.setUTCHours(hour, 0, 0, 0); return d.toISOString(); };
  const pickup = await call("create_pickup", { address: address("Warehouse", "1 Dock Rd", "Oakland", "94607"),
    min_datetime: tomorrow(9), max_datetime: tomorrow(17), shipment_id: created.id });
  await call("buy_pickup", { id: pickup.id, carrier: pickup.rates[0].carrier, service: pickup.rates[0].service });
  await call("cancel_pickup", { id: pickup.id });
  await call("refund_label", { id: created.id });
  findings.validated = Object.keys(validated).sort();
  const refused = await client.callTool({ name: "list_shipments", arguments: { bogus: 1 } });
  findings.unknownArgument = { isError: refused.isError, text: refused.content[0].text };
  await client.close();
  console.log(JSON.stringify(findings));
} catch (e) {
  console.error(`MCP 2.x client (${mode}) failed: ${e?.stack ?? e}`);
  process.exit(1);
}
