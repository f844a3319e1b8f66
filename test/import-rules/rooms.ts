// The arrows of DESIGN.md "Who may import whom", as one table: for each room (a top-level folder),
// the rooms its files may import or start as a process. A room may always import itself. Rooms that
// do not exist yet (client/, terraform/) are listed already: they simply have no files.

export const rooms = [
  "policy", "provider", "client", "action", "terraform", "dev", "bin",
  "testkit", "examples", "test", "reliability", "bench", "scripts",
] as const;

export type Room = (typeof rooms)[number];

export interface RoomRule {
  readonly mayImport: readonly Room[];
  /** Rooms this room may reach only by a dynamic import(), in a chunk of its own. */
  readonly mayLoadLazily?: readonly Room[];
  /** The rule in DESIGN.md's words, printed when an arrow breaks it. */
  readonly why: string;
}

const product: readonly Room[] = ["policy", "provider", "client", "action", "terraform", "dev", "bin"];

export const roomRules: Readonly<Record<Room, RoomRule>> = {
  policy: { mayImport: [], why: "policy/ is pure: no imports from the other rooms" },
  provider: { mayImport: ["policy"], why: "provider/ imports policy/ and cdktf (through provider/cdk.ts)" },
  client: { mayImport: ["policy"], why: "client/ imports policy/ only" },
  action: {
    mayImport: ["client", "policy"],
    mayLoadLazily: ["terraform"],
    why: "action/ imports client/ and policy/, never provider/, dev/ or bin/ (its plan mode alone may load the Terraform reader, lazily)",
  },
  terraform: { mayImport: ["policy"], why: "the Terraform reader imports policy/ at most" },
  dev: {
    mayImport: ["policy", "terraform"],
    why: "dev/ imports policy/ and the Terraform reader at most; never action/ or client/, so the emulator cannot share a bug with the client it tests",
  },
  bin: {
    mayImport: ["client", "policy", "provider", "dev", "terraform"],
    why: "bin/ wires client/, policy/, provider/, dev/ and the Terraform reader together; the Action's own code is not a library, and the product never imports testkit/, examples/ or test/",
  },
  testkit: { mayImport: product, why: "testkit/ may start bin/ as a process and use the product; nothing outside test/ and examples/ reaches into test/ or examples/" },
  examples: { mayImport: ["policy", "provider", "client", "bin", "testkit"], why: "examples/ use the product and testkit/ (the demo); nothing reaches into test/" },
  test: { mayImport: [...product, "testkit", "reliability", "bench", "scripts"], why: "tests may import anything but examples/ (what they share with the demo lives in testkit/)" },
  reliability: { mayImport: [...product, "testkit"], why: "suites may import the product and testkit/, never test/ or examples/" },
  bench: { mayImport: [...product, "testkit", "scripts"], why: "benchmarks may import the product, testkit/ and the build options, never test/ or examples/" },
  scripts: { mayImport: product, why: "build scripts may import the product, never test/, testkit/ or examples/" },
};

/** The packages of CDKTF and of its fork: in provider/, only provider/cdk.ts imports them. */
export const cdkPackage = /^(cdktf|cdktn|@cdktf\/|@cdktn\/)/;
export const cdkModule = "provider/cdk.ts";

/**
 * Known violations that another change is removing right now, one entry per file and the
 * repository path it imports. Remove an entry when its arrow is gone: the test fails on an entry
 * that no longer matches any import, so the list cannot outlive its reason. (Empty since client/
 * landed: bin/ no longer imports action/.)
 */
export const knownViolations: readonly { readonly from: string; readonly to: string; readonly reason: string }[] = [];
