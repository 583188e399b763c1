/**
 * Cross-field checks: features of the other Litestream line, and replica locations or config files
 * that two writers would share.
 */
import type { IssueList, IssuePath } from "../errors.js";
import { resolveDestination, type Destination } from "../providers.js";
import type { ReplicationInput } from "../schema/common.js";
import type { EncryptionConfig, ProjectConfig } from "../schema/project.js";
import type { StorageConfig } from "../schema/storage.js";
import { storageAt, type EnvironmentInput, type EnvironmentPlan } from "./model.js";

export function checkVersionFeatures(
  input: Pick<EnvironmentInput, "project" | "env" | "version" | "issues">,
  encryption: EncryptionConfig | undefined,
  storages: StorageConfig[],
  storagePath: IssuePath,
  at: (...rest: Array<string | number>) => IssuePath,
): void {
  const { project, env, version, issues } = input;
  const encryptionPath = env.encryption ? at("encryption") : ["encryption"];
  if (encryption && "age" in encryption && version === "0.5") {
    issues.add([...encryptionPath, "age"], "age encryption is rejected by Litestream 0.5 at start-up (0.5.0 silently wrote plaintext)", "use encryption.sse (S3 SSE-C or KMS) on 0.5, or litestream.version 0.3");
  }
  if (encryption && "sse" in encryption) {
    if (version === "0.3") {
      issues.add([...encryptionPath, "sse"], "S3 server-side encryption keys are a Litestream 0.5 feature; 0.3 would ignore them silently and store plaintext", "use encryption.age on 0.3, or litestream.version 0.5");
    }
    storages.forEach((s, i) => {
      if (resolveDestination(s, project.name).type !== "s3") {
        issues.add([...storageAt(storagePath, i), "provider"], `server-side encryption needs an S3 replica, "${s.provider}" is not one`, "use an S3-compatible provider or drop encryption.sse");
      }
    });
  }
  const heartbeat = env.heartbeat ?? project.heartbeat;
  if (heartbeat && version === "0.3") {
    issues.add(env.heartbeat ? at("heartbeat") : ["heartbeat"], "heartbeat-url is a Litestream 0.5 feature; 0.3 ignores the key silently", "remove it, or use litestream.version 0.5 (or alert on metrics instead)");
  }
  if (project.compaction && version === "0.3") {
    issues.add(["compaction"], "compaction levels and l0-retention are Litestream 0.5 settings; 0.3 ignores them silently", "remove compaction, or use litestream.version 0.5");
  }
  const logging = env.logging ?? project.logging;
  if (logging?.type === "pretty" && version === "0.3") {
    issues.add(env.logging ? at("logging", "type") : ["logging", "type"], 'logging type "pretty" panics Litestream 0.3.13 (only text and json)', 'use "text" or "json"');
  }
  if (version === "0.5") {
    const sources: Array<[IssuePath, ReplicationInput | undefined]> = [
      [["replication"], project.replication],
      [at("replication"), env.replication],
      ...project.databases.map((db, i): [IssuePath, ReplicationInput | undefined] => [["databases", i, "replication"], db.replication]),
      ...Object.entries(project.roles ?? {}).map(([role, r]): [IssuePath, ReplicationInput | undefined] => [["roles", role], r]),
      ...Object.entries(env.databases ?? {}).map(([name, o]): [IssuePath, ReplicationInput | undefined] => [at("databases", name, "replication"), o.replication]),
      ...storages.map((s, i): [IssuePath, ReplicationInput | undefined] => [[...storageAt(storagePath, i), "replication"], s.replication]),
    ];
    for (const [where, replication] of sources) {
      if (replication?.retentionCheckInterval !== undefined) {
        issues.add([...where, "retentionCheckInterval"], "retention-check-interval is a Litestream 0.3 setting; 0.5 ignores it silently", "remove it (0.5 enforces retention during compaction)");
      }
    }
  }
}

export function locationOf(d: Destination, replicaPath: string): string {
  switch (d.type) {
    case "file":
      return `file://${replicaPath}`;
    case "sftp":
      return `sftp://${d.user}@${d.host}${replicaPath.startsWith("/") ? "" : "/"}${replicaPath}`;
    case "abs":
      return `abs://${d.accountName}/${d.bucket}/${replicaPath}`;
    case "gcs":
      return `gs://${d.bucket}/${replicaPath}`;
    case "s3":
      return `s3://${d.endpoint ?? `aws:${d.region}`}/${d.bucket}/${replicaPath}`;
  }
}

/** Two writers on one replica path lose data with no error (litestream-facts.md §6). */
export function checkLocations(environments: EnvironmentPlan[], project: ProjectConfig, issues: IssueList): void {
  const seen = new Map<string, string>();
  for (const env of environments) {
    for (const db of env.databases) {
      for (const replica of db.replicas) {
        const owner = `environment ${env.name}, database ${db.name}`;
        const previous = seen.get(replica.location);
        if (previous) {
          const where: IssuePath = project.environments ? ["environments", env.name] : ["databases"];
          issues.add(
            where,
            `${owner} replicates to ${replica.location}, which ${previous} already uses: two writers on one replica path lose data with no error`,
            previous.startsWith(`environment ${env.name},`) ? "give the databases distinct names" : `set environments.${env.name}.prefix to a prefix of its own (or give it its own storage)`,
          );
        } else seen.set(replica.location, owner);
        // Nested locations are just as bad: a restore of the outer one lists the inner one's files.
        for (const [other, otherOwner] of seen) {
          if (other !== replica.location && (other.startsWith(`${replica.location}/`) || replica.location.startsWith(`${other}/`))) {
            issues.add(project.environments ? ["environments", env.name] : ["databases"], `${owner} replicates to ${replica.location}, nested with ${other} (${otherOwner})`, "use sibling prefixes, not nested ones");
          }
        }
      }
    }
  }
}

export function checkConfigFiles(environments: EnvironmentPlan[], issues: IssueList): void {
  const seen = new Map<string, string>();
  for (const env of environments) {
    const previous = seen.get(env.configFile);
    if (previous) issues.add(["environments", env.name, "configFile"], `environment ${env.name} writes ${env.configFile}, as ${previous} does`, "give each environment its own configFile");
    seen.set(env.configFile, env.name);
  }
}

export function compareRelease(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}
