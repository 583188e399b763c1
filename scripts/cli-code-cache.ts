// Run by tsup after the CLI bundle is built (tsup.config.ts; argument: the output directory, default
// dist): runs cli-main.cjs once on the Rails example (generate, then generate --check, in a scratch
// directory inside the output directory that it removes) and saves V8's code cache of every function
// that run compiled as cli-main.cjs.cache (src/cli-code-cache.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import rails from "../examples/000-rails-kamal-hetzner/litestream.config.js";
import { cacheFileContent, CLI_BUNDLE, CLI_CODE_CACHE, compileBundle, runBundle } from "../src/cli-code-cache.js";

const dist = path.resolve(process.argv[2] ?? fileURLToPath(new URL("../dist/", import.meta.url)));
const file = path.join(dist, CLI_BUNDLE);
const bundle = readFileSync(file);
// An import() would fail once the cache is taken (src/cli-code-cache.ts): the build must not ship one.
const dynamicImport = /(?<![\w$.])import\s*\(/.exec(bundle.toString("utf8"));
if (dynamicImport) throw new Error(`${file} contains import() at offset ${dynamicImport.index}; see tsup.config.ts`);
const script = compileBundle(file, bundle.toString("utf8"));
const { runCli } = runBundle(script, file);

const scratch = mkdtempSync(path.join(dist, ".warm-up-"));
try {
  const config = path.join(scratch, "litestream.config.json");
  writeFileSync(config, JSON.stringify(rails));
  const io = { out: () => {}, err: () => {}, cwd: scratch, env: {}, isTTY: false };
  for (const argv of [["generate"], ["generate", "--check"]]) {
    const code = await runCli([...argv, "--config", config], io);
    if (code !== 0) throw new Error(`warm-up: litestream-deploy ${argv.join(" ")} exited ${code}`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
writeFileSync(path.join(dist, CLI_CODE_CACHE), cacheFileContent(bundle, script.createCachedData()));
