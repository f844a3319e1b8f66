// Every error line Keybridge prints starts with its code (docs/ERRORS.md), after the command's
// name on the CLI ("keybridge dev: KB_DEV_DATA_DIR: …"). The suites check that the code is there,
// then judge the words after it as before.

const codedLine = /^((?:keybridge(?: [a-z]+)?: )?)(KB_[A-Z0-9_]+): /;

/** The line without its code; a line that has none is marked, so that no expectation matches it. */
export function withoutCode(line: string): string {
  const match = codedLine.exec(line);
  return match ? `${match[1]}${line.slice(match[0].length)}` : `(no error code) ${line}`;
}
