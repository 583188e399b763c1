// `npm run templates`: precompiles templates/*.hbs into src/templates.generated.ts, so the core
// reads no file and compiles nothing at run time. test/templates.test.ts fails when it is stale.
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import Handlebars from "handlebars";

const TEMPLATE_DIR = new URL("../templates/", import.meta.url);
export const GENERATED_MODULE = new URL("../src/templates.generated.ts", import.meta.url);

/** The generated module's text for the templates in templates/ (sorted by name). */
export function compiledTemplatesModule(): string {
  const names = readdirSync(TEMPLATE_DIR)
    .filter((name) => name.endsWith(".hbs"))
    .sort();
  const entries = names.map((name) => {
    const source = readFileSync(new URL(name, TEMPLATE_DIR), "utf8");
    return `  ${JSON.stringify(name)}: ${Handlebars.precompile(source, { noEscape: true, strict: true })},`;
  });
  return [
    "// @ts-nocheck: precompiled Handlebars specs.",
    "// Generated from templates/*.hbs by scripts/compile-templates.ts (`npm run templates`): do not edit.",
    "export const TEMPLATE_SPECS = {",
    ...entries,
    "};",
    "",
    "export type TemplateName =",
    ...names.map((name, i) => `  | ${JSON.stringify(name)}${i === names.length - 1 ? ";" : ""}`),
    "",
  ].join("\n");
}

if (import.meta.url === `file://${process.argv[1]}`) writeFileSync(GENERATED_MODULE, compiledTemplatesModule());
