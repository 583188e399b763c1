/**
 * Quoting for the two places a command is spelled out as text: POSIX sh, and Litestream's `-exec`.
 *
 * `litestream replicate -exec STRING` runs no shell: it splits STRING with go-shellwords (0.3.13 and
 * 0.5 alike) and executes the words. Measured on the real 0.3.13 binary: single quotes keep
 * everything literal (`$`, backslash, backtick, `#`, newline, `;&|<>`); `\'` outside quotes is a
 * literal quote; `''` is an empty word; `$VAR` and `$(…)` are NOT expanded. An unquoted `;`, `&`, `|`,
 * `<` or `>` silently ends the command (`-exec "app;rm"` runs just `app`, exit 0), and an unquoted `(`
 * is an error. Quoting every unsafe word in single quotes therefore represents any word.
 */

/** Characters that mean the same unquoted in sh and in go-shellwords. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
// Module constants: a regular expression literal in a function is a new object on every call.
const NEEDS_DOUBLE_QUOTES = /['$`\\]/;
const DOUBLE_QUOTE_ESCAPES = /[\\"$`]/g;

/** One word for Litestream's -exec: bare when safe, else single-quoted ('\'' for a quote). */
export function execWord(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

export function execWords(words: readonly string[]): string {
  return words.map(execWord).join(" ");
}

/**
 * One word for POSIX sh: bare when safe, single-quoted when that needs no escape, else double-quoted
 * with \ " $ ` escaped (what shellcheck reads without a warning about a literal `$` or quote).
 */
export function shellWord(word: string): string {
  if (SAFE_WORD.test(word)) return word;
  if (!NEEDS_DOUBLE_QUOTES.test(word)) return `'${word}'`;
  return `"${word.replace(DOUBLE_QUOTE_ESCAPES, "\\$&")}"`;
}

export function shellWords(words: readonly string[]): string {
  return words.map(shellWord).join(" ");
}

/** Why a word cannot be passed to a program at all (argv is NUL-terminated UTF-8), or undefined. */
export function unrepresentableWord(word: string): string | undefined {
  if (word.includes("\0")) return "contains a NUL character, which no program argument can hold";
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(word)) {
    return "contains a lone UTF-16 surrogate, which has no UTF-8 encoding";
  }
  return undefined;
}

/** Words that only mean something to a shell; in an argv they would be passed to the app literally. */
export const SHELL_OPERATORS = new Set(["&&", "||", ";", ";;", "|", "&", ">", ">>", "<", "<<", "2>&1", "2>", "|&"]);
