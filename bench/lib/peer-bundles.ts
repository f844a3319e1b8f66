// The peers' committed bundles, from a folder the user provides (`npm run bench -- --peers DIR`);
// they are never part of this repository. The layout is a checkout (or a copy) of each repository:
//   DIR/vault-action/action.yml      + DIR/vault-action/dist/index.js      (hashicorp/vault-action v3.4.0)
//   DIR/secrets-action/action.yaml   + DIR/secrets-action/dist/index.cjs   (Infisical/secrets-action)
// The action.yml is read for the inputs' defaults, which the runner fills in for every step.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export interface PeerBundle {
  /** "hashicorp/vault-action". */
  readonly name: string;
  readonly script: string;
  /** Every input's default from the action's metadata, as the runner passes them. */
  readonly defaults: Readonly<Record<string, string>>;
}

export interface PeerBundles {
  readonly vault: PeerBundle;
  readonly infisical: PeerBundle;
}

export const peerLayout = [
  "DIR/vault-action/action.yml and DIR/vault-action/dist/index.js (hashicorp/vault-action v3.4.0)",
  "DIR/secrets-action/action.yaml and DIR/secrets-action/dist/index.cjs (Infisical/secrets-action)",
];

function firstExisting(dir: string, names: readonly string[]): string | undefined {
  return names.map((name) => join(dir, name)).find((file) => existsSync(file));
}

function readPeer(dir: string, name: string, metadataNames: readonly string[], scriptName: string): PeerBundle {
  const metadata = firstExisting(dir, metadataNames);
  const script = join(dir, "dist", scriptName);
  if (!metadata || !existsSync(script)) {
    throw new Error(`--peers: ${dir} needs ${metadataNames[0]} and dist/${scriptName} (a checkout of ${name}); the layout is: ${peerLayout.join("; ")}`);
  }
  const inputs = (parse(readFileSync(metadata, "utf8")) as { inputs?: Record<string, { default?: unknown }> }).inputs ?? {};
  const defaults: Record<string, string> = {};
  for (const [input, spec] of Object.entries(inputs)) if (spec?.default !== undefined) defaults[input] = String(spec.default);
  return { name, script, defaults };
}

export function readPeerBundles(dir: string): PeerBundles {
  return {
    vault: readPeer(join(dir, "vault-action"), "hashicorp/vault-action", ["action.yml", "action.yaml"], "index.js"),
    infisical: readPeer(join(dir, "secrets-action"), "Infisical/secrets-action", ["action.yaml", "action.yml"], "index.cjs"),
  };
}
