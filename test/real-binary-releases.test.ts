// Every supported release line, proven by the binary of the release it pins: 0.3.13 (npm), 0.3.14,
// 0.5.8 and 0.5.12 (built by `go install` in .ci/install-tools.sh) and the official 0.5.17. Every
// example and a feature matrix (each setting from the release that brings it) load with every
// database and its replica; a replicate → restore round trip runs on each.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { generate, type ProjectInput } from "../src/index.js";
import { literalPath } from "../src/plan/model.js";
import { compareRelease } from "../src/versions/index.js";
import {
  litestreamBinary,
  parseDatabasesOutput,
  runLitestream,
  runRestore,
  startReplicate,
  stopAll,
  waitForBackup,
  type RunOptions,
} from "./harness/litestream.js";
import { closeAllS3, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, startS3 } from "./harness/s3.js";
import { createWalDb, expectedRows, insertRows, readRows } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";
import { releaseBinary } from "./harness/tools.js";
import { exampleNames, loadExample } from "./support/examples.js";

afterEach(async () => {
  await stopAll();
  await closeAllS3();
  await cleanupTempDirs();
});

const RELEASES = [
  { release: "0.3.13", binary: () => litestreamBinary },
  { release: "0.3.14", binary: () => releaseBinary("0.3.14") },
  { release: "0.5.8", binary: () => releaseBinary("0.5.8") },
  { release: "0.5.12", binary: () => releaseBinary("0.5.12") },
  { release: "0.5.17", binary: () => releaseBinary("0.5.17") },
] as const;
const line = (release: string) => (release.startsWith("0.3.") ? "0.3" : "0.5");

function placeholderEnv(env: { env: Array<{ name: string; expandedInConfig: boolean }> }): Record<string, string> {
  return Object.fromEntries(
    env.env
      .filter((v) => v.expandedInConfig)
      .map((v) => [v.name, v.name.includes("URL") ? "https://hc.example.invalid/ping" : "placeholder"]),
  );
}

/** `litestream databases` of `release` lists every database of every config, each with its replica. */
async function expectAllListed(description: ProjectInput, release: string, binary: string): Promise<number> {
  const { files, plan } = generate(description);
  let configs = 0;
  for (const env of plan.environments) {
    const file = files.find((f) => f.kind === "litestream-config" && f.path === env.configFile)!;
    const dir = makeTempDir("ld-release");
    writeFileSync(join(dir, "litestream.yml"), file.content);
    const listed = await listDatabasesWith(join(dir, "litestream.yml"), placeholderEnv(env), binary);
    expect(listed, `${release} ${file.path}`).toEqual(
      env.databases.map((db) => ({
        path: literalPath(db.path),
        replicas: db.replicas.map((r) => (line(release) === "0.3" ? r.name : r.type === "gcs" ? "gs" : r.type)),
      })),
    );
    configs++;
  }
  return configs;
}

/** A WAL-mode database `<dir>/app.db` in a fresh directory, with rows 1…rows. */
async function databaseWithRows(prefix: string, rows: number): Promise<{ dir: string; db: string }> {
  const dir = makeTempDir(prefix);
  const db = join(dir, "app.db");
  await createWalDb(db);
  await insertRows(db, 1, rows);
  return { dir, db };
}

async function listDatabasesWith(config: string, env: Record<string, string>, binary: string) {
  const result = await runLitestream(["databases", "-config", config], { env, binary });
  expect(result.code, result.stderr + result.stdout).toBe(0);
  return parseDatabasesOutput(result.stdout);
}

describe.each(RELEASES)("Litestream $release", ({ release, binary }) => {
  it("is the binary of that release", async () => {
    const result = await runLitestream(["version"], { binary: binary() });
    expect(result.stdout.trim().replace(/^v/, "")).toBe(release);
  });

  it("loads every example of its line, pinned to it, with every database and replica", async () => {
    let configs = 0;
    for (const name of exampleNames()) {
      const example = await loadExample(name);
      if (example.litestream.version !== line(release)) continue;
      configs += await expectAllListed({ ...example, litestream: { ...example.litestream, release } }, release, binary());
    }
    expect(configs).toBeGreaterThanOrEqual(line(release) === "0.3" ? 4 : 1);
  });

  it("round trip: replicate to a file replica, restore the latest state", async () => {
    const { dir, db } = await databaseWithRows("ld-release-rt", 20);
    const description: ProjectInput = {
      name: "roundtrip",
      litestream: { version: line(release), release },
      storage: { provider: "file", path: join(dir, "backups") },
      replication: { syncInterval: "100ms" },
      databases: [{ name: "app", path: db }],
    };
    const config = join(dir, "litestream.yml");
    writeFileSync(config, generate(description).files.find((f) => f.kind === "litestream-config")!.content);
    const opts: RunOptions = { binary: binary() };
    const replicate = startReplicate(config, opts);
    await waitForBackup(config, db, dir, opts);
    await insertRows(db, 21, 40);
    expect((await replicate.stop()).code).toBe(0);
    const restored = join(dir, "restored.db");
    const result = await runRestore(config, db, restored, opts);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await readRows(restored)).toEqual(expectedRows(1, 40));
  });
});

/** Every 0.5 setting the description has, each from the release that brings it (docs/versions.md). */
function featureMatrix05(release: string, dir: string): ProjectInput {
  const at = (since: string) => compareRelease(release, since) >= 0;
  const creds = { accessKeyId: { env: "KEY" }, secretAccessKey: { env: "SECRET" } };
  return {
    name: "matrix",
    litestream: { version: "0.5", release },
    storage: {
      provider: "aws",
      region: "eu-central-1",
      bucket: "app-backups",
      credentials: creds,
      ...(at("0.5.3") ? { partSize: "16MB", concurrency: 4, signPayload: true } : {}),
      ...(at("0.5.14") ? { storageClass: "STANDARD_IA" } : {}),
    },
    databases: [
      {
        name: "main",
        path: join(dir, "main.db"),
        role: "primary",
        ...(at("0.5.3") ? { truncatePageN: 121359 } : {}),
        ...(at("0.5.15") ? { maxSyncWalBytes: 16777216 } : {}),
      },
      { name: "jobs", path: join(dir, "jobs.db"), role: "queue", replication: at("0.5.7") ? { validationInterval: "24h" } : {} },
    ],
    restoreOnBoot: at("0.5.6"),
    ...(at("0.5.6")
      ? {
          heartbeat: { url: { env: "DEADMAN_URL" }, interval: "2m" },
          shutdownSyncTimeout: "45s",
          encryption: { sse: { customerKey: { env: "SSE_KEY" } } },
        }
      : {}),
    compaction: {
      levels: ["30s", "5m", "1h"],
      ...(at("0.5.3") ? { l0Retention: "10m" } : {}),
      ...(at("0.5.8") ? { retentionEnabled: true } : {}),
    },
    monitoring: { addr: "127.0.0.1:9090" },
    logging: { level: "debug", type: at("0.5.11") ? "pretty" : "json", stderr: true },
  };
}

const GATED_TEXT: Array<[string, string]> = [
  ["0.5.3", "part-size: 16MB"],
  ["0.5.3", "truncate-page-n: 121359"],
  ["0.5.3", 'l0-retention: "10m"'],
  ["0.5.6", "restore-if-db-not-exists: true"],
  ["0.5.6", "heartbeat-url:"],
  ["0.5.6", 'shutdown-sync-timeout: "45s"'],
  ["0.5.6", "sse-customer-key:"],
  ["0.5.7", "validation:"],
  ["0.5.8", "enabled: true"],
  ["0.5.11", "type: pretty"],
  ["0.5.14", "storage-class: STANDARD_IA"],
  ["0.5.15", "max-sync-wal-bytes: 16777216"],
];

describe.each(RELEASES.filter((r) => r.release.startsWith("0.5.")))("feature matrix on Litestream $release", ({ release, binary }) => {
  it("writes each setting from its release on, and the binary lists every database with its replica", async () => {
    const dir = makeTempDir("ld-matrix");
    const description = featureMatrix05(release, dir);
    const text = generate(description).files.find((f) => f.kind === "litestream-config")!.content;
    for (const [since, key] of GATED_TEXT) expect(text.includes(key), `${key} on ${release}`).toBe(compareRelease(release, since) >= 0);
    expect(await expectAllListed(description, release, binary())).toBe(1);
  });
});

describe("S3 round trip on the oldest built 0.5 release (s3rver on 127.0.0.1)", () => {
  it("0.5.8 uploads with the generated upload settings and restores", async () => {
    const s3 = await startS3({ buckets: ["app-backups"] });
    const { dir, db } = await databaseWithRows("ld-release-s3", 25);
    const description: ProjectInput = {
      name: "rt",
      litestream: { version: "0.5", release: "0.5.8" },
      storage: {
        provider: "minio",
        endpoint: s3.endpoint,
        bucket: "app-backups",
        prefix: "prod",
        credentials: { accessKeyId: { env: "KEY" }, secretAccessKey: { env: "SECRET" } },
        partSize: "5MiB",
        concurrency: 2,
      },
      replication: { syncInterval: "100ms" },
      databases: [{ name: "main", path: db }],
    };
    const config = join(dir, "litestream.yml");
    writeFileSync(config, generate(description).files.find((f) => f.kind === "litestream-config")!.content);
    expect(readFileSync(config, "utf8")).toContain("concurrency: 2");
    const opts: RunOptions = {
      binary: releaseBinary("0.5.8"),
      env: { LITESTREAM_ACCESS_KEY_ID: S3_ACCESS_KEY_ID, LITESTREAM_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY },
    };
    const replicate = startReplicate(config, opts);
    await waitForBackup(config, db, dir, opts);
    expect((await replicate.stop()).code).toBe(0);
    expect((await s3.listKeys("app-backups")).some((k) => k.startsWith("prod/main/0000/"))).toBe(true);
    const restored = join(dir, "restored.db");
    const result = await runRestore(config, db, restored, opts);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await readRows(restored)).toEqual(expectedRows(1, 25));
  });
});
