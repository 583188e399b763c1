/**
 * Exact replica paths (`replicaPath`): an existing backup kept where it is, instead of
 * `<prefix>/<database name>` (docs/storage.md).
 */
import { closest, type IssueList, type IssuePath } from "../errors.js";
import type { Destination } from "../providers.js";
import { isEnvSetting, settingText, type EnvSettingConfig } from "../schema/common.js";
import type { ReplicaPathConfig } from "../schema/project.js";

/** One database's replicaPath is read once per environment: each problem is reported once. */
const reported = new WeakMap<IssueList, Set<string>>();
function addOnce(issues: IssueList, where: IssuePath, message: string, fix: string, code: string): void {
  const seen = reported.get(issues) ?? new Set<string>();
  reported.set(issues, seen);
  const id = `${code}@${JSON.stringify(where)}`;
  if (seen.has(id)) return;
  seen.add(id);
  issues.add(where, message, fix, code);
}

export interface ReplicaPathPick {
  /** The replicaPath value that applies, and where in the description it was written. */
  value: string | EnvSettingConfig;
  where: IssuePath;
}

/**
 * The exact path for one replica, if the description gives one: the environment's override wins
 * over the database's. A single value with several replicas is ambiguous (a bucket key and a
 * directory are different things), so it must name the replica.
 */
export function pickReplicaPath(
  sources: Array<{ value: ReplicaPathConfig | undefined; where: IssuePath }>,
  replicaName: string,
  replicaNames: string[],
  issues: IssueList,
): ReplicaPathPick | undefined {
  const source = sources.find((s) => s.value !== undefined);
  if (!source?.value) return undefined;
  const { value, where } = source;
  if (typeof value === "string" || isEnvSetting(value)) {
    if (replicaNames.length > 1) {
      addOnce(
        issues,
        where,
        `one replicaPath for ${replicaNames.length} replicas (${replicaNames.join(", ")}): each replica needs a location of its own`,
        `name the replica each path is for, e.g. replicaPath: { ${replicaNames.map((n) => `"${n}": "…"`).join(", ")} }`,
        "replica-path.ambiguous",
      );
      return undefined;
    }
    return { value, where };
  }
  for (const key of Object.keys(value)) {
    if (replicaNames.includes(key)) continue;
    const suggestion = closest(key, replicaNames);
    addOnce(
      issues,
      [...where, key],
      `no replica is named "${key}"`,
      suggestion ? `did you mean "${suggestion}"?` : `replicas of this database: ${replicaNames.join(", ")}`,
      "replica-path.unknown",
    );
  }
  const one = value[replicaName];
  return one === undefined ? undefined : { value: one, where: [...where, replicaName] };
}

/**
 * The replica path Litestream is given. Object stores: the key as written, which must not start
 * with "/". File replicas: `resolve` makes it absolute (baseDir). SFTP: an absolute path on the server.
 */
export function exactReplicaPath(
  pick: ReplicaPathPick,
  destination: Destination,
  resolve: (value: string, where: IssuePath) => string,
  issues: IssueList,
): string {
  if (typeof pick.value !== "string") return settingText(pick.value);
  const objectStore = destination.type !== "file" && destination.type !== "sftp";
  if (objectStore && pick.value.startsWith("/")) {
    addOnce(
      issues,
      pick.where,
      `replicaPath "${pick.value}" starts with "/": in a bucket the path is a key, written without a leading "/"`,
      `write "${pick.value.replace(/^\/+/, "")}"`,
      "replica-path.slash",
    );
    return pick.value.replace(/^\/+/, "");
  }
  if (destination.type === "file") return resolve(pick.value, pick.where);
  if (destination.type === "sftp" && !pick.value.startsWith("/")) {
    addOnce(
      issues,
      pick.where,
      `replicaPath "${pick.value}" is relative: an SFTP server resolves it against the login directory, which can change`,
      `write the absolute directory on the server, e.g. "/${pick.value}"`,
      "path.relative",
    );
  }
  return pick.value;
}
