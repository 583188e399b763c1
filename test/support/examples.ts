// Loads every bundled example description (examples/<name>/litestream.config.ts).
import { readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ProjectInput } from "../../src/index.js";

export const EXAMPLES_DIR = fileURLToPath(new URL("../../examples/", import.meta.url));

export function exampleNames(): string[] {
  return readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(EXAMPLES_DIR, d.name, "litestream.config.ts")))
    .map((d) => d.name)
    .sort();
}

export async function loadExample(name: string): Promise<ProjectInput> {
  const mod = (await import(path.join(EXAMPLES_DIR, name, "litestream.config.ts"))) as { default: ProjectInput };
  return mod.default;
}
