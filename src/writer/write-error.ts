/** A file the writer would not or could not write, with what to do about it. Nothing was changed. */
export class WriteError extends Error {
  constructor(
    /** The artifact path (relative to the project root), or the root itself. */
    readonly path: string,
    readonly reason: string,
    readonly fix: string,
  ) {
    super(`${path}: ${reason}\n  → ${fix}`);
    this.name = "WriteError";
  }
}

/** The WriteError for an I/O call on `relative` that failed in directory `where`. */
export function ioWriteError(relative: string, error: unknown, where: string, doing: "writing" | "reading" = "writing"): WriteError {
  const { reason, fix } = describeIoError(error, where, doing);
  return new WriteError(relative, reason, fix);
}

function describeIoError(error: unknown, where: string, doing: string): { reason: string; fix: string } {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOSPC":
    case "EDQUOT":
      return { reason: `the disk is full (${code}) ${doing} in ${where}`, fix: "free space on that device, then run again" };
    case "EACCES":
    case "EPERM":
      return {
        reason: `permission denied (${code}) ${doing} in ${where}`,
        fix: `make that ${doing === "reading" ? "file readable" : "directory writable"} for this user (or run as its owner), then run again`,
      };
    case "EROFS":
      return { reason: `${where} is on a read-only file system (EROFS)`, fix: "run on a writable checkout, or use --check / --dry-run" };
    default:
      return { reason: `${code ?? "error"} ${doing} in ${where}: ${(error as Error).message}`, fix: "fix the cause, then run again" };
  }
}
