#!/usr/bin/env node
import { fileURLToPath } from "node:url";
import { loadCliBundle, type CliMain } from "./cli-code-cache.js";

// Set to true in the build (tsup.config.ts): dist/cli.js loads the CommonJS bundle with its code cache.
// From the sources (tsx src/bin.ts), the modules themselves.
declare const __CLI_BUNDLED__: boolean | undefined;

const { runCli }: CliMain =
  typeof __CLI_BUNDLED__ !== "undefined" && __CLI_BUNDLED__
    ? loadCliBundle(fileURLToPath(new URL(".", import.meta.url)))
    : await import("./cli-main.js");

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`litestream-deploy: internal error, please report it: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(70);
  },
);
