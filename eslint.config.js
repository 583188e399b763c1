// ESLint (flat config): typescript-eslint's recommended rules and a line limit; layout is prettier's
// (.prettierrc.json, the same width). `npm run lint` runs both.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "dist/", "demo-output/", ".tmp/", "snapshots/", "test/fixtures/", "src/templates.generated.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        URL: "readonly",
        Buffer: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
      },
    },
    rules: {
      // Strings, templates and regular expressions cannot be wrapped without changing them; prettier wraps the rest.
      "max-len": ["error", { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
    },
  },
  // Tests hand the API values of the wrong type on purpose.
  { files: ["test/**"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
);
