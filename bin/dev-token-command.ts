// `keybridge dev token --kubernetes NS/NAME`: a service-account token from the cluster keybridge
// dev plays, for `keybridge run --auth kubernetes --token-path F` or the Action's
// kubernetesTokenPath on a laptop. Written to --out (mode 0600) or to stdout for a redirect, as
// `kubectl create token` prints it; nothing else goes to stdout.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { UsageError } from "./usage-error.ts";
import { requestServiceAccountToken } from "./kubernetes/request-token.ts";
import { devBackendAccess, durationSeconds, serviceAccountRef } from "./kubernetes/flags.ts";

export const devTokenHelp = `Usage: keybridge dev token --kubernetes NAMESPACE/NAME [flags]

Mints a service-account token in a Kubernetes cluster that keybridge dev plays, with the claims a
cluster's TokenRequest gives (iss https://<cluster>, sub system:serviceaccount:NAMESPACE:NAME, aud,
exp/iat/nbf, kubernetes.io {namespace, serviceaccount {name, uid}}). Vault's Kubernetes auth and
Infisical's review it at the cluster their config names (kubernetes_host), so a token of another
cluster is refused there.

Flags:
  --kubernetes NS/NAME  the service account
  --cluster HOST        the cluster: its API host as the backend's config names it (host[:port] or
                        https://host[:port]); default: the one cluster a config names
  --audience A          the token's aud (repeatable; default: the cluster's own, https://<cluster>)
  --duration D         lifetime, e.g. 600s, 10m, 1h (default 1h; at least 10m, as Kubernetes requires)
  --out FILE            write the token to FILE (mode 0600) instead of stdout
  --addr URL            keybridge dev's address (default VAULT_ADDR)
  --root-token T        its root token (default VAULT_TOKEN)
`;

export async function runDevToken(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        kubernetes: { type: "string" }, cluster: { type: "string" }, audience: { type: "string", multiple: true },
        duration: { type: "string" }, out: { type: "string" }, addr: { type: "string" }, "root-token": { type: "string" },
      },
      strict: true,
    }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message}; see keybridge dev token --help`);
  }
  if (!values.kubernetes) throw new UsageError("--kubernetes NAMESPACE/NAME is required: the service account to mint a token for");
  const account = serviceAccountRef(values.kubernetes, "--kubernetes");
  const { addr, rootToken } = devBackendAccess(values.addr, values["root-token"], env);
  const minted = await requestServiceAccountToken({
    addr, rootToken, cluster: values.cluster ?? "default", ...account, audiences: values.audience ?? [],
    expirationSeconds: values.duration === undefined ? undefined : durationSeconds(values.duration, "--duration"),
  });
  if (values.out) {
    writeFileSync(values.out, `${minted.token}\n`, { mode: 0o600 });
    process.stderr.write(`keybridge dev token: ${account.namespace}/${account.serviceAccount} in cluster ${minted.cluster}, until ${minted.expires} → ${values.out}\n`);
  } else {
    process.stdout.write(`${minted.token}\n`);
  }
  return 0;
}
