/**
 * The start-up check every target runs before Litestream: each setting given as { env: "NAME" }
 * (written as ${NAME} in litestream.yml) must be set and non-empty, or the start fails with a
 * message naming the variable and the setting, never with an empty bucket (docs/storage.md).
 *
 * Each line is one complete sh command, so the lines also work joined by "; " (Kamal's cmd, a
 * systemd ExecStartPre=). A variable is only ever read as the quoted expansion "${NAME:-}".
 */
import type { DatabasePath, DatabasePlan, EnvironmentPlan } from "../plan/model.js";
import { formatPath } from "../errors.js";
import { shellWord } from "./quote/sh.js";

export interface RequiredSetting {
  /** The variable, e.g. LITESTREAM_BUCKET. */
  name: string;
  /** Which setting it holds, e.g. "storage.bucket". */
  setting: string;
  /** "https": the value must start with https:// (R2 and Tigris refuse http). */
  mustBe?: "https";
}

/** The settings of one environment that are read from the environment at start-up. */
export function requiredSettings(env: EnvironmentPlan): RequiredSetting[] {
  return env.env.flatMap((v) => (v.setting ? [{ name: v.name, setting: v.setting, ...(v.mustBe ? { mustBe: v.mustBe } : {}) }] : []));
}

/** The sh lines (none when nothing is read at start-up); `exit 78` (EX_CONFIG) when any is missing. */
export function startupCheckLines(settings: readonly RequiredSetting[], tag: string): string[] {
  if (settings.length === 0) return [];
  const say = (message: string) => `printf '%s\\n' ${shellWord(`${tag}: ${message}`)} >&2`;
  const lines = ["litestream_unset=0"];
  for (const s of settings) {
    lines.push(
      `if [ -z "\${${s.name}:-}" ]; then ${say(`${s.name} is not set or empty: it is ${s.setting} of the Litestream config (written there as \${${s.name}}); set it in this service's environment`)}; litestream_unset=1; fi`,
    );
    if (s.mustBe === "https") {
      lines.push(
        `case "\${${s.name}:-https://}" in https://*) ;; *) ${say(`${s.name} must start with https:// (it is ${s.setting}; this provider refuses http)`)}; litestream_unset=1 ;; esac`,
      );
    }
  }
  lines.push(
    `if [ "$litestream_unset" -ne 0 ]; then ${say("not starting Litestream with an empty setting (docs/storage.md)")}; exit 78; fi`,
  );
  return lines;
}

/** A database path as one sh word: the quoted literal, or the quoted expansion "$NAME" of its variable. */
export function databasePathWord(path: DatabasePath): string {
  return path.kind === "literal" ? shellWord(path.value) : `"$${path.name}"`;
}

/**
 * After startupCheckLines (each variable is set): a database path read at start-up must be absolute,
 * and no two databases may resolve to the same file; `exit 78` otherwise (docs/entrypoint.md).
 * The same file is judged by the text of the paths, as Litestream compares them.
 */
export function databasePathCheckLines(env: EnvironmentPlan, tag: string): string[] {
  const fromEnv = env.databases.flatMap((db) => (db.path.kind === "env" ? [{ db, name: db.path.name, at: db.path.at }] : []));
  if (fromEnv.length === 0) return []; // the pairs below are only about paths read at start-up
  const absolute = fromEnv.map(
    ({ db, name, at }) =>
      `case "$${name}" in /*) ;; *) printf '%s"%s"\\n' ${shellWord(`${tag}: ${name} must be an absolute path (it is the file of database ${db.name}, ${formatPath(at)}), not `)} "$${name}" >&2; exit 78 ;; esac`,
  );
  // Litestream pastes the value into the double-quoted "${NAME}" before YAML reads it.
  const yamlSafe = fromEnv.map(
    ({ db, name }) =>
      `case "$${name}" in *\\"* | *\\\\*) printf '%s\\n' ${shellWord(`${tag}: ${name} (the file of database ${db.name}) must not contain a double quote or a backslash: Litestream reads it inside a quoted YAML string`)} >&2; exit 78 ;; esac`,
  );
  const shown = (path: DatabasePath) => (path.kind === "env" ? `$${path.name}` : path.value);
  const sameFile = (db: DatabasePlan, other: DatabasePlan) =>
    `if [ ${databasePathWord(db.path)} = ${databasePathWord(other.path)} ]; then printf '%s\\n' ${shellWord(`${tag}: databases ${other.name} (${shown(other.path)}) and ${db.name} (${shown(db.path)}) are the same file: two writers on one backup; give each its own path`)} >&2; exit 78; fi`;
  // Each pair (an earlier database, then a later one) with a path read at start-up, in database
  // order: a database read at start-up is compared with every earlier one, any other only with the
  // earlier ones read at start-up (not with every earlier database: thousands of literal paths).
  const distinct: string[] = [];
  const earlierFromEnv: DatabasePlan[] = [];
  env.databases.forEach((db, i) => {
    const earlier = db.path.kind === "env" ? env.databases.slice(0, i) : earlierFromEnv;
    for (const other of earlier) distinct.push(sameFile(db, other));
    if (db.path.kind === "env") earlierFromEnv.push(db);
  });
  return [...absolute, ...yamlSafe, ...distinct];
}

/** An sh condition true when at least one of the variables is set and non-empty (LITESTREAM_ENABLED=auto). */
export function anyVariableSet(names: readonly string[]): string {
  return names.map((name) => `[ -n "\${${name}:-}" ]`).join(" || ");
}
