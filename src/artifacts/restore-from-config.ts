/**
 * plan → the restore-from config (restoreFrom): this environment's database paths with the source
 * environment's replicas. Only `litestream restore` is ever given this file, never `replicate`, so
 * the source's backup is read and never written (docs/lifecycle.md).
 */
import { headerLines } from "../header.js";
import { configPathText, type EnvironmentPlan, type Plan } from "../plan.js";
import { textDocument, type TextScalar } from "../render/yaml-emit.js";
import { dest, map, ref, replicaEntries, seq } from "./litestream-config.js";

/** Replica keys a restore reads: where the backup is, not how often to write it. */
const TIMING_KEYS = new Set(["sync-interval", "snapshot-interval", "retention", "retention-check-interval", "validation-interval"]);

export function renderRestoreFromConfig(plan: Plan, env: EnvironmentPlan): string | undefined {
  const from = env.restoreFrom;
  if (!from) return undefined;
  const { release } = plan.litestream;
  const v05 = plan.litestream.version === "0.5";
  const source = plan.environments.find((e) => e.name === from.environment)!;
  const credentials: Array<[string, TextScalar]> = from.credentials
    ? [
        ["access-key-id", ref(from.credentials.accessKeyId)],
        ["secret-access-key", ref(from.credentials.secretAccessKey)],
      ]
    : [];
  const dbs = from.databases.map((db) => {
    const replicas = db.replicas.map((r) =>
      map([
        ...replicaEntries({ name: db.name, path: db.path, replicas: db.replicas }, r, source, release).filter(
          ([key]) => !TIMING_KEYS.has(key),
        ),
        ...credentials,
      ]),
    );
    return map([["path", dest(configPathText(db.path))], v05 ? ["replica", replicas[0]] : ["replicas", seq(replicas)]]);
  });
  const header = [
    ...headerLines(`Litestream ${release} restore-from config for environment "${env.name}", seeded from "${from.environment}"`),
    `Read-only by construction: only \`litestream restore\` is given this file, never \`replicate\`, so environment`,
    `"${from.environment}"'s backup is read and never written. A database is restored from here only when it is`,
    `missing and environment "${env.name}"'s own replica has no backup of it yet (docs/lifecycle.md).`,
    ...(from.credentials
      ? [
          `The source's read-only keys are expanded by Litestream from the environment: ${from.credentials.accessKeyId}, ${from.credentials.secretAccessKey}.`,
        ]
      : source.databases.some((db) => db.replicas.some((r) => r.type !== "file"))
        ? [`The source is read with environment "${env.name}"'s own credentials (restoreFrom.credentials gives it keys of its own).`]
        : []),
  ]
    .map((line) => ` ${line}`)
    .join("\n");
  return textDocument(map([["dbs", seq(dbs)]]), header);
}
