// Top-level replica defaults (0.5.3+, docs/versions.md): the replica keys every database shares are
// written once at the top level, each database keeps its type and path. Checked by the real 0.5.8,
// 0.5.12 and 0.5.17: `databases` lists every database with its replica, and an S3 round trip of two
// databases whose bucket, endpoint and region are written only at the top level.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate, type ProjectInput } from "../src/index.js";
import {
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

afterEach(async () => {
  await stopAll();
  await closeAllS3();
  await cleanupTempDirs();
});

type Yml = Record<string, unknown>;
const aws = { provider: "aws", region: "eu-central-1", bucket: "shop-backups" } as const;

function describeShop(release: string, extra: Partial<ProjectInput> = {}): ProjectInput {
  return {
    name: "shop",
    litestream: { version: release.startsWith("0.3.") ? "0.3" : "0.5", release },
    storage: aws,
    databases: [
      { name: "main", path: "/data/main.db" },
      { name: "search", path: "/data/search.db" },
    ],
    restoreOnBoot: false,
    ...extra,
  } as ProjectInput;
}

function configText(description: ProjectInput): string {
  return generate(description).files.find((f) => f.kind === "litestream-config")!.content;
}
const configOf = (description: ProjectInput) => parse(configText(description), { version: "1.1" }) as Yml;
const dbs = (c: Yml) => c.dbs as Yml[];

describe("top-level replica defaults: 0.5.2 vs 0.5.3", () => {
  it("0.5.2 writes every replica key under each database", () => {
    const c = configOf(describeShop("0.5.2"));
    expect(c.bucket).toBeUndefined();
    expect(dbs(c).map((db) => db.replica)).toEqual([
      { type: "s3", bucket: "shop-backups", path: "shop/main", region: "eu-central-1" },
      { type: "s3", bucket: "shop-backups", path: "shop/search", region: "eu-central-1" },
    ]);
  });

  it("0.5.3 writes the shared keys once at the top level, type and path under each database", () => {
    const c = configOf(describeShop("0.5.3"));
    expect({ bucket: c.bucket, region: c.region, type: c.type }).toEqual({
      bucket: "shop-backups",
      region: "eu-central-1",
      type: undefined,
    });
    expect(dbs(c).map((db) => db.replica)).toEqual([
      { type: "s3", path: "shop/main" },
      { type: "s3", path: "shop/search" },
    ]);
    expect(configText(describeShop("0.5.3"))).toContain(
      "# Replica settings every database shares, written once (Litestream 0.5.3+); each database keeps its own type and path.\nbucket: shop-backups\n",
    );
  });

  it("part-size and concurrency stay under each database: Litestream ignores them at the top level", () => {
    const c = configOf(describeShop("0.5.17", { storage: { ...aws, partSize: "16MiB", concurrency: 4 } }));
    expect({ bucket: c.bucket, "part-size": c["part-size"], concurrency: c.concurrency }).toEqual({
      bucket: "shop-backups",
      "part-size": undefined,
      concurrency: undefined,
    });
    expect(dbs(c).map((db) => db.replica)).toEqual([
      { type: "s3", path: "shop/main", "part-size": "16MiB", concurrency: 4 },
      { type: "s3", path: "shop/search", "part-size": "16MiB", concurrency: 4 },
    ]);
  });

  it("a key whose value (or comment) differs between databases stays under each database", () => {
    const c = configOf(
      describeShop("0.5.17", {
        databases: [
          { name: "main", path: "/data/main.db" },
          { name: "jobs", path: "/data/jobs.db", role: "queue" },
        ],
      }),
    );
    expect(c.bucket).toBe("shop-backups");
    expect(c["sync-interval"]).toBeUndefined();
    expect(dbs(c).map((db) => (db.replica as Yml)["sync-interval"])).toEqual([undefined, "5s"]);
  });

  it("one database, and the 0.3 line, keep the per-database form", () => {
    const one = configOf(describeShop("0.5.17", { databases: [{ name: "main", path: "/data/main.db" }] }));
    expect(one.bucket).toBeUndefined();
    expect((dbs(one)[0]!.replica as Yml).bucket).toBe("shop-backups");
    const on03 = configOf(describeShop("0.3.14", { storage: { provider: "aws", region: "eu-central-1", bucket: "shop-backups" } }));
    expect(on03.bucket).toBeUndefined();
    expect(dbs(on03).map((db) => (db.replicas as Yml[])[0]!.bucket)).toEqual(["shop-backups", "shop-backups"]);
  });

  it("is deterministic: the same description gives the same bytes", () => {
    const many = describeShop("0.5.17", { databases: Array.from({ length: 200 }, (_, i) => ({ name: `t${i}`, path: `/data/t${i}.db` })) });
    const text = configText(many);
    expect(configText(many)).toBe(text);
    expect(text.match(/^bucket: /gm)).toHaveLength(1);
    expect(text.match(/^ +bucket: /gm)).toBeNull();
  });
});

describe("Litestream 0.5.17 ignores type and part-size at the top level (why they stay per replica)", () => {
  it("a replica with no type of its own is a file replica, whatever the top level says", async () => {
    const dir = makeTempDir("ld-top-type");
    const config = join(dir, "litestream.yml");
    writeFileSync(config, `type: s3\nbucket: b\ndbs:\n  - path: ${join(dir, "a.db")}\n    replica:\n      path: p\n`);
    const listed = await runLitestream(["databases", "-config", config], { binary: releaseBinary("0.5.17") });
    expect(parseDatabasesOutput(listed.stdout)).toEqual([{ path: join(dir, "a.db"), replicas: ["file"] }]);
  });

  it("a 1MB part-size under the replica stops uploads; the same at the top level changes nothing", async () => {
    const s3 = await startS3({ buckets: ["b"] });
    const dir = makeTempDir("ld-part-size");
    const db = join(dir, "a.db");
    await createWalDb(db);
    await insertRows(db, 1, 3);
    const replica = `    replica:\n      type: s3\n      bucket: b\n      path: p\n      endpoint: ${s3.endpoint}\n      force-path-style: true\n      region: us-east-1\n`;
    const opts = {
      binary: releaseBinary("0.5.17"),
      env: { LITESTREAM_ACCESS_KEY_ID: S3_ACCESS_KEY_ID, LITESTREAM_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY },
    };
    const run = async (text: string, expected: RegExp) => {
      const config = join(dir, "litestream.yml");
      writeFileSync(config, text);
      const replicate = startReplicate(config, opts);
      await replicate.waitForLog(expected, 20_000);
      await replicate.stop();
      return replicate.output();
    };
    await run(`dbs:\n  - path: ${db}\n${replica}      part-size: 1MB\n`, /part size must be at least 5242880 bytes/);
    const top = await run(`part-size: 1MB\ndbs:\n  - path: ${db}\n${replica}`, /snapshot complete/);
    expect(top).not.toContain("part size must be at least");
  });
});

const BINARIES = [
  { release: "0.5.8", binary: () => releaseBinary("0.5.8") },
  { release: "0.5.12", binary: () => releaseBinary("0.5.12") },
  { release: "0.5.17", binary: () => releaseBinary("0.5.17") },
] as const;

describe.each(BINARIES)("Litestream $release reads the top-level defaults", ({ release, binary }) => {
  it("lists every database with its S3 replica, and round-trips two databases through s3rver", async () => {
    const s3 = await startS3({ buckets: ["shop-backups"] });
    const dir = makeTempDir("ld-defaults");
    const main = join(dir, "main.db");
    const search = join(dir, "search.db");
    for (const [db, rows] of [
      [main, 12],
      [search, 7],
    ] as const) {
      await createWalDb(db);
      await insertRows(db, 1, rows);
    }
    const description: ProjectInput = {
      name: "shop",
      litestream: { version: "0.5", release },
      storage: {
        provider: "minio",
        endpoint: s3.endpoint,
        bucket: "shop-backups",
        prefix: "prod",
        credentials: { accessKeyId: { env: "KEY" }, secretAccessKey: { env: "SECRET" } },
      },
      replication: { syncInterval: "100ms" },
      databases: [
        { name: "main", path: main },
        { name: "search", path: search },
      ],
      restoreOnBoot: false,
    };
    const text = configText(description);
    const c = parse(text, { version: "1.1" }) as Yml;
    expect({ bucket: c.bucket, endpoint: c.endpoint }).toEqual({ bucket: "shop-backups", endpoint: s3.endpoint });
    expect(dbs(c).map((db) => Object.keys(db.replica as Yml))).toEqual([
      ["type", "path"],
      ["type", "path"],
    ]);
    const config = join(dir, "litestream.yml");
    writeFileSync(config, text);
    const opts: RunOptions = {
      binary: binary(),
      env: { LITESTREAM_ACCESS_KEY_ID: S3_ACCESS_KEY_ID, LITESTREAM_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY },
    };

    const listed = await runLitestream(["databases", "-config", config], opts);
    expect(listed.code, listed.stderr).toBe(0);
    expect(parseDatabasesOutput(listed.stdout)).toEqual([
      { path: main, replicas: ["s3"] },
      { path: search, replicas: ["s3"] },
    ]);

    const replicate = startReplicate(config, opts);
    await waitForBackup(config, main, dir, opts);
    await waitForBackup(config, search, dir, opts);
    expect((await replicate.stop()).code).toBe(0);
    const keys = await s3.listKeys("shop-backups");
    expect(keys.some((k) => k.startsWith("prod/main/")) && keys.some((k) => k.startsWith("prod/search/")), keys.join("\n")).toBe(true);
    for (const [db, rows] of [
      [main, 12],
      [search, 7],
    ] as const) {
      const restored = join(dir, `restored-${rows}.db`);
      const result = await runRestore(config, db, restored, opts);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(await readRows(restored)).toEqual(expectedRows(1, rows));
    }
  });
});
