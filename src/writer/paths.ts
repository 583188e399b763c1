/**
 * Where an artifact may be written: a relative path that stays inside the project root (the --out
 * directory) on disk, through every symlink, and ends at a regular file or at nothing yet.
 */
import fs from "node:fs";
import path from "node:path";
import { unrepresentableText } from "../render/quote/text.js";

export interface Refusal {
  reason: string;
  fix: string;
}

/** The real, symlink-free place of an artifact inside the root. */
export interface ResolvedTarget {
  /** Absolute real path of the file (symlinks inside the root followed). */
  file: string;
  /** What is there now: a regular file, or nothing. */
  stat?: fs.Stats;
}

const INSIDE_FIX =
  "use a relative path inside the project root (the --out directory), e.g. config/deploy.yml; to write another project, run with --out pointing at it";

/** Why a relative artifact path is not acceptable before looking at the disk, or undefined. */
export function artifactPathProblem(relative: string): Refusal | undefined {
  if (relative === "") return { reason: "the file path is empty", fix: INSIDE_FIX };
  if (relative.includes("\0")) return { reason: "the file path contains a NUL byte", fix: INSIDE_FIX };
  if (relative.includes("\\"))
    return {
      reason: "the file path contains a backslash; paths use forward slashes",
      fix: `write it as ${relative.replaceAll("\\", "/")}`,
    };
  const control = unrepresentableText(relative);
  if (control) return { reason: `the file path ${control}`, fix: INSIDE_FIX };
  if (relative.startsWith("/") || /^[A-Za-z]:/.test(relative))
    return { reason: "is an absolute path; files are written only inside the project root", fix: INSIDE_FIX };
  const segments = relative.split("/");
  if (segments.includes("..")) return { reason: "has a `..` segment, which leaves the project root", fix: INSIDE_FIX };
  if (segments.some((s) => s === "" || s === ".")) {
    return {
      reason: "has an empty or `.` segment",
      fix: `write it as ${segments.filter((s) => s !== "" && s !== ".").join("/") || "a file name"}`,
    };
  }
  return undefined;
}

export function isInside(root: string, file: string): boolean {
  return file === root || file.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** The root's real path; for a root that does not exist yet, its nearest existing ancestor's real path plus the rest. */
export function realRoot(outDir: string): string {
  const absolute = path.resolve(outDir);
  const missing: string[] = [];
  let current = absolute;
  for (;;) {
    try {
      return path.join(fs.realpathSync(current), ...missing.reverse());
    } catch (error) {
      if (!isErrno(error, "ENOENT") || path.dirname(current) === current) throw error;
      missing.push(path.basename(current));
      current = path.dirname(current);
    }
  }
}

/**
 * Walks `relative` below `root` (a real path) one component at a time with lstat: a symlink must
 * resolve inside the root, a directory component must be a directory, the last one a regular file
 * or absent. `dirs` caches directories already walked (by their unresolved path).
 */
export function resolveTarget(root: string, relative: string, dirs = new Map<string, string | Refusal>()): ResolvedTarget | Refusal {
  const early = artifactPathProblem(relative);
  if (early) return early;
  const segments = relative.split("/");
  const name = segments.pop()!;
  let dir = root;
  for (const [i, segment] of segments.entries()) {
    const key = segments.slice(0, i + 1).join("/");
    let next = dirs.get(key);
    if (next === undefined) {
      next = resolveDirectory(root, dir, segment, key);
      dirs.set(key, next);
    }
    if (typeof next !== "string") return next;
    dir = next;
  }
  return resolveFile(root, path.join(dir, name), relative);
}

function resolveDirectory(root: string, parent: string, segment: string, shown: string): string | Refusal {
  const candidate = path.join(parent, segment);
  const stat = lstat(candidate);
  if (stat === undefined) return candidate; // created on write; nothing below it exists
  if ("reason" in stat) return stat;
  if (stat.isSymbolicLink()) {
    const real = followLink(root, candidate, shown);
    if (typeof real !== "string") return real;
    const target = lstat(real);
    if (target && !("reason" in target) && !target.isDirectory()) return notADirectory(shown);
    return real;
  }
  return stat.isDirectory() ? candidate : notADirectory(shown);
}

function resolveFile(root: string, candidate: string, shown: string): ResolvedTarget | Refusal {
  let stat = lstat(candidate);
  let file = candidate;
  if (stat && !("reason" in stat) && stat.isSymbolicLink()) {
    const real = followLink(root, candidate, shown);
    if (typeof real !== "string") return real;
    file = real;
    stat = lstat(real);
  }
  if (stat === undefined) return { file };
  if ("reason" in stat) return stat;
  if (!stat.isFile()) {
    return {
      reason: `is ${kindOf(stat)}, not a regular file`,
      fix: `move it away (or choose another file name in the description) so ${shown} can be written`,
    };
  }
  return { file, stat };
}

function followLink(root: string, link: string, shown: string): string | Refusal {
  let real: string;
  try {
    real = fs.realpathSync(link);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === "ENOENT" ? "a path that does not exist" : `a path that cannot be resolved (${code})`;
    return {
      reason: `${shown} is a symlink to ${what}`,
      fix: `remove the symlink ${shown}, or create what it points to inside the project root`,
    };
  }
  if (!isInside(root, real)) {
    return {
      reason: `${shown} is a symlink to ${real}, outside the project root ${root}; files are written only inside it`,
      fix: `replace the symlink ${shown} with a real file or directory, or run with --out set to the directory that holds the real files`,
    };
  }
  return real;
}

function lstat(file: string): fs.Stats | Refusal | undefined {
  try {
    return fs.lstatSync(file);
  } catch (error) {
    if (isErrno(error, "ENOENT")) return undefined;
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    return {
      reason: `cannot be examined (${code}: ${(error as Error).message})`,
      fix: "check the permissions of the directories on the way, then run again",
    };
  }
}

function notADirectory(shown: string): Refusal {
  return {
    reason: `${shown} exists and is not a directory, but a file has to be written below it`,
    fix: `move ${shown} away, or choose another file name in the description`,
  };
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isFIFO()) return "a FIFO (named pipe)";
  if (stat.isSocket()) return "a socket";
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return "a device";
  return "not a regular file";
}

export function isErrno(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === code;
}
