/**
 * describe → plan: resolves a parsed description into one fully explicit plan per environment
 * (absolute paths, replica locations, layered timings with their sources, the environment variables
 * Litestream needs) and collects every semantic problem. Pure: no I/O.
 */
import path from "node:path/posix";
import { closest, IssueList, ProjectError, type IssuePath, type ProjectIssue } from "./errors.js";
import { PINNED_RELEASES, ROLE_PRESETS, USE_CASE_PRESETS, type Preset } from "./presets.js";
import { resolveDestination } from "./providers.js";
import type { EnvironmentConfig, ProjectConfig } from "./schema/project.js";
import type { StorageConfig } from "./schema/storage.js";
import { checkConfigFiles, checkLocations, checkVersionFeatures, compareRelease, locationKeyOf, locationOf } from "./plan/checks.js";
import { planEnvVars } from "./plan/env-vars.js";
import { storageAt, type DatabasePlan, type EnvironmentInput, type EnvironmentPlan, type Plan, type ReplicaPlan, type ShutdownPlan, type Warning } from "./plan/model.js";
import { mergeTargets } from "./targets/merge.js";
import { checkTimings, globalTimings05, layerSettings, toSetting, type Layer } from "./plan/timings.js";

export * from "./plan/model.js";
export { ENV } from "./plan/env-vars.js";
export { compareRelease } from "./plan/checks.js";

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
  const release = project.litestream.release ?? PINNED_RELEASES[version];
  if (!release.startsWith(`${version}.`)) {
    issues.add(["litestream", "release"], `release ${release} is not on the ${version} line`, `use a ${version}.x release such as "${PINNED_RELEASES[version]}", or change litestream.version`, "release.line");
  }
  const image = project.litestream.image ?? `litestream/litestream:${release}`;
  if (/:latest$|^[^:]+$/.test(image)) {
    issues.add(["litestream", "image"], `"${image}" is not pinned; "latest" may point at the shell-less scratch build`, `pin an exact tag such as "litestream/litestream:${release}"`, "image.unpinned");
  }

  const dbNames = planDatabaseNames(project, issues);
  const envEntries: Array<[string, EnvironmentConfig]> = project.environments
    ? Object.entries(project.environments)
    : [["production", {}]];
  if (envEntries.length === 0) issues.add(["environments"], "no environment is defined", "remove `environments` or add one, e.g. environments: { production: {} }", "environment.none");

  const environments = envEntries.map(([envName, env]) =>
    planEnvironment({ project, version, release, envName, env, dbNames, single: envEntries.length === 1, issues, warnings }),
  );
  checkLocations(environments, project, issues);
  checkConfigFiles(environments, issues);
  return { plan: { name: project.name, litestream: { version, release, image }, environments, warnings }, issues: issues.items };
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
        `give each database a distinct \`name\`, e.g. name: "${name}-2"`,
        "replica.shared",
      );
    } else firstIndex.set(name, i);
  });
  return names;
}


function planEnvironment(input: EnvironmentInput): EnvironmentPlan {
  const { project, version, envName, env, dbNames, issues, warnings } = input;
  const envPath = project.environments ? ["environments", envName] : [];
  const at = (...rest: Array<string | number>): IssuePath => [...envPath, ...rest];

  if (env.baseDir !== undefined && !env.baseDir.startsWith("/")) {
    issues.add(at("baseDir"), `baseDir "${env.baseDir}" is not absolute`, `write an absolute directory, e.g. "${path.join("/", env.baseDir)}"`, "path.relative");
  }
  const resolvePath = (value: string, where: IssuePath, what: string): string => {
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

  for (const name of Object.keys(env.databases ?? {})) {
    if (!dbNames.includes(name)) {
      const suggestion = closest(name, dbNames);
      issues.add(at("databases", name), `no database is named "${name}"`, suggestion ? `did you mean "${suggestion}"?` : `known databases: ${dbNames.join(", ")}`, "database.unknown");
    }
  }

  const { storages, storagePath } = pickStorages(project, env, envPath, issues);
  if (version === "0.5" && storages.length > 1) {
    issues.add(storagePath, `Litestream 0.5 replicates each database to exactly one replica, ${storages.length} are listed`, "keep one replica, or use litestream.version 0.3", "version.replicas");
  }
  const replicaNames = storages.map((s) => s.name ?? s.provider);
  replicaNames.forEach((name, i) => {
    if (replicaNames.indexOf(name) !== i) {
      issues.add([...storageAt(storagePath, i), "name"], `replica name "${name}" is used twice; Litestream 0.3 refuses two unnamed replicas of one type`, `give each replica a distinct \`name\`, e.g. name: "${name}-${i + 1}"`, "replica.name-duplicate");
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
        issues.add(["databases", i, "role"], `unknown role "${roleName}"`, suggestion ? `did you mean "${suggestion}"? (or define it under roles)` : `use one of ${known.join(", ")} or define it under roles`, "role.unknown");
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
        locationKey: locationKeyOf(destination, replicaPath),
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
    shutdown: planShutdown(input, at),
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
      issues.add(env.heartbeat ? at("heartbeat", "interval") : ["heartbeat", "interval"], `heartbeat interval ${interval.go} is below Litestream's minimum of 1m`, 'use "1m" or more', "heartbeat.interval");
    }
    plan.heartbeat = interval ? { interval } : {};
  }
  if (version === "0.5") {
    Object.assign(plan, globalTimings05(plan, project, warnings, at));
    // A release of the other line is reported once, above; comparing it with 0.5.6 would only repeat that.
    if (plan.restoreOnBoot && input.release.startsWith("0.5.") && compareRelease(input.release, "0.5.6") < 0) {
      issues.add(["litestream", "release"], `restore-if-db-not-exists needs Litestream 0.5.6 or later, ${input.release} is pinned`, 'pin "0.5.6" or later, or set restoreOnBoot: false', "version.feature");
    }
  }
  return plan;
}

/** Docker, Compose and Kamal kill a container 10 s after SIGTERM; systemd after 90 s (docs/lifecycle.md). */
const STOP_MARGIN_SECONDS = 10;
const SHUTDOWN_SYNC_DEFAULT_MS = 30_000;

function planShutdown(input: EnvironmentInput, at: (...p: IssuePath) => IssuePath): ShutdownPlan {
  const { project, env, version, release, issues, warnings } = input;
  const given = env.shutdownSyncTimeout ?? project.shutdownSyncTimeout;
  const path = env.shutdownSyncTimeout ? at("shutdownSyncTimeout") : ["shutdownSyncTimeout"];
  const syncTimeout = given ? toSetting(given, env.shutdownSyncTimeout ? "environment" : "project", warnings, path) : undefined;
  if (syncTimeout && version === "0.3") {
    issues.add(path, "shutdown-sync-timeout is a Litestream 0.5.6+ setting; 0.3 does one final sync on SIGTERM without retrying", "remove shutdownSyncTimeout", "version.feature");
  } else if (syncTimeout && release.startsWith("0.5.") && compareRelease(release, "0.5.6") < 0) {
    issues.add(path, `shutdown-sync-timeout needs Litestream 0.5.6 or later, ${release} is pinned`, 'pin "0.5.6" or later, or remove shutdownSyncTimeout', "version.feature");
  }
  if (version === "0.5" && compareRelease(release, "0.5.6") >= 0) {
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


function pickStorages(project: ProjectConfig, env: EnvironmentConfig, envPath: IssuePath, issues: IssueList): { storages: StorageConfig[]; storagePath: IssuePath } {
  if (env.storage && env.replicas) {
    issues.add(envPath, "both `storage` and `replicas` are set", "use `storage` for one destination or `replicas` for several, not both", "storage.both");
  }
  if (env.prefix !== undefined && (env.storage || env.replicas)) {
    issues.add([...envPath, "prefix"], "`prefix` applies to the inherited storage, but this environment defines its own", "move the prefix into this environment's storage", "prefix.unused");
  }
  if (env.storage) return { storages: [env.storage], storagePath: [...envPath, "storage"] };
  if (env.replicas) return { storages: env.replicas, storagePath: [...envPath, "replicas"] };
  const inherited = pickInheritedStorages(project, issues);
  if (env.prefix === undefined) return inherited;
  const storages = inherited.storages.map((s) => ("bucket" in s ? { ...s, prefix: env.prefix } : s));
  if (!inherited.storages.some((s) => "bucket" in s)) {
    issues.add([...envPath, "prefix"], "`prefix` applies to object stores, and the inherited storage has none", "remove it, or set this environment's own storage", "prefix.unused");
  }
  return { storages, storagePath: inherited.storagePath };
}

function pickInheritedStorages(project: ProjectConfig, issues: IssueList): { storages: StorageConfig[]; storagePath: IssuePath } {
  if (project.storage && project.replicas) {
    issues.add([], "both `storage` and `replicas` are set", "use `storage` for one destination or `replicas` for several, not both", "storage.both");
  }
  if (project.storage) return { storages: [project.storage], storagePath: ["storage"] };
  if (project.replicas) return { storages: project.replicas, storagePath: ["replicas"] };
  issues.add([], "no backup destination: set `storage` (or `replicas`)", 'e.g. storage: { provider: "file", path: "/var/backups/litestream" }', "storage.none");
  return { storages: [], storagePath: ["storage"] };
}
