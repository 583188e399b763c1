/**
 * Directory databases (0.5.3+ `dir` + `pattern`): a database entry whose `path` is a directory of
 * tenant databases. What the generated files can and cannot do with one (docs/versions.md):
 * Litestream restores a tenant only from its replica URL (`restore -config … <tenant>` answers
 * "database not found in config", measured on 0.5.8, 0.5.12 and 0.5.17) and nothing lists the
 * tenants to restore, so a directory has no restore before the app, no restore drill and no runbook.
 */
import path from "node:path/posix";
import type { IssueList, IssuePath } from "../errors.js";
import type { ProjectConfig } from "../schema/project.js";
import { literalPath, type DatabasePlan, type EnvironmentPlan } from "./model.js";

type At = (...rest: Array<string | number>) => IssuePath;

const RESTORE_BY_HAND = "restore a tenant by hand from its replica URL (docs/versions.md)";

/** Refusals for directory entries in one environment: restore on boot, systemd, operations, local overlaps. */
export function checkDirectoryDatabases(project: ProjectConfig, envName: string, plan: EnvironmentPlan, issues: IssueList, at: At): void {
  const index = (db: DatabasePlan) => plan.databases.indexOf(db);
  const directories = plan.databases.filter((db) => db.directory);
  if (directories.length === 0) return;
  const where = (db: DatabasePlan): IssuePath => ["databases", index(db), "directory"];
  const own = project.environments?.[envName];
  const names = directories.map((db) => db.name).join(", ");

  if (plan.restoreOnBoot) {
    const place =
      own?.restoreOnBoot !== undefined
        ? at("restoreOnBoot")
        : project.restoreOnBoot !== undefined
          ? ["restoreOnBoot"]
          : where(directories[0]!);
    issues.add(
      place,
      `restoreOnBoot cannot restore the directory database${directories.length > 1 ? "s" : ""} ${names}: Litestream restores a tenant only from its replica URL, and nothing lists which tenants a directory had`,
      `set restoreOnBoot: false and ${RESTORE_BY_HAND}, or describe each tenant that must be restored as a database with its own path`,
      "directory.restore",
    );
  }
  if (plan.targets.systemd) {
    issues.add(
      where(directories[0]!),
      `the systemd target shares each database file with the app's group; it does not handle a directory of databases (${names})`,
      "use the entrypoint, compose or kamal target for directory databases, or describe each tenant as a database with its own path",
      "directory.target",
    );
  }
  const operations: Array<[boolean, string, string]> = [
    [(own?.verification ?? project.verification) !== undefined, "verification", "the restore drill"],
    [(own?.runbook ?? project.runbook) !== undefined, "runbook", "RUNBOOK.md"],
    [(own?.monitoring ?? project.monitoring)?.alerts !== undefined, "monitoring.alerts", "the alert rules"],
  ];
  for (const [asked, key, what] of operations) {
    if (asked)
      issues.add(
        where(directories[0]!),
        `${what} (${key}) names each database by its path; it is not generated for directory databases (${names})`,
        `remove ${key}, or describe each tenant as a database with its own path`,
        "directory.operations",
      );
  }
  for (const outer of directories) {
    for (const inner of plan.databases) {
      if (inner === outer || inner.path.kind === "env" || outer.path.kind === "env" || !withinDirectory(inner, outer)) continue;
      issues.add(
        ["databases", index(inner), "path"],
        `${literalPath(inner.path)} is inside the directory database ${outer.name} (${literalPath(outer.path)}): Litestream would replicate it twice, and two writers on one database fight over its WAL`,
        `move it out of ${literalPath(outer.path)}, or remove database ${inner.name} (the directory replicates it)`,
        "directory.overlap",
      );
    }
  }
}

/**
 * Whether `inner` lies where `dir` looks for databases: directly inside it, or anywhere below with
 * `recursive`; a file only when its name matches the pattern, a nested directory always (its
 * tenants may).
 */
function withinDirectory(inner: DatabasePlan, dir: DatabasePlan): boolean {
  const relative = path.relative(literalPath(dir.path), literalPath(inner.path));
  if (relative === "" || relative.startsWith("..")) return relative === "";
  if (dir.directory!.recursive !== true && relative.includes("/")) return false;
  return inner.directory !== undefined || globMatches(dir.directory!.pattern, path.basename(literalPath(inner.path)));
}

/** Go's filepath.Match on one name: `*`, `?`, `[…]` (`^` negates, `a-z` ranges), `\` escapes. */
export function globMatches(pattern: string, name: string): boolean {
  const literal = (c: string) => c.replace(/[\\^$.*+?()[\]{}|/-]/g, "\\$&");
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else if (c === "\\") source += literal(pattern[++i] ?? "\\");
    else if (c === "[") {
      let body = "";
      let j = i + 1;
      if (pattern[j] === "^") {
        body += "^";
        j++;
      }
      for (; j < pattern.length && pattern[j] !== "]"; j++) {
        const d = pattern[j]!;
        body += d === "-" ? "-" : d === "\\" ? literal(pattern[++j] ?? "\\") : literal(d);
      }
      if (j >= pattern.length) return false; // Go: ErrBadPattern, and Litestream matches nothing
      source += `[${body}]`;
      i = j;
    } else source += literal(c);
  }
  return new RegExp(`^${source}$`).test(name);
}
