/**
 * litestream-deploy CLI. Exit codes: 0 done, 1 drift or a refused/failed write (--check, a file it
 * will not overwrite, a path outside the project root, a failed or locked write: nothing written),
 * 2 a problem in the description or the command line (printed without a stack trace).
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { formatPath, ProjectError } from "./errors.js";
import { generate, projectJsonSchema } from "./generate.js";
import { ConfigNotFoundError, DescriptionLoadError, findConfig, loadConfig } from "./load-config.js";
import { existingFileReader, planWrites, writeArtifacts, WriteError, type FileReport } from "./writer.js";

const USAGE = `Usage:
  litestream-deploy generate [--config FILE] [--out DIR] [--env NAME] [--check] [--diff] [--dry-run]
  litestream-deploy schema
  litestream-deploy --help | --version

generate   Write every file the description asks for (only files whose content changed).
  --config FILE  the description (default: litestream.config.{ts,mts,mjs,js,json,yaml,yml} in the current directory)
  --out DIR      project root the file paths are relative to (default: the description's directory)
  --env NAME     only this environment's files
  --check        write nothing; exit 1 when a file is missing or differs (for CI)
  --diff         print a unified diff of every change
  --dry-run      print what would be written, write nothing
schema     Print the JSON Schema (draft-7) of the description, for editor completion.`;

export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
}

const defaultIO: CliIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
};

export async function runCli(argv: string[], io: CliIO = defaultIO): Promise<number> {
  if (argv[0] === "doctor") {
    return (await import("./commands/doctor.js")).runDoctor(argv.slice(1), io);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: "string", short: "c" },
        out: { type: "string", short: "o" },
        env: { type: "string", short: "e" },
        check: { type: "boolean" },
        diff: { type: "boolean" },
        "dry-run": { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean" },
      },
    });
  } catch (error) {
    io.err(`litestream-deploy: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    io.out(await packageVersion());
    return 0;
  }
  const command = positionals[0];
  if (values.help || !command) {
    (command ? io.out : io.err)(USAGE);
    return command || values.help ? 0 : 2;
  }
  if (positionals.length > 1) {
    io.err(`litestream-deploy: unexpected argument "${positionals[1]}"\n\n${USAGE}`);
    return 2;
  }
  if (command === "schema") {
    io.out(JSON.stringify(projectJsonSchema(), null, 2));
    return 0;
  }
  if (command !== "generate") {
    io.err(`litestream-deploy: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }

  try {
    const configFile = findConfig(io.cwd, values.config);
    const outDir = path.resolve(io.cwd, values.out ?? path.dirname(configFile));
    const description = await loadConfig(configFile);
    const result = generate(description, {
      ...(values.env ? { environment: values.env } : {}),
      existing: existingFileReader(outDir),
    });
    for (const warning of result.warnings) io.err(`warning: ${formatPath(warning.path)}: ${warning.message}`);

    const dryRun = values.check || values["dry-run"];
    const diff = !!values.diff; // only then: a diff of a large change costs far more than writing it
    const reports = dryRun ? planWrites(result.files, outDir, { diff }) : writeArtifacts(result.files, outDir, { diff, onMessage: (text) => io.err(`warning: ${text}`) });
    printReports(reports, io, { showDiff: !!values.diff, check: !!values.check, dryRun: !!values["dry-run"], outDir });
    const conflicts = reports.filter((r) => r.status === "conflict");
    if (conflicts.length) return 1;
    if (values.check && reports.some((r) => r.status !== "unchanged")) return 1;
    return 0;
  } catch (error) {
    if (error instanceof WriteError) {
      io.err(`litestream-deploy: ${error.message}\nNothing was written: every file is as it was.`);
      return 1;
    }
    const message = userError(error);
    if (message === undefined) throw error;
    io.err(message);
    return 2;
  }
}

/** What to print for a problem the user can cause (no stack trace), or undefined for a bug. */
function userError(error: unknown): string | undefined {
  if (error instanceof ProjectError || error instanceof ConfigNotFoundError) return error.message;
  if (error instanceof DescriptionLoadError) return `litestream-deploy: could not load the description: ${error.message}`;
  const errno = error as NodeJS.ErrnoException;
  if (errno && typeof errno.code === "string" && typeof errno.syscall === "string") {
    // The file system refused a read or write (a directory where a file goes, no permission…).
    return `litestream-deploy: ${errno.syscall} ${errno.path ?? ""} failed: ${errno.code} (${errno.message})`;
  }
  return undefined;
}

function printReports(reports: FileReport[], io: CliIO, mode: { showDiff: boolean; check: boolean; dryRun: boolean; outDir: string }): void {
  const label: Record<FileStatus, string> = mode.check
    ? { created: "missing", updated: "differs", unchanged: "ok", conflict: "conflict" }
    : mode.dryRun
      ? { created: "would create", updated: "would update", unchanged: "unchanged", conflict: "conflict" }
      : { created: "created", updated: "updated", unchanged: "unchanged", conflict: "refused" };
  const width = Math.max(...Object.values(label).map((l) => l.length));
  for (const report of reports) {
    io.out(`${label[report.status].padEnd(width)}  ${report.path}${report.reason ? ` — ${report.reason}` : ""}${report.fix ? `\n${" ".repeat(width)}  → ${report.fix}` : ""}`);
    if (mode.showDiff && report.diff) io.out(report.diff);
  }
  if (mode.check) {
    const drift = reports.filter((r) => r.status !== "unchanged").length;
    io.out(drift ? `${drift} of ${reports.length} files are out of date; run: npx litestream-deploy generate` : `all ${reports.length} files are up to date`);
  }
}

type FileStatus = FileReport["status"];

async function packageVersion(): Promise<string> {
  const { readFileSync } = await import("node:fs");
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
