/**
 * Operations artifacts of one environment (docs/operations.md): alert rules and the scrape config
 * with `monitoring.alerts`; the restore drill with `verification` (its Kamal accessory is handed to the
 * Kamal target, which writes it into the deploy file); RUNBOOK.md unless `runbook: false`.
 */
import type { Artifact, ExistingFileReader, ScheduledOperations } from "../artifact.js";
import type { IssueList } from "../errors.js";
import type { EnvironmentPlan, Plan, Warning } from "../plan.js";
import type { ProjectConfig } from "../schema/project.js";
import { isScratch } from "../targets/compose/sidecar.js";
import { alertRules, alertsWindowIssue, checkHeartbeat, renderAlertRules, renderScrapeConfig } from "./alerts.js";
import { ciDrill } from "./ci.js";
import { containerPrelude, drillFiles, renderSentinelSql } from "./drill.js";
import { kamalDrill } from "../targets/kamal/drill.js";
import { renderRunbook } from "./runbook.js";
import { runnerFor } from "./runner.js";
import { operationsSettings, type OperationsSettings, type VerificationSettings } from "./settings.js";

export interface OperationsContext {
  project: ProjectConfig;
  plan: Plan;
  env: EnvironmentPlan;
  existing: ExistingFileReader;
  issues: IssueList;
  warnings: Warning[];
  /** Filled for the targets: what they write to run the operations (the Kamal drill accessory). */
  scheduled?: ScheduledOperations;
}

export function renderOperations(ctx: OperationsContext): Artifact[] {
  const { project, plan, env, issues } = ctx;
  const settings = operationsSettings(project, plan, env);
  const runner = runnerFor(plan, env, ctx.existing);
  const files: Artifact[] = [];
  const file = (path: string, content: string, kind: Artifact["kind"], mode?: number): Artifact => ({
    path,
    content,
    kind,
    ownership: "generated",
    environment: env.name,
    ...(mode ? { mode } : {}),
  });
  checkHeartbeat(project, plan, env, issues, ctx.warnings);

  let meanings: ReturnType<typeof alertRules>["meanings"] = [];
  if (settings.alerts) {
    alertsWindowIssue(env, settings.alerts, issues);
    meanings = alertRules(plan, env, settings, settings.alerts).meanings;
    files.push(file(`${settings.dir}/litestream-alerts.yml`, renderAlertRules(plan, env, settings, settings.alerts), "alert-rules"));
    files.push(file(`${settings.dir}/prometheus-scrape.yml`, renderScrapeConfig(plan, env, settings), "scrape-config"));
  }
  const drill = settings.verification ? drillFiles(plan, env, settings, settings.verification, runner) : undefined;
  if (drill) {
    if (isScratch(plan.litestream.image)) {
      issues.add(
        settings.verification!.at,
        `${plan.litestream.image} has no shell, so the restore drill cannot run in it`,
        `pin the non-scratch tag litestream/litestream:${plan.litestream.release}`,
        "verification.scratch",
      );
    }
    files.push(file(drill.scriptPath, drill.script, "drill-script", 0o755));
    if (drill.schedulers.includes("systemd"))
      files.push(file(drill.servicePath, drill.service, "drill-unit"), file(drill.timerPath, drill.timer, "drill-unit"));
    if (drill.schedulers.includes("compose")) files.push(file(drill.composePath, drill.compose, "compose-drill"));
    const verification = settings.verification!;
    if (verification.sentinel) {
      checkSentinel(env, verification, issues);
      files.push(file(sentinelSqlPath(settings), renderSentinelSql(env, verification.sentinel, sentinelSqlPath(settings)), "sentinel-sql"));
    }
    if (drill.schedulers.includes("kamal")) {
      const kamal = kamalDrill({
        plan,
        env,
        scriptPath: drill.scriptPath,
        schedule: verification.schedule,
        prelude: containerPrelude(plan, verification),
        at: verification.at,
        ...(verification.heartbeatEnv ? { heartbeatEnv: verification.heartbeatEnv } : {}),
      });
      if (kamal && "problem" in kamal) issues.add(kamal.at, kamal.problem, kamal.fix, "verification.kamal");
      else if (kamal) {
        // The Kamal target writes it beside accessories.litestream, and its heartbeat line into the secrets block.
        drill.kamal = kamal;
        if (ctx.scheduled) ctx.scheduled.kamalDrill = kamal;
      }
    }
    const ci = ciDrill(plan, env, verification, drill.scriptPath, settings.dir, plan.environments.length > 1);
    if ("path" in ci) {
      drill.ci = ci.path;
      files.push(file(ci.path, ci.content, "ci-drill"));
    } else drill.ciSkipped = ci.skipped;
  }
  if (settings.runbook)
    files.push(
      file(settings.runbookPath, renderRunbook({ plan, env, settings, runner, meanings, ...(drill ? { drill } : {}) }), "runbook"),
    );
  return files;
}

const sentinelSqlPath = (settings: OperationsSettings) => `${settings.dir}/litestream-sentinel.sql`;

/** Every database the sentinel names exists. */
function checkSentinel(env: EnvironmentPlan, verification: VerificationSettings, issues: IssueList): void {
  const names = env.databases.map((db) => db.name);
  const known = new Set(names);
  verification.sentinel!.databases.forEach((name, i) => {
    if (!known.has(name))
      issues.add(
        [...verification.at, "sentinel", "databases", i],
        `no database is named "${name}" in environment ${env.name}`,
        `use one of ${names.join(", ")}`,
        "verification.sentinel.database",
      );
  });
}
