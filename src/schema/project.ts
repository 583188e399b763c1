/**
 * The project description: the one typed input of litestream-deploy.
 * Strict objects everywhere: an unknown key is an error (Litestream itself ignores them silently).
 */
import { z } from "zod";
import {
  DatabaseName,
  Duration,
  EnvSetting,
  EnvVarName,
  formatMessage,
  FsPath,
  LiteralString,
  portInRange,
  Replication,
  ReplicaPathText,
  SecretRef,
  Slug,
  Text,
} from "./common.js";
import { MonitoringAlerts, Runbook, Verification } from "./operations.js";
import { Prefix, Storage } from "./storage.js";
import { TargetOverrides, Targets } from "./targets.js";

export const USE_CASE_PRESETS = ["personal", "active", "critical"] as const;
export const BUILTIN_ROLES = ["primary", "queue", "cache", "cable"] as const;

const Sha256 = Text.regex(
  /^sha256:[0-9a-f]{64}$/,
  formatMessage(
    'a checksum is "sha256:" and 64 lower-case hex characters',
    'copy the line for your .deb from the release\'s checksums.txt, e.g. "sha256:<64 hex>"',
    "checksum.invalid",
  ),
);

const MigrateFrom = z.strictObject({
  version: z.literal("0.3").meta({ description: "The line the existing backups were written by." }),
  prefix: LiteralString.optional().meta({
    description: "Object stores: the bucket prefix the 0.3 backups are under (default: the project name).",
  }),
  path: FsPath.optional().meta({ description: "File and SFTP replicas: the directory the 0.3 backups are in." }),
});

const Litestream = z.strictObject({
  version: z.enum(["0.3", "0.5"]).meta({
    description: 'The Litestream line you run. "0.3" and "0.5" read different config shapes; there is no default on purpose.',
  }),
  release: Text.regex(
    /^0\.(3|5)\.\d+$/,
    formatMessage('an exact release such as "0.3.14" or "0.5.17"', 'e.g. "0.3.14" or "0.5.17"', "release.invalid"),
  )
    .optional()
    .meta({
      description:
        "Exact release to pin: any 0.3.x from 0.3.9, or any 0.5.x (defaults: 0.3.14, 0.5.17). Every key written is one this release reads (docs/versions.md).",
    }),
  image: LiteralString.optional().meta({
    description: "Container image to pin instead of litestream/litestream:<release>; a digest (@sha256:…) is kept.",
  }),
  checksum: z
    .union([Sha256, z.strictObject({ amd64: Sha256.optional(), arm64: Sha256.optional() })])
    .optional()
    .meta({
      description:
        'SHA-256 of the release .deb the systemd install script downloads, from the release\'s checksums.txt: "sha256:…" for the amd64 .deb, or { amd64, arm64 }.',
    }),
  verify: z.boolean().optional().meta({
    description: "false: download the .deb without checking a SHA-256 (needed when neither the generator nor `checksum` knows it).",
  }),
  migrateFrom: MigrateFrom.optional().meta({
    description:
      "0.5 only: the databases are backed up by 0.3 today; 0.5 writes to a new location and restores the 0.3 backup (docs/versions.md).",
  }),
  walAutocheckpointOff: z
    .boolean()
    .optional()
    .meta({ description: "The app sets PRAGMA wal_autocheckpoint=0 (0.5.6-0.5.7 stop replicating then)." }),
});

const Directory = z.strictObject({
  pattern: LiteralString.meta({ description: 'Which files of the directory are databases, a glob such as "*.db" (Go filepath.Match).' }),
  recursive: z.boolean().optional().meta({ description: "Also look in subdirectories." }),
  watch: z.boolean().optional().meta({ description: "0.5.4+: replicate databases created after Litestream started." }),
  metaDir: FsPath.optional().meta({ description: "0.5.13+: where Litestream keeps each tenant's metadata (default: beside each file)." }),
});

/** An exact replica path for every replica of a database, or one per replica name (several replicas, 0.3). */
const ReplicaPath = z.union([ReplicaPathText, EnvSetting, z.record(Slug, z.union([ReplicaPathText, EnvSetting]))]).meta({
  description:
    'Keep an existing backup: the exact replica path, used as is instead of <prefix>/<database name> (the key in the bucket, e.g. "production.sqlite3", or the directory of a file/SFTP replica); { env: "NAME" } reads it at start-up; { <replica name>: path } for several replicas.',
});

const Database = z.strictObject({
  name: DatabaseName.optional().meta({
    description: "Defaults to the file name without extension; used in the replica path (dots allowed: a label only).",
  }),
  replicaPath: ReplicaPath.optional(),
  path: z.union([FsPath, EnvSetting]).meta({
    description:
      'The database file, or with `directory` the directory of tenant databases. { env: "NAME" }: read at start-up (entrypoint target only; needs `name`).',
  }),
  directory: Directory.optional().meta({
    description:
      "0.5.3+: `path` is a directory of databases (dir + pattern); each file found replicates to <replica path>/<file path inside the directory> (docs/versions.md).",
  }),
  role: Slug.optional().meta({ description: "primary | queue | cache | cable, or a role defined under `roles`." }),
  replication: Replication.optional(),
  truncatePageN: z
    .int()
    .min(1)
    .optional()
    .meta({ description: "0.5.3+: WAL pages after which a checkpoint truncates the WAL (truncate-page-n)." }),
  maxSyncWalBytes: z.int().min(1).optional().meta({ description: "0.5.15+: WAL bytes after which a sync is forced (max-sync-wal-bytes)." }),
});

const DatabaseOverride = z.strictObject({
  path: z
    .union([FsPath, EnvSetting])
    .optional()
    .meta({ description: 'This environment\'s database path; { env: "NAME" } reads it at start-up.' }),
  replicaPath: ReplicaPath.optional().meta({ description: "This environment's exact replica path (replaces the database's)." }),
  replication: Replication.optional(),
});

const Monitoring = z.strictObject({
  addr: Text.regex(
    /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]*):\d{1,5}$/,
    formatMessage('the metrics address needs a port, e.g. ":9090" or "127.0.0.1:9090"', 'e.g. "127.0.0.1:9090"', "addr.invalid"),
  ).superRefine(portInRange(9090)),
  alerts: MonitoringAlerts.optional().meta({ description: "Prometheus alert rules and a runbook link per alert (docs/operations.md)." }),
});

const Logging = z.strictObject({
  level: z.enum(["debug", "info", "warn", "error"]).optional(),
  type: z.enum(["text", "json", "pretty"]).optional().meta({ description: '"pretty" needs 0.5.' }),
  stderr: z.boolean().optional(),
});

const Heartbeat = z.strictObject({
  url: SecretRef.meta({ description: "0.5 only: dead-man URL pinged when every database has synced." }),
  interval: Duration.optional().meta({ description: "Default 5m, minimum 1m." }),
});

const Encryption = z.union([
  z.strictObject({
    age: z.strictObject({
      recipients: z
        .array(
          Text.regex(
            /^age1[0-9a-z]{58}$/,
            formatMessage(
              "an age recipient is a public key starting with age1",
              "paste the public key printed by `age-keygen` (age1 and 58 characters)",
              "age.recipient",
            ),
          ),
        )
        .min(1),
      identity: SecretRef.optional().meta({ description: "The private key, needed to restore." }),
    }),
  }),
  z.strictObject({
    sse: z.union([
      z.strictObject({ customerKey: SecretRef.meta({ description: "0.5 only: SSE-C key (base64, 32 bytes)." }) }),
      z.strictObject({ kmsKeyId: LiteralString.meta({ description: "0.5 only: SSE-KMS key id or ARN." }) }),
    ]),
  }),
]);

const Compaction = z.strictObject({
  levels: z.array(Duration).min(1).optional().meta({ description: "0.5 only: compaction level intervals (replaces 30s, 5m, 1h)." }),
  l0Retention: Duration.optional().meta({ description: "0.5.3+: how long L0 files are kept (default 5m)." }),
  retentionEnabled: z
    .boolean()
    .optional()
    .meta({ description: "0.5.8+: false leaves old backup files to the storage's own lifecycle rules (retention.enabled)." }),
});

const RestoreRetry = z.strictObject({
  attempts: z
    .int()
    .min(2)
    .max(1000)
    .meta({ description: "How many times each restore is tried before giving up (the app is then not started)." }),
  maxDelaySeconds: z
    .int()
    .min(1)
    .max(3600)
    .optional()
    .meta({ description: "Longest wait between attempts; waits start at 2 s and double up to it (default 60)." }),
});

const RestoreFrom = z.strictObject({
  environment: Slug.meta({ description: 'The environment whose backups seed this one, e.g. "production".' }),
  credentials: z
    .strictObject({
      accessKeyId: SecretRef.meta({ description: 'A read-only key for the source bucket, e.g. { env: "SEED_AWS_ACCESS_KEY_ID" }.' }),
      secretAccessKey: SecretRef,
    })
    .optional()
    .meta({ description: "S3 sources: read-only keys for the source (default: this environment's own keys)." }),
  databases: z.array(DatabaseName).min(1).optional().meta({ description: "Which databases to seed (default: every one)." }),
});

/** What one environment changes relative to the top level. */
const Environment = z.strictObject({
  baseDir: FsPath.optional().meta({
    description: "Absolute directory that relative database and file-replica paths are resolved against.",
  }),
  configFile: LiteralString.optional().meta({ description: "Where this environment's litestream.yml is written." }),
  storage: Storage.optional(),
  replicas: z.array(Storage).min(1).optional(),
  prefix: Prefix.optional().meta({
    description:
      'Keep the inherited storage but use this bucket prefix (e.g. a per-environment prefix in one bucket; "" = the bucket root).',
  }),
  preset: z.enum(USE_CASE_PRESETS).optional(),
  replication: Replication.optional(),
  databases: z.record(DatabaseName, DatabaseOverride).optional(),
  monitoring: Monitoring.optional(),
  logging: Logging.optional(),
  heartbeat: Heartbeat.optional(),
  encryption: Encryption.optional(),
  restoreOnBoot: z.boolean().optional(),
  restoreRetry: RestoreRetry.optional(),
  restoreFrom: RestoreFrom.optional().meta({
    description:
      "Seed a missing database from another environment's backup, read-only, when this environment has none of its own (docs/lifecycle.md).",
  }),
  shutdownSyncTimeout: Duration.optional(),
  verification: Verification.optional(),
  runbook: Runbook.optional(),
  targets: TargetOverrides.optional(),
});

export const Project = z.strictObject({
  name: Slug.meta({ description: "The application's name; used for service names and defaults." }),
  litestream: Litestream,
  storage: Storage.optional().meta({ description: "Where backups go (or use `replicas` for several, 0.3 only)." }),
  replicas: z.array(Storage).min(1).optional(),
  databases: z.array(Database).min(1),
  preset: z.enum(USE_CASE_PRESETS).optional().meta({
    description: "personal (1h/24h/168h), active (10s/1h/72h) or critical (1s/6h/720h): sync/snapshot/retention.",
  }),
  replication: Replication.optional().meta({ description: "Timing for every database (presets and roles refine it)." }),
  roles: z.record(Slug, Replication).optional().meta({ description: "Custom database roles and their timing." }),
  restoreOnBoot: z.boolean().optional().meta({
    description: "Restore a missing database from its backup before the app starts (default true).",
  }),
  restoreRetry: RestoreRetry.optional().meta({
    description: "Retry a failing restore on boot with back-off, e.g. on a device that boots before its network is up (docs/lifecycle.md).",
  }),
  shutdownSyncTimeout: Duration.optional().meta({
    description:
      "0.5.6+: how long Litestream keeps retrying its final sync on SIGTERM (default 30s). Every target's stop grace period is derived from it.",
  }),
  monitoring: Monitoring.optional(),
  logging: Logging.optional(),
  heartbeat: Heartbeat.optional(),
  encryption: Encryption.optional(),
  compaction: Compaction.optional(),
  verification: Verification.optional().meta({ description: "A scheduled restore drill per environment (docs/operations.md)." }),
  runbook: Runbook.optional(),
  environments: z.record(Slug, Environment).optional().meta({
    description: "One litestream.yml per environment (default: a single `production`).",
  }),
  targets: Targets.optional(),
});

export type ProjectInput = z.input<typeof Project>;
export type ProjectConfig = z.output<typeof Project>;
export type EnvironmentConfig = z.output<typeof Environment>;
export type DatabaseConfig = z.output<typeof Database>;
export type DirectoryConfig = z.output<typeof Directory>;
export type EncryptionConfig = z.output<typeof Encryption>;
export type MigrateFromConfig = z.output<typeof MigrateFrom>;
export type RestoreFromConfig = z.output<typeof RestoreFrom>;
export type ReplicaPathConfig = z.output<typeof ReplicaPath>;
export { EnvVarName };
