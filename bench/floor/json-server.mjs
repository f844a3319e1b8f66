// The floor of the dev backend throughput benchmark: a node:http server on 127.0.0.1 (port 0) that
// answers every request with one fixed JSON body (the bytes of a real KV v2 read of the dev backend,
// given as the first argument), nothing else. Prints {"url": ...} once listening; stops on SIGTERM.
import { createServer } from "node:http";

const body = Buffer.from(process.argv[2] ?? '{"data":{}}', "utf8");
const server = createServer({ keepAliveTimeout: 30_000 }, (request, response) => {
  request.resume();
  request.on("end", () => {
    response.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    response.end(body);
  });
});
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` })}\n`);
});
process.once("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
});
