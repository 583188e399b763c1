/**
 * Registry of deployment targets. Each module turns one environment's plan into its files.
 */
import type { TargetRenderer } from "../artifact.js";
import type { TargetsConfig } from "../schema/targets.js";

export const TARGET_RENDERERS: Partial<Record<keyof TargetsConfig, TargetRenderer>> = {};
