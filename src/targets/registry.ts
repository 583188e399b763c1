/**
 * The deployment targets. Adding a target is one line here (and its module): the description's
 * `targets` schema, the environment overrides, the JSON Schema, generation and the CLI follow.
 */
import { z } from "zod";
import { renderKamal } from "./kamal/index.js";
import { KamalTarget, type KamalTargetConfig } from "./kamal/schema.js";
import type { Artifact, TargetContext } from "../artifact.js";
import { composeTarget } from "./compose/index.js";
import { entrypointTarget } from "./entrypoint/index.js";
import { systemdTarget } from "./systemd/index.js";
export { mergeTargets } from "./merge.js";
import { defineTarget, type AnyTargetModule, type TargetModule } from "./contract.js";

/** Kamal keeps its own module shape (`renderKamal` resolves its settings itself); this adapts it. */
const kamalTarget = defineTarget({
  key: "kamal",
  schema: KamalTarget,
  overrides: KamalTarget, // every field is already optional; required ones are checked after merging
  resolve: (context: TargetContext): KamalTargetConfig | undefined => context.env.targets.kamal,
  render: (context: TargetContext): Artifact[] => renderKamal(context),
});

export const TARGETS = {
  kamal: kamalTarget,
  compose: composeTarget,
  entrypoint: entrypointTarget,
  systemd: systemdTarget,
} as const satisfies TargetRegistry;

/** Each entry is a whole target module filed under its own key. */
export type TargetRegistry = { readonly [K in string]: TargetModule<K> & AnyTargetModule };
export type TargetKey = keyof typeof TARGETS;

type OptionalShape<R extends TargetRegistry, Part extends "schema" | "overrides"> = { [K in keyof R]: z.ZodOptional<R[K][Part]> };

/** The description's `targets`: one optional entry per registered target. */
export function targetsSchema<R extends TargetRegistry>(registry: R): z.ZodObject<OptionalShape<R, "schema">, z.core.$strict> {
  return z.strictObject(shapeOf(registry, "schema")) as z.ZodObject<OptionalShape<R, "schema">, z.core.$strict>;
}

/** An environment's `targets`: what it may change, merged over the project's by `mergeTargets` (./merge.ts). */
export function targetOverridesSchema<R extends TargetRegistry>(registry: R): z.ZodObject<OptionalShape<R, "overrides">, z.core.$strict> {
  return z.strictObject(shapeOf(registry, "overrides")) as z.ZodObject<OptionalShape<R, "overrides">, z.core.$strict>;
}

function shapeOf(registry: TargetRegistry, part: "schema" | "overrides"): Record<string, z.ZodType> {
  return Object.fromEntries(Object.values(registry).map((target) => [target.key, target[part].optional()]));
}
