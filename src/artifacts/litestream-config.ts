/**
 * plan → litestream.yml, in the dialect of the pinned release. Only keys that release reads are
 * ever written (src/versions): Litestream ignores unknown keys silently (docs/versions.md).
 */
import { describeDuration } from "../duration.js";
import { headerLines } from "../header.js";
import { configPathText, ENV, type DatabasePlan, type EnvironmentPlan, type Plan, type ReplicaPlan, type Setting } from "../plan.js";
import { replicaUnder03 } from "../plan/migration.js";
import { hasBehaviour, readsKey, type KeyScope } from "../versions/index.js";
import {
  textDocument,
  type ItemsOnDemand,
  type TextMap,
  type TextNode as Node,
  type TextScalar,
  type TextSeq,
} from "../render/yaml-emit.js";

type Entries = Array<[string, Node | undefined]>;

// Every scalar has the same four fields (one object shape for the writer).
export function scalar(value: string | number | boolean, comment?: string): TextScalar {
  return { kind: "scalar", value, type: undefined, comment: comment ? ` ${comment}` : undefined };
}

/**
 * Durations are always quoted unit strings: a bare number is nanoseconds to Litestream.
 * The comment says where the value came from, unless that is already said above the database.
 */
function duration(setting: Setting, implied?: string): TextScalar {
  return quoted(setting.go, settingComment(setting, setting.source !== implied));
}

function settingComment(setting: Setting, showSource: boolean): string | undefined {
  const origin = setting.converted
    ? `from "${setting.converted}"`
    : setting.ms >= 86_400_000 && setting.ms % 86_400_000 === 0
      ? describeDuration(setting.ms)
      : undefined;
  if (!showSource) return origin;
  return origin ? `${origin}, ${setting.source}` : setting.source;
}

/**
 * Only keys the release reads, whatever the plan holds: the plan refuses every setting its release
 * lacks (plan/release-gates.ts), and a refused plan is still rendered for the target checks.
 */
function gated(release: string, scope: KeyScope, entries: Array<[string, Node | undefined]>): Array<[string, Node]> {
  const read: Array<[string, Node]> = [];
  for (const entry of entries) if (entry[1] !== undefined && readsKey(release, scope, entry[0])) read.push(entry as [string, Node]);
  return read;
}

export function map(entries: Array<[string, Node | undefined]>, commentBefore?: string): TextMap {
  const present = entries.every((entry) => entry[1] !== undefined)
    ? (entries as TextMap["entries"])
    : entries.filter((entry) => entry[1] !== undefined);
  return { kind: "map", entries: present as TextMap["entries"], commentBefore };
}

export function seq(items: TextSeq["items"]): TextSeq {
  return { kind: "seq", items };
}

const quoted = (value: string, comment?: string): TextScalar => ({
  kind: "scalar",
  value,
  type: "QUOTE_DOUBLE",
  comment: comment ? ` ${comment}` : undefined,
});
export const ref = (name: string) => scalar(`\${${name}}`);

export function renderLitestreamConfig(plan: Plan, env: EnvironmentPlan): string {
  const { release } = plan.litestream;
  const v05 = plan.litestream.version === "0.5";
  const top: Array<[string, Node | undefined]> = [];
  if (env.monitoring) {
    top.push(["addr", quoted(env.monitoring.addr, "Prometheus /metrics (also serves /debug/pprof)")]);
  }
  if (env.logging) {
    top.push([
      "logging",
      map(
        gated(release, "logging", [
          ["level", env.logging.level ? scalar(env.logging.level) : undefined],
          ["type", env.logging.type ? scalar(env.logging.type) : undefined],
          ["stderr", env.logging.stderr !== undefined ? scalar(env.logging.stderr) : undefined],
        ]),
      ),
    ]);
  }
  if (v05) top.push(...globals05(env, release));
  const replicas = env.databases.map((db) => (v05 ? replicaEntries(db, db.replicas[0], env, release) : []));
  const defaults = replicaDefaults(replicas, release);
  top.push(...defaults);
  const hoisted = new Set(defaults.map(([key]) => key));
  const withoutDefaults = (entries: Entries) => entries.filter(([key]) => !hoisted.has(key));
  // Each database's tree is made as it is written: 10,000 of them at once keep the garbage collector busy.
  const dbs: ItemsOnDemand = {
    length: env.databases.length,
    *[Symbol.iterator]() {
      for (let i = 0; i < env.databases.length; i++) yield renderDatabase(env.databases[i]!, env, release, withoutDefaults(replicas[i]!));
    },
  };
  top.push(["dbs", seq(dbs)]);

  const root = map(gated(release, "top", top));
  const firstDefault = root.entries.find(([key]) => hoisted.has(key));
  if (firstDefault)
    firstDefault[2] =
      " Replica settings every database shares, written once (Litestream 0.5.3+); each database keeps its own type and path.";
  const header = [
    ...headerLines(`Litestream ${release} config for environment "${env.name}"`),
    ...credentialNote(env),
    ...migrationNote(plan, env),
  ]
    .map((line) => ` ${line}`)
    .join("\n");
  return textDocument(root, header);
}

/** The order of a 0.3 → 0.5 move, where it happens (docs/versions.md). */
function migrationNote(plan: Plan, env: EnvironmentPlan): string[] {
  const from = plan.litestream.migrateFrom;
  if (!from) return [];
  const first = env.databases[0];
  const replica = first?.replicas[0];
  const old = first && replica ? replicaUnder03(replica, from, first.name).location : undefined;
  return [
    "Migrating from Litestream 0.3 (docs/versions.md): 0.3 cannot read these 0.5 backups, so they go to a new",
    `location${old && replica ? ` (${replica.location}, not the 0.3 ${old})` : ""}. In this order:`,
    "  1. stop Litestream 0.3 (its final sync runs), and never run it again on these databases;",
    "  2. install this config and start Litestream 0.5: it writes a fresh snapshot to the new location;",
    "  3. check a restore from the new location (litestream restore -o /tmp/check.db <database path>);",
    `  4. keep the 0.3 backups for their retention: ${plan.litestream.release} can restore them (0.5.12+);`,
    "  5. then delete the 0.3 location.",
  ];
}

function credentialNote(env: EnvironmentPlan): string[] {
  const vars = env.env.filter((v) => !v.restoreOnly);
  if (vars.length === 0) return [];
  const native = vars.filter((v) => !v.expandedInConfig).map((v) => v.name);
  const expanded = vars.filter((v) => v.expandedInConfig).map((v) => v.name);
  const lines: string[] = [];
  if (native.length) lines.push(`Credentials are read from the environment, never from this file: ${native.join(", ")}.`);
  if (expanded.length) lines.push(`Expanded by Litestream at start-up from the environment: ${expanded.join(", ")}.`);
  // Observed on 0.3.13: an empty age identity fails every command with "no secret keys found".
  if (expanded.includes(ENV.ageIdentity))
    lines.push(`${ENV.ageIdentity} must be set wherever this file is loaded (replicate too), or Litestream refuses to start.`);
  return lines;
}

function globals05(env: EnvironmentPlan, release: string): Array<[string, Node | undefined]> {
  const out: Array<[string, Node | undefined]> = [];
  if (env.snapshot) {
    out.push([
      "snapshot",
      map(
        gated(release, "snapshot", [
          ["interval", env.snapshot.interval ? duration(env.snapshot.interval) : undefined],
          ["retention", env.snapshot.retention ? duration(env.snapshot.retention) : undefined],
        ]),
      ),
    ]);
  }
  if (env.compaction?.retentionEnabled !== undefined)
    out.push(["retention", map(gated(release, "retention", [["enabled", scalar(env.compaction.retentionEnabled)]]))]);
  if (env.validation?.interval) out.push(["validation", map([["interval", duration(env.validation.interval)]])]);
  if (env.compaction?.levels) out.push(["levels", seq(env.compaction.levels.map((l) => map([["interval", duration(l, l.source)]])))]);
  if (env.compaction?.l0Retention) out.push(["l0-retention", duration(env.compaction.l0Retention, env.compaction.l0Retention.source)]);
  if (env.shutdown.syncTimeout) out.push(["shutdown-sync-timeout", duration(env.shutdown.syncTimeout, env.shutdown.syncTimeout.source)]);
  if (env.heartbeat) {
    out.push(["heartbeat-url", ref(ENV.heartbeatUrl)]);
    if (env.heartbeat.interval) out.push(["heartbeat-interval", duration(env.heartbeat.interval, env.heartbeat.interval.source)]);
  }
  return out;
}

/**
 * 0.5.3+: the replica keys every database has with the same value (and comment), written once at
 * the top level; each database keeps its `type` (a top-level type is not applied) and its `path`.
 * Automatic and deterministic: it depends on the databases only (docs/versions.md).
 */
function replicaDefaults(replicas: Entries[], release: string): Entries {
  const [first, ...rest] = replicas;
  if (!first || rest.length === 0 || !hasBehaviour(release, "replicaDefaults")) return [];
  const signatures = replicas.map((entries) => new Map(entries.map(([key, node]) => [key, signature(node)])));
  return first.filter(([key, node]) => {
    if (key === "type" || key === "path" || !readsKey(release, "top", key)) return false;
    const value = signature(node);
    return value !== undefined && signatures.every((s) => s.get(key) === value);
  });
}

/** What a scalar is written as, comment included; undefined for maps and lists (never shared). */
function signature(node: Node | undefined): string | undefined {
  return node?.kind === "scalar" ? JSON.stringify([node.value, node.type ?? "", node.comment ?? ""]) : undefined;
}

function renderDatabase(db: DatabasePlan, env: EnvironmentPlan, release: string, replica05: Entries): TextMap {
  const comment = db.role ? ` ${db.name}: role ${db.role}${db.roleReason ? ` (${db.roleReason})` : ""}` : undefined;
  const entries: Entries = db.directory ? directoryEntries(db) : [["path", dest(configPathText(db.path))]];
  if (release.startsWith("0.5.")) {
    // 0.5.6+: restore before replicating when the file is missing; start fresh when there is no backup.
    if (env.restoreOnBoot && !db.directory) entries.push(["restore-if-db-not-exists", scalar(true)]);
    if (db.truncatePageN !== undefined) entries.push(["truncate-page-n", scalar(db.truncatePageN)]);
    if (db.maxSyncWalBytes !== undefined) entries.push(["max-sync-wal-bytes", scalar(db.maxSyncWalBytes)]);
    if (db.replicas[0]) entries.push(["replica", map(replica05)]);
  } else {
    entries.push(["replicas", seq(db.replicas.map((r) => map(replicaEntries(db, r, env, release))))]);
  }
  return map(gated(release, "db", entries), comment);
}

/** `dir` + `pattern` (+ `recursive`, `watch`, `meta-dir`): each file found replicates to <replica path>/<its path inside dir>. */
function directoryEntries(db: DatabasePlan): Entries {
  const d = db.directory!;
  const pattern = quoted(d.pattern);
  return [
    ["dir", scalar(configPathText(db.path), "a directory of databases: each file replicates to <replica path>/<its path inside dir>")],
    ["pattern", pattern],
    ["recursive", d.recursive !== undefined ? scalar(d.recursive) : undefined],
    ["watch", d.watch !== undefined ? scalar(d.watch) : undefined],
    ["meta-dir", d.metaDir !== undefined ? scalar(d.metaDir) : undefined],
  ];
}

/**
 * A destination value. One holding ${NAME} (a setting read at start-up) is double-quoted: Litestream
 * expands the raw text before YAML parses it, so a value with "#" or ": " stays one string.
 */
export function dest(value: string, comment?: string): TextScalar {
  return value.includes("${") ? quoted(value, comment) : scalar(value, comment);
}

function destinationEntries(r: ReplicaPlan, env: EnvironmentPlan): Array<[string, Node | undefined]> {
  switch (r.type) {
    case "file":
      return [["path", dest(r.path)]];
    case "sftp":
      return [
        ["host", scalar(r.host)],
        ["user", scalar(r.user)],
        ["path", dest(r.path)],
        ["key-path", r.keyPath ? scalar(r.keyPath) : undefined],
        ["password", env.env.some((e) => e.name === ENV.sftpPassword) ? ref(ENV.sftpPassword) : undefined],
      ];
    case "abs":
      return [
        ["account-name", scalar(r.accountName)],
        ["bucket", dest(r.bucket)],
        ["path", dest(r.path)],
      ];
    case "gcs":
      return [
        ["bucket", dest(r.bucket)],
        ["path", dest(r.path)],
      ];
    case "s3":
      return [
        ["bucket", dest(r.bucket)],
        ["path", dest(r.path)],
        ["endpoint", r.endpoint ? dest(r.endpoint, r.notes.endpoint) : undefined],
        ["region", dest(r.region, r.notes.region)],
        ["force-path-style", r.forcePathStyle !== undefined ? scalar(r.forcePathStyle) : undefined],
        ["skip-verify", r.skipVerify ? scalar(true) : undefined],
        ["storage-class", r.upload.storageClass !== undefined ? scalar(r.upload.storageClass) : undefined],
        ["part-size", r.upload.partSize !== undefined ? scalar(r.upload.partSize) : undefined],
        ["concurrency", r.upload.concurrency !== undefined ? scalar(r.upload.concurrency) : undefined],
        ["sign-payload", r.upload.signPayload !== undefined ? scalar(r.upload.signPayload) : undefined],
      ];
  }
}

/** One replica's keys, only those the release reads. */
export function replicaEntries(db: DatabasePlan, r: ReplicaPlan | undefined, env: EnvironmentPlan, release: string): Entries {
  if (!r) return [];
  const v05 = release.startsWith("0.5.");
  const implied = db.role ? `role ${db.role}` : undefined;
  const entries: Array<[string, Node | undefined]> = [];
  if (!v05) entries.push(["name", scalar(r.name)]);
  const type = v05 && r.type === "gcs" ? "gs" : r.type;
  entries.push(["type", scalar(type)]);
  entries.push(...destinationEntries(r, env));
  const s = r.settings;
  if (s.syncInterval) entries.push(["sync-interval", duration(s.syncInterval, implied)]);
  if (!v05) {
    // 0.3 keeps these per replica; 0.5 ignores them there (they are global, see globals05).
    if (s.snapshotInterval) entries.push(["snapshot-interval", duration(s.snapshotInterval, implied)]);
    if (s.retention) entries.push(["retention", duration(s.retention, implied)]);
    if (s.retentionCheckInterval) entries.push(["retention-check-interval", duration(s.retentionCheckInterval, implied)]);
    if (s.validationInterval) entries.push(["validation-interval", duration(s.validationInterval, implied)]);
  }
  const encryption = env.encryption;
  if (encryption && "age" in encryption && !v05) {
    entries.push([
      "age",
      map([
        ["identities", env.env.some((e) => e.name === ENV.ageIdentity) ? seq([ref(ENV.ageIdentity)]) : undefined],
        ["recipients", seq(encryption.age.recipients.map((k) => scalar(k)))],
      ]),
    ]);
  }
  if (encryption && "sse" in encryption && v05) {
    if ("customerKey" in encryption.sse) {
      entries.push(["sse-customer-algorithm", scalar("AES256")], ["sse-customer-key", ref(ENV.sseCustomerKey)]);
    } else {
      entries.push(["sse-kms-key-id", scalar(encryption.sse.kmsKeyId)]);
    }
  }
  return gated(release, "replica", entries);
}
