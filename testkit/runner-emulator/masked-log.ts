// Renders a step's stdout as the job log in the GitHub UI would show it: workflow commands
// turned into their visible form and every registered mask replaced by ***.
import { parseWorkflowCommand } from "./workflow-commands.ts";

const visiblePrefixes: Record<string, string> = { error: "Error: ", warning: "Warning: ", notice: "Notice: " };

/** Every value registered with ::add-mask::, in order of registration. */
export function registeredMasks(stdout: string): string[] {
  return stdout.split("\n").flatMap((line) => {
    const command = parseWorkflowCommand(line);
    return command?.command === "add-mask" && command.data !== "" ? [command.data] : [];
  });
}

export function maskText(text: string, masks: readonly string[]): string {
  // Longest first, so a mask that contains another is replaced whole.
  const ordered = [...new Set(masks)].sort((a, b) => b.length - a.length);
  return ordered.reduce((masked, mask) => masked.split(mask).join("***"), text);
}

export function renderJobLog(stdout: string, options: { showDebug?: boolean } = {}): string {
  const masks = registeredMasks(stdout);
  const visible: string[] = [];
  for (const line of stdout.split("\n")) {
    const command = parseWorkflowCommand(line);
    if (!command) {
      visible.push(line);
      continue;
    }
    if (command.command === "debug" && options.showDebug) visible.push(`##[debug]${command.data}`);
    else if (command.command === "group") visible.push(`▸ ${command.data}`);
    else if (command.command in visiblePrefixes) visible.push(`${visiblePrefixes[command.command]}${command.data}`);
  }
  return maskText(visible.join("\n"), masks).replace(/\n+$/, "");
}
