/**
 * Deployment targets: which files besides litestream.yml to produce. Built from the registry
 * (src/targets/registry.ts): each target's schema lives in its own module under src/targets/.
 */
import type { z } from "zod";
import { TARGETS, targetOverridesSchema, targetsSchema } from "../targets/registry.js";

export const Targets = targetsSchema(TARGETS);

/**
 * What an environment may change: every field optional. Targets apply their defaults after merging
 * (deeply: docs in src/targets/merge.ts), so an environment that sets one field never resets another.
 */
export const TargetOverrides = targetOverridesSchema(TARGETS);

export type TargetsConfig = z.output<typeof TargetOverrides>;
