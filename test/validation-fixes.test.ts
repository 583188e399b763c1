// Each refusal comes with a fix that works: applying the suggested value makes the problem go away.
// Also: control characters are refused in every free-text field, and consumer limits hold.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runLitestream } from "./harness/litestream.js";
import { generate, ProjectError, type ProjectIssue } from "../src/index.js";
import { formatPath } from "../src/errors.js";

const base = (): Record<string, any> => ({
  name: "app",
  litestream: { version: "0.5" },
  storage: { provider: "file", path: "/var/backups/litestream" },
  databases: [{ name: "main", path: "/data/app.db" }],
});

function issuesOf(description: unknown): ProjectIssue[] {
  try {
    generate(description);
    return [];
  } catch (error) {
    if (error instanceof ProjectError) return error.issues;
    throw error;
  }
}

function set(target: Record<string, any>, path: Array<string | number>, value: unknown): void {
  const parent = path.slice(0, -1).reduce((node, key) => (node[key] ??= {}), target);
  parent[path[path.length - 1]!] = value;
}

/** The first quoted value a fix suggests, e.g. 'write it with a unit, e.g. "10s"' → "10s". */
function suggestedValue(fix: string | undefined): string {
  const value = /"([^"]*)"/.exec(fix ?? "")?.[1];
  expect(value, `fix "${fix}" suggests a value`).toBeDefined();
  return value!;
}

const refusable: Array<[string, Array<string | number>, unknown, string, ((d: Record<string, any>) => void)?]> = [
  ["a bare zero", ["replication", "syncInterval"], 0, "duration.unitless"],
  ["a negative bare number", ["replication", "syncInterval"], -5, "duration.unitless"],
  ["a bare number", ["replication", "syncInterval"], 10, "duration.unitless"],
  ["a numeric string", ["replication", "syncInterval"], "10", "duration.unitless"],
  ["zero with a unit", ["replication", "syncInterval"], "0s", "duration.zero"],
  ["a negative duration", ["replication", "retention"], "-1h", "duration.negative"],
  ["finer than a millisecond", ["replication", "syncInterval"], "1.0005s", "duration.sub-millisecond"],
  ["longer than Go's int64 nanoseconds", ["replication", "retention"], "2562048h", "duration.overflow"],
  ["an unknown unit", ["replication", "retention"], "7x", "duration.invalid"],
  ["a heartbeat below 1m", ["heartbeat", "interval"], "30s", "heartbeat.interval", (d) => (d.heartbeat = { url: { env: "HB" } })],
  ["a metrics port out of range", ["monitoring", "addr"], "127.0.0.1:99999", "port.range"],
  ["metrics port 0", ["monitoring", "addr"], ":0", "port.range"],
  ["a metrics address without a port", ["monitoring", "addr"], "localhost", "addr.invalid"],
  [
    "an sftp port out of range",
    ["storage", "host"],
    "backup.example.com:70000",
    "port.range",
    (d) => (d.storage = { provider: "sftp", host: "h:22", user: "u", path: "/b" }),
  ],
  ["a relative database path", ["databases", 0, "path"], "data/app.db", "path.relative"],
  ["a relative file replica path", ["storage", "path"], "backups", "path.relative"],
  ["a relative baseDir", ["environments", "dev", "baseDir"], "home/me/app", "path.relative"],
  [
    "an invalid bucket name",
    ["storage", "bucket"],
    "My_Bucket",
    "bucket.invalid",
    (d) => (d.storage = { provider: "aws", region: "eu-central-1", bucket: "b" }),
  ],
  [
    "a bucket with two periods",
    ["storage", "bucket"],
    "my..bucket",
    "bucket.invalid",
    (d) => (d.storage = { provider: "aws", region: "eu-central-1", bucket: "b" }),
  ],
  [
    "a bucket formatted as an IP",
    ["storage", "bucket"],
    "192.168.1.1",
    "bucket.invalid",
    (d) => (d.storage = { provider: "aws", region: "eu-central-1", bucket: "b" }),
  ],
  [
    "an Azure container with a period",
    ["storage", "bucket"],
    "my.backups",
    "bucket.invalid",
    (d) => (d.storage = { provider: "azure", accountName: "acct", bucket: "b", credentials: { accountKey: { env: "AZ" } } }),
  ],
  [
    "a prefix with slashes",
    ["storage", "prefix"],
    "/app/",
    "prefix.slash",
    (d) => (d.storage = { provider: "aws", region: "eu-central-1", bucket: "backups" }),
  ],
  ["a name too long for a DNS label", ["name"], "a".repeat(64), "schema.too-big"],
  ["an invalid name", ["databases", 0, "name"], "Main DB", "name.invalid"],
  ["a release of the other line", ["litestream", "release"], "0.3.13", "release.line"],
  ["an unpinned image", ["litestream", "image"], "litestream/litestream", "image.unpinned"],
  ["an unknown enum value", ["logging", "level"], "verbose", "schema.value"],
];

describe("every suggested fix is accepted", () => {
  for (const [what, path, value, code, prepare] of refusable) {
    it(what, () => {
      const d = base();
      prepare?.(d);
      set(d, path, value);
      const at = issuesOf(d).filter((i) => formatPath(i.path) === formatPath(path));
      expect(at.map((i) => i.code)).toEqual([code]);
      const fixed = base();
      prepare?.(fixed);
      set(fixed, path, suggestedValue(at[0]!.fix));
      expect(issuesOf(fixed).filter((i) => formatPath(i.path) === formatPath(path))).toEqual([]);
    });
  }
});

describe("characters no generated file can hold", () => {
  const aws = (): Record<string, any> => ({
    ...base(),
    storage: { provider: "aws", region: "eu-central-1", bucket: "backups", prefix: "app" },
  });
  const s3 = (): Record<string, any> => ({
    ...base(),
    storage: {
      provider: "s3",
      endpoint: "https://s3.example.com",
      region: "r",
      bucket: "backups",
      credentials: { accessKeyId: { env: "K" }, secretAccessKey: { env: "S" } },
    },
  });
  const fields: Array<[string, () => Record<string, any>, Array<string | number>]> = [
    ["a database path", base, ["databases", 0, "path"]],
    ["a file replica path", base, ["storage", "path"]],
    ["a prefix", aws, ["storage", "prefix"]],
    ["an S3 region", s3, ["storage", "region"]],
    ["an endpoint", s3, ["storage", "endpoint"]],
    ["the image", base, ["litestream", "image"]],
    ["a configFile", base, ["environments", "production", "configFile"]],
    ["a KMS key id", aws, ["encryption", "sse", "kmsKeyId"]],
    ["a Kamal env value", base, ["targets", "kamal", "env", "TZ"]],
    ["a Kamal label", base, ["targets", "kamal", "labels", "team"]],
    ["a Compose volume", base, ["targets", "compose", "volume"]],
    ["a systemd binary", base, ["targets", "systemd", "binary"]],
  ];
  for (const [what, make, path] of fields) {
    for (const [name, ch] of [
      ["NEL", "\u0085"],
      ["LINE SEPARATOR", "\u2028"],
      ["NUL", "\u0000"],
      ["a newline", "\n"],
    ] as const) {
      it(`${name} in ${what}`, () => {
        const d = make();
        set(d, path, `/x${ch}y`);
        const at = issuesOf(d).filter((i) => formatPath(i.path) === formatPath(path));
        expect(at.map((i) => i.code)).toEqual(["text.unrepresentable"]);
        expect(at[0]!.message).toMatch(/U\+00(85|00|0A)|U\+2028/);
      });
    }
  }

  it('"$" in region, bucket and endpoint: Litestream expands it', () => {
    for (const [path, value] of [
      [["storage", "region"], "eu-$REGION"],
      [["storage", "endpoint"], "https://${HOST}"],
    ] as const) {
      const d = s3();
      set(d, [...path], value);
      expect(
        issuesOf(d)
          .filter((i) => formatPath(i.path) === formatPath([...path]))
          .map((i) => i.code),
      ).toEqual(["text.dollar"]);
    }
    const d = s3();
    d.storage.bucket = "b$x";
    expect(
      issuesOf(d)
        .filter((i) => formatPath(i.path) === "storage.bucket")
        .map((i) => i.code),
    ).toEqual(["bucket.invalid"]);
  });
});

describe("every issue of a bad description has a fix", () => {
  it("across schema and plan checks", () => {
    const d = base();
    d.litestream = { version: "0.3", release: "0.5.1", image: "x" };
    d.replication = { syncInterval: 0, retention: "1h", snapshotInterval: "2h" };
    d.databases.push({ path: "rel.db", role: "cach" }, { name: "main", path: "/d/m.db" });
    d.environments = {
      production: { databases: { mian: {} } },
      staging: { baseDir: "rel", configFile: "config/litestream.production.yml" },
    };
    d.logging = { type: "pretty", level: "loud" };
    d.heartbeat = { url: "https://hc.example/ping" };
    d.compaction = { levels: [] };
    d.monitoring = { addr: ":65536" };
    const issues = issuesOf(d);
    expect(issues.length).toBeGreaterThan(10);
    for (const issue of issues) {
      expect(issue.fix, `${formatPath(issue.path)}: ${issue.message}`).toBeTruthy();
      expect(issue.code, `${formatPath(issue.path)}: ${issue.message}`).toBeTruthy();
      expect(`${issue.message} ${issue.fix}`).not.toMatch(/facts\.md|placeholder/);
    }
  });
});

describe("the longest duration, on the real binaries", () => {
  for (const line of ["0.3", "0.5"] as const) {
    it(`Litestream ${line} loads the longest duration accepted, and refuses one hour more`, async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), "ld-maxdur-"));
      try {
        const d = base();
        d.litestream = { version: line, ...(line === "0.5" ? { release: "0.5.17" } : {}) };
        d.storage.path = path.join(dir, "replica");
        d.databases[0].path = path.join(dir, "app.db");
        d.replication = { retention: "2562047h", snapshotInterval: "1h" };
        const config = generate(d).files.find((f) => f.kind === "litestream-config")!.content;
        expect(config).toContain('"2562047h"');
        writeFileSync(path.join(dir, "ok.yml"), config);
        expect((await runLitestream(["databases", "-config", path.join(dir, "ok.yml")], { line })).code).toBe(0);
        // The value refused by the schema is the one Litestream refuses too.
        d.replication.retention = "2562048h";
        expect(issuesOf(d).map((i) => i.code)).toEqual(["duration.overflow"]);
        writeFileSync(path.join(dir, "over.yml"), config.replace('"2562047h"', '"2562048h"'));
        const over = await runLitestream(["databases", "-config", path.join(dir, "over.yml")], { line });
        expect(over.code).not.toBe(0);
        expect(over.stdout + over.stderr).toMatch(/cannot unmarshal !!str `?2562048h`? into time.Duration/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
