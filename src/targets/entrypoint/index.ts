/**
 * Container entrypoint target (seeds 001, 003): for apps that run Litestream inside their own image.
 * Two files per environment: a POSIX sh entrypoint that restores missing databases and then runs the
 * app under `litestream replicate -exec`, and the Dockerfile lines that install Litestream, the config
 * and the entrypoint into the image.
 */
import {
  anyVariableSet,
  databasePathCheckLines,
  databasePathWord,
  requiredSettings,
  startupCheckLines,
} from "../../render/startup-checks.js";
import type { Artifact, TargetContext } from "../../artifact.js";
import { defineTarget, targetIssuePath } from "../contract.js";
import { EntrypointTarget } from "./schema.js";
import { envBindings, type EnvBinding } from "../../env-mapping.js";
import type { IssuePath } from "../../errors.js";
import type { EnvironmentPlan } from "../../plan/model.js";
import { hashHeader } from "../../header.js";
import { renderTemplate } from "../../templates.js";
import {
  copyDestinationProblem,
  copyInstruction,
  copySourceProblem,
  imageReferenceProblem,
  jsonOnOneLine,
  type DockerfileValueProblem,
} from "../../render/quote/dockerfile.js";
import { execWords, SHELL_OPERATORS, shellWord, shellWords, unrepresentableWord } from "../../render/quote/sh.js";
import { restoreMissingDatabase } from "../../render/restore-steps.js";
import { oneWriterReminder, type Platform } from "./platform.js";
import { restoreFromConfigFile } from "../../plan/restore-from.js";

export const DEFAULT_CONFIG_PATH = "/etc/litestream.yml";
export const DEFAULT_INSTALL_PATH = "/usr/local/bin/litestream-entrypoint";
/** Where the official image keeps its (static) binary, 0.3 and 0.5 alike. */
const IMAGE_BINARY = "/usr/local/bin/litestream";

export const entrypointTarget = defineTarget({
  key: "entrypoint",
  schema: EntrypointTarget,
  overrides: EntrypointTarget,
  resolve: resolveEntrypoint,
  render: renderEntrypoint,
});

export interface EntrypointSettings {
  appCommand: string[];
  beforeApp: string[][];
  configPath: string;
  installPath: string;
  platform: Platform | undefined;
}

/** The merged settings with defaults; undefined (and the problems) when a command cannot be run as given. */
export function resolveEntrypoint(ctx: TargetContext): EntrypointSettings | undefined {
  const target = ctx.env.targets.entrypoint;
  if (!target) return undefined;
  const at = targetPath(ctx);
  const appCommand = checkAppCommand(target.appCommand, at, ctx);
  const beforeApp = checkBeforeApp(target.beforeApp ?? [], at, ctx);
  if (!appCommand || !beforeApp) return undefined;
  return {
    appCommand,
    beforeApp,
    configPath: target.configPath ?? DEFAULT_CONFIG_PATH,
    installPath: target.installPath ?? DEFAULT_INSTALL_PATH,
    platform: target.platform,
  };
}

export function renderEntrypoint(ctx: TargetContext, settings: EntrypointSettings): Artifact[] {
  const suffix = fileSuffix(ctx);
  const entrypointFile = `bin/litestream-entrypoint${suffix}`;
  const dockerfileFile = `Dockerfile.litestream${suffix}`;
  const dockerfile = renderDockerfileSnippet(ctx, settings.appCommand, { ...settings, entrypointFile });
  if (!dockerfile) return [];
  return [
    {
      path: entrypointFile,
      content: renderEntrypointScript(ctx, settings),
      kind: "entrypoint",
      ownership: "generated",
      environment: ctx.env.name,
      mode: 0o755,
    },
    {
      path: dockerfileFile,
      content: dockerfile,
      kind: "dockerfile-snippet",
      ownership: "generated",
      environment: ctx.env.name,
    },
  ];
}

function targetPath(ctx: TargetContext): IssuePath {
  return targetIssuePath(ctx, "entrypoint");
}

function fileSuffix(ctx: TargetContext): string {
  const using = ctx.plan.environments.filter((e) => e.targets.entrypoint);
  return using.length > 1 ? `.${ctx.env.name}` : "";
}

/** Every reason the app command cannot be run as given; undefined when there is any. */
function checkAppCommand(command: string[] | undefined, at: IssuePath, ctx: TargetContext): string[] | undefined {
  if (!command) {
    ctx.issues.add(
      [...at, "appCommand"],
      "the app's command is not set: the entrypoint runs it under Litestream",
      'set appCommand to your image\'s former ENTRYPOINT + CMD, e.g. ["bin/rails", "server"]',
      "entrypoint.app-command-missing",
    );
    return undefined;
  }
  const ok = checkArgv(command, [...at, "appCommand"], ctx, {
    list: "appCommand is a list of words",
    operator:
      "no shell runs the app command (Litestream's -exec splits it into words and executes them): it would reach the app as a literal argument",
  });
  return ok ? command : undefined;
}

/** Each start-up step is an argv run by sh after the restore; undefined when any cannot be. */
function checkBeforeApp(steps: string[][], at: IssuePath, ctx: TargetContext): string[][] | undefined {
  const rules = {
    list: "each step is a list of words",
    operator: "each step is run as a list of words: it would reach the program as a literal argument",
  };
  const results = steps.map((step, s) => checkArgv(step, [...at, "beforeApp", s], ctx, rules));
  return results.every(Boolean) ? steps : undefined;
}

/** Reports every word of `argv` that cannot be passed to a program as it is meant; true when none. */
function checkArgv(argv: string[], at: IssuePath, ctx: TargetContext, rules: { list: string; operator: string }): boolean {
  let ok = true;
  const program = argv[0]!;
  if (program === "" || /\s/.test(program)) {
    ok = false;
    ctx.issues.add(
      [...at, 0],
      program === "" ? "the program to run is empty" : `the program "${program}" contains whitespace: ${rules.list}, not a command line`,
      program === "" ? "remove the empty word" : `split it into words, e.g. ${JSON.stringify(program.trim().split(/\s+/))}`,
      "entrypoint.argv-program",
    );
  }
  argv.forEach((word, i) => {
    const problem = unrepresentableWord(word);
    if (problem) {
      ok = false;
      ctx.issues.add([...at, i], `word ${i} ${problem}`, "remove that character", "entrypoint.argv-character");
    } else if (SHELL_OPERATORS.has(word)) {
      ok = false;
      ctx.issues.add(
        [...at, i],
        `"${word}" is shell syntax, but ${rules.operator}`,
        `run a shell explicitly: ["sh", "-c", ${JSON.stringify(argv.join(" "))}]`,
        "entrypoint.argv-operator",
      );
    }
  });
  return ok;
}

const RESTORE_TAG = "litestream-entrypoint";

function renderEntrypointScript(ctx: TargetContext, settings: EntrypointSettings): string {
  const { plan, env } = ctx;
  const { appCommand, beforeApp, configPath } = settings;
  const bindings = envBindings(env);
  // Litestream prefers AWS_* over LITESTREAM_* and hands its keys to the -exec child as AWS_*
  // (docs/entrypoint.md): only then do the app's keys need care.
  const separateAwsKeys = bindings.some((b) => b.name === "LITESTREAM_ACCESS_KEY_ID");
  const execStep = beforeApp.length ? 3 : 2;
  // A database path is set for the app too: it does not say that Litestream is configured (auto).
  const pathVariables = new Set(env.env.filter((v) => v.databasePath).map((v) => v.name));
  const configured = bindings.filter((b) => !pathVariables.has(b.name)).map((b) => b.secretName);
  return renderTemplate("entrypoint.sh.hbs", {
    header: hashHeader(`container entrypoint for environment "${env.name}" (Litestream ${plan.litestream.release})`),
    defaultConfig: configPath,
    seedFrom: env.restoreOnBoot ? env.restoreFrom?.environment : undefined,
    seedConfig: shellWord(restoreFromConfigFile(configPath)),
    environmentDocs: environmentDocs(bindings, configPath, env.restoreFrom !== undefined),
    restore: env.restoreOnBoot,
    retry: env.restoreRetry,
    litestreamSetup: env.restoreOnBoot || bindings.length > 0,
    restoreSteps: env.restoreOnBoot ? restoreSteps(env) : "",
    restoreProgram: separateAwsKeys ? "litestream_restore" : "litestream restore",
    startupSteps: env.restoreOnBoot || beforeApp.length > 0,
    beforeApp: beforeApp.map((step) => ({ shell: shellWords(step), comment: jsonOnOneLine(step) })),
    execStep,
    awsStep: execStep + 1,
    graceSeconds: env.shutdown.graceSeconds,
    graceReason: env.shutdown.reason,
    oneWriter: settings.platform ? oneWriterReminder(settings.platform, env.shutdown.graceSeconds) : [],
    appShell: shellWords(appCommand),
    appExec: shellWord(execWords(appCommand)),
    renames: bindings.filter((b) => b.renamed).map((b) => ({ name: b.name, secretName: b.secretName })),
    required: bindings.filter((b) => !b.setting).map((b) => b.name),
    settingChecks: [...startupCheckLines(requiredSettings(env), RESTORE_TAG), ...databasePathCheckLines(env, RESTORE_TAG)].join(
      NEXT_INDENTED_LINE,
    ),
    autoTest: anyVariableSet(configured),
    autoNames: configured.join(", "),
    separateAwsKeys,
  });
}

/**
 * Every database's restore steps as one text, its lines indented for the template's `if` block.
 * 0.3 and 0.5 alike restore explicitly: 0.5's restore-if-db-not-exists would run only inside
 * `replicate`, after the empty-file check and the beforeApp steps.
 */
function restoreSteps(env: EnvironmentPlan): string {
  const retry = env.restoreRetry && { ...env.restoreRetry, sleep: "run_step sleep" };
  const seed = env.restoreFrom && { restore: "seed_database", environment: env.restoreFrom.environment };
  const seeded = new Set(env.restoreFrom?.databases.map((d) => d.name));
  const steps = env.databases.map((db) =>
    restoreMissingDatabase({
      db: databasePathWord(db.path),
      restore: "restore_database",
      tag: RESTORE_TAG,
      retry,
      ...(seed && seeded.has(db.name) ? { seed } : {}),
    }).join(NEXT_INDENTED_LINE),
  );
  return steps.join(NEXT_INDENTED_LINE);
}

const NEXT_INDENTED_LINE = "\n  ";

function environmentDocs(bindings: EnvBinding[], configPath: string, seeded: boolean): string[] {
  const rows: Array<[string, string]> = [
    ["LITESTREAM_ENABLED", "true (default), false or auto: false runs the app alone; auto too, when none of the variables below is set."],
    ["LITESTREAM_CONFIG", `the Litestream config file (default ${configPath}).`],
    ...(seeded
      ? [
          ["LITESTREAM_RESTORE_FROM_CONFIG", `the restore-only config of restoreFrom (default ${restoreFromConfigFile(configPath)}).`] as [
            string,
            string,
          ],
        ]
      : []),
    ...bindings.map((b): [string, string] => [b.name, `${b.purpose}, required${sourceNote(b)}.`]),
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return rows.map(([name, text]) => `${name.padEnd(width)}  ${text}`);
}

function sourceNote(b: EnvBinding): string {
  if (b.source.kind === "op") return ` (1Password: ${b.source.ref})`;
  return b.renamed ? `; your ${b.secretName} is copied to it when set` : "";
}

interface DockerfileSettings {
  configPath: string;
  installPath: string;
  entrypointFile: string;
  platform: Platform | undefined;
}

/** The Dockerfile lines, every value checked for the Dockerfile (docs/entrypoint.md); undefined when one cannot be written. */
function renderDockerfileSnippet(ctx: TargetContext, appCommand: string[], s: DockerfileSettings): string | undefined {
  const { plan, env } = ctx;
  const at = targetPath(ctx);
  const checks: Array<[IssuePath, DockerfileValueProblem | undefined]> = [
    [["litestream", "image"], imageReferenceProblem(plan.litestream.image)],
    [["environments", env.name, "configFile"], copySourceProblem(env.configFile)],
    [[...at, "configPath"], copyDestinationProblem(s.configPath)],
    [[...at, "installPath"], copyDestinationProblem(s.installPath)],
  ];
  let ok = true;
  for (const [path, problem] of checks) {
    if (!problem) continue;
    ok = false;
    ctx.issues.add(path, `${problem.problem} (it is written into Dockerfile.litestream)`, problem.fix, "entrypoint.dockerfile-value");
  }
  if (!ok) return undefined;
  return renderTemplate("dockerfile-litestream.hbs", {
    header: hashHeader(`Dockerfile lines for Litestream ${plan.litestream.release} inside the app image, environment "${env.name}"`),
    release: plan.litestream.release,
    copyBinary: copyInstruction([`--from=${plan.litestream.image}`], [IMAGE_BINARY], "/usr/local/bin/litestream"),
    copyConfig: copyInstruction([], [env.configFile], s.configPath),
    copyRestoreFrom: env.restoreFrom ? copyInstruction([], [env.restoreFrom.configFile], restoreFromConfigFile(s.configPath)) : undefined,
    seedFrom: env.restoreFrom?.environment,
    copyEntrypoint: copyInstruction(["--chmod=0755"], [s.entrypointFile], s.installPath),
    entrypointJson: JSON.stringify([s.installPath]),
    formerCommand: jsonOnOneLine(appCommand),
    graceSeconds: env.shutdown.graceSeconds,
    graceReason: env.shutdown.reason,
    oneWriter: s.platform ? oneWriterReminder(s.platform, env.shutdown.graceSeconds) : [],
  });
}
