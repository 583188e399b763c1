/**
 * What `generate` returns, and what a target module is given (its contract: src/targets/contract.ts).
 */
import type { IssueList } from "./errors.js";
import type { EnvironmentPlan, Plan, Warning } from "./plan.js";
import type { KamalDrill } from "./targets/kamal/drill.js";

export type ArtifactKind =
  | "litestream-config"
  | "restore-from-config"
  | "kamal-accessory"
  | "kamal-deploy"
  | "kamal-secrets"
  | "kamal-app-gate"
  | "compose"
  | "compose-override"
  | "compose-env"
  | "entrypoint"
  | "dockerfile-snippet"
  | "systemd-unit"
  | "systemd-env"
  | "install-script"
  | "systemd-script"
  | "runbook"
  | "manifest"
  | "alert-rules"
  | "scrape-config"
  | "drill-script"
  | "drill-unit"
  | "compose-drill"
  | "kamal-drill"
  | "ci-drill"
  | "sentinel-sql";

export interface Artifact {
  /** Path relative to the output directory, with forward slashes. */
  path: string;
  content: string;
  kind: ArtifactKind;
  /**
   * "generated": the whole file is ours and carries the generated-file header.
   * "shared": the user's file, updated only inside a marked block or by a structural edit.
   */
  ownership: "generated" | "shared";
  /** Which environment produced it (absent for files shared by all environments). */
  environment?: string;
  /** File mode to create it with, e.g. 0o755 for scripts. */
  mode?: number;
}

/** Reads a file the user already has (for shared files); undefined when it does not exist. */
export type ExistingFileReader = (path: string) => string | undefined;

export interface TargetContext {
  plan: Plan;
  env: EnvironmentPlan;
  /** The litestream.yml produced for this environment. */
  config: Artifact;
  /** restoreFrom: the restore-only config with the source environment's replicas (src/artifacts/restore-from-config.ts). */
  restoreFromConfig?: Artifact;
  existing: ExistingFileReader;
  issues: IssueList;
  warnings: Warning[];
  /** What the operations step of this environment asks the targets to run (docs/operations.md). */
  scheduled?: ScheduledOperations;
}

export interface ScheduledOperations {
  /** The restore drill as the `litestream-drill` accessory, written by the Kamal target. */
  kamalDrill?: KamalDrill;
}

/** A target's files for one environment, resolving its own settings (the contract is in src/targets/contract.ts). */
export type TargetRenderer = (context: TargetContext) => Artifact[];
