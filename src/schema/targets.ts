/**
 * Deployment targets: which files besides litestream.yml to produce. Each target's schema lives in
 * its own module under src/targets/; this file only assembles them.
 */
import { z } from "zod";
import { KamalTarget } from "../targets/kamal/schema.js";
import { ComposeTarget } from "../targets/compose/schema.js";
import { EntrypointTarget } from "../targets/entrypoint/schema.js";
import { SystemdTarget } from "../targets/systemd/schema.js";

export const Targets = z.strictObject({
  kamal: KamalTarget.optional(),
  compose: ComposeTarget.optional(),
  entrypoint: EntrypointTarget.optional(),
  systemd: SystemdTarget.optional(),
});

/**
 * What an environment may change: every field optional. Targets apply their defaults after merging,
 * so an environment that sets one field never resets another the project set.
 */
export const TargetOverrides = z.strictObject({
  kamal: KamalTarget.optional(), // every field is already optional; required ones are checked after merging
  compose: ComposeTarget.partial().optional(),
  entrypoint: EntrypointTarget.optional(),
  systemd: SystemdTarget.optional(),
});

export type TargetsConfig = z.output<typeof TargetOverrides>;
