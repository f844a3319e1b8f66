#!/usr/bin/env node
// The `keybridge` command: a table of subcommands, each loaded only when it runs, so `--help` and
// a small `plan` start as fast as node itself. Every failure is one line on stderr (exit 2 for a
// usage mistake, 1 for anything else) that starts with its code, never a stack trace.
import { describeError, isKeybridgeError } from "../policy/errors/keybridge-error.ts";
import { isUsageError } from "./usage-error.ts";
import { optimizeLater } from "./tiering.ts";

interface Command {
  readonly help: string;
  run(args: readonly string[]): Promise<number>;
}

interface CommandEntry {
  readonly summary: string;
  load(): Promise<Command>;
}

const commands: Readonly<Record<string, CommandEntry>> = {
  dev: {
    summary: "run GitHub's OIDC token service and Vault and Infisical API subsets on loopback",
    load: async () => {
      const { devHelp, runDev } = await import("./dev-command.ts");
      return { help: devHelp, run: runDev };
    },
  },
  synth: {
    summary: "synthesize a CDKTF app into cdk.tf.json and keybridge.policy.json",
    load: async () => {
      const { synthCommand, synthUsage } = await import("./synth-command.ts");
      return { help: `Usage: ${synthUsage}\n`, run: (args) => synthCommand(args) };
    },
  },
  plan: {
    summary: "show what a change of keybridge.policy.json does to secret access, ranked by risk",
    load: async () => {
      optimizeLater("plan");
      const { planCommand, planHelp } = await import("./plan-command.ts");
      return { help: planHelp, run: (args) => planCommand(args) };
    },
  },
  run: {
    summary: "run a program with its secrets in its environment, renewed while it runs, revoked after",
    load: async () => {
      const { runCommand, runHelp } = await import("./run/run-command.ts");
      return { help: runHelp, run: runCommand };
    },
  },
  env: {
    summary: "print the secrets as dotenv, JSON or shell exports (for tools that need a file)",
    load: async () => {
      const { envCommand, envHelp } = await import("./env-command.ts");
      return { help: envHelp, run: (args) => envCommand(args) };
    },
  },
  sync: {
    summary: "write the Secrets the Vault and Infisical operators would create in a namespace, from keybridge dev",
    load: async () => {
      const { syncCommand, syncHelp } = await import("./sync-command.ts");
      return { help: syncHelp, run: (args) => syncCommand(args) };
    },
  },
  rotate: {
    summary: "write a new version of each generated secret that is due (check-and-set), or --rollback one",
    load: async () => {
      const { rotateCommand, rotateHelp } = await import("./rotate-command.ts");
      return { help: rotateHelp, run: (args) => rotateCommand(args) };
    },
  },
  access: {
    summary: "answer who can reach a secret path, or what a job can reach, from policy or Terraform",
    load: async () => {
      const { accessCommand, accessHelp } = await import("./access-command.ts");
      return { help: accessHelp, run: (args) => accessCommand(args) };
    },
  },
  check: {
    summary: "check access invariants (no pull request reads prod, no wildcard subject, short TTLs)",
    load: async () => {
      const { checkCommand, checkHelp } = await import("./check-command.ts");
      return { help: checkHelp, run: (args) => checkCommand(args) };
    },
  },
  incident: {
    summary: "the leaked-credential drill: who read a secret (audit log), revoke their tokens, who still could",
    load: async () => {
      const { incidentCommand, incidentHelp } = await import("./incident/incident-command.ts");
      return { help: incidentHelp, run: (args) => incidentCommand(args) };
    },
  },
};

const usage = `Usage: keybridge <command> [flags]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(8)} ${command.summary}`)
  .join("\n")}

Run keybridge <command> --help for a command's flags.
`;

/** node:util's parseArgs refused the flags (one it does not know, one without its value): a usage mistake. */
function isArgumentMistake(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

/**
 * Errors from the system (a port in use, a file that cannot be opened) and flags `command` refused,
 * in one line that says what to do.
 */
function describeFailure(error: unknown, command?: string): string {
  if (isKeybridgeError(error)) return describeError(error);
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message.split("\n")[0]! : String(error);
  if (command !== undefined && isArgumentMistake(error)) return `KB_USAGE: ${message.split(". ")[0]}; see keybridge ${command} --help`;
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
  const entry = name === undefined ? undefined : commands[name];
  if (!entry) {
    const what = name === undefined ? "a command is required" : `unknown command "${name}"`;
    process.stderr.write(`keybridge: KB_USAGE: ${what}; commands: ${Object.keys(commands).join(", ")} (see keybridge --help)\n`);
    return 2;
  }
  try {
    const command = await entry.load();
    if (args.includes("--help") || args.includes("-h")) {
      process.stdout.write(command.help);
      return 0;
    }
    return await command.run(args);
  } catch (error) {
    for (const line of describeFailure(error, name).split("\n")) process.stderr.write(`keybridge ${name}: ${line}\n`);
    return isUsageError(error) || isArgumentMistake(error) ? 2 : 1;
  }
}

/**
 * A reader that stops early (`keybridge plan ... | head`) closes the pipe: the rest of the output is
 * dropped, and the command still ends with its own exit code (2 when --fail-on trips), so a gate in
 * a pipeline keeps working. Any other failure to write is one line on stderr and exit 1.
 */
function dropOutputOnClosedPipe(): void {
  process.stdout.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") return;
    process.stderr.write(`keybridge: ${describeFailure(error)}\n`);
    process.exit(1);
  });
}

dropOutputOnClosedPipe();
// No top-level await: the command is built as CommonJS (scripts/build-package.mjs).
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
