// Tiny helpers over the Debian `sqlite3` CLI (execFile, never a shell).
import { execFile } from "node:child_process";
import { access } from "node:fs/promises";

export const sqliteBinary = process.env.SQLITE3_BIN ?? "/usr/bin/sqlite3";

/**
 * Runs `sql` (one or more statements) against `dbPath` and returns stdout (list mode, `|` separator).
 * Rejects with the CLI's stderr on failure. A 5 s busy timeout is set because a running
 * `litestream replicate` holds locks on the database from time to time.
 */
export function sqlite(dbPath: string, sql: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      sqliteBinary,
      ["-batch", "-bail", "-cmd", ".timeout 5000", dbPath, sql],
      { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, timeout: 30_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`sqlite3 ${dbPath} failed: ${stderr.trim() || err.message}\nSQL: ${sql}`));
        else resolve(stdout);
      },
    );
  });
}

/** Creates a new database in WAL mode with table t(id INTEGER PRIMARY KEY, v TEXT). */
export async function createWalDb(path: string): Promise<void> {
  const out = await sqlite(path, "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);");
  if (out.trim() !== "wal") throw new Error(`could not set WAL mode on ${path}: ${out}`);
}

/** Inserts rows id = from..to (inclusive) with v = 'row-<id>', in ONE transaction (one statement). */
export async function insertRows(path: string, from: number, to: number): Promise<void> {
  if (!Number.isInteger(from) || !Number.isInteger(to) || from > to) {
    throw new Error(`insertRows: bad range ${from}..${to}`);
  }
  await sqlite(
    path,
    `INSERT INTO t(id, v) WITH RECURSIVE c(x) AS (SELECT ${from} UNION ALL SELECT x + 1 FROM c WHERE x < ${to}) ` +
      `SELECT x, 'row-' || x FROM c;`,
  );
}

/** The expected readRows() output for rows from..to as written by insertRows(). */
export function expectedRows(from: number, to: number): string[] {
  const rows: string[] = [];
  for (let i = from; i <= to; i++) rows.push(`${i}|row-${i}`);
  return rows;
}

/**
 * Returns the rows of t as "id|v" strings, ordered by id. Rejects if the file does not exist
 * (the sqlite3 CLI would otherwise silently create an empty database).
 */
export async function readRows(path: string): Promise<string[]> {
  await access(path);
  const out = await sqlite(path, "SELECT id, v FROM t ORDER BY id;");
  return out.split("\n").filter((l) => l !== "");
}
