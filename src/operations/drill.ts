/**
 * The restore drill (docs/operations.md, "Restore drill"): a POSIX sh script, a systemd timer and
 * service that run it, and a Compose service under the `drill` profile.
 */
import path from "node:path/posix";
import { stringify } from "yaml";
import { describeDuration } from "../duration.js";
import { hashHeader } from "../header.js";
import type { EnvironmentPlan, Plan } from "../plan.js";
import { shellWord } from "../render/quote/sh.js";
import { renderTemplate } from "../templates.js";
import { DEFAULT_BINARY } from "../targets/systemd/settings.js";
import type { Runner } from "./runner.js";
import { releaseAtLeast, type OperationsSettings, type VerificationSettings } from "./settings.js";

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
  /** Which schedulers are written: Compose with the compose target, systemd otherwise or with the systemd target. */
  schedulers: Array<"systemd" | "compose">;
}

/** 0.5.10+ checks integrity inside `restore`; before that the drill runs PRAGMA integrity_check. */
export const builtinIntegrity = (plan: Plan) => plan.litestream.version === "0.5" && releaseAtLeast(plan, "0.5.10");

export function drillFiles(plan: Plan, env: EnvironmentPlan, settings: OperationsSettings, verification: VerificationSettings, runner: Runner): DrillFiles {
  const several = plan.environments.length > 1;
  const unitBase = several ? `litestream-drill-${env.name}` : "litestream-drill";
  const scriptName = `${unitBase}.sh`;
  const scriptPath = path.join(settings.dir, scriptName);
  // Beside compose.yaml: Compose resolves the service's relative paths against the project root.
  const composePath = several ? `compose.drill.${env.name}.yaml` : "compose.drill.yaml";
  const script = renderTemplate("operations-drill.sh.hbs", {
    header: hashHeader(`restore drill, environment ${env.name}`),
    release: plan.litestream.release,
    environment: env.name,
    integrityHow: builtinIntegrity(plan) ? "restore -integrity-check full" : "sqlite3 PRAGMA integrity_check",
    maxAgeText: describeDuration(verification.maxAgeSeconds * 1000),
    maxAgeSeconds: verification.maxAgeSeconds,
    defaultConfig: runner.config,
    configLine: `config=\${LITESTREAM_CONFIG:-${shellWord(runner.config)}}`,
    heartbeatEnv: verification.heartbeatEnv ?? "",
    v05: plan.litestream.version === "0.5",
    builtinIntegrity: builtinIntegrity(plan),
    restoreFlags: builtinIntegrity(plan) ? " -integrity-check full" : "",
    databases: env.databases.map((db) => ({ path: shellWord(db.path), name: shellWord(db.name) })),
  });
  return {
    script,
    scriptPath,
    unitBase,
    schedulers: [...(env.targets.systemd || !env.targets.compose ? (["systemd"] as const) : []), ...(env.targets.compose ? (["compose"] as const) : [])],
    service: systemdService(plan, env, unitBase, scriptName, runner),
    servicePath: path.join(settings.dir, `${unitBase}.service`),
    timer: systemdTimer(env, unitBase, verification),
    timerPath: path.join(settings.dir, `${unitBase}.timer`),
    compose: composeService(plan, env, settings, scriptPath, composePath),
    composePath,
  };
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
  const service = {
    image: plan.litestream.image,
    profiles: [DRILL_PROFILE],
    restart: "no",
    entrypoint: ["/bin/sh", "/drill/litestream-drill.sh"],
    environment,
    volumes: [`${fromRoot(env.configFile)}:/etc/litestream.yml:ro`, `${fromRoot(scriptPath)}:/drill/litestream-drill.sh:ro`],
  };
  const head = [
    hashHeader(`restore drill as a Compose service, environment ${env.name}`),
    `# Run from the project root: ${composeDrillCommand(composePath)}`,
    "# It mounts no data volume: the restore goes to a temporary file inside the container.",
  ];
  return `${head.join("\n")}\n${stringify({ services: { [DRILL_SERVICE]: service } }, { lineWidth: 0 })}`;
}
