/**
 * Deployment targets: the registry (./registry.ts) and the contract each module implements (./contract.ts).
 */
export { TARGETS, mergeTargets, targetOverridesSchema, targetsSchema, type TargetKey, type TargetRegistry } from "./registry.js";
export { defineTarget, targetIssuePath, type AnyTargetModule, type TargetModule } from "./contract.js";
