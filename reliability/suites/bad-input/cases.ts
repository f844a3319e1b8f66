// Every input mistake a user can make to the Action and to the `keybridge` command, with what the
// user must be told: a pattern for the one line, and the exit code.

export interface ActionCase {
  readonly surface: "Action";
  readonly mistake: string;
  readonly inputs: Readonly<Record<string, string>>;
  /** Adds the OIDC request variables a job with id-token: write has. */
  readonly withOidc?: boolean;
  readonly message: RegExp;
  /** Text that must not appear anywhere (a secret given as an input). */
  readonly secret?: string;
}

export interface CliCase {
  readonly surface: "CLI";
  readonly mistake: string;
  readonly args: readonly string[];
  readonly exitCode: 1 | 2;
  readonly message: RegExp;
}

export type BadInputCase = ActionCase | CliCase;

const fetch = { url: "https://vault.internal:8200", role: "ci", secrets: "secret/data/app/db password | DB_PASSWORD" };
const plan = { mode: "plan", base: "none", head: "fixtures/policy.json" };

export const actionCases: ActionCase[] = [
  { surface: "Action", mistake: "the job lacks permissions: id-token: write (or is a fork's pull request)", inputs: fetch, message: /^The job has no OIDC token to log in with: add `permissions: \{ id-token: write, contents: read \}`.*forks get no token/ },
  { surface: "Action", mistake: "url without a scheme", inputs: { ...fetch, url: "vault.internal:8200" }, message: /^Input url: "vault\.internal:8200" has no http:\/\/ or https:\/\/ scheme; write it in full, for example https:\/\/vault\.internal:8200$/ },
  { surface: "Action", mistake: "url missing", inputs: { ...fetch, url: "" }, message: /^Input url: "" is empty; give the backend's address/ },
  { surface: "Action", mistake: "url with credentials in it", inputs: { ...fetch, url: "https://admin:hunter2@vault.internal" }, message: /^Input url: .* holds credentials; remove them/ },
  { surface: "Action", mistake: "unknown backend", inputs: { ...fetch, backend: "consul" }, message: /^Input backend: "consul" is not supported; use one of vault, openbao, infisical$/ },
  { surface: "Action", mistake: "unknown mode", inputs: { ...fetch, mode: "sync" }, message: /^Input mode: "sync" is not supported; use one of fetch, plan, rotate$/ },
  { surface: "Action", mistake: "secrets empty", inputs: { ...fetch, secrets: "" }, message: /^Input secrets is empty: list what to read/ },
  { surface: "Action", mistake: "secrets line without a selector", inputs: { ...fetch, secrets: "secret/data/app/db" }, message: /^Input secrets, line 1 \("secret\/data\/app\/db"\): a selector is missing after the path; write `<path> <key \| \* \| \*\*> \[\| NAME\]`/ },
  { surface: "Action", mistake: "secrets line with extra words", inputs: { ...fetch, secrets: "secret/data/app/db pass word" }, message: /^Input secrets, line 1 .*: there is more than a path and a selector/ },
  { surface: "Action", mistake: "a JSONata selector", inputs: { ...fetch, secrets: "secret/data/app/db $.keys() | X" }, message: /^Input secrets, line 1 .*is a JSONata expression, and only a key or a dotted key path is supported/ },
  { surface: "Action", mistake: "a NAME with a space", inputs: { ...fetch, secrets: "secret/data/app/db password | DB PASSWORD" }, message: /^Input secrets, line 1 .*"DB PASSWORD" is not a variable name/ },
  { surface: "Action", mistake: "a NAME starting with a digit", inputs: { ...fetch, secrets: "secret/data/app/db password | 1BAD" }, message: /^Input secrets, line 1 .*"1BAD" is not a variable name \(letters A-Z, digits and _, not starting with a digit\); write for example \| DB_PASSWORD$/ },
  { surface: "Action", mistake: "a NAME with a dash", inputs: { ...fetch, secrets: "secret/data/app/db password | DB-PASS" }, message: /^Input secrets, line 1 .*"DB-PASS" is not a variable name/ },
  { surface: "Action", mistake: "a NAME the runner's file protocol would misread (<<)", inputs: { ...fetch, secrets: "secret/data/app/db password\nsecret/data/app/db user | DB<<X" }, message: /^Input secrets, line 2 .*"DB<<X" is not a variable name/ },
  { surface: "Action", mistake: "allow-names listing something that is not a name", inputs: { ...fetch, "allow-names": "PATH, LD-PRELOAD" }, message: /^Input allow-names: "PATH, LD-PRELOAD" lists "LD-PRELOAD", which is not a variable name; list names of letters A-Z/ },
  { surface: "Action", mistake: "a path climbing out with ..", inputs: { ...fetch, secrets: "secret/data/../../sys/policy x" }, message: /^Input secrets, line 1 .*is not a secret path/ },
  { surface: "Action", mistake: "a boolean that is not true/false", inputs: { ...fetch, "export-env": "yes" }, message: /^Input export-env: "yes" is not a boolean; write true or false$/ },
  { surface: "Action", mistake: "timeout with a unit", inputs: { ...fetch, timeout: "30s" }, message: /^Input timeout: "30s" is not a whole number from 1 to 3600/ },
  { surface: "Action", mistake: "retries out of range", inputs: { ...fetch, retries: "99" }, message: /^Input retries: "99" is not a whole number from 0 to 20/ },
  { surface: "Action", mistake: "an unknown mask encoding", inputs: { ...fetch, "mask-encodings": "base64,rot13" }, message: /^Input mask-encodings: .*names an unknown encoding "rot13"; use a comma-separated list of base64, base64url, url, json$/ },
  { surface: "Action", mistake: "export file as a path into the workspace", inputs: { ...fetch, "export-file": "../workspace/.env" }, message: /^Input export-file: "\.\.\/workspace\/\.env" is not a plain file name; .*under \$RUNNER_TEMP, never in the workspace$/ },
  { surface: "Action", mistake: "file format without a file", inputs: { ...fetch, "export-file-format": "json" }, message: /^Input export-file-format is "json" but export-file is empty/ },
  { surface: "Action", mistake: "nothing would receive the secrets", inputs: { ...fetch, "export-env": "false" }, message: /^Inputs export-env and export-outputs are false and export-file is empty: nothing would receive the secrets/ },
  { surface: "Action", mistake: "method token without a token", inputs: { ...fetch, method: "token" }, message: /^Input token is empty while method is token/ },
  { surface: "Action", mistake: "a token given with method jwt", inputs: { ...fetch, method: "jwt", token: "hvs.CANARYtokenNEVERshown" }, message: /^Inputs token and method: jwt conflict/, secret: "hvs.CANARYtokenNEVERshown" },
  { surface: "Action", mistake: "auth path given as the login URL", inputs: { ...fetch, path: "auth/jwt/login" }, message: /^Input path: "auth\/jwt\/login" is not an auth mount path/ },
  { surface: "Action", mistake: "Infisical without project and environment", inputs: { ...fetch, role: "", backend: "infisical", "identity-id": "7f0c" }, message: /^Inputs project, environment are empty while backend is infisical/ },
  { surface: "Action", mistake: "a Vault input on Infisical", inputs: { ...fetch, backend: "infisical", "identity-id": "7f0c", project: "p", environment: "prod" }, message: /^Input role does not apply to backend infisical/ },
  { surface: "Action", mistake: "an Infisical input on Vault", inputs: { ...fetch, project: "p" }, message: /^Input project does not apply to backend vault/ },
  { surface: "Action", mistake: "rotation-check not warn/fail/off", inputs: { ...fetch, "rotation-check": "strict" }, message: /^Input rotation-check: "strict" is not supported; use one of warn, fail, off$/ },
  { surface: "Action", mistake: "ca-certificate names a file that does not exist", inputs: { ...fetch, "ca-certificate": "/etc/ssl/missing-ca.pem" }, withOidc: true, message: /^Input ca-certificate: "\/etc\/ssl\/missing-ca\.pem" is neither PEM, nor an existing file, nor base64 of PEM/ },
  { surface: "Action", mistake: "ca-certificate is a file without a certificate", inputs: { ...fetch, "ca-certificate": "fixtures/not-a-cert.txt" }, withOidc: true, message: /^Input ca-certificate: ".*not-a-cert\.txt" is a file with no PEM certificate in it/ },
  { surface: "Action", mistake: "url points where nothing listens", inputs: { ...fetch, url: "http://127.0.0.1:1", timeout: "3", retries: "1" }, withOidc: true, message: /^requesting the job's OIDC token from GitHub: cannot reach|^logging in to Vault at auth\/jwt: cannot reach 127\.0\.0\.1:1 \(ECONNREFUSED\)/ },
  { surface: "Action", mistake: "plan mode without head", inputs: { ...plan, head: "" }, message: /^Input head: "" is empty; give a keybridge\.policy\.json/ },
  { surface: "Action", mistake: "plan mode with a head that does not exist", inputs: { ...plan, head: "cdktf.out" }, message: /^Input head cdktf\.out: does not exist; give keybridge\.policy\.json, its stack directory, or the synth output directory$/ },
  { surface: "Action", mistake: "plan mode with an invalid policy document", inputs: { ...plan, head: "fixtures/not-a-cert.txt" }, message: /^Input head .*not-a-cert\.txt: is not a valid policy document: \$: not JSON/ },
  { surface: "Action", mistake: "plan mode with a terraform plan that is not JSON", inputs: { ...plan, "terraform-plan": "fixtures/not-a-cert.txt" }, message: /^Input terraform-plan .*: is not JSON; write it with terraform show -json plan\.out > plan\.json$/ },
  { surface: "Action", mistake: "plan mode with an unknown fail-on level", inputs: { ...plan, "fail-on": "severe" }, message: /^Input fail-on: "severe" is not supported; use one of critical, high, medium, low, info, never$/ },
];

export const cliCases: CliCase[] = [
  { surface: "CLI", mistake: "no command", args: [], exitCode: 2, message: /^keybridge: a command is required; commands: dev, synth, plan/ },
  { surface: "CLI", mistake: "unknown command", args: ["apply"], exitCode: 2, message: /^keybridge: unknown command "apply"/ },
  { surface: "CLI", mistake: "synth without an app", args: ["synth"], exitCode: 2, message: /^keybridge synth: takes one app file, got 0/ },
  { surface: "CLI", mistake: "synth of an app that does not exist", args: ["synth", "nope.ts"], exitCode: 2, message: /^keybridge synth: the app nope\.ts does not exist/ },
  { surface: "CLI", mistake: "plan without --head", args: ["plan", "--base", "none"], exitCode: 2, message: /^keybridge plan: --base and --head are required/ },
  { surface: "CLI", mistake: "plan with an unknown format", args: ["plan", "--base", "none", "--head", "fixtures/policy.json", "--format", "xml"], exitCode: 2, message: /^keybridge plan: --format xml is not supported; use text, markdown or json$/ },
  { surface: "CLI", mistake: "plan with an unknown level", args: ["plan", "--base", "none", "--head", "fixtures/policy.json", "--fail-on", "severe"], exitCode: 2, message: /^keybridge plan: --fail-on severe is not a level/ },
  { surface: "CLI", mistake: "plan of a file that does not exist", args: ["plan", "--base", "old.json", "--head", "fixtures/policy.json"], exitCode: 1, message: /^keybridge plan: --base old\.json: does not exist/ },
  { surface: "CLI", mistake: "plan of an unreadable policy file", args: ["plan", "--base", "none", "--head", "fixtures/not-a-cert.txt"], exitCode: 1, message: /^keybridge plan: --head .*not-a-cert\.txt: is not a valid policy document: \$: not JSON/ },
  { surface: "CLI", mistake: "plan with a terraform plan that is not JSON", args: ["plan", "--base", "none", "--head", "fixtures/policy.json", "--terraform-plan", "fixtures/not-a-cert.txt"], exitCode: 1, message: /^keybridge plan: --terraform-plan .*: is not JSON/ },
  { surface: "CLI", mistake: "env with a NAME that is not a variable name", args: ["env", "--url", "http://127.0.0.1:1", "--secrets", "secret/data/app/db password | DB-PASS"], exitCode: 2, message: /^keybridge env: --secrets, line 1 .*"DB-PASS" is not a variable name/ },
  { surface: "CLI", mistake: "run with --allow-names listing something that is not a name", args: ["run", "--url", "http://127.0.0.1:1", "--secrets", "secret/data/app/db password", "--allow-names", "1X", "--", "true"], exitCode: 2, message: /^keybridge run: --allow-names lists "1X", which is not a variable name/ },
  { surface: "CLI", mistake: "dev with a port that is not a number", args: ["dev", "--port", "abc"], exitCode: 2, message: /^keybridge dev: --port must be an integer from 0 to 65535, got "abc"$/ },
  { surface: "CLI", mistake: "dev on a public address without --allow-remote", args: ["dev", "--host", "0.0.0.0"], exitCode: 2, message: /^keybridge dev: --host 0\.0\.0\.0 is not a loopback address; add --allow-remote/ },
  { surface: "CLI", mistake: "dev with malformed job claims", args: ["dev", "--job", "repository=training"], exitCode: 2, message: /^keybridge dev: --job: claim "repository" must look like owner\/name, got "training"$/ },
  { surface: "CLI", mistake: "dev with a Terraform file that does not exist", args: ["dev", "--terraform", "missing.tf.json"], exitCode: 1, message: /^keybridge dev: missing\.tf\.json: cannot read the file \(ENOENT\)/ },
  { surface: "CLI", mistake: "dev with a Terraform file it cannot apply", args: ["dev", "--terraform", "fixtures/unsupported.tf.json"], exitCode: 1, message: /cannot apply 1 resource: vault_aws_secret_backend\.aws \(type not supported\)/ },
  { surface: "CLI", mistake: "dev with --data-key-file but no --data", args: ["dev", "--data-key-file", "fixtures/open.key"], exitCode: 2, message: /^keybridge dev: --data-key-file is the key of --data DIR: add --data DIR, or drop --data-key-file$/ },
  { surface: "CLI", mistake: "dev with a data key file that does not exist", args: ["dev", "--data", "data", "--data-key-file", "missing.key"], exitCode: 1, message: /^keybridge dev: --data-key-file missing\.key cannot be read \(ENOENT\): make one with `openssl rand -base64 32 > key && chmod 600 key`$/ },
  { surface: "CLI", mistake: "dev with a data key file others may read", args: ["dev", "--data", "data", "--data-key-file", "fixtures/open.key"], exitCode: 1, message: /^keybridge dev: --data-key-file fixtures\/open\.key has mode 0644, so other users may read or change it: run `chmod 600 fixtures\/open\.key`$/ },
  { surface: "CLI", mistake: "dev with the data key inside the data directory", args: ["dev", "--data", "fixtures", "--data-key-file", "fixtures/open.key"], exitCode: 1, message: /^keybridge dev: --data-key-file fixtures\/open\.key is inside the data directory fixtures: a key beside the data protects nothing; move it out of fixtures$/ },
  { surface: "CLI", mistake: "dev with an audit log in a missing directory", args: ["dev", "--audit-log", "no-such-dir/audit.log"], exitCode: 1, message: /^keybridge dev: .*no-such-dir\/audit\.log.*check the path and its permissions$/ },
];
