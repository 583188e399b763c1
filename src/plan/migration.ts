/**
 * 0.3 → 0.5: the 0.5 backups must go to a location of their own, neither the 0.3 one nor nested
 * with it (0.3 cannot read 0.5 backups, and one location has one writer; docs/versions.md).
 */
import type { IssueList } from "../errors.js";
import type { MigrateFromConfig } from "../schema/project.js";
import { locationKeyOf, locationOf } from "./checks.js";
import type { EnvironmentPlan, ReplicaPlan } from "./model.js";

/** The replica as it was under 0.3: same storage, the 0.3 prefix (object stores) or directory. */
export function replicaUnder03(replica: ReplicaPlan, from: MigrateFromConfig, dbName: string): { location: string; locationKey: string } {
  const objectStore = replica.type !== "file" && replica.type !== "sftp";
  const base = (objectStore ? from.prefix : from.path) ?? replica.base;
  const path = base ? `${base.replace(/\/$/, "")}/${dbName}` : dbName;
  return { location: locationOf(replica, path), locationKey: locationKeyOf(replica, path) };
}

export function checkMigration(
  environments: EnvironmentPlan[],
  from: MigrateFromConfig | undefined,
  issues: IssueList,
  storageHint: string,
): void {
  if (!from) return;
  for (const env of environments) {
    for (const db of env.databases) {
      for (const replica of db.replicas) {
        const old = replicaUnder03(replica, from, db.name);
        const nested =
          old.locationKey === replica.locationKey ||
          old.locationKey.startsWith(`${replica.locationKey}/`) ||
          replica.locationKey.startsWith(`${old.locationKey}/`);
        if (!nested) continue;
        issues.add(
          ["litestream", "migrateFrom"],
          `environment ${env.name}, database ${db.name}: Litestream 0.5 would write to ${replica.location}, ${old.locationKey === replica.locationKey ? "the same place as" : "nested with"} the 0.3 backups at ${old.location}; 0.3 cannot read 0.5 backups and the two must not share a path`,
          `give the 0.5 backups a new location, e.g. ${storageHint}`,
          "migrate.shared-location",
        );
      }
    }
  }
}
