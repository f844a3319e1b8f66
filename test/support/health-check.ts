// Prints the status of GET URL made with the Action's HTTP client: for tests that need a fresh
// process (NODE_EXTRA_CA_CERTS is read once, when Node starts).
import { HttpClient } from "../../client/http/http-client.ts";

const http = new HttpClient({ timeoutMs: 5_000, retries: 0 });
try {
  const response = await http.request({ method: "GET", url: new URL(process.argv[2]!), purpose: "checking health" });
  process.stdout.write(`${response.status}\n`);
} catch (error) {
  process.stdout.write(`${(error as Error).message}\n`);
} finally {
  await http.close();
}
