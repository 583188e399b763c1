/**
 * What every command gets: where to print, the working directory, the environment, and the shared
 * options (--help, --json, --color/--no-color). Human output and JSON both go to stdout; problems
 * and warnings for humans go to stderr. The JSON schema is documented in docs/cli.md.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ProjectError, type ProjectIssue } from "../errors.js";
import { ConfigNotFoundError, DescriptionLoadError } from "../load-config.js";
import { WriteError } from "../writer.js";

export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
  /** The environment (NO_COLOR, OP_SERVICE_ACCOUNT_TOKEN, `{ env }` references); default process.env. */
  env?: Record<string, string | undefined>;
  /** stdout is a terminal: colour by default. */
  isTTY?: boolean;
  /** Where `init` reads answers; default process.stdin. */
  input?: NodeJS.ReadableStream & { isTTY?: boolean };
}

export interface Command {
  /** One line for the command list. */
  summary: string;
  /** The command's own help (--help), without the shared options. */
  usage: string;
  /** Options beyond the shared ones (node:util parseArgs). */
  options: NonNullable<ParseArgsConfig["options"]>;
  run: (context: CommandContext) => Promise<number>;
}

export interface CommandContext {
  io: CliIO;
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  json: boolean;
  color: Colors;
}

/** Version of the --json output; bumped only when a field changes meaning or goes away. */
export const JSON_SCHEMA_VERSION = 1;

export const SHARED_OPTIONS = {
  help: { type: "boolean", short: "h" },
  json: { type: "boolean" },
  color: { type: "boolean" },
  "no-color": { type: "boolean" },
} as const satisfies NonNullable<ParseArgsConfig["options"]>;

export const SHARED_USAGE = `  --json         machine-readable output on stdout (schema: docs/cli.md)
  --color, --no-color  force colour on or off (default: on for a terminal, off when NO_COLOR is set)
  -h, --help     this help`;

export function parseCommandArgs(
  command: Command,
  argv: string[],
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: { ...SHARED_OPTIONS, ...command.options } });
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
}

export interface Colors {
  red: (s: string) => string;
  green: (s: string) => string;
  yellow: (s: string) => string;
  bold: (s: string) => string;
  dim: (s: string) => string;
}

/** --color / --no-color win; else NO_COLOR (any non-empty value, no-color.org) turns it off; else a terminal gets colour. */
export function colorsFor(values: Record<string, unknown>, io: CliIO): Colors {
  const env = io.env ?? process.env;
  const on = values["no-color"] ? false : values.color ? true : env.NO_COLOR ? false : !!io.isTTY;
  const wrap = (code: number, reset: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[${reset}m` : s);
  return { red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), bold: wrap(1, 22), dim: wrap(2, 22) };
}

export function printJson(io: CliIO, value: Record<string, unknown>): void {
  io.out(JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, ...value }, null, 2));
}

/** A problem for --json output: the description's issues, or one message with a fix. */
export interface JsonProblem {
  path?: string;
  message: string;
  fix?: string;
  code?: string;
}

export function issueProblems(issues: ProjectIssue[], format: (path: ProjectIssue["path"]) => string): JsonProblem[] {
  return issues.map((i) => ({
    path: format(i.path),
    message: i.message,
    ...(i.fix ? { fix: i.fix } : {}),
    ...(i.code ? { code: i.code } : {}),
  }));
}

/** What to print for a problem the user can cause (no stack trace) and its exit code, or undefined for a bug. */
export function userError(error: unknown): { message: string; exitCode: 1 | 2; fix?: string } | undefined {
  if (error instanceof WriteError)
    return { message: `litestream-deploy: ${error.message}\nNothing was written: every file is as it was.`, exitCode: 1, fix: error.fix };
  if (error instanceof ProjectError || error instanceof ConfigNotFoundError) return { message: error.message, exitCode: 2 };
  if (error instanceof DescriptionLoadError)
    return { message: `litestream-deploy: could not load the description: ${error.message}`, exitCode: 2 };
  const errno = error as NodeJS.ErrnoException;
  if (errno && typeof errno.code === "string" && typeof errno.syscall === "string") {
    // The file system refused a read or write (a directory where a file goes, no permission…).
    return { message: `litestream-deploy: ${errno.syscall} ${errno.path ?? ""} failed: ${errno.code} (${errno.message})`, exitCode: 2 };
  }
  return undefined;
}
