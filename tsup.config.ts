import { defineConfig } from "tsup";

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
    external: ["jiti"],
  },
]);
