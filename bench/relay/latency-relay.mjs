// A TCP relay on 127.0.0.1 that makes a loopback backend look like one across a network: every
// chunk waits half the round trip in each direction, and a new connection's first bytes wait one
// round trip more, as a TCP handshake would make them. Ordering is kept (each direction's times
// only grow). Usage: node latency-relay.mjs TARGET_PORT RTT_MS; prints {"port":N} when listening.
import { createServer, connect } from "node:net";

const targetPort = Number(process.argv[2]);
const roundTripMs = Number(process.argv[3]);
if (!(targetPort > 0) || !(roundTripMs >= 0)) {
  process.stderr.write("usage: latency-relay.mjs TARGET_PORT RTT_MS\n");
  process.exit(2);
}
const oneWayMs = roundTripMs / 2;

/** Forwards `from` to `to`, each chunk delivered oneWayMs after it left, never before `notBefore`. */
function relay(from, to, notBefore) {
  let last = 0;
  const deliverAt = () => (last = Math.max(last, Math.max(performance.now(), notBefore) + oneWayMs));
  const later = (work) => setTimeout(work, Math.max(0, deliverAt() - performance.now()));
  from.on("data", (chunk) => later(() => to.destroyed || to.write(chunk)));
  from.on("end", () => later(() => to.destroyed || to.end()));
  from.on("error", () => to.destroy());
  from.on("close", () => later(() => to.destroy()));
}

const server = createServer((client) => {
  const handshakeDone = performance.now() + roundTripMs;
  const upstream = connect(targetPort, "127.0.0.1");
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  relay(client, upstream, handshakeDone);
  relay(upstream, client, 0);
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
process.on("SIGTERM", () => process.exit(0));
