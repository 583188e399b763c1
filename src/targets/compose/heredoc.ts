/**
 * The scripts the Litestream containers run with `/bin/sh -c`. The `heredoc` config delivery
 * writes litestream.yml inside the container first: nothing is bind-mounted, which is what makes it
 * work under Portainer (a relative single-file bind mount becomes an empty directory there; see the
 * Compose section of the README).
 */
import { restoreMissingDatabase, type RestoreRetry } from "../../render/restore-steps.js";
import { shellWord } from "../../render/quote/sh.js";
import { escapeDollars } from "./interpolation.js";

/** The variable that names the config file inside the container; every litestream command reads it. */
export const CONFIG_PATH_VARIABLE = "LITESTREAM_CONFIG";
/** Where the heredoc script writes the config: /tmp is writable whatever user the image runs as. */
export const HEREDOC_CONFIG_PATH = "/tmp/litestream.yml";

/** restoreFrom: where the restore script writes the restore-only config (read only by `restore`). */
export const RESTORE_FROM_CONFIG_PATH = "/tmp/litestream.restore-from.yml";

/** restoreFrom: the restore-only config and the databases seeded from it. */
export interface ScriptSeed {
  content: string;
  environment: string;
  databases: string[];
}

export type ScriptAction = { kind: "replicate" } | { kind: "restore"; databases: string[]; retry?: RestoreRetry; seed?: ScriptSeed };

/** A file the script writes with a heredoc, as the compose file holds it. */
export interface HeredocFile {
  delimiter: string;
  /**
   * escapeDollars(content) then the delimiter's line, as elements of the script's lines: the
   * content is one element (a slice of it, not a copy), so a block writes it at once.
   */
  lines: string[];
  empty: boolean;
}

/** Made once per content: a litestream.yml that two scripts write is escaped (and then indented) once. */
export function heredocFile(content: string): HeredocFile {
  const delimiter = heredocDelimiter(content);
  const text = escapeDollars(withoutCR(content));
  const lines = text.endsWith("\n") ? [text.slice(0, -1), delimiter] : [text + delimiter];
  return { delimiter, lines, empty: content === "" };
}

/**
 * The script the container's shell must see, as the compose file holds it: Compose interpolates
 * it first, so every `$` is written `$$` (escapeDollars). In lines: the text is `lines.join("\n")`
 * (the last line empty, for the final newline; a heredoc's file is one element). `config` mounted:
 * the config is mounted at that path (configs/bind) and the script only restores.
 */
export function scriptLines(action: ScriptAction, config: HeredocFile | { mounted: string }, checks: string[] = []): string[] {
  const heredoc = "lines" in config ? config : undefined;
  const lines: string[] = [];
  const add = (line: string) => lines.push(escapeDollars(line.includes("\r") ? withoutCR(`${line}\n`).slice(0, -1) : line));
  add("set -eu");
  if (checks.length) {
    add("# Settings read at start-up must be set: an empty one would make Litestream use an empty value (docs/storage.md).");
    checks.forEach(add);
  }
  if (heredoc && !heredoc.empty) {
    add("# Quoted delimiter: the shell expands nothing, Litestream expands its own variables.");
    add(`cat > "$${CONFIG_PATH_VARIABLE}" <<'${heredoc.delimiter}'`);
    lines.push(...heredoc.lines);
  }
  if (action.kind === "replicate") {
    add("# exec: Litestream becomes the main process, so `docker stop` reaches it and it syncs one last time.");
    add(`exec litestream replicate -config "$${CONFIG_PATH_VARIABLE}"`);
    lines.push("");
    return lines;
  }
  const { seed } = action;
  if (seed) {
    const file = heredocFile(seed.content);
    add(`# restoreFrom: environment ${seed.environment}'s replicas, only ever given to \`restore\` below (read-only by construction).`);
    add(`cat > ${RESTORE_FROM_CONFIG_PATH} <<'${file.delimiter}'`);
    lines.push(...file.lines);
  }
  add("# A 0-byte database (opened before the restore) is set aside so that its backup is restored (docs/lifecycle.md).");
  // Flags before the positional path (Go flag parsing); each path exactly as in the config.
  const configWord = heredoc ? `"$${CONFIG_PATH_VARIABLE}"` : shellWord((config as { mounted: string }).mounted);
  const restore = `litestream restore -if-db-not-exists -if-replica-exists -config ${configWord}`;
  const seedRestore = seed && {
    restore: `litestream restore -if-db-not-exists -if-replica-exists -config ${RESTORE_FROM_CONFIG_PATH}`,
    environment: seed.environment,
  };
  const seeded = new Set(seed?.databases);
  // Thousands of databases' lines are gathered into a few large texts as they are made (one element
  // of `lines` may hold several lines): kept as 80,000 small strings until the compose file is
  // written, they outlive the young generation, whose collector copies them (10,000 databases:
  // about 33 → 9 ms of collection per render).
  let batchFrom = lines.length;
  for (const db of action.databases) {
    restoreMissingDatabase({
      db: shellWord(db),
      restore,
      retry: action.retry,
      ...(seedRestore && seeded.has(db) ? { seed: seedRestore } : {}),
    }).forEach(add);
    if (lines.length - batchFrom >= RESTORE_BATCH_LINES) {
      lines.push(lines.splice(batchFrom).join("\n"));
      batchFrom = lines.length;
    }
  }
  lines.push("");
  return lines;
}

const RESTORE_BATCH_LINES = 2000;

/** CRLF → LF, as the Handlebars template this replaces did to its whole output (no text of ours holds a CR). */
function withoutCR(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n/g, "\n") : text;
}

/** A delimiter that no line of the config equals, so the heredoc cannot end early. */
export function heredocDelimiter(config: string): string {
  let delimiter = "LITESTREAM_YML";
  while (isLineOf(config, delimiter)) delimiter += "_";
  return delimiter;
}

/** `\n${text}\n` includes `\n${line}\n`, without copying the text. */
function isLineOf(text: string, line: string): boolean {
  return text === line || text.startsWith(`${line}\n`) || text.endsWith(`\n${line}`) || text.includes(`\n${line}\n`);
}
