// Preload (--import) that makes this process look like a project with cdktn installed and cdktf
// not: importing "cdktf" fails as it does when the package is absent.
import { register } from "node:module";

register("./hide-cdktf-hooks.mjs", import.meta.url);
