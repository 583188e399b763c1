/**
 * How an operator runs a command where an environment's Litestream runs: one spelling per target
 * (docs/operations.md). The Litestream arguments are the same everywhere; only the prefix changes.
 */
import type { ExistingFileReader } from "../artifact.js";
import type { EnvironmentPlan, Plan } from "../plan.js";
import { shellWord, shellWords } from "../render/quote/sh.js";
import { findUserCompose } from "../targets/compose/existing.js";
import { composeFiles } from "../targets/compose/index.js";
import { HEREDOC_CONFIG_PATH } from "../targets/compose/heredoc.js";
import { withComposeDefaults } from "../targets/compose/schema.js";
import { MOUNTED_CONFIG_PATH, SIDECAR_SERVICE } from "../targets/compose/sidecar.js";
import { DEFAULT_CONFIG_PATH } from "../targets/entrypoint/index.js";
import { ACCESSORY_NAME } from "../targets/kamal/accessory.js";
import { CONTAINER_CONFIG_PATH } from "../targets/kamal/restore-command.js";
import { destinationFlag, destinationOf } from "../targets/kamal/settings.js";
import { CONFIG_DIR, DEFAULT_BINARY } from "../targets/systemd/settings.js";

export interface Runner {
  /** Which target the spelling is for ("kamal", "compose", "systemd", "entrypoint", "host"). */
  target: string;
  /** The config path as the Litestream process there sees it. */
  config: string;
  /** A `litestream <args>` command line, spelled to run there. */
  litestream: (args: string[]) => string;
  /** A POSIX sh command line run there (in the Litestream container or on the host). */
  shell: (script: string) => string;
  /** Stops the app, then Litestream (no replicate may run while a database is swapped). */
  stop: string[];
  /** Starts Litestream, then the app. */
  start: string[];
  /** Restarts Litestream alone so it reads changed credentials (a plain restart keeps a container's old environment). */
  restart: string;
  /**
   * Set when Litestream cannot run while the app is stopped (the entrypoint: one container): the
   * restore and check run before the stop, and this runs the swap with the app stopped.
   */
  offline?: (script: string) => string;
  /** Shows whether Litestream is running and its recent log. */
  status: string[];
  /** How to hand the drill's environment (the storage credentials) to a command there. */
  note?: string;
}

/** The first target of the environment decides the spelling; with none, plain commands on the host. */
export function runnerFor(plan: Plan, env: EnvironmentPlan, existing: ExistingFileReader): Runner {
  const t = env.targets;
  if (t.kamal) return kamalRunner(plan, env);
  if (t.compose) {
    const compose = composeRunner(plan, env, existing);
    if (compose) return compose;
  }
  if (t.systemd) return systemdRunner(plan, env);
  if (t.entrypoint) return entrypointRunner(env);
  return hostRunner(env);
}

function kamalRunner(plan: Plan, env: EnvironmentPlan): Runner {
  const d = destinationFlag(destinationOf(plan, env));
  const exec = (inner: string) => `kamal accessory exec ${ACCESSORY_NAME}${d} --reuse ${shellWord(inner)}`;
  return {
    target: "kamal",
    config: CONTAINER_CONFIG_PATH,
    litestream: (args) => exec(`litestream ${shellWords(args)}`),
    shell: (script) => exec(`sh -c ${shellWord(script)}`),
    stop: [`kamal app stop${d}`],
    start: [`kamal accessory reboot ${ACCESSORY_NAME}${d}`, `kamal app boot${d}`],
    restart: `kamal accessory reboot ${ACCESSORY_NAME}${d}`,
    status: [`kamal accessory details ${ACCESSORY_NAME}${d}`, `kamal accessory logs ${ACCESSORY_NAME}${d} --lines 100`],
    note: `The accessory keeps running while the app is stopped: a restore to a new file is safe beside it, and the swap happens while the app is down and Litestream is restarted right after (\`kamal accessory reboot\`).`,
  };
}

function composeRunner(plan: Plan, env: EnvironmentPlan, existing: ExistingFileReader): Runner | undefined {
  const target = withComposeDefaults(env.targets.compose ?? {});
  if (!target) return undefined;
  const userFile = findUserCompose(target, existing);
  const compose = `docker compose ${composeFiles(plan, env, target, userFile).fileArgs}`;
  const config = target.configDelivery === "heredoc" ? HEREDOC_CONFIG_PATH : MOUNTED_CONFIG_PATH;
  return {
    target: "compose",
    config,
    litestream: (args) => `${compose}exec ${SIDECAR_SERVICE} litestream ${shellWords(args)}`,
    shell: (script) => `${compose}exec ${SIDECAR_SERVICE} sh -c ${shellWord(script)}`,
    stop: [`${compose}stop ${shellWord(target.appService)}`],
    start: [`${compose}restart ${SIDECAR_SERVICE}`, `${compose}start ${shellWord(target.appService)}`],
    // `up` recreates the service when its interpolated environment changed; `restart` would not.
    restart: `${compose}up -d --no-deps ${SIDECAR_SERVICE}`,
    status: [`${compose}ps ${SIDECAR_SERVICE}`, `${compose}logs --tail 100 ${SIDECAR_SERVICE}`],
    note: "The litestream service keeps running while the app is stopped: the restore to a new file runs beside it; it is restarted right after the swap.",
  };
}

function systemdRunner(plan: Plan, env: EnvironmentPlan): Runner {
  const target = env.targets.systemd!;
  const several = plan.environments.filter((e) => e.targets.systemd).length > 1;
  const service = target.serviceName ?? (several ? `litestream-${env.name}` : "litestream");
  const user = target.user ?? "litestream";
  const binary = target.binary ?? DEFAULT_BINARY;
  const appUnits = target.appUnits ?? [target.appUnit ?? `${plan.name}.service`];
  // The unit's user and environment file, without a shell reading the file: what the service sees.
  const run = `sudo systemd-run --quiet --pipe --wait --collect -p User=${user} -p EnvironmentFile=${CONFIG_DIR}/${service}.env`;
  return {
    target: "systemd",
    config: `${CONFIG_DIR}/${service}.yml`,
    litestream: (args) => `${run} ${shellWords([binary, ...args])}`,
    // The scripts (the check, the swap) run no Litestream command: those go through `litestream` above.
    shell: (script) => `${run} /bin/sh -c ${shellWord(script)}`,
    stop: [`sudo systemctl stop ${shellWords(appUnits)}`, `sudo systemctl stop ${service}.service`],
    start: [`sudo systemctl start ${service}.service`, `sudo systemctl start ${shellWords(appUnits)}`],
    restart: `sudo systemctl restart ${service}.service`,
    status: [`systemctl status ${service}.service`, `journalctl -u ${service}.service -n 100`],
  };
}

function entrypointRunner(env: EnvironmentPlan): Runner {
  const config = env.targets.entrypoint?.configPath ?? DEFAULT_CONFIG_PATH;
  return {
    target: "entrypoint",
    config,
    litestream: (args) => `docker exec "$APP_CONTAINER" litestream ${shellWords(args)}`,
    shell: (script) => `docker exec "$APP_CONTAINER" sh -c ${shellWord(script)}`,
    stop: ['docker stop "$APP_CONTAINER"'],
    start: ['docker start "$APP_CONTAINER"'],
    restart:
      "# recreate the app's container with the new environment (docker rm -f, then docker run as you deploy it): docker restart keeps the old one",
    status: ['docker logs --tail 100 "$APP_CONTAINER"'],
    // --volumes-from works on a stopped container; its own image has the shell the entrypoint uses.
    offline: (script) =>
      `docker run --rm --volumes-from "$APP_CONTAINER" --entrypoint /bin/sh "$(docker inspect --format '{{.Config.Image}}' "$APP_CONTAINER")" -c ${shellWord(script)}`,
    note: "Litestream runs inside the app's container (the entrypoint): set APP_CONTAINER to its name. A stopped container cannot be exec'd, so a restore into service runs the restore and its check in the running container (to a new file, beside the live one), then stops it and swaps from a one-off container that mounts the same volumes.",
  };
}

function hostRunner(env: EnvironmentPlan): Runner {
  return {
    target: "host",
    config: env.configFile,
    litestream: (args) => `litestream ${shellWords(args)}`,
    shell: (script) => script,
    stop: ["# stop the app and `litestream replicate`"],
    start: ["# start `litestream replicate`, then the app"],
    restart: "# restart `litestream replicate`",
    status: ["pgrep -a litestream"],
  };
}
