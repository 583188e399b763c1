/**
 * plan → litestream.yml, in the dialect of the chosen line. Only keys that line reads are ever
 * written: Litestream ignores unknown keys silently (litestream-facts.md §1, §3).
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { describeDuration } from "../duration.js";
import { headerLines } from "../header.js";
import { ENV, type DatabasePlan, type EnvironmentPlan, type Plan, type ReplicaPlan, type Setting } from "../plan.js";

type Node = Scalar | YAMLMap | YAMLSeq;

function scalar(value: string | number | boolean, comment?: string): Scalar {
  const node = new Scalar(value);
  if (comment) node.comment = ` ${comment}`;
  return node;
}

/**
 * Durations are always quoted unit strings: a bare number is nanoseconds to Litestream.
 * The comment says where the value came from, unless that is already said above the database.
 */
function duration(setting: Setting, implied?: string): Scalar {
  const node = scalar(setting.go, settingComment(setting, setting.source !== implied));
  node.type = "QUOTE_DOUBLE";
  return node;
}

function settingComment(setting: Setting, showSource: boolean): string | undefined {
  const parts: string[] = [];
  if (setting.converted) parts.push(`from "${setting.converted}"`);
  else if (setting.ms >= 86_400_000 && setting.ms % 86_400_000 === 0) parts.push(describeDuration(setting.ms));
  if (showSource) parts.push(setting.source);
  return parts.length ? parts.join(", ") : undefined;
}

function map(entries: Array<[string, Node | undefined]>, commentBefore?: string): YAMLMap {
  const node = new YAMLMap();
  for (const [key, value] of entries) if (value !== undefined) node.items.push(new Pair(new Scalar(key), value));
  if (commentBefore) node.commentBefore = commentBefore;
  return node;
}

function seq(items: Node[]): YAMLSeq {
  const node = new YAMLSeq();
  node.items.push(...items);
  return node;
}

const ref = (name: string) => scalar(`\${${name}}`);

export function renderLitestreamConfig(plan: Plan, env: EnvironmentPlan): string {
  const v05 = plan.litestream.version === "0.5";
  const top: Array<[string, Node | undefined]> = [];
  if (env.monitoring) {
    const addr = scalar(env.monitoring.addr, "Prometheus /metrics (also serves /debug/pprof)");
    addr.type = "QUOTE_DOUBLE";
    top.push(["addr", addr]);
  }
  if (env.logging) {
    top.push([
      "logging",
      map([
        ["level", env.logging.level ? scalar(env.logging.level) : undefined],
        ["type", env.logging.type ? scalar(env.logging.type) : undefined],
        ["stderr", env.logging.stderr !== undefined ? scalar(env.logging.stderr) : undefined],
      ]),
    ]);
  }
  if (v05) top.push(...globals05(env));
  top.push(["dbs", seq(env.databases.map((db) => renderDatabase(db, env, v05)))]);

  const doc = new Document(map(top), { version: "1.1" });
  doc.commentBefore = [...headerLines(`Litestream ${plan.litestream.release} config for environment "${env.name}"`), ...credentialNote(env)]
    .map((line) => ` ${line}`)
    .join("\n");
  return doc.toString({ lineWidth: 0 });
}

function credentialNote(env: EnvironmentPlan): string[] {
  if (env.env.length === 0) return [];
  const native = env.env.filter((v) => !v.expandedInConfig).map((v) => v.name);
  const expanded = env.env.filter((v) => v.expandedInConfig).map((v) => v.name);
  const lines: string[] = [];
  if (native.length) lines.push(`Credentials are read from the environment, never from this file: ${native.join(", ")}.`);
  if (expanded.length) lines.push(`Expanded by Litestream at start-up from the environment: ${expanded.join(", ")}.`);
  // Observed on 0.3.13: an empty age identity fails every command with "no secret keys found".
  if (expanded.includes(ENV.ageIdentity)) lines.push(`${ENV.ageIdentity} must be set wherever this file is loaded (replicate too), or Litestream refuses to start.`);
  return lines;
}

function globals05(env: EnvironmentPlan): Array<[string, Node | undefined]> {
  const out: Array<[string, Node | undefined]> = [];
  if (env.snapshot) {
    out.push([
      "snapshot",
      map([
        ["interval", env.snapshot.interval ? duration(env.snapshot.interval) : undefined],
        ["retention", env.snapshot.retention ? duration(env.snapshot.retention) : undefined],
      ]),
    ]);
  }
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

function renderDatabase(db: DatabasePlan, env: EnvironmentPlan, v05: boolean): YAMLMap {
  const comment = db.role ? ` ${db.name}: role ${db.role}${db.roleReason ? ` (${db.roleReason})` : ""}` : undefined;
  const entries: Array<[string, Node | undefined]> = [["path", scalar(db.path)]];
  if (v05) {
    // 0.5.6+: restore before replicating when the file is missing; start fresh when there is no backup.
    if (env.restoreOnBoot) entries.push(["restore-if-db-not-exists", scalar(true)]);
    entries.push(["replica", renderReplica(db, db.replicas[0]!, env, true)]);
  } else {
    entries.push(["replicas", seq(db.replicas.map((r) => renderReplica(db, r, env, false)))]);
  }
  return map(entries, comment);
}

function renderReplica(db: DatabasePlan, r: ReplicaPlan, env: EnvironmentPlan, v05: boolean): YAMLMap {
  const implied = db.role ? `role ${db.role}` : undefined;
  const entries: Array<[string, Node | undefined]> = [];
  if (!v05) entries.push(["name", scalar(r.name)]);
  entries.push(["type", scalar(v05 && r.type === "gcs" ? "gs" : r.type)]);
  switch (r.type) {
    case "file":
      entries.push(["path", scalar(r.path)]);
      break;
    case "sftp":
      entries.push(["host", scalar(r.host!)], ["user", scalar(r.user!)], ["path", scalar(r.path)]);
      if (r.keyPath) entries.push(["key-path", scalar(r.keyPath)]);
      if (env.env.some((e) => e.name === ENV.sftpPassword)) entries.push(["password", ref(ENV.sftpPassword)]);
      break;
    case "abs":
      entries.push(["account-name", scalar(r.accountName!)], ["bucket", scalar(r.bucket!)], ["path", scalar(r.path)]);
      break;
    case "gcs":
      entries.push(["bucket", scalar(r.bucket!)], ["path", scalar(r.path)]);
      break;
    case "s3":
      entries.push(["bucket", scalar(r.bucket!)], ["path", scalar(r.path)]);
      if (r.endpoint) entries.push(["endpoint", scalar(r.endpoint, r.notes.endpoint)]);
      if (r.region) entries.push(["region", scalar(r.region, r.notes.region)]);
      if (r.forcePathStyle !== undefined) entries.push(["force-path-style", scalar(r.forcePathStyle)]);
      if (r.skipVerify) entries.push(["skip-verify", scalar(true)]);
      break;
  }
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
  return map(entries);
}
