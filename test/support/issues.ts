// The problems generate() reports for a description: [] when it generates, the ProjectError's issues otherwise.
import { generate, ProjectError } from "../../src/index.js";
import type { ProjectIssue } from "../../src/errors.js";

export function issuesOf(description: unknown, existing: Record<string, string> = {}): ProjectIssue[] {
  try {
    generate(description as Parameters<typeof generate>[0], { existing: (path) => existing[path] });
    return [];
  } catch (error) {
    if (error instanceof ProjectError) return error.issues;
    throw error;
  }
}
