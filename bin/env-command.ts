// `keybridge env --format dotenv|json|shell`: prints the secrets for tools that insist on reading
// them from a file or a shell, with a warning that what it prints holds secrets. The token is left
// to expire at its TTL, since the values are meant to outlive this command.
import { describeError } from "../policy/errors/keybridge-error.ts";
import { formatDotenv, formatJson, formatShellExports } from "../client/dotenv.ts";
import { UsageError } from "./usage-error.ts";
import { neutralizeCommands } from "../policy/render/sanitize.ts";
import { resolveRunSettings } from "./run/run-settings.ts";
import { parseRunFlags, sharedFlagsHelp, toRunFlags } from "./run/run-flags.ts";
import { fetchForRun } from "./run/fetch-for-run.ts";

export const envHelp = `Usage: keybridge env [flags] [--format dotenv|json|shell]

Prints the secrets that keybridge run would give a program. The output holds secrets: pipe it
where it is needed (eval "$(keybridge env --format shell)"), do not commit or keep it.

Flags:
${sharedFlagsHelp}
  --format F              dotenv (default; POSIX shell quoting), json, or shell (export lines)
`;

// Key names reach these lines; on a runner no line may act as a workflow command.
const log = (line: string) => process.stderr.write(`keybridge env: ${neutralizeCommands(line)}\n`);

export async function envCommand(argv: readonly string[], write = (text: string) => process.stdout.write(text)): Promise<number> {
  const { values, positionals } = parseRunFlags(argv, { format: { type: "string" } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"; see keybridge env --help`);
  const given = (values as Record<string, unknown>).format;
  const format = typeof given === "string" ? given : "dotenv";
  if (!["dotenv", "json", "shell"].includes(format)) throw new UsageError(`--format ${format} is not supported; use dotenv, json or shell`);
  const settings = resolveRunSettings(toRunFlags(values));
  try {
    const fetched = await fetchForRun(settings, log, {
      consequence: "Nothing was printed",
      // dotenv and shell output is loaded into an environment; JSON is read by a program.
      ...(format === "json" ? {} : { sizeFix: "print large values with --format json, read by the program that needs them" }),
    });
    await fetched.http.close();
    const entries = fetched.secrets.map((secret) => [secret.envName, secret.value] as const);
    log("warning: the output holds secrets; do not write it to a file you keep or commit");
    if (format === "json") write(formatJson(entries));
    else if (format === "shell") write(formatShellExports(entries));
    else write(formatDotenv(entries));
    return 0;
  } catch (error) {
    for (const line of describeError(error).split("\n")) log(line);
    return 1;
  }
}
