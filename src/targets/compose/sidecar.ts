/**
 * The Compose services: a run-once `litestream-restore` every volume user waits for (or, on Compose
 * 5.3+, a pre_start step of the replicator), and the `litestream` replicator. Built as text trees
 * of yaml-emit.ts (with their comments); compose-file.ts places them in a file.
 */
import {
  textBlock as block,
  textBlockOfText as blockOfText,
  textFlow as flow,
  textMap as map,
  textQuoted as quoted,
  textScalar as scalar,
  textSeq as seq,
  type TextEntryInput as Entry,
  type TextValue as Value,
} from "../../render/yaml.js";
import type { TextMap } from "../../render/yaml-emit.js";
import type { EnvBinding } from "../../env-mapping.js";
import type { DatabasePlan, EnvironmentPlan, Plan } from "../../plan.js";
import { escapeDollars } from "./interpolation.js";
import { CONFIG_PATH_VARIABLE, HEREDOC_CONFIG_PATH, heredocFile, scriptLines, type HeredocFile, type ScriptSeed } from "./heredoc.js";
import type { ComposeTargetConfig } from "./schema.js";
import { requiredSettings, startupCheckLines } from "../../render/startup-checks.js";
import { literalPath } from "../../plan/model.js";

export const SIDECAR_SERVICE = "litestream";
export const RESTORE_SERVICE = "litestream-restore";
export const CONFIG_NAME = "litestream";
/** Where configs/bind put the file: Litestream's default path, so `litestream <cmd>` finds it. */
export const MOUNTED_CONFIG_PATH = "/etc/litestream.yml";

/** The app's data volume, parsed from "source:target[:options]". */
export interface VolumeSpec {
  spec: string;
  source: string;
  target: string;
  options: string[];
  /** A named volume (declared under top-level `volumes:`), not a host path. */
  named: boolean;
}

export interface ServicesInput {
  plan: Plan;
  env: EnvironmentPlan;
  /** The litestream.yml artifact's content. */
  config: string;
  /** restoreFrom: the restore-only config's content, written by the restore script itself. */
  restoreFromConfig?: string;
  target: ComposeTargetConfig;
  volume: VolumeSpec;
  bindings: EnvBinding[];
  /** configDelivery "bind": the config file relative to the Compose project directory ("./config/litestream.yml"). */
  bindSource: string;
  /** What to tell a user whose variable is missing (the command that starts the stack). */
  upCommand: string;
}

export interface ComposeServices {
  /** In file order: restore service(s) first, then the replicator. */
  services: Array<{ name: string; node: TextMap; comment: string }>;
  /** What every service that mounts the database volume waits for: service name → depends_on condition. */
  waitFor: Record<string, string>;
  /** Top-level configs entries (configDelivery "configs"). */
  configs: Array<{ name: string; node: TextMap; comment: string }>;
}

/** What the services are built from: the input, and the config as the heredoc scripts write it (made once). */
interface Build extends ServicesInput {
  heredoc: () => HeredocFile;
}

export function buildServices(from: ServicesInput): ComposeServices {
  let file: HeredocFile | undefined;
  const input: Build = { ...from, heredoc: () => (file ??= heredocFile(from.config)) };
  const preStart = input.env.restoreOnBoot && input.target.restoreStep === "pre_start";
  const restores = input.env.restoreOnBoot && !preStart ? restoreServices(input) : [];
  const restoreNames = restores.map((r) => r.name);
  // Each explanation is written once, on the first service that needs it.
  const services = [
    ...restores,
    {
      name: SIDECAR_SERVICE,
      node: replicatorService(input, restoreNames, restores.length === 0, preStart),
      comment: replicatorComment(restoreNames, preStart),
    },
  ];
  const configs =
    input.target.configDelivery === "configs"
      ? [
          {
            name: CONFIG_NAME,
            node: map([["content", blockOfText(escapeDollars(input.config))]]),
            comment: [
              `litestream.yml for environment "${input.env.name}", copied into the Litestream containers (Compose 2.23.1+, not Swarm).`,
              "Compose interpolates content too: every $ meant for Litestream is written $$.",
            ].join("\n"),
          },
        ]
      : [];
  const waitFor: Record<string, string> = preStart
    ? { [SIDECAR_SERVICE]: "service_started" }
    : Object.fromEntries(restoreNames.map((name) => [name, "service_completed_successfully"]));
  return { services, waitFor, configs };
}

function replicatorComment(restoreNames: string[], preStart: boolean): string {
  if (preStart) {
    return [
      "Litestream: restores every missing database in its pre_start step (Compose 5.3+: a short-lived",
      "container with this service's volumes, run before it starts and not again once it succeeded),",
      "then replicates continuously. Every service that mounts the database volume waits for it to start,",
      "so the restore runs once, before any of them.",
    ].join("\n");
  }
  return restoreNames.length
    ? "Litestream: replicates every database continuously; starts once the restore has finished."
    : "Litestream: replicates every database continuously.";
}

function replicatorService(input: Build, restoreNames: string[], explain: boolean, preStart: boolean): TextMap {
  const { target, env } = input;
  const entries: Entry[] = [
    ["image", input.plan.litestream.image],
    ["restart", "unless-stopped"],
    ["stop_grace_period", `${env.shutdown.graceSeconds}s`, `${env.shutdown.reason}; docs/lifecycle.md.`],
  ];
  if (target.user) entries.push(["user", quoted(target.user)]);
  if (restoreNames.length) entries.push(["depends_on", dependsOnCompleted(restoreNames)]);
  if (preStart) entries.push(["pre_start", seq([restoreStep(input)])]);
  if (target.configDelivery === "heredoc") {
    entries.push(...shellCommand(scriptLines({ kind: "replicate" }, input.heredoc(), settingChecks(input)), explain, true));
  } else {
    entries.push(["command", flow(["replicate", "-config", MOUNTED_CONFIG_PATH])]);
    if (target.configDelivery === "configs") entries.push(configsMount());
  }
  entries.push(...environmentAndVolumes(input, explain));
  entries.push([
    "healthcheck",
    map([
      ["test", flow(["CMD", "litestream", "databases"])],
      ["interval", "1m"],
      ["timeout", "10s"],
      ["retries", scalar(3)],
      ["start_period", "30s"],
    ]),
    [
      "Exec form: works without a shell, also in the -scratch images. `litestream databases` only proves",
      "that the config parses and the binary runs, not that replication works: if Litestream exits, the",
      "container stops and restart: unless-stopped starts it again; sync errors show in",
      "`docker compose logs litestream`.",
    ].join("\n"),
  ]);
  return map(entries);
}

/** The pre_start step (Compose 5.3+): the restore script, in its own container with the service's volumes. */
function restoreStep(input: Build): TextMap {
  const script = scriptLines(
    {
      kind: "restore",
      databases: input.env.databases.map((db) => literalPath(db.path)),
      ...(input.env.restoreRetry ? { retry: input.env.restoreRetry } : {}),
      ...scriptSeed(input),
    },
    input.heredoc(),
    settingChecks(input),
  );
  const environment: Entry[] = input.bindings.map((binding) => [binding.name, requiredReference(binding, input)]);
  environment.push([CONFIG_PATH_VARIABLE, HEREDOC_CONFIG_PATH]);
  return map([
    ["image", input.plan.litestream.image],
    ...(input.target.user ? ([["user", quoted(input.target.user)]] as Entry[]) : []),
    ...shellCommand(script, false, false),
    ["environment", map(environment)],
  ]);
}

const RESTORE_COMMENT = [
  "Runs once before every service that mounts the database volume: restores each missing database",
  "from its backup (`-if-db-not-exists`; a 0-byte file counts as missing), and an empty bucket is not",
  "an error (`-if-replica-exists`): the app then starts fresh. Those services wait for it to finish,",
  "so none of them creates an empty database that would hide the backup.",
];

function restoreServices(input: Build): Array<{ name: string; node: TextMap; comment: string }> {
  const { env, target } = input;
  const v05 = input.plan.litestream.version === "0.5";
  const comment = [
    ...RESTORE_COMMENT,
    ...(v05
      ? [
          "(The config's restore-if-db-not-exists runs inside the long-lived replicator, which nothing can",
          "wait for to complete, and skips a 0-byte file; this one-shot restore is what they wait for.)",
        ]
      : []),
  ].join("\n");
  if (!isScratch(input.plan.litestream.image)) {
    const databases = env.databases.map((db) => literalPath(db.path));
    const heredoc = target.configDelivery === "heredoc";
    const script = scriptLines(
      { kind: "restore", databases, ...(env.restoreRetry ? { retry: env.restoreRetry } : {}), ...scriptSeed(input) },
      heredoc ? input.heredoc() : { mounted: MOUNTED_CONFIG_PATH },
      settingChecks(input),
    );
    return [
      {
        name: RESTORE_SERVICE,
        node: map([
          ...restoreHead(input),
          ...shellCommand(script, true, heredoc),
          ...(target.configDelivery === "configs" ? [configsMount()] : []),
          ...environmentAndVolumes(input, true),
        ]),
        comment,
      },
    ];
  }
  // The -scratch images have no shell: each restore is its own exec-form service, and a 0-byte
  // database is not set aside (docs/lifecycle.md).
  return env.databases.map((db, i) => ({
    name: restoreServiceName(db, env.databases.length),
    node: map([
      ...restoreHead(input),
      // Flags before the positional path (Go flag parsing); the path exactly as in the config.
      ["command", flow(["restore", "-if-db-not-exists", "-if-replica-exists", "-config", MOUNTED_CONFIG_PATH, literalPath(db.path)])],
      ...(target.configDelivery === "configs" ? [configsMount()] : []),
      ...environmentAndVolumes(input, i === 0),
    ]),
    comment:
      i === 0
        ? `${comment}\nOne service per database (the -scratch image has no shell, so a 0-byte file is not set aside): ${db.name}.`
        : `The same for database ${db.name}.`,
  }));
}

/** restoreFrom: the restore-only config travels inside the restore script, whatever the configDelivery. */
function scriptSeed(input: Build): { seed?: ScriptSeed } {
  const from = input.env.restoreFrom;
  if (!from || input.restoreFromConfig === undefined) return {};
  return {
    seed: { content: input.restoreFromConfig, environment: from.environment, databases: from.databases.map((db) => literalPath(db.path)) },
  };
}

/** The start-up check of docs/storage.md; the exec-form services rely on ${NAME:?…} in their environment. */
const settingChecks = (input: Build) => startupCheckLines(requiredSettings(input.env), "litestream");

export function isScratch(image: string): boolean {
  return /scratch/.test(image.slice(image.lastIndexOf(":") + 1));
}

export function restoreServiceName(db: DatabasePlan, count: number): string {
  return count > 1 ? `${RESTORE_SERVICE}-${db.name}` : RESTORE_SERVICE;
}

function restoreHead(input: Build): Entry[] {
  const entries: Entry[] = [
    ["image", input.plan.litestream.image],
    // Quoted: a YAML 1.1 reader takes a bare no for the boolean false.
    ["restart", quoted("no")],
  ];
  if (input.target.user) entries.push(["user", quoted(input.target.user)]);
  return entries;
}

/** `script`: its lines as scriptLines gives them (already escaped for Compose). */
function shellCommand(script: string[], explain: boolean, writesConfig: boolean): Entry[] {
  return [
    [
      "entrypoint",
      flow(["/bin/sh", "-c"]),
      explain &&
        [
          ...(writesConfig
            ? [
                "Writes litestream.yml inside the container, then runs Litestream: nothing to bind-mount, so it",
                "also works under Portainer. Every $ meant for the shell or Litestream is written $$ (Compose",
                "interpolates command strings and turns $$ back into $).",
              ]
            : [
                "A shell script, so that a 0-byte database can be set aside before the restore. Every $ meant",
                "for the shell is written $$ (Compose interpolates command strings and turns $$ back into $).",
              ]),
        ].join("\n"),
    ],
    ["command", seq([block(script)])],
  ];
}

function configsMount(): Entry {
  return [
    "configs",
    seq([
      map([
        ["source", CONFIG_NAME],
        ["target", MOUNTED_CONFIG_PATH],
      ]),
    ]),
  ];
}

function environmentAndVolumes(input: Build, explain: boolean): Entry[] {
  const entries: Entry[] = [];
  const environment: Entry[] = input.bindings.map((binding) => [binding.name, requiredReference(binding, input)]);
  if (input.target.configDelivery === "heredoc") environment.push([CONFIG_PATH_VARIABLE, HEREDOC_CONFIG_PATH]);
  if (environment.length) {
    entries.push([
      "environment",
      map(environment),
      !explain
        ? undefined
        : input.bindings.some((b) => b.renamed)
          ? "Your variables, mapped to the names Litestream reads; a missing one stops `docker compose up` with its message."
          : input.bindings.length
            ? "A missing variable stops `docker compose up` with its message."
            : undefined,
    ]);
  }
  const volumes: Value[] = [input.volume.spec];
  if (input.target.configDelivery === "bind") {
    volumes.push(
      map([
        ["type", "bind"],
        ["source", input.bindSource],
        ["target", MOUNTED_CONFIG_PATH],
        ["read_only", scalar(true)],
        ["bind", map([["create_host_path", scalar(false)]])],
      ]),
    );
  }
  entries.push([
    "volumes",
    seq(volumes),
    explain &&
      [
        "The app's volume, read-write: Litestream writes next to the database (-wal, -shm, its own tables",
        "and meta directory); a read-only mount fails (docs/compose.md).",
        ...(input.target.configDelivery === "bind"
          ? [
              "The generated config, read-only; create_host_path: false makes a missing file an error instead",
              'of an empty directory ("is a directory").',
            ]
          : []),
      ].join("\n"),
  ]);
  return entries;
}

/** `${NAME:?message}`: Compose refuses to start without it, and says why. */
function requiredReference(binding: EnvBinding, input: ServicesInput): string {
  const how =
    binding.source.kind === "op"
      ? `a 1Password reference: start the stack with ${input.upCommand}`
      : "set it in .env next to the compose file or in the environment";
  // The message may not contain } or $ (it would end or nest the reference).
  const message = `${binding.purpose} for Litestream; ${how}`.replace(/[{}$]/g, "");
  return `\${${binding.secretName}:?${message}}`;
}

function dependsOnCompleted(names: string[]): TextMap {
  return map(names.map((name): Entry => [name, map([["condition", "service_completed_successfully"]])]));
}
