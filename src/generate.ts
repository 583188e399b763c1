/**
 * The public core: describe → plan → artifacts. Pure: the only input besides the description is
 * an optional reader for files the user already has (shared files are merged, never replaced).
 */
import { z } from "zod";
import type { Artifact, ExistingFileReader, TargetRenderer } from "./artifact.js";
import { renderLitestreamConfig } from "./artifacts/litestream-config.js";
import { formatPath, fromZodError, IssueList, ProjectError, type IssuePath, type ProjectIssue } from "./errors.js";
import { planProject, type Plan, type Warning } from "./plan.js";
import { Project, type ProjectConfig, type ProjectInput } from "./schema/project.js";
import { TARGET_RENDERERS } from "./targets/index.js";

/** Identity function that types a description (c12-style `defineConfig`). */
export function defineProject(project: ProjectInput): ProjectInput {
  return project;
}

export interface GenerateOptions {
  /** Only this environment's files. */
  environment?: string;
  /** Reads the user's existing shared files (deploy.yml, .kamal/secrets, compose.yaml). */
  existing?: ExistingFileReader;
}

export interface GenerateResult {
  files: Artifact[];
  warnings: Warning[];
  plan: Plan;
}

/** Validates the description against the schema; throws one ProjectError listing every problem. */
export function parseProject(input: unknown): ProjectConfig {
  const result = Project.safeParse(input);
  if (result.success) return result.data;
  const issues = fromZodError(result.error, (path) => allowedKeysAt(input, path));
  throw new ProjectError([...issues, ...crossFieldIssuesDespite(input, issues)]);
}

/**
 * So that every problem is reported at once: drop the values that failed the schema and, if what
 * is left is still a valid description, run the cross-field checks on it too.
 */
function crossFieldIssuesDespite(input: unknown, schemaIssues: ProjectIssue[]): ProjectIssue[] {
  let pruned: unknown;
  try {
    pruned = structuredClone(input);
  } catch {
    return [];
  }
  for (const { path } of schemaIssues) {
    const parent = path.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], pruned);
    const last = path[path.length - 1];
    if (parent && typeof parent === "object" && last !== undefined && !Array.isArray(parent)) delete (parent as Record<string, unknown>)[last as string];
  }
  const retry = Project.safeParse(pruned);
  if (!retry.success) return [];
  try {
    planProject(retry.data);
  } catch (error) {
    if (error instanceof ProjectError) {
      const seen = new Set(schemaIssues.map((i) => formatPath(i.path)));
      return error.issues.filter((i) => !seen.has(formatPath(i.path)));
    }
    throw error;
  }
  return [];
}

export function generate(input: ProjectInput | unknown, options: GenerateOptions = {}): GenerateResult {
  const project = parseProject(input);
  const plan = planProject(project);
  const issues = new IssueList();
  const warnings = [...plan.warnings];
  // A shared file touched by several environments is merged in turn: later merges see earlier ones.
  const produced = new Map<string, string>();
  const existing: ExistingFileReader = (path) => produced.get(path) ?? options.existing?.(path);

  if (options.environment && !plan.environments.some((e) => e.name === options.environment)) {
    throw new ProjectError([
      { path: ["environments"], message: `no environment named "${options.environment}"`, fix: `choose one of ${plan.environments.map((e) => e.name).join(", ")}` },
    ]);
  }
  const files: Artifact[] = [];
  for (const env of plan.environments) {
    if (options.environment && env.name !== options.environment) continue;
    const config: Artifact = {
      path: env.configFile,
      content: renderLitestreamConfig(plan, env),
      kind: "litestream-config",
      ownership: "generated",
      environment: env.name,
    };
    files.push(config);
    for (const [name, render] of Object.entries(TARGET_RENDERERS) as Array<[string, TargetRenderer]>) {
      if (!env.targets[name as keyof typeof env.targets]) continue;
      for (const file of render({ plan, env, config, existing, issues, warnings })) {
        if (file.ownership === "shared") produced.set(file.path, file.content);
        files.push(file);
      }
    }
  }
  issues.throwIfAny();
  return { files: mergeSharedFiles(files, issues), warnings, plan };
}

/** Several environments may merge into one shared file; the last merge holds them all. */
function mergeSharedFiles(files: Artifact[], issues: IssueList): Artifact[] {
  const byPath = new Map<string, Artifact>();
  for (const file of files) {
    const previous = byPath.get(file.path);
    // Identical generated files (Kamal's bin/litestream-wait, shared by every destination) are one file.
    if (previous && previous.ownership === "generated" && previous.content !== file.content) {
      issues.add(["environments"], `two artifacts would be written to ${file.path}`, "give each environment its own file names");
    }
    byPath.set(file.path, file);
  }
  issues.throwIfAny();
  return [...byPath.values()];
}

/** JSON Schema of the description's input side (draft-7), for editor completion. */
export function projectJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(Project, { io: "input", target: "draft-7", unrepresentable: "any" }) as Record<string, unknown>;
}

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  $ref?: string;
  definitions?: Record<string, JsonSchema>;
};

let cachedSchema: JsonSchema | undefined;

/** The keys allowed at a path of the description, for "did you mean" suggestions. */
function allowedKeysAt(input: unknown, path: IssuePath): string[] {
  cachedSchema ??= projectJsonSchema() as JsonSchema;
  const root = cachedSchema;
  const deref = (node: JsonSchema): JsonSchema =>
    node.$ref?.startsWith("#/definitions/") ? deref(root.definitions?.[node.$ref.slice(14)] ?? {}) : node;
  const branches = (node: JsonSchema, value: unknown): JsonSchema[] => {
    node = deref(node);
    const options = node.anyOf ?? node.oneOf;
    if (!options) return [node];
    const all = options.flatMap((o) => branches(o, value));
    const matching = all.filter((b) =>
      Object.entries(b.properties ?? {}).every(([key, prop]) => {
        const constant = deref(prop).const;
        return constant === undefined || (value as Record<string, unknown> | undefined)?.[key] === constant;
      }),
    );
    return matching.length ? matching : all;
  };
  let nodes = branches(root, input);
  let value = input;
  for (const segment of path) {
    value = (value as Record<string | number, unknown> | undefined)?.[segment];
    nodes = nodes.flatMap((node) => {
      if (typeof segment === "number") return node.items ? branches(node.items, value) : [];
      const next = node.properties?.[segment] ?? (typeof node.additionalProperties === "object" ? node.additionalProperties : undefined);
      return next ? branches(next, value) : [];
    });
  }
  return [...new Set(nodes.flatMap((node) => Object.keys(node.properties ?? {})))].sort();
}
