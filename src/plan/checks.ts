/**
 * Cross-field checks: features of the other Litestream line, and replica locations or config files
 * that two writers would share.
 */
import { formatPath, type IssueList, type IssuePath } from "../errors.js";
import { resolveDestination, type Destination } from "../providers.js";
import type { ReplicationInput } from "../schema/common.js";
import type { EncryptionConfig, ProjectConfig } from "../schema/project.js";
import type { StorageConfig } from "../schema/storage.js";
import { storageAt, type EnvironmentInput, type EnvironmentPlan, type Warning } from "./model.js";

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
    issues.add(
      [...encryptionPath, "age"],
      "age encryption is rejected by Litestream 0.5 at start-up (0.5.0 silently wrote plaintext)",
      "use encryption.sse (S3 SSE-C or KMS) on 0.5, or litestream.version 0.3",
      "version.feature",
    );
  }
  if (encryption && "sse" in encryption) {
    if (version === "0.3") {
      issues.add(
        [...encryptionPath, "sse"],
        "S3 server-side encryption keys are a Litestream 0.5 feature; 0.3 would ignore them silently and store plaintext",
        "use encryption.age on 0.3, or litestream.version 0.5",
        "version.feature",
      );
    }
    storages.forEach((s, i) => {
      if (resolveDestination(s, project.name).type !== "s3") {
        issues.add(
          [...storageAt(storagePath, i), "provider"],
          `server-side encryption needs an S3 replica, "${s.provider}" is not one`,
          "use an S3-compatible provider or drop encryption.sse",
          "encryption.provider",
        );
      }
    });
  }
  const heartbeat = env.heartbeat ?? project.heartbeat;
  if (heartbeat && version === "0.3") {
    issues.add(
      env.heartbeat ? at("heartbeat") : ["heartbeat"],
      "heartbeat-url is a Litestream 0.5 feature; 0.3 ignores the key silently",
      "remove it, or use litestream.version 0.5 (or alert on metrics instead)",
      "version.feature",
    );
  }
  if (project.compaction && version === "0.3") {
    issues.add(
      ["compaction"],
      "compaction levels and l0-retention are Litestream 0.5 settings; 0.3 ignores them silently",
      "remove compaction, or use litestream.version 0.5",
      "version.feature",
    );
  }
  const logging = env.logging ?? project.logging;
  if (logging?.type === "pretty" && version === "0.3") {
    issues.add(
      env.logging ? at("logging", "type") : ["logging", "type"],
      'logging type "pretty" panics Litestream 0.3.13 (only text and json)',
      'use "text" or "json"',
      "version.feature",
    );
  }
  if (version === "0.5") {
    const sources: Array<[IssuePath, ReplicationInput | undefined]> = [
      [["replication"], project.replication],
      [at("replication"), env.replication],
      ...project.databases.map((db, i): [IssuePath, ReplicationInput | undefined] => [["databases", i, "replication"], db.replication]),
      ...Object.entries(project.roles ?? {}).map(([role, r]): [IssuePath, ReplicationInput | undefined] => [["roles", role], r]),
      ...Object.entries(env.databases ?? {}).map(([name, o]): [IssuePath, ReplicationInput | undefined] => [
        at("databases", name, "replication"),
        o.replication,
      ]),
      ...storages.map((s, i): [IssuePath, ReplicationInput | undefined] => [[...storageAt(storagePath, i), "replication"], s.replication]),
    ];
    for (const [where, replication] of sources) {
      if (replication?.retentionCheckInterval !== undefined) {
        issues.add(
          [...where, "retentionCheckInterval"],
          "retention-check-interval is a Litestream 0.3 setting; 0.5 ignores it silently",
          "remove it (0.5 enforces retention during compaction)",
          "version.feature",
        );
      }
    }
  }
}

/** The replica location as a user reads it in a message. */
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
      return `s3://${d.bucket}/${replicaPath}${d.endpoint ? ` (endpoint ${d.endpoint})` : ""}`;
  }
}

/** The identity of a replica location: one string per place, nested places nested by "/". */
export function locationKeyOf(d: Destination, replicaPath: string): string {
  if (d.type !== "s3") return locationOf(d, replicaPath);
  // AWS bucket names are global; any other endpoint has buckets of its own.
  // An endpoint from a variable (${NAME}) keeps its case: the name is what identifies it.
  return `s3://${d.endpoint ? endpointHost(d.endpoint) : "aws"}/${d.bucket}/${replicaPath}`;
}

/** Every replica of a storage has the same endpoint: its host is worked out once. */
const endpointHosts = new Map<string, string>();
function endpointHost(endpoint: string): string {
  let host = endpointHosts.get(endpoint);
  if (host === undefined) {
    host = endpoint
      .replace(/^https?:\/\//, "")
      .replace(/\/$/, "")
      .replace(/^[^$]*$/, (h) => h.toLowerCase());
    if (endpointHosts.size < 1000) endpointHosts.set(endpoint, host);
  }
  return host;
}

interface Writer {
  /** Position in the order the replicas are planned; issues come out in that order. */
  index: number;
  env: string;
  db: string;
  key: string;
  label: string;
  objectStore: boolean;
  exactPathAt: IssuePath | undefined;
}

/**
 * Two writers on one replica path lose data with no error, and nested paths are just as bad: a
 * restore of the outer one lists the inner one's files (docs/storage.md). Every place's writers are
 * found by a map, and a place nested in another is found from the inner one, whose enclosing places
 * are worked out once per parent: the check is linear, plus the clashes it reports (each reported by
 * the later of its two writers, in plan order).
 */
export function checkLocations(environments: EnvironmentPlan[], project: ProjectConfig, issues: IssueList): void {
  const writers: Writer[] = [];
  for (const env of environments)
    for (const db of env.databases)
      for (const r of db.replicas)
        writers.push({
          index: writers.length,
          env: env.name,
          db: db.name,
          key: r.locationKey,
          label: r.location,
          objectStore: r.bucket !== undefined,
          exactPathAt: r.exactPathAt,
        });
  const first = new Map<string, Writer>();
  /** The second and later writers of a place. */
  const later = new Map<string, Writer[]>();
  for (const w of writers) {
    const own = first.get(w.key);
    if (!own) first.set(w.key, w);
    else if (later.has(w.key)) later.get(w.key)!.push(w);
    else later.set(w.key, [w]);
  }
  const where = (w: Writer): IssuePath => (project.environments ? ["environments", w.env] : ["databases"]);
  const owner = (w: Writer) => `environment ${w.env}, database ${w.db}`;
  const found: Array<{ order: [number, number]; add: () => void }> = [];
  const byParent = new Map<string, string[]>();

  for (const w of writers) {
    const earlier = first.get(w.key)!;
    // Two databases of one name are reported once, by the name check (planDatabaseNames).
    if (earlier !== w && !(earlier.env === w.env && earlier.db === w.db)) {
      found.push({
        order: [w.index, -1],
        add: () =>
          issues.add(
            where(w),
            `${owner(w)} replicates to ${w.label}, which ${owner(earlier)} already uses: two writers on one replica path lose data with no error`,
            w.exactPathAt
              ? `give ${formatPath(w.exactPathAt)} a path of its own${earlier.env === w.env ? "" : ` (per environment: environments.${w.env}.databases.${w.db}.replicaPath)`}`
              : earlier.env === w.env
                ? "give each replica its own path (or name)"
                : w.objectStore
                  ? `set environments.${w.env}.prefix to one of its own, e.g. "${project.name}-${w.env}" (or give it its own storage)`
                  : `give environments.${w.env} its own storage, e.g. a path ending in "/${w.env}"`,
            "replica.shared",
          ),
      });
    }
    // A nested pair is reported by its later writer (`by`), naming the earlier one, as for a shared place.
    const nested = (by: Writer, other: Writer) => {
      found.push({
        order: [by.index, other.index],
        add: () =>
          issues.add(
            where(by),
            `${owner(by)} replicates to ${by.label}, nested with ${other.label} (${owner(other)})`,
            (by.exactPathAt ?? other.exactPathAt)
              ? `use sibling paths, not nested ones: change ${formatPath((by.exactPathAt ?? other.exactPathAt)!)}`
              : "use sibling prefixes, not nested ones",
            "replica.nested",
          ),
      });
    };
    for (const place of enclosing(w.key, first, byParent)) {
      const outer = first.get(place)!;
      if (outer.index < w.index) nested(w, outer);
      // The outer place's writers that come later report this place through its first writer.
      if (earlier !== w) continue;
      if (outer.index > w.index) nested(outer, w);
      for (const again of later.get(place) ?? []) if (again.index > w.index) nested(again, w);
    }
  }
  found.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]).forEach((f) => f.add());
}

/**
 * Locations built from variables (${NAME}) are compared by their text: the same variable is the same
 * place, but two different variables may hold the same value at run time (docs/storage.md).
 */
export function variableLocationsWarning(environments: EnvironmentPlan[]): Warning | undefined {
  let replicas = 0;
  let variable = 0;
  let example = "";
  for (const env of environments)
    for (const db of env.databases)
      for (const r of db.replicas) {
        replicas++;
        if (r.location.includes("${") && variable++ === 0) example = r.location;
      }
  if (replicas < 2 || variable === 0) return undefined;
  return {
    path: [],
    message: `${variable} replica location${variable > 1 ? "s are" : " is"} built from environment variables (e.g. ${example}): they are checked for clashes by their text only, so make sure no two databases or environments resolve to the same bucket and path at run time`,
  };
}

/**
 * The places (that have a writer) containing `key` ("a/b" contains "a/b/c"), innermost first.
 * Worked out once per parent place: thousands of databases under one prefix share the answer.
 */
function enclosing(key: string, first: Map<string, Writer>, byParent: Map<string, string[]>): string[] {
  const cut = key.lastIndexOf("/");
  if (cut <= 0) return [];
  const parent = key.slice(0, cut);
  let found = byParent.get(parent);
  if (found === undefined) {
    found = first.has(parent) ? [parent, ...enclosing(parent, first, byParent)] : enclosing(parent, first, byParent);
    byParent.set(parent, found);
  }
  return found;
}

export function checkConfigFiles(environments: EnvironmentPlan[], issues: IssueList): void {
  const seen = new Map<string, string>();
  for (const env of environments) {
    const previous = seen.get(env.configFile);
    if (previous)
      issues.add(
        ["environments", env.name, "configFile"],
        `environment ${env.name} writes ${env.configFile}, as ${previous} does`,
        `give each environment its own configFile, e.g. "config/litestream.${env.name}.yml"`,
        "config-file.shared",
      );
    seen.set(env.configFile, env.name);
  }
}

export { compareRelease } from "../versions/index.js";
