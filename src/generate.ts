/**
 * The public core: describe → plan → artifacts. Pure: the only input besides the description is
 * an optional reader for files the user already has (shared files are merged, never replaced).
 */
import { z } from "zod";
import type { Artifact, ExistingFileReader, ScheduledOperations, TargetContext } from "./artifact.js";
import { renderLitestreamConfig } from "./artifacts/litestream-config.js";
import { renderRestoreFromConfig } from "./artifacts/restore-from-config.js";
import { renderOperations } from "./operations/index.js";
import { dedupeIssues, fromZodError, IssueList, ProjectError, type IssuePath, type ProjectIssue } from "./errors.js";
import { planProjectCollecting, type Plan, type Warning } from "./plan.js";
import { Project, type ProjectConfig, type ProjectInput } from "./schema/project.js";
import { TARGETS, type AnyTargetModule, type TargetKey } from "./targets/index.js";

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
  const result = Project.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  throw refusal(input, result.error, {});
}

export function generate(input: ProjectInput | unknown, options: GenerateOptions = {}): GenerateResult {
  const result = Project.safeParse(input, { reportInput: true });
  if (!result.success) throw refusal(input, result.error, options);
  const outcome = planAndRender(result.data, options);
  if (outcome.issues.length) throw new ProjectError(dedupeIssues(outcome.issues));
  return { files: outcome.files, warnings: outcome.warnings, plan: outcome.plan };
}

/** The schema problems, then the plan and target problems that do not depend on a refused value. */
function refusal(input: unknown, error: z.ZodError, options: GenerateOptions): ProjectError {
  const repaired = repairDescription(input, schemaIssuesOf(input, error));
  const later = repaired.project ? planAndRender(repaired.project, options, repaired).issues : [];
  return new ProjectError(dedupeIssues([...repaired.schemaIssues, ...later]));
}

function schemaIssuesOf(input: unknown, error: z.ZodError): ProjectIssue[] {
  return fromZodError(error, (path) => allowedKeysAt(input, path));
}

/**
 * Plan checks, then target checks, collecting every problem. With `repaired`, the description
 * was made valid by replacing refused values: problems that depend on those are left out.
 */
function planAndRender(
  project: ProjectConfig,
  options: GenerateOptions,
  repaired?: Repaired,
): { files: Artifact[]; warnings: Warning[]; plan: Plan; issues: ProjectIssue[] } {
  const { plan, issues: planIssues } = planProjectCollecting(project);
  const issues = new IssueList();
  issues.items.push(...planIssues);
  const warnings = [...plan.warnings];
  // A shared file touched by several environments is merged in turn: later merges see earlier ones.
  const produced = new Map<string, string>();
  const existing: ExistingFileReader = (path) => produced.get(path) ?? options.existing?.(path);

  if (options.environment && !plan.environments.some((e) => e.name === options.environment)) {
    issues.add(
      ["environments"],
      `no environment named "${options.environment}"`,
      `choose one of ${plan.environments.map((e) => e.name).join(", ")}`,
      "environment.unknown",
    );
    return { files: [], warnings, plan, issues: issues.items };
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
    const restoreFromContent = renderRestoreFromConfig(plan, env);
    const restoreFromConfig: Artifact | undefined =
      restoreFromContent !== undefined && env.restoreFrom
        ? {
            path: env.restoreFrom.configFile,
            content: restoreFromContent,
            kind: "restore-from-config",
            ownership: "generated",
            environment: env.name,
          }
        : undefined;
    if (restoreFromConfig) files.push(restoreFromConfig);
    const scheduled: ScheduledOperations = {};
    files.push(...renderOperations({ project, plan, env, existing, issues, warnings, scheduled }));
    for (const target of Object.values(TARGETS) as AnyTargetModule[]) {
      if (!env.targets[target.key as TargetKey]) continue;
      try {
        const context: TargetContext = {
          plan,
          env,
          config,
          ...(restoreFromConfig ? { restoreFromConfig } : {}),
          existing,
          issues,
          warnings,
          scheduled,
        };
        const settings = target.resolve(context);
        if (settings === undefined) continue;
        for (const file of target.render(context, settings)) {
          if (file.ownership === "shared") produced.set(file.path, file.content);
          files.push(file);
        }
      } catch (error) {
        if (error instanceof ProjectError) issues.items.push(...error.issues);
        // A plan that already has problems may hold values a target cannot handle: those problems are the report.
        else if (!issues.items.length && !repaired) throw error;
      }
    }
  }
  const merged = mergeSharedFiles(files, issues);
  const all = repaired ? issues.items.filter((issue) => !dependsOnRepair(issue, repaired)) : issues.items;
  return { files: merged, warnings, plan, issues: all };
}

/** A replacement for a refused value: the key removed, or a value of the right kind. */
const PLACEHOLDER = "litestream-deploy-placeholder";
const REMOVE = Symbol("remove");
const CANDIDATES: unknown[] = [
  REMOVE,
  `/${PLACEHOLDER}`,
  PLACEHOLDER,
  { env: "LITESTREAM_DEPLOY_PLACEHOLDER" },
  `https://${PLACEHOLDER}.invalid`,
  `${PLACEHOLDER}:22`,
  `${PLACEHOLDER}:/${PLACEHOLDER}`,
  "eu-central-1",
  "us-west-002",
  "fra1",
  "0".repeat(32),
  "placeholder",
];

interface Repaired {
  /** The schema problems of the description as given, then those that its first problems hid. */
  schemaIssues: ProjectIssue[];
  /** The description with every refused value replaced, when that made it valid. */
  project?: ProjectConfig;
  /** The paths whose values were replaced. */
  paths: IssuePath[];
}

/**
 * So that every problem is reported at once: replace each refused value (remove it, or put in a
 * placeholder of the right kind, or replace its parent) until the description parses; the plan
 * and target checks then run on that. Problems found on the way are reported too, unless they sit
 * at a replaced value.
 */
function repairDescription(input: unknown, schemaIssues: ProjectIssue[]): Repaired {
  const repaired: Repaired = { schemaIssues: [...schemaIssues], paths: [] };
  let doc: unknown;
  try {
    doc = structuredClone(input);
  } catch {
    return repaired;
  }
  let pending = schemaIssues;
  for (let round = 0; round < 8 && pending.length; round++) {
    for (const issue of pending) {
      if (repaired.paths.some((p) => startsWith(issue.path, p))) continue;
      const at = repairAt(doc, issue.path);
      if (!at) return repaired;
      repaired.paths.push(at);
    }
    const retry = Project.safeParse(doc, { reportInput: true });
    if (retry.success) {
      repaired.project = retry.data;
      return repaired;
    }
    pending = schemaIssuesOf(doc, retry.error);
    for (const issue of pending) {
      if (!repaired.paths.some((p) => startsWith(issue.path, p)) && !mentionsPlaceholder(issue)) repaired.schemaIssues.push(issue);
    }
  }
  return repaired;
}

/** Replaces the value at `path` (or, failing that, at a parent) so that nothing under it is refused. */
function repairAt(doc: unknown, path: IssuePath): IssuePath | undefined {
  for (let depth = path.length; depth > 0; depth--) {
    const at = path.slice(0, depth);
    const parent = at.slice(0, -1).reduce<unknown>((node, key) => (node as Record<string | number, unknown> | undefined)?.[key], doc);
    if (!parent || typeof parent !== "object") continue;
    const container = parent as Record<string | number, unknown>;
    const key = at[at.length - 1]!;
    const had = Object.prototype.hasOwnProperty.call(container, key);
    const original = container[key];
    for (const candidate of CANDIDATES) {
      if (candidate === REMOVE) {
        if (Array.isArray(container)) continue;
        delete container[key];
      } else container[key] = structuredClone(candidate);
      const retry = Project.safeParse(doc);
      if (retry.success || !retry.error.issues.some((i) => startsWith(i.path as IssuePath, at))) return at;
    }
    if (had) container[key] = original;
    else delete container[key];
  }
  return undefined;
}

function startsWith(path: IssuePath, prefix: IssuePath): boolean {
  return prefix.length <= path.length && prefix.every((part, i) => part === path[i]);
}

function mentionsPlaceholder(issue: ProjectIssue): boolean {
  return /litestream-deploy-placeholder/i.test(`${issue.message} ${issue.fix ?? ""}`);
}

/**
 * A plan or target problem that depends on a replaced value: at, under or above it (a check of
 * the whole storage depends on its bucket), or citing the placeholder.
 */
function dependsOnRepair(issue: ProjectIssue, repaired: Repaired): boolean {
  if (mentionsPlaceholder(issue)) return true;
  return repaired.paths.some(
    (p) => startsWith(issue.path, p) || (issue.path.length > 0 && startsWith(p, issue.path)) || (issue.path.length === 0 && p.length === 1),
  );
}

/** Several environments may merge into one shared file; the last merge holds them all. */
function mergeSharedFiles(files: Artifact[], issues: IssueList): Artifact[] {
  const byPath = new Map<string, Artifact>();
  for (const file of files) {
    const previous = byPath.get(file.path);
    // Identical generated files (Kamal's bin/litestream-wait, shared by every destination) are one file.
    if (previous && previous.ownership === "generated" && previous.content !== file.content) {
      issues.add(
        ["environments"],
        `two artifacts would be written to ${file.path}`,
        "give each environment its own file names (configFile and the targets' file settings)",
        "artifact.shared",
      );
    }
    byPath.set(file.path, file);
  }
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
