/**
 * Quoting for systemd unit files, as systemd 252 parses them (measured with `systemd --test`, which
 * dumps every parsed unit; see test/systemd-quote.test.ts and docs/systemd.md).
 *
 * - Command lines (ExecStart=, ExecStartPre=, systemd.service(5) "Command lines"): split on
 *   whitespace; a word in double quotes keeps spaces, `'` and `;`, with C escapes (`\\`, `\"`);
 *   `%` is a specifier everywhere (`%%` for one `%`); `$NAME` and `${NAME}` are expanded when the
 *   command runs (`$$` for one `$`); a bare `;` word starts a second command; a bare `'` that is
 *   not closed drops the whole line ("Unbalanced quoting").
 * - Path lists (ReadWritePaths=, BindPaths=): split and unquoted the same way, C escapes included,
 *   `%` a specifier, `$` literal; BindPaths= also splits on an unquoted `:`.
 * - Single paths (WorkingDirectory=, EnvironmentFile=): the whole value, trimmed, `%` a specifier;
 *   quotes and backslashes are literal.
 */
import { unrepresentableText } from "./text.js";

/** Characters a bare word may hold in every one of those places. */
const BARE = /^[A-Za-z0-9_@+=,./-]+$/;

function doubleQuoted(word: string): string {
  return `"${word.replace(/[\\"]/g, "\\$&")}"`;
}

/** One word of a command line: bare when plain, else in double quotes; `%` → `%%`, `$` → `$$`. */
export function systemdExecWord(word: string): string {
  if (BARE.test(word)) return word; // no `%` or `$` to escape
  return doubleQuoted(word.replace(/%/g, "%%").replace(/\$/g, "$$$$"));
}

/** Bare words that systemd would read as a prefix in first position. */
const PREFIXED = /^[-@+!]/;

/**
 * A whole command line. A first word that starts like one of systemd's prefixes (`-`, `@`, `+`,
 * `!`, `:`) is quoted, so that it is never read as one.
 */
export function systemdCommandLine(words: readonly string[]): string {
  return words
    .map((word, i) => (i === 0 && BARE.test(word) && PREFIXED.test(word) ? doubleQuoted(systemdExecWord(word)) : systemdExecWord(word)))
    .join(" ");
}

/** One path in a space-separated path list (ReadWritePaths=, BindPaths=): `$` stays literal. */
export function systemdListPath(path: string): string {
  if (BARE.test(path)) return path; // no `%` to escape
  return doubleQuoted(path.replace(/%/g, "%%"));
}

/** A directive that takes one path as its whole value (WorkingDirectory=, EnvironmentFile=). */
export function systemdPathValue(path: string): string {
  return path.replace(/%/g, "%%");
}

/** Why `path` cannot be a systemd path value, or undefined. */
export function systemdPathProblem(path: string): string | undefined {
  const text = unrepresentableText(path);
  if (text) return text;
  if (!path.startsWith("/")) return "is not an absolute path, which systemd requires";
  if (/^\s|\s$/.test(path)) return "starts or ends with whitespace, which systemd trims from a value";
  if (path.split("/").some((part) => part === "." || part === "..") || path.includes("//") || (path.length > 1 && path.endsWith("/"))) {
    return 'is not a normalized path (no ".", "..", "//" or trailing "/"), which systemd refuses';
  }
  return undefined;
}
