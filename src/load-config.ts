/**
 * Finds and loads a project description file. TypeScript descriptions are loaded with jiti,
 * imported lazily so the library itself never pays for it.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parse as parseYaml } from "yaml";

export const CONFIG_NAMES = [
  "litestream.config.ts",
  "litestream.config.mts",
  "litestream.config.mjs",
  "litestream.config.js",
  "litestream.config.json",
  "litestream.config.yaml",
  "litestream.config.yml",
];

export class ConfigNotFoundError extends Error {}

export function findConfig(cwd: string, explicit?: string): string {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) throw new ConfigNotFoundError(`no such file: ${explicit}`);
    return file;
  }
  for (const name of CONFIG_NAMES) {
    const file = path.join(cwd, name);
    if (existsSync(file)) return file;
  }
  throw new ConfigNotFoundError(`no project description found in ${cwd} (looked for ${CONFIG_NAMES.join(", ")}); pass --config FILE`);
}

export async function loadConfig(file: string): Promise<unknown> {
  const ext = path.extname(file);
  if (ext === ".json") return JSON.parse(readFileSync(file, "utf8"));
  if (ext === ".yaml" || ext === ".yml") return parseYaml(readFileSync(file, "utf8"), { version: "1.1" });
  if (ext === ".ts" || ext === ".mts" || ext === ".cts") {
    const { createJiti } = await import("jiti");
    const jiti = createJiti(import.meta.url, { interopDefault: true, moduleCache: false });
    return jiti.import(file, { default: true });
  }
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown };
  return mod.default ?? mod;
}
