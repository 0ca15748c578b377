#!/usr/bin/env node
// Launcher for the `paie` command: runs the TypeScript CLI through tsx (installed with the project).
import { register } from "tsx/esm/api";

register();
const { main } = await import("./cli.ts");
process.exitCode = await main(process.argv.slice(2));
