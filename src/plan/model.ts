/**
 * The plan's data model: what `planProject` resolves a description into, shared by every artifact.
 */
import type { IssueList, IssuePath } from "../errors.js";
import type { Destination } from "../providers.js";
import type { ReplicationInput, SecretReference } from "../schema/common.js";
import type { EncryptionConfig, EnvironmentConfig, MigrateFromConfig, ProjectConfig } from "../schema/project.js";
import type { DebArch } from "../versions/index.js";
import type { TargetsConfig } from "../schema/targets.js";

export type { LitestreamLine } from "../versions/index.js";
import type { LitestreamLine } from "../versions/index.js";
export type ReplicationKey = keyof ReplicationInput;
export const REPLICATION_KEYS: ReplicationKey[] = [
  "syncInterval",
  "snapshotInterval",
  "retention",
  "retentionCheckInterval",
  "validationInterval",
];

/** One resolved duration and where it came from. */
export interface Setting {
  ms: number;
  /** Go duration string, e.g. "168h". */
  go: string;
  /** Which layer set it: "role cache", "preset active", "database primary", … */
  source: string;
  /** Why that layer chose it (presets only). */
  reason?: string;
  /** What the user typed when it had to be converted ("7d"). */
  converted?: string;
  /** Where in the description it was set. */
  path: IssuePath;
}

export type ReplicaPlan = Destination & ReplicaPlacement;

export interface ReplicaPlacement {
  name: string;
  /** Full path of this database's replica: <prefix>/<db> in a bucket, <dir>/<db> on disk. */
  path: string;
  settings: Partial<Record<ReplicationKey, Setting>>;
  /** The replica location as shown in messages, e.g. "s3://backups/app/main (endpoint https://…)". */
  location: string;
  /** Identity of the replica location, compared across databases and environments (nesting by "/"). */
  locationKey: string;
  /** Where the description gives this replica's exact path (replicaPath), when it does. */
  exactPathAt?: IssuePath;
}

/**
 * Where a database file is: an absolute path known when generating, or a variable read at start-up
 * (`{ env: "NAME" }`, written as ${NAME} in litestream.yml; only the entrypoint target runs with it,
 * src/plan/path-env.ts).
 */
export type DatabasePath = { kind: "literal"; value: string } | { kind: "env"; name: string; at: IssuePath };

/** The path as Litestream reads it in its config: the literal, or ${NAME} (Litestream expands it). */
export function configPathText(path: DatabasePath): string {
  return path.kind === "literal" ? path.value : `\${${path.name}}`;
}

/**
 * The literal path, for what is built from the path when generating (mounts, units, operations).
 * A database path from the environment is refused there by src/plan/path-env.ts, before any target runs.
 */
export function literalPath(path: DatabasePath): string {
  if (path.kind === "literal") return path.value;
  throw new Error(`the database path is read from ${path.name} at start-up; this artifact needs it when generating (src/plan/path-env.ts)`);
}

export interface DatabasePlan {
  name: string;
  path: DatabasePath;
  role?: string;
  roleReason?: string;
  replicas: ReplicaPlan[];
  /** 0.5.3+: truncate-page-n. */
  truncatePageN?: number;
  /** 0.5.15+: max-sync-wal-bytes. */
  maxSyncWalBytes?: number;
  /**
   * 0.5.3+: `path` is a directory of tenant databases (dir + pattern). Each file found replicates to
   * `<replica path>/<its path inside the directory>`; there is no restore on boot (docs/versions.md).
   */
  directory?: DirectoryPlan;
}

export interface DirectoryPlan {
  pattern: string;
  recursive?: boolean;
  watch?: boolean;
  /** Absolute. */
  metaDir?: string;
}

/** An environment variable the Litestream process needs, and the reference it is resolved from. */
export interface EnvVarPlan {
  name: string;
  source: SecretReference;
  purpose: string;
  /** Also written as ${NAME} inside litestream.yml (Litestream expands it at start-up). */
  expandedInConfig: boolean;
  /** A non-secret setting known only at run time: which one (for the start-up check's message). */
  setting?: string;
  /** 'https': the value must start with https:// (a provider that refuses http). */
  mustBe?: "https";
  /** The variable holds a database path: set for the app too, so not a sign that Litestream is configured. */
  databasePath?: true;
  /** Read only by the restore-from config (restoreFrom's source keys), never by litestream.yml. */
  restoreOnly?: boolean;
}

/**
 * restoreFrom: a missing database with no backup of its own is restored from another environment's
 * replicas, through a config that only `restore` ever reads (docs/lifecycle.md).
 */
export interface RestoreFromPlan {
  /** The source environment. */
  environment: string;
  /** Where the restore-from config is written, next to configFile. */
  configFile: string;
  /** This environment's databases to seed, each with the source environment's replicas. */
  databases: Array<{ name: string; path: DatabasePath; replicas: ReplicaPlan[] }>;
  /** The variables holding the source's read-only S3 keys, written as ${NAME} in the config. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export interface EnvironmentPlan {
  name: string;
  configFile: string;
  databases: DatabasePlan[];
  monitoring?: { addr: string };
  logging?: { level?: string; type?: string; stderr?: boolean };
  heartbeat?: { interval?: Setting };
  encryption?: EncryptionConfig;
  compaction?: { levels?: Setting[]; l0Retention?: Setting; retentionEnabled?: boolean };
  /** 0.5 only: global snapshot settings derived from the databases' timings. */
  snapshot?: { interval?: Setting; retention?: Setting };
  validation?: { interval?: Setting };
  restoreOnBoot: boolean;
  /** Retry a failing restore on boot (docs/lifecycle.md); absent: one attempt. */
  restoreRetry?: RestoreRetryPlan;
  /** Seed missing databases from another environment's backup (docs/lifecycle.md). */
  restoreFrom?: RestoreFromPlan;
  /** What a stop must allow for: Litestream's final sync, and the grace period every target sets. */
  shutdown: ShutdownPlan;
  env: EnvVarPlan[];
  targets: TargetsConfig;
}

export interface RestoreRetryPlan {
  attempts: number;
  maxDelaySeconds: number;
}

export interface ShutdownPlan {
  /** 0.5.6+: written as shutdown-sync-timeout when the description sets it. */
  syncTimeout?: Setting;
  /** Seconds between SIGTERM and SIGKILL that every target asks its orchestrator for. */
  graceSeconds: number;
  /** One line saying where graceSeconds comes from, for the generated comments. */
  reason: string;
}

/** The release .deb the systemd install script downloads, and the SHA-256 it checks it against. */
export interface DebPlan {
  /** false only when the description says `verify: false`. */
  verify: boolean;
  urls: Record<DebArch, string>;
  /** Hex SHA-256 by architecture: from litestream.checksum or the recorded checksums.txt (src/versions). */
  sha256: Partial<Record<DebArch, string>>;
  /** Where the checksums came from ("" when none is known). */
  source: string;
}

export interface LitestreamPlan {
  version: LitestreamLine;
  release: string;
  /** The image reference every container target uses (tag, and digest when known). */
  image: string;
  /** The digest part of `image`, when it has one. */
  imageDigest?: string;
  deb: DebPlan;
  /** 0.5 replacing 0.3: where the 0.3 backups are (docs/versions.md). */
  migrateFrom?: MigrateFromConfig;
}

export interface Plan {
  name: string;
  litestream: LitestreamPlan;
  environments: EnvironmentPlan[];
  warnings: Warning[];
}

export interface Warning {
  path: IssuePath;
  message: string;
}

/** What planning one environment needs to know. */
export interface EnvironmentInput {
  project: ProjectConfig;
  version: LitestreamLine;
  release: string;
  envName: string;
  env: EnvironmentConfig;
  dbNames: string[];
  single: boolean;
  issues: IssueList;
  warnings: Warning[];
}

/** Where storage `i` sits in the description: `storage` itself, or `replicas[i]`. */
export function storageAt(storagePath: IssuePath, i: number): IssuePath {
  return storagePath[storagePath.length - 1] === "storage" ? storagePath : [...storagePath, i];
}
