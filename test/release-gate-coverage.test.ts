// No silent drops (docs/versions.md): on every 0.5 release, each setting the description can ask
// for is either refused naming a release, or written as its key. A key the renderer filters out
// through the per-release table while the plan accepts the setting would be lost without a word.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate, ProjectError, type ProjectInput } from "../src/index.js";

const RELEASES_05 = Array.from({ length: 18 }, (_, i) => `0.5.${i}`);
const s3 = {
  provider: "s3",
  endpoint: "https://s3.example.com",
  region: "eu-1",
  bucket: "app-backups",
  credentials: { accessKeyId: { env: "KEY" }, secretAccessKey: { env: "SECRET" } },
};

/** One setting each: the description's extra part, and the key path it is written at. */
const SETTINGS: Array<[string, Record<string, unknown>, (c: Record<string, any>) => unknown]> = [
  ["restoreOnBoot", { restoreOnBoot: true }, (c) => c.dbs[0]["restore-if-db-not-exists"]],
  ["heartbeat", { heartbeat: { url: { env: "PING" }, interval: "2m" } }, (c) => c["heartbeat-url"] && c["heartbeat-interval"]],
  ["shutdownSyncTimeout", { shutdownSyncTimeout: "45s" }, (c) => c["shutdown-sync-timeout"]],
  ["compaction.levels", { compaction: { levels: ["30s", "5m"] } }, (c) => c.levels],
  ["compaction.l0Retention", { compaction: { l0Retention: "10m" } }, (c) => c["l0-retention"]],
  ["compaction.retentionEnabled", { compaction: { retentionEnabled: false } }, (c) => c.retention?.enabled === false],
  ["validationInterval", { replication: { validationInterval: "12h" } }, (c) => c.validation?.interval],
  ["snapshot", { replication: { snapshotInterval: "2h", retention: "48h" } }, (c) => c.snapshot?.interval && c.snapshot?.retention],
  ["logging", { logging: { level: "debug", type: "json", stderr: true } }, (c) => c.logging?.level && c.logging?.type && c.logging?.stderr],
  ["logging.type pretty", { logging: { type: "pretty" } }, (c) => c.logging?.type === "pretty"],
  ["monitoring", { monitoring: { addr: ":9090" } }, (c) => c.addr],
  ["truncatePageN", { databases: [{ name: "main", path: "/data/main.db", truncatePageN: 1000 }] }, (c) => c.dbs[0]["truncate-page-n"]],
  [
    "maxSyncWalBytes",
    { databases: [{ name: "main", path: "/data/main.db", maxSyncWalBytes: 1 << 24 }] },
    (c) => c.dbs[0]["max-sync-wal-bytes"],
  ],
  [
    "directory",
    { databases: [{ name: "t", path: "/data/t", directory: { pattern: "*.db", recursive: true, watch: true, metaDir: "/data/meta" } }] },
    (c) => c.dbs[0].dir && c.dbs[0].recursive && c.dbs[0].watch && c.dbs[0]["meta-dir"],
  ],
  ["syncInterval", { replication: { syncInterval: "3s" } }, (c) => c.dbs[0].replica["sync-interval"]],
  [
    "s3 destination",
    { storage: { ...s3, forcePathStyle: false, skipVerify: true } },
    (c) => ["bucket", "endpoint", "region", "force-path-style", "skip-verify"].every((k) => c.dbs[0].replica[k] !== undefined),
  ],
  [
    "s3 upload",
    { storage: { ...s3, partSize: "8MiB", concurrency: 2, signPayload: true } },
    (c) => ["part-size", "concurrency", "sign-payload"].every((k) => c.dbs[0].replica[k] !== undefined),
  ],
  ["storageClass", { storage: { ...s3, storageClass: "STANDARD_IA" } }, (c) => c.dbs[0].replica["storage-class"]],
  ["sse kms", { storage: s3, encryption: { sse: { kmsKeyId: "alias/x" } } }, (c) => c.dbs[0].replica["sse-kms-key-id"]],
  [
    "sse-c",
    { storage: s3, encryption: { sse: { customerKey: { env: "K" } } } },
    (c) => c.dbs[0].replica["sse-customer-key"] && c.dbs[0].replica["sse-customer-algorithm"],
  ],
  [
    "sftp",
    { storage: { provider: "sftp", host: "backup.example.com:22", user: "u", path: "/b", keyPath: "/k", password: { env: "P" } } },
    (c) => ["host", "user", "path", "key-path", "password"].every((k) => c.dbs[0].replica[k] !== undefined),
  ],
  [
    "azure",
    { storage: { provider: "azure", accountName: "acct123", bucket: "app-backups", credentials: { accountKey: { env: "AK" } } } },
    (c) => c.dbs[0].replica["account-name"] && c.dbs[0].replica.bucket,
  ],
  ["gcs", { storage: { provider: "gcs", bucket: "app-backups" } }, (c) => c.dbs[0].replica.type === "gs" && c.dbs[0].replica.bucket],
];

function outcome(release: string, extra: Record<string, unknown>): "refused" | Record<string, any> {
  const description = {
    name: "app",
    litestream: { version: "0.5", release },
    storage: { provider: "file", path: "/var/backups/app" },
    databases: [{ name: "main", path: "/data/main.db" }],
    restoreOnBoot: false,
    ...extra,
  } as ProjectInput;
  try {
    const file = generate(description).files.find((f) => f.kind === "litestream-config")!;
    return parse(file.content, { version: "1.1" }) as Record<string, any>;
  } catch (error) {
    if (!(error instanceof ProjectError)) throw error;
    const codes = new Set(error.issues.map((i) => i.code));
    expect(
      [...codes].every((c) => c === "version.feature" || c === "release.known-bad" || c === "directory.restore"),
      `${release}: ${error.message}`,
    ).toBe(true);
    return "refused";
  }
}

describe.each(SETTINGS)("%s", (_name, extra, written) => {
  it("is refused or written on every 0.5 release, and written on 0.5.17", () => {
    for (const release of RELEASES_05) {
      const c = outcome(release, extra);
      if (c !== "refused") expect(written(c), release).toBeTruthy();
    }
    expect(outcome("0.5.17", extra)).not.toBe("refused");
  });
});
