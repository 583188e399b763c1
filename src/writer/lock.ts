/**
 * One writing run per project root: `.litestream-deploy.lock` holds the writer's pid and process
 * start time. It is created complete and atomically (written to a temp file, then hard-linked into
 * place, which fails if a lock exists). A lock whose process is gone is taken over; a live one is
 * waited for, up to a bound.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isErrno } from "./paths.js";

export const LOCK_FILE = ".litestream-deploy.lock";

interface LockOwner {
  pid: number;
  /** Field 22 of /proc/<pid>/stat (start time in clock ticks), to tell a reused pid apart; null off Linux. */
  start: string | null;
  host: string;
}

export class LockBusyError extends Error {
  constructor(
    readonly lockFile: string,
    readonly owner: LockOwner,
  ) {
    super(`another litestream-deploy run (pid ${owner.pid} on ${owner.host}) holds ${lockFile}`);
  }
}

export interface LockOptions {
  /** How long to wait for a live lock before giving up (default 10 s). */
  timeoutMs?: number;
  /** Told when a stale lock is taken over, and once when waiting for a live one starts. */
  onMessage?: (text: string) => void;
}

/** Takes the lock on `root` (which must exist) and returns its release. */
export function acquireLock(root: string, options: LockOptions = {}): () => void {
  const lockFile = path.join(root, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, start: processStart(process.pid), host: os.hostname() };
  const content = `${JSON.stringify(me)}\n`;
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  let waiting = false;
  for (;;) {
    if (tryCreate(lockFile, content)) {
      removeDeadRunsTemps(root);
      return () => releaseIfOurs(lockFile, content);
    }
    const held = readLock(lockFile);
    if (held === undefined) continue; // released between our attempt and the read
    const owner = parseOwner(held);
    if (!owner || isGone(owner)) {
      // Remove it only if it is still the same stale lock (another run may have taken it over meanwhile).
      if (readLock(lockFile) === held) {
        removeQuietly(lockFile);
        options.onMessage?.(
          owner
            ? `took over the stale lock ${lockFile} left by pid ${owner.pid}, which is no longer running`
            : `took over the unreadable lock ${lockFile}`,
        );
      }
      continue;
    }
    if (Date.now() >= deadline) throw new LockBusyError(lockFile, owner);
    if (!waiting) options.onMessage?.(`waiting for another litestream-deploy run (pid ${owner.pid}) to finish writing this project`);
    waiting = true;
    sleep(50);
  }
}

/** `.litestream-deploy.lock.<pid>.<random>.tmp`: a lock being created (left behind only by a killed run). */
const LOCK_TEMP = /^\.litestream-deploy\.lock\.(\d+)\.[0-9a-f]+\.tmp$/;

function tryCreate(lockFile: string, content: string): boolean {
  const temp = `${lockFile}.${process.pid}.${Math.random().toString(16).slice(2)}.tmp`;
  fs.writeFileSync(temp, content, { flag: "wx", mode: 0o644 });
  try {
    fs.linkSync(temp, lockFile);
    return true;
  } catch (error) {
    if (isErrno(error, "EEXIST")) return false;
    throw error;
  } finally {
    removeQuietly(temp);
  }
}

function removeDeadRunsTemps(root: string): void {
  for (const name of fs.readdirSync(root)) {
    const pid = LOCK_TEMP.exec(name)?.[1];
    if (pid !== undefined && isGone({ pid: Number(pid), start: null, host: os.hostname() })) removeQuietly(path.join(root, name));
  }
}

function releaseIfOurs(lockFile: string, content: string): void {
  if (readLock(lockFile) === content) removeQuietly(lockFile);
}

function readLock(lockFile: string): string | undefined {
  try {
    return fs.readFileSync(lockFile, "utf8");
  } catch (error) {
    if (isErrno(error, "ENOENT")) return undefined;
    throw error;
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const owner = JSON.parse(text) as LockOwner;
    return Number.isInteger(owner.pid) && owner.pid > 0 ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** A lock from another host cannot be judged here: it counts as live. */
function isGone(owner: LockOwner): boolean {
  if (owner.host !== os.hostname()) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if (isErrno(error, "ESRCH")) return true;
  }
  const now = procStat(owner.pid);
  if (now?.state === "Z") return true; // killed, not yet reaped by its parent
  return owner.start !== null && now !== undefined && now.start !== owner.start;
}

function processStart(pid: number): string | null {
  return procStat(pid)?.start ?? null;
}

function procStat(pid: number): { state: string; start: string } | undefined {
  try {
    // The command name (field 2) is parenthesised and may contain spaces: split after its closing parenthesis.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { state: fields[0]!, start: fields[19]! };
  } catch {
    return undefined;
  }
}

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch (error) {
    if (!isErrno(error, "ENOENT")) throw error;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
