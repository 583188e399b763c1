// Freshness from a sentinel row: the generated writer (litestream-sentinel.sql) run by the "app side"
// with the real sqlite3, the real 0.3.13 / 0.5.17 binaries replicating, and the generated drill run by
// sh on the restored copies: fresh → pass, old → fail (stale), no table or no row → fail, each with its
// reason; without a sentinel for a database the drill says it used the newest backup's time.
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { binaryFor, hermeticEnv, startReplicate, stopAll, waitForBackup } from "./harness/litestream.js";
import { createWalDb, insertRows } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";
import { fileOf, fileStorage, RELEASE, tempProject, writeProject, type Line } from "./operations-support.js";
import type { ProjectInput } from "../src/index.js";
import { issuesOf } from "./support/issues.js";

afterAll(async () => {
  await stopAll();
  await cleanupTempDirs();
});

function run(command: string, args: string[], env: Record<string, string>, input?: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = execFile(command, args, { env: hermeticEnv(env), encoding: "utf8", timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, output: stdout + stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

const sqlite = async (db: string, sql: string) => {
  const r = await run("sqlite3", [db], {}, sql);
  expect(r.code, r.output).toBe(0);
};

describe.each(["0.3", "0.5"] as const)("sentinel freshness, Litestream %s", (line: Line) => {
  it("fresh → pass, old → stale, no table / no row → fail; others fall back to the newest backup", { timeout: 300_000 }, async () => {
    const dir = tempProject(`ops-sentinel-${line}`);
    const storage = await fileStorage(dir);
    const names = ["fresh", "epoch", "old", "notable", "norow"] as const;
    const path = (name: string) => join(dir, "data", `${name}.db`);
    mkdirSync(join(dir, "data"));
    const project = (sentinelDbs: string[]): ProjectInput => ({
      name: "ops",
      litestream: { version: line, release: RELEASE[line] },
      storage: storage.storage,
      replication: { syncInterval: "1s" },
      databases: names.map((name) => ({ name, path: path(name) })),
      verification: {
        maxAge: "1h",
        sentinel: { table: "litestream_sentinel", column: "written_at", maxAge: "10m", databases: sentinelDbs },
      },
    });
    const files = writeProject(dir, project([...names]));
    const writer = fileOf(files, "sentinel-sql");
    expect(writer.path).toBe("deploy/operations/litestream-sentinel.sql");
    for (const name of names) {
      await createWalDb(path(name));
      await insertRows(path(name), 1, 5);
    }
    // The app side: the generated writer, as the docs say to run it.
    const writerSql = readFileSync(join(dir, writer.path), "utf8");
    await sqlite(path("fresh"), writerSql);
    await sqlite(
      path("epoch"),
      `CREATE TABLE litestream_sentinel (written_at INTEGER); INSERT INTO litestream_sentinel VALUES (strftime('%s', 'now'));`,
    );
    await sqlite(path("old"), writerSql);
    await sqlite(path("old"), `UPDATE litestream_sentinel SET written_at = '2020-01-01T00:00:00Z';`);
    await sqlite(path("norow"), `CREATE TABLE litestream_sentinel (written_at TEXT);`);

    const config = join(dir, fileOf(files, "litestream-config").path);
    const replicate = startReplicate(config, { line });
    for (const name of names) await waitForBackup(config, path(name), dir, { line });
    expect((await replicate.stop()).code).toBe(0);

    const tmp = makeTempDir("ops-sentinel-tmp");
    const env = {
      LITESTREAM_CONFIG: config,
      LITESTREAM_BIN: binaryFor(line),
      TMPDIR: tmp,
      PATH: `${dirname(binaryFor(line))}:${process.env.PATH}`,
    };
    const script = join(dir, fileOf(files, "drill-script").path);
    expect((await run("shellcheck", ["-s", "sh", script], {})).output).toBe("");
    const all = await run("sh", [script], env);
    const verdict = (name: string) =>
      all.output.split("\n").find((l) => l.includes(`: ${path(name)}: `)) ?? `(no line for ${name})\n${all.output}`;
    expect(verdict("fresh")).toMatch(
      /^litestream-drill: pass: .*: restored, integrity ok, newest sentinel litestream_sentinel\.written_at \d+s old \(freshness from the sentinel\)$/,
    );
    expect(verdict("epoch")).toMatch(/^litestream-drill: pass: .*newest sentinel/);
    expect(verdict("old")).toMatch(
      /^litestream-drill: fail: .*: stale: the newest sentinel litestream_sentinel\.written_at is \d+s old, more than 10 minutes \(freshness from the sentinel\)$/,
    );
    expect(verdict("notable")).toMatch(
      /^litestream-drill: fail: .*: no sentinel in the restored copy: .*no such table: litestream_sentinel.*the app must write litestream_sentinel\.written_at/,
    );
    expect(verdict("norow")).toMatch(
      /^litestream-drill: fail: .*: no sentinel row in litestream_sentinel\.written_at of the restored copy/,
    );
    expect(all.output).toContain("litestream-drill: verdict: fail");
    expect(all.code).toBe(1);

    // Only "fresh" holds the sentinel: the others are checked by the newest backup's time, and say so.
    const onlyDir = makeTempDir("ops-sentinel-only");
    const only = join(onlyDir, fileOf(writeProject(onlyDir, project(["fresh"])), "drill-script").path);
    const pass = await run("busybox", ["sh", only], env);
    expect(pass.output).toMatch(/pass: .*fresh\.db: restored, integrity ok, newest sentinel/);
    expect(pass.output).toMatch(
      /pass: .*notable\.db: restored, integrity ok, newest backup \S+ \(freshness from the newest backup: no sentinel for this database\)/,
    );
    expect(pass.output).toContain("litestream-drill: verdict: pass");
    expect(pass.code).toBe(0);
  });
});

describe("sentinel settings", () => {
  const base: ProjectInput = {
    name: "ops",
    litestream: { version: "0.5", release: "0.5.17" },
    storage: { provider: "file", path: "/var/backups/app" },
    databases: [{ name: "app", path: "/srv/app.db" }],
  };
  it("refuses a sentinel database that does not exist and identifiers that are not plain", () => {
    const issues = (verification: unknown) => issuesOf({ ...base, verification });
    expect(issues({ sentinel: { table: "t", column: "c", databases: ["nope"] } }).map((i) => i.code)).toEqual([
      "verification.sentinel.database",
    ]);
    expect(issues({ sentinel: { table: "t; DROP", column: "c" } })[0]).toMatchObject({ path: ["verification", "sentinel", "table"] });
  });
});
