// Parses the `::command props::data` lines a step prints on stdout, the way the runner does.

export interface WorkflowCommand {
  readonly command: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly data: string;
}

/** Reverses @actions/core's escapeData: %0D, %0A, then %25. */
export function unescapeData(data: string): string {
  return data.replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%");
}

function unescapeProperty(value: string): string {
  return unescapeData(value).replace(/%3A/g, ":").replace(/%2C/g, ",");
}

export function parseWorkflowCommand(line: string): WorkflowCommand | undefined {
  const match = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/s.exec(line);
  if (!match) return undefined;
  const [, command, props, data] = match as unknown as [string, string, string | undefined, string];
  const properties: Record<string, string> = {};
  for (const pair of (props ?? "").split(",")) {
    const equals = pair.indexOf("=");
    if (equals > 0) properties[pair.slice(0, equals).trim()] = unescapeProperty(pair.slice(equals + 1));
  }
  return { command, properties, data: unescapeData(data) };
}
