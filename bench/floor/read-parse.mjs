// The floor of the cold `keybridge plan` row: a fresh node that reads both policy documents and
// parses them as JSON, nothing else. Usage: node read-parse.mjs BASE HEAD
import { readFileSync } from "node:fs";

for (const file of process.argv.slice(2)) JSON.parse(readFileSync(file, "utf8"));
