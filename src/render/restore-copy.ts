/**
 * Restore one database's backup from a named replica into a copy, leaving the live database
 * alone: for inspecting a backup, or a replica other than the first (docs/lifecycle.md).
 * 0.3: `restore -replica NAME -o COPY DB` picks the replica. 0.5 has one replica per database and
 * no -replica flag (it is rejected): the copy always comes from that one replica.
 * Exported for the runbook (src/operations/), which knows each target's config path.
 */
import type { DatabasePlan, LitestreamLine } from "../plan/model.js";
import { shellWords } from "./quote/sh.js";

export interface RestoreCopyInput {
  version: LitestreamLine;
  db: DatabasePlan;
  /** The config path where the command runs, e.g. /etc/litestream/litestream.yml. */
  configPath: string;
  /** Where the copy is written; it must not exist yet (Litestream refuses to overwrite). */
  output: string;
  /** 0.3: the replica's name (default: the database's first replica). */
  replica?: string;
  /** The litestream program (default `litestream`). */
  program?: string;
}

export type RestoreCopy = { argv: string[]; command: string } | { problem: string; fix: string };

export function restoreCopyCommand(input: RestoreCopyInput): RestoreCopy {
  const { db, version } = input;
  const names = db.replicas.map((r) => r.name);
  const name = input.replica ?? names[0];
  if (name === undefined || !names.includes(name)) {
    return { problem: `database ${db.name} has no replica named ${JSON.stringify(input.replica)}`, fix: `use one of: ${names.join(", ")}` };
  }
  if (db.path.kind === "env")
    return {
      problem: `database ${db.name} reads its path from ${db.path.name} at start-up`,
      fix: `restore it where ${db.path.name} is set, with its value as the path`,
    };
  // 0.5 rejects -replica: its one replica is the only source.
  const pick = version === "0.3" ? ["-replica", name] : [];
  const argv = [input.program ?? "litestream", "restore", "-config", input.configPath, ...pick, "-o", input.output, db.path.value];
  return { argv, command: shellWords(argv) };
}
