/**
 * The restore drill as a second Kamal accessory, `litestream-drill` (docs/operations.md, "Restore
 * drill"): the same image, host, config file and secrets as the `litestream` accessory, plus the drill
 * script; a /bin/sh loop runs the drill, then sleeps for the schedule's period. It mounts no data
 * volume (a file replica's volume read-only), so it cannot touch the live databases. The Kamal target
 * writes it next to `litestream` in the deploy file (and the partial file), and its heartbeat
 * variable into the secrets block.
 */
import type { TextMap } from "../../render/yaml-emit.js";
import { envBindings } from "../../env-mapping.js";
import { IssueList, type IssuePath } from "../../errors.js";
import type { EnvironmentPlan, Plan } from "../../plan.js";
import { shellWord } from "../../render/quote/sh.js";
import { secretEntry, toNode, type AccessoryValue } from "./accessory.js";
import type { OwnedAccessory } from "./deploy-file.js";
import { CONTAINER_CONFIG_PATH } from "./restore-command.js";
import { kamalSupports, validateKamalAccessory } from "./rules.js";
import { deployFilePath, destinationFlag, partialFilePath, resolveKamalSettings } from "./settings.js";

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
  value: AccessoryValue;
  /** Comment lines inside the accessory, after the managed marker. */
  comments: string[];
  /** The variable of the heartbeat URL, which the secrets block must define. */
  heartbeatEnv?: string;
  /** The file Kamal reads it from (the deploy file), or the partial file to copy it from (`copy`: updateDeployFile is off). */
  path: string;
  copy: boolean;
  /** Operator commands (for the runbook). */
  boot: string;
  runNow: string;
  logs: string;
}

export type KamalDrillResult = KamalDrill | { problem: string; fix: string; at: IssuePath };

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
  const bindings = envBindings(env);
  // A heartbeat variable that is also a credential's name is listed once (Kamal sets each variable once).
  const heartbeat = input.heartbeatEnv && !bindings.some((b) => b.name === input.heartbeatEnv) ? [input.heartbeatEnv] : [];
  const secrets = [...bindings.map((b) => secretEntry(b, aliases)), ...heartbeat];
  const fileReplica = env.databases.some((db) => db.replicas.some((r) => r.type === "file"));
  const value: Record<string, unknown> = { image: plan.litestream.image };
  value[settings.hostSelector[0]] = settings.hostSelector[1];
  if (fileReplica) value.volumes = [`${settings.volume.spec}:ro`];
  value.files = [`${env.configFile}:${CONTAINER_CONFIG_PATH}${readOnly}`, `${input.scriptPath}:${DRILL_SCRIPT_IN_CONTAINER}${readOnly}`];
  if (secrets.length || Object.keys(settings.env).length) {
    const clear = Object.keys(settings.env).length ? { clear: { ...settings.env } } : {};
    value.env = { ...clear, ...(secrets.length ? { secret: secrets } : {}) };
  }
  value.options = { entrypoint: "/bin/sh" };
  value.cmd = `-c ${shellWord(drillLoop(period, input.prelude))}`;
  const findings = validateKamalAccessory(value, settings.version);
  if (findings.length) {
    const f = findings[0]!;
    return {
      problem: `Kamal ${settings.version} refuses accessories/${DRILL_ACCESSORY}/${f.path.join("/")}: ${f.message}`,
      fix: "change the Kamal target's settings it copies (see accessories/litestream)",
      at: input.at,
    };
  }
  const d = destinationFlag(settings.destination);
  const drill = {
    boot: `kamal accessory boot ${DRILL_ACCESSORY}${d}`,
    runNow: `kamal accessory exec ${DRILL_ACCESSORY}${d} --reuse ${shellWord(`sh ${DRILL_SCRIPT_IN_CONTAINER}`)}`,
    logs: `kamal accessory logs ${DRILL_ACCESSORY}${d} --lines 100`,
  };
  const comments = [
    `Restore drill (docs/operations.md): runs at boot, then every ${period} seconds (verification.schedule "${input.schedule}"); it restores`,
    `to a temporary file and never touches the live databases${fileReplica ? " (the volume is mounted read-only, for the file replica)" : ""}. Boot it: ${drill.boot}`,
    `Verdicts: ${drill.logs}`,
  ];
  const copy = !settings.updateDeployFile;
  const path = copy ? partialFilePath(settings.destination) : deployFilePath(settings.destination);
  return { value, comments, ...(input.heartbeatEnv ? { heartbeatEnv: input.heartbeatEnv } : {}), path, copy, ...drill };
}

/** The drill accessory as the deploy file holds it: `marker` first, then what it does. */
export function ownedDrill(drill: KamalDrill, marker: string[]): OwnedAccessory {
  const node = toNode(drill.value) as TextMap;
  node.commentBefore = [...marker, ...drill.comments].map((l) => ` ${l}`).join("\n");
  return { name: DRILL_ACCESSORY, node, value: drill.value };
}
