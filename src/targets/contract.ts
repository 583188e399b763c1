/**
 * The contract every deployment target implements. A target is one module: its description schema,
 * what an environment may override, how the merged settings are resolved (defaults, checks) and how
 * they become files. The registry (src/targets/registry.ts) lists them; the description's `targets`
 * schema, the environment overrides and generation are all built from it.
 */
import type { z } from "zod";
import type { Artifact, TargetContext } from "../artifact.js";
import type { IssuePath } from "../errors.js";

export interface TargetModule<
  Key extends string = string,
  Schema extends z.ZodType = z.ZodType,
  Overrides extends z.ZodType = z.ZodType,
  Settings = unknown,
> {
  /** The key under `targets` in the description. */
  readonly key: Key;
  /** `targets.<key>` of the project. */
  readonly schema: Schema;
  /** `environments.<name>.targets.<key>`: merged over the project's with `mergeTargetSettings`. */
  readonly overrides: Overrides;
  /**
   * The environment's settings with defaults applied, after its overrides are merged; undefined when
   * the target is off or when a problem was added to `context.issues` (then nothing is rendered).
   */
  resolve(context: TargetContext): Settings | undefined;
  /** The target's files for one environment. Problems go to `context.issues`. */
  render(context: TargetContext, settings: Settings): Artifact[];
}

/** Any target module, whatever its settings. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTargetModule = TargetModule<string, z.ZodType, z.ZodType, any>;

/** Keeps a module's precise types (key literal, schemas, settings) for the registry. */
export function defineTarget<Key extends string, Schema extends z.ZodType, Overrides extends z.ZodType, Settings>(
  module: TargetModule<Key, Schema, Overrides, Settings>,
): TargetModule<Key, Schema, Overrides, Settings> {
  return module;
}

/**
 * Where a target's problems are reported: the environment's `targets.<key>` when there are several
 * environments (its override or the project's value applies there), else the project's.
 */
export function targetIssuePath(context: Pick<TargetContext, "plan" | "env">, key: string): IssuePath {
  return context.plan.environments.length > 1 ? ["environments", context.env.name, "targets", key] : ["targets", key];
}
