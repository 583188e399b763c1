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
}

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
    `${restore} ${db}`,
    `if [ -e ${empty} ]; then`,
    `  if [ -e ${db} ]; then rm -f ${empty}; else mv -f ${empty} ${db}; fi`,
    "fi",
  ];
}
