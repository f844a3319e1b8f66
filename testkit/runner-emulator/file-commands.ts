// Reads the files a step writes through the runner's file protocol ($GITHUB_ENV, $GITHUB_OUTPUT,
// $GITHUB_STATE): `NAME=value` lines and `NAME<<DELIMITER` heredocs, as the runner parses them.

export function parseFileCommands(text: string): Map<string, string> {
  const values = new Map<string, string>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line === "") continue;
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const body: string[] = [];
      i++;
      while (i < lines.length && lines[i] !== delimiter) body.push(lines[i++] ?? "");
      if (i >= lines.length) throw new Error(`file command for ${name} has no closing delimiter`);
      values.set(name, body.join("\n"));
      continue;
    }
    const equals = line.indexOf("=");
    if (equals <= 0) throw new Error(`file command line is neither NAME=value nor a heredoc: ${line.slice(0, 40)}`);
    values.set(line.slice(0, equals), line.slice(equals + 1));
  }
  return values;
}
