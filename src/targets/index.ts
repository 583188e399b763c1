/**
 * Registry of deployment targets. Each module turns one environment's plan into its files.
 */
import type { TargetRenderer } from "../artifact.js";
import type { TargetsConfig } from "../schema/targets.js";
import { renderCompose } from "./compose/index.js";
import { renderEntrypoint } from "./entrypoint/index.js";
import { renderKamal } from "./kamal/index.js";
import { renderSystemd } from "./systemd/index.js";

export const TARGET_RENDERERS: Partial<Record<keyof TargetsConfig, TargetRenderer>> = {
  compose: renderCompose,
  kamal: renderKamal,
  entrypoint: renderEntrypoint,
  systemd: renderSystemd,
};
