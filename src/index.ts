export { defineProject, generate, parseProject, projectJsonSchema } from "./generate.js";
export type { GenerateOptions, GenerateResult } from "./generate.js";
export type { Artifact, ArtifactKind } from "./artifact.js";
export { ProjectError, formatIssues } from "./errors.js";
export type { ProjectIssue } from "./errors.js";
export type { Plan, EnvironmentPlan, DatabasePlan, ReplicaPlan, Warning } from "./plan.js";
export type { ProjectInput, ProjectConfig } from "./schema/project.js";
export { parseDuration, formatGoDuration } from "./duration.js";
