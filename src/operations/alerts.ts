/**
 * Prometheus alert rules and the scrape config for one environment, on the metric names the chosen
 * release serves (docs/operations.md, "Alerts"), and the heartbeat sense check.
 */
import { stringify } from "yaml";
import type { IssueList } from "../errors.js";
import { hashHeader } from "../header.js";
import { configPathText, type EnvironmentPlan, type Plan, type Warning } from "../plan.js";
import type { ProjectConfig } from "../schema/project.js";
import { describeDuration } from "../duration.js";
import { longestSyncSeconds, promDuration, releaseAtLeast, type AlertSettings, type OperationsSettings } from "./settings.js";

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: "critical" | "warning" };
  annotations: { summary: string; description: string; runbook_url: string };
}

/** What each alert means and what to do: rendered into the runbook's "Alert:" sections. */
export interface AlertMeaning {
  alert: string;
  means: string;
  todo: string[];
}

/** A PromQL string literal. */
const promString = (value: string) => JSON.stringify(value);
/** An RE2 pattern matching exactly one of `values`. */
const exactly = (values: string[]) => values.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");

/** GitHub's anchor for a "## Alert: Name" heading. */
export const alertAnchor = (alert: string) => `alert-${alert.toLowerCase()}`;

/** Database paths whose replica uploads to S3 (the only type whose uploads 0.5 counts). */
function s3Databases(env: EnvironmentPlan): string[] {
  return env.databases.filter((db) => db.replicas.some((r) => r.type === "s3")).map((db) => configPathText(db.path));
}

export function alertRules(
  plan: Plan,
  env: EnvironmentPlan,
  settings: OperationsSettings,
  alerts: AlertSettings,
): { rules: AlertRule[]; meanings: AlertMeaning[]; omitted: string[] } {
  const job = `job=${promString(settings.job)}`;
  const window = promDuration(alerts.stallWindowSeconds);
  const wait = promDuration(alerts.forSeconds);
  const rules: AlertRule[] = [];
  const meanings: AlertMeaning[] = [];
  const omitted: string[] = [];
  const add = (
    rule: Omit<AlertRule, "annotations" | "for"> & { for?: string; summary: string; description: string },
    meaning: Omit<AlertMeaning, "alert">,
  ) => {
    rules.push({
      alert: rule.alert,
      expr: rule.expr,
      for: rule.for ?? wait,
      labels: rule.labels,
      annotations: { summary: rule.summary, description: rule.description, runbook_url: `${alerts.runbookUrl}#${alertAnchor(rule.alert)}` },
    });
    meanings.push({ alert: rule.alert, ...meaning });
  };
  const v05 = plan.litestream.version === "0.5";

  add(
    {
      alert: "LitestreamMetricsDown",
      expr: `up{${job}} == 0`,
      labels: { severity: "critical" },
      summary: `Litestream (${env.name}) does not answer on /metrics at {{ $labels.instance }}`,
      description:
        "Prometheus cannot scrape Litestream: the process is down, or its metrics address is not reachable. Nothing is known about the backups.",
    },
    {
      means:
        "Prometheus reaches the target but gets no metrics: Litestream is not running, or `addr` is not bound (a metrics address that cannot be bound only logs an error; replication may go on).",
      todo: [
        "Check the status commands above and the log for `addr`.",
        "Start Litestream (see Status for its log) and watch the log for the first sync.",
      ],
    },
  );
  add(
    {
      alert: "LitestreamMetricsAbsent",
      expr: `absent(up{${job}})`,
      labels: { severity: "critical" },
      summary: `No Litestream target of ${env.name} is scraped (job ${settings.job})`,
      description: "Prometheus has no target for this job: the scrape config is missing or its service discovery finds nothing.",
    },
    {
      means: `Prometheus does not scrape job \`${settings.job}\` at all.`,
      todo: [
        "Add the generated scrape config to prometheus.yml and reload Prometheus.",
        "Check that the target's host and port reach Litestream's `addr`.",
      ],
    },
  );

  if (v05) {
    const dbs = s3Databases(env);
    if (dbs.length) {
      const only = dbs.length === env.databases.length ? "" : `, db=~${promString(exactly(dbs))}`;
      add(
        {
          alert: "LitestreamReplicationStalled",
          expr: `increase(litestream_txid{${job}${only}}[${window}]) > 0 unless on(instance) sum by (instance) (increase(litestream_replica_operation_total{${job}, operation="PUT"}[${window}])) > 0`,
          labels: { severity: "critical" },
          summary: `Litestream (${env.name}): {{ $labels.db }} changes but nothing was uploaded for ${window}`,
          description: `The transaction id of {{ $labels.db }} rose in the last ${window} while the process made no PUT to its S3 replica. During a storage outage 0.5 logs nothing and counts no sync error: this is the only signal. Changes since the last upload are not backed up.`,
        },
        {
          means: `A database changed in the last ${window} and Litestream uploaded nothing (no S3 PUT). Litestream ${plan.litestream.release} logs nothing and counts no sync error while storage is unreachable: it keeps the changes locally and uploads the backlog when storage is back. The PUT counter is per process (it has no \`db\` label): with several databases, a stall of one while another uploads is not seen.`,
          todo: [
            "Check the storage: endpoint reachable from the host, credentials valid (see Rotate credentials), bucket exists.",
            "Run the drill (Rehearse): it is inconclusive while storage is unreachable.",
            "Keep the app running: nothing is lost while the local WAL holds the changes; do not delete -wal files.",
          ],
        },
      );
    } else
      omitted.push(
        `LitestreamReplicationStalled: no database of ${env.name} has an S3 replica, and Litestream 0.5 counts uploads (litestream_replica_operation_total) for S3 only: a file replica records none, so a stall cannot be told from the metrics. The restore drill's freshness check covers it.`,
      );
  } else {
    add(
      {
        alert: "LitestreamReplicationStalled",
        expr: `increase(litestream_replica_wal_bytes{${job}}[${window}]) == 0 and on(instance, db) increase(litestream_total_wal_bytes{${job}}[${window}]) > 0`,
        labels: { severity: "critical" },
        summary: `Litestream (${env.name}): {{ $labels.db }} grows its WAL but replica {{ $labels.name }} received nothing for ${window}`,
        description: `WAL bytes of {{ $labels.db }} rose in the last ${window} while replica {{ $labels.name }} was sent none. Changes since then are not backed up.`,
      },
      {
        means: `The database's WAL grew in the last ${window} (litestream_total_wal_bytes) but the replica received no WAL bytes (litestream_replica_wal_bytes).`,
        todo: [
          "Check the storage: endpoint reachable, credentials valid (see Rotate credentials), bucket exists.",
          "Read the log for sync errors.",
          "Run the drill (Rehearse).",
        ],
      },
    );
  }
  add(
    {
      alert: "LitestreamSyncErrors",
      expr: `increase(litestream_sync_error_count{${job}}[${window}]) > 0`,
      labels: { severity: "warning" },
      summary: `Litestream (${env.name}): sync errors on {{ $labels.db }}`,
      description: `Litestream counted sync errors on {{ $labels.db }} in the last ${window}.`,
    },
    {
      means: "Litestream failed to sync the database's WAL (a local problem: permissions, a locked or corrupt database, disk).",
      todo: [
        "Read the log around the errors.",
        "Check that Litestream can write the database's directory (it needs write access for -wal, -shm and its meta directory).",
      ],
    },
  );
  add(
    {
      alert: "LitestreamCheckpointErrors",
      expr: `increase(litestream_checkpoint_error_count{${job}}[${window}]) > 0`,
      labels: { severity: "warning" },
      summary: `Litestream (${env.name}): checkpoint errors on {{ $labels.db }}`,
      description: `Litestream failed to checkpoint {{ $labels.db }} in the last ${window}; its WAL keeps growing.`,
    },
    {
      means:
        "Litestream could not checkpoint the WAL into the database (often a long-running read transaction in the app). This counter exists only after its first error.",
      todo: ["Look for long transactions in the app; set `PRAGMA busy_timeout = 5000` in the app.", "Watch LitestreamWalTooLarge."],
    },
  );
  add(
    {
      alert: "LitestreamWalTooLarge",
      expr: `litestream_wal_size{${job}} > ${alerts.walSizeBytes}`,
      labels: { severity: "warning" },
      summary: `Litestream (${env.name}): the WAL of {{ $labels.db }} is {{ $value | humanize1024 }}B`,
      description: `The -wal file of {{ $labels.db }} is larger than ${alerts.walSizeBytes} bytes: checkpoints are not keeping up.`,
    },
    {
      means: `The database's -wal file is above ${alerts.walSizeBytes} bytes: checkpoints do not keep up, or Litestream cannot upload and holds the WAL.`,
      todo: ["Check LitestreamCheckpointErrors and LitestreamReplicationStalled.", "Look for long-running read transactions in the app."],
    },
  );
  if (v05 && releaseAtLeast(plan, "0.5.15")) {
    add(
      {
        alert: "LitestreamDiskFull",
        expr: `litestream_disk_full{${job}} > 0`,
        for: "1m",
        labels: { severity: "critical" },
        summary: `Litestream (${env.name}): the disk of {{ $labels.db }} is full`,
        description:
          "Litestream reports the disk under the database as full: it cannot write its LTX files, and the app's writes fail soon.",
      },
      {
        means: "Litestream could not write to the disk of the database (ENOSPC).",
        todo: [
          "Free space on the volume (never the database, -wal or -shm files).",
          "Watch the log: replication resumes when space is back.",
        ],
      },
    );
  } else if (v05)
    omitted.push(`LitestreamDiskFull: litestream_disk_full is served from 0.5.15; this environment runs ${plan.litestream.release}.`);
  if (v05 && releaseAtLeast(plan, "0.5.7")) {
    add(
      {
        alert: "LitestreamL0NotCompacted",
        expr: `delta(litestream_l0_retention_files_total{${job}, status="not_compacted"}[${window}]) > 0`,
        for: promDuration(Math.max(alerts.forSeconds, 1800)),
        labels: { severity: "warning" },
        summary: `Litestream (${env.name}): level-0 files of {{ $labels.db }} are not being compacted`,
        description:
          "The count of level-0 files not yet compacted keeps growing: compaction is stuck (often storage errors), and the replica accumulates small files.",
      },
      {
        means: "Level-0 files accumulate faster than compaction folds them into level 1.",
        todo: ["Read the log for compaction errors.", "Check the storage as for LitestreamReplicationStalled."],
      },
    );
  } else if (v05)
    omitted.push(
      `LitestreamL0NotCompacted: litestream_l0_retention_files_total is served from 0.5.7; this environment runs ${plan.litestream.release}.`,
    );
  return { rules, meanings, omitted };
}

export function renderAlertRules(plan: Plan, env: EnvironmentPlan, settings: OperationsSettings, alerts: AlertSettings): string {
  const { rules, omitted } = alertRules(plan, env, settings, alerts);
  const head = [
    hashHeader(`Prometheus alert rules for Litestream ${plan.litestream.release}, environment ${env.name}`),
    "# Every metric name below is one this release serves (docs/operations.md). Check: promtool check rules <this file>",
    ...omitted.map((line) => `# Not included: ${line}`),
  ];
  const body = stringify({ groups: [{ name: settings.job, rules }] }, { lineWidth: 0 });
  return `${head.join("\n")}\n${body}`;
}

/** Where Prometheus reaches this environment's metrics address. */
export function scrapeTarget(env: EnvironmentPlan): { target: string; note: string } {
  const addr = env.monitoring!.addr;
  const port = addr.slice(addr.lastIndexOf(":") + 1);
  const host = addr.slice(0, addr.lastIndexOf(":"));
  if (env.targets.compose)
    return {
      target: `litestream:${port}`,
      note: "the litestream service on the Compose network (run Prometheus on that network, or publish the port)",
    };
  const kamalHost = typeof env.targets.kamal?.host === "string" ? env.targets.kamal.host : undefined;
  if (env.targets.kamal)
    return {
      target: `${kamalHost ?? "APP_HOST"}:${port}`,
      note: kamalHost
        ? "the accessory's host (publish the port with the accessory's `port:` or scrape from the host's network)"
        : "replace APP_HOST with the host the accessory runs on",
    };
  const reachable = host && host !== "0.0.0.0" && host !== "[::]" ? host : "localhost";
  return {
    target: `${reachable}:${port}`,
    note: reachable === "localhost" || reachable.startsWith("127.") ? "Prometheus on the same host" : "the metrics address",
  };
}

export function renderScrapeConfig(plan: Plan, env: EnvironmentPlan, settings: OperationsSettings): string {
  const { target, note } = scrapeTarget(env);
  const head = [
    hashHeader(`Prometheus scrape config for Litestream, environment ${env.name}`),
    `# Add under scrape_configs: in prometheus.yml. Target: ${note}.`,
  ];
  const body = stringify({ scrape_configs: [{ job_name: settings.job, static_configs: [{ targets: [target] }] }] }, { lineWidth: 0 });
  return `${head.join("\n")}\n${body}`;
}

/**
 * The heartbeat is sent only when every database synced within `heartbeat.interval`, so an interval
 * at or below the longest sync interval never pings (docs/operations.md, "Heartbeat").
 */
export function checkHeartbeat(project: ProjectConfig, plan: Plan, env: EnvironmentPlan, issues: IssueList, warnings: Warning[]): void {
  if (!env.heartbeat) return;
  const own = project.environments?.[env.name]?.heartbeat;
  const base = own ? ["environments", env.name, "heartbeat"] : ["heartbeat"];
  const intervalMs = env.heartbeat.interval?.ms ?? 300_000;
  const syncSeconds = longestSyncSeconds(env);
  if (intervalMs / 1000 <= syncSeconds) {
    issues.add(
      env.heartbeat.interval ? [...base, "interval"] : base,
      `the heartbeat interval ${describeDuration(intervalMs)} is not longer than the longest sync interval ${describeDuration(syncSeconds * 1000)}: Litestream pings only when every database synced within the interval, so it would never ping`,
      `set heartbeat.interval above ${describeDuration(syncSeconds * 1000)}, e.g. "${promDuration(Math.max(60, syncSeconds * 2))}"`,
      "heartbeat.interval-too-short",
    );
  }
  if (!releaseAtLeast(plan, "0.5.13")) {
    warnings.push({
      path: base,
      message: `Litestream ${plan.litestream.release} counts a database that had no writes as not synced, so one idle database stops the heartbeat; 0.5.13 counts idle databases (pin 0.5.13 or later)`,
    });
  }
}

export function alertsWindowIssue(env: EnvironmentPlan, alerts: AlertSettings, issues: IssueList): void {
  const sync = longestSyncSeconds(env);
  if (alerts.stallWindowSeconds <= sync * 2) {
    issues.add(
      [...alerts.at, "stallWindow"],
      `the stall window ${promDuration(alerts.stallWindowSeconds)} is not longer than two sync intervals (${promDuration(sync)}): an idle moment between syncs would read as a stall`,
      `set stallWindow to at least ${promDuration(Math.max(900, sync * 3))}`,
      "alerts.stall-window",
    );
  }
}
