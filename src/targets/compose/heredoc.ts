/**
 * The `heredoc` config delivery (seed 002): a POSIX sh script, run by `/bin/sh -c`, that writes
 * litestream.yml inside the container and then runs Litestream. Nothing is bind-mounted, which is
 * what makes it work under Portainer (a relative single-file bind mount becomes an empty directory
 * there, kamal-compose-facts.md "Docker Compose").
 */
import { renderTemplate } from "../../templates.js";

/** The variable that names the config file inside the container; every litestream command reads it. */
export const CONFIG_PATH_VARIABLE = "LITESTREAM_CONFIG";
/** Where the heredoc script writes the config: /tmp is writable whatever user the image runs as. */
export const HEREDOC_CONFIG_PATH = "/tmp/litestream.yml";

export type HeredocAction = { kind: "replicate" } | { kind: "restore"; databases: string[] };

/**
 * The script as the container's shell must see it. Compose interpolates it first, so it is
 * written into the compose file through escapeDollars.
 */
export function renderHeredocScript(config: string, action: HeredocAction): string {
  return renderTemplate("compose-heredoc.sh.hbs", {
    delimiter: heredocDelimiter(config),
    config,
    restore: action.kind === "restore",
    // Flags before the positional path (Go flag parsing, litestream-facts.md §4); the path exactly as in the config.
    restores: action.kind === "restore" ? action.databases.map(shellQuote) : [],
  });
}

/** A delimiter that no line of the config equals, so the heredoc cannot end early. */
export function heredocDelimiter(config: string): string {
  const lines = new Set(config.split("\n"));
  let delimiter = "LITESTREAM_YML";
  while (lines.has(delimiter)) delimiter += "_";
  return delimiter;
}

/** Single-quotes a word for POSIX sh. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}
