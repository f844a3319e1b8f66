// Where `keybridge access` (and plans of any configuration) get their graph: a policy document
// as synth writes it, or a Terraform configuration read as Terraform reads it, with the
// command's --var and --var-file. The loading itself is client/access-source.ts, shared with the
// Action's plan mode.
import * as source from "../../client/access-source.ts";
import type { CommandLineInput } from "../../terraform/load.ts";
import { UsageError } from "../usage-error.ts";

export type { LoadedGraph } from "../../client/access-source.ts";

export interface TerraformInputs {
  readonly vars: readonly string[];
  readonly varFiles: readonly string[];
}

const usage = (flag: string): source.SourceLabel => ({ label: flag, invalid: (message) => new UsageError(message) });

function commandLineOf(terraform: TerraformInputs): CommandLineInput[] {
  return [
    ...terraform.varFiles.map((path) => ({ kind: "var-file" as const, path })),
    ...terraform.vars.map((text) => {
      const equals = text.indexOf("=");
      if (equals <= 0) throw new UsageError('--var takes NAME=VALUE (the value given has no "=")');
      return { kind: "var" as const, name: text.slice(0, equals).trim(), text: text.slice(equals + 1) };
    }),
  ];
}

export async function loadAccessGraph(from: string, terraform: TerraformInputs, flag = "--from"): Promise<source.LoadedGraph> {
  return source.loadAccessGraph(from, usage(flag), async (path) => {
    const commandLine = commandLineOf(terraform);
    // Loaded on first use: commands that read no Terraform do not pay for the reader.
    const { readAccessInstances } = await import("../../terraform/access-instances.ts");
    return readAccessInstances(path, commandLine, process.env);
  });
}
