/**
 * The operations part of the description (docs/operations.md): alert rules under `monitoring.alerts`,
 * the scheduled restore drill under `verification`.
 */
import { z } from "zod";
import { Duration, EnvVarName, formatMessage, Text } from "./common.js";

export const MonitoringAlerts = z.strictObject({
  for: Duration.optional().meta({ description: "How long a condition must hold before an alert fires (default 10m)." }),
  stallWindow: Duration.optional().meta({
    description:
      "Replication counts as stalled when the database changed in this window and nothing was uploaded (default 15m; must exceed the longest sync interval).",
  }),
  walSizeBytes: z
    .number()
    .int()
    .positive()
    .optional()
    .meta({ description: "Alert when a database's -wal file is larger than this many bytes (default 268435456, 256 MiB)." }),
  runbookUrl: Text.regex(
    /^https?:\/\/\S+$/,
    formatMessage(
      "the runbook URL is an http(s) URL without spaces",
      'e.g. "https://github.com/acme/app/blob/main/deploy/operations/RUNBOOK.md"',
      "url.invalid",
    ),
  )
    .optional()
    .meta({
      description:
        "Where the generated RUNBOOK.md is published; each alert links to its section there (default: the file's path in the repository).",
    }),
});

/** A plain SQL identifier: written double-quoted into the drill's query, so no quoting rules apply. */
const SqlIdentifier = Text.regex(
  /^[A-Za-z_][A-Za-z0-9_]*$/,
  formatMessage("a plain SQL identifier (letters, digits, _; not starting with a digit)", 'e.g. "litestream_sentinel"', "sql.identifier"),
);

export const Sentinel = z.strictObject({
  table: SqlIdentifier.meta({ description: 'The table the app writes its sentinel rows to (docs/operations.md, "Sentinel").' }),
  column: SqlIdentifier.meta({
    description: "The timestamp column: ISO 8601 text in UTC (e.g. strftime('%Y-%m-%dT%H:%M:%SZ','now')) or Unix seconds.",
  }),
  maxAge: Duration.optional().meta({
    description: "The drill fails when the restored copy's newest sentinel is older than this (default: verification.maxAge).",
  }),
  databases: z
    .array(Text)
    .min(1)
    .optional()
    .meta({ description: "Names of the databases that hold the sentinel (default: every database)." }),
});

export const Verification = z.strictObject({
  maxAge: Duration.optional().meta({ description: "The drill fails when the newest backup is older than this (default 25h)." }),
  schedule: Text.regex(
    /^[A-Za-z0-9 :*,./~-]+$/,
    formatMessage("a systemd OnCalendar= expression", 'e.g. "daily" or "*-*-* 04:00:00"', "schedule.invalid"),
  )
    .optional()
    .meta({ description: 'When the drill runs, as a systemd OnCalendar= expression (default "daily").' }),
  sentinel: Sentinel.optional().meta({
    description:
      "Freshness from a row the app writes: the drill checks the restored copy's newest timestamp. Without it the drill checks the newest backup file's time.",
  }),
  heartbeatUrl: z.strictObject({ env: EnvVarName }).optional().meta({
    description: "The drill pings this URL on success and <url>/fail on failure; read from the environment variable at run time.",
  }),
});

export const Runbook = z.boolean().meta({
  description: "Write RUNBOOK.md for the environment (default: when it has a target, monitoring.alerts or verification; false opts out).",
});

export type MonitoringAlertsConfig = z.output<typeof MonitoringAlerts>;
export type SentinelConfig = z.output<typeof Sentinel>;
export type VerificationConfig = z.output<typeof Verification>;
