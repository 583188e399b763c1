/**
 * Which Litestream release reads what: the one table the generator, its refusals and the key-set
 * tests are all derived from (docs/versions.md). 0.5 rows are the first tag containing the change;
 * 0.3 rows are the keys measured on 0.3.13 (0.3.14 reads the same keys; 0.3.9–0.3.12 are assumed to).
 */
import { compareRelease } from "./compare.js";

export type LitestreamLine = "0.3" | "0.5";

export const RELEASE_LINES = {
  "0.3": { oldest: "0.3.9", default: "0.3.14" },
  "0.5": { oldest: "0.5.0", default: "0.5.17" },
} as const satisfies Record<LitestreamLine, { oldest: string; default: string }>;

/** Where a key sits in litestream.yml. */
export type KeyScope = "top" | "logging" | "snapshot" | "retention" | "db" | "replica" | "type";

export interface KeyRow {
  line: LitestreamLine;
  scope: KeyScope;
  key: string;
  /** First release of its line that reads the key. */
  since: string;
  /** First release that ignores it again (silently). */
  until?: string;
}

const row = (line: LitestreamLine, scope: KeyScope, since: string, keys: string[], until?: string): KeyRow[] =>
  keys.map((key) => ({ line, scope, key, since, ...(until ? { until } : {}) }));

const REPLICA_03 = [
  "type",
  "name",
  "path",
  "url",
  "retention",
  "retention-check-interval",
  "sync-interval",
  "snapshot-interval",
  "validation-interval",
  "access-key-id",
  "secret-access-key",
  "region",
  "bucket",
  "endpoint",
  "force-path-style",
  "skip-verify",
  "account-name",
  "account-key",
  "host",
  "user",
  "password",
  "key-path",
  "age",
];
const REPLICA_05_0 = [
  "type",
  "path",
  "url",
  "bucket",
  "endpoint",
  "region",
  "force-path-style",
  "skip-verify",
  "sync-interval",
  "access-key-id",
  "secret-access-key",
  "account-name",
  "account-key",
  "host",
  "user",
  "password",
  "key-path",
];

/** Replica keys of 0.5, each with the release that brought it. */
const REPLICA_05: KeyRow[] = [
  ...row("0.5", "replica", "0.5.0", REPLICA_05_0),
  ...row("0.5", "replica", "0.5.3", ["sign-payload", "require-content-md5", "part-size", "concurrency", "host-key"]),
  ...row("0.5", "replica", "0.5.6", ["sse-customer-algorithm", "sse-customer-key", "sse-customer-key-path", "sse-kms-key-id"]),
  ...row("0.5", "replica", "0.5.7", ["auto-recover", "sas-token"]),
  ...row("0.5", "replica", "0.5.14", ["storage-class"]),
  ...row("0.5", "replica", "0.5.15", ["max-sync-ltx-files"]),
];

/**
 * The replica keys 0.5.3+ also reads at the top level, as a default for every replica (a replica's
 * own value wins). Not `type` (a replica without one is a file replica), `path`, `url`, `part-size`,
 * `concurrency`, `host-key`: parsed there and never applied (measured on 0.5.8, 0.5.12, 0.5.17;
 * ReplicaSettings.SetDefaults in 0.5.8 and 0.5.12). `storage-class` and `max-sync-ltx-files` are
 * not known to be applied, so they stay per replica.
 */
const REPLICA_DEFAULTS_05 = [
  "sync-interval",
  "access-key-id",
  "secret-access-key",
  "region",
  "bucket",
  "endpoint",
  "force-path-style",
  "sign-payload",
  "require-content-md5",
  "skip-verify",
  "sse-customer-algorithm",
  "sse-customer-key",
  "sse-customer-key-path",
  "sse-kms-key-id",
  "account-name",
  "account-key",
  "sas-token",
  "host",
  "user",
  "password",
  "key-path",
  "auto-recover",
];

export const KEY_TABLE: readonly KeyRow[] = [
  ...row("0.3", "top", "0.3.9", ["addr", "dbs", "exec", "access-key-id", "secret-access-key", "logging"]),
  ...row("0.3", "logging", "0.3.9", ["level", "type", "stderr"]),
  ...row("0.3", "db", "0.3.9", [
    "path",
    "meta-path",
    "monitor-interval",
    "checkpoint-interval",
    "min-checkpoint-page-count",
    "max-checkpoint-page-count",
    "replicas",
  ]),
  ...row("0.3", "replica", "0.3.9", REPLICA_03),
  ...row("0.3", "type", "0.3.9", ["file", "s3", "gcs", "abs", "sftp"]),

  ...row("0.5", "top", "0.5.0", ["addr", "dbs", "exec", "access-key-id", "secret-access-key", "logging", "snapshot", "levels", "mcp-addr"]),
  ...row("0.5", "top", "0.5.3", ["l0-retention", "l0-retention-check-interval"]),
  ...row("0.5", "top", "0.5.6", ["heartbeat-url", "heartbeat-interval", "shutdown-sync-timeout", "shutdown-sync-interval"]),
  ...row("0.5", "top", "0.5.7", ["socket", "verify-compaction", "validation"]),
  ...row("0.5", "top", "0.5.8", ["retention"]),
  ...REPLICA_05.filter((r) => REPLICA_DEFAULTS_05.includes(r.key)).map((r) => ({
    ...r,
    scope: "top" as const,
    since: compareRelease(r.since, "0.5.3") < 0 ? "0.5.3" : r.since,
  })),
  ...row("0.5", "logging", "0.5.0", ["level", "type", "stderr"]),
  ...row("0.5", "logging", "0.5.11", ["source"]),
  ...row("0.5", "snapshot", "0.5.0", ["interval", "retention"]),
  ...row("0.5", "retention", "0.5.8", ["enabled"]),
  ...row("0.5", "db", "0.5.0", ["path", "replica", "busy-timeout", "meta-path"]),
  ...row("0.5", "db", "0.5.0", ["max-checkpoint-page-count"], "0.5.3"),
  ...row("0.5", "db", "0.5.3", ["dir", "pattern", "recursive", "truncate-page-n"]),
  ...row("0.5", "db", "0.5.4", ["watch"]),
  ...row("0.5", "db", "0.5.6", ["restore-if-db-not-exists"]),
  ...row("0.5", "db", "0.5.12", ["snapshot"]),
  ...row("0.5", "db", "0.5.13", ["meta-dir"]),
  ...row("0.5", "db", "0.5.15", ["max-sync-wal-bytes"]),
  ...REPLICA_05,
  ...row("0.5", "type", "0.5.0", ["file", "s3", "gs", "abs", "sftp", "nats"]),
  ...row("0.5", "type", "0.5.3", ["webdav", "oss"]),
];

export function lineOf(release: string): LitestreamLine | undefined {
  if (/^0\.3\.\d+$/.test(release)) return "0.3";
  if (/^0\.5\.\d+$/.test(release)) return "0.5";
  return undefined;
}

function reads(r: KeyRow, release: string): boolean {
  return r.line === lineOf(release) && compareRelease(release, r.since) >= 0 && (!r.until || compareRelease(release, r.until) < 0);
}

/** The keys `release` reads in `scope`. */
export function keysRead(release: string, scope: KeyScope): string[] {
  return [...new Set(KEY_TABLE.filter((r) => r.scope === scope && reads(r, release)).map((r) => r.key))];
}

/** release → scope → key → answer: nested, so a look-up builds no key string (it runs for every written key). */
const READS_KEY = new Map<string, Map<KeyScope, Map<string, boolean>>>();

/** Whether `release` reads `key` in `scope` (the table is constant: each answer is worked out once). */
export function readsKey(release: string, scope: KeyScope, key: string): boolean {
  let scopes = READS_KEY.get(release);
  if (!scopes) READS_KEY.set(release, (scopes = new Map()));
  let keys = scopes.get(scope);
  if (!keys) scopes.set(scope, (keys = new Map()));
  let answer = keys.get(key);
  if (answer === undefined) keys.set(key, (answer = KEY_TABLE.some((r) => r.scope === scope && r.key === key && reads(r, release))));
  return answer;
}

/** The first release of `line` that reads `key` in `scope` (undefined: that line never does). */
export function firstReleaseWith(line: LitestreamLine, scope: KeyScope, key: string): string | undefined {
  return KEY_TABLE.filter((r) => r.line === line && r.scope === scope && r.key === key)
    .map((r) => r.since)
    .sort(compareRelease)[0];
}

/** Behaviour (not keys) the generated files rely on, by the release that brought it. */
export const BEHAVIOUR_TABLE = {
  /** `logging.type: pretty` (before 0.5.11 any type but text/json breaks the logger; 0.3 panics). */
  prettyLogging: { "0.3": undefined, "0.5": "0.5.11", what: 'logging type "pretty"' },
  /** 0.5 restores 0.3 backups reliably from 0.5.12 (0.5.17 for WAL segments over 4 GB). */
  restoreFrom03: { "0.3": undefined, "0.5": "0.5.12", what: "restoring a 0.3 backup" },
  /** Replica settings shared by every database written once at the top level (0.5.3+). */
  replicaDefaults: { "0.3": undefined, "0.5": "0.5.3", what: "top-level replica defaults" },
} as const satisfies Record<string, { "0.3": string | undefined; "0.5": string | undefined; what: string }>;

export type Behaviour = keyof typeof BEHAVIOUR_TABLE;

export function hasBehaviour(release: string, behaviour: Behaviour): boolean {
  const line = lineOf(release);
  const since = line ? BEHAVIOUR_TABLE[behaviour][line] : undefined;
  return since !== undefined && compareRelease(release, since) >= 0;
}
