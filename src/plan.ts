/**
 * describe → plan: resolves a parsed description into one fully explicit plan per environment
 * (absolute paths, replica locations, layered timings with their sources, the environment variables
 * Litestream needs) and collects every semantic problem. Pure: no I/O.
 */
import path from "node:path/posix";
import { describeDuration, formatGoDuration, parseDuration } from "./duration.js";
import { closest, IssueList, type IssuePath } from "./errors.js";
import { LITESTREAM_DEFAULTS_MS, PINNED_RELEASES, ROLE_PRESETS, USE_CASE_PRESETS, type Preset } from "./presets.js";
import { resolveDestination, type Destination } from "./providers.js";
import { toSecretReference, type ReplicationInput, type SecretReference } from "./schema/common.js";
import type { EncryptionConfig, EnvironmentConfig, ProjectConfig } from "./schema/project.js";
import type { StorageConfig } from "./schema/storage.js";
import type { TargetsConfig } from "./schema/targets.js";

export type LitestreamLine = "0.3" | "0.5";
export type ReplicationKey = keyof ReplicationInput;
const REPLICATION_KEYS: ReplicationKey[] = [
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

export interface ReplicaPlan extends Destination {
  name: string;
  /** Full path of this database's replica: <prefix>/<db> in a bucket, <dir>/<db> on disk. */
  path: string;
  settings: Partial<Record<ReplicationKey, Setting>>;
  /** Identity of the replica location, compared across databases and environments. */
  location: string;
}

export interface DatabasePlan {
  name: string;
  path: string;
  role?: string;
  roleReason?: string;
  replicas: ReplicaPlan[];
}

/** An environment variable the Litestream process needs, and the reference it is resolved from. */
export interface EnvVarPlan {
  name: string;
  source: SecretReference;
  purpose: string;
  /** Also written as ${NAME} inside litestream.yml (Litestream expands it at start-up). */
  expandedInConfig: boolean;
}

export interface EnvironmentPlan {
  name: string;
  configFile: string;
  databases: DatabasePlan[];
  monitoring?: { addr: string };
  logging?: { level?: string; type?: string; stderr?: boolean };
  heartbeat?: { interval?: Setting };
  encryption?: EncryptionConfig;
  compaction?: { levels?: Setting[]; l0Retention?: Setting };
  /** 0.5 only: global snapshot settings derived from the databases' timings. */
  snapshot?: { interval?: Setting; retention?: Setting };
  validation?: { interval?: Setting };
  restoreOnBoot: boolean;
  env: EnvVarPlan[];
  targets: TargetsConfig;
}

export interface Plan {
  name: string;
  litestream: { version: LitestreamLine; release: string; image: string };
  environments: EnvironmentPlan[];
  warnings: Warning[];
}

export interface Warning {
  path: IssuePath;
  message: string;
}

/** Variables Litestream reads natively or that we expand in the config (litestream-facts.md §2). */
export const ENV = {
  accessKeyId: "LITESTREAM_ACCESS_KEY_ID",
  secretAccessKey: "LITESTREAM_SECRET_ACCESS_KEY",
  azureAccountKey: "LITESTREAM_AZURE_ACCOUNT_KEY",
  sftpPassword: "LITESTREAM_SFTP_PASSWORD",
  ageIdentity: "LITESTREAM_AGE_IDENTITY",
  heartbeatUrl: "LITESTREAM_HEARTBEAT_URL",
  sseCustomerKey: "LITESTREAM_SSE_CUSTOMER_KEY",
} as const;

/** Other names Litestream reads natively for the same value (AWS_* take precedence over LITESTREAM_*). */
const NATIVE_ALIASES: Record<string, string[]> = {
  [ENV.accessKeyId]: ["AWS_ACCESS_KEY_ID"],
  [ENV.secretAccessKey]: ["AWS_SECRET_ACCESS_KEY"],
};

export function planProject(project: ProjectConfig): Plan {
  const issues = new IssueList();
  const warnings: Warning[] = [];
  const version = project.litestream.version;
  const release = project.litestream.release ?? PINNED_RELEASES[version];
  if (!release.startsWith(`${version}.`)) {
    issues.add(["litestream", "release"], `release ${release} is not on the ${version} line`, `use a ${version}.x release or change litestream.version`);
  }
  const image = project.litestream.image ?? `litestream/litestream:${release}`;
  if (/:latest$|^[^:]+$/.test(image)) {
    issues.add(["litestream", "image"], `"${image}" is not pinned; "latest" may point at the shell-less scratch build`, `pin an exact tag such as litestream/litestream:${release}`);
  }

  const dbNames = planDatabaseNames(project, issues);
  const envEntries: Array<[string, EnvironmentConfig]> = project.environments
    ? Object.entries(project.environments)
    : [["production", {}]];
  if (envEntries.length === 0) issues.add(["environments"], "no environment is defined", "remove `environments` or add one");

  const environments = envEntries.map(([envName, env]) =>
    planEnvironment({ project, version, release, envName, env, dbNames, single: envEntries.length === 1, issues, warnings }),
  );
  checkLocations(environments, project, issues);
  checkConfigFiles(environments, issues);
  issues.throwIfAny();
  return { name: project.name, litestream: { version, release, image }, environments, warnings };
}

function planDatabaseNames(project: ProjectConfig, issues: IssueList): string[] {
  const names = project.databases.map((db) => db.name ?? path.basename(db.path).replace(/\.[^.]*$/, "").toLowerCase().replace(/[^a-z0-9_-]/g, "-"));
  const firstIndex = new Map<string, number>();
  names.forEach((name, i) => {
    const earlier = firstIndex.get(name);
    if (earlier !== undefined) {
      issues.add(
        ["databases", i, "name"],
        `database name "${name}" is also used by databases[${earlier}]; both would replicate to the same place and lose data silently`,
        "give each database a distinct `name`",
      );
    } else firstIndex.set(name, i);
  });
  return names;
}

interface EnvironmentInput {
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

function planEnvironment(input: EnvironmentInput): EnvironmentPlan {
  const { project, version, envName, env, dbNames, issues, warnings } = input;
  const envPath = project.environments ? ["environments", envName] : [];
  const at = (...rest: Array<string | number>): IssuePath => [...envPath, ...rest];

  if (env.baseDir !== undefined && !env.baseDir.startsWith("/")) {
    issues.add(at("baseDir"), `baseDir "${env.baseDir}" is not absolute`, "write an absolute directory such as /home/me/app");
  }
  const resolvePath = (value: string, where: IssuePath, what: string): string => {
    if (value.startsWith("/")) return path.normalize(value);
    if (env.baseDir?.startsWith("/")) return path.join(env.baseDir, value);
    issues.add(
      where,
      `${what} "${value}" is relative: Litestream would resolve it against whatever directory it happens to start in`,
      `make it absolute, or set ${formatEnvPath(envPath)}baseDir to resolve relative paths explicitly`,
    );
    return value;
  };

  for (const name of Object.keys(env.databases ?? {})) {
    if (!dbNames.includes(name)) {
      const suggestion = closest(name, dbNames);
      issues.add(at("databases", name), `no database is named "${name}"`, suggestion ? `did you mean "${suggestion}"?` : `known databases: ${dbNames.join(", ")}`);
    }
  }

  const { storages, storagePath } = pickStorages(project, env, envPath, issues);
  if (version === "0.5" && storages.length > 1) {
    issues.add(storagePath, `Litestream 0.5 replicates each database to exactly one replica, ${storages.length} are listed`, "keep one replica, or use litestream.version 0.3");
  }
  const replicaNames = storages.map((s) => s.name ?? s.provider);
  replicaNames.forEach((name, i) => {
    if (replicaNames.indexOf(name) !== i) {
      issues.add([...storageAt(storagePath, i), "name"], `replica name "${name}" is used twice; Litestream 0.3 refuses two unnamed replicas of one type`, "give each replica a distinct `name`");
    }
  });

  const encryption = env.encryption ?? project.encryption;
  checkVersionFeatures(input, encryption, storages, storagePath, at);

  const databases: DatabasePlan[] = project.databases.map((db, i) => {
    const name = dbNames[i]!;
    const override = env.databases?.[name];
    const dbPath = override?.path
      ? resolvePath(override.path, at("databases", name, "path"), "database path")
      : resolvePath(db.path, ["databases", i, "path"], "database path");
    const roleName = db.role;
    let rolePreset: Preset | undefined;
    if (roleName) {
      const custom = project.roles?.[roleName];
      const builtin = ROLE_PRESETS[roleName];
      if (custom) rolePreset = { replication: custom as Preset["replication"], reason: "" };
      else if (builtin) rolePreset = builtin;
      else {
        const known = [...Object.keys(ROLE_PRESETS), ...Object.keys(project.roles ?? {})];
        const suggestion = closest(roleName, known);
        issues.add(["databases", i, "role"], `unknown role "${roleName}"`, suggestion ? `did you mean "${suggestion}"? (or define it under roles)` : `use one of ${known.join(", ")} or define it under roles`);
      }
    }
    const presetName = env.preset ?? project.preset;
    const layers: Layer[] = [
      ...(presetName ? [{ source: `preset ${presetName}`, reason: USE_CASE_PRESETS[presetName]!.reason, values: USE_CASE_PRESETS[presetName]!.replication, path: env.preset ? at("preset") : ["preset"], preset: true }] : []),
      { source: "project default", values: project.replication, path: ["replication"] },
      { source: `environment ${envName}`, values: env.replication, path: at("replication") },
      ...(rolePreset && roleName ? [{ source: `role ${roleName}`, reason: rolePreset.reason || undefined, values: rolePreset.replication, ...(project.roles?.[roleName] ? { path: ["roles", roleName] } : { path: ["databases", i, "role"], preset: true }) }] : []),
      { source: `database ${name}`, values: db.replication, path: ["databases", i, "replication"] },
      { source: `environment ${envName}, database ${name}`, values: override?.replication, path: at("databases", name, "replication") },
    ];
    const replicas = storages.map((storage, r): ReplicaPlan => {
      const destination = resolveDestination(storage, project.name);
      if (destination.type === "file" || destination.type === "sftp") {
        destination.base = destination.type === "file" ? resolvePath(destination.base, [...storageAt(storagePath, r), "path"], "file replica path") : destination.base;
        if (destination.keyPath) destination.keyPath = resolvePath(destination.keyPath, [...storageAt(storagePath, r), "keyPath"], "SSH key path");
      }
      const replicaName = replicaNames[r]!;
      const settings = layerSettings(
        [...layers, { source: `replica ${replicaName}`, values: storage.replication, path: [...storageAt(storagePath, r), "replication"] }],
        warnings,
      );
      const replicaPath = destination.base ? `${destination.base.replace(/\/$/, "")}/${name}` : name;
      checkTimings(settings, version, `database ${name}`, issues);
      return {
        ...destination,
        name: replicaName,
        path: replicaPath,
        settings,
        location: locationOf(destination, replicaPath),
      };
    });
    return {
      name,
      path: dbPath,
      ...(roleName ? { role: roleName } : {}),
      ...(rolePreset?.reason ? { roleReason: rolePreset.reason } : {}),
      replicas,
    };
  });

  const plan: EnvironmentPlan = {
    name: envName,
    configFile: env.configFile ?? (input.single ? "config/litestream.yml" : `config/litestream.${envName}.yml`),
    databases,
    restoreOnBoot: env.restoreOnBoot ?? project.restoreOnBoot ?? true,
    env: planEnvVars(storages, storagePath, encryption, env.heartbeat ?? project.heartbeat, issues),
    targets: mergeTargets(project.targets, env.targets),
  };
  const monitoring = env.monitoring ?? project.monitoring;
  if (monitoring) plan.monitoring = monitoring;
  const logging = env.logging ?? project.logging;
  if (logging) plan.logging = logging;
  if (encryption) plan.encryption = encryption;
  const heartbeat = env.heartbeat ?? project.heartbeat;
  if (heartbeat) {
    const interval = heartbeat.interval ? toSetting(heartbeat.interval, "heartbeat", warnings, at("heartbeat", "interval")) : undefined;
    if (interval && interval.ms < 60_000) {
      issues.add(env.heartbeat ? at("heartbeat", "interval") : ["heartbeat", "interval"], `heartbeat interval ${interval.go} is below Litestream's minimum of 1m`, 'use "1m" or more');
    }
    plan.heartbeat = interval ? { interval } : {};
  }
  if (version === "0.5") {
    Object.assign(plan, globalTimings05(plan, project, warnings, at));
    if (plan.restoreOnBoot && compareRelease(input.release, "0.5.6") < 0) {
      issues.add(["litestream", "release"], `restore-if-db-not-exists needs Litestream 0.5.6 or later, ${input.release} is pinned`, "pin 0.5.6 or later, or set restoreOnBoot: false");
    }
  }
  return plan;
}

function formatEnvPath(envPath: IssuePath): string {
  return envPath.length ? `${envPath.join(".")}.` : "environments.<name>.";
}

/** Where storage `i` sits in the description: `storage` itself, or `replicas[i]`. */
export function storageAt(storagePath: IssuePath, i: number): IssuePath {
  return storagePath[storagePath.length - 1] === "storage" ? storagePath : [...storagePath, i];
}

function pickStorages(project: ProjectConfig, env: EnvironmentConfig, envPath: IssuePath, issues: IssueList): { storages: StorageConfig[]; storagePath: IssuePath } {
  if (env.storage && env.replicas) {
    issues.add(envPath, "both `storage` and `replicas` are set", "use `storage` for one destination or `replicas` for several, not both");
  }
  if (env.prefix !== undefined && (env.storage || env.replicas)) {
    issues.add([...envPath, "prefix"], "`prefix` applies to the inherited storage, but this environment defines its own", "move the prefix into this environment's storage");
  }
  if (env.storage) return { storages: [env.storage], storagePath: [...envPath, "storage"] };
  if (env.replicas) return { storages: env.replicas, storagePath: [...envPath, "replicas"] };
  const inherited = pickInheritedStorages(project, issues);
  if (env.prefix === undefined) return inherited;
  const storages = inherited.storages.map((s) => ("bucket" in s ? { ...s, prefix: env.prefix } : s));
  if (!inherited.storages.some((s) => "bucket" in s)) {
    issues.add([...envPath, "prefix"], "`prefix` applies to object stores, and the inherited storage has none", "remove it, or set this environment's own storage");
  }
  return { storages, storagePath: inherited.storagePath };
}

function pickInheritedStorages(project: ProjectConfig, issues: IssueList): { storages: StorageConfig[]; storagePath: IssuePath } {
  if (project.storage && project.replicas) {
    issues.add([], "both `storage` and `replicas` are set", "use `storage` for one destination or `replicas` for several, not both");
  }
  if (project.storage) return { storages: [project.storage], storagePath: ["storage"] };
  if (project.replicas) return { storages: project.replicas, storagePath: ["replicas"] };
  issues.add([], "no backup destination: set `storage` (or `replicas`)", 'e.g. storage: { provider: "file", path: "/var/backups/litestream" }');
  return { storages: [], storagePath: ["storage"] };
}

interface Layer {
  source: string;
  reason?: string | undefined;
  values: ReplicationInput | undefined;
  path: IssuePath;
  /** Presets: the path names the preset itself, not one key under it. */
  preset?: boolean;
}

function layerSettings(layers: Layer[], warnings: Warning[]): Partial<Record<ReplicationKey, Setting>> {
  const settings: Partial<Record<ReplicationKey, Setting>> = {};
  for (const layer of layers) {
    for (const key of REPLICATION_KEYS) {
      const value = layer.values?.[key];
      if (value === undefined) continue;
      const setting = toSetting(value, layer.source, warnings, layer.preset ? layer.path : [...layer.path, key]);
      if (setting) settings[key] = layer.reason ? { ...setting, reason: layer.reason } : setting;
    }
  }
  return settings;
}

function toSetting(value: string | number, source: string, warnings: Warning[], where: IssuePath): Setting | undefined {
  const parsed = parseDuration(value);
  if (!parsed.ok) return undefined; // the schema already reported it
  const go = formatGoDuration(parsed.ms);
  const setting: Setting = { ms: parsed.ms, go, source, path: where };
  if (parsed.converted) {
    setting.converted = String(value);
    if (!warnings.some((w) => w.path.join(".") === where.join("."))) {
      warnings.push({ path: where, message: `"${value}" converted to "${go}": Go durations have no day or week unit` });
    }
  }
  return setting;
}

function checkTimings(settings: Partial<Record<ReplicationKey, Setting>>, version: LitestreamLine, what: string, issues: IssueList): void {
  const retention = settings.retention?.ms ?? LITESTREAM_DEFAULTS_MS[version].retention;
  const snapshot = settings.snapshotInterval;
  if (snapshot && snapshot.ms > retention) {
    issues.add(
      snapshot.path,
      `${what}: snapshot interval ${snapshot.go} (${snapshot.source}) is longer than retention ${formatGoDuration(retention)}${settings.retention ? ` (${settings.retention.source})` : " (Litestream default)"}; restores would find no snapshot`,
      "make retention at least as long as the snapshot interval",
    );
  }
}

function checkVersionFeatures(
  input: EnvironmentInput,
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

/**
 * 0.5 keeps snapshot interval and retention global (litestream-facts.md §3): use the shortest
 * interval and the longest retention any database asked for, and say so when they differ.
 */
function globalTimings05(plan: EnvironmentPlan, project: ProjectConfig, warnings: Warning[], at: (...rest: Array<string | number>) => IssuePath): Partial<EnvironmentPlan> {
  const replicas = plan.databases.flatMap((db) => db.replicas.map((r) => ({ db, r })));
  const pick = (key: ReplicationKey, better: (a: number, b: number) => boolean): Setting | undefined => {
    let chosen: Setting | undefined;
    const distinct = new Set<string>();
    for (const { r } of replicas) {
      const s = r.settings[key];
      if (!s) continue;
      distinct.add(s.go);
      if (!chosen || better(s.ms, chosen.ms)) chosen = s;
    }
    if (chosen && distinct.size > 1) {
      warnings.push({
        path: at("databases"),
        message: `Litestream 0.5 has one global ${key === "retention" ? "snapshot retention" : key === "snapshotInterval" ? "snapshot interval" : "validation interval"}; the databases ask for ${[...distinct].join(", ")}, so ${chosen.go} applies to all of them`,
      });
      return { ...chosen, source: `${chosen.source}; global in 0.5` };
    }
    return chosen;
  };
  const out: Partial<EnvironmentPlan> = {};
  const interval = pick("snapshotInterval", (a, b) => a < b);
  const retention = pick("retention", (a, b) => a > b);
  if (interval || retention) out.snapshot = { ...(interval ? { interval } : {}), ...(retention ? { retention } : {}) };
  const validation = pick("validationInterval", (a, b) => a < b);
  if (validation) out.validation = { interval: validation };
  if (project.compaction) {
    const levels = project.compaction.levels?.map((l, i) => toSetting(l, "compaction", warnings, ["compaction", "levels", i])).filter((s): s is Setting => !!s);
    const l0 = project.compaction.l0Retention ? toSetting(project.compaction.l0Retention, "compaction", warnings, ["compaction", "l0Retention"]) : undefined;
    out.compaction = { ...(levels ? { levels } : {}), ...(l0 ? { l0Retention: l0 } : {}) };
  }
  return out;
}

function planEnvVars(
  storages: StorageConfig[],
  storagePath: IssuePath,
  encryption: EncryptionConfig | undefined,
  heartbeat: ProjectConfig["heartbeat"],
  issues: IssueList,
): EnvVarPlan[] {
  const vars = new Map<string, EnvVarPlan & { where: IssuePath }>();
  const need = (canonical: string, ref: Parameters<typeof toSecretReference>[0], purpose: string, where: IssuePath, expandedInConfig = false) => {
    const source = toSecretReference(ref);
    // A variable Litestream already reads under the user's own name needs no renaming.
    const name = source.kind === "env" && NATIVE_ALIASES[canonical]?.includes(source.name) ? source.name : canonical;
    const existing = vars.get(name);
    if (existing && JSON.stringify(existing.source) !== JSON.stringify(source)) {
      issues.add(where, `two different credentials would both have to be ${name}; Litestream reads one set per process`, `use the same reference as ${existing.where.join(".")}, or split the databases into separate projects`);
      return;
    }
    vars.set(name, { name, source, purpose, expandedInConfig, where });
  };
  storages.forEach((s, i) => {
    if ("credentials" in s && s.credentials) {
      if ("accessKeyId" in s.credentials) {
        need(ENV.accessKeyId, s.credentials.accessKeyId, "S3 access key id", [...storageAt(storagePath, i), "credentials", "accessKeyId"]);
        need(ENV.secretAccessKey, s.credentials.secretAccessKey, "S3 secret access key", [...storageAt(storagePath, i), "credentials", "secretAccessKey"]);
      } else {
        need(ENV.azureAccountKey, s.credentials.accountKey, "Azure storage account key", [...storageAt(storagePath, i), "credentials", "accountKey"]);
      }
    }
    if (s.provider === "sftp" && s.password) {
      need(ENV.sftpPassword, s.password, "SFTP password", [...storageAt(storagePath, i), "password"], true);
    }
  });
  if (encryption && "age" in encryption && encryption.age.identity) {
    need(ENV.ageIdentity, encryption.age.identity, "age identity (private key) for restores", ["encryption", "age", "identity"], true);
  }
  if (encryption && "sse" in encryption && "customerKey" in encryption.sse) {
    need(ENV.sseCustomerKey, encryption.sse.customerKey, "S3 SSE-C customer key", ["encryption", "sse", "customerKey"], true);
  }
  if (heartbeat) need(ENV.heartbeatUrl, heartbeat.url, "heartbeat URL", ["heartbeat", "url"], true);
  return [...vars.values()].map(({ where: _where, ...v }) => v);
}

function mergeTargets(base: TargetsConfig | undefined, override: TargetsConfig | undefined): TargetsConfig {
  const merged: Record<string, unknown> = { ...(base ?? {}) };
  for (const [key, value] of Object.entries(override ?? {})) {
    const current = merged[key];
    merged[key] = current && typeof current === "object" && value && typeof value === "object" ? { ...current, ...value } : value;
  }
  return merged as TargetsConfig;
}

function locationOf(d: Destination, replicaPath: string): string {
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
function checkLocations(environments: EnvironmentPlan[], project: ProjectConfig, issues: IssueList): void {
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

function checkConfigFiles(environments: EnvironmentPlan[], issues: IssueList): void {
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

export { describeDuration };
