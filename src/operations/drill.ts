/**
 * The restore drill (docs/operations.md, "Restore drill"): a POSIX sh script, a systemd timer and
 * service that run it, and a Compose service under the `drill` profile.
 */
import path from "node:path/posix";
import { stringify } from "yaml";
import { describeDuration } from "../duration.js";
import { hashHeader, headerLines } from "../header.js";
import { configPathText, type EnvironmentPlan, type Plan } from "../plan.js";
import { shellWord } from "../render/quote/sh.js";
import { renderTemplate } from "../templates.js";
import { DEFAULT_BINARY } from "../targets/systemd/settings.js";
import type { Runner } from "./runner.js";
import { releaseAtLeast, type OperationsSettings, type SentinelSettings, type VerificationSettings } from "./settings.js";

/** Where the systemd service expects the drill script on the host. */
export const DRILL_INSTALL_DIR = "/usr/local/lib/litestream-deploy";
export const DRILL_PROFILE = "drill";
export const DRILL_SERVICE = "litestream-drill";

export interface DrillFiles {
  script: string;
  scriptPath: string;
  service: string;
  servicePath: string;
  timer: string;
  timerPath: string;
  compose: string;
  composePath: string;
  /** The systemd unit names (without directory). */
  unitBase: string;
  /**
   * Which schedulers apply: systemd with the systemd target (or no target: the host), Compose's
   * `drill` profile, the Kamal drill accessory, a cron line on the entrypoint container's host.
   */
  schedulers: Array<"systemd" | "compose" | "kamal" | "entrypoint">;
  /** The Kamal drill accessory's file and commands (set by renderOperations); `copy`: the user copies it into the deploy file. */
  kamal?: { path: string; copy: boolean; boot: string; runNow: string; logs: string };
  /** The CI workflow's path, or why there is none. */
  ci?: string;
  ciSkipped?: string;
}

/** 0.5.10+ checks integrity inside `restore`; before that the drill runs PRAGMA integrity_check. */
export const builtinIntegrity = (plan: Plan) => plan.litestream.version === "0.5" && releaseAtLeast(plan, "0.5.10");

/** The drill reads the restored copy with sqlite3: integrity before 0.5.10, and the sentinel. */
export const needsSqlite = (plan: Plan, verification: VerificationSettings) => !builtinIntegrity(plan) || Boolean(verification.sentinel);

/** The official images ship sqlite3 from 0.5.7 (debian-slim); the 0.3 ones (alpine) do not. */
function imageHasSqlite(plan: Plan): boolean {
  const image = plan.litestream.image;
  const tag = image.slice(image.lastIndexOf(":") + 1).replace(/@.*$/, "");
  return (
    /^(docker\.io\/)?litestream\/litestream:/.test(image) &&
    plan.litestream.version === "0.5" &&
    releaseAtLeast(plan, "0.5.7") &&
    !tag.includes("scratch")
  );
}

/** sh that installs sqlite3 in the image when missing (apk on alpine, apt-get on debian); the drill says so if it still is. */
export const sqliteForImage = () =>
  "command -v sqlite3 >/dev/null 2>&1 || apk add --no-cache sqlite >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq sqlite3; } >/dev/null 2>&1 || true";

/** What runs before the drill in a container of the pinned image (empty when nothing is needed). */
export function containerPrelude(plan: Plan, verification: VerificationSettings): string {
  return needsSqlite(plan, verification) && !imageHasSqlite(plan) ? sqliteForImage() : "";
}

export function drillFiles(
  plan: Plan,
  env: EnvironmentPlan,
  settings: OperationsSettings,
  verification: VerificationSettings,
  runner: Runner,
): DrillFiles {
  const several = plan.environments.length > 1;
  const unitBase = several ? `litestream-drill-${env.name}` : "litestream-drill";
  const scriptName = `${unitBase}.sh`;
  const scriptPath = path.join(settings.dir, scriptName);
  // Beside compose.yaml: Compose resolves the service's relative paths against the project root.
  const composePath = several ? `compose.drill.${env.name}.yaml` : "compose.drill.yaml";
  const sentinelNames = new Set(verification.sentinel?.databases);
  const script = renderTemplate("operations-drill.sh.hbs", {
    header: hashHeader(`restore drill, environment ${env.name}`),
    release: plan.litestream.release,
    environment: env.name,
    integrityHow: builtinIntegrity(plan) ? "restore -integrity-check full" : "sqlite3 PRAGMA integrity_check",
    maxAgeText: describeDuration(verification.maxAgeSeconds * 1000),
    freshnessText: freshnessText(env, verification),
    sentinel: verification.sentinel ? sentinelFields(verification.sentinel) : false,
    maxAgeSeconds: verification.maxAgeSeconds,
    defaultConfig: runner.config,
    configLine: `config=\${LITESTREAM_CONFIG:-${shellWord(runner.config)}}`,
    heartbeatEnv: verification.heartbeatEnv ?? "",
    v05: plan.litestream.version === "0.5",
    builtinIntegrity: builtinIntegrity(plan),
    restoreFlags: builtinIntegrity(plan) ? " -integrity-check full" : "",
    databases: env.databases.map((db) => ({
      path: shellWord(configPathText(db.path)),
      name: shellWord(db.name),
      freshness: sentinelNames.has(db.name) ? "sentinel" : "backup",
    })),
  });
  return {
    script,
    scriptPath,
    unitBase,
    schedulers: schedulersOf(env),
    service: systemdService(plan, env, unitBase, scriptName, runner),
    servicePath: path.join(settings.dir, `${unitBase}.service`),
    timer: systemdTimer(env, unitBase, verification),
    timerPath: path.join(settings.dir, `${unitBase}.timer`),
    compose: composeService(plan, env, settings, scriptPath, composePath),
    composePath,
  };
}

function schedulersOf(env: EnvironmentPlan): DrillFiles["schedulers"] {
  const t = env.targets;
  const host = !t.compose && !t.kamal && !t.entrypoint;
  return [
    ...(t.systemd || host ? (["systemd"] as const) : []),
    ...(t.compose ? (["compose"] as const) : []),
    ...(t.kamal ? (["kamal"] as const) : []),
    ...(t.entrypoint ? (["entrypoint"] as const) : []),
  ];
}

/** One line for the script's head: which freshness check each database gets. */
function freshnessText(env: EnvironmentPlan, verification: VerificationSettings): string {
  const backup = `the newest backup at most ${describeDuration(verification.maxAgeSeconds * 1000)} old`;
  const sentinel = verification.sentinel;
  if (!sentinel) return `${backup} (no sentinel configured)`;
  const s = `the newest ${sentinel.table}.${sentinel.column} in the restored copy at most ${describeDuration(sentinel.maxAgeSeconds * 1000)} old`;
  const names = new Set(sentinel.databases);
  const rest = env.databases.filter((db) => !names.has(db.name));
  return rest.length ? `${s} (${sentinel.databases.join(", ")}); ${backup} (${rest.map((db) => db.name).join(", ")})` : s;
}

/**
 * The sentinel query prints the newest timestamp as Unix seconds: '' with no row, 'unreadable' when
 * SQLite cannot read it as a time. Identifiers are plain (schema), so double quotes suffice.
 */
export function sentinelQuery(sentinel: SentinelSettings): string {
  const v = "v";
  return `SELECT CASE WHEN ${v} IS NULL THEN '' WHEN typeof(${v}) IN ('integer', 'real') THEN CAST(${v} AS INTEGER) ELSE coalesce(CAST(strftime('%s', ${v}) AS INTEGER), 'unreadable') END FROM (SELECT max("${sentinel.column}") AS ${v} FROM "${sentinel.table}");`;
}

function sentinelFields(sentinel: SentinelSettings) {
  return {
    label: `${sentinel.table}.${sentinel.column}`,
    query: shellWord(sentinelQuery(sentinel)),
    maxAgeSeconds: sentinel.maxAgeSeconds,
    maxAgeText: describeDuration(sentinel.maxAgeSeconds * 1000),
  };
}

/**
 * What the app side runs to write the sentinel (never the drill): one row, replaced on every write.
 * docs/operations.md, "Sentinel".
 */
export function sentinelSql(sentinel: SentinelSettings): string {
  return `INSERT OR REPLACE INTO "${sentinel.table}" (rowid, "${sentinel.column}") VALUES (1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));`;
}

export function renderSentinelSql(env: EnvironmentPlan, sentinel: SentinelSettings, path: string): string {
  const byName = new Map(env.databases.map((db) => [db.name, db]));
  const lines = [
    `-- ${headerLines(`sentinel writer, environment ${env.name}`).join(" ")}`,
    "-- Run by the app side (never by the drill), more often than the drill's bound, e.g. from cron:",
    ...sentinel.databases.map(
      (name) => `--   sqlite3 ${shellWord(configPathText(byName.get(name)?.path ?? { kind: "literal", value: name }))} < ${path}`,
    ),
    '-- or run the INSERT from the app\'s own connection after its migrations (docs/operations.md, "Sentinel").',
    "PRAGMA busy_timeout = 5000;",
    `CREATE TABLE IF NOT EXISTS "${sentinel.table}" ("${sentinel.column}" TEXT NOT NULL);`,
    sentinelSql(sentinel),
  ];
  return `${lines.join("\n")}\n`;
}

function systemdService(plan: Plan, env: EnvironmentPlan, unitBase: string, scriptName: string, runner: Runner): string {
  const systemd = env.targets.systemd;
  const binary = systemd?.binary ?? DEFAULT_BINARY;
  const envFile = runner.target === "systemd" ? runner.config.replace(/\.yml$/, ".env") : undefined;
  const lines = [
    hashHeader(`restore drill service, environment ${env.name}`),
    `# Install: copy ${scriptName} to ${DRILL_INSTALL_DIR}/, this unit and ${unitBase}.timer to /etc/systemd/system/,`,
    `# then: sudo systemctl daemon-reload && sudo systemctl enable --now ${unitBase}.timer`,
    `# Run now: sudo systemctl start ${unitBase}.service; result: journalctl -u ${unitBase}.service`,
    "[Unit]",
    `Description=Litestream restore drill (${plan.name}, ${env.name})`,
    "After=network-online.target",
    "Wants=network-online.target",
    "",
    "[Service]",
    "Type=oneshot",
    `User=${systemd?.user ?? "litestream"}`,
    ...(envFile ? ["# The replicating unit's credentials.", `EnvironmentFile=${envFile}`] : []),
    `Environment=LITESTREAM_CONFIG=${runner.target === "systemd" ? runner.config : "/etc/litestream.yml"}`,
    `Environment=LITESTREAM_BIN=${binary}`,
    // The drill writes only its temporary directory; everything else is read-only to it.
    "PrivateTmp=yes",
    "ProtectSystem=strict",
    "ProtectHome=read-only",
    "NoNewPrivileges=yes",
    `ExecStart=/bin/sh ${DRILL_INSTALL_DIR}/${scriptName}`,
  ];
  return `${lines.join("\n")}\n`;
}

function systemdTimer(env: EnvironmentPlan, unitBase: string, verification: VerificationSettings): string {
  const lines = [
    hashHeader(`restore drill timer, environment ${env.name}`),
    "[Unit]",
    `Description=Run the Litestream restore drill (${env.name})`,
    "",
    "[Timer]",
    `OnCalendar=${verification.schedule}`,
    "# A run missed while the host was off runs at the next boot.",
    "Persistent=true",
    "RandomizedDelaySec=15m",
    `Unit=${unitBase}.service`,
    "",
    "[Install]",
    "WantedBy=timers.target",
  ];
  return `${lines.join("\n")}\n`;
}

/** Compose resolves relative paths against the directory of the first -f file: the project root. */
const fromRoot = (file: string) => (file.startsWith("../") ? file : `./${file}`);

/** The command that runs the drill's Compose service, from the project root. */
export const composeDrillCommand = (composePath: string) => `docker compose -f ${shellWord(composePath)} run --rm ${DRILL_SERVICE}`;

function composeService(plan: Plan, env: EnvironmentPlan, settings: OperationsSettings, scriptPath: string, composePath: string): string {
  const environment: Record<string, string> = { LITESTREAM_CONFIG: "/etc/litestream.yml" };
  for (const variable of env.env) {
    const source = variable.source.kind === "env" ? variable.source.name : variable.name;
    environment[variable.name] = `\${${source}:?${variable.purpose}; set it in the environment of docker compose}`;
  }
  if (settings.verification?.heartbeatEnv) environment[settings.verification.heartbeatEnv] = `\${${settings.verification.heartbeatEnv}:-}`;
  const prelude = settings.verification ? containerPrelude(plan, settings.verification) : "";
  const service = {
    image: plan.litestream.image,
    profiles: [DRILL_PROFILE],
    restart: "no",
    entrypoint: prelude ? ["/bin/sh", "-c", `${prelude}; exec sh /drill/litestream-drill.sh`] : ["/bin/sh", "/drill/litestream-drill.sh"],
    environment,
    volumes: [`${fromRoot(env.configFile)}:/etc/litestream.yml:ro`, `${fromRoot(scriptPath)}:/drill/litestream-drill.sh:ro`],
  };
  const head = [
    hashHeader(`restore drill as a Compose service, environment ${env.name}`),
    `# Run from the project root: ${composeDrillCommand(composePath)}`,
    "# It mounts no data volume: the restore goes to a temporary file inside the container.",
  ];
  // Quoted: a YAML 1.1 reader would see the boolean false (docs/compose.md).
  const body = stringify({ services: { [DRILL_SERVICE]: service } }, { lineWidth: 0 }).replace(/^(\s+restart: )no$/m, '$1"no"');
  return `${head.join("\n")}\n${body}`;
}
