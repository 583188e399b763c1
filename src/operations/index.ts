/**
 * Operations artifacts of one environment (docs/operations.md): alert rules and the scrape config
 * with `monitoring.alerts`; the restore drill with `verification`; RUNBOOK.md with either (or `runbook`).
 */
import type { Artifact, ExistingFileReader } from "../artifact.js";
import type { IssueList } from "../errors.js";
import type { EnvironmentPlan, Plan, Warning } from "../plan.js";
import type { ProjectConfig } from "../schema/project.js";
import { isScratch } from "../targets/compose/sidecar.js";
import { alertRules, alertsWindowIssue, checkHeartbeat, renderAlertRules, renderScrapeConfig } from "./alerts.js";
import { drillFiles } from "./drill.js";
import { renderRunbook } from "./runbook.js";
import { runnerFor } from "./runner.js";
import { operationsSettings } from "./settings.js";

export interface OperationsContext {
  project: ProjectConfig;
  plan: Plan;
  env: EnvironmentPlan;
  existing: ExistingFileReader;
  issues: IssueList;
  warnings: Warning[];
}

export function renderOperations(ctx: OperationsContext): Artifact[] {
  const { project, plan, env, issues } = ctx;
  const settings = operationsSettings(project, plan, env);
  const runner = runnerFor(plan, env, ctx.existing);
  const files: Artifact[] = [];
  const file = (path: string, content: string, kind: Artifact["kind"], mode?: number): Artifact => ({ path, content, kind, ownership: "generated", environment: env.name, ...(mode ? { mode } : {}) });
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
      issues.add(settings.verification!.at, `${plan.litestream.image} has no shell, so the restore drill cannot run in it`, `pin the non-scratch tag litestream/litestream:${plan.litestream.release}`, "verification.scratch");
    }
    files.push(file(drill.scriptPath, drill.script, "drill-script", 0o755));
    if (drill.schedulers.includes("systemd")) files.push(file(drill.servicePath, drill.service, "drill-unit"), file(drill.timerPath, drill.timer, "drill-unit"));
    if (drill.schedulers.includes("compose")) files.push(file(drill.composePath, drill.compose, "compose-drill"));
  }
  if (settings.runbook) files.push(file(settings.runbookPath, renderRunbook({ plan, env, settings, runner, meanings, ...(drill ? { drill } : {}) }), "runbook"));
  return files;
}
