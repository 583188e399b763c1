/**
 * The accessory's `cmd` when missing databases must be restored before replication starts.
 *
 * Kamal appends `cmd` to `docker run … IMAGE` unescaped and the remote shell parses the result
 * (kamal-compose-facts.md). The image's ENTRYPOINT is the litestream binary, so the accessory sets
 * `options.entrypoint: /bin/sh` and `cmd` is `-c '<script>'`: the remote shell removes the single
 * quotes and docker hands `/bin/sh` exactly two arguments, `-c` and the script. The script holds no
 * single quote (paths containing one are refused), so the same string survives sh, bash, zsh and fish.
 */
import path from "node:path/posix";

/** Where the accessory mounts litestream.yml (Litestream's default config path). */
export const CONTAINER_CONFIG_PATH = "/etc/litestream.yml";

const SAFE_WORD = /^[A-Za-z0-9_./@%+=,:-]+$/;

/** A path as one POSIX sh word, or undefined when it holds a character that cannot travel through two shells. */
export function shellWord(value: string): string | undefined {
  if (SAFE_WORD.test(value)) return value;
  if (/^[^"'`$\\\n\r]+$/.test(value)) return `"${value}"`;
  return undefined;
}

export interface RestoreScriptInput {
  /** Database paths exactly as in litestream.yml: `restore` only accepts the configured path (litestream-facts.md §4). */
  databases: string[];
  /** The data volume's mount point inside the container. */
  mount: string;
  /** uid:gid that must own restored databases and their directories. */
  appUser?: string;
}

export type RestoreScript = { lines: string[]; cmd: string } | { problem: string };

/**
 * `set -e`, `restore -if-db-not-exists -if-replica-exists` for each database (flags before the
 * path, litestream-facts.md §4), an optional hand-over to the app's user, then `exec … replicate`
 * so Litestream replaces the shell as PID 1 and receives docker's SIGTERM. `lines` is the same
 * script laid out for reading; `cmd` is what Kamal appends to `docker run … IMAGE`.
 */
export function restoreThenReplicateScript(input: RestoreScriptInput): RestoreScript {
  for (const p of [...input.databases, input.mount]) {
    if (!shellWord(p)) {
      return { problem: `the path ${JSON.stringify(p)} holds a quote, "$", "\\" or a backtick and cannot be passed safely through Kamal's remote shell and /bin/sh` };
    }
  }
  const config = `-config ${CONTAINER_CONFIG_PATH}`;
  const body = [`litestream restore ${config} -if-db-not-exists -if-replica-exists "$db"`];
  // A restore runs as root; the app (Rails 8 images run as 1000:1000) must be able to write the files.
  if (input.appUser) body.push(`if [ -e "$db" ]; then chown ${input.appUser} "$db"; fi`);
  const after = input.appUser ? [`chown ${input.appUser} ${databaseDirectories(input.databases, input.mount).map((d) => shellWord(d)!).join(" ")}`] : [];
  const loop = `for db in ${input.databases.map((d) => shellWord(d)!).join(" ")}; do`;
  const replicate = `exec litestream replicate ${config}`;
  const lines = ["set -e", loop, ...body.map((b) => `  ${b}`), "done", ...after, replicate];
  const script = ["set -e", `${loop} ${body.join("; ")}; done`, ...after, replicate].join("; ");
  return { lines, cmd: `-c '${script}'` };
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
