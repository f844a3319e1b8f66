// Loads the user's CDKTF app in this process. JavaScript (.js, .mjs, .cjs) is imported as is;
// TypeScript goes through tsx when the user's project has it (loaded only here, so no other
// command pays for it), else through Node's own type stripping where Node has it (22.18+, 23.6+;
// Node 20 has none).
import { extname } from "node:path";
import { pathToFileURL } from "node:url";
import { UsageError } from "../usage-error.ts";

const typeScriptExtensions = new Set([".ts", ".mts", ".cts", ".tsx"]);

interface TsxApi {
  tsImport(specifier: string, parentURL: string): Promise<unknown>;
}

async function tsxApi(): Promise<TsxApi | undefined> {
  try {
    return (await import("tsx/esm/api")) as TsxApi;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_MODULE_NOT_FOUND") return undefined;
    throw error;
  }
}

function nodeStripsTypes(): boolean {
  const features = process.features as { typescript?: string | false };
  return typeof features.typescript === "string";
}

export async function importApp(app: string): Promise<void> {
  const url = pathToFileURL(app).href;
  if (!typeScriptExtensions.has(extname(app))) {
    await import(url);
    return;
  }
  const tsx = await tsxApi();
  if (tsx) {
    // The app is named by its absolute URL, which resolves from anywhere: it is its own parent.
    await tsx.tsImport(url, url);
    return;
  }
  if (nodeStripsTypes()) {
    await import(url);
    return;
  }
  throw new UsageError(
    `${app} is TypeScript and Node ${process.versions.node} cannot run it by itself; install tsx beside keybridge (npm install --save-dev tsx) or compile the app to JavaScript`,
  );
}
