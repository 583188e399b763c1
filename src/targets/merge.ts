/**
 * Environment overrides of target settings. Kept apart from the registry so the planner can use it
 * without importing every target module (they import the planner).
 */
import type { TargetsConfig } from "../schema/targets.js";

type Settings = Record<string, unknown>;

/**
 * An environment's targets over the project's. Objects merge key by key, recursively; arrays and
 * scalars replace (an environment's `beforeApp` or `appCommand` is the whole list); a key set to
 * `undefined` (a .ts/.js description) unsets the project's value, e.g. `host: undefined, hosts: [...]`;
 * a key or target the environment does not mention is the project's. Defaults are applied after merging (each target's
 * `resolve`), so an environment that sets one field never resets another the project set.
 */
export function mergeTargets(base: TargetsConfig | undefined, override: TargetsConfig | undefined): TargetsConfig {
  return deepMerge(base ?? {}, override ?? {}) as TargetsConfig;
}

function deepMerge(base: Settings, override: Settings): Settings {
  const merged: Settings = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Settings {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
