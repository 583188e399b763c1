/**
 * Every problem in a description, collected with its path, what is wrong and how to fix it.
 */
import type { z } from "zod";

export type IssuePath = ReadonlyArray<string | number>;

export interface ProjectIssue {
  path: IssuePath;
  message: string;
  fix?: string;
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
    .map((part, i) => (typeof part === "number" ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? (i ? `.${part}` : part) : `[${JSON.stringify(part)}]`))
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
  add(path: IssuePath, message: string, fix?: string): void {
    this.items.push(fix ? { path, message, fix } : { path, message });
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
          fix: suggestion
            ? `did you mean "${suggestion}"?`
            : allowed.length
              ? `allowed here: ${allowed.join(", ")}`
              : "remove it",
        });
      }
      continue;
    }
    const fix = issue.code === "custom" ? (issue.params as { fix?: string } | undefined)?.fix : undefined;
    issues.push(fix ? { path: issue.path as IssuePath, message: issue.message, fix } : { path: issue.path as IssuePath, message: issue.message });
  }
  return dedupe(issues);
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

function dedupe(issues: ProjectIssue[]): ProjectIssue[] {
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
