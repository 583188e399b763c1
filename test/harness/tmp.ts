// Temporary directories for real-tool tests. Every directory made here is remembered and
// removed by cleanupTempDirs() (call it from afterEach/afterAll).
import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const made = new Set<string>();

/** Creates a fresh directory under os.tmpdir(), e.g. /tmp/<prefix>-AbC123, and returns its absolute path. */
export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix.replace(/[^A-Za-z0-9._-]/g, "_")}-`));
  made.add(dir);
  return dir;
}

/** Removes every directory created by makeTempDir() that still exists. Never throws. */
export async function cleanupTempDirs(): Promise<void> {
  const dirs = [...made];
  made.clear();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }).catch(() => undefined)));
}
