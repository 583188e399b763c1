import { execFileSync } from "node:child_process";
import { defineConfig } from "tsup";
import type { Plugin } from "esbuild";

/** zod's `z.locales` (40 translations, a quarter of the CLI bundle) is never used: an empty module. */
const withoutZodLocales: Plugin = {
  name: "without-zod-locales",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: "zod-locales", namespace: "empty" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

export default defineConfig([
  {
    entry: { index: "src/index.ts" },
    format: ["esm", "cjs"],
    dts: true,
    clean: true,
    shims: true, // import.meta.url in the CJS build (jiti in load-config)
    target: "node20",
  },
  {
    // The bin: a few lines that load cli-main.cjs with its V8 code cache (src/cli-code-cache.ts).
    entry: { cli: "src/bin.ts" },
    format: ["esm"],
    target: "node20",
    define: { __CLI_BUNDLED__: "true" },
  },
  {
    // The CLI's code in one CommonJS file: one bundled file loads far faster than zod's hundreds of
    // modules (and its locales, never used) resolved one by one, and a classic script is what V8's code
    // cache (vm.Script) takes. jiti and the 1Password SDK stay lazy imports.
    entry: { "cli-main": "src/cli-main.ts" },
    format: ["cjs"],
    target: "node20",
    shims: true, // import.meta.url (package.json for --version, jiti's base)
    noExternal: ["zod", "yaml", "handlebars", "diff", "dotenv"],
    external: ["jiti", "@1password/sdk"],
    esbuildPlugins: [withoutZodLocales],
    // import() becomes require(): V8 loses a script's dynamic-import callback when it takes the script's
    // code cache (nodejs/node#43663), so the bundle must not contain import(). jiti and the SDK load
    // the same code either way (jiti ships both entries; the SDK is CommonJS).
    esbuildOptions(options) {
      options.supported = { ...options.supported, "dynamic-import": false };
    },
    // Less source to parse when the cache is rejected; names are kept so an internal error's stack stays readable.
    minifyWhitespace: true,
    minifySyntax: true,
    // Run in a fresh node, without tsup's flags: V8 takes a cache only from a process with the same flags.
    onSuccess: async () => {
      execFileSync(process.execPath, ["--import", "tsx", "scripts/cli-code-cache.ts", "dist"], { stdio: "inherit" });
    },
  },
]);
