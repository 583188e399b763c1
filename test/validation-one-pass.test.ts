// Every problem of a description in one run: schema, plan and target checks, each problem once.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generate, ProjectError, type ProjectIssue } from "../src/index.js";
import { formatPath } from "../src/errors.js";
import { runBin } from "./support/cli-process.js";

function issuesOf(description: unknown): ProjectIssue[] {
  try {
    generate(description);
  } catch (error) {
    if (error instanceof ProjectError) return error.issues;
    throw error;
  }
  throw new Error("expected the description to be refused");
}

const credentials = { accessKeyId: { env: "K" }, secretAccessKey: { env: "S" } };

/** Ten different mistakes: schema-level, plan-level and target-level. */
const tenMistakes = () => ({
  name: "app",
  unknwon: true, // 1 unknown key
  litestream: { version: "0.3" },
  storage: {
    provider: "s3",
    endpoint: "https://s3.example.com",
    region: "eu-$REGION",
    bucket: "backups",
    prefix: "app\u0085x",
    credentials,
  }, // 2 $ in region, 3 NEL in prefix
  replication: { syncInterval: "10 seconds", retention: "9999999h" }, // 4 bad duration, 5 overflow
  databases: [
    { name: "main", path: "data/app.db" }, // 6 relative path without baseDir
    { name: "main", path: "/data/other.db" }, // 7 two databases sharing a replica path
  ],
  environments: {
    production: {
      storage: {
        provider: "hetzner",
        location: "fsn1",
        bucket: "backups",
        credentials: { accessKeyId: "AKIA123", secretAccessKey: { env: "S" } },
      }, // 8 literal secret
    },
  },
  targets: {
    kamal: { version: "2.10.1", host: "203.0.113.10" }, // 9 Kamal target without volume
    compose: { appService: "web", volume: "app_data:/data:ro" }, // 10 compose volume mounted read-only
  },
});

describe("one pass over every check", () => {
  it("reports all ten mistakes at once, schema problems first", () => {
    const issues = issuesOf(tenMistakes());
    const by = (p: string) => issues.filter((i) => formatPath(i.path) === p);
    expect(by("unknwon").map((i) => i.code)).toEqual(["key.unknown"]);
    expect(by("storage.region").map((i) => i.code)).toEqual(["text.dollar"]);
    expect(by("storage.prefix").map((i) => i.code)).toEqual(["text.unrepresentable"]);
    expect(by("replication.syncInterval").map((i) => i.code)).toEqual(["duration.invalid"]);
    expect(by("replication.retention").map((i) => i.code)).toEqual(["duration.overflow"]);
    expect(by("environments.production.storage.credentials.accessKeyId").map((i) => i.code)).toEqual(["secret.literal"]);
    expect(by("databases[0].path").map((i) => i.code)).toEqual(["path.relative"]);
    expect(by("databases[1].name").map((i) => i.code)).toEqual(["replica.shared"]);
    // Target checks (their modules set no codes yet): asserted by path and message.
    expect(
      by("targets.kamal.volume")
        .map((i) => i.message)
        .join("\n"),
    ).toMatch(/data volume is not set/);
    expect(
      by("targets.compose.volume")
        .map((i) => i.message)
        .join("\n"),
    ).toMatch(/read-only/);
    expect(issues).toHaveLength(10);
    // Schema problems come first, in a stable order.
    const schemaCodes = issues.slice(0, 6).map((i) => i.code);
    expect(schemaCodes).toEqual([
      "text.unrepresentable",
      "text.dollar",
      "duration.invalid",
      "duration.overflow",
      "secret.literal",
      "key.unknown",
    ]);
    expect(issuesOf(tenMistakes())).toEqual(issues);
    for (const issue of issues) expect(issue.fix, formatPath(issue.path)).toBeTruthy();
  });

  it("exits 2 through the CLI with all ten, and no stack trace", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ld-ten-"));
    try {
      writeFileSync(path.join(dir, "litestream.config.json"), JSON.stringify(tenMistakes()));
      const run = runBin(dir, "generate", "--dry-run");
      expect(run.status).toBe(2);
      expect(run.stderr).toContain("The project description has 10 problems:");
      expect(run.stderr).not.toMatch(/^\s+at /m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("skips only the checks that depend on a refused value", () => {
    // The bucket is refused: nothing about the storage it belongs to is guessed, but the
    // relative database path (which does not depend on it) is still reported.
    const d = {
      name: "app",
      litestream: { version: "0.3" },
      storage: { provider: "aws", region: "eu-central-1", bucket: "Bad_Bucket" },
      databases: [{ name: "main", path: "rel/app.db" }],
    };
    expect(issuesOf(d).map((i) => [formatPath(i.path), i.code])).toEqual([
      ["storage.bucket", "bucket.invalid"],
      ["databases[0].path", "path.relative"],
    ]);
  });

  it("never mentions the placeholder used to stand in for a refused value", () => {
    const d = {
      name: "app",
      litestream: { version: "0.3" },
      storage: { provider: "file", path: "/b\u2028" },
      databases: [{ path: "/data/a\u0000.db" }, { path: "/data/b\u0000.db" }],
    };
    const issues = issuesOf(d);
    expect(issues.map((i) => formatPath(i.path))).toEqual(["storage.path", "databases[0].path", "databases[1].path"]);
    expect(JSON.stringify(issues)).not.toContain("placeholder");
  });
});
