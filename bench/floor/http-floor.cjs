// The floor of the Action benchmarks when no peer bundles are given (and in CI): the requests the
// Action makes, sent with Node's built-in node:http and nothing else (no validation, masking or
// export), run like the Action as a main step and a post step:
//   main (no STATE_token): GET the OIDC request URL with the bearer, log in, read in parallel, save
//     the token to $GITHUB_STATE. Vault: POST auth/jwt/login, GET every distinct path of
//     INPUT_SECRETS. Infisical: POST oidc-auth/login, one recursive GET of the folders' common root.
//   post (STATE_token set): revoke the token.
// Exits non-zero on any unexpected status, so the benchmark notices a floor that did not do the work.
// CommonJS, as the Action's steps are: node starts no ES module loader for it.
const { appendFileSync } = require("node:fs");
const { Agent, request } = require("node:http");

const env = process.env;
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

function call(method, url, headers, body) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const sent = payload === undefined ? headers : { ...headers, "content-type": "application/json", "content-length": Buffer.byteLength(payload) };
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method, headers: sent, agent }, (response) => {
      const chunks = [];
      response.on("data", (chunk) => chunks.push(chunk));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        if (response.statusCode >= 300) reject(new Error(`${method} ${url.pathname} answered ${response.statusCode}`));
        else resolve(text === "" ? undefined : JSON.parse(text));
      });
      response.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
}

const base = env.INPUT_URL.replace(/\/+$/, "");
const specPaths = () => [...new Set(env.INPUT_SECRETS.split("\n").map((line) => line.trim().split(/\s+/)[0]).filter(Boolean))];

async function oidcToken() {
  const url = new URL(env.ACTIONS_ID_TOKEN_REQUEST_URL);
  url.searchParams.set("audience", env.INPUT_AUDIENCE);
  const { value } = await call("GET", url, { authorization: `Bearer ${env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` });
  return value;
}

/** The longest folder path every requested folder is in: "/bench" for /bench/f00 … /bench/f09. */
function commonRoot(folders) {
  const split = folders.map((folder) => folder.split("/").filter(Boolean));
  const shared = [];
  for (let i = 0; split.every((parts) => i < parts.length && parts[i] === split[0][i]); i++) shared.push(split[0][i]);
  return `/${shared.join("/")}`;
}

const backends = {
  vault: {
    async main() {
      const { auth } = await call("POST", new URL(`${base}/v1/auth/jwt/login`), {}, { role: env.INPUT_ROLE, jwt: await oidcToken() });
      await Promise.all(specPaths().map((path) => call("GET", new URL(`${base}/v1/${path}`), { "x-vault-token": auth.client_token })));
      return auth.client_token;
    },
    post: (token) => call("POST", new URL(`${base}/v1/auth/token/revoke-self`), { "x-vault-token": token }),
  },
  infisical: {
    async main() {
      const { accessToken } = await call("POST", new URL(`${base}/api/v1/auth/oidc-auth/login`), {}, { identityId: env["INPUT_IDENTITY-ID"], jwt: await oidcToken() });
      const url = new URL(`${base}/api/v3/secrets/raw`);
      for (const [name, value] of Object.entries({ workspaceSlug: env.INPUT_PROJECT, environment: env.INPUT_ENVIRONMENT, secretPath: commonRoot(specPaths()), recursive: "true" })) {
        url.searchParams.set(name, value);
      }
      await call("GET", url, { authorization: `Bearer ${accessToken}` });
      return accessToken;
    },
    post: (token) => call("POST", new URL(`${base}/api/v1/auth/token/revoke`), {}, { accessToken: token }),
  },
};

async function step() {
  const backend = backends[env.INPUT_BACKEND || "vault"];
  if (env.STATE_token) await backend.post(env.STATE_token);
  else appendFileSync(env.GITHUB_STATE, `token=${await backend.main()}\n`);
}

step()
  .catch((error) => {
    console.error(`http-floor: ${error.message}`);
    process.exitCode = 1;
  })
  .finally(() => agent.destroy());
