// The code table: every code a Keybridge error line can start with, what it means and what to do.
// Codes are a contract (workflows and scripts match on them, docs/ERRORS.md lists them): add
// codes, never rename or reuse one. A test provokes each code and checks the doc against this table.

export interface ErrorCodeEntry {
  /** Who meets it: the Action, the `keybridge` CLI, `keybridge dev`, synth. */
  readonly where: string;
  readonly meaning: string;
  readonly fix: string;
}

export const errorCodes = {
  KB_INPUT_INVALID: {
    where: "Action, CLI",
    meaning: "An input, flag, setting or credential file is missing, malformed, or conflicts with another.",
    fix: "Correct the value the line names; the line says what form it takes.",
  },
  KB_NOT_ON_RUNNER: {
    where: "Action",
    meaning: "A runner file-command variable the Action writes through (GITHUB_ENV, GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY) is not set.",
    fix: "Run the Action as a step of a GitHub Actions job, or set the runner's variables (the dev runner emulator does).",
  },
  KB_OIDC_MISSING_PERMISSION: {
    where: "Action, CLI",
    meaning: "The job has no OIDC token request pair (ACTIONS_ID_TOKEN_REQUEST_URL/_TOKEN).",
    fix: "Add `permissions: id-token: write` to the job; fork pull requests get no token.",
  },
  KB_OIDC_REQUEST_FAILED: {
    where: "Action, CLI",
    meaning: "GitHub's OIDC token service did not hand out a token.",
    fix: "Re-run the job; check that it has id-token: write.",
  },
  KB_LOGIN_REFUSED: {
    where: "Action, CLI",
    meaning: "The backend refused the login (role, bound claims, audience, identity, or the given token).",
    fix: "Compare the claims the line shows with the role's or identity's bindings, as the line advises.",
  },
  KB_READ_FAILED: {
    where: "Action, CLI",
    meaning: "A secret path could not be read (permission denied, no data, a missing key); the last line counts the failed paths.",
    fix: "Grant the token read on the path, or correct the path or key in the secrets spec.",
  },
  KB_SECRET_NOT_FOUND: {
    where: "Action, CLI",
    meaning: "A requested secret path does not exist, or its latest version is deleted.",
    fix: "Correct the path (KV v2 paths need their data/ segment), or set ignore-not-found to skip it.",
  },
  KB_ISSUE_REFUSED: {
    where: "Action",
    meaning: "The backend refused to issue a certificate from a PKI role (vault-action's pki input): a name outside the role, an unknown role, or no permission.",
    fix: "Ask for names and a ttl the role allows, or grant the token update on the role's issue path.",
  },
  KB_SECRET_HIDDEN: {
    where: "Action, CLI",
    meaning: "Infisical lists the key but hides its value from this identity (secretValueHidden).",
    fix: "Give the identity read access to the value, or leave the key out.",
  },
  KB_ROTATION_OVERDUE: {
    where: "Action",
    meaning: "A secret is older than its rotation rule allows and rotation-check is fail.",
    fix: "Rotate the secret, or set rotation-check to warn.",
  },
  KB_ROTATE_FAILED: {
    where: "Action, CLI",
    meaning: "keybridge rotate (or the Action's rotate mode) could not read a secret's versions or write its new version.",
    fix: "Give the rotating token read and update on the secret's data/ path and read on its metadata/ path (on Infisical: describeSecret, readValue, create and edit on the secret's folder), as the line says.",
  },
  KB_ROTATE_UNSUPPORTED: {
    where: "Action, CLI",
    meaning: "The policy document's backend is not the one the rotation connects to (a Vault document rotated with --backend infisical, or the other way round).",
    fix: "Rotate with the backend the document was synthesized for: vault or openbao for a Vault document, infisical for an Infisical one.",
  },
  KB_ROLLBACK_IMPOSSIBLE: {
    where: "Action, CLI",
    meaning: "keybridge rotate --rollback found no earlier readable version of the secret to restore.",
    fix: "Check the path (<project>/<environment>/<secret>); versions deleted, destroyed or pruned by max_versions cannot be restored.",
  },
  KB_HTTP_FAILED: {
    where: "Action, CLI",
    meaning: "The backend could not be reached or answered unexpectedly (TLS, DNS, proxy, timeout, 5xx within the retry budget).",
    fix: "Follow the line's advice: the url input, ca-certificate, HTTPS_PROXY/NO_PROXY, timeout and retries.",
  },
  KB_EXPORT_FAILED: {
    where: "Action",
    meaning: "A secret could not be exported, and nothing was: a destination (GITHUB_ENV, GITHUB_OUTPUT, RUNNER_TEMP) missing or not writable, a value holding the file-command delimiter or a NUL byte.",
    fix: "Run on a GitHub runner (or the dev runner emulator), or export such a value with export-file instead of the environment.",
  },
  KB_EXPORT_TOO_LARGE: {
    where: "Action, CLI (keybridge run, keybridge env)",
    meaning: "A value is over the 128 KiB Linux allows one environment variable, or all of them together would push the environment past ARG_MAX, so every later program would fail to start (E2BIG); nothing was exported.",
    fix: "Give large values a step of their own with export-file and export-env: false (or keybridge env --format json into a file).",
  },
  KB_NAME_INVALID: {
    where: "Action, CLI (keybridge run, keybridge env)",
    meaning: "A name to export is not a portable variable name (letters, digits and _, not starting with a digit), or holds what the runner's files cannot carry (=, <<, a line break); nothing was exported.",
    fix: "Name the secret with `| NAME` in the secrets spec; read keys with such names on lines of their own.",
  },
  KB_NAME_RESERVED: {
    where: "Action, CLI (keybridge run, keybridge env)",
    meaning: "A name taken from a secret's own keys (a `*` or `**` read) is one that changes how later programs run (PATH, LD_PRELOAD, BASH_ENV, NODE_OPTIONS, GITHUB_*, …); nothing was exported.",
    fix: "If the secret is meant to set it, list the name in allow-names (--allow-names, allowNames in keybridge.yml), or read the key on a line of its own with `| NAME`.",
  },
  KB_COMMENT_FAILED: {
    where: "Action (plan mode)",
    meaning: "The plan could not be posted as the pull request's sticky comment.",
    fix: "Give the job `permissions: pull-requests: write`, or set comment to false.",
  },
  KB_RENEW_FAILED: {
    where: "CLI (keybridge run)",
    meaning: "Renewing the token or a lease failed.",
    fix: "The credential ends at its TTL; re-run, or raise the role's max TTL.",
  },
  KB_PLAN_RISK: {
    where: "Action (plan mode)",
    meaning: "The plan holds an unacknowledged finding at or above the fail-on level.",
    fix: "Change the grant, or accept the risk in the app with grant.acknowledge(RULE, reason).",
  },
  KB_TERRAFORM_PLAN_INVALID: {
    where: "Action (plan mode), CLI (keybridge plan)",
    meaning: "The Terraform plan file given to the plan is not `terraform show -json` output.",
    fix: "Give the JSON of `terraform show -json PLANFILE`.",
  },
  KB_MANIFEST_INVALID: {
    where: "CLI (keybridge sync)",
    meaning: "An operator manifest cannot be used: not YAML, a field missing or of the wrong form, a reference to an object the manifests do not hold, or a feature sync does not reproduce (a templated transformation).",
    fix: "Correct the field the line names in the file it names, as the operator's CRD defines it.",
  },
  KB_USAGE: {
    where: "CLI",
    meaning: "A command was called wrongly: an unknown flag, a missing argument, a value of the wrong form.",
    fix: "See `keybridge <command> --help`.",
  },
  KB_INTERNAL: {
    where: "Action, CLI",
    meaning: "An error Keybridge did not expect: a bug.",
    fix: "Report it with the line shown (it holds no secret).",
  },
  KB_SYSTEM: {
    where: "CLI",
    meaning: "The system refused an operation: a port in use, a file that cannot be opened.",
    fix: "Choose another port (--port 0 picks a free one), or check the path and its permissions.",
  },
  KB_AUDIT_DEVICE_UNKNOWN: {
    where: "CLI (keybridge incident)",
    meaning: "The drill cannot tell which of Vault's audit devices wrote the audit log, or Vault has none enabled, so the log's HMAC-ed accessors cannot be matched to live tokens.",
    fix: "Name the device with --audit-device (its path in `vault audit list`), or enable the device that wrote the log again with the same path.",
  },
  KB_INCIDENT_PERMISSION_DENIED: {
    where: "CLI (keybridge incident)",
    meaning: "The backend refused one of the drill's operator calls: on Vault, listing token accessors is root-protected and revoking by accessor or lease prefix needs update or sudo; on Infisical, reading the organization's audit logs and detaching an identity's auth need the organization admin role.",
    fix: "Vault: run the drill with a root token, or one whose policy has sudo on auth/token/accessors and sys/leases/revoke-prefix/*, and update on sys/audit-hash/* and auth/token/revoke-accessor. Infisical: run it as an identity with the organization admin role (INFISICAL_TOKEN, or --client-id with INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET).",
  },
  KB_INCIDENT_UNSUPPORTED: {
    where: "CLI (keybridge incident)",
    meaning: "The drill was given an audit trail its backend does not have: --audit-log names a file of Vault's (or OpenBao's) file audit device, while on Infisical the drill reads the organization's audit logs through Infisical's API.",
    fix: "With --backend infisical, leave --audit-log out (give --project-id, and INFISICAL_TOKEN or --client-id); for a Vault or OpenBao log, give --backend vault.",
  },
  KB_SYNTH_APP_FAILED: {
    where: "CLI (keybridge synth)",
    meaning: "The CDKTF app threw an error of its own, or ran without calling app.synth().",
    fix: "Fix the app where the error points; make sure it calls app.synth().",
  },
  KB_SYNTH_INVALID: {
    where: "synth",
    meaning: "A grant does not fit its project: an unknown environment or path, a token lifetime out of bounds, a protected environment open to any branch or repository.",
    fix: "Change the grant as the line says; cdktf names the construct path.",
  },
  KB_CONSTRUCT_INVALID: {
    where: "synth",
    meaning: "A construct was given an invalid argument: a bad name, a duplicate id, a duration or rotation period out of bounds.",
    fix: "Correct the argument the line names.",
  },
  KB_DEV_TERRAFORM_INVALID: {
    where: "keybridge dev",
    meaning: "The Terraform given with --terraform cannot be loaded or applied (a missing attribute, an unsupported resource, a bad reference).",
    fix: "Correct the resource the line names; the same file would fail `terraform apply` the same way.",
  },
  KB_DEV_DATA_DIR: {
    where: "keybridge dev",
    meaning: "The data directory (--data) cannot be used: locked, unreadable, written with another key, or changed on disk.",
    fix: "Do what the line says: stop the other process, give the right key, or restore the directory from a backup.",
  },
  KB_DEV_JOB_CLAIMS: {
    where: "keybridge dev",
    meaning: "A job claim given with --job is unknown or has a value GitHub never sends.",
    fix: "Use GitHub's claim names and value forms.",
  },
  KB_DEV_VAULT_REQUEST: {
    where: "keybridge dev (Vault API)",
    meaning: "The dev backend's Vault API refused a request; the answer carries Vault's own status and error text.",
    fix: "Fix the request as Vault would require.",
  },
  KB_DEV_INFISICAL_REQUEST: {
    where: "keybridge dev (Infisical API)",
    meaning: "The dev backend's Infisical API refused a request; the answer carries Infisical's own status and error name.",
    fix: "Fix the request as Infisical would require.",
  },
  KB_DEV_REQUEST_TOO_LARGE: {
    where: "keybridge dev",
    meaning: "A request body is larger than the dev backend accepts.",
    fix: "Send a smaller body.",
  },
  KB_DEV_TOKEN_INVALID: {
    where: "keybridge dev",
    meaning: "A JWT presented at login failed validation (signature, algorithm, issuer, subject, times), in Vault's order of checks.",
    fix: "Mint the token from the issuer the auth method trusts, with the claims the role binds.",
  },
  KB_DEV_CONFIG_INVALID: {
    where: "keybridge dev",
    meaning: "Configuration given to the dev backend is invalid: an ACL policy, a duration, an Infisical permission condition or store entry, a JWT key source.",
    fix: "Correct the value the line names.",
  },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof errorCodes;
