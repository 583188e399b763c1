// Proves the real-tool harness against the real Litestream v0.3.13 binary, the sqlite3 CLI and
// s3rver. Configs are hand-written strings here (the generator is tested elsewhere).
import { writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { listDatabases, liveReplicateCount, litestreamBinary, runLitestream, startReplicate, stopAll } from "./harness/litestream.js";
import { closeAllProxies, startTcpProxy } from "./harness/proxy.js";
import { closeAllS3, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, startS3 } from "./harness/s3.js";
import { createWalDb, expectedRows, insertRows, readRows } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

const SYNCED = /wal segment written/;

afterEach(async () => {
  await stopAll();
  await closeAllProxies();
  await closeAllS3();
  await cleanupTempDirs();
});
afterAll(async () => {
  await stopAll();
  await closeAllS3();
  await cleanupTempDirs();
});

function writeConfig(dir: string, yaml: string): string {
  const p = join(dir, "litestream.yml");
  writeFileSync(p, yaml);
  return p;
}

/** A 0.3 config: one DB, one file replica, 100 ms monitor and sync intervals. */
function fileConfig(dbPath: string, replicaDir: string, syncInterval = "100ms"): string {
  return [
    "dbs:",
    `  - path: ${dbPath}`,
    `    monitor-interval: "100ms"`,
    "    replicas:",
    "      - type: file",
    `        path: ${replicaDir}`,
    `        sync-interval: "${syncInterval}"`,
    "",
  ].join("\n");
}

async function restore(configPath: string, out: string, dbPath: string, extra: string[] = [], env?: Record<string, string>) {
  // Go flag parsing: flags BEFORE the positional DB path.
  const r = await runLitestream(["restore", "-config", configPath, ...extra, "-o", out, dbPath], { env });
  expect(r.code, `restore failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

describe("harness: litestream binary", () => {
  it("resolves a runnable v0.3.13 binary", async () => {
    const r = await runLitestream(["version"]);
    expect(litestreamBinary).toMatch(/\/litestream$/);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("v0.3.13");
  });

  it("runLitestream reports a non-zero exit instead of throwing", async () => {
    const dir = makeTempDir("ls-missing");
    const r = await runLitestream(["databases", "-config", join(dir, "nope.yml")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("config file not found");
  });
});

describe("harness: listDatabases", () => {
  it("lists both DBs of a 0.3 config with their replica names", async () => {
    const dir = makeTempDir("ls-dbs");
    const cfg = writeConfig(
      dir,
      [
        "dbs:",
        `  - path: ${dir}/one.db`,
        "    replicas:",
        "      - name: local",
        "        type: file",
        `        path: ${dir}/rep-one`,
        `  - path: ${dir}/two.db`,
        "    replicas:",
        "      - type: file", // unnamed: listed under its type
        `        path: ${dir}/rep-two`,
        "",
      ].join("\n"),
    );
    expect(await listDatabases(cfg)).toEqual([
      { path: `${dir}/one.db`, replicas: ["local"] },
      { path: `${dir}/two.db`, replicas: ["file"] },
    ]);
  });

  it("shows NO replicas for the 0.5-style singular `replica:` key (silently ignored by 0.3.13)", async () => {
    const dir = makeTempDir("ls-dbs05");
    const cfg = writeConfig(
      dir,
      ["dbs:", `  - path: ${dir}/app.db`, "    replica:", "      type: file", `      path: ${dir}/rep`, ""].join("\n"),
    );
    const r = await runLitestream(["databases", "-config", cfg]);
    expect(r.code).toBe(0); // accepted without any warning...
    expect(r.stderr).toBe("");
    expect(await listDatabases(cfg)).toEqual([{ path: `${dir}/app.db`, replicas: [] }]); // ...and no replica
  });
});

describe("harness: file replica", () => {
  it("SIGTERM performs a final sync (rows written just before stop() are restored)", async () => {
    const dir = makeTempDir("ls-term");
    const db = join(dir, "app.db");
    const rep = join(dir, "replica");
    await createWalDb(db);
    const cfg = writeConfig(dir, fileConfig(db, rep, "1h")); // no periodic replica sync in the test window
    const h = startReplicate(cfg);
    await h.waitForLog(SYNCED, 10_000); // DB initialised (first monitor tick) + first snapshot
    await insertRows(db, 1, 20);
    const stopped = await h.stop(); // immediately
    expect(stopped.code).toBe(0);
    const out = join(dir, "restored.db");
    await restore(cfg, out, db);
    expect(await readRows(out)).toEqual(expectedRows(1, 20));
  });
});

describe("harness: S3 round trip via s3rver", () => {
  it("replicates to s3rver with env-only credentials, then restores", async () => {
    const s3 = await startS3({ buckets: ["backups"] });
    expect(s3.endpoint).toBe(`http://127.0.0.1:${s3.port}`);
    const dir = makeTempDir("ls-s3");
    const db = join(dir, "app.db");
    await createWalDb(db);
    await insertRows(db, 1, 50);
    const yaml = [
      "dbs:",
      `  - path: ${db}`,
      `    monitor-interval: "100ms"`,
      "    replicas:",
      "      - type: s3",
      "        bucket: backups",
      "        path: app/db",
      `        endpoint: ${s3.endpoint}`,
      "        region: us-east-1",
      `        sync-interval: "100ms"`,
      "",
    ].join("\n");
    expect(yaml).not.toContain(S3_ACCESS_KEY_ID); // credentials only via the environment
    const cfg = writeConfig(dir, yaml);
    const env = { LITESTREAM_ACCESS_KEY_ID: S3_ACCESS_KEY_ID, LITESTREAM_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY };

    const h = startReplicate(cfg, { env });
    await h.waitForLog(SYNCED, 10_000);
    const mark = h.mark();
    await insertRows(db, 51, 60);
    await h.waitForLog(SYNCED, 10_000, mark); // shipped before stopping (the SIGTERM sync has its own test)
    expect((await h.stop()).code).toBe(0);

    const keys = await s3.listKeys("backups");
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => k.startsWith("app/db/generations/"))).toBe(true);
    expect(keys.some((k) => /^app\/db\/generations\/[0-9a-f]{16}\/snapshots\/[0-9a-f]{8}\.snapshot\.lz4$/.test(k))).toBe(true);
    expect(keys.some((k) => /^app\/db\/generations\/[0-9a-f]{16}\/wal\/[0-9a-f]{8}_[0-9a-f]{8}\.wal\.lz4$/.test(k))).toBe(true);

    // the listing fix: a delimited listing returns the generation as a CommonPrefix
    const gen = keys[0]!.split("/").slice(0, 4).join("/") + "/";
    expect(await s3.listHttp("backups", { prefix: "app/db/generations/", delimiter: "/" })).toEqual({
      keys: [],
      commonPrefixes: [gen],
    });

    const out = join(dir, "restored.db");
    await restore(cfg, out, db, [], env);
    expect(await readRows(out)).toEqual(expectedRows(1, 60));
  });
});

describe("harness: s3rver stores an object only when its whole body arrived, as S3 does", () => {
  const put = (port: number, path: string, declared: number, body: string, cut: boolean) =>
    new Promise<void>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.write(`PUT ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${declared}\r\n\r\n${body}`);
        if (cut) setTimeout(() => socket.destroy(), 200);
      });
      socket.on("data", () => socket.end());
      socket.on("close", () => resolve());
      socket.on("error", () => resolve());
    });

  it("a PUT cut off before its Content-Length leaves nothing; a whole one is stored", async () => {
    const s3 = await startS3({ buckets: ["backups"] });
    await put(s3.port, "/backups/cut.ltx", 100, "only ten b", true);
    await put(s3.port, "/backups/whole.ltx", 10, "all ten by", false);
    await new Promise((r) => setTimeout(r, 200));
    expect(await s3.listKeys("backups")).toEqual(["whole.ltx"]);
  });
});

describe("harness: stalling TCP proxy in front of s3rver", () => {
  it("forwards, holds requests until release, and refuses connections while unreachable", async () => {
    const s3 = await startS3({ buckets: ["backups"] });
    const proxy = await startTcpProxy(s3.port);
    const list = () => fetch(`${proxy.endpoint}/backups?list-type=2`).then((r) => r.status);
    expect(await list()).toBe(200);

    proxy.hold();
    let answered = false;
    const pending = list().then((status) => {
      answered = true;
      return status;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(answered).toBe(false); // held, not failed
    proxy.release();
    expect(await pending).toBe(200);

    proxy.refuse();
    await expect(list()).rejects.toThrow();
    proxy.release();
    expect(await list()).toBe(200);
  });
});

describe("harness: cleanup", () => {
  it("leaves no replicate process running after stopAll()", async () => {
    const dir = makeTempDir("ls-leak");
    const db = join(dir, "app.db");
    await createWalDb(db);
    const cfg = writeConfig(dir, fileConfig(db, join(dir, "rep")));
    const a = startReplicate(cfg);
    await a.waitForLog(/replicating to/, 10_000);
    expect(liveReplicateCount()).toBe(1);
    await stopAll();
    expect(liveReplicateCount()).toBe(0);
    expect(a.exited()).toBe(true);
    expect(() => process.kill(a.pid!, 0)).toThrow(); // ESRCH: really gone
  });
});
