/**
 * The CLI's code as one module: the published bin (dist/cli.js, from bin.ts) loads it as the CommonJS
 * bundle dist/cli-main.cjs with a V8 code cache (cli-code-cache.ts). cli-setup is imported first, so
 * zod's `jitless` is set before any schema is built.
 */
import "./cli-setup.js";

export { runCli } from "./cli.js";
