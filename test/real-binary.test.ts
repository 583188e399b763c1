// Generated configs proven by the real binaries (0.3.13 and the official 0.5.17): every example and every
// feature parses with every database and replica present; replicate → restore round trips work (file with
// point-in-time, S3); and the restore-on-boot behaviour the generated steps rely on (docs/lifecycle.md).
import { execFile } from "node:child_process";
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { generate, type ProjectInput } from "../src/index.js";
import { literalPath } from "../src/plan/model.js";
import { envBindings } from "../src/env-mapping.js";
import { restoreMissingDatabase, EMPTY_DB_SUFFIX } from "../src/render/restore-steps.js";
import { shellWord, shellWords } from "../src/render/quote/sh.js";
import {
  binaryFor,
  hermeticEnv,
  listDatabases,
  runLitestream,
  runRestore,
  type LitestreamLine,
  type RunOptions,
  startReplicate,
  stopAll,
  waitForBackup,
} from "./harness/litestream.js";
import { closeAllS3, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, startS3 } from "./harness/s3.js";
import { createWalDb, expectedRows, insertRows, readRows, sqlite } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";
import { exampleNames, loadExample } from "./support/examples.js";

const SYNCED = /wal segment written/;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterEach(async () => {
  await stopAll();
  await closeAllS3();
  await cleanupTempDirs();
});

/** Generates the single environment's litestream.yml into `dir` and returns its path. */
function writeGeneratedConfig(description: ProjectInput, dir: string): string {
  const { files } = generate(description);
  const configs = files.filter((f) => f.kind === "litestream-config");
  expect(configs).toHaveLength(1);
  const file = join(dir, "litestream.yml");
  writeFileSync(file, configs[0]!.content);
  return file;
}

async function restore(config: string, output: string, db: string, extra: string[] = []): Promise<void> {
  // Go flag parsing: flags before the positional database path (litestream-facts.md §4).
  const result = await runLitestream(["restore", "-config", config, ...extra, "-o", output, db]);
  expect(result.code, result.stdout + result.stderr).toBe(0);
}

describe("every example's config, loaded by litestream databases of its release line", async () => {
  const cases: Array<[string, string, LitestreamLine]> = [];
  for (const name of exampleNames()) {
    const { files, plan } = generate(await loadExample(name));
    for (const file of files.filter((f) => f.kind === "litestream-config")) cases.push([name, file.path, plan.litestream.version]);
  }

  it.each(cases)("%s: %s lists every database and every replica (Litestream %s)", async (name, path, line) => {
    const { files, plan } = generate(await loadExample(name));
    const file = files.find((f) => f.path === path)!;
    const env = plan.environments.find((e) => e.configFile === path)!;
    const dir = makeTempDir("ld-databases");
    writeFileSync(join(dir, "litestream.yml"), file.content);
    const listed = await listDatabases(join(dir, "litestream.yml"), placeholderEnv(env), line);
    // Catches silently ignored keys: a misspelt `replicas`, or 0.5's `replica:` on 0.3, lists no replica.
    // 0.3 lists replica names; 0.5 has one replica per database and lists its type ("gcs" is "gs" there).
    expect(listed).toEqual(
      env.databases.map((db) => ({
        path: literalPath(db.path),
        replicas: db.replicas.map((r) => (line === "0.3" ? r.name : r.type === "gcs" ? "gs" : r.type)),
      })),
    );
  });

  it("covers the configs of both release lines", () => {
    expect(cases.filter(([, , line]) => line === "0.3").length).toBeGreaterThanOrEqual(4);
    expect(cases.filter(([, , line]) => line === "0.5").length).toBeGreaterThanOrEqual(1);
  });
});

/** Variables the config expands at start-up (${LITESTREAM_…}), set to harmless placeholders. */
function placeholderEnv(env: { env: Array<{ name: string; expandedInConfig: boolean }> }): Record<string, string> {
  return Object.fromEntries(
    env.env
      .filter((v) => v.expandedInConfig)
      .map((v) => [v.name, v.name.includes("URL") ? "https://hc.example.invalid/ping" : "placeholder"]),
  );
}

describe("round trip to a file replica", () => {
  it("replicates, restores the latest state, and restores a point in time", async () => {
    const dir = makeTempDir("ld-file");
    const db = join(dir, "app.db");
    const backups = join(dir, "backups");
    await createWalDb(db);
    const config = writeGeneratedConfig(
      {
        name: "roundtrip",
        litestream: { version: "0.3" },
        storage: { provider: "file", path: backups },
        replication: { syncInterval: "100ms", retention: "1h", snapshotInterval: "1h" },
        databases: [{ name: "app", path: db }],
      },
      dir,
    );

    const replicate = startReplicate(config);
    await replicate.waitForLog(SYNCED, 15_000);
    let mark = replicate.mark();
    await insertRows(db, 1, 40);
    await replicate.waitForLog(SYNCED, 10_000, mark);

    // WAL segments are dated by upload time: leave a gap and take the timestamp in its middle.
    await sleep(700);
    const between = new Date().toISOString();
    await sleep(700);

    mark = replicate.mark();
    await insertRows(db, 41, 80);
    await replicate.waitForLog(SYNCED, 10_000, mark);
    expect((await replicate.stop()).code).toBe(0);

    await restore(config, join(dir, "latest.db"), db);
    expect(await readRows(join(dir, "latest.db"))).toEqual(expectedRows(1, 80));
    await restore(config, join(dir, "pit.db"), db, ["-timestamp", between]);
    expect(await readRows(join(dir, "pit.db"))).toEqual(expectedRows(1, 40));
  });
});

const RELEASE_05 = "0.5.17";

/**
 * `<dir>/app.db` with rows 1–25 and its generated config replicating to `endpoint` under
 * app-backups/prod/sqlite/main; `env` is what the plan says Litestream reads the user's credentials from.
 */
async function s3RoundTripSetup(line: LitestreamLine, endpoint: string) {
  const dir = makeTempDir(`ld-s3-${line}`);
  const db = join(dir, "app.db");
  await createWalDb(db);
  await insertRows(db, 1, 25);
  const description: ProjectInput = {
    name: "roundtrip",
    litestream: line === "0.5" ? { version: "0.5", release: RELEASE_05 } : { version: "0.3" },
    storage: {
      provider: "minio",
      endpoint,
      bucket: "app-backups",
      prefix: "prod/sqlite",
      // The user's own variable names; the plan maps them to names Litestream reads.
      credentials: { accessKeyId: { env: "MY_S3_KEY" }, secretAccessKey: { env: "MY_S3_SECRET" } },
    },
    replication: { syncInterval: "100ms" },
    databases: [{ name: "main", path: db }],
  };
  const config = writeGeneratedConfig(description, dir);
  expect(readFileSync(config, "utf8")).not.toContain(S3_SECRET_ACCESS_KEY); // credentials only in the environment
  const { plan } = generate(description);
  const userEnv: Record<string, string> = { MY_S3_KEY: S3_ACCESS_KEY_ID, MY_S3_SECRET: S3_SECRET_ACCESS_KEY };
  const env = Object.fromEntries(envBindings(plan.environments[0]!).map((b) => [b.name, userEnv[b.secretName]!]));
  expect(Object.keys(env).sort()).toEqual(["LITESTREAM_ACCESS_KEY_ID", "LITESTREAM_SECRET_ACCESS_KEY"]);
  return { dir, db, config, env };
}

describe("round trip to S3 (s3rver on 127.0.0.1)", () => {
  it("uploads under bucket/prefix/database with credentials only from the environment, then restores", async () => {
    const s3 = await startS3({ buckets: ["app-backups"] });
    const { dir, db, config, env } = await s3RoundTripSetup("0.3", s3.endpoint);

    const replicate = startReplicate(config, { env });
    await replicate.waitForLog(SYNCED, 15_000);
    const mark = replicate.mark();
    await insertRows(db, 26, 50);
    await replicate.waitForLog(SYNCED, 10_000, mark);
    expect((await replicate.stop()).code).toBe(0);

    const keys = await s3.listKeys("app-backups");
    expect(keys.length).toBeGreaterThan(0);
    expect(
      keys.every((k) => /^prod\/sqlite\/main\/generations\/[0-9a-f]{16}\/(snapshots|wal)\//.test(k)),
      keys.join("\n"),
    ).toBe(true);
    expect(keys.some((k) => k.includes("/snapshots/"))).toBe(true);

    const restored = join(dir, "restored.db");
    const result = await runLitestream(["restore", "-config", config, "-o", restored, db], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await readRows(restored)).toEqual(expectedRows(1, 50));
  });
});

describe("every 0.3 feature the description can express, loaded by the real binary", () => {
  it("lists every replica of every provider type, with age recipients, logging, metrics and validation", async () => {
    const dir = makeTempDir("ld-features");
    const creds = { accessKeyId: { env: "KEY" }, secretAccessKey: { env: "SECRET" } };
    const config = writeGeneratedConfig(
      {
        name: "features",
        litestream: { version: "0.3" },
        replicas: [
          { provider: "file", name: "local", path: join(dir, "backups") },
          { provider: "b2", region: "us-west-002", bucket: "b2-bucket", credentials: creds },
          { provider: "gcs", bucket: "gcs-bucket", prefix: "app" },
          {
            provider: "azure",
            name: "azure",
            accountName: "myaccount",
            bucket: "container",
            credentials: { accountKey: { env: "AZ_KEY" } },
          },
          { provider: "sftp", host: "backup.example.com:22", user: "backup", path: "/srv/backups", keyPath: "/etc/litestream/id_ed25519" },
        ],
        replication: { syncInterval: "1s", validationInterval: "12h", retentionCheckInterval: "30m" },
        encryption: { age: { recipients: ["age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq"] } },
        monitoring: { addr: "127.0.0.1:9090" },
        logging: { level: "debug", type: "json", stderr: true },
        databases: [
          { name: "main", path: join(dir, "main.db"), role: "primary" },
          { name: "jobs", path: join(dir, "jobs.db"), role: "queue" },
        ],
      },
      dir,
    );
    expect(await listDatabases(config)).toEqual([
      { path: join(dir, "main.db"), replicas: ["local", "b2", "gcs", "azure", "sftp"] },
      { path: join(dir, "jobs.db"), replicas: ["local", "b2", "gcs", "azure", "sftp"] },
    ]);
  });
});

/** The rows a restore of `db` returns, polled every 250 ms until they equal `expected` (or 15 s passed). */
async function rowsOnceReplicated(config: string, db: string, dir: string, expected: string[], opts: RunOptions): Promise<string[]> {
  const deadline = Date.now() + 15_000;
  for (let attempt = 0; ; attempt++) {
    const output = join(dir, `probe-${attempt}.db`);
    const r = await runRestore(config, db, output, opts);
    const rows = r.code === 0 ? await readRows(output) : [];
    if (JSON.stringify(rows) === JSON.stringify(expected) || Date.now() > deadline) return rows;
    await sleep(250);
  }
}

describe("0.5 round trip to a file replica", () => {
  it("replicates, restores the latest state, and restores a point in time with -timestamp", async () => {
    const dir = makeTempDir("ld-file05");
    const db = join(dir, "app.db");
    await createWalDb(db);
    const config = writeGeneratedConfig(
      {
        name: "roundtrip",
        litestream: { version: "0.5", release: RELEASE_05 },
        storage: { provider: "file", path: join(dir, "backups") },
        replication: { syncInterval: "100ms" },
        databases: [{ name: "app", path: db }],
      },
      dir,
    );
    const opts = { line: "0.5" } as const;
    const replicate = startReplicate(config, opts);
    await waitForBackup(config, db, dir, opts);
    await insertRows(db, 1, 40);
    expect(await rowsOnceReplicated(config, db, dir, expectedRows(1, 40), opts)).toEqual(expectedRows(1, 40));

    // LTX files carry the time of their transactions: leave a gap and take the timestamp in its middle.
    await sleep(700);
    const between = new Date().toISOString();
    await sleep(700);

    await insertRows(db, 41, 80);
    expect(await rowsOnceReplicated(config, db, dir, expectedRows(1, 80), opts)).toEqual(expectedRows(1, 80));
    expect((await replicate.stop()).code).toBe(0);

    const pit = await runRestore(config, db, join(dir, "pit.db"), { ...opts, flags: ["-timestamp", between] });
    expect(pit.code, pit.stdout + pit.stderr).toBe(0);
    expect(await readRows(join(dir, "pit.db"))).toEqual(expectedRows(1, 40));
  });
});

describe("0.5 round trip to S3 (s3rver on 127.0.0.1)", () => {
  it("uploads under bucket/prefix/database with credentials only from the environment, then restores", async () => {
    const s3 = await startS3({ buckets: ["app-backups"] });
    const { dir, db, config, env } = await s3RoundTripSetup("0.5", s3.endpoint);
    const opts = { line: "0.5", env } as const;

    const replicate = startReplicate(config, opts);
    await waitForBackup(config, db, dir, opts);
    await insertRows(db, 26, 50);
    expect(await rowsOnceReplicated(config, db, dir, expectedRows(1, 50), opts)).toEqual(expectedRows(1, 50));
    expect((await replicate.stop()).code).toBe(0);

    const keys = await s3.listKeys("app-backups");
    // 0.5 layout: <prefix>/<database>/<level, 4 hex digits>/<min txid>-<max txid>.ltx
    expect(
      keys.every((k) => /^prod\/sqlite\/main\/[0-9a-f]{4}\/[0-9a-f]{16}-[0-9a-f]{16}\.ltx$/.test(k)),
      keys.join("\n"),
    ).toBe(true);
    expect(keys.some((k) => k.startsWith("prod/sqlite/main/0000/"))).toBe(true);

    const restored = join(dir, "restored.db");
    const result = await runRestore(config, db, restored, opts);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await readRows(restored)).toEqual(expectedRows(1, 50));
  });
});

/** A generated config with a file replica for `<dir>/app.db`, nothing replicated yet. */
function fileReplicaConfig(line: LitestreamLine, dir: string): { config: string; db: string } {
  const db = join(dir, "app.db");
  const config = writeGeneratedConfig(
    {
      name: "boot",
      litestream: { version: line, release: line === "0.5" ? RELEASE_05 : "0.3.13" },
      storage: { provider: "file", path: join(dir, "backups") },
      replication: { syncInterval: "100ms" },
      databases: [{ name: "app", path: db }],
    },
    dir,
  );
  return { config, db };
}

/** As fileReplicaConfig, with rows 1–30 backed up and the database file (and its -wal, -shm) deleted. */
async function backedUpThenLost(line: LitestreamLine, dir: string): Promise<{ config: string; db: string }> {
  const { config, db } = fileReplicaConfig(line, dir);
  await createWalDb(db);
  await insertRows(db, 1, 30);
  const replicate = startReplicate(config, { line });
  await waitForBackup(config, db, dir, { line });
  expect((await replicate.stop()).code).toBe(0);
  for (const f of [db, `${db}-wal`, `${db}-shm`]) if (existsSync(f)) rmSync(f);
  return { config, db };
}

const sizeOf = (file: string) => statSync(file).size;
const BOOT_RESTORE_FLAGS = ["-if-db-not-exists", "-if-replica-exists"];

describe("0.5 restore -if-db-not-exists -if-replica-exists (what the generated restore steps run)", () => {
  it("leaves an existing database untouched, even a 0-byte one", async () => {
    const dir = makeTempDir("ld-ifexists05");
    const { config, db } = await backedUpThenLost("0.5", dir);
    await createWalDb(db);
    await insertRows(db, 1, 3);
    const existing = await runRestore(config, db, db, { line: "0.5", flags: BOOT_RESTORE_FLAGS });
    expect(existing.code, existing.stdout + existing.stderr).toBe(0);
    expect(await readRows(db)).toEqual(expectedRows(1, 3));

    const empty = join(dir, "empty.db");
    writeFileSync(empty, "");
    const skipped = await runRestore(config, db, empty, { line: "0.5", flags: BOOT_RESTORE_FLAGS });
    expect(skipped.code, skipped.stdout + skipped.stderr).toBe(0);
    expect(sizeOf(empty)).toBe(0); // counted as present: this is why the empty file is set aside first
  });

  it("restores a missing database that has a backup", async () => {
    const dir = makeTempDir("ld-ifmissing05");
    const { config, db } = await backedUpThenLost("0.5", dir);
    const r = await runRestore(config, db, db, { line: "0.5", flags: BOOT_RESTORE_FLAGS });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(await readRows(db)).toEqual(expectedRows(1, 30));
  });

  it("exits 0 and creates no file when there is no backup", async () => {
    const dir = makeTempDir("ld-nobackup05");
    const { config, db } = fileReplicaConfig("0.5", dir);
    const r = await runRestore(config, db, db, { line: "0.5", flags: BOOT_RESTORE_FLAGS });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(existsSync(db)).toBe(false);
  });
});

describe("0.5 restore-if-db-not-exists: true in the generated config, run by replicate", () => {
  it("restores a missing database before replicating", async () => {
    const dir = makeTempDir("ld-bootrestore05");
    const { config, db } = await backedUpThenLost("0.5", dir);
    expect(readFileSync(config, "utf8")).toContain("restore-if-db-not-exists: true");
    const replicate = startReplicate(config, { line: "0.5" });
    await replicate.waitForLog(/replicating to/, 15_000); // logged after the restore
    expect(await readRows(db)).toEqual(expectedRows(1, 30));
    expect((await replicate.stop()).code).toBe(0);
  });

  it("does NOT restore over a 0-byte file (an app that opened the database first): the reason for the generated restore steps", async () => {
    const dir = makeTempDir("ld-bootempty05");
    const { config, db } = await backedUpThenLost("0.5", dir);
    writeFileSync(db, "");
    const replicate = startReplicate(config, { line: "0.5" });
    await replicate.waitForLog(/database exists, skipping restore/, 15_000);
    await replicate.waitForLog(/replicating to/, 15_000);
    expect((await replicate.stop()).code).toBe(0);
    expect(await sqlite(db, "SELECT count(*) FROM sqlite_master WHERE name = 't';")).toBe("0\n"); // the backup's table is not there
  });
});

/** Runs the restore steps for `db` under sh -eu, with the real restore of `line`. */
function runRestoreSteps(line: LitestreamLine, config: string, db: string): Promise<{ code: number; stderr: string }> {
  const restore = shellWords([binaryFor(line), "restore", "-config", config, ...BOOT_RESTORE_FLAGS]);
  const script = ["set -eu", ...restoreMissingDatabase({ db: shellWord(db), restore })].join("\n");
  return new Promise((resolve) => {
    execFile("sh", ["-c", script], { env: hermeticEnv(), encoding: "utf8" }, (err, _stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stderr });
    });
  });
}

describe.each(["0.3", "0.5"] as const)(
  "restoreMissingDatabase (src/render/restore-steps.ts) under sh, with Litestream %s restore",
  (line) => {
    it("restores the backup over a 0-byte database file", async () => {
      const dir = makeTempDir(`ld-steps-empty-${line}`);
      const { config, db } = await backedUpThenLost(line, dir);
      writeFileSync(db, "");
      const r = await runRestoreSteps(line, config, db);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain("is an empty file (0 bytes, no -wal): set aside");
      expect(await readRows(db)).toEqual(expectedRows(1, 30));
      expect(existsSync(`${db}${EMPTY_DB_SUFFIX}`)).toBe(false);
    });

    it("leaves a 0-byte database that has a -wal alone (its content is in the WAL)", async () => {
      const dir = makeTempDir(`ld-steps-wal-${line}`);
      const { config, db } = await backedUpThenLost(line, dir);
      writeFileSync(db, "");
      writeFileSync(`${db}-wal`, "not empty");
      const r = await runRestoreSteps(line, config, db);
      expect(r.code, r.stderr).toBe(0);
      expect(sizeOf(db)).toBe(0);
      expect(readFileSync(`${db}-wal`, "utf8")).toBe("not empty");
      expect(existsSync(`${db}${EMPTY_DB_SUFFIX}`)).toBe(false);
    });

    it("puts the empty file back when there is no backup", async () => {
      const dir = makeTempDir(`ld-steps-nobackup-${line}`);
      const { config, db } = fileReplicaConfig(line, dir);
      writeFileSync(db, "");
      const r = await runRestoreSteps(line, config, db);
      expect(r.code, r.stderr).toBe(0);
      expect(sizeOf(db)).toBe(0);
      expect(existsSync(`${db}${EMPTY_DB_SUFFIX}`)).toBe(false);
    });
  },
);

describe("every 0.5 feature the description can express, loaded by litestream databases of 0.5.17", () => {
  type StorageInput = NonNullable<ProjectInput["storage"]>;
  const creds = { accessKeyId: { env: "KEY" }, secretAccessKey: { env: "SECRET" } };
  const bucket = "app-backups";
  const providers = (dir: string): StorageInput[] => [
    { provider: "aws", region: "eu-central-1", bucket, credentials: creds },
    { provider: "r2", accountId: "0123456789abcdef0123456789abcdef", bucket, credentials: creds },
    { provider: "b2", region: "us-west-002", bucket, credentials: creds },
    { provider: "hetzner", location: "fsn1", bucket, credentials: creds },
    { provider: "digitalocean", region: "fra1", bucket, credentials: creds },
    { provider: "scaleway", region: "fr-par", bucket, credentials: creds },
    { provider: "wasabi", region: "eu-central-1", bucket, credentials: creds },
    { provider: "tigris", bucket, credentials: creds },
    { provider: "minio", endpoint: "http://minio:9000", bucket, credentials: creds },
    { provider: "s3", endpoint: "https://s3.example.com", region: "us-east-1", bucket, credentials: creds },
    { provider: "gcs", bucket, prefix: "app" },
    { provider: "azure", accountName: "myaccount", bucket, credentials: { accountKey: { env: "AZ_KEY" } } },
    { provider: "sftp", host: "backup.example.com:22", user: "backup", path: "/srv/backups", keyPath: "/etc/litestream/id_ed25519" },
    { provider: "file", path: join(dir, "backups") },
  ];
  const isS3 = (s: StorageInput) => !["gcs", "azure", "sftp", "file"].includes(s.provider);
  const names = providers("/").map((s) => s.provider);

  it.each(names.map((name, i) => [name, i] as const))("%s: every database listed with its replica, all features on", async (_name, i) => {
    const dir = makeTempDir("ld-features05");
    const storage = providers(dir)[i]!;
    const description: ProjectInput = {
      name: "features",
      litestream: { version: "0.5", release: RELEASE_05 },
      storage,
      databases: [
        { name: "main", path: join(dir, "main.db"), role: "primary" },
        { name: "jobs", path: join(dir, "jobs.db"), role: "queue" },
      ],
      heartbeat: { url: { env: "DEADMAN_URL" }, interval: "2m" },
      // SSE is an S3 feature: customer key and KMS alternate over the S3 providers.
      ...(isS3(storage)
        ? {
            encryption: {
              sse: i % 2 === 0 ? { customerKey: { env: "SSE_KEY" } } : { kmsKeyId: "arn:aws:kms:eu-central-1:111122223333:key/example" },
            },
          }
        : {}),
      compaction: { levels: ["30s", "5m", "1h", "1d"], l0Retention: "10m" },
      shutdownSyncTimeout: "45s",
      monitoring: { addr: "127.0.0.1:9090" },
      logging: { level: "debug", type: "pretty", stderr: true },
    };
    const { plan } = generate(description);
    const env = plan.environments[0]!;
    const config = writeGeneratedConfig(description, dir);
    const text = readFileSync(config, "utf8");
    for (const key of [
      "heartbeat-url:",
      "levels:",
      "l0-retention:",
      'shutdown-sync-timeout: "45s"',
      "type: pretty",
      'addr: "127.0.0.1:9090"',
    ])
      expect(text).toContain(key);
    if (isS3(storage)) expect(text).toMatch(i % 2 === 0 ? /sse-customer-key: \$\{/ : /sse-kms-key-id: /);
    expect(await listDatabases(config, placeholderEnv(env), "0.5")).toEqual(
      env.databases.map((db) => ({ path: literalPath(db.path), replicas: [db.replicas[0]!.type === "gcs" ? "gs" : db.replicas[0]!.type] })),
    );
  });
});

describe("0.5.17 reads the generated keys, not just tolerates them", () => {
  it("refuses a heartbeat URL that is not http(s), so heartbeat-url is the key it reads", async () => {
    const dir = makeTempDir("ld-heartbeat05");
    const description: ProjectInput = {
      name: "features",
      litestream: { version: "0.5", release: RELEASE_05 },
      storage: { provider: "file", path: join(dir, "backups") },
      databases: [{ name: "main", path: join(dir, "main.db") }],
      heartbeat: { url: { env: "DEADMAN_URL" } },
    };
    const env = generate(description).plan.environments[0]!;
    const config = writeGeneratedConfig(description, dir);
    const urlVar = env.env.find((v) => v.expandedInConfig)!.name;
    const r = await runLitestream(["databases", "-config", config], { line: "0.5", env: { [urlVar]: "ftp://hc.example.invalid/ping" } });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/heartbeat URL must be a valid HTTP or HTTPS URL/);
  });
});
