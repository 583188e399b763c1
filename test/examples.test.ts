// Every example: reviewed snapshots of every generated file, determinism, and no litestream.yml key the chosen line ignores.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate } from "../src/index.js";
import { exampleNames, loadExample } from "./support/examples.js";

// The keys each line reads, transcribed from litestream-facts.md §3 (independently of src/).
const KEYS = {
  "0.3": {
    top: ["addr", "dbs", "exec", "access-key-id", "secret-access-key", "logging"],
    logging: ["level", "type", "stderr"],
    db: ["path", "meta-path", "monitor-interval", "checkpoint-interval", "min-checkpoint-page-count", "max-checkpoint-page-count", "replicas"],
    replica: ["type", "name", "path", "url", "retention", "retention-check-interval", "sync-interval", "snapshot-interval", "validation-interval", "access-key-id", "secret-access-key", "region", "bucket", "endpoint", "force-path-style", "skip-verify", "account-name", "account-key", "host", "user", "password", "key-path", "age"],
    types: ["file", "s3", "gcs", "abs", "sftp"],
  },
  "0.5": {
    top: ["addr", "dbs", "exec", "access-key-id", "secret-access-key", "logging", "snapshot", "levels", "l0-retention", "l0-retention-check-interval", "validation", "retention", "verify-compaction", "heartbeat-url", "heartbeat-interval", "shutdown-sync-timeout", "shutdown-sync-interval", "socket", "mcp-addr"],
    logging: ["level", "type", "stderr", "source"],
    db: ["path", "dir", "pattern", "recursive", "watch", "meta-dir", "restore-if-db-not-exists", "busy-timeout", "truncate-page-n", "max-sync-wal-bytes", "snapshot", "replica"],
    // 0.3's retention, snapshot-interval, retention-check-interval are silently ignored here; validation-interval does nothing.
    replica: ["type", "path", "url", "bucket", "endpoint", "region", "force-path-style", "skip-verify", "sync-interval", "access-key-id", "secret-access-key", "account-name", "account-key", "host", "user", "password", "key-path", "sign-payload", "require-content-md5", "storage-class", "part-size", "concurrency", "sse-customer-algorithm", "sse-customer-key", "sse-customer-key-path", "sse-kms-key-id", "auto-recover", "max-sync-ltx-files"],
    types: ["file", "s3", "gs", "abs", "sftp", "webdav", "nats", "oss"],
  },
} as const;

type Line = keyof typeof KEYS;

/** Every key outside the line's key set, with where it was found. */
export function keysOutside(config: Record<string, unknown>, line: Line): string[] {
  const k = KEYS[line];
  const bad: string[] = [];
  const check = (obj: unknown, allowed: readonly string[], where: string) => {
    for (const key of Object.keys(obj as object)) if (!allowed.includes(key)) bad.push(`${where}.${key}`);
  };
  check(config, k.top, "top");
  if (config.logging) check(config.logging, k.logging, "logging");
  for (const [i, db] of (config.dbs as Array<Record<string, unknown>>).entries()) {
    check(db, k.db, `dbs[${i}]`);
    const replicas = line === "0.3" ? (db.replicas as Array<Record<string, unknown>>) : [db.replica as Record<string, unknown>];
    for (const [j, replica] of (replicas ?? []).entries()) {
      check(replica, k.replica, `dbs[${i}].replica[${j}]`);
      if (!(k.types as readonly string[]).includes(replica.type as string)) bad.push(`dbs[${i}].replica[${j}].type=${String(replica.type)}`);
    }
  }
  return bad;
}

const names = exampleNames();

describe.each(names)("example %s", (name) => {
  it("matches the reviewed snapshot of every file it generates", async () => {
    const { files } = generate(await loadExample(name));
    expect(files.filter((f) => f.kind === "litestream-config").length).toBeGreaterThan(0);
    // Shared files (deploy.yml, .kamal/secrets, compose.yaml) depend on the user's file: their
    // snapshots are taken by the target tests, merged into realistic fixtures.
    for (const file of files.filter((f) => f.ownership === "generated")) {
      await expect(file.content).toMatchFileSnapshot(`../snapshots/${name}/${file.path}`);
    }
  });

  it("is deterministic, LF-only and ends with one newline", async () => {
    const description = await loadExample(name);
    const first = generate(description).files;
    const second = generate(structuredClone(description)).files;
    expect(second).toEqual(first);
    for (const file of first) {
      expect(file.content, file.path).not.toContain("\r");
      expect(file.content.endsWith("\n") && !file.content.endsWith("\n\n"), file.path).toBe(true);
    }
  });

  it("writes only keys the chosen Litestream line reads, durations as quoted unit strings", async () => {
    const description = await loadExample(name);
    const { files, plan } = generate(description);
    for (const file of files.filter((f) => f.kind === "litestream-config")) {
      const config = parse(file.content, { version: "1.1" }) as Record<string, unknown>;
      expect(keysOutside(config, plan.litestream.version), file.path).toEqual([]);
      // Every duration-valued line is a quoted Go duration (a bare number is nanoseconds).
      for (const line of file.content.split("\n")) {
        const m = /^\s*-?\s*(sync-interval|snapshot-interval|retention|retention-check-interval|validation-interval|interval|l0-retention|heartbeat-interval):\s*(.*?)(\s+#.*)?$/.exec(line);
        if (m) expect(m[2], line).toMatch(/^"(\d+h)?(\d+m)?(\d+s)?(\d+ms)?"$/);
      }
    }
  });
});

describe("the 0.5 key check itself", () => {
  it("flags 0.3 keys written into a 0.5 config", () => {
    const config = { dbs: [{ path: "/d.db", replicas: [], replica: { type: "s3", retention: "24h", "snapshot-interval": "1h" } }] };
    expect(keysOutside(config, "0.5")).toEqual(["dbs[0].replicas", "dbs[0].replica[0].retention", "dbs[0].replica[0].snapshot-interval"]);
  });
  it("flags a 0.5 singular replica in a 0.3 config (0.3.13 would run it with zero replicas)", () => {
    expect(keysOutside({ dbs: [{ path: "/d.db", replica: { type: "file", path: "/b" } }] }, "0.3")).toEqual(["dbs[0].replica"]);
  });
});

describe("every 0.5 feature the description can express", () => {
  const description = {
    name: "features",
    litestream: { version: "0.5" },
    storage: {
      provider: "tigris",
      bucket: "features-backups",
      credentials: { accessKeyId: { env: "TIGRIS_KEY" }, secretAccessKey: "op://Infra/Tigris/secret" },
    },
    databases: [
      { name: "main", path: "/data/main.db", role: "primary" },
      { name: "cache", path: "/data/cache.db", role: "cache", replication: { validationInterval: "24h" } },
    ],
    heartbeat: { url: { env: "DEADMAN_URL" }, interval: "2m" },
    encryption: { sse: { customerKey: { env: "SSE_KEY" } } },
    compaction: { levels: ["30s", "5m", "1h", "1d"], l0Retention: "10m" },
    monitoring: { addr: ":9090" },
    logging: { level: "info", type: "pretty" },
  } as const;

  it("writes only 0.5 keys, with one global snapshot policy and a warning about it", async () => {
    const { files, warnings } = generate(description);
    const config = files[0]!.content;
    expect(keysOutside(parse(config, { version: "1.1" }), "0.5")).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual([
      "Litestream 0.5 has one global snapshot interval; the databases ask for 1h, 6h, so 1h applies to all of them",
      "Litestream 0.5 has one global snapshot retention; the databases ask for 720h, 24h, so 720h applies to all of them",
      '"1d" converted to "24h": Go durations have no day or week unit',
    ]);
    await expect(config).toMatchFileSnapshot("../snapshots/features/litestream-0.5-all-features.yml");
  });
});
