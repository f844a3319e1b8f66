// The `keybridge` command: a table of subcommands. Every failure is one line on stderr that starts
// with its code (exit 2 for a usage mistake, 1 for anything else), never a stack trace.
import { devHelp, devSummary, runDev } from "./dev-command.ts";
import { synthCommand, synthUsage } from "./synth-command.ts";
import { planCommand, planHelp, planSummary } from "./plan-command.ts";
import { runCommand, runHelp, runSummary } from "./run/run-command.ts";
import { envCommand, envHelp, envSummary } from "./env-command.ts";
import { accessCommand, accessHelp, accessSummary } from "./access-command.ts";
import { checkCommand, checkHelp, checkSummary } from "./check-command.ts";
import { describeError, KeybridgeError } from "../policy/errors/keybridge-error.ts";
import { UsageError } from "./usage-error.ts";

interface Command {
  readonly summary: string;
  readonly help: string;
  run(args: readonly string[]): Promise<number>;
}

const commands: Readonly<Record<string, Command>> = {
  dev: { summary: devSummary, help: devHelp, run: runDev },
  synth: {
    summary: "synthesize a CDKTF app into cdk.tf.json and keybridge.policy.json",
    help: `Usage: ${synthUsage}\n`,
    run: (args) => synthCommand(args),
  },
  plan: { summary: planSummary, help: planHelp, run: (args) => planCommand(args) },
  run: { summary: runSummary, help: runHelp, run: runCommand },
  env: { summary: envSummary, help: envHelp, run: (args) => envCommand(args) },
  access: { summary: accessSummary, help: accessHelp, run: (args) => accessCommand(args) },
  check: { summary: checkSummary, help: checkHelp, run: (args) => checkCommand(args) },
};

const usage = `Usage: keybridge <command> [flags]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(8)} ${command.summary}`)
  .join("\n")}

Run keybridge <command> --help for a command's flags.
`;

/** Errors from the system (a port in use, a file that cannot be opened) in one line that says what to do. */
function describeFailure(error: unknown): string {
  if (error instanceof KeybridgeError) return describeError(error);
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  if (code === "EADDRINUSE") return `KB_SYSTEM: ${message}: the port is taken; choose another with --port, or --port 0 for a free one`;
  if (code === "EACCES" || code === "ENOENT" || code === "EISDIR") return `KB_SYSTEM: ${message}: check the path and its permissions`;
  return describeError(error);
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(usage);
    return 0;
  }
  const command = name === undefined ? undefined : commands[name];
  if (!command) {
    const what = name === undefined ? "a command is required" : `unknown command "${name}"`;
    process.stderr.write(`keybridge: KB_USAGE: ${what}; commands: ${Object.keys(commands).join(", ")} (see keybridge --help)\n`);
    return 2;
  }
  if (args.includes("--help") || args.includes("-h")) {
    process.stdout.write(command.help);
    return 0;
  }
  try {
    return await command.run(args);
  } catch (error) {
    for (const line of describeFailure(error).split("\n")) process.stderr.write(`keybridge ${name}: ${line}\n`);
    return error instanceof UsageError ? 2 : 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
