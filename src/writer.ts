/**
 * The only module that touches the user's files. Every path is kept inside the project root (the
 * --out directory), files are written only when their bytes or mode changed, a file without our
 * header is never overwritten, and one run's files are committed together or not at all, each
 * through a temp file + fsync + rename, under a lock against concurrent runs. See docs/writing.md.
 */
import fs from "node:fs";
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import type { Artifact, ExistingFileReader } from "./artifact.js";
import { isGenerated } from "./header.js";
import { commitAll, removeLeftoverTemps, type PlannedWrite } from "./writer/commit.js";
import { acquireLock, LOCK_FILE, LockBusyError } from "./writer/lock.js";
import { realRoot, resolveTarget, type Refusal } from "./writer/paths.js";
import { decodeExact, lineOf } from "./writer/text.js";
import { ioWriteError, WriteError } from "./writer/write-error.js";

export { WriteError } from "./writer/write-error.js";
export { LOCK_FILE } from "./writer/lock.js";

export type FileStatus = "created" | "updated" | "unchanged" | "conflict";

export interface FileReport {
  path: string;
  status: FileStatus;
  kind: Artifact["kind"];
  /** Unified diff against the file on disk; computed only with `diff: true`, else empty. */
  diff: string;
  /** Why a file is refused ("conflict"). */
  reason?: string;
  /** What to do about a refusal. */
  fix?: string;
}

export interface PlanOptions {
  /** Compute unified diffs (slow for large changes; only for display). */
  diff?: boolean;
}

export interface WriteOptions extends PlanOptions {
  /** Compute the reports, write nothing. */
  dryRun?: boolean;
  /** How long to wait for another run's lock on the same root (default 10 s). */
  lockTimeoutMs?: number;
  /** Told about things worth a line on stderr (a stale lock taken over). */
  onMessage?: (text: string) => void;
}

const NOT_UTF8_FIX =
  "re-encode it as UTF-8 (e.g. iconv -f LATIN1 -t UTF-8 FILE > FILE.new && mv FILE.new FILE), then run again; shared files are edited only when every other byte can be written back unchanged";

/**
 * Reads the user's files below `outDir` (for the shared files generate() merges into): the exact
 * text of a valid UTF-8 file, a leading BOM kept as U+FEFF; undefined when absent. Throws a
 * WriteError for a path outside the root, a non-regular file, or bytes that are not UTF-8.
 */
export function existingFileReader(outDir: string): ExistingFileReader {
  let root: string | undefined;
  const dirs = new Map<string, string | Refusal>();
  return (relative) => {
    root ??= rootOf(outDir);
    const target = resolveTarget(root, relative, dirs);
    if ("reason" in target) throw new WriteError(relative, target.reason, target.fix);
    if (!target.stat) return undefined;
    const bytes = readBytes(relative, target.file);
    const decoded = decodeExact(bytes);
    if ("invalidAt" in decoded) throw new WriteError(relative, notUtf8(bytes, decoded.invalidAt), NOT_UTF8_FIX);
    return decoded.text;
  };
}

/** What writeArtifacts would do, file by file; reads only. */
export function planWrites(files: Artifact[], outDir: string, options: PlanOptions = {}): FileReport[] {
  return planAll(files, outDir, options).map((p) => p.report);
}

/**
 * Writes every created/updated file, all or none; writes nothing when any file is refused.
 * Throws a WriteError when the lock cannot be taken or a write fails (every target is then as it was).
 */
export function writeArtifacts(files: Artifact[], outDir: string, options: WriteOptions = {}): FileReport[] {
  if (options.dryRun || rootRefusal(rootOf(outDir), outDir)) return planWrites(files, outDir, options);
  const root = makeRoot(outDir);
  const release = lockRoot(root, options);
  try {
    const planned = planAll(files, root, options);
    removeLeftoverTemps(new Set(planned.flatMap((p) => (p.write ? [path.dirname(p.write.file)] : []))));
    const reports = planned.map((p) => p.report);
    if (reports.some((r) => r.status === "conflict")) return reports;
    commitAll(root, planned.flatMap((p) => (p.write && p.report.status !== "unchanged" ? [p.write] : [])));
    return reports;
  } finally {
    release();
  }
}

interface Planned {
  report: FileReport;
  /** Where and what to write (also for unchanged files: their directory is swept for leftover temp files). */
  write?: PlannedWrite;
}

function planAll(files: Artifact[], outDir: string, options: PlanOptions): Planned[] {
  const root = rootOf(outDir);
  const rootProblem = rootRefusal(root, outDir);
  const dirs = new Map<string, string | Refusal>();
  const claimed = new Map<string, string>();
  const defaultMode = 0o666 & ~process.umask();
  return files.map((file) => {
    const base = { path: file.path, kind: file.kind, diff: "" };
    const conflict = (refusal: Refusal, before = ""): Planned => ({
      report: { ...base, status: "conflict", ...refusal, diff: options.diff ? unifiedDiff(file.path, before, file.content) : "" },
    });
    if (rootProblem) return conflict(rootProblem);
    const target = resolveTarget(root, file.path, dirs);
    if ("reason" in target) return conflict(target);
    const other = claimed.get(target.file);
    if (other !== undefined) return conflict({ reason: `is the same file on disk as ${other} (through a symlink)`, fix: "give the two files different paths, or remove the symlink" });
    claimed.set(target.file, file.path);

    const bytes = Buffer.from(file.content, "utf8");
    if (!target.stat) {
      const mode = file.mode ?? defaultMode;
      return { report: { ...base, status: "created", diff: options.diff ? unifiedDiff(file.path, "", file.content) : "" }, write: { relative: file.path, file: target.file, bytes, mode } };
    }
    const before = { bytes: readBytes(file.path, target.file), stat: target.stat };
    const modeNow = target.stat.mode & 0o7777;
    const write: PlannedWrite = { relative: file.path, file: target.file, bytes, mode: file.mode ?? modeNow, before };
    if (before.bytes.equals(bytes)) {
      if (file.mode === undefined || (modeNow & 0o777) === file.mode) return { report: { ...base, status: "unchanged" }, write };
      return { report: { ...base, status: "updated", diff: options.diff ? `mode ${(modeNow & 0o777).toString(8)} → ${file.mode.toString(8)}` : "" }, write };
    }
    const beforeText = () => before.bytes.toString("utf8");
    if (file.ownership === "generated" && !isGenerated(beforeText())) {
      return conflict({ reason: "exists and was not generated by litestream-deploy", fix: "move it away (or point the description at another file name) so it is not overwritten" }, beforeText());
    }
    if (file.ownership === "shared") {
      const decoded = decodeExact(before.bytes);
      if ("invalidAt" in decoded) return conflict({ reason: notUtf8(before.bytes, decoded.invalidAt), fix: NOT_UTF8_FIX });
    }
    return { report: { ...base, status: "updated", diff: options.diff ? unifiedDiff(file.path, beforeText(), file.content) : "" }, write };
  });
}

function rootRefusal(root: string, outDir: string): Refusal | undefined {
  try {
    if (fs.statSync(root).isDirectory()) return undefined;
  } catch {
    return undefined; // created on write
  }
  return { reason: `the project root ${outDir} is not a directory`, fix: "point --out at a directory" };
}

/** The real path of the project root; a WriteError when it cannot be examined. */
function rootOf(outDir: string): string {
  try {
    return realRoot(outDir);
  } catch (error) {
    throw ioWriteError(outDir, error, outDir);
  }
}

function makeRoot(outDir: string): string {
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (error) {
    throw ioWriteError(outDir, error, path.dirname(path.resolve(outDir)));
  }
  return rootOf(outDir);
}

function lockRoot(root: string, options: WriteOptions): () => void {
  try {
    return acquireLock(root, { timeoutMs: options.lockTimeoutMs, onMessage: options.onMessage });
  } catch (error) {
    if (error instanceof LockBusyError) {
      const seconds = (options.lockTimeoutMs ?? 10_000) / 1000;
      throw new WriteError(
        LOCK_FILE,
        `another litestream-deploy run (pid ${error.owner.pid} on ${error.owner.host}) is writing this project; waited ${seconds} s`,
        `let it finish, then run again; if no such process is running, delete ${error.lockFile}`,
      );
    }
    throw ioWriteError(LOCK_FILE, error, root);
  }
}

function readBytes(relative: string, file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw ioWriteError(relative, error, path.dirname(file), "reading");
  }
}

function notUtf8(bytes: Uint8Array, offset: number): string {
  return `is not valid UTF-8 (byte 0x${bytes[offset]!.toString(16).padStart(2, "0")} at offset ${offset}, line ${lineOf(bytes, offset)}); editing it in place would change bytes outside the part litestream-deploy owns`;
}

function unifiedDiff(name: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${name}`, `b/${name}`, before, after, undefined, undefined, { context: 3 })
    .split("\n")
    .slice(1) // drop the "====" banner
    .join("\n");
}
