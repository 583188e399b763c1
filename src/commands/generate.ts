/** `generate`: write every file the description asks for; `--check` for CI. */
import path from "node:path";
import { writeFiles } from "../api.js";
import { formatPath } from "../errors.js";
import { generate } from "../generate.js";
import { findConfig, loadConfig } from "../load-config.js";
import { existingFileReader, type FileReport, type FileStatus } from "../writer.js";
import { printJson, type Colors, type Command, type CommandContext } from "./context.js";

export const generateCommand: Command = {
  summary: "write every file the description asks for (only files whose content changed)",
  usage: `Usage: litestream-deploy generate [--config FILE] [--out DIR] [--env NAME] [--check] [--diff] [--dry-run] [--json]

Write every file the description asks for (only files whose content changed), record them in
.litestream-deploy.json, and remove files an earlier run generated that are no longer produced.
  -c, --config FILE  the description (default: litestream.config.{ts,mts,mjs,js,json,yaml,yml} in the current directory)
  -o, --out DIR      project root the file paths are relative to (default: the description's directory)
  -e, --env NAME     only this environment's files
  --check            write nothing; exit 1 when a file is missing, differs or is stale (for CI)
  --diff             print a unified diff of every change
  --dry-run          print what would be written, write nothing
Exit codes: 0 done, 1 drift (--check) or a refused/failed write (nothing written), 2 a problem in the description.`,
  options: {
    config: { type: "string", short: "c" },
    out: { type: "string", short: "o" },
    env: { type: "string", short: "e" },
    check: { type: "boolean" },
    diff: { type: "boolean" },
    "dry-run": { type: "boolean" },
  },
  run: runGenerate,
};

async function runGenerate({ io, values, json, color }: CommandContext): Promise<number> {
  const configFile = findConfig(io.cwd, values.config as string | undefined);
  const root = path.resolve(io.cwd, (values.out as string | undefined) ?? path.dirname(configFile));
  const description = await loadConfig(configFile);
  const environment = values.env as string | undefined;
  const result = generate(description, { ...(environment ? { environment } : {}), existing: existingFileReader(root) });
  if (!json) for (const warning of result.warnings) io.err(`${color.yellow("warning")}: ${formatPath(warning.path)}: ${warning.message}`);

  const check = !!values.check;
  const outcome = writeFiles(result, {
    root,
    check,
    dryRun: !!values["dry-run"],
    diff: !!values.diff, // only then: a diff of a large change costs far more than writing it
    onMessage: (text) => io.err(`warning: ${text}`),
  });
  if (json) {
    printJson(io, {
      command: "generate",
      mode: outcome.mode,
      ok: outcome.ok,
      upToDate: outcome.upToDate,
      root,
      files: outcome.files.map(jsonReport),
      warnings: result.warnings.map((w) => ({ path: formatPath(w.path), message: w.message })),
      problems: [],
    });
  } else {
    // The manifest is bookkeeping: shown only when it changes.
    printReports(
      outcome.files.filter((r) => !(r.kind === "manifest" && r.status === "unchanged")),
      io.out,
      { showDiff: !!values.diff, mode: outcome.mode, color },
    );
  }
  return outcome.exitCode;
}

function jsonReport(report: FileReport): Record<string, unknown> {
  return {
    path: report.path,
    status: report.status,
    kind: report.kind,
    ...(report.reason ? { reason: report.reason } : {}),
    ...(report.fix ? { fix: report.fix } : {}),
    ...(report.diff ? { diff: report.diff } : {}),
  };
}

const LABELS: Record<"write" | "check" | "dry-run", Record<FileStatus, string>> = {
  check: { created: "missing", updated: "differs", unchanged: "ok", conflict: "conflict", removed: "stale" },
  "dry-run": { created: "would create", updated: "would update", unchanged: "unchanged", conflict: "conflict", removed: "would remove" },
  write: { created: "created", updated: "updated", unchanged: "unchanged", conflict: "refused", removed: "removed" },
};

function printReports(
  reports: FileReport[],
  out: (text: string) => void,
  mode: { showDiff: boolean; mode: "write" | "check" | "dry-run"; color: Colors },
): void {
  const label = LABELS[mode.mode];
  const { color } = mode;
  const paint: Record<FileStatus, (s: string) => string> = {
    created: color.green,
    updated: color.yellow,
    unchanged: color.dim,
    conflict: color.red,
    removed: color.red,
  };
  const width = Math.max(...Object.values(label).map((l) => l.length));
  for (const report of reports) {
    const reason = report.reason && report.status !== "removed" ? ` — ${report.reason}` : "";
    out(
      `${paint[report.status](label[report.status].padEnd(width))}  ${report.path}${reason}${report.fix ? `\n${" ".repeat(width)}  → ${report.fix}` : ""}`,
    );
    if (mode.showDiff && report.diff) out(report.diff);
  }
  if (mode.mode === "check") {
    const drift = reports.filter((r) => r.status !== "unchanged").length;
    out(
      drift
        ? `${drift} of ${reports.length} files are out of date; run: npx litestream-deploy generate`
        : `all ${reports.length} files are up to date`,
    );
  }
}
