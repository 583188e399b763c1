/**
 * Database paths read from the environment at start-up (`path: { env: "NAME" }`, docs/entrypoint.md):
 * written as ${NAME} in litestream.yml for Litestream's own expansion, and used by the container
 * entrypoint as the quoted "$NAME". Everything that needs the path while generating (Kamal and
 * Compose volumes, systemd's ReadWritePaths and restore units, a directory database, the default
 * name, the drill, the runbook and the alert labels) refuses it here, before any target runs.
 */
import { formatPath, type IssueList } from "../errors.js";
import type { ProjectConfig } from "../schema/project.js";
import type { DatabasePlan, EnvironmentPlan, EnvVarPlan, Warning } from "./model.js";

const LITERAL_FIX = 'write the literal path, e.g. path: "/data/app.db"';

/** A database path from the environment has no file name to derive the name from; a placeholder keeps planning going. */
export function envPathWithoutName(index: number, variable: string, issues: IssueList): string {
  issues.add(
    ["databases", index, "name"],
    `the database path is read from ${variable} at start-up, so there is no file name to name the database (and its replica path) after`,
    `set name, e.g. name: "${variable.toLowerCase().replace(/[^a-z0-9_-]/g, "-")}"`,
    "path-env.name",
  );
  return `database-${index + 1}`;
}

/** Each database path variable, checked at start-up like every setting read from the environment. */
export function planDatabasePathVars(databases: DatabasePlan[], taken: EnvVarPlan[], issues: IssueList): EnvVarPlan[] {
  const vars: EnvVarPlan[] = [];
  const owner = new Map<string, DatabasePlan>();
  for (const db of databases) {
    if (db.path.kind !== "env") continue;
    const { name, at } = db.path;
    const other = taken.find((v) => v.name === name);
    const earlier = owner.get(name);
    if (other) {
      issues.add(
        at,
        `${name} is also the variable of the ${other.purpose}: one variable cannot hold both`,
        "read the database path from a variable of its own",
        "path-env.conflict",
      );
    } else if (earlier) {
      issues.add(
        at,
        `databases ${earlier.name} and ${db.name} both read their path from ${name}: two databases in one file, two writers on one backup`,
        "give each database its own variable (or its own literal path)",
        "path-env.shared",
      );
    } else {
      owner.set(name, db);
      const setting = formatPath(at);
      vars.push({
        name,
        source: { kind: "env", name },
        purpose: `${setting} (the database file, an absolute path read at start-up)`,
        expandedInConfig: true,
        setting,
        databasePath: true,
      });
    }
  }
  return vars;
}

/** What needs the database path while generating: refused (or, for the default runbook, left out with a warning). */
export function checkDatabasePathsFromEnv(
  project: ProjectConfig,
  envName: string,
  plan: EnvironmentPlan,
  issues: IssueList,
  warnings: Warning[],
): void {
  const fromEnv = plan.databases.filter((db) => db.path.kind === "env");
  const first = fromEnv[0];
  if (!first || first.path.kind !== "env") return;
  const where = first.path.at;
  const names = fromEnv.map((db) => db.name).join(", ");
  for (const db of fromEnv) {
    if (db.directory && db.path.kind === "env")
      issues.add(
        db.path.at,
        `database ${db.name} is a directory of databases, and its path is read from ${db.path.name}: the directory checks (nesting, restore) need it when generating`,
        `${LITERAL_FIX.replace("/data/app.db", "/data/tenants")} for the directory`,
        "path-env.directory",
      );
  }
  const builtFromPath: Array<[keyof EnvironmentPlan["targets"], string, string]> = [
    ["kamal", "the Kamal target", "the accessory's volume, its mount check and its restore command"],
    ["compose", "the Compose target", "the sidecars' volume check and their restore commands"],
    ["systemd", "the systemd target", "ReadWritePaths=, the database directory and ownership in the install script, and the restore steps"],
  ];
  for (const [target, what, built] of builtFromPath) {
    if (!plan.targets[target]) continue;
    issues.add(
      where,
      `${what} builds ${built} from the database path when generating, but the path of ${names} is read from the environment at start-up`,
      `${LITERAL_FIX}, or use targets.entrypoint (one image, the path read at start-up)`,
      `path-env.${target}`,
    );
  }
  const own = project.environments?.[envName];
  const operations: Array<[boolean, string, string, string]> = [
    [(own?.verification ?? project.verification) !== undefined, "verification", "the restore drill", "drill"],
    [
      (own?.monitoring ?? project.monitoring)?.alerts !== undefined,
      "monitoring.alerts",
      "the alert rules (labelled by database path)",
      "alerts",
    ],
    [(own?.runbook ?? project.runbook) === true, "runbook", "RUNBOOK.md", "runbook"],
  ];
  for (const [asked, key, what, code] of operations) {
    if (asked)
      issues.add(
        where,
        `${what} (${key}) names each database by its path, and runs where the variable of ${names} is not the container's: it cannot be generated for a path read at start-up`,
        `remove ${key}${code === "runbook" ? " (or set it to false)" : ""}, or ${LITERAL_FIX}`,
        `path-env.${code}`,
      );
  }
  if ((own?.runbook ?? project.runbook) === undefined && Object.values(plan.targets).some(Boolean))
    warnings.push({
      path: where,
      message: `RUNBOOK.md is not written: its commands name each database by its path, and the path of ${names} is read at start-up (docs/entrypoint.md; runbook: false silences this)`,
    });
}
