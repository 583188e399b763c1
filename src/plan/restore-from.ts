/**
 * restoreFrom: seed an environment (staging) from another environment's backup (production),
 * read-only. The source's replicas go into a config of their own that only `restore` reads, after
 * the environment's own replica had nothing to restore (docs/lifecycle.md). A source location equal
 * to or nested with this environment's own is already refused by checkLocations (every environment
 * of the description is a writer there).
 */
import { closest, type IssueList, type IssuePath } from "../errors.js";
import { toSecretReference, type SecretReference } from "../schema/common.js";
import type { ProjectConfig, RestoreFromConfig } from "../schema/project.js";
import type { EnvironmentPlan, EnvVarPlan, RestoreFromPlan } from "./model.js";

/** Names Litestream reads by itself: a source key under one of them would also be used by `replicate`. */
const NATIVE_KEY_NAMES = new Set([
  "LITESTREAM_ACCESS_KEY_ID",
  "LITESTREAM_SECRET_ACCESS_KEY",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
]);
/** The variables a 1Password-referenced source key is delivered under. */
export const SEED_ENV = { accessKeyId: "LITESTREAM_SEED_ACCESS_KEY_ID", secretAccessKey: "LITESTREAM_SEED_SECRET_ACCESS_KEY" } as const;

/** Where the restore-from config goes: beside the environment's litestream.yml. */
export function restoreFromConfigFile(configFile: string): string {
  return /\.ya?ml$/.test(configFile) ? configFile.replace(/(\.ya?ml)$/, ".restore-from$1") : `${configFile}.restore-from.yml`;
}

/** Resolves every environment's restoreFrom against the planned environments; adds the source keys to its variables. */
export function planRestoreFrom(environments: EnvironmentPlan[], project: ProjectConfig, issues: IssueList): void {
  const byName = new Map(environments.map((e) => [e.name, e]));
  for (const env of environments) {
    const given = project.environments?.[env.name]?.restoreFrom;
    if (!given) continue;
    const at = (...rest: Array<string | number>): IssuePath => ["environments", env.name, "restoreFrom", ...rest];
    const source = pickSource(env, given, byName, issues, at);
    if (!source) continue;
    const directories = env.databases.filter((db) => db.directory).map((db) => db.name);
    if (directories.length) {
      issues.add(
        at(),
        `database ${directories.join(", ")} is a directory of databases: nothing restores it on boot (Litestream cannot list a directory's tenants to restore), so nothing can seed it`,
        "describe each tenant to seed as a database with its own path, or seed by hand with `litestream restore -o` (docs/lifecycle.md)",
        "restore-from.directory",
      );
      continue;
    }
    if (!env.restoreOnBoot) {
      issues.add(
        at(),
        "restoreFrom seeds a database on boot, but restoreOnBoot is off for this environment",
        "remove restoreOnBoot: false, or remove restoreFrom",
        "restore-from.no-restore",
      );
      continue;
    }
    const databases = pickDatabases(env, source, given, issues, at);
    if (!databases) continue;
    checkSourceReplicas(source, databases, issues, at);
    const plan: RestoreFromPlan = { environment: source.name, configFile: restoreFromConfigFile(env.configFile), databases };
    if (given.credentials) {
      const vars = sourceKeyVariables(env, source, given.credentials, issues, at);
      if (vars) {
        plan.credentials = { accessKeyId: vars[0].name, secretAccessKey: vars[1].name };
        env.env.push(...vars);
      }
    }
    env.restoreFrom = plan;
  }
}

function pickSource(
  env: EnvironmentPlan,
  given: RestoreFromConfig,
  byName: Map<string, EnvironmentPlan>,
  issues: IssueList,
  at: (...rest: Array<string | number>) => IssuePath,
): EnvironmentPlan | undefined {
  const others = [...byName.keys()].filter((name) => name !== env.name);
  if (given.environment === env.name) {
    issues.add(
      at("environment"),
      `environment ${env.name} cannot be seeded from its own backup: it already restores from it`,
      others.length ? `name the environment to seed from, e.g. "${others[0]}"` : "remove restoreFrom",
      "restore-from.self",
    );
    return undefined;
  }
  const source = byName.get(given.environment);
  if (!source) {
    const suggestion = closest(given.environment, others);
    issues.add(
      at("environment"),
      `no environment is named "${given.environment}"`,
      suggestion ? `did you mean "${suggestion}"?` : others.length ? `use one of ${others.join(", ")}` : "remove restoreFrom",
      "restore-from.unknown",
    );
  }
  return source;
}

/** The databases to seed, each with the source's replicas; undefined (and the issue) when none can be. */
function pickDatabases(
  env: EnvironmentPlan,
  source: EnvironmentPlan,
  given: RestoreFromConfig,
  issues: IssueList,
  at: (...rest: Array<string | number>) => IssuePath,
): RestoreFromPlan["databases"] | undefined {
  const sourceDbs = new Map(source.databases.map((db) => [db.name, db]));
  const names = given.databases ?? env.databases.filter((db) => sourceDbs.has(db.name)).map((db) => db.name);
  const out: RestoreFromPlan["databases"] = [];
  let ok = true;
  names.forEach((name, i) => {
    const own = env.databases.find((db) => db.name === name);
    const from = sourceDbs.get(name);
    if (!own || !from) {
      ok = false;
      const known = env.databases.map((db) => db.name).filter((n) => sourceDbs.has(n));
      const suggestion = closest(name, known);
      issues.add(
        at("databases", i),
        `no database "${name}" in both environments ${env.name} and ${source.name}`,
        suggestion ? `did you mean "${suggestion}"?` : `known databases: ${known.join(", ")}`,
        "restore-from.database-unknown",
      );
      return;
    }
    out.push({ name, path: own.path, replicas: from.replicas });
  });
  if (!ok) return undefined;
  if (out.length === 0) {
    issues.add(
      at(),
      `environments ${env.name} and ${source.name} have no database in common`,
      "remove restoreFrom",
      "restore-from.no-database",
    );
    return undefined;
  }
  return out;
}

/** What the restore-from config cannot carry: the source's run-time settings, its encryption keys, an SFTP password. */
function checkSourceReplicas(
  source: EnvironmentPlan,
  databases: RestoreFromPlan["databases"],
  issues: IssueList,
  at: (...rest: Array<string | number>) => IssuePath,
): void {
  const variable = databases.flatMap((db) => db.replicas).find((r) => r.location.includes("${"));
  if (variable)
    issues.add(
      at("environment"),
      `the source location ${variable.location} is read from a variable at start-up; this environment does not have ${source.name}'s variables`,
      `write environment ${source.name}'s bucket and path literally, or seed by hand (docs/lifecycle.md)`,
      "restore-from.variable-location",
    );
  if (source.encryption)
    issues.add(
      at("environment"),
      `environment ${source.name}'s backups are encrypted; the restore-from config does not carry its keys`,
      `seed by hand with ${source.name}'s key (docs/lifecycle.md), or remove restoreFrom`,
      "restore-from.encrypted",
    );
  if (source.env.some((v) => v.name === "LITESTREAM_SFTP_PASSWORD"))
    issues.add(
      at("environment"),
      `environment ${source.name} reaches its SFTP replica with a password, which this environment must not be given`,
      `give ${source.name}'s SFTP server a read-only key file (storage.keyPath), or remove restoreFrom`,
      "restore-from.sftp-password",
    );
}

/**
 * The variables of the source's read-only keys. Refused: a name this environment already uses (its
 * own key would be replaced, or used against the source), a name Litestream reads by itself
 * (`replicate` would use it too), and the source environment's own key (its write key handed over).
 */
function sourceKeyVariables(
  env: EnvironmentPlan,
  source: EnvironmentPlan,
  credentials: NonNullable<RestoreFromConfig["credentials"]>,
  issues: IssueList,
  at: (...rest: Array<string | number>) => IssuePath,
): [EnvVarPlan, EnvVarPlan] | undefined {
  const s3 = (source.databases[0]?.replicas ?? []).every((r) => r.type === "s3");
  if (!s3) {
    issues.add(
      at("credentials"),
      `credentials are S3 access keys, and environment ${source.name} does not replicate to S3`,
      "remove restoreFrom.credentials (the source is read with this environment's own access)",
      "restore-from.credentials-provider",
    );
    return undefined;
  }
  const vars = (["accessKeyId", "secretAccessKey"] as const).map((field): EnvVarPlan | undefined => {
    const ref = toSecretReference(credentials[field]);
    const name = ref.kind === "env" ? ref.name : SEED_ENV[field];
    const where = at("credentials", field);
    const suggestion = `SEED_${field === "accessKeyId" ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY"}`;
    const fix = `give ${source.name}'s read-only key a variable of its own, e.g. { env: "${suggestion}" }`;
    const own = env.env.find((v) => v.name === name || sameSource(v.source, ref));
    const sourceOwn = source.env.find((v) => sameSource(v.source, ref));
    if (own || NATIVE_KEY_NAMES.has(name)) {
      issues.add(
        where,
        own
          ? `${name} is also this environment's ${own.purpose}: one of the two keys would be used for the other environment's storage`
          : `Litestream reads ${name} by itself, so \`replicate\` would use the source's key for this environment's own replica`,
        fix,
        "restore-from.credentials-shared",
      );
      return undefined;
    }
    if (sourceOwn) {
      issues.add(
        where,
        `this is environment ${source.name}'s own ${sourceOwn.purpose}: its write key would be handed to ${env.name}`,
        `create a read-only key for ${source.name}'s bucket and give it a variable of its own, e.g. { env: "${suggestion}" }`,
        "restore-from.credentials-shared",
      );
      return undefined;
    }
    return {
      name,
      source: ref,
      purpose: `${source.name}'s read-only S3 ${field === "accessKeyId" ? "access key id" : "secret access key"} (restoreFrom)`,
      expandedInConfig: true,
      restoreOnly: true,
    };
  });
  const [id, secret] = vars;
  return id && secret ? [id, secret] : undefined;
}

function sameSource(a: SecretReference, b: SecretReference): boolean {
  return a.kind === "env" && b.kind === "env" ? a.name === b.name : a.kind === "op" && b.kind === "op" && a.ref === b.ref;
}
