/**
 * Finds and loads a project description file. TypeScript and JavaScript descriptions are loaded
 * with jiti, imported lazily so the library itself never pays for it. Every way a file can fail to
 * give a description (syntax, import, a throw, the wrong export, nothing at all) is a
 * DescriptionLoadError naming the file and, where known, the line and column.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml, YAMLParseError } from "yaml";

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

/** A description file that does not yield a description object. */
export class DescriptionLoadError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly position?: { line: number; column: number },
  ) {
    super(`${file}${position ? `:${position.line}:${position.column}` : ""}: ${problem}`);
    this.name = "DescriptionLoadError";
  }
}

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
  const description = ext === ".json" || ext === ".yaml" || ext === ".yml" ? parseDataFile(file, ext) : await importModule(file);
  return checkDescription(file, description);
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new DescriptionLoadError(file, `cannot be read: ${(error as Error).message}`);
  }
}

function parseDataFile(file: string, ext: string): unknown {
  const text = readText(file);
  if (text.trim() === "") throw new DescriptionLoadError(file, "is empty: write the project description (see README)");
  if (ext === ".json") {
    try {
      return JSON.parse(text);
    } catch (error) {
      const message = (error as Error).message;
      const offset = /at position (\d+)/.exec(message)?.[1];
      throw new DescriptionLoadError(
        file,
        `is not valid JSON: ${message.replace(/\s*\(line \d+ column \d+\)$/, "").replace(/ in JSON at position \d+$/, "")}`,
        offset === undefined ? undefined : positionAt(text, Number(offset)),
      );
    }
  }
  try {
    const value: unknown = parseYaml(text, { version: "1.1" });
    if (value === null || value === undefined)
      throw new DescriptionLoadError(file, "is empty (only comments or null): write the project description (see README)");
    return value;
  } catch (error) {
    if (error instanceof DescriptionLoadError) throw error;
    if (error instanceof YAMLParseError) {
      const at = error.linePos?.[0];
      throw new DescriptionLoadError(
        file,
        `is not valid YAML: ${error.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "")}`,
        at ? { line: at.line, column: at.col } : undefined,
      );
    }
    throw error;
  }
}

/** 1-based line and column of a character offset. */
function positionAt(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split("\n");
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

async function importModule(file: string): Promise<unknown> {
  const text = readText(file);
  if (text.trim() === "") throw new DescriptionLoadError(file, "is empty: export the project description as the default export");
  const { createJiti } = await import("jiti");
  // No interop proxy: it cannot represent `export default null` and would hide a missing default.
  const jiti = createJiti(import.meta.url, { interopDefault: false, moduleCache: false, fsCache: false });
  let mod: Record<string, unknown>;
  try {
    mod = (await jiti.import(file)) as Record<string, unknown>;
  } catch (error) {
    throw importError(file, text, error);
  }
  if (!mod || !("default" in mod)) {
    const names = mod ? Object.keys(mod) : [];
    throw new DescriptionLoadError(
      file,
      `has no default export${names.length ? ` (it exports ${names.join(", ")})` : ""}: write \`export default defineProject({ … })\``,
    );
  }
  return mod.default;
}

function importError(file: string, text: string, error: unknown): DescriptionLoadError {
  const message = error instanceof Error ? error.message : String(error);
  // jiti reports a syntax error as "ParseError: <what> \n <file>:<line>:<column>".
  const parse = /^(?:\w*Error: )?(.*?)\s*\n\s*(.+):(\d+):(\d+)\s*$/s.exec(message);
  if (parse && path.resolve(parse[2]!) === path.resolve(file)) {
    return new DescriptionLoadError(file, `does not parse: ${parse[1]!.trim() || "syntax error"}`, {
      line: Number(parse[3]),
      column: Number(parse[4]),
    });
  }
  if (
    (error as NodeJS.ErrnoException | undefined)?.code === "MODULE_NOT_FOUND" ||
    (error as NodeJS.ErrnoException | undefined)?.code === "ERR_MODULE_NOT_FOUND"
  ) {
    const specifier = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1];
    const where = specifier ? importPosition(text, specifier) : undefined;
    return new DescriptionLoadError(
      file,
      `imports ${specifier ? `"${specifier}"` : "a module"}, which cannot be found (is it installed, is the path right?)`,
      where,
    );
  }
  return new DescriptionLoadError(file, `threw while loading: ${message.split("\n")[0]}`, throwPosition(file, error));
}

/** Where the file mentions an import specifier, for the message. */
function importPosition(text: string, specifier: string): { line: number; column: number } | undefined {
  const index = [`"${specifier}"`, `'${specifier}'`, `\`${specifier}\``].map((quoted) => text.indexOf(quoted)).find((i) => i >= 0);
  return index === undefined ? undefined : positionAt(text, index);
}

/** The first stack frame in the description file itself. */
function throwPosition(file: string, error: unknown): { line: number; column: number } | undefined {
  const stack = error instanceof Error ? (error.stack ?? "") : "";
  for (const match of stack.matchAll(/\(?((?:file:\/\/)?\/[^\s():]+):(\d+):(\d+)\)?/g)) {
    if (path.resolve(match[1]!.replace(/^file:\/\//, "")) === path.resolve(file))
      return { line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

/** The description must be a plain object; anything else is named, not passed to the schema. */
function checkDescription(file: string, value: unknown): unknown {
  const what =
    value === null
      ? "null"
      : value === undefined
        ? "nothing"
        : typeof value === "function"
          ? "a function"
          : Array.isArray(value)
            ? "a list"
            : typeof value !== "object"
              ? `a ${typeof value}`
              : undefined;
  if (what)
    throw new DescriptionLoadError(
      file,
      `gives ${what}, not a project description: export (or write) one object with name, litestream, storage and databases`,
    );
  return value;
}
