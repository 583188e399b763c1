#!/usr/bin/env node
// zod reads `jitless` when a schema is built, so it is set before the CLI's modules (and their schemas) load.
import "./cli-setup.js";

const { runCli } = await import("./cli.js");

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`litestream-deploy: internal error, please report it: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(70);
  },
);
