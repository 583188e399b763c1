/**
 * The POSIX sh steps every target runs before the app may open a database (docs/lifecycle.md):
 * an empty database file is set aside, the backup is restored when one exists, and the empty file
 * is put back only when nothing was restored.
 *
 * Why: an ORM that opens the file before the restore leaves a 0-byte database, and Litestream's
 * `restore -if-db-not-exists` (and 0.5's `restore-if-db-not-exists`) count any existing file as
 * present, so the backup would be skipped (docs/lifecycle.md; measured on 0.3.13 and 0.5.17).
 */

export interface RestoreStepInput {
  /** The database path as one sh word: a quoted literal or a quoted expansion such as "$db". */
  db: string;
  /** The restore command without the path, e.g. `litestream restore -config /etc/litestream.yml -if-db-not-exists -if-replica-exists`. */
  restore: string;
  /** Prefix of the log lines (written to stderr). */
  tag?: string;
  /** Retry a failing restore with back-off (docs/lifecycle.md); absent: one attempt, as before. */
  retry?: RestoreRetry;
  /** restoreFrom: when the own replica restored nothing, this restore (a restore-only config) runs next. */
  seed?: SeedRestore;
}

export interface SeedRestore {
  /** The restore command without the path, reading the restore-from config. */
  restore: string;
  /** The source environment's name (a slug), for the log line. */
  environment: string;
  /** A further sh condition for the seed (a script shared by databases of which only some are seeded). */
  when?: string;
}

export interface RestoreRetry {
  attempts: number;
  maxDelaySeconds: number;
  /** The sleep command, e.g. `run_step sleep` where a trap must be able to end the wait (default `sleep`). */
  sleep?: string;
}

/** The first wait between two attempts; each later one doubles, up to maxDelaySeconds. */
export const FIRST_RETRY_DELAY_SECONDS = 2;

/** Suffix of the set-aside empty file, next to the database. */
export const EMPTY_DB_SUFFIX = ".litestream-empty";

/**
 * Lines (no indentation) that restore one database when it is missing or empty. A 0-byte file with
 * a `-wal` beside it is left alone: its content lives in the WAL and a restore over it would lose it.
 */
export function restoreMissingDatabase(input: RestoreStepInput): string[] {
  const { db, restore } = input;
  const tag = input.tag ?? "litestream-deploy"; // a plain word: never user input
  const empty = `${db}${EMPTY_DB_SUFFIX}`;
  const wal = `${db}-wal`;
  return [
    `if [ -f ${db} ] && [ ! -s ${db} ] && [ ! -e ${wal} ]; then`,
    `  printf '%s: %s is an empty file (0 bytes, no -wal): set aside so that its backup can be restored\\n' ${tag} ${db} >&2`,
    `  mv -f ${db} ${empty}`,
    "fi",
    ...attempt(`${restore} ${db}`, db, tag, input.retry),
    ...(input.seed ? seedLines(input.seed, db, tag, input.retry) : []),
    `if [ -e ${empty} ]; then`,
    `  if [ -e ${db} ]; then rm -f ${empty}; else mv -f ${empty} ${db}; fi`,
    "fi",
  ];
}

function attempt(command: string, db: string, tag: string, retry: RestoreRetry | undefined): string[] {
  return retry ? restoreWithRetry(command, db, tag, retry) : [command];
}

/** Still no database after the own replica: restore the source environment's backup (read-only: `restore` only). */
function seedLines(seed: SeedRestore, db: string, tag: string, retry: RestoreRetry | undefined): string[] {
  return [
    `if [ ! -e ${db} ]${seed.when ? ` && ${seed.when}` : ""}; then`,
    `  printf '%s: no backup of %s in this environment yet: seeding it from environment ${seed.environment} (read-only)\\n' ${tag} ${db} >&2`,
    ...attempt(`${seed.restore} ${db}`, db, tag, retry).map((line) => `  ${line}`),
    "fi",
  ];
}

/**
 * `command` until it succeeds, at most `attempts` times, waiting 2 s, 4 s, … up to maxDelaySeconds
 * in between; then a final message and exit 1, so the app is never started without the restore.
 * Both releases exit 1 when storage is unreachable (measured: 0.3.13 at once, 0.5.17 after its S3
 * client's own ten attempts, about 4 minutes), never 0 as if there were no backup.
 */
function restoreWithRetry(command: string, db: string, tag: string, retry: RestoreRetry): string[] {
  const { attempts, maxDelaySeconds } = retry;
  const sleep = retry.sleep ?? "sleep";
  const first = Math.min(FIRST_RETRY_DELAY_SECONDS, maxDelaySeconds);
  return [
    "restore_attempt=1",
    `restore_delay=${first}`,
    `until ${command}; do`,
    `  if [ "$restore_attempt" -ge ${attempts} ]; then`,
    `    printf '%s: could not restore %s in ${attempts} attempts (is the storage reachable?): giving up; the app is not started, it would create an empty database in place of the backup\\n' ${tag} ${db} >&2`,
    "    exit 1",
    "  fi",
    `  printf '%s: restore of %s failed (attempt %s of ${attempts}); retrying in %ss\\n' ${tag} ${db} "$restore_attempt" "$restore_delay" >&2`,
    `  ${sleep} "$restore_delay"`,
    "  restore_attempt=$((restore_attempt + 1))",
    "  restore_delay=$((restore_delay * 2))",
    `  if [ "$restore_delay" -gt ${maxDelaySeconds} ]; then restore_delay=${maxDelaySeconds}; fi`,
    "done",
  ];
}
