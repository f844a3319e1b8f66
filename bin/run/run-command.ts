// `keybridge run [flags] -- COMMAND ...`: starts a program with its secrets in its environment,
// fetched at start and never written to disk; keeps the token and the leases alive while it runs;
// revokes them when it ends (also on SIGINT/SIGTERM, which it forwards). Fail closed: if any secret
// cannot be fetched, the program is not started.
import { describeError } from "../../policy/errors/keybridge-error.ts";
import { UsageError } from "../usage-error.ts";
import { neutralizeCommands } from "../../policy/render/sanitize.ts";
import { resolveRunSettings } from "./run-settings.ts";
import { parseRunFlags, sharedFlagsHelp, toRunFlags } from "./run-flags.ts";
import { fetchForRun, revokeAll } from "./fetch-for-run.ts";
import { KeepAlive } from "./keep-alive.ts";
import { exitCodeOf, resolveCommand, startChild } from "./child.ts";

export const runHelp = `Usage: keybridge run [flags] -- COMMAND [ARGS...]

Fetches the secrets, starts COMMAND with them as environment variables (nothing is written to
disk), renews the token and leases of dynamic secrets while it runs, and revokes them when it
exits. Its exit code is keybridge's. If any secret cannot be fetched, COMMAND is not started.

Flags:
${sharedFlagsHelp}
  --on-expiry warn|signal when renewal becomes impossible (max TTL): only say so (default), or also
                          send COMMAND SIGTERM when the credential expires
`;

// Key names reach these lines; on a runner no line may act as a workflow command.
const log = (line: string) => process.stderr.write(`keybridge run: ${neutralizeCommands(line)}\n`);

export async function runCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseRunFlags(argv);
  const [command, ...args] = positionals;
  if (!command) throw new UsageError("no command to run; put it after --, for example: keybridge run --env dev -- python train.py");
  const settings = resolveRunSettings(toRunFlags(values));
  let fetched;
  try {
    fetched = await fetchForRun(settings, log, {
      consequence: "The command was not started",
      sizeFix: "fetch large values with keybridge env --format json into a file the program reads",
    });
  } catch (error) {
    for (const line of describeError(error).split("\n")) log(line);
    return 1;
  }
  log(`fetched ${fetched.secrets.length} secret${fetched.secrets.length === 1 ? "" : "s"}: ${fetched.secrets.map((secret) => secret.envName).join(", ")}`);
  const env = { ...process.env, ...Object.fromEntries(fetched.secrets.map((secret) => [secret.envName, secret.value])) };
  // Found on keybridge's own PATH: a PATH among the secrets must not choose the program.
  const program = resolveCommand(command, process.env.PATH);
  if (!program) {
    log(`cannot start ${command}: it is not on PATH; check the command and PATH, or give its path`);
    await revokeAll(fetched, log);
    return 127;
  }
  const child = startChild(program, args, env, command);
  const keepAlive = new KeepAlive({
    backend: fetched.backend,
    session: fetched.session,
    leases: fetched.leases,
    log,
    beforeRenewal: () => fetched.http.startBudget(30_000),
    onExpiry: (what) => {
      if (settings.onExpiry === "signal") {
        log(`${what} expired: sending ${command} SIGTERM (--on-expiry signal)`);
        child.kill("SIGTERM");
      } else log(`${what} expired: ${command} keeps running, but what depends on it stops working`);
    },
  });
  const exit = await child.exited;
  keepAlive.stop();
  await revokeAll(fetched, log);
  return exitCodeOf(exit);
}
