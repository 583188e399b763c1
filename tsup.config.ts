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
    entry: { cli: "src/bin.ts" },
    format: ["esm"],
    target: "node20",
    // The CLI's start-up: one bundled file loads far faster than zod's hundreds of modules (and its
    // locales, never used) resolved one by one; jiti and the 1Password SDK stay lazy imports.
    noExternal: ["zod", "yaml", "handlebars", "diff", "dotenv"],
    external: ["jiti", "@1password/sdk"],
    esbuildPlugins: [withoutZodLocales],
    // Less source to parse at every start; names are kept so an internal error's stack stays readable.
    minifyWhitespace: true,
    minifySyntax: true,
    // yaml is CommonJS: its require("process") needs a real require in the ESM bundle.
    banner: { js: 'import { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' },
  },
]);
