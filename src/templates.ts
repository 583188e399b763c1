/**
 * Handlebars templates for non-YAML text (shell, systemd), written in templates/*.hbs and
 * precompiled at build time into ./templates.generated.ts (`npm run templates`): rendering reads no
 * file and compiles nothing; only the small Handlebars runtime runs.
 */
import type HandlebarsCompiler from "handlebars";
import HandlebarsRuntime from "handlebars/runtime.js";
import { TEMPLATE_SPECS, type TemplateName } from "./templates.generated.js";

export type { TemplateName };

// The runtime's own typings declare nothing: it is the compiler's API without `compile`.
const runtime = (HandlebarsRuntime as unknown as typeof HandlebarsCompiler).create();
const cache = new Map<TemplateName, HandlebarsCompiler.TemplateDelegate>();

/** Renders templates/<name> with `data`. Output is LF-only and ends with exactly one newline. */
export function renderTemplate(name: TemplateName, data: object): string {
  let template = cache.get(name);
  if (!template) {
    template = runtime.template(TEMPLATE_SPECS[name] as unknown as TemplateSpecification);
    cache.set(name, template);
  }
  return withOneFinalNewline(template(data).replace(/\r\n/g, "\n"));
}

type TemplateSpecification = Parameters<typeof HandlebarsCompiler.template>[0];

/** Without a regular expression at the end of a large text (`/\n+$/` scans every run of newlines). */
function withOneFinalNewline(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  if (end === text.length - 1) return text; // no copy of a text that already ends so
  return `${text.slice(0, end)}\n`;
}
