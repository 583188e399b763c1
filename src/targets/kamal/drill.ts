/**
 * The restore drill as a second Kamal accessory, `litestream-drill` (docs/operations.md, "Restore
 * drill"): the same image, host, config file and secrets as the `litestream` accessory, plus the drill
 * script; a /bin/sh loop runs the drill, then sleeps for the schedule's period. It mounts no data
 * volume (a file replica's volume read-only), so it cannot touch the live databases.
 */
import { Pair, Scalar, YAMLMap, stringify } from "yaml";
import { envBindings } from "../../env-mapping.js";
import { IssueList, type IssuePath } from "../../errors.js";
import { headerLines } from "../../header.js";
import type { EnvironmentPlan, Plan } from "../../plan.js";
import { shellWord } from "../../render/quote/sh.js";
import { ACCESSORY_NAME, secretEntry } from "./accessory.js";
import { CONTAINER_CONFIG_PATH } from "./restore-command.js";
import { kamalSupports, validateKamalAccessory } from "./rules.js";
import { destinationFlag, resolveKamalSettings } from "./settings.js";

export const DRILL_ACCESSORY = "litestream-drill";
/** Where the accessory mounts the drill script. */
export const DRILL_SCRIPT_IN_CONTAINER = "/drill/litestream-drill.sh";

/** systemd's shorthand calendar names the loop can repeat exactly. */
const PERIODS: Readonly<Record<string, number>> = { hourly: 3600, daily: 86400, weekly: 604800 };

export interface KamalDrillInput {
  plan: Plan;
  env: EnvironmentPlan;
  scriptPath: string;
  schedule: string;
  heartbeatEnv?: string;
  /** sh run once before the loop (installs sqlite3 when the image lacks it and the drill needs it). */
  prelude: string;
  /** `verification` in the description, for issues. */
  at: IssuePath;
}

export interface KamalDrill {
  path: string;
  content: string;
  /** Operator commands (for the runbook). */
  boot: string;
  runNow: string;
  logs: string;
}

export type KamalDrillResult = KamalDrill | { problem: string; fix: string; at: IssuePath };

export const kamalDrillPath = (destination?: string) => (destination ? `config/litestream-drill-accessory.${destination}.yml` : "config/litestream-drill-accessory.yml");

/** The loop the accessory's /bin/sh runs: the drill, then a sleep a `docker stop` interrupts at once. */
export function drillLoop(periodSeconds: number, prelude = ""): string {
  return `trap 'kill $! 2>/dev/null; exit 0' TERM INT; ${prelude ? `${prelude}; ` : ""}while :; do sh ${DRILL_SCRIPT_IN_CONTAINER}; sleep ${periodSeconds} & wait $!; done`;
}

export function kamalDrill(input: KamalDrillInput): KamalDrillResult | undefined {
  const { plan, env } = input;
  const settings = resolveKamalSettings(plan, env, new IssueList());
  if (!settings) return undefined;
  const period = PERIODS[input.schedule];
  if (period === undefined) {
    return {
      problem: `the Kamal drill accessory repeats the drill at a fixed period, and "${input.schedule}" is not one of ${Object.keys(PERIODS).join(", ")}`,
      fix: 'set schedule to "daily" (or hourly, weekly)',
      at: [...input.at, "schedule"],
    };
  }
  const aliases = kamalSupports(settings.version, "secretAliases");
  const readOnly = kamalSupports(settings.version, "readOnlyFiles") ? ":ro" : "";
  const secrets = [...envBindings(env).map((b) => secretEntry(b, aliases)), ...(input.heartbeatEnv ? [input.heartbeatEnv] : [])];
  const fileReplica = env.databases.some((db) => db.replicas.some((r) => r.type === "file"));
  const value: Record<string, unknown> = { image: plan.litestream.image };
  value[settings.hostSelector[0]] = settings.hostSelector[1];
  if (fileReplica) value.volumes = [`${settings.volume.spec}:ro`];
  value.files = [`${env.configFile}:${CONTAINER_CONFIG_PATH}${readOnly}`, `${input.scriptPath}:${DRILL_SCRIPT_IN_CONTAINER}${readOnly}`];
  if (secrets.length || Object.keys(settings.env).length) {
    value.env = { ...(Object.keys(settings.env).length ? { clear: { ...settings.env } } : {}), ...(secrets.length ? { secret: secrets } : {}) };
  }
  value.options = { entrypoint: "/bin/sh" };
  value.cmd = `-c ${shellWord(drillLoop(period, input.prelude))}`;
  const findings = validateKamalAccessory(value, settings.version);
  if (findings.length) {
    const f = findings[0]!;
    return { problem: `Kamal ${settings.version} refuses accessories/${DRILL_ACCESSORY}/${f.path.join("/")}: ${f.message}`, fix: "change the Kamal target's settings it copies (see accessories/litestream)", at: input.at };
  }
  const d = destinationFlag(settings.destination);
  const drill = {
    boot: `kamal accessory boot ${DRILL_ACCESSORY}${d}`,
    runNow: `kamal accessory exec ${DRILL_ACCESSORY}${d} --reuse ${shellWord(`sh ${DRILL_SCRIPT_IN_CONTAINER}`)}`,
    logs: `kamal accessory logs ${DRILL_ACCESSORY}${d} --lines 100`,
  };
  const usage = [
    `Copy accessories.${DRILL_ACCESSORY} below into ${settings.destination ? `config/deploy.${settings.destination}.yml` : "config/deploy.yml"}, next to accessories.${ACCESSORY_NAME}, then:`,
    `  ${drill.boot}`,
    `It runs the drill at boot and then every ${period} seconds (verification.schedule "${input.schedule}"); results and verdicts:`,
    `  ${drill.logs}`,
    `Run it now: ${drill.runNow}`,
    "Same image, host, config and secrets as accessories.litestream; no data volume" + (fileReplica ? " (the volume read-only, for the file replica)" : "") + ": the live databases are never touched.",
    ...(input.heartbeatEnv ? [`${input.heartbeatEnv} (the heartbeat URL) must be a line of the secrets file too: Kamal refuses to boot without it.`] : []),
  ];
  const accessories = new YAMLMap();
  accessories.items.push(new Pair(new Scalar(DRILL_ACCESSORY), value));
  const top = new YAMLMap();
  top.items.push(new Pair(new Scalar("accessories"), accessories));
  const content = stringify(top, { lineWidth: 0 });
  const head = [...headerLines(`restore drill accessory "${DRILL_ACCESSORY}", environment ${env.name}`), "", ...usage].map((l) => (l ? `# ${l}` : "#"));
  return { path: kamalDrillPath(settings.destination), content: `${head.join("\n")}\n${content}`, ...drill };
}
