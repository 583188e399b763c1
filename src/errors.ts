/**
 * Every problem in a description, collected with its path, what is wrong and how to fix it.
 */
import type { z } from "zod";

export type IssuePath = ReadonlyArray<string | number>;

export interface ProjectIssue {
  path: IssuePath;
  message: string;
  fix?: string;
  /** Stable identifier of the kind of problem ("duration.invalid", "secret.literal"), for tools and tests. */
  code?: string;
}

export class ProjectError extends Error {
  readonly issues: ProjectIssue[];
  constructor(issues: ProjectIssue[]) {
    super(formatIssues(issues));
    this.name = "ProjectError";
    this.issues = issues;
  }
}

export function formatPath(path: IssuePath): string {
  if (path.length === 0) return "(description)";
  return path
    .map((part, i) =>
      typeof part === "number" ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? (i ? `.${part}` : part) : `[${JSON.stringify(part)}]`,
    )
    .join("");
}

export function formatIssues(issues: ProjectIssue[]): string {
  const lines = [`The project description has ${issues.length} problem${issues.length === 1 ? "" : "s"}:`];
  for (const issue of issues) {
    lines.push(`  ✖ ${formatPath(issue.path)}: ${issue.message}`);
    if (issue.fix) lines.push(`    → ${issue.fix}`);
  }
  return lines.join("\n");
}

/** Collects issues while walking a description. */
export class IssueList {
  readonly items: ProjectIssue[] = [];
  add(path: IssuePath, message: string, fix?: string, code?: string): void {
    this.items.push({ path, message, ...(fix ? { fix } : {}), ...(code ? { code } : {}) });
  }
  throwIfAny(): void {
    if (this.items.length) throw new ProjectError(this.items);
  }
}

/**
 * Converts zod issues to ours. Unknown keys get a "did you mean" from the keys allowed at that
 * place, read from the description's JSON Schema.
 */
export function fromZodError(error: z.ZodError, allowedKeysAt: (path: IssuePath) => string[]): ProjectIssue[] {
  const issues: ProjectIssue[] = [];
  for (const issue of flattenUnions(error.issues)) {
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeysAt(issue.path as IssuePath);
      for (const key of issue.keys) {
        const suggestion = closest(key, allowed);
        issues.push({
          path: [...(issue.path as IssuePath), key],
          message: `unknown key "${key}"`,
          fix: suggestion ? `did you mean "${suggestion}"?` : allowed.length ? `allowed here: ${allowed.join(", ")}` : "remove it",
          code: "key.unknown",
        });
      }
      continue;
    }
    issues.push(toProjectIssue(issue));
  }
  return dedupeIssues(issues);
}

/**
 * Fixes and codes for the format checks (`.regex(pattern, message)`) of the schema, looked up by
 * their message: a regex keeps its JSON Schema `pattern` (editor completion), which a refinement
 * would lose.
 */
const FORMAT_HINTS = new Map<string, { fix: string; code: string }>();

export function registerFormatHint(message: string, fix: string, code: string): string {
  FORMAT_HINTS.set(message, { fix, code });
  return message;
}

function toProjectIssue(issue: z.core.$ZodIssue): ProjectIssue {
  const path = issue.path as IssuePath;
  const key = path[path.length - 1];
  const name = typeof key === "string" ? key : "a value";
  switch (issue.code) {
    case "custom": {
      const params = issue.params as { fix?: string; code?: string } | undefined;
      // Target schemas may not set a code yet; theirs stays absent rather than made up.
      return { path, message: issue.message, ...(params?.fix ? { fix: params.fix } : {}), ...(params?.code ? { code: params.code } : {}) };
    }
    case "invalid_format": {
      const hint = FORMAT_HINTS.get(issue.message);
      return { path, message: issue.message, ...(hint ? { fix: hint.fix } : {}), code: hint?.code ?? "schema.format" };
    }
    case "invalid_type":
      if (/received undefined$/.test(issue.message)) {
        return { path, message: `${name} is required`, fix: `add ${name} (${article(issue.expected)})`, code: "schema.required" };
      }
      return {
        path,
        message: `expected ${article(issue.expected)}, got ${received(issue.message)}`,
        fix: `write ${article(issue.expected)} here`,
        code: "schema.type",
      };
    case "invalid_value":
      return {
        path,
        message: `${describeValue(issue)} is not allowed here`,
        fix: `use one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`,
        code: "schema.value",
      };
    case "invalid_union": {
      const options = (issue as { options?: unknown[] }).options;
      if (options?.length)
        return {
          path,
          message: `${describeValue(issue)} is not allowed here`,
          fix: `use one of ${options.map((v) => JSON.stringify(v)).join(", ")}`,
          code: "schema.value",
        };
      return { path, message: issue.message, code: "schema.type" };
    }
    case "too_small":
      if (issue.origin === "array")
        return {
          path,
          message: `${name} needs at least ${issue.minimum} entr${issue.minimum === 1 ? "y" : "ies"}`,
          fix: `add at least ${issue.minimum}${issue.minimum === 1 ? " entry" : " entries"}`,
          code: "schema.too-small",
        };
      if (issue.origin === "string")
        return {
          path,
          message: `${name} is too short (at least ${issue.minimum} character${issue.minimum === 1 ? "" : "s"})`,
          fix: "write a value, or remove the key where it is optional",
          code: "schema.too-small",
        };
      return { path, message: issue.message, fix: `use at least ${issue.minimum}`, code: "schema.too-small" };
    case "too_big":
      if (issue.origin === "string") {
        const input = (issue as { input?: unknown }).input;
        const example = typeof input === "string" ? `, e.g. "${input.slice(0, Number(issue.maximum))}"` : "";
        return {
          path,
          message: `${name} is longer than ${issue.maximum} characters`,
          fix: `shorten it to at most ${issue.maximum} characters${example}`,
          code: "schema.too-big",
        };
      }
      return { path, message: issue.message, fix: `use at most ${issue.maximum}`, code: "schema.too-big" };
    case "invalid_key": {
      // A record key that fails its own schema (e.g. a label key with a control character).
      const keyIssue = issue.issues[0];
      const inner = keyIssue ? toProjectIssue({ ...keyIssue, path: [] } as z.core.$ZodIssue) : undefined;
      return {
        path,
        message: `a key here is not allowed${inner ? `: ${inner.message}` : ""}`,
        fix: inner?.fix ? `rename the key: ${inner.fix}` : "rename the key to letters, digits, '.', '_' and '-'",
        code: inner?.code ?? "schema.key",
      };
    }
    default:
      return { path, message: issue.message, code: "schema.invalid" };
  }
}

function article(type: string): string {
  const word = type === "record" ? "object" : type;
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function received(message: string): string {
  return /received (\w+)$/.exec(message)?.[1] ?? "something else";
}

/** The refused value, when the parse reported it (`reportInput`). */
function describeValue(issue: z.core.$ZodIssue): string {
  const { input: value, discriminator } = issue as { input?: unknown; discriminator?: string };
  // A discriminated union reports the whole object; the refused value is its discriminator.
  const input = discriminator && value && typeof value === "object" ? (value as Record<string, unknown>)[discriminator] : value;
  return input === undefined ? "this value" : JSON.stringify(input);
}

/**
 * A value that matches no branch of a union yields one "invalid_union" issue; report the branch
 * that came closest (fewest problems, preferring one whose discriminator matched).
 */
function flattenUnions(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const out: z.core.$ZodIssue[] = [];
  for (const issue of issues) {
    if (issue.code === "invalid_union" && issue.errors.length > 0) {
      const ranked = [...issue.errors].sort((a, b) => score(a) - score(b));
      const best = ranked[0]!;
      out.push(...flattenUnions(best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as z.core.$ZodIssue)));
    } else {
      out.push(issue);
    }
  }
  return out;
}

function score(branch: readonly z.core.$ZodIssue[]): number {
  const typeMismatch = branch.some((i) => i.code === "invalid_type" && i.path.length === 0) ? 100 : 0;
  return typeMismatch + branch.length;
}

/** Each problem once, by path and message, in the order found. */
export function dedupeIssues(issues: ProjectIssue[]): ProjectIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${formatPath(issue.path)}|${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The closest allowed key, comparing case- and separator-insensitively ("snapshot-interval" → "snapshotInterval"). */
export function closest(input: string, candidates: string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, "");
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = levenshtein(norm(input), norm(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const limit = Math.max(2, Math.floor(input.length / 3));
  return bestDistance <= limit ? best : undefined;
}

function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}
