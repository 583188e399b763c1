/**
 * All files of one run or none: every new content is staged in a temp file next to its target
 * (O_EXCL, final mode set, fsynced), then all are renamed into place. A failure before the renames
 * removes the temp files and the directories this run created; a failure during them puts back the
 * files already renamed, from the bytes read when planning.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { isErrno, isInside } from "./paths.js";
import { ioWriteError, WriteError } from "./write-error.js";

export interface PlannedWrite {
  /** The artifact path, for messages. */
  relative: string;
  /** Absolute real path of the target. */
  file: string;
  bytes: Buffer;
  mode: number;
  /** The file there now, as read when planning. */
  before?: { bytes: Buffer; stat: fs.Stats };
}

/** Temp files of this writer: `.<name>.litestream-deploy.<pid>.<random>.tmp`. */
const TEMP_FILE = /^\..*\.litestream-deploy\.\d+\.[0-9a-f]+\.tmp$/;

export function commitAll(root: string, writes: PlannedWrite[]): void {
  const createdDirs: string[] = [];
  const staged: Array<{ write: PlannedWrite; temp: string }> = [];
  const renamed: PlannedWrite[] = [];
  try {
    for (const dir of new Set(writes.map((w) => path.dirname(w.file)))) makeDirectories(root, dir, createdDirs);
    for (const write of writes) staged.push({ write, temp: stage(write) });
    for (const { write } of staged) assertUnchangedSincePlan(write);
    for (const { write, temp } of staged) {
      renameOrFail(temp, write);
      renamed.push(write);
    }
  } catch (error) {
    for (const write of renamed.reverse()) putBack(write);
    for (const { temp } of staged) removeQuietly(temp);
    for (const dir of createdDirs.reverse()) removeDirQuietly(dir);
    throw error;
  }
  for (const dir of new Set(writes.map((w) => path.dirname(w.file)))) fsyncDirectory(dir);
}

/** Removes temp files a killed run left in `dirs` (call while holding the lock: no other run is staging). */
export function removeLeftoverTemps(dirs: Iterable<string>): void {
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) if (TEMP_FILE.test(name)) removeQuietly(path.join(dir, name));
  }
}

function makeDirectories(root: string, dir: string, created: string[]): void {
  const missing: string[] = [];
  for (let d = dir; !fs.existsSync(d); d = path.dirname(d)) missing.unshift(d);
  for (const d of missing) {
    try {
      fs.mkdirSync(d);
      created.push(d);
    } catch (error) {
      if (!isErrno(error, "EEXIST")) throw ioWriteError(path.relative(root, d) || ".", error, path.dirname(d));
    }
  }
  // Re-check after creating: a symlink swapped in since planning must not lead out of the root.
  if (!isInside(root, fs.realpathSync(dir))) {
    throw new WriteError(
      path.relative(root, dir),
      "changed into a symlink out of the project root while writing",
      "check who else writes this directory, then run again",
    );
  }
}

function stage(write: PlannedWrite): string {
  const dir = path.dirname(write.file);
  const temp = path.join(
    dir,
    `.${path.basename(write.file).slice(0, 100)}.litestream-deploy.${process.pid}.${randomBytes(6).toString("hex")}.tmp`,
  );
  let fd: number | undefined;
  try {
    fd = fs.openSync(temp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_NOFOLLOW, 0o600);
    for (let offset = 0; offset < write.bytes.length;) offset += fs.writeSync(fd, write.bytes, offset);
    fs.fchmodSync(fd, write.mode);
    keepOwner(fd, write.before?.stat);
    fs.fsyncSync(fd);
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    removeQuietly(temp);
    throw ioWriteError(write.relative, error, dir);
  }
  fs.closeSync(fd);
  return temp;
}

/** rename() gives the file a new owner (the runner); give it back the old one when allowed. */
function keepOwner(fd: number, before: fs.Stats | undefined): void {
  if (!before) return;
  const uid = process.getuid?.();
  const gid = process.getgid?.();
  if (before.uid === uid && before.gid === gid) return;
  try {
    fs.fchownSync(fd, before.uid, before.gid);
  } catch (error) {
    if (!isErrno(error, "EPERM")) throw error;
  }
}

function assertUnchangedSincePlan(write: PlannedWrite): void {
  let now: fs.Stats | undefined;
  try {
    now = fs.lstatSync(write.file);
  } catch (error) {
    if (!isErrno(error, "ENOENT")) throw error;
  }
  const was = write.before?.stat;
  const same =
    now === undefined
      ? was === undefined
      : was !== undefined && now.ino === was.ino && now.size === was.size && now.mtimeMs === was.mtimeMs;
  if (!same)
    throw new WriteError(write.relative, "changed on disk while this run was writing", "run again (another program edited it meanwhile)");
}

function renameOrFail(temp: string, write: PlannedWrite): void {
  try {
    fs.renameSync(temp, write.file);
  } catch (error) {
    throw ioWriteError(write.relative, error, path.dirname(write.file));
  }
}

function putBack(write: PlannedWrite): void {
  try {
    if (!write.before) return removeQuietly(write.file);
    const temp = stage({ ...write, bytes: write.before.bytes, mode: write.before.stat.mode & 0o7777 });
    fs.renameSync(temp, write.file);
  } catch {
    // Best effort: the error that started the rollback is the one reported.
  }
}

function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    // already gone
  }
}

function removeDirQuietly(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // not empty or already gone: leave it
  }
}
