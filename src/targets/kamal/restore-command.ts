/**
 * The accessory's `cmd` when databases are restored on boot: restore what is missing, write the
 * marker the app waits for (bin/litestream-wait), then become `litestream replicate`.
 *
 * Kamal appends `cmd` to `docker run … IMAGE` unescaped and the remote shell parses the result
 * (docs/kamal.md). The image's ENTRYPOINT is the litestream binary, so the accessory sets
 * `options.entrypoint: /bin/sh` and `cmd` is `-c '<script>'`: the remote shell removes the single
 * quotes (a quote inside the script is written '\''), and docker hands `/bin/sh` exactly two
 * arguments, `-c` and the script. The script holds no backslash pair, `$'…'` or `"…\…"`, so sh,
 * bash, zsh and fish all read the same quoting.
 */
import path from "node:path/posix";
import { shellWord } from "../../render/quote/sh.js";
import { restoreMissingDatabase, type RestoreRetry } from "../../render/restore-steps.js";

/** Where the accessory mounts litestream.yml (Litestream's default config path). */
export const CONTAINER_CONFIG_PATH = "/etc/litestream.yml";
/** restoreFrom: where the accessory mounts the restore-only config (only `restore` reads it). */
export const CONTAINER_RESTORE_FROM_PATH = "/etc/litestream.restore-from.yml";

/** The file, on the shared data volume, that says "every database is restored (or had no backup)". */
export const RESTORED_MARKER = ".litestream-restored";

export const markerPath = (mount: string) => (mount === "/" ? `/${RESTORED_MARKER}` : `${mount}/${RESTORED_MARKER}`);

/** Why a path cannot travel through Kamal's remote shell and /bin/sh as one literal word, or undefined. */
export function pathProblem(value: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/["'`$\\\u0000-\u001f\u007f]/.test(value)) {
    return `the path ${JSON.stringify(value)} holds a quote, "$", "\\", a backtick or a control character and cannot be passed safely through Kamal's remote shell and /bin/sh`;
  }
  return undefined;
}

export interface RestoreScriptInput {
  /** Database paths exactly as in litestream.yml: `restore` only accepts the configured path. */
  databases: string[];
  /** The data volume's mount point inside the container (the app mounts it at the same path). */
  mount: string;
  /** uid:gid that must own restored databases and their directories. */
  appUser?: string;
  /** The start-up check of settings read from the environment (src/render/startup-checks.ts). */
  checks?: string[];
  /** Retry a failing restore with back-off (docs/lifecycle.md). */
  retry?: RestoreRetry;
  /** restoreFrom: the databases seeded from the source environment when their own replica has nothing. */
  seed?: { environment: string; databases: string[] };
}

export type RestoreScript = { lines: string[]; cmd: string } | { problem: string };

/**
 * `set -e`; remove the marker; for each database the shared restore steps (a 0-byte database is
 * set aside first) with `restore -if-db-not-exists -if-replica-exists`; an optional hand-over to
 * the app's user; the marker written atomically; then `exec … replicate` so Litestream replaces
 * the shell as PID 1 and receives docker's SIGTERM. A failing restore stops the script before the
 * marker: the app keeps waiting instead of creating an empty database over the backup.
 */
export function restoreThenReplicateScript(input: RestoreScriptInput): RestoreScript {
  for (const p of [...input.databases, input.mount]) {
    const problem = pathProblem(p);
    if (problem) return { problem };
  }
  const config = `-config ${CONTAINER_CONFIG_PATH}`;
  const marker = shellWord(markerPath(input.mount));
  const stepsFor = (seeded: boolean) => {
    const steps = restoreMissingDatabase({
      db: '"$db"',
      restore: `litestream restore ${config} -if-db-not-exists -if-replica-exists`,
      retry: input.retry,
      ...(seeded && input.seed
        ? {
            seed: {
              restore: `litestream restore -config ${CONTAINER_RESTORE_FROM_PATH} -if-db-not-exists -if-replica-exists`,
              environment: input.seed.environment,
            },
          }
        : {}),
    });
    // A restore runs as root; the app (Rails 8 images run as 1000:1000) must be able to write the files.
    if (input.appUser) steps.push(`if [ -e "$db" ]; then chown ${input.appUser} "$db"; fi`);
    return steps;
  };
  const seeded = input.databases.filter((db) => input.seed?.databases.includes(db));
  const unseeded = input.databases.filter((db) => !seeded.includes(db));
  const handOver = input.appUser
    ? [`chown ${input.appUser} ${databaseDirectories(input.databases, input.mount).map(shellWord).join(" ")}`]
    : [];
  const lines = [
    "set -e",
    ...(input.checks ?? []),
    `rm -f ${marker}`,
    ...(seeded.length ? eachDatabase(seeded, stepsFor(true)) : []),
    ...(unseeded.length ? eachDatabase(unseeded, stepsFor(false)) : []),
    ...handOver,
    `date -u > ${marker}.tmp`,
    `mv -f ${marker}.tmp ${marker}`,
    `exec litestream replicate ${config}`,
  ];
  return { lines, cmd: `-c '${oneLine(lines).replace(/'/g, `'\\''`)}'` };
}

/** The steps for every database: a loop, or for a single database an assignment (a one-pass loop is a shellcheck warning). */
function eachDatabase(databases: string[], steps: string[]): string[] {
  if (databases.length === 1) return [`db=${shellWord(databases[0]!)}`, ...steps];
  return [`for db in ${databases.map(shellWord).join(" ")}; do`, ...steps.map((s) => `  ${s}`), "done"];
}

/** sh lines as one line: `;` between commands, a space after the words that open a body. */
export function oneLine(lines: string[]): string {
  const words = lines.map((l) => l.trim());
  return words.reduce((out, line, i) => (i === 0 ? line : out + (/(^|\s)(then|do|else)$/.test(words[i - 1]!) ? " " : "; ") + line), "");
}

/** Each database's directory and its parents up to the mount point (a restore creates missing ones). */
function databaseDirectories(databases: string[], mount: string): string[] {
  const dirs = new Set<string>();
  for (const db of databases) {
    for (let dir = path.dirname(db); dir.startsWith(mount) && dir.length >= mount.length; dir = path.dirname(dir)) {
      dirs.add(dir);
      if (dir === mount || dir === "/") break;
    }
  }
  return [...dirs].sort();
}
