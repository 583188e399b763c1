/**
 * Docker Compose target (seed 002): `litestream-restore` (run once, the app waits for it) and the
 * `litestream` replicator, delivered as an override file or as an in-place edit of the user's
 * compose file, plus the `op run` env file when credentials are 1Password references.
 */
import path from "node:path/posix";
import type { Artifact, TargetContext } from "../../artifact.js";
import { defineTarget, targetIssuePath } from "../contract.js";
import { envBindings, type EnvBinding } from "../../env-mapping.js";
import type { IssuePath } from "../../errors.js";
import { hashHeader } from "../../header.js";
import { compareRelease, type EnvironmentPlan, type Plan } from "../../plan.js";
import { renderTemplate } from "../../templates.js";
import { renderOverrideFile, updateComposeFile, type Waiter } from "./compose-file.js";
import { unrepresentableText } from "../../render/quote/text.js";
import { shellWord } from "../../render/quote/sh.js";
import {
  checkUserCompose,
  DEFAULT_COMPOSE_FILES,
  findUserCompose,
  isOurService,
  OUR_MARKER,
  parseVolumeSpec,
  type UserComposeFile,
} from "./existing.js";
import { ComposeTarget, withComposeDefaults, type ComposeTargetConfig } from "./schema.js";
import { buildServices, isScratch, type VolumeSpec } from "./sidecar.js";
import { literalPath } from "../../plan/model.js";

/** configs.content appeared in Docker Compose 2.23.1 (docs/compose.md). */
export const CONFIGS_CONTENT_SINCE = "2.23.1";
/** pre_start steps (init containers) appeared in Docker Compose 5.3.0 (docs/compose.md). */
export const PRE_START_SINCE = "5.3.0";

export const composeTarget = defineTarget({
  key: "compose",
  schema: ComposeTarget,
  overrides: ComposeTarget.partial(),
  resolve: resolveCompose,
  render: renderCompose,
});

/** The merged settings with defaults; undefined (and a problem) without appService and volume. */
export function resolveCompose(context: TargetContext): ComposeTargetConfig | undefined {
  const merged = context.env.targets.compose;
  if (!merged) return undefined;
  const target = withComposeDefaults(merged);
  if (!target) {
    context.issues.add(
      targetIssuePath(context, "compose"),
      "appService and volume are required (in targets.compose or this environment's override)",
      'e.g. { appService: "app", volume: "app_data:/app/data" }',
      "compose.required",
    );
  }
  return target;
}

export function renderCompose(context: TargetContext, target: ComposeTargetConfig): Artifact[] {
  const { plan, env, issues } = context;
  const at = (key: keyof ComposeTargetConfig): IssuePath => [...targetIssuePath(context, "compose"), key];
  const before = issues.items.length;

  checkText(context, target, at);
  const volume = checkVolume(context, target, at);
  checkDelivery(context, target, at);
  if (isOurService(target.appService)) {
    issues.add(
      at("appService"),
      `"${target.appService}" is the name of a generated Litestream service`,
      "name the service that runs your app",
      "compose.service-name",
    );
  }
  const userFile = findUserCompose(target, context.existing);
  const analysis = checkUserCompose(userFile, target, volume, issues, at, context.existing);
  if (target.output === "in-place") checkInPlace(context, target, userFile, at);
  else if (target.overrideFile === userFile.path) {
    issues.add(
      at("overrideFile"),
      `the override would be written over your compose file ${userFile.path}`,
      "leave overrideFile unset (compose.litestream.yaml), or pick another name",
      "compose.override-file",
    );
  }
  if (issues.items.length > before || !volume) return [];

  const layout = composeLayout(context, target, userFile);
  const bindings = envBindings(env);
  const services = buildServices({
    plan,
    env,
    config: context.config.content,
    ...(context.restoreFromConfig ? { restoreFromConfig: context.restoreFromConfig.content } : {}),
    target,
    volume,
    bindings,
    bindSource: layout.bindSource,
    upCommand: layout.upCommand,
  });
  // Every service that mounts the database volume waits (docs/lifecycle.md); without the user's file, the app.
  const waiters: Waiter[] = (analysis?.volumeUsers ?? [target.appService]).map((service) => ({
    service,
    inherited: analysis?.dependsOn[service] ?? {},
  }));
  const files: Artifact[] = [];
  if (target.output === "override") {
    files.push({
      path: layout.overrideFile,
      content: renderOverrideFile({
        what: `Docker Compose services for Litestream ${plan.litestream.release}, environment "${env.name}"`,
        notes: overrideNotes(
          waiters.map((w) => w.service),
          userFile,
          layout,
          bindings,
          target,
        ),
        waiters,
        services,
        volume,
      }),
      kind: "compose-override",
      ownership: "generated",
      environment: env.name,
    });
  } else {
    const updated = updateComposeFile({
      text: userFile.text!,
      waiters,
      services,
      volume,
      marker: [
        `${OUR_MARKER}: change the project description and run`,
        `npx litestream-deploy generate rather than editing them.${bindings.length ? ` Needs ${bindings.map((b) => b.secretName).join(", ")}.` : ""}`,
      ].join("\n"),
    });
    if (!updated.ok) {
      issues.add(at("file"), `${userFile.path}: ${updated.problem}`, updated.fix, "compose.in-place");
      return [];
    }
    files.push({ path: userFile.path, content: updated.content, kind: "compose", ownership: "shared", environment: env.name });
  }
  if (layout.opEnvFile) {
    files.push({
      path: layout.opEnvFile,
      content: renderTemplate("compose-op-env.hbs", {
        header: hashHeader(`1Password references for the Litestream services, environment "${env.name}"`),
        upCommand: layout.upCommand,
        lines: bindings.flatMap((b) => (b.source.kind === "op" ? [`${b.secretName}=${b.source.ref}`] : [])),
      }),
      kind: "compose-env",
      ownership: "generated",
      environment: env.name,
    });
  }
  return files;
}

interface ComposeLayout {
  overrideFile: string;
  bindSource: string;
  opEnvFile: string | undefined;
  /** The command that starts the stack with the Litestream services. */
  upCommand: string;
}

/**
 * Where the override goes and the `-f` arguments that load the stack with the Litestream services
 * ("" when the edited file is one Compose finds by itself). Shared with the runbook's commands.
 */
export function composeFiles(
  plan: Plan,
  env: EnvironmentPlan,
  target: ComposeTargetConfig,
  userFile: UserComposeFile,
): { overrideFile: string; fileArgs: string } {
  const several = plan.environments.length > 1;
  const overrideFile =
    target.overrideFile ??
    path.join(path.dirname(userFile.path), several ? `compose.litestream.${env.name}.yaml` : "compose.litestream.yaml");
  const fileArgs =
    target.output === "override"
      ? `-f ${shellWord(userFile.path)} -f ${shellWord(overrideFile)} `
      : (DEFAULT_COMPOSE_FILES as readonly string[]).includes(userFile.path)
        ? ""
        : `-f ${shellWord(userFile.path)} `;
  return { overrideFile, fileArgs };
}

function composeLayout(context: TargetContext, target: ComposeTargetConfig, userFile: UserComposeFile): ComposeLayout {
  const { plan, env } = context;
  const several = plan.environments.length > 1;
  // Compose resolves relative paths against the project directory: the first file's directory.
  const projectDir = path.dirname(userFile.path);
  const { overrideFile, fileArgs } = composeFiles(plan, env, target, userFile);
  const relativeConfig = path.relative(projectDir, env.configFile);
  const opEnvFile = envBindings(env).some((b) => b.source.kind === "op")
    ? path.join(projectDir, several ? `litestream.${env.name}.op.env` : "litestream.op.env")
    : undefined;
  return {
    overrideFile,
    bindSource: relativeConfig.startsWith("../") ? relativeConfig : `./${relativeConfig}`,
    opEnvFile,
    upCommand: `${opEnvFile ? `op run --env-file ${opEnvFile} -- ` : ""}docker compose ${fileArgs}up -d`,
  };
}

function overrideNotes(
  extended: string[],
  userFile: UserComposeFile,
  layout: ComposeLayout,
  bindings: EnvBinding[],
  target: ComposeTargetConfig,
): string[] {
  const yours = extended.length > 1 ? `services ${extended.map((s) => `"${s}"`).join(", ")}` : `"${extended[0]}" service`;
  const notes = [
    "Use it as an override of your compose file (-f), not with `include:`:",
    `  ${layout.upCommand}`,
    `or once in .env: COMPOSE_FILE=${userFile.path}:${layout.overrideFile} (then plain \`docker compose up -d\`).`,
    `\`include:\` cannot work: this file extends your ${yours} with depends_on and declares`,
    'its volume, and Compose refuses an included file that redefines either ("conflicting service").',
    'Portainer (one compose file per stack): set targets.compose.output to "in-place" instead.',
  ];
  const fromEnv = bindings.filter((b) => b.source.kind === "env").map((b) => b.secretName);
  const fromOp = bindings.filter((b) => b.source.kind === "op").map((b) => b.secretName);
  if (fromEnv.length) notes.push(`Needs ${fromEnv.join(", ")} in the environment or in .env next to ${userFile.path}.`);
  if (fromOp.length) notes.push(`Needs ${fromOp.join(", ")} from 1Password: start it with the op run command above (${layout.opEnvFile}).`);
  if (target.configDelivery === "bind") {
    notes.push(
      "configDelivery bind: the config is read from the Docker host next to the compose file; under Portainer",
      "(Compose runs in its own container) use heredoc instead.",
    );
  }
  return notes;
}

/** Every free-text setting reaches YAML, a shell word or a comment: control characters are refused. */
function checkText(context: TargetContext, target: ComposeTargetConfig, at: (key: keyof ComposeTargetConfig) => IssuePath): void {
  for (const key of ["volume", "file", "overrideFile"] as const) {
    const value = target[key];
    const problem = value === undefined ? undefined : unrepresentableText(value);
    if (problem) context.issues.add(at(key), `${JSON.stringify(value)} ${problem}`, "write it without control characters", "compose.text");
  }
  for (const db of context.env.databases) {
    const problem = unrepresentableText(literalPath(db.path));
    if (problem)
      context.issues.add(
        at("volume"),
        `database ${db.name}: the path ${JSON.stringify(literalPath(db.path))} ${problem}`,
        "use a plain path",
        "compose.text",
      );
  }
}

function checkVolume(
  context: TargetContext,
  target: ComposeTargetConfig,
  at: (key: keyof ComposeTargetConfig) => IssuePath,
): VolumeSpec | undefined {
  const { env, issues } = context;
  if (target.volume.includes("$")) {
    issues.add(
      at("volume"),
      `"${target.volume}" contains a variable`,
      "write the volume literally, exactly as the app mounts it, so it can be checked",
      "compose.volume-variable",
    );
    return undefined;
  }
  const volume = parseVolumeSpec(target.volume);
  if (!volume) {
    issues.add(
      at("volume"),
      `"${target.volume}" is not a volume mount "source:target"`,
      'write it exactly as the app mounts it, e.g. "app_data:/app/data"',
      "compose.volume-invalid",
    );
    return undefined;
  }
  if (volume.options.includes("ro")) {
    issues.add(
      at("volume"),
      `"${target.volume}" mounts the data read-only: Litestream must write next to the database (WAL mode, -wal/-shm files, its _litestream tables and meta directory) and fails with "attempt to write a readonly database" (docs/compose.md)`,
      `drop ":ro" (only the config file may be read-only): "${volume.source}:${volume.target}"`,
      "compose.volume-read-only",
    );
  }
  if (!volume.target.startsWith("/")) {
    issues.add(
      at("volume"),
      `the mount target "${volume.target}" is not an absolute path`,
      'use the path inside the container, e.g. "app_data:/app/data"',
      "compose.volume-relative",
    );
    return volume;
  }
  for (const db of env.databases) {
    if (!literalPath(db.path).startsWith(`${volume.target.replace(/\/$/, "")}/`)) {
      issues.add(
        at("volume"),
        `database ${db.name} (${literalPath(db.path)}) is not inside ${volume.target}, where "${volume.source}" is mounted: the Litestream containers would not see it`,
        "mount the volume that holds the database, at the same path as the app",
        "compose.database-outside-volume",
      );
    }
  }
  return volume;
}

function checkDelivery(context: TargetContext, target: ComposeTargetConfig, at: (key: keyof ComposeTargetConfig) => IssuePath): void {
  const { plan, issues, warnings } = context;
  const image = plan.litestream.image;
  const scratch = isScratch(image);
  if (target.restoreStep === "pre_start" && context.env.restoreOnBoot) {
    if (!target.version || compareRelease(target.version, PRE_START_SINCE) < 0) {
      issues.add(
        at("restoreStep"),
        `restoreStep "pre_start" needs Docker Compose ${PRE_START_SINCE} or later (pre_start steps); ${target.version ? `${target.version} would reject the file` : "no Compose version is set"}`,
        `set targets.compose.version to what \`docker compose version\` prints, or use restoreStep "service" (works on every Compose v2)`,
        "compose.version-feature",
      );
    }
    if (target.configDelivery !== "heredoc") {
      issues.add(
        at("restoreStep"),
        `restoreStep "pre_start" writes the config inside its step, so it needs configDelivery "heredoc" (not "${target.configDelivery}")`,
        'set configDelivery "heredoc", or restoreStep "service"',
        "compose.restore-step-delivery",
      );
    }
  }
  if (scratch && context.env.restoreOnBoot && context.env.restoreFrom) {
    issues.add(
      ["litestream", "image"],
      `${image} has no shell, so the restore service cannot seed a database from environment ${context.env.restoreFrom.environment} only when its own replica has none (restoreFrom)`,
      `pin the non-scratch tag litestream/litestream:${plan.litestream.release}, or remove restoreFrom`,
      "compose.restore-from-no-shell",
    );
  }
  if (scratch && context.env.restoreOnBoot && context.env.restoreRetry) {
    issues.add(
      ["litestream", "image"],
      `${image} has no shell, so a failing restore cannot be retried (restoreRetry)`,
      `pin the non-scratch tag litestream/litestream:${plan.litestream.release}, or remove restoreRetry`,
      "compose.retry-no-shell",
    );
  }
  if (target.configDelivery === "heredoc" && scratch) {
    issues.add(
      at("configDelivery"),
      `the heredoc delivery runs /bin/sh, and ${image} has no shell (the -scratch images are the bare binary)`,
      'use configDelivery "configs" or "bind", or the image without -scratch',
      "compose.scratch-shell",
    );
  }
  if (target.configDelivery === "configs") {
    if (!target.version) {
      issues.add(
        at("version"),
        `configDelivery "configs" needs Docker Compose ${CONFIGS_CONTENT_SINCE} or later (top-level configs.content), and no Compose version is set`,
        `set targets.compose.version to what \`docker compose version\` prints (not possible on Swarm / docker stack deploy: use heredoc there)`,
        "compose.version-missing",
      );
    } else if (compareRelease(target.version, CONFIGS_CONTENT_SINCE) < 0) {
      issues.add(
        at("version"),
        `configDelivery "configs" needs Docker Compose ${CONFIGS_CONTENT_SINCE} or later (top-level configs.content); ${target.version} would reject the file`,
        'upgrade Docker Compose, or use configDelivery "heredoc"',
        "compose.version-feature",
      );
    }
  }
  if (scratch && !target.user) {
    warnings.push({
      path: at("user"),
      message: `${image} runs as UID 65532: unless that user can write the database files, set targets.compose.user to the uid:gid that owns them`,
    });
  }
}

function checkInPlace(
  context: TargetContext,
  target: ComposeTargetConfig,
  userFile: UserComposeFile,
  at: (key: keyof ComposeTargetConfig) => IssuePath,
): void {
  const { plan, env, issues } = context;
  if (userFile.text === undefined) {
    issues.add(
      at("file"),
      target.file
        ? `${target.file} does not exist, so it cannot be updated in place`
        : `no compose file found (${DEFAULT_COMPOSE_FILES.join(", ")}) to update in place`,
      target.file ? "fix targets.compose.file" : 'set targets.compose.file, or use output "override"',
      "compose.file-missing",
    );
  }
  // Each environment would rewrite the same file from the same original: the last one would win.
  const earlier = plan.environments
    .slice(0, plan.environments.indexOf(env))
    .find((other) => other.targets.compose?.output === "in-place" && (other.targets.compose.file ?? "") === (target.file ?? ""));
  if (earlier) {
    issues.add(
      at("file"),
      `environments ${earlier.name} and ${env.name} would both update ${userFile.path} in place`,
      "give each environment its own compose file (targets.compose.file)",
      "compose.file-shared",
    );
  }
}
