// Test harness only: the conformance suite's client sends no credentials, so this forwards its requests
// to Shipgate with a bearer token added, streaming both ways. Usage: node auth-proxy.mjs PORT TARGET TOKEN
import http from "node:http";

const [port, target, token] = process.argv.slice(2);
const upstream = new URL(target);
http.createServer((req, res) => {
  const headers = { ...req.headers, host: upstream.host, authorization: `Bearer ${token}` };
  const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  forward.on("error", (e) => { res.writeHead(502); res.end(String(e)); });
  req.pipe(forward);
}).listen(Number(port), "127.0.0.1", () => console.log(`auth proxy on ${port}`));
