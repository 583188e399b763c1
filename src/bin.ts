#!/usr/bin/env node
import { runCli } from "./cli.js";

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`litestream-deploy: internal error, please report it: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(70);
  },
);
