/**
 * The gate in the app's own start-up (docs/kamal.md): Kamal starts the accessory with
 * `docker run --detach` and boots the app right after it, so the app waits for the marker the
 * accessory writes once every database is restored.
 *
 * - bin/litestream-wait: a POSIX sh script (busybox sh too) that waits for the marker, runs the
 *   `beforeApp` commands, then `exec "$@"` (or returns when called without a command).
 * - the app's entrypoint (Rails 8: bin/docker-entrypoint) calls it inside a marked block.
 */
import path from "node:path/posix";
import { GENERATOR, hashHeader } from "../../header.js";
import { shellWord, shellWords } from "../../render/quote/sh.js";

export const WAIT_SCRIPT_PATH = "bin/litestream-wait";
export const DEFAULT_APP_ENTRYPOINT = "bin/docker-entrypoint";
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 600;
export const ENTRYPOINT_BLOCK_BEGIN = `# >>> ${GENERATOR} >>>`;
export const ENTRYPOINT_BLOCK_END = `# <<< ${GENERATOR} <<<`;

export interface WaitScriptInput {
  /** The marker's path inside the app container. */
  marker: string;
  /** Commands run after the restore, before the app (argv each). */
  beforeApp: string[][];
  /** How to name the accessory commands in the timeout message, e.g. "" or " [-d staging]". */
  destinationHint: string;
}

export function renderWaitScript(input: WaitScriptInput): string {
  const marker = shellWord(input.marker);
  const d = input.destinationHint;
  const lines = [
    "#!/bin/sh",
    hashHeader("waits for the litestream accessory's restore before the app starts"),
    "#",
    "# Kamal boots the litestream accessory and the app at the same time; the accessory restores missing",
    "# databases from the backup, then writes the marker below. Until it exists nothing may open a",
    "# database: an app that creates an empty one first orphans the backup (docs/kamal.md).",
    "# LITESTREAM_WAIT_TIMEOUT: seconds to wait (default 600).",
    "set -eu",
    `marker=${marker}`,
    `timeout="\${LITESTREAM_WAIT_TIMEOUT:-${DEFAULT_WAIT_TIMEOUT_SECONDS}}"`,
    'case "$timeout" in',
    "  '' | *[!0-9]*)",
    `    echo "litestream-wait: LITESTREAM_WAIT_TIMEOUT must be a whole number of seconds, not '$timeout'" >&2`,
    "    exit 2",
    "    ;;",
    "esac",
    "waited=0",
    'while [ ! -e "$marker" ]; do',
    '  if [ "$waited" -ge "$timeout" ]; then',
    `    echo "litestream-wait: gave up after \${timeout}s: $marker does not exist, so the litestream accessory has not finished restoring the databases." >&2`,
    `    echo "litestream-wait: see why with: kamal accessory logs litestream${d}; start it with: kamal accessory boot litestream${d}" >&2`,
    "    exit 1",
    "  fi",
    '  if [ $((waited % 10)) -eq 0 ]; then',
    `    echo "litestream-wait: waiting for the litestream accessory to restore the databases ($marker), \${waited}s of \${timeout}s" >&2`,
    "  fi",
    "  sleep 1",
    "  waited=$((waited + 1))",
    "done",
    'echo "litestream-wait: databases restored ($marker exists)" >&2',
    ...input.beforeApp.map((argv) => shellWords(argv)),
    'if [ "$#" -gt 0 ]; then exec "$@"; fi',
  ];
  return lines.join("\n") + "\n";
}

/** The line an entrypoint runs, relative to its own location (works from any working directory). */
export function entrypointCall(entrypoint: string): string {
  const rel = path.relative(path.dirname(entrypoint), path.dirname(WAIT_SCRIPT_PATH));
  return `"$(dirname -- "$0")/${rel ? `${rel}/` : ""}litestream-wait" || exit`;
}

function entrypointBlock(entrypoint: string, eol: string): string {
  return [
    ENTRYPOINT_BLOCK_BEGIN,
    `# Wait until the litestream accessory has restored the databases (docs/kamal.md); managed by ${GENERATOR}.`,
    entrypointCall(entrypoint),
    ENTRYPOINT_BLOCK_END,
  ].join(eol) + eol;
}

export type EntrypointEdit = { content: string } | { problem: string };

/**
 * `existing` with our block after the shebang and any `set -…` lines that follow it (or in place of
 * the block it already has); every other byte unchanged. Line endings follow the file.
 */
export function withEntrypointBlock(existing: string, entrypoint: string): EntrypointEdit {
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const block = entrypointBlock(entrypoint, eol);
  const lines = splitLinesKeepingEnds(existing);
  const begins = lines.flatMap((l, i) => (l.trim() === ENTRYPOINT_BLOCK_BEGIN ? [i] : []));
  const ends = lines.flatMap((l, i) => (l.trim() === ENTRYPOINT_BLOCK_END ? [i] : []));
  if (begins.length || ends.length) {
    if (begins.length !== 1 || ends.length !== 1 || ends[0]! < begins[0]!) {
      return { problem: `it has ${begins.length} "${ENTRYPOINT_BLOCK_BEGIN}" and ${ends.length} "${ENTRYPOINT_BLOCK_END}" lines; exactly one of each, in that order, delimits the managed block` };
    }
    return { content: [...lines.slice(0, begins[0]), block, ...lines.slice(ends[0]! + 1)].join("") };
  }
  let at = 0;
  if (lines[0]?.replace(/^\uFEFF/, "").startsWith("#!")) at = 1;
  while (at < lines.length && /^\s*set(\s+[-+]?[A-Za-z]+)+\s*(#.*)?$/.test(lines[at]!.replace(/\r?\n$/, ""))) at++;
  const head = lines.slice(0, at);
  if (head.length && !/\n$/.test(head[head.length - 1]!)) head[head.length - 1] += eol;
  return { content: [...head, block, ...lines.slice(at)].join("") };
}

function splitLinesKeepingEnds(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}
