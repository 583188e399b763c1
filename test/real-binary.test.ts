// Generated 0.3 configs proven by the real Litestream 0.3.13 binary: every example parses with every
// database and replica present, and replicate → restore round trips work (file with point-in-time, S3).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { generate, type ProjectInput } from "../src/index.js";
import { envBindings } from "../src/env-mapping.js";
import { listDatabases, runLitestream, type LitestreamLine, startReplicate, stopAll } from "./harness/litestream.js";
import { closeAllS3, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, startS3 } from "./harness/s3.js";
import { createWalDb, expectedRows, insertRows, readRows } from "./harness/sqlite.js";
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
      env.databases.map((db) => ({ path: db.path, replicas: db.replicas.map((r) => (line === "0.3" ? r.name : r.type === "gcs" ? "gs" : r.type)) })),
    );
  });

  it("covers the configs of both release lines", () => {
    expect(cases.filter(([, , line]) => line === "0.3").length).toBeGreaterThanOrEqual(4);
    expect(cases.filter(([, , line]) => line === "0.5").length).toBeGreaterThanOrEqual(1);
  });
});

/** Variables the config expands at start-up (${LITESTREAM_…}), set to harmless placeholders. */
function placeholderEnv(env: { env: Array<{ name: string; expandedInConfig: boolean }> }): Record<string, string> {
  return Object.fromEntries(env.env.filter((v) => v.expandedInConfig).map((v) => [v.name, v.name.includes("URL") ? "https://hc.example.invalid/ping" : "placeholder"]));
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

describe("round trip to S3 (s3rver on 127.0.0.1)", () => {
  it("uploads under bucket/prefix/database with credentials only from the environment, then restores", async () => {
    const s3 = await startS3({ buckets: ["app-backups"] });
    const dir = makeTempDir("ld-s3");
    const db = join(dir, "app.db");
    await createWalDb(db);
    await insertRows(db, 1, 25);
    const description: ProjectInput = {
      name: "roundtrip",
      litestream: { version: "0.3" },
      storage: {
        provider: "minio",
        endpoint: s3.endpoint,
        bucket: "app-backups",
        prefix: "prod/sqlite",
        // The user's own variable names; the plan maps them to names Litestream reads.
        credentials: { accessKeyId: { env: "MY_S3_KEY" }, secretAccessKey: { env: "MY_S3_SECRET" } },
      },
      replication: { syncInterval: "100ms" },
      databases: [{ name: "main", path: db }],
    };
    const config = writeGeneratedConfig(description, dir);
    const { plan } = generate(description);
    const userEnv: Record<string, string> = { MY_S3_KEY: S3_ACCESS_KEY_ID, MY_S3_SECRET: S3_SECRET_ACCESS_KEY };
    const env = Object.fromEntries(envBindings(plan.environments[0]!).map((b) => [b.name, userEnv[b.secretName]!]));
    expect(Object.keys(env).sort()).toEqual(["LITESTREAM_ACCESS_KEY_ID", "LITESTREAM_SECRET_ACCESS_KEY"]);

    const replicate = startReplicate(config, { env });
    await replicate.waitForLog(SYNCED, 15_000);
    const mark = replicate.mark();
    await insertRows(db, 26, 50);
    await replicate.waitForLog(SYNCED, 10_000, mark);
    expect((await replicate.stop()).code).toBe(0);

    const keys = await s3.listKeys("app-backups");
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((k) => /^prod\/sqlite\/main\/generations\/[0-9a-f]{16}\/(snapshots|wal)\//.test(k)), keys.join("\n")).toBe(true);
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
          { provider: "azure", name: "azure", accountName: "myaccount", bucket: "container", credentials: { accountKey: { env: "AZ_KEY" } } },
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
