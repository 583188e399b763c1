/**
 * Docker Compose variable interpolation, reproduced from compose-go's template package
 * (docs/compose.md): Compose rewrites every string value of a compose
 * file before any container sees it, so whatever we put in `command:` or `configs.content` must
 * survive this step. The generator only needs `escapeDollars`; the interpreter proves it in tests.
 *
 * Rules: `$$` → `$`; `$NAME` and `${NAME}` substituted (unset → warning and ""); `${V:-d}` (unset
 * or empty), `${V-d}` (unset), `${V:?msg}` / `${V?msg}` (hard error), `${V:+alt}` / `${V+alt}`;
 * defaults and messages are interpolated themselves (`${A:-${B}}`). `${` followed by anything
 * else (`${1}`, `${#V}`, `${V/x/y}`, `${}`) is an error; `$` before anything that is not `$`, a
 * name or `{` (`$1`, `$(`, `$?`, a trailing `$`) is left alone.
 */

/** Every `$` written as `$$`, so Compose hands the text to the container unchanged. */
export function escapeDollars(text: string): string {
  // Most script lines hold no $: no new string for them.
  return text.includes("$") ? text.replaceAll("$", "$$$$") : text;
}

/** Looks a variable up; undefined means unset (distinct from ""). Names are case-sensitive. */
export type Lookup = (name: string) => string | undefined;

export class ComposeInterpolationError extends Error {
  constructor(
    message: string,
    readonly variable?: string,
  ) {
    super(message);
    this.name = "ComposeInterpolationError";
  }
}

export interface InterpolationResult {
  value: string;
  /** Compose's warnings for unset variables ("… Defaulting to a blank string."). */
  warnings: string[];
}

// compose-go: `\$(?i:(?P<escaped>\$)|(?P<named>[_a-z][_a-z0-9]*)|{(?:(?P<braced>[_a-z][_a-z0-9]*(?::?[-+?](.*))?)}|(?P<invalid>)))`
// Go's `.` stops at "\n" only, hence [^\n] rather than JavaScript's `.`.
const SOURCE = String.raw`\$(?:(\$)|([_a-z][_a-z0-9]*)|\{(?:([_a-z][_a-z0-9]*(?::?[-+?][^\n]*)?)\}|()))`;
const patternGlobal = () => new RegExp(SOURCE, "gi");
const patternFirst = new RegExp(SOURCE, "i");

type SubstituteFn = (substitution: string, lookup: Lookup, warnings: string[]) => { applied: boolean; value: string };

/** Interpolates one string value as `docker compose` does; throws ComposeInterpolationError. */
export function interpolate(template: string, env: Record<string, string | undefined> | Lookup): InterpolationResult {
  const lookup: Lookup = typeof env === "function" ? env : (name) => (Object.hasOwn(env, name) ? env[name] : undefined);
  const warnings: string[] = [];
  const value = substitute(template, lookup, warnings);
  return { value, warnings };
}

/**
 * Interpolates every string value of a parsed compose file (keys are left alone, like Compose).
 * Returns the rewritten tree and the warnings; throws on the first error.
 */
export function interpolateTree<T>(tree: T, env: Record<string, string | undefined>): { value: T; warnings: string[] } {
  const warnings: string[] = [];
  const walk = (node: unknown): unknown => {
    if (typeof node === "string") {
      const result = interpolate(node, env);
      warnings.push(...result.warnings);
      return result.value;
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value)]));
    }
    return node;
  };
  return { value: walk(tree) as T, warnings };
}

function substitute(template: string, lookup: Lookup, warnings: string[]): string {
  let firstError: unknown;
  const result = template.replace(patternGlobal(), (match: string) => {
    try {
      return replacement(match, template, lookup, warnings);
    } catch (error) {
      firstError ??= error;
      return "";
    }
  });
  if (firstError) throw firstError;
  return result;
}

function replacement(match: string, template: string, lookup: Lookup, warnings: string[]): string {
  // The operator is chosen on the whole match, before it is cut at its closing brace (as compose-go does).
  const substituteFn = substitutionFunctionFor(match);
  const closing = firstBraceClosingIndex(match);
  let rest = "";
  let substring = match;
  if (closing > -1) {
    rest = match.slice(closing + 1);
    substring = match.slice(0, closing + 1);
  }
  const groups = patternFirst.exec(substring);
  const [, escaped, named, braced] = groups ?? [];
  if (escaped) return escaped;
  const substitution = named || braced;
  if (!substitution) throw new ComposeInterpolationError(`Invalid template: ${JSON.stringify(template)}`);
  if (!named) {
    const { applied, value } = substituteFn(substitution, lookup, warnings);
    if (applied) return value + substitute(rest, lookup, warnings);
  }
  const value = lookup(substitution);
  if (value === undefined) warnings.push(`The "${substitution}" variable is not set. Defaulting to a blank string.`);
  return value ?? "";
}

const OPERATORS: Array<[string, SubstituteFn]> = [
  [":?", required(":?", (v) => v !== "")],
  ["?", required("?", () => true)],
  [":-", whenAbsent(":-", true)],
  ["-", whenAbsent("-", false)],
  [":+", whenPresent(":+", true)],
  ["+", whenPresent("+", false)],
];

/** The operator that occurs first in the text (list order when none does). */
function substitutionFunctionFor(text: string): SubstituteFn {
  const ranked = [...OPERATORS].sort(([a], [b]) => {
    const ia = text.indexOf(a);
    const ib = text.indexOf(b);
    if (ia < 0) return ib < 0 ? 0 : 1;
    if (ib < 0) return -1;
    return ia - ib;
  });
  return ranked[0]![1];
}

function firstBraceClosingIndex(text: string): number {
  let open = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "}") {
      open--;
      if (open === 0) return i;
    }
    if (text[i] === "{") {
      open++;
      i++;
    }
  }
  return -1;
}

function partition(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + separator.length)];
}

function required(separator: string, valid: (value: string) => boolean): SubstituteFn {
  return (substitution, lookup, warnings) => {
    if (!substitution.includes(separator)) return { applied: false, value: "" };
    const [name, rawMessage] = partition(substitution, separator);
    const message = substitute(rawMessage, lookup, warnings);
    const value = lookup(name);
    if (value === undefined || !valid(value)) {
      throw new ComposeInterpolationError(
        message ? `required variable ${name} is missing a value: ${message}` : `required variable ${name} is missing a value`,
        name,
      );
    }
    return { applied: true, value };
  };
}

function whenAbsent(separator: string, emptyCounts: boolean): SubstituteFn {
  return (substitution, lookup, warnings) => {
    if (!substitution.includes(separator)) return { applied: false, value: "" };
    const [name, rawDefault] = partition(substitution, separator);
    const fallback = substitute(rawDefault, lookup, warnings);
    const value = lookup(name);
    return { applied: true, value: value === undefined || (emptyCounts && value === "") ? fallback : value };
  };
}

function whenPresent(separator: string, emptyCounts: boolean): SubstituteFn {
  return (substitution, lookup, warnings) => {
    if (!substitution.includes(separator)) return { applied: false, value: "" };
    const [name, rawAlternative] = partition(substitution, separator);
    const alternative = substitute(rawAlternative, lookup, warnings);
    const value = lookup(name);
    const present = value !== undefined && (!emptyCounts || value !== "");
    return { applied: true, value: present ? alternative : (value ?? "") };
  };
}
