/**
 * The operations settings of one environment: the description's `monitoring.alerts` and
 * `verification` (an environment's value replaces the top-level one), defaults applied, and where
 * the generated files go.
 */
import { parseDuration } from "../duration.js";
import type { IssuePath } from "../errors.js";
import type { EnvironmentPlan, Plan } from "../plan.js";
import { compareRelease } from "../plan/checks.js";
import type { ProjectConfig } from "../schema/project.js";

export interface AlertSettings {
  forSeconds: number;
  stallWindowSeconds: number;
  walSizeBytes: number;
  runbookUrl: string;
  /** Where `monitoring.alerts` sits in the description. */
  at: IssuePath;
}

export interface SentinelSettings {
  table: string;
  column: string;
  maxAgeSeconds: number;
  /** Names of the databases that hold the sentinel. */
  databases: string[];
}

export interface VerificationSettings {
  maxAgeSeconds: number;
  schedule: string;
  heartbeatEnv?: string;
  /** Freshness from the app's sentinel row instead of the newest backup's time. */
  sentinel?: SentinelSettings;
  at: IssuePath;
}

export interface OperationsSettings {
  dir: string;
  /** RUNBOOK.md is written. */
  runbook: boolean;
  runbookPath: string;
  alerts?: AlertSettings;
  verification?: VerificationSettings;
  /** Prometheus job name of this environment's Litestream. */
  job: string;
}

export const DEFAULTS = {
  forSeconds: 600,
  stallWindowSeconds: 900,
  walSizeBytes: 256 * 1024 * 1024,
  maxAgeSeconds: 25 * 3600,
  schedule: "daily",
};

const seconds = (value: string | number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const parsed = parseDuration(value);
  return parsed.ok ? Math.ceil(parsed.ms / 1000) : fallback;
};

export function operationsSettings(project: ProjectConfig, plan: Plan, env: EnvironmentPlan): OperationsSettings {
  const several = plan.environments.length > 1;
  const dir = several ? `deploy/operations/${env.name}` : "deploy/operations";
  const own = project.environments?.[env.name];
  const settings: OperationsSettings = {
    dir,
    runbook: false,
    runbookPath: `${dir}/RUNBOOK.md`,
    job: `litestream-${plan.name}-${env.name}`,
  };
  const monitoring = own?.monitoring ?? project.monitoring;
  const alerts = monitoring?.alerts;
  if (alerts) {
    settings.alerts = {
      forSeconds: seconds(alerts.for, DEFAULTS.forSeconds),
      stallWindowSeconds: seconds(alerts.stallWindow, DEFAULTS.stallWindowSeconds),
      walSizeBytes: alerts.walSizeBytes ?? DEFAULTS.walSizeBytes,
      runbookUrl: alerts.runbookUrl ?? settings.runbookPath,
      at: own?.monitoring ? ["environments", env.name, "monitoring", "alerts"] : ["monitoring", "alerts"],
    };
  }
  const verification = own?.verification ?? project.verification;
  if (verification) {
    const maxAgeSeconds = seconds(verification.maxAge, DEFAULTS.maxAgeSeconds);
    const sentinel = verification.sentinel;
    settings.verification = {
      maxAgeSeconds,
      schedule: verification.schedule ?? DEFAULTS.schedule,
      ...(verification.heartbeatUrl ? { heartbeatEnv: verification.heartbeatUrl.env } : {}),
      ...(sentinel
        ? {
            sentinel: {
              table: sentinel.table,
              column: sentinel.column,
              maxAgeSeconds: seconds(sentinel.maxAge, maxAgeSeconds),
              databases: sentinel.databases ?? env.databases.map((db) => db.name),
            },
          }
        : {}),
      at: own?.verification ? ["environments", env.name, "verification"] : ["verification"],
    };
  }
  // With a target the commands are spelled for it; a config-only description gets one when it asks for operations.
  const anyTarget = Object.values(env.targets).some((t) => t !== undefined);
  // A database path read at start-up has no runbook commands (src/plan/path-env.ts).
  const pathFromEnv = env.databases.some((db) => db.path.kind === "env");
  settings.runbook = own?.runbook ?? project.runbook ?? (!pathFromEnv && (anyTarget || Boolean(settings.alerts || settings.verification)));
  return settings;
}

/** True when the environment's exact release is at least `release` (on the same line). */
export function releaseAtLeast(plan: Plan, release: string): boolean {
  return plan.litestream.release.split(".")[1] === release.split(".")[1] && compareRelease(plan.litestream.release, release) >= 0;
}

/** The longest sync interval of any replica of the environment, in seconds (Litestream's default 1s). */
export function longestSyncSeconds(env: EnvironmentPlan): number {
  let longest = 1;
  for (const db of env.databases) for (const r of db.replicas) longest = Math.max(longest, (r.settings.syncInterval?.ms ?? 1000) / 1000);
  return longest;
}

/** A duration in seconds as Prometheus and Go write it: "15m", "1h30m", "45s". */
export function promDuration(total: number): string {
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s || total === 0 ? `${s}s` : ""}`;
}
