// A backup of a database holding rows "backed-1,backed-2", made by the real Litestream with the
// generated config; the database is removed afterwards, as on a new host or container.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { expect } from "vitest";
import { runLitestream, type LitestreamLine } from "../harness/litestream.js";
import { sqlite } from "../harness/sqlite.js";

export async function leaveBackup(opts: {
  dir: string;
  db: string;
  config: string;
  line: LitestreamLine;
  env: Record<string, string>;
}): Promise<void> {
  const { dir, db, config, line, env } = opts;
  mkdirSync(dirname(db), { recursive: true });
  await sqlite(
    db,
    "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('backed-1'), ('backed-2');",
  );
  const probe = join(dir, "probe.db");
  const waiter = join(dir, "wait-for-backup");
  // Replicates until a restore of the replica returns both rows, then stops (SIGTERM: final sync).
  writeFileSync(waiter, `#!/bin/sh\n${untilReplicaHoldsRows({ config, db, probe, rows: 2 })}`);
  chmodSync(waiter, 0o755);
  const r = await runLitestream(["replicate", "-config", config, "-exec", waiter], { line, env, timeoutMs: 120_000 });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${db}${suffix}`, { force: true });
  rmSync(join(dirname(db), `.${basename(db)}-litestream`), { recursive: true, force: true });
  rmSync(probe, { force: true });
  rmSync(waiter, { force: true });
}

/** sh lines (for `replicate -exec`) that wait until a restore of the replica holds `rows` rows of t; exit 9 after 60 s. */
export function untilReplicaHoldsRows(o: { config: string; db: string; probe: string; rows: number }): string {
  return `i=0
until rm -f '${o.probe}' && litestream restore -config '${o.config}' -o '${o.probe}' '${o.db}' >/dev/null 2>&1 && [ "$(sqlite3 '${o.probe}' 'SELECT count(*) FROM t')" = ${o.rows} ]; do
  i=$((i + 1)); if [ "$i" -gt 300 ]; then exit 9; fi
  sleep 0.2
done
`;
}
