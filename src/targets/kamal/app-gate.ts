/**
 * The gate in the app's own start-up (docs/kamal.md): Kamal starts the accessory with
 * `docker run --detach` and boots the app right after it, so the app waits for the marker the
 * accessory writes once every database is restored.
 *
 * - bin/litestream-wait: a POSIX sh script (busybox sh too) that waits for the marker, runs the
 *   `beforeApp` commands under a lock on the volume (one container at a time), then `exec "$@"`
 *   (or returns when called without a command).
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
/** The lock directory next to the marker that lets one container at a time run `beforeApp`. */
export const BEFORE_APP_LOCK = ".litestream-before-app.lock";
/** A lock holder rewrites `<lock>/beat` this often; a beat unchanged this long means its container died. */
export const LOCK_BEAT_SECONDS = 5;
export const LOCK_STALE_SECONDS = 30;

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
    "  if [ $((waited % 10)) -eq 0 ]; then",
    `    echo "litestream-wait: waiting for the litestream accessory to restore the databases ($marker), \${waited}s of \${timeout}s" >&2`,
    "  fi",
    "  sleep 1",
    "  waited=$((waited + 1))",
    "done",
    'echo "litestream-wait: databases restored ($marker exists)" >&2',
    ...(input.beforeApp.length ? beforeAppUnderLock(path.join(path.dirname(input.marker), BEFORE_APP_LOCK), input.beforeApp) : []),
    'if [ "$#" -gt 0 ]; then exec "$@"; fi',
  ];
  return lines.join("\n") + "\n";
}

/**
 * Every app container (web, job, …) starts at the same moment and runs the steps: two `db:prepare`
 * at once fail with "database is locked" (docs/kamal.md). `mkdir` is atomic on every image (no
 * flock needed); the holder's heartbeat dies with its container, so a crashed holder's lock is
 * removed once its beat stops changing. TERM/INT end the script at once (it may be PID 1).
 */
function beforeAppUnderLock(lock: string, steps: string[][]): string[] {
  return [
    "# The beforeApp steps run in one app container at a time (web and job containers start together).",
    `lock=${shellWord(lock)}`,
    "held=''",
    "beat_pid=''",
    "release() {",
    `  if [ -n "$beat_pid" ]; then kill "$beat_pid" 2>/dev/null || :; beat_pid=''; fi`,
    `  if [ -n "$held" ]; then rm -rf "$lock"; held=''; fi`,
    "}",
    "trap release EXIT",
    "trap 'exit 143' TERM",
    "trap 'exit 130' INT",
    "seen=''",
    "unchanged=0",
    "lock_waited=0",
    'until mkdir "$lock" 2>/dev/null; do',
    '  if [ ! -d "$lock" ]; then',
    '    if mkdir "$lock"; then break; fi',
    '    if [ ! -d "$lock" ]; then',
    '      echo "litestream-wait: cannot create $lock: the app\'s user must be able to write to the volume (appUser, docs/kamal.md)" >&2',
    "      exit 1",
    "    fi",
    "  fi",
    '  beat=$(cat "$lock/beat" 2>/dev/null || :)',
    '  if [ "$beat" != "$seen" ]; then seen=$beat; unchanged=0; fi',
    `  if [ "$unchanged" -ge ${LOCK_STALE_SECONDS} ]; then`,
    `    echo "litestream-wait: $lock has not changed for ${LOCK_STALE_SECONDS}s, so the container holding it is gone; removing it" >&2`,
    '    if [ "$(cat "$lock/beat" 2>/dev/null || :)" = "$seen" ] && mv "$lock" "$lock.stale.$$" 2>/dev/null; then rm -rf "$lock.stale.$$"; fi',
    "    seen=''",
    "    unchanged=0",
    "    continue",
    "  fi",
    "  if [ $((lock_waited % 10)) -eq 0 ]; then",
    '    echo "litestream-wait: another app container is running the steps before the app ($lock), waited ${lock_waited}s" >&2',
    "  fi",
    "  sleep 1",
    "  unchanged=$((unchanged + 1))",
    "  lock_waited=$((lock_waited + 1))",
    "done",
    "held=1",
    // The heartbeat also ends by itself once this holder's owner file is gone (a lost kill cannot keep a later lock alive).
    'owner=$(mktemp "$lock/owner.XXXXXX")',
    `(trap - EXIT TERM INT; n=0; while [ -e "$owner" ]; do n=$((n + 1)); echo "$n" >"$lock/beat" 2>/dev/null || :; sleep ${LOCK_BEAT_SECONDS}; done) </dev/null >/dev/null 2>&1 &`,
    "beat_pid=$!",
    ...steps.map((argv) => shellWords(argv)),
    "release",
    "trap - EXIT TERM INT",
  ];
}

/** The line an entrypoint runs, relative to its own location (works from any working directory). */
export function entrypointCall(entrypoint: string): string {
  const rel = path.relative(path.dirname(entrypoint), path.dirname(WAIT_SCRIPT_PATH));
  return `"$(dirname -- "$0")/${rel ? `${rel}/` : ""}litestream-wait" || exit`;
}

function entrypointBlock(entrypoint: string, eol: string): string {
  return (
    [
      ENTRYPOINT_BLOCK_BEGIN,
      `# Wait until the litestream accessory has restored the databases (docs/kamal.md); managed by ${GENERATOR}.`,
      entrypointCall(entrypoint),
      ENTRYPOINT_BLOCK_END,
    ].join(eol) + eol
  );
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
      return {
        problem: `it has ${begins.length} "${ENTRYPOINT_BLOCK_BEGIN}" and ${ends.length} "${ENTRYPOINT_BLOCK_END}" lines; exactly one of each, in that order, delimits the managed block`,
      };
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
