// Attacks on the dev backend's JWT login: every forged, stale, misdirected or malformed token must
// be refused with Vault's status, no token may be issued, and the audit log must record the
// refusal. A revoked Vault token must stay dead.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launchDevBackend, type RunningDevBackend } from "../../../testkit/launch-dev-backend.ts";
import { configureDemo, demoRole } from "../../../testkit/demo-setup.ts";
import { devVaultAdmin, vaultCall } from "../../../testkit/admin/vault.ts";
import { requestJobToken } from "../../../testkit/admin/oidc-jobs.ts";
import type { Attempt, Suite } from "../../report.ts";
import { githubClaims, rsaKeyPair, signHs256WithPublicKey, signRs256, swapPayload, unsigned } from "./forge.ts";

interface Attack {
  readonly name: string;
  /** The auth mount attacked: `attack` trusts the attacker-known key pair, `jwt` the GitHub emulator. */
  readonly mount: "attack" | "jwt";
  readonly jwt: () => Promise<string> | string;
  readonly role?: string;
  readonly status: number;
}

function vault(backend: RunningDevBackend, method: string, path: string, body?: unknown, token = backend.info.vault.rootToken) {
  return vaultCall(devVaultAdmin(backend.info), method, path, { body, token });
}

/** A second JWT mount that trusts a key pair this suite holds, so it can forge any claim with a valid signature. */
async function configureAttackMount(backend: RunningDevBackend, publicPem: string): Promise<void> {
  await vault(backend, "POST", "sys/auth/attack", { type: "jwt" });
  await vault(backend, "POST", "auth/attack/config", { jwt_validation_pubkeys: [publicPem], bound_issuer: "https://token.actions.githubusercontent.com" });
  await vault(backend, "POST", "auth/attack/role/ci", {
    role_type: "jwt", user_claim: "repository", bound_audiences: ["https://github.com/acme"],
    bound_claims: { repository: "acme/training", ref: "refs/heads/main" }, token_policies: [demoRole.policy], token_ttl: "5m",
  });
}

export const tokenAttacks: Suite = async ({ log }) => {
  const dir = mkdtempSync(join(tmpdir(), "kb-attacks-"));
  const auditPath = join(dir, "audit.log");
  const backend = await launchDevBackend(["--audit-log", auditPath]);
  try {
    await configureDemo({ addr: backend.info.vault.addr, token: backend.info.vault.rootToken });
    const trusted = rsaKeyPair();
    const stranger = rsaKeyPair();
    await configureAttackMount(backend, trusted.publicPem);
    const now = () => Math.floor(Date.now() / 1000);
    const githubToken = async (claims: Record<string, string>) => requestJobToken(await backend.mintJob(claims), demoRole.audience);
    const allowedJob = { repository: "acme/training", ref: "refs/heads/main", runner_environment: "self-hosted" };

    const attacks: Attack[] = [
      { name: "alg: none, no signature", mount: "attack", jwt: () => unsigned(githubClaims(now())), status: 400 },
      { name: "HS256 signed with the RSA public key as the secret", mount: "attack", jwt: () => signHs256WithPublicKey(githubClaims(now()), trusted.publicPem), status: 400 },
      { name: "valid signature over another payload (claims swapped)", mount: "attack", jwt: () => swapPayload(signRs256(githubClaims(now(), { repository: "acme/other" }), trusted.privateKey), githubClaims(now())), status: 400 },
      { name: "expired beyond the 60 s leeway", mount: "attack", jwt: () => signRs256(githubClaims(now() - 900, { exp: now() - 120 }), trusted.privateKey), status: 400 },
      { name: "nbf in the future", mount: "attack", jwt: () => signRs256(githubClaims(now(), { nbf: now() + 600, iat: now() + 600, exp: now() + 900 }), trusted.privateKey), status: 400 },
      { name: "no iat, nbf or exp at all", mount: "attack", jwt: () => signRs256({ ...githubClaims(now()), iat: undefined, nbf: undefined, exp: undefined }, trusted.privateKey), status: 400 },
      { name: "wrong iss", mount: "attack", jwt: () => signRs256(githubClaims(now(), { iss: "https://token.attacker.example" }), trusted.privateKey), status: 400 },
      { name: "wrong aud", mount: "attack", jwt: () => signRs256(githubClaims(now(), { aud: "https://github.com/attacker" }), trusted.privateKey), status: 400 },
      { name: "missing aud", mount: "attack", jwt: () => signRs256({ ...githubClaims(now()), aud: undefined }, trusted.privateKey), status: 400 },
      { name: "claims of another repository for this role", mount: "attack", jwt: () => signRs256(githubClaims(now(), { repository: "acme/other" }), trusted.privateKey), status: 400 },
      { name: "oversized token (5 MiB)", mount: "attack", jwt: () => signRs256(githubClaims(now(), { padding: "x".repeat(5 * 2 ** 20) }), trusted.privateKey), status: 413 },
      { name: "malformed: one segment", mount: "attack", jwt: () => "eyJhbGciOiJSUzI1NiJ9", status: 400 },
      { name: "malformed: four segments", mount: "attack", jwt: () => `${signRs256(githubClaims(now()), trusted.privateKey)}.extra`, status: 400 },
      { name: "malformed: not base64url", mount: "attack", jwt: () => "!!!.???.***", status: 400 },
      { name: "empty token", mount: "attack", jwt: () => "", status: 400 },
      { name: "GitHub issuer's claims signed by a second issuer's key", mount: "jwt", jwt: async () => signRs256(JSON.parse(Buffer.from((await githubToken(allowedJob)).split(".")[1]!, "base64url").toString()), stranger.privateKey), status: 400, role: demoRole.name },
      { name: "unknown kid", mount: "jwt", jwt: () => signRs256(githubClaims(now()), stranger.privateKey, { kid: "not-a-key-of-the-issuer" }), status: 400, role: demoRole.name },
      { name: "GitHub token of another branch for the role", mount: "jwt", jwt: () => githubToken({ ...allowedJob, ref: "refs/heads/attacker" }), status: 400, role: demoRole.name },
    ];

    const attempts: Attempt[] = [];
    // The control: the same mount accepts an honest token, so the refusals mean something.
    const control = await vault(backend, "POST", "auth/attack/login", { role: "ci", jwt: signRs256(githubClaims(now()), trusted.privateKey) });
    attempts.push({ tried: "control: an honest token for the attack mount", outcome: `HTTP ${control.status}${control.body?.auth?.client_token ? ", token issued" : ""}`, held: control.status === 200, details: { status: String(control.status) } });

    for (const attack of attacks) {
      const before = readFileSync(auditPath, "utf8").length;
      const jwt = await attack.jwt();
      const reply = await vault(backend, "POST", `auth/${attack.mount}/login`, { role: attack.role ?? "ci", jwt });
      const issued = typeof reply.body?.auth?.client_token === "string";
      const audit = readFileSync(auditPath, "utf8").slice(before);
      const recorded = attack.status === 413 || audit.split("\n").some((line) => line.includes(`auth/${attack.mount}/login`) && line.includes('"error"'));
      const problems = [
        ...(reply.status !== attack.status ? [`HTTP ${reply.status}, expected ${attack.status}`] : []),
        ...(issued ? ["a token was issued"] : []),
        ...(recorded ? [] : ["the audit log has no refusal"]),
      ];
      const message = Array.isArray(reply.body?.errors) ? String(reply.body.errors[0] ?? "").slice(0, 120) : "";
      attempts.push({ tried: attack.name, outcome: problems.length === 0 ? `refused: ${message || `HTTP ${reply.status}`}` : problems.join("; "), held: problems.length === 0, details: { status: String(reply.status) } });
    }

    // A revoked Vault token stays dead, whatever it is used for.
    const login = await vault(backend, "POST", "auth/jwt/login", { role: demoRole.name, jwt: await githubToken(allowedJob) });
    const token = String(login.body?.auth?.client_token ?? "");
    await vault(backend, "POST", "auth/token/revoke-self", undefined, token);
    for (const [what, method, path] of [["lookup-self", "GET", "auth/token/lookup-self"], ["a read", "GET", "secret/data/ml-training/prod/database"], ["renew-self", "POST", "auth/token/renew-self"]] as const) {
      const reply = await vault(backend, method, path, undefined, token);
      attempts.push({ tried: `replay of a revoked token: ${what}`, outcome: `HTTP ${reply.status}`, held: login.status === 200 && reply.status === 403, details: { status: String(reply.status) } });
    }

    const auditText = readFileSync(auditPath, "utf8");
    const leakedTokens = token !== "" && auditText.includes(token);
    attempts.push({ tried: "the audit log holds no plain token", outcome: leakedTokens ? "a client token appears in plain text" : "only HMACs", held: !leakedTokens });
    log(`${attacks.length} attacks; audit log ${auditText.split("\n").length - 1} lines`);
    return {
      name: "Token attacks",
      about: "Forged, stale, misdirected and malformed JWTs against the dev backend's JWT login (a mount trusting a key pair the suite holds, so any claim can be forged with a valid signature, and the GitHub-emulator mount), plus replay of a revoked Vault token. Each must be refused with Vault's status, issue no token, and leave a refusal in the audit log.",
      attempts,
      figures: { attacks: String(attacks.length + 3), "audit lines": String(auditText.split("\n").length - 1) },
      notes: ["An oversized token is refused by the 4 MiB request-body limit (413) before it reaches the JWT checks, so no audit entry is written for it, as with Vault's max_request_size."],
    };
  } finally {
    await backend.stop();
    rmSync(dir, { recursive: true, force: true });
  }
};
