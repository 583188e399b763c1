/**
 * Handlebars templates for non-YAML text (shell, systemd, Markdown), shipped in templates/.
 * Loaded once per name and cached; rendering itself is pure.
 */
import { readFileSync } from "node:fs";
import Handlebars from "handlebars";

const handlebars = Handlebars.create();
const cache = new Map<string, Handlebars.TemplateDelegate>();

// src/templates.ts and dist/*.js both sit one level below the package root.
const TEMPLATE_DIR = new URL("../templates/", import.meta.url);

/** Renders templates/<name> with `data`. Output is LF-only and ends with exactly one newline. */
export function renderTemplate(name: string, data: object): string {
  let template = cache.get(name);
  if (!template) {
    const source = readFileSync(new URL(name, TEMPLATE_DIR), "utf8");
    template = handlebars.compile(source, { noEscape: true, strict: true });
    cache.set(name, template);
  }
  return `${template(data).replace(/\r\n/g, "\n").replace(/\n+$/, "")}\n`;
}
