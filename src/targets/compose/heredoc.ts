/**
 * The scripts the Litestream containers run with `/bin/sh -c`. The `heredoc` config delivery
 * writes litestream.yml inside the container first: nothing is bind-mounted, which is what makes it
 * work under Portainer (a relative single-file bind mount becomes an empty directory there; see the
 * Compose section of the README).
 */
import { restoreMissingDatabase, type RestoreRetry } from "../../render/restore-steps.js";
import { shellWord } from "../../render/quote/sh.js";
import { renderTemplate } from "../../templates.js";

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

/**
 * The script as the container's shell must see it. Compose interpolates it first, so it is
 * written into the compose file through escapeDollars. `config` undefined: the config is mounted
 * at `mountedConfig` (configs/bind) and the script only restores.
 */
export function renderScript(action: ScriptAction, config: { content: string } | { mounted: string }, checks: string[] = []): string {
  const configWord = "content" in config ? `"$${CONFIG_PATH_VARIABLE}"` : shellWord(config.mounted);
  // Flags before the positional path (Go flag parsing); each path exactly as in the config.
  const restore = `litestream restore -if-db-not-exists -if-replica-exists -config ${configWord}`;
  const seed = action.kind === "restore" ? action.seed : undefined;
  const seedRestore = seed && {
    restore: `litestream restore -if-db-not-exists -if-replica-exists -config ${RESTORE_FROM_CONFIG_PATH}`,
    environment: seed.environment,
  };
  return renderTemplate("compose-heredoc.sh.hbs", {
    checks,
    config: "content" in config ? config.content : "",
    delimiter: "content" in config ? heredocDelimiter(config.content) : "",
    seedFrom: seed?.environment,
    seedConfig: seed?.content ?? "",
    seedDelimiter: seed ? heredocDelimiter(seed.content) : "",
    seedPath: RESTORE_FROM_CONFIG_PATH,
    restore: action.kind === "restore",
    restoreLines:
      action.kind === "restore"
        ? action.databases.flatMap((db) =>
            restoreMissingDatabase({
              db: shellWord(db),
              restore,
              retry: action.retry,
              ...(seedRestore && seed?.databases.includes(db) ? { seed: seedRestore } : {}),
            }),
          )
        : [],
  });
}

/** A delimiter that no line of the config equals, so the heredoc cannot end early. */
export function heredocDelimiter(config: string): string {
  const text = `\n${config}\n`;
  let delimiter = "LITESTREAM_YML";
  while (text.includes(`\n${delimiter}\n`)) delimiter += "_";
  return delimiter;
}
