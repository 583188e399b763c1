/**
 * describe → plan: resolves a parsed description into one fully explicit plan per environment
 * (absolute paths, replica locations, layered timings with their sources, the environment variables
 * Litestream needs) and collects every semantic problem. Pure: no I/O.
 */
import path from "node:path/posix";
import { closest, IssueList, ProjectError, type IssuePath, type ProjectIssue } from "./errors.js";
import { ROLE_PRESETS, USE_CASE_PRESETS, type Preset } from "./presets.js";
import { resolveDestination, type Destination } from "./providers.js";
import type { DatabaseConfig, EnvironmentConfig, ProjectConfig, ReplicaPathConfig } from "./schema/project.js";
import { debAssets, DEB_CHECKSUMS, type DebArch, IMAGE_DIGESTS, lineOf, readsKey, RELEASE_LINES } from "./versions/index.js";
import { checkMigration } from "./plan/migration.js";
import { checkDirectoryDatabases } from "./plan/directories.js";
import { planRestoreFrom } from "./plan/restore-from.js";
import { checkKnownBad, checkReleaseKnown, requireBehaviour, requireKey, type KeyRequest } from "./plan/release-gates.js";
import type { StorageConfig } from "./schema/storage.js";
import { isEnvSetting, settingText, type EnvSettingConfig } from "./schema/common.js";
import { checkDatabasePathsFromEnv, envPathWithoutName, planDatabasePathVars } from "./plan/path-env.js";
import {
  checkConfigFiles,
  checkLocations,
  checkVersionFeatures,
  locationKeyOf,
  locationOf,
  variableLocationsWarning,
} from "./plan/checks.js";
import { planEnvVars, planRuntimeSettings } from "./plan/env-vars.js";
import { exactReplicaPath, pickReplicaPath } from "./plan/replica-paths.js";
import {
  storageAt,
  type DatabasePath,
  type DatabasePlan,
  type DebPlan,
  type EnvironmentInput,
  type EnvironmentPlan,
  type LitestreamPlan,
  type Plan,
  type ReplicaPlan,
  type Setting,
  type ShutdownPlan,
  type Warning,
} from "./plan/model.js";
import { mergeTargets } from "./targets/merge.js";
import { checkTimings, globalTimings05, layerSettings, toSetting, type Layer, type Settings } from "./plan/timings.js";

export * from "./plan/model.js";
export { ENV } from "./plan/env-vars.js";
export { compareRelease } from "./versions/index.js";
export { debVerificationProblem } from "./plan/release-gates.js";

/** Plans a parsed description; throws one ProjectError listing every semantic problem. */
export function planProject(project: ProjectConfig): Plan {
  const { plan, issues } = planProjectCollecting(project);
  if (issues.length) throw new ProjectError(issues);
  return plan;
}

/**
 * Plans a parsed description and returns the plan with every semantic problem found, so that the
 * target checks can still run on it (generate reports all problems in one pass).
 */
export function planProjectCollecting(project: ProjectConfig): { plan: Plan; issues: ProjectIssue[] } {
  const issues = new IssueList();
  const warnings: Warning[] = [];
  const version = project.litestream.version;
  const litestream = planLitestream(project, issues);
  const release = litestream.release;

  const dbNames = planDatabaseNames(project, issues);
  const envEntries: Array<[string, EnvironmentConfig]> = project.environments ? Object.entries(project.environments) : [["production", {}]];
  if (envEntries.length === 0)
    issues.add(
      ["environments"],
      "no environment is defined",
      "remove `environments` or add one, e.g. environments: { production: {} }",
      "environment.none",
    );

  const environments = envEntries.map(([envName, env]) =>
    planEnvironment({ project, version, release, envName, env, dbNames, single: envEntries.length === 1, issues, warnings }),
  );
  planRestoreFrom(environments, project, issues);
  if (lineOf(release) === version) {
    checkKnownBad(issues, warnings, release, {
      customS3Endpoint: environments.some((e) =>
        e.databases.some((db) => db.replicas.some((r) => r.type === "s3" && r.endpoint !== undefined)),
      ),
      walAutocheckpointOff: project.litestream.walAutocheckpointOff === true,
    });
  }
  checkLocations(environments, project, issues);
  const variableLocations = variableLocationsWarning(environments);
  if (variableLocations) warnings.push(variableLocations);
  checkConfigFiles(environments, issues);
  checkMigration(environments, version === "0.5" ? litestream.migrateFrom : undefined, issues, migrationHint(project));
  return { plan: { name: project.name, litestream, environments, warnings }, issues: issues.items };
}

/** The release, the image and the .deb to pin, and whether the .deb can be verified. */
function planLitestream(project: ProjectConfig, issues: IssueList): LitestreamPlan {
  const { version, checksum, verify, migrateFrom } = project.litestream;
  const release = project.litestream.release ?? RELEASE_LINES[version].default;
  if (!release.startsWith(`${version}.`)) {
    issues.add(
      ["litestream", "release"],
      `release ${release} is not on the ${version} line`,
      `use a ${version}.x release such as "${RELEASE_LINES[version].default}", or change litestream.version`,
      "release.line",
    );
  } else checkReleaseKnown(issues, release);
  const knownDigest = IMAGE_DIGESTS[release];
  const image = project.litestream.image ?? `litestream/litestream:${release}${knownDigest ? `@${knownDigest}` : ""}`;
  if (/:latest(@|$)|^[^:@]+$/.test(image)) {
    issues.add(
      ["litestream", "image"],
      `"${image}" is not pinned; "latest" may point at the shell-less scratch build`,
      `pin an exact tag such as "litestream/litestream:${release}"`,
      "image.unpinned",
    );
  }
  const digest = /@(sha256:[0-9a-f]{64})$/.exec(image)?.[1];
  const assets = debAssets(release);
  const recorded = DEB_CHECKSUMS[release] ?? {};
  const given: Partial<Record<DebArch, string>> = typeof checksum === "string" ? { amd64: checksum } : (checksum ?? {});
  const deb: DebPlan = {
    verify: verify !== false,
    urls: { amd64: `${assets.baseUrl}/${assets.amd64}`, arm64: `${assets.baseUrl}/${assets.arm64}` },
    sha256: {},
    source: checksum ? "litestream.checksum in the description" : ((recorded.amd64 ?? recorded.arm64)?.source ?? ""),
  };
  for (const arch of ["amd64", "arm64"] as const) {
    const sha = given[arch]?.replace(/^sha256:/, "") ?? recorded[arch]?.sha256;
    if (sha) deb.sha256[arch] = sha;
  }
  if (checksum && verify === false) {
    issues.add(
      ["litestream", "verify"],
      "verify: false and a checksum are both set",
      "remove verify: false to have the .deb checked against the checksum",
      "checksum.conflict",
    );
  }
  const plan: LitestreamPlan = { version, release, image, deb };
  if (digest) plan.imageDigest = digest;
  if (migrateFrom) {
    if (version !== "0.5")
      issues.add(
        ["litestream", "migrateFrom"],
        "migrateFrom moves 0.3 backups to Litestream 0.5; litestream.version is 0.3",
        'set litestream.version "0.5" or remove migrateFrom',
        "migrate.line",
      );
    else requireBehaviour(issues, release, "restoreFrom03", ["litestream", "migrateFrom"], "restore the 0.3 backup with 0.3 first");
    plan.migrateFrom = migrateFrom;
  }
  return plan;
}

/** A fix for a 0.5 location shared with the 0.3 one: a new prefix, or a new directory. */
function migrationHint(project: ProjectConfig): string {
  const storage = project.storage ?? project.replicas?.[0];
  if (storage && "bucket" in storage)
    return `storage.prefix: "${storage.prefix === undefined ? project.name : settingText(storage.prefix) || project.name}-v05"`;
  if (storage && "path" in storage) return `storage.path: "${storage.path.replace(/\/$/, "")}-v05"`;
  return "a storage prefix or directory of its own";
}

function planDatabaseNames(project: ProjectConfig, issues: IssueList): string[] {
  const names = project.databases.map(
    (db, i) =>
      db.name ??
      (isEnvSetting(db.path)
        ? envPathWithoutName(i, db.path.env, issues)
        : path
            .basename(db.path)
            .replace(/\.[^.]*$/, "")
            .toLowerCase()
            .replace(/[^a-z0-9_-]/g, "-")),
  );
  const firstIndex = new Map<string, number>();
  names.forEach((name, i) => {
    const earlier = firstIndex.get(name);
    if (earlier !== undefined) {
      issues.add(
        ["databases", i, "name"],
        `database name "${name}" is also used by databases[${earlier}]; both would replicate to the same place and lose data silently`,
        `give each database a distinct \`name\`, e.g. name: "${name}-2"`,
        "replica.shared",
      );
    } else firstIndex.set(name, i);
  });
  return names;
}

type At = (...rest: Array<string | number>) => IssuePath;
type ResolvePath = (value: string, where: IssuePath, what: string) => string;

/** One environment: its storages, databases with their replicas, and its global settings. */
function planEnvironment(input: EnvironmentInput): EnvironmentPlan {
  const { project, envName, env, issues, warnings } = input;
  const envPath = project.environments ? ["environments", envName] : [];
  const at: At = (...rest) => [...envPath, ...rest];
  const resolvePath = pathResolver(input, envPath);
  checkDatabaseOverrides(input, at);

  const { storages, storagePath, replicaNames } = planStorages(input, envPath);
  const encryption = env.encryption ?? project.encryption;
  checkVersionFeatures(input, encryption, storages, storagePath, at);

  // Per storage and per environment, not per database: the same for all of them.
  const destinations = storages.map((storage, r) => planDestination(storage, project.name, storageAt(storagePath, r), resolvePath));
  const environmentSettings = layerSettings(environmentLayers(input, at), warnings);
  const databases = project.databases.map((db, i) =>
    planDatabase(input, { db, index: i, at, resolvePath, storages, storagePath, replicaNames, destinations, environmentSettings }),
  );
  const heartbeat = env.heartbeat ?? project.heartbeat;
  const plan: EnvironmentPlan = {
    name: envName,
    configFile: env.configFile ?? (input.single ? "config/litestream.yml" : `config/litestream.${envName}.yml`),
    databases,
    restoreOnBoot: env.restoreOnBoot ?? project.restoreOnBoot ?? true,
    shutdown: planShutdown(input, at),
    env: [],
    targets: mergeTargets(project.targets, env.targets),
  };
  const credentials = planEnvVars(storages, storagePath, encryption, heartbeat, issues);
  const replicaPaths: Array<{ value: ReplicaPathConfig; where: IssuePath }> = [];
  project.databases.forEach((db, i) => {
    const name = input.dbNames[i] ?? "";
    const override = env.databases?.[name]?.replicaPath;
    if (db.replicaPath !== undefined) replicaPaths.push({ value: db.replicaPath, where: ["databases", i, "replicaPath"] });
    if (override !== undefined) replicaPaths.push({ value: override, where: at("databases", name, "replicaPath") });
  });
  const settings = planRuntimeSettings(storages, storagePath, replicaPaths, credentials, issues);
  plan.env = [...credentials, ...settings, ...planDatabasePathVars(databases, [...credentials, ...settings], issues)];
  const monitoring = env.monitoring ?? project.monitoring;
  if (monitoring) plan.monitoring = monitoring;
  const logging = env.logging ?? project.logging;
  if (logging) plan.logging = logging;
  if (encryption) plan.encryption = encryption;
  const restoreRetry = env.restoreRetry ?? project.restoreRetry;
  if (restoreRetry && plan.restoreOnBoot)
    plan.restoreRetry = { attempts: restoreRetry.attempts, maxDelaySeconds: restoreRetry.maxDelaySeconds ?? 60 };
  if (heartbeat) plan.heartbeat = planHeartbeat(heartbeat, env.heartbeat ? at("heartbeat") : ["heartbeat"], issues, warnings);
  if (input.version === "0.5") Object.assign(plan, globalTimings05(plan, project, warnings, at));
  checkReleaseGates(input, plan, { storages, storagePath, replicaNames }, at);
  if (input.version === "0.5") checkDirectoryDatabases(project, envName, plan, issues, at);
  checkDatabasePathsFromEnv(project, envName, plan, issues, warnings);
  return plan;
}

/** Resolves a description path against the environment's baseDir, or refuses a relative one. */
function pathResolver(input: EnvironmentInput, envPath: IssuePath): ResolvePath {
  const { env, issues } = input;
  if (env.baseDir !== undefined && !env.baseDir.startsWith("/")) {
    issues.add(
      [...envPath, "baseDir"],
      `baseDir "${env.baseDir}" is not absolute`,
      `write an absolute directory, e.g. "${path.join("/", env.baseDir)}"`,
      "path.relative",
    );
  }
  return (value, where, what) => {
    if (value.startsWith("/")) return path.normalize(value);
    if (env.baseDir?.startsWith("/")) return path.join(env.baseDir, value);
    issues.add(
      where,
      `${what} "${value}" is relative: Litestream would resolve it against whatever directory it happens to start in`,
      `make it absolute, e.g. "${path.join("/", value)}", or set ${formatEnvPath(envPath)}baseDir to resolve relative paths explicitly`,
      "path.relative",
    );
    // The later checks see the path as the fix suggests, so they report nothing that follows from this one.
    return path.join("/", value);
  };
}

function checkDatabaseOverrides({ env, dbNames, issues }: EnvironmentInput, at: At): void {
  for (const name of Object.keys(env.databases ?? {})) {
    if (!dbNames.includes(name)) {
      const suggestion = closest(name, dbNames);
      issues.add(
        at("databases", name),
        `no database is named "${name}"`,
        suggestion ? `did you mean "${suggestion}"?` : `known databases: ${dbNames.join(", ")}`,
        "database.unknown",
      );
    }
  }
}

interface StoragePick {
  storages: StorageConfig[];
  storagePath: IssuePath;
  replicaNames: string[];
}

function planStorages(input: EnvironmentInput, envPath: IssuePath): StoragePick {
  const { project, env, version, issues } = input;
  const { storages, storagePath } = pickStorages(project, env, envPath, issues);
  if (version === "0.5" && storages.length > 1) {
    issues.add(
      storagePath,
      `Litestream 0.5 replicates each database to exactly one replica, ${storages.length} are listed`,
      "keep one replica, or use litestream.version 0.3",
      "version.replicas",
    );
  }
  const replicaNames = storages.map((s) => s.name ?? s.provider);
  replicaNames.forEach((name, i) => {
    if (replicaNames.indexOf(name) !== i) {
      issues.add(
        [...storageAt(storagePath, i), "name"],
        `replica name "${name}" is used twice; Litestream 0.3 refuses two unnamed replicas of one type`,
        `give each replica a distinct \`name\`, e.g. name: "${name}-${i + 1}"`,
        "replica.name-duplicate",
      );
    }
  });
  return { storages, storagePath, replicaNames };
}

interface DatabaseInput extends StoragePick {
  db: DatabaseConfig;
  index: number;
  at: At;
  resolvePath: ResolvePath;
  /** Each storage's destination, its paths resolved. */
  destinations: Destination[];
  /** The timings every database starts from: preset, project default, environment. */
  environmentSettings: Settings;
}

function planDatabase(input: EnvironmentInput, d: DatabaseInput): DatabasePlan {
  const { env, dbNames } = input;
  const { db, index: i, at, resolvePath } = d;
  const name = dbNames[i] ?? String(i);
  const override = env.databases?.[name];
  const dbPath = override?.path
    ? databasePath(override.path, at("databases", name, "path"), resolvePath)
    : databasePath(db.path, ["databases", i, "path"], resolvePath);
  const role = resolveRole(input, db, i);
  const settings = layerSettings(databaseLayers(input, d, name, role), input.warnings, d.environmentSettings);
  const replicas = d.storages.map((storage, r) => planReplica(input, d, { storage, r, name, settings }));
  // Fields added in this order, not by spreads: one hidden class for all databases alike.
  const plan = { name, path: dbPath } as DatabasePlan;
  if (db.role) plan.role = db.role;
  if (role?.reason) plan.roleReason = role.reason;
  plan.replicas = replicas;
  if (db.truncatePageN !== undefined) plan.truncatePageN = db.truncatePageN;
  if (db.maxSyncWalBytes !== undefined) plan.maxSyncWalBytes = db.maxSyncWalBytes;
  if (db.directory) {
    const { metaDir, ...rest } = db.directory;
    plan.directory = {
      ...rest,
      ...(metaDir !== undefined ? { metaDir: resolvePath(metaDir, ["databases", i, "directory", "metaDir"], "meta-dir") } : {}),
    };
  }
  return plan;
}

/** A literal path resolved against baseDir, or the variable it is read from at start-up (src/plan/path-env.ts). */
function databasePath(value: string | EnvSettingConfig, where: IssuePath, resolvePath: ResolvePath): DatabasePath {
  return isEnvSetting(value)
    ? { kind: "env", name: value.env, at: where }
    : { kind: "literal", value: resolvePath(value, where, "database path") };
}

/** The timing preset of a database's role: a custom role, a built-in one, or an issue. */
function resolveRole({ project, issues }: EnvironmentInput, db: DatabaseConfig, i: number): Preset | undefined {
  const roleName = db.role;
  if (!roleName) return undefined;
  const custom = project.roles?.[roleName];
  if (custom) return { replication: custom as Preset["replication"], reason: "" };
  const builtin = ROLE_PRESETS[roleName];
  if (builtin) return builtin;
  const known = [...Object.keys(ROLE_PRESETS), ...Object.keys(project.roles ?? {})];
  const suggestion = closest(roleName, known);
  issues.add(
    ["databases", i, "role"],
    `unknown role "${roleName}"`,
    suggestion ? `did you mean "${suggestion}"? (or define it under roles)` : `use one of ${known.join(", ")} or define it under roles`,
    "role.unknown",
  );
  return undefined;
}

/** The broadest timing layers (docs/durations.md), the same for every database of an environment. */
function environmentLayers({ project, env, envName }: EnvironmentInput, at: At): Layer[] {
  const presetName = env.preset ?? project.preset;
  const preset = presetName ? USE_CASE_PRESETS[presetName] : undefined;
  return [
    ...(preset
      ? [
          {
            source: `preset ${presetName}`,
            reason: preset.reason,
            values: preset.replication,
            path: env.preset ? at("preset") : ["preset"],
            preset: true,
          },
        ]
      : []),
    { source: "project default", values: project.replication, path: ["replication"] },
    { source: `environment ${envName}`, values: env.replication, path: at("replication") },
  ];
}

/** A database's own timing layers, over the environment's; the replica adds the last. */
function databaseLayers(
  { project, env, envName }: EnvironmentInput,
  { db, index: i, at }: DatabaseInput,
  name: string,
  role: Preset | undefined,
): Layer[] {
  const override = env.databases?.[name];
  const roleName = db.role;
  // Only the layers that hold values: most databases have none of their own (no garbage per database).
  const layers: Layer[] = [];
  if (role && roleName)
    layers.push({
      source: `role ${roleName}`,
      reason: role.reason || undefined,
      values: role.replication,
      ...(project.roles?.[roleName] ? { path: ["roles", roleName] } : { path: ["databases", i, "role"], preset: true }),
    });
  if (db.replication) layers.push({ source: `database ${name}`, values: db.replication, path: ["databases", i, "replication"] });
  if (override?.replication)
    layers.push({
      source: `environment ${envName}, database ${name}`,
      values: override.replication,
      path: at("databases", name, "replication"),
    });
  return layers;
}

/** A storage's destination, with its file paths resolved against baseDir. */
function planDestination(storage: StorageConfig, projectName: string, where: IssuePath, resolvePath: ResolvePath): Destination {
  const destination = resolveDestination(storage, projectName);
  if (destination.type === "file") destination.base = resolvePath(destination.base, [...where, "path"], "file replica path");
  if (destination.type === "sftp" && destination.keyPath)
    destination.keyPath = resolvePath(destination.keyPath, [...where, "keyPath"], "SSH key path");
  return destination;
}

function planReplica(
  input: EnvironmentInput,
  d: DatabaseInput,
  { storage, r, name, settings: databaseSettings }: { storage: StorageConfig; r: number; name: string; settings: Settings },
): ReplicaPlan {
  const { version, issues, warnings } = input;
  const where = storageAt(d.storagePath, r);
  const destination = d.destinations[r]!;
  const replicaName = d.replicaNames[r] ?? storage.provider;
  const settings = storage.replication
    ? layerSettings(
        [{ source: `replica ${replicaName}`, values: storage.replication, path: [...where, "replication"] }],
        warnings,
        databaseSettings,
      )
    : databaseSettings;
  const override = input.env.databases?.[name]?.replicaPath;
  const exact =
    override === undefined && d.db.replicaPath === undefined
      ? undefined
      : pickReplicaPath(
          [
            { value: override, where: d.at("databases", name, "replicaPath") },
            { value: d.db.replicaPath, where: ["databases", d.index, "replicaPath"] },
          ],
          replicaName,
          d.replicaNames,
          issues,
        );
  const replicaPath = exact
    ? exactReplicaPath(exact, destination, (value, at) => d.resolvePath(value, at, "replicaPath"), issues)
    : replicaPathOf(destination, name);
  checkTimings(settings, version, `database ${name}`, issues);
  // Not a spread: V8 gives `{ ...destination, name, … }` a new hidden class almost every time, and
  // every later read of a replica field then goes through a megamorphic lookup.
  const replica: ReplicaPlan = Object.assign({}, destination, {
    name: replicaName,
    path: replicaPath,
    settings,
    location: locationOf(destination, replicaPath),
    locationKey: locationKeyOf(destination, replicaPath),
  });
  if (exact) replica.exactPathAt = exact.where;
  return replica;
}

/** <prefix>/<db> in a bucket, <dir>/<db> on disk. */
function replicaPathOf(destination: Destination, dbName: string): string {
  return destination.base ? `${destination.base.replace(/\/$/, "")}/${dbName}` : dbName;
}

function planHeartbeat(
  heartbeat: NonNullable<ProjectConfig["heartbeat"]>,
  where: IssuePath,
  issues: IssueList,
  warnings: Warning[],
): { interval?: Setting } {
  const interval = heartbeat.interval ? toSetting(heartbeat.interval, "heartbeat", warnings, [...where, "interval"]) : undefined;
  if (interval && interval.ms < 60_000) {
    issues.add(
      [...where, "interval"],
      `heartbeat interval ${interval.go} is below Litestream's minimum of 1m`,
      'use "1m" or more',
      "heartbeat.interval",
    );
  }
  return interval ? { interval } : {};
}

/**
 * Every key this environment would write, checked against the pinned release's table row
 * (docs/versions.md). A release of the other line is reported once, by planLitestream; the 0.5
 * settings that checkVersionFeatures already refuses on 0.3 are checked on 0.5 only.
 */
function checkReleaseGates(input: EnvironmentInput, plan: EnvironmentPlan, { storages, storagePath }: StoragePick, at: At): void {
  const { project, env, release, issues } = input;
  const line = lineOf(release);
  if (line !== input.version) return;
  const requests: Array<KeyRequest & { otherLine: boolean }> = [];
  const want = (scope: KeyRequest["scope"], key: string, where: IssuePath, without: string, otherLine = false) =>
    requests.push({ scope, key, path: where, without, otherLine });
  // Settings only 0.5 reads, which nothing else refuses on 0.3: refused there naming 0.5.
  project.databases.forEach((db, i) => {
    if (db.truncatePageN !== undefined) want("db", "truncate-page-n", ["databases", i, "truncatePageN"], "remove truncatePageN", true);
    if (db.maxSyncWalBytes !== undefined)
      want("db", "max-sync-wal-bytes", ["databases", i, "maxSyncWalBytes"], "remove maxSyncWalBytes", true);
    if (db.directory) {
      const where = ["databases", i, "directory"];
      want("db", "dir", where, "describe each database with its own path", true);
      if (db.directory.recursive !== undefined) want("db", "recursive", [...where, "recursive"], "remove directory.recursive", true);
      if (db.directory.watch !== undefined) want("db", "watch", [...where, "watch"], "remove directory.watch", true);
      if (db.directory.metaDir !== undefined)
        want("db", "meta-dir", [...where, "metaDir"], "remove directory.metaDir (metadata then sits beside each tenant)", true);
    }
  });
  storages.forEach((s, i) => {
    for (const [field, key] of UPLOAD_KEYS) {
      if (field in s && (s as Record<string, unknown>)[field] !== undefined)
        want("replica", key, [...storageAt(storagePath, i), field], `remove ${field}`, true);
    }
  });
  if (line === "0.5") {
    // Every target's restore step also runs restore -if-replica-exists (0.5.1+), which this gate covers.
    if (plan.restoreOnBoot) want("db", "restore-if-db-not-exists", ["litestream", "release"], "set restoreOnBoot: false");
    if (plan.heartbeat) want("top", "heartbeat-url", env.heartbeat ? at("heartbeat") : ["heartbeat"], "remove heartbeat");
    if (plan.compaction?.l0Retention) want("top", "l0-retention", ["compaction", "l0Retention"], "remove compaction.l0Retention");
    if (plan.compaction?.retentionEnabled !== undefined)
      want("retention", "enabled", ["compaction", "retentionEnabled"], "remove compaction.retentionEnabled");
    if (plan.validation?.interval) want("top", "validation", plan.validation.interval.path, "remove validationInterval");
    if (plan.logging?.type === "pretty")
      requireBehaviour(issues, release, "prettyLogging", env.logging ? at("logging", "type") : ["logging", "type"], 'use "text" or "json"');
    const encryption = plan.encryption;
    if (encryption && "sse" in encryption)
      want("replica", "sse-kms-key-id", env.encryption ? at("encryption", "sse") : ["encryption", "sse"], "remove encryption.sse");
  }
  // One refusal per key and place: many databases share one storage.
  const seen = new Set<string>();
  for (const { otherLine, ...request } of requests) {
    const id = `${request.scope}.${request.key}@${request.path.join(".")}`;
    if (seen.has(id)) continue;
    seen.add(id);
    requireKey(issues, release, request, otherLine);
  }
}

/** The description's S3 upload fields and the replica keys they become. */
export const UPLOAD_KEYS = [
  ["storageClass", "storage-class"],
  ["partSize", "part-size"],
  ["concurrency", "concurrency"],
  ["signPayload", "sign-payload"],
] as const;

/** Docker, Compose and Kamal kill a container 10 s after SIGTERM; systemd after 90 s (docs/lifecycle.md). */
const STOP_MARGIN_SECONDS = 10;
const SHUTDOWN_SYNC_DEFAULT_MS = 30_000;

function planShutdown(input: EnvironmentInput, at: (...p: IssuePath) => IssuePath): ShutdownPlan {
  const { project, env, version, release, issues, warnings } = input;
  const given = env.shutdownSyncTimeout ?? project.shutdownSyncTimeout;
  const path = env.shutdownSyncTimeout ? at("shutdownSyncTimeout") : ["shutdownSyncTimeout"];
  const syncTimeout = given ? toSetting(given, env.shutdownSyncTimeout ? "environment" : "project", warnings, path) : undefined;
  if (syncTimeout && version === "0.3") {
    issues.add(
      path,
      "shutdown-sync-timeout is a Litestream 0.5.6+ setting; 0.3 does one final sync on SIGTERM without retrying",
      "remove shutdownSyncTimeout",
      "version.feature",
    );
  } else if (syncTimeout && lineOf(release) === "0.5") {
    requireKey(issues, release, { scope: "top", key: "shutdown-sync-timeout", path, without: "remove shutdownSyncTimeout" });
  }
  if (version === "0.5" && readsKey(release, "top", "shutdown-sync-timeout")) {
    const ms = syncTimeout?.ms ?? SHUTDOWN_SYNC_DEFAULT_MS;
    const graceSeconds = Math.ceil(ms / 1000) + STOP_MARGIN_SECONDS;
    const what = syncTimeout ? `shutdown-sync-timeout ${syncTimeout.go}` : "Litestream's default shutdown-sync-timeout of 30s";
    return {
      ...(syncTimeout && version === "0.5" ? { syncTimeout } : {}),
      graceSeconds,
      reason: `${what} for the final sync on SIGTERM, plus ${STOP_MARGIN_SECONDS}s margin (the 10s default would kill it mid-sync)`,
    };
  }
  return {
    graceSeconds: 30,
    reason: "time for Litestream's final sync on SIGTERM, which does not retry: 30s (the 10s default can cut off a slow upload)",
  };
}

function formatEnvPath(envPath: IssuePath): string {
  return envPath.length ? `${envPath.join(".")}.` : "environments.production.";
}

function pickStorages(
  project: ProjectConfig,
  env: EnvironmentConfig,
  envPath: IssuePath,
  issues: IssueList,
): { storages: StorageConfig[]; storagePath: IssuePath } {
  if (env.storage && env.replicas) {
    issues.add(
      envPath,
      "both `storage` and `replicas` are set",
      "use `storage` for one destination or `replicas` for several, not both",
      "storage.both",
    );
  }
  if (env.prefix !== undefined && (env.storage || env.replicas)) {
    issues.add(
      [...envPath, "prefix"],
      "`prefix` applies to the inherited storage, but this environment defines its own",
      "move the prefix into this environment's storage",
      "prefix.unused",
    );
  }
  if (env.storage) return { storages: [env.storage], storagePath: [...envPath, "storage"] };
  if (env.replicas) return { storages: env.replicas, storagePath: [...envPath, "replicas"] };
  const inherited = pickInheritedStorages(project, issues);
  if (env.prefix === undefined) return inherited;
  const storages = inherited.storages.map((s) => ("bucket" in s ? { ...s, prefix: env.prefix } : s));
  if (!inherited.storages.some((s) => "bucket" in s)) {
    issues.add(
      [...envPath, "prefix"],
      "`prefix` applies to object stores, and the inherited storage has none",
      "remove it, or set this environment's own storage",
      "prefix.unused",
    );
  }
  return { storages, storagePath: inherited.storagePath };
}

function pickInheritedStorages(project: ProjectConfig, issues: IssueList): { storages: StorageConfig[]; storagePath: IssuePath } {
  if (project.storage && project.replicas) {
    issues.add(
      [],
      "both `storage` and `replicas` are set",
      "use `storage` for one destination or `replicas` for several, not both",
      "storage.both",
    );
  }
  if (project.storage) return { storages: [project.storage], storagePath: ["storage"] };
  if (project.replicas) return { storages: project.replicas, storagePath: ["replicas"] };
  issues.add(
    [],
    "no backup destination: set `storage` (or `replicas`)",
    'e.g. storage: { provider: "file", path: "/var/backups/litestream" }',
    "storage.none",
  );
  return { storages: [], storagePath: ["storage"] };
}
