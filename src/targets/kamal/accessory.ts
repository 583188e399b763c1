/**
 * plan → the `litestream` accessory: its value (checked against Kamal's own rules for the
 * configured release) and its YAML node with the comments a reader needs.
 */
import { requiredSettings, startupCheckLines } from "../../render/startup-checks.js";
import type { TextEntry, TextMap, TextNode, TextScalar } from "../../render/yaml-emit.js";
import type { TargetContext } from "../../artifact.js";
import { envBindings, type EnvBinding } from "../../env-mapping.js";
import { compareRelease, type Plan } from "../../plan.js";
import { CONTAINER_CONFIG_PATH, CONTAINER_RESTORE_FROM_PATH, markerPath, restoreThenReplicateScript } from "./restore-command.js";
import { unrepresentableText } from "../../render/quote/text.js";
import { kamalSupports, validateKamalAccessory } from "./rules.js";
import { HOST_SELECTORS } from "./schema.js";
import { secretsFilePath, type KamalSettings } from "./settings.js";
import { literalPath } from "../../plan/model.js";

export const ACCESSORY_NAME = "litestream";

export type AccessoryValue = Record<string, unknown>;

export interface KamalAccessory {
  value: AccessoryValue;
  /** The restore-then-replicate script laid out for reading (absent when `cmd` is plain `replicate`). */
  script?: string[];
  comments: {
    image: string;
    volume: string;
    files: string;
    secrets?: string;
    entrypoint?: string;
    stopTimeout: string;
    health?: string;
    cmd: string[];
  };
}

interface ImageTraits {
  shell: boolean;
  /** busybox wget is available (alpine-based 0.3 images). */
  wget: boolean;
  what: string;
}

/** What the pinned image ships (docs/kamal.md: alpine for 0.3, debian-slim from 0.5.7, no shell in -scratch). */
export function imageTraits(plan: Plan): ImageTraits {
  const image = plan.litestream.image;
  const tag = image.slice(image.lastIndexOf(":") + 1);
  if (!/^(docker\.io\/)?litestream\/litestream:/.test(image)) {
    return { shell: true, wget: false, what: "custom image, assumed to have /bin/sh and litestream on PATH" };
  }
  if (tag.includes("scratch")) return { shell: false, wget: false, what: "scratch build: no shell, runs as uid 65532" };
  if (tag.startsWith("0.3")) return { shell: true, wget: true, what: "alpine-based" };
  if (compareRelease(tag.replace(/-.*$/, ""), "0.5.7") >= 0) return { shell: true, wget: false, what: "debian-slim-based" };
  return { shell: true, wget: false, what: "has /bin/sh" };
}

/** The metrics URL reachable from inside the container, from `addr` (":9090" binds every interface). */
function metricsUrl(addr: string): string {
  const i = addr.lastIndexOf(":");
  const host = addr.slice(0, i);
  const port = addr.slice(i + 1);
  const local = host === "" || host === "0.0.0.0" ? "127.0.0.1" : host === "[::]" ? "[::1]" : host;
  return `http://${local}:${port}/metrics`;
}

/**
 * The accessory for one environment, or undefined after adding the issues that prevent it. Each job
 * is its own function: where the databases must be, the command, the docker options, the value,
 * and Kamal's own check of that value.
 */
export function planKamalAccessory(ctx: TargetContext, settings: KamalSettings): KamalAccessory | undefined {
  const before = ctx.issues.items.length;
  const traits = imageTraits(ctx.plan);
  checkPlacement(ctx, settings);
  checkDockerRunWords(ctx, settings);
  const command = planCommand(ctx, settings, traits);
  const { options, health } = planOptions(ctx, settings, traits, ctx.env.restoreOnBoot);
  const value = accessoryValue(ctx, settings, options, command.cmd);
  checkWithKamalRules(ctx, settings, value);
  if (ctx.issues.items.length > before) return undefined;
  return {
    value,
    ...(command.script ? { script: command.script } : {}),
    comments: accessoryComments(ctx, settings, traits, command.script, health),
  };
}

/** The databases inside the shared volume, the config file uploadable by Kamal, no secret as a clear env. */
function checkPlacement(ctx: TargetContext, settings: KamalSettings): void {
  const { env, issues } = ctx;
  const { at } = settings;
  const mount = settings.volume.mount;
  for (const db of env.databases) {
    if (!literalPath(db.path).startsWith(`${mount}/`)) {
      issues.add(
        at("volume"),
        `database ${db.name} (${literalPath(db.path)}) is not inside ${mount}, where the volume is mounted: the accessory would not see it`,
        `set volume to the app's volume that holds ${literalPath(db.path)}, mounted at the same path as in the app`,
        "kamal.volume.database-outside",
      );
    }
  }
  if (env.configFile.includes(":") || env.configFile.startsWith("/")) {
    issues.add(
      at(),
      `the config file path "${env.configFile}" cannot be used in Kamal's files (it must be relative to the project and hold no ":")`,
      "set a relative configFile such as config/litestream.yml",
      "kamal.files.config-path",
    );
  }
  const bindings = envBindings(env);
  for (const key of Object.keys(settings.env)) {
    if (bindings.some((b) => b.name === key))
      issues.add(
        at("env", key),
        `${key} is a secret the accessory already receives from .kamal/secrets`,
        "remove it from env",
        "kamal.env.secret",
      );
  }
  if (env.restoreOnBoot && !settings.appUser) {
    ctx.warnings.push({
      path: at("appUser"),
      message:
        "databases restored on boot are written by root; if the app container runs as another user (Rails 8 images run as 1000:1000) it cannot write them: set appUser",
    });
  }
}

/**
 * `cmd`: plain `replicate`, or (restoring on boot) the restore-then-replicate script that writes the
 * marker bin/litestream-wait waits for (docs/kamal.md): Kamal boots the app right after the accessory,
 * so the gate must be in the app's start-up. On 0.5 litestream.yml also carries restore-if-db-not-exists
 * (shared with the other targets); it is harmless here: after this script every database exists or had
 * no backup, so replicate skips it.
 */
function planCommand(ctx: TargetContext, settings: KamalSettings, traits: ImageTraits): { cmd: string; script?: string[] } {
  const { plan, env, issues } = ctx;
  if (!env.restoreOnBoot) return { cmd: "replicate" };
  if (!traits.shell) {
    issues.add(
      ["litestream", "image"],
      `${plan.litestream.image} has no shell, so the accessory cannot restore missing databases and tell the app when it is done before replicating`,
      `pin the non-scratch tag litestream/litestream:${plan.litestream.release}`,
      "kamal.image.no-shell",
    );
  }
  const built = restoreThenReplicateScript({
    databases: env.databases.map((db) => literalPath(db.path)),
    mount: settings.volume.mount,
    ...(settings.appUser ? { appUser: settings.appUser } : {}),
    checks: startupCheckLines(requiredSettings(env), "litestream"),
    ...(env.restoreRetry ? { retry: env.restoreRetry } : {}),
    ...(env.restoreFrom
      ? { seed: { environment: env.restoreFrom.environment, databases: env.restoreFrom.databases.map((db) => literalPath(db.path)) } }
      : {}),
  });
  if ("problem" in built) {
    issues.add(
      settings.at("volume"),
      built.problem,
      "use database paths without quotes, $, \\, backticks or control characters",
      "kamal.cmd.path",
    );
    return { cmd: "replicate" };
  }
  return { cmd: built.cmd, script: built.lines };
}

/** docker options: the /bin/sh entrypoint, the stop timeout, health options that work in the image, then the user's. */
function planOptions(
  ctx: TargetContext,
  settings: KamalSettings,
  traits: ImageTraits,
  shellEntrypoint: boolean,
): { options: Record<string, unknown>; health?: string } {
  const { plan, env, issues } = ctx;
  const { at } = settings;
  const options: Record<string, unknown> = {};
  if (shellEntrypoint) options.entrypoint = "/bin/sh";
  const grace = env.shutdown.graceSeconds;
  const userStop = settings.options["stop-timeout"];
  if (userStop !== undefined && !(typeof userStop === "number" || (typeof userStop === "string" && /^\d+$/.test(userStop)))) {
    issues.add(
      at("options", "stop-timeout"),
      `options.stop-timeout must be a whole number of seconds (docker run --stop-timeout), not ${JSON.stringify(userStop)}`,
      `set stop-timeout: ${grace}, or remove it`,
      "kamal.options.stop-timeout",
    );
  } else if (userStop !== undefined && Number(userStop) < grace) {
    issues.add(
      at("options", "stop-timeout"),
      `options.stop-timeout ${String(userStop)} is shorter than the ${grace}s Litestream needs to finish its final sync on stop: ${env.shutdown.reason}`,
      `remove it (litestream-deploy sets ${grace}) or set at least ${grace}`,
      "kamal.options.stop-timeout",
    );
  }
  options["stop-timeout"] = userStop !== undefined ? Number(userStop) : grace;
  let health: string | undefined;
  if (settings.healthcheck) {
    if (!traits.shell) {
      ctx.warnings.push({
        path: at("healthcheck"),
        message: `no health options: docker runs --health-cmd through /bin/sh, which ${plan.litestream.image} does not have`,
      });
    } else {
      const url = traits.wget && env.monitoring ? metricsUrl(env.monitoring.addr) : undefined;
      options["health-cmd"] = url ? `wget -q -O /dev/null ${url}` : "litestream databases";
      options["health-interval"] = "30s";
      options["health-timeout"] = "5s";
      options["health-retries"] = 3;
      health = url
        ? "busybox wget (alpine image): healthy once replicate serves /metrics"
        : `litestream databases only proves the config parses; ${traits.wget ? "set monitoring.addr to check that replicate serves /metrics" : "probing /metrics needs wget, which only the alpine-based 0.3 image is known to ship"}`;
    }
  }
  for (const [key, value] of Object.entries(settings.options)) {
    if (key === "stop-timeout") continue;
    if (key in options) {
      issues.add(
        at("options", key),
        `options.${key} is set by litestream-deploy${key === "entrypoint" ? " (/bin/sh runs the restore-then-replicate script)" : " (health options that work in the pinned image)"}`,
        key === "entrypoint" ? "remove it" : "remove it, or set healthcheck: false and give all health options yourself",
        "kamal.options.generated",
      );
    } else options[key] = value;
  }
  return { options, ...(health ? { health } : {}) };
}

/** The accessory's keys in the order a reader expects them. */
function accessoryValue(ctx: TargetContext, settings: KamalSettings, options: Record<string, unknown>, cmd: string): AccessoryValue {
  const secretNames = envBindings(ctx.env).map((b) => secretEntry(b, kamalSupports(settings.version, "secretAliases")));
  const value: AccessoryValue = { image: ctx.plan.litestream.image };
  const [selector, hosts] = settings.hostSelector;
  value[selector] = hosts;
  value.volumes = [settings.volume.spec];
  const ro = kamalSupports(settings.version, "readOnlyFiles") ? ":ro" : "";
  value.files = [
    `${ctx.env.configFile}:${CONTAINER_CONFIG_PATH}${ro}`,
    // restoreFrom: the source environment's replicas, given only to `restore` in cmd (read-only).
    ...(ctx.env.restoreFrom ? [`${ctx.env.restoreFrom.configFile}:${CONTAINER_RESTORE_FROM_PATH}${ro}`] : []),
  ];
  if (secretNames.length || Object.keys(settings.env).length) {
    value.env = {
      ...(Object.keys(settings.env).length ? { clear: { ...settings.env } } : {}),
      ...(secretNames.length ? { secret: secretNames } : {}),
    };
  }
  if (Object.keys(options).length) value.options = options;
  if (Object.keys(settings.labels).length) value.labels = { ...settings.labels };
  value.cmd = cmd;
  return value;
}

/** Kamal's own validation of the value for the configured release (rules.ts), as issues at the user's keys. */
function checkWithKamalRules(ctx: TargetContext, settings: KamalSettings, value: AccessoryValue): void {
  const { at, version } = settings;
  for (const finding of validateKamalAccessory(value, version)) {
    const [head, ...rest] = finding.path;
    const where =
      head === "options" || head === "labels" || (HOST_SELECTORS as readonly unknown[]).includes(head)
        ? at(...finding.path)
        : head === "env" && rest[0] === "clear"
          ? at("env", ...rest.slice(1))
          : at();
    ctx.issues.add(
      where,
      `Kamal ${version} ${finding.level === "error" ? "refuses" : "silently ignores"} accessories/${ACCESSORY_NAME}${finding.path.length ? `/${finding.path.join("/")}` : ""}: ${finding.message}`,
      findingFix(finding.path),
      "kamal.accessory.rule",
    );
  }
}

function accessoryComments(
  ctx: TargetContext,
  settings: KamalSettings,
  traits: ImageTraits,
  script: string[] | undefined,
  health: string | undefined,
): KamalAccessory["comments"] {
  const { plan, env } = ctx;
  const bindings = envBindings(env);
  const aliases = kamalSupports(settings.version, "secretAliases");
  const readOnly = kamalSupports(settings.version, "readOnlyFiles");
  return {
    image: `pinned: Litestream ${plan.litestream.release} (${traits.what})`,
    volume: "the app's volume, read-write: Litestream writes next to each database",
    files: readOnly
      ? "uploaded by Kamal, mounted read-only"
      : `uploaded by Kamal; Kamal ${settings.version} would drop a ":ro" (honoured from 2.10)`,
    ...(bindings.length
      ? {
          secrets: `values from ${secretsFilePath(settings.destination)}${aliases && bindings.some((b) => b.renamed) ? " (NAME_IN_CONTAINER:NAME_IN_SECRETS_FILE)" : ""}`,
        }
      : {}),
    ...(env.restoreOnBoot ? { entrypoint: "the image's entrypoint is litestream; /bin/sh runs cmd's restore-then-replicate script" } : {}),
    stopTimeout: `seconds docker waits after SIGTERM before SIGKILL: ${env.shutdown.reason}`,
    ...(health ? { health } : {}),
    cmd: script
      ? [
          `/bin/sh -c: remove the marker, restore each missing database (when a backup exists), write the marker`,
          `${markerPath(settings.volume.mount)} (bin/litestream-wait in the app waits for it), then replicate:`,
          ...script.map((s) => `  ${s}`),
        ]
      : [],
  };
}

/**
 * A docker image reference as docker parses it: [registry[:port]/]name[:tag][@digest], with
 * lower-case name components (distribution/reference).
 */
const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const IMAGE_REFERENCE = new RegExp(
  `^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]+)?/)?${COMPONENT}(?:/${COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`,
);
/** docker's recommended label keys: reverse-DNS style, letters, digits, "." and "-" (plus "_"). */
const LABEL_KEY = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
/** A volume's container path (and host path), as one word no shell reads differently. */
const MOUNT_PATH = /^\/[A-Za-z0-9._/@%+=,-]*$/;

/**
 * Kamal puts the image, volume and label keys into the remote shell's `docker run` line as they are,
 * and values through Ruby's String#dump in double quotes: `${…}` stays expanded there and non-ASCII
 * becomes a \u escape (docs/kamal.md). Values outside what survives are refused.
 */
function checkDockerRunWords(ctx: TargetContext, settings: KamalSettings): void {
  const { issues, plan } = ctx;
  const { at } = settings;
  if (!IMAGE_REFERENCE.test(plan.litestream.image)) {
    issues.add(
      ["litestream", "image"],
      `${JSON.stringify(plan.litestream.image)} is not a docker image reference ([registry/]name[:tag][@sha256:digest], lower-case name); Kamal passes it unquoted to the remote shell`,
      `use a reference such as litestream/litestream:${plan.litestream.release}`,
      "kamal.image.reference",
    );
  }
  const [source = "", mount = ""] = settings.volume.spec.split(":");
  if (!(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(source) || MOUNT_PATH.test(source)) || !MOUNT_PATH.test(mount)) {
    issues.add(
      at("volume"),
      `${JSON.stringify(settings.volume.spec)} holds characters outside letters, digits and . _ - / @ % + = , in its volume name or paths; Kamal passes it unquoted to the remote shell`,
      'rename the volume or directory, e.g. "myapp_storage:/rails/storage"',
      "kamal.volume.characters",
    );
  }
  for (const key of Object.keys(settings.labels)) {
    if (!LABEL_KEY.test(key)) {
      issues.add(
        at("labels", key),
        `the label key ${JSON.stringify(key)} is not a docker label key (letters, digits, ".", "-", "_"); Kamal passes it unquoted to the remote shell`,
        'use a reverse-DNS key such as "com.example.team"',
        "kamal.labels.key",
      );
    }
  }
  const values: Array<[Array<string | number>, unknown]> = [
    ...Object.entries(settings.labels).map(([k, v]) => [["labels", k], v] as [Array<string | number>, unknown]),
    ...Object.entries(settings.env).map(([k, v]) => [["env", k], v] as [Array<string | number>, unknown]),
    ...Object.entries(settings.options).flatMap(
      ([k, v]) =>
        (Array.isArray(v) ? v.map((x, i) => [["options", k, i], x]) : [[["options", k], v]]) as Array<[Array<string | number>, unknown]>,
    ),
  ];
  for (const [where, value] of values) {
    if (typeof value !== "string") continue;
    const problem =
      unrepresentableText(value) ??
      // eslint-disable-next-line no-control-regex
      (/[^\u0000-\u007f]/.test(value)
        ? "holds a non-ASCII character, which Kamal's escaping (Ruby String#dump) turns into a \\u escape"
        : undefined) ??
      (/\$\{[^}]*\}/.test(value) ? "holds ${…}, which Kamal leaves unescaped, so the remote shell expands it" : undefined);
    if (problem)
      issues.add(
        at(...where),
        `${where.join(".")} ${problem}`,
        "write the value in plain ASCII without ${…} (pass anything else through a file or a secret)",
        "kamal.value.unrepresentable",
      );
  }
}

/** A working fix for a Kamal rule the accessory breaks: only user-given keys can break one. */
function findingFix(path: Array<string | number>): string {
  const [head, key] = path;
  if (head === "options" && key === "restart")
    return 'remove options.restart (Kamal runs accessories with --restart unless-stopped), or deploy with Kamal 2.12 and set version "2.12"';
  if (head === "options" || head === "labels" || head === "env") return `remove ${path.join(".")}`;
  if ((HOST_SELECTORS as readonly unknown[]).includes(head))
    return "use host, hosts or roles (role, tag and tags need Kamal 2.6), or set version to the release you deploy with";
  return "set version to the Kamal release you deploy with (`kamal version`)";
}

/** Container name, or `CONTAINER:SECRETS_FILE` when the names differ and Kamal has aliases (2.6+). */
export function secretEntry(binding: EnvBinding, aliases: boolean): string {
  return aliases && binding.renamed ? `${binding.name}:${binding.secretName}` : binding.name;
}

/** A plain value as a text tree (src/render/yaml-emit.ts). */
export function toNode(value: unknown): TextNode {
  if (Array.isArray(value)) return { kind: "seq", items: value.map(toNode) };
  if (value && typeof value === "object") {
    const entries: TextEntry[] = [];
    for (const key in value) entries.push([key, toNode((value as Record<string, unknown>)[key])]);
    return { kind: "map", entries, commentBefore: undefined };
  }
  // Durations and numbers stay strings for docker; a YAML 1.1 reader must not see booleans or sexagesimals.
  const quote = typeof value === "string" && /^[0-9]|^(y|n|yes|no|on|off|true|false|null|~)$/i.test(value);
  return { kind: "scalar", value: value as TextScalar["value"], type: quote ? "QUOTE_DOUBLE" : undefined, comment: undefined };
}

function entryOf(map: TextNode | undefined, key: string): TextEntry | undefined {
  return map?.kind === "map" ? map.entries.find((entry) => entry[0] === key) : undefined;
}

function commentValue(node: TextNode | undefined, comment: string | undefined): void {
  if (node?.kind === "scalar" && comment) node.comment = ` ${comment}`;
}

function commentKey(map: TextNode | undefined, key: string, lines: string[]): void {
  const entry = entryOf(map, key);
  if (entry && lines.length) entry[2] = lines.map((l) => ` ${l}`).join("\n");
}

function firstItem(node: TextNode | undefined): TextNode | undefined {
  if (node?.kind === "seq") for (const item of node.items) return item;
  return undefined;
}

/** The accessory as a text tree; `marker` is the first comment line inside it. */
export function accessoryNode(accessory: KamalAccessory, marker: string[]): TextMap {
  const map = toNode(accessory.value) as TextMap;
  map.commentBefore = marker.map((l) => ` ${l}`).join("\n");
  const { comments } = accessory;
  commentValue(entryOf(map, "image")?.[1], comments.image);
  commentValue(firstItem(entryOf(map, "volumes")?.[1]), comments.volume);
  commentValue(firstItem(entryOf(map, "files")?.[1]), comments.files);
  const env = entryOf(map, "env")?.[1];
  if (comments.secrets) commentKey(env, "secret", [comments.secrets]);
  const options = entryOf(map, "options")?.[1];
  commentValue(entryOf(options, "entrypoint")?.[1], comments.entrypoint);
  commentKey(options, "stop-timeout", [comments.stopTimeout]);
  if (comments.health) commentKey(options, "health-cmd", [comments.health]);
  commentKey(map, "cmd", comments.cmd);
  return map;
}
