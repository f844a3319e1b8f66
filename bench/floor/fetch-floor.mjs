// The floor of the Action end-to-end benchmark: the same HTTP calls as the Action's fetch mode, made
// with plain undici and nothing else (no validation, masking or export). Run with plain `node`, the
// way the runner starts the Action, in two steps like the Action's main and post:
//   main (no STATE_token): GET the OIDC request URL with the bearer, POST the JWT login, GET every
//     distinct path of INPUT_SECRETS in parallel, save the token to $GITHUB_STATE;
//   post (STATE_token set): POST auth/token/revoke-self.
// Exits non-zero on any unexpected status, so the benchmark notices a floor that did not do the work.
import { appendFileSync } from "node:fs";
import { Pool } from "undici";

const env = process.env;
const origin = new URL(env.INPUT_URL).origin;
const pool = new Pool(origin, { connections: 8 });

async function call(method, path, headers, body) {
  const response = await pool.request({ method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.body.text();
  if (response.statusCode >= 300) throw new Error(`${method} ${path.split("?")[0]} answered ${response.statusCode}`);
  return text === "" ? undefined : JSON.parse(text);
}

async function main() {
  const request = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL);
  request.searchParams.set("audience", env.INPUT_AUDIENCE);
  const { value: jwt } = await call("GET", request.pathname + request.search, { authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` });
  const login = await call("POST", "/v1/auth/jwt/login", { "content-type": "application/json" }, { role: env.INPUT_ROLE, jwt });
  const token = login.auth.client_token;
  const paths = [...new Set(env.INPUT_SECRETS.split("\n").map((line) => line.trim().split(/\s+/)[0]).filter(Boolean))];
  await Promise.all(paths.map((path) => call("GET", `/v1/${path}`, { "x-vault-token": token })));
  appendFileSync(env.GITHUB_STATE, `token=${token}\n`);
}

async function post() {
  await call("POST", "/v1/auth/token/revoke-self", { "x-vault-token": env.STATE_token });
}

try {
  await (env.STATE_token ? post() : main());
} catch (error) {
  console.error(`fetch-floor: ${error.message}`);
  process.exitCode = 1;
} finally {
  await pool.close();
}
