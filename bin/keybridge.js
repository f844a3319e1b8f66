#!/usr/bin/env node
// The installed `keybridge` command: runs the TypeScript entry point through tsx.
import { register } from "tsx/esm/api";

register();
await import("./keybridge.ts");
