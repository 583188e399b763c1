/**
 * One environment's Kamal settings, merged (project `targets.kamal` under the environment's),
 * defaulted and checked; plus where its files go (Kamal destinations).
 */
import type { Warning } from "../../plan.js";
import type { IssueList, IssuePath } from "../../errors.js";
import type { EnvironmentPlan, Plan } from "../../plan.js";
import { DEFAULT_APP_ENTRYPOINT } from "./app-gate.js";
import { markerPath } from "./restore-command.js";
import { HOST_SELECTORS, type KamalTargetConfig } from "./schema.js";

export type KamalSecretsConfig = NonNullable<KamalTargetConfig["secrets"]>;

export type HostSelector = (typeof HOST_SELECTORS)[number];

export interface KamalSettings {
  version: string;
  volume: { spec: string; source: string; mount: string };
  hostSelector: [HostSelector, string | string[]];
  /** Kamal destination (`-d <name>`), undefined for config/deploy.yml and .kamal/secrets. */
  destination?: string;
  appUser?: string;
  /** The app's entrypoint to add the wait to (project-relative), or false. */
  appEntrypoint: string | false;
  /** True when the user named the entrypoint (a missing file is then an error, not a hint). */
  appEntrypointGiven: boolean;
  beforeApp: string[][];
  restoreOnBoot: boolean;
  /** The restore marker's path, the same in the accessory and the app (both mount the volume at `volume.mount`). */
  marker: string;
  healthcheck: boolean;
  env: Record<string, string>;
  options: Record<string, string | number | boolean | Array<string | number | boolean>>;
  labels: Record<string, string>;
  updateDeployFile: boolean;
  secrets: KamalSecretsConfig;
  /** Where this environment's Kamal settings live in the description, for issues. */
  at: (...rest: Array<string | number>) => IssuePath;
}

/** Issues point at the environment's `targets.kamal` when there are several environments. */
export function kamalPath(plan: Plan, env: EnvironmentPlan): IssuePath {
  return plan.environments.length > 1 ? ["environments", env.name, "targets", "kamal"] : ["targets", "kamal"];
}

/** The environment that deploys with config/deploy.yml when no environment says `destination: false`. */
export const BASE_ENVIRONMENT = "production";

export function destinationOf(plan: Plan, env: EnvironmentPlan): string | undefined {
  const configured = env.targets.kamal?.destination;
  if (configured === false) return undefined;
  if (configured !== undefined) return configured;
  if (plan.environments.length <= 1) return undefined;
  const baseClaimed = plan.environments.some((e) => e !== env && e.targets.kamal?.destination === false);
  return env.name === BASE_ENVIRONMENT && !baseClaimed ? undefined : env.name;
}

export const deployFilePath = (destination?: string) => (destination ? `config/deploy.${destination}.yml` : "config/deploy.yml");
export const secretsFilePath = (destination?: string) => (destination ? `.kamal/secrets.${destination}` : ".kamal/secrets");
export const partialFilePath = (destination?: string) =>
  destination ? `config/litestream-accessory.${destination}.yml` : "config/litestream-accessory.yml";
/** ` -d staging` for operator commands. */
export const destinationFlag = (destination?: string) => (destination ? ` -d ${destination}` : "");

/** `warnings` receives what is allowed but worth knowing (omit it to resolve another environment quietly). */
export function resolveKamalSettings(
  plan: Plan,
  env: EnvironmentPlan,
  issues: IssueList,
  warnings: Warning[] = [],
): KamalSettings | undefined {
  const kamal = env.targets.kamal as KamalTargetConfig | undefined;
  if (!kamal) return undefined;
  const base = kamalPath(plan, env);
  const at = (...rest: Array<string | number>): IssuePath => [...base, ...rest];
  let ok = true;

  if (!kamal.version) {
    issues.add(
      at("version"),
      "the Kamal version is not set: secret aliases, read-only files and several accessory keys depend on it",
      'set version to the release `kamal version` prints, e.g. "2.12.0"',
      "kamal.version.missing",
    );
    ok = false;
  }
  if (!kamal.volume) {
    issues.add(
      at("volume"),
      "the app's data volume is not set: the accessory must mount the same volume as the app to see its databases",
      'set volume to the app\'s volume, e.g. "myapp_storage:/rails/storage"',
      "kamal.volume.missing",
    );
    ok = false;
  }
  const selectors = HOST_SELECTORS.filter((key) => kamal[key] !== undefined);
  if (selectors.length !== 1) {
    issues.add(
      base,
      selectors.length === 0
        ? "no host selector: Kamal needs exactly one of host, hosts, role, roles, tag or tags for an accessory"
        : `an accessory takes exactly one host selector, the merged settings have ${selectors.join(" and ")}`,
      selectors.length === 0
        ? "set host to the app's server (the data volume is local to it)"
        : `keep ${selectors[0]} and remove ${selectors.slice(1).join(", ")} (an environment's selector does not replace the project's of another kind)`,
      "kamal.host.selectors",
    );
    ok = false;
  }

  const destination = destinationOf(plan, env);
  for (const other of plan.environments) {
    if (other === env) break;
    if (other.targets.kamal && destinationOf(plan, other) === destination) {
      issues.add(
        at("destination"),
        `environments ${other.name} and ${env.name} would both write the litestream accessory into ${deployFilePath(destination)}`,
        `give each environment its own Kamal destination, e.g. destination: "${env.name}" for ${env.name} (destination: false for the one that uses config/deploy.yml)`,
        "kamal.destination.shared",
      );
      ok = false;
    }
  }
  if (!ok) return undefined;
  warnNoBaseEnvironment(plan, env, destination, at, warnings);

  const [source = "", mount = ""] = kamal.volume!.split(":");
  const selector = selectors[0]!;
  const settings: KamalSettings = {
    version: kamal.version!,
    volume: { spec: kamal.volume!, source, mount: mount.replace(/(.)\/$/, "$1") },
    hostSelector: [selector, kamal[selector]!],
    appEntrypoint: kamal.appEntrypoint ?? DEFAULT_APP_ENTRYPOINT,
    appEntrypointGiven: kamal.appEntrypoint !== undefined,
    beforeApp: kamal.beforeApp ?? [],
    restoreOnBoot: env.restoreOnBoot,
    marker: markerPath(mount.replace(/(.)\/$/, "$1")),
    healthcheck: kamal.healthcheck ?? true,
    env: kamal.env ?? {},
    options: kamal.options ?? {},
    labels: kamal.labels ?? {},
    updateDeployFile: kamal.updateDeployFile ?? true,
    secrets: kamal.secrets ?? { via: "op-read" },
    at,
  };
  if (destination) settings.destination = destination;
  if (kamal.appUser) settings.appUser = kamal.appUser;
  return settings;
}

/**
 * With several environments and none named production or set to `destination: false`, every
 * environment becomes a destination and config/deploy.yml gets no accessory: say so once, naming
 * the files (docs/kamal.md, "Destinations").
 */
function warnNoBaseEnvironment(
  plan: Plan,
  env: EnvironmentPlan,
  destination: string | undefined,
  at: (...rest: Array<string | number>) => IssuePath,
  warnings: Warning[],
): void {
  const kamalEnvs = plan.environments.filter((e) => e.targets.kamal);
  if (!destination || kamalEnvs[0] !== env || kamalEnvs.some((e) => destinationOf(plan, e) === undefined)) return;
  const files = kamalEnvs.map((e) => `${e.name}: ${deployFilePath(destinationOf(plan, e))} and ${secretsFilePath(destinationOf(plan, e))}`);
  warnings.push({
    path: at("destination"),
    message: `no environment deploys with plain config/deploy.yml (\`kamal deploy\` without -d): every environment is a Kamal destination (${files.join("; ")}), and config/deploy.yml gets no accessory. Set destination: false for the environment that deploys without -d, or name it ${BASE_ENVIRONMENT}`,
  });
}
