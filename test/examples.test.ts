// Every example: reviewed snapshots of every generated file, determinism, and no litestream.yml key the chosen line ignores.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate } from "../src/index.js";
import { readsKey, type KeyScope } from "../src/versions/index.js";
import { exampleNames, loadExample } from "./support/examples.js";

/**
 * Every key outside what `release` reads, with where it was found. The key sets come from the
 * release table in src/versions (the one source of truth the generator's gates read too); the
 * self-tests below prove a key of a later release is flagged on an earlier one.
 */
export function keysOutside(config: Record<string, unknown>, release: string): string[] {
  const bad: string[] = [];
  const check = (obj: unknown, scope: KeyScope, where: string) => {
    for (const key of Object.keys(obj as object)) if (!readsKey(release, scope, key)) bad.push(`${where}.${key}`);
  };
  const v05 = release.startsWith("0.5.");
  check(config, "top", "top");
  if (config.logging) check(config.logging, "logging", "logging");
  if (v05 && config.snapshot) check(config.snapshot, "snapshot", "snapshot");
  if (v05 && config.retention) check(config.retention, "retention", "retention");
  for (const [i, db] of (config.dbs as Array<Record<string, unknown>>).entries()) {
    check(db, "db", `dbs[${i}]`);
    const replicas = v05 ? [db.replica as Record<string, unknown>] : (db.replicas as Array<Record<string, unknown>>);
    for (const [j, replica] of (replicas ?? []).entries()) {
      if (!replica) continue;
      check(replica, "replica", `dbs[${i}].replica[${j}]`);
      if (!readsKey(release, "type", replica.type as string)) bad.push(`dbs[${i}].replica[${j}].type=${String(replica.type)}`);
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
      expect(keysOutside(config, plan.litestream.release), file.path).toEqual([]);
      // Every duration-valued line is a quoted Go duration (a bare number is nanoseconds).
      for (const line of file.content.split("\n")) {
        const m =
          /^\s*-?\s*(sync-interval|snapshot-interval|retention|retention-check-interval|validation-interval|interval|l0-retention|heartbeat-interval):\s*(.*?)(\s+#.*)?$/.exec(
            line,
          );
        if (m) expect(m[2], line).toMatch(/^"(\d+h)?(\d+m)?(\d+s)?(\d+ms)?"$/);
      }
    }
  });
});

describe("the key check itself", () => {
  it("flags 0.3 keys written into a 0.5 config", () => {
    const config = { dbs: [{ path: "/d.db", replicas: [], replica: { type: "s3", retention: "24h", "snapshot-interval": "1h" } }] };
    expect(keysOutside(config, "0.5.17")).toEqual([
      "dbs[0].replicas",
      "dbs[0].replica[0].retention",
      "dbs[0].replica[0].snapshot-interval",
    ]);
  });
  it("flags a 0.5 singular replica in a 0.3 config (0.3.13 would run it with zero replicas)", () => {
    expect(keysOutside({ dbs: [{ path: "/d.db", replica: { type: "file", path: "/b" } }] }, "0.3.14")).toEqual(["dbs[0].replica"]);
  });
  it("flags a key of a later release on an earlier one, and not from that release on", () => {
    const config = {
      "shutdown-sync-timeout": "30s",
      retention: { enabled: false },
      dbs: [
        {
          path: "/d.db",
          snapshot: { interval: "1h" },
          "max-sync-wal-bytes": 1,
          replica: { type: "s3", bucket: "b", path: "p", "storage-class": "STANDARD_IA" },
        },
      ],
    };
    expect(keysOutside(config, "0.5.5")).toEqual([
      "top.shutdown-sync-timeout",
      "top.retention",
      "retention.enabled",
      "dbs[0].snapshot",
      "dbs[0].max-sync-wal-bytes",
      "dbs[0].replica[0].storage-class",
    ]);
    expect(keysOutside(config, "0.5.11")).toEqual(["dbs[0].snapshot", "dbs[0].max-sync-wal-bytes", "dbs[0].replica[0].storage-class"]);
    expect(keysOutside(config, "0.5.15")).toEqual([]);
  });
  it("flags a key its release ignores again (max-checkpoint-page-count from 0.5.3 on)", () => {
    const config = { dbs: [{ path: "/d.db", "max-checkpoint-page-count": 10000, replica: { type: "file", path: "/b" } }] };
    expect(keysOutside(config, "0.5.2")).toEqual([]);
    expect(keysOutside(config, "0.5.3")).toEqual(["dbs[0].max-checkpoint-page-count"]);
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
    expect(keysOutside(parse(config, { version: "1.1" }), "0.5.17")).toEqual([]);
    expect(warnings.map((w) => w.message)).toEqual([
      "Litestream 0.5 has one global snapshot interval; the databases ask for 1h, 6h, so 1h applies to all of them",
      "Litestream 0.5 has one global snapshot retention; the databases ask for 720h, 24h, so 720h applies to all of them",
      '"1d" converted to "24h": Go durations have no day or week unit',
    ]);
    await expect(config).toMatchFileSnapshot("../snapshots/features/litestream-0.5-all-features.yml");
  });
});
