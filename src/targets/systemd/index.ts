/**
 * systemd target (seed 004): Litestream as a hardened system service next to an app on the same host.
 * Per environment: the unit, the restore script its ExecStartPre= runs, a template of its
 * EnvironmentFile (variable names only), a drop-in per app unit that orders it after the restore,
 * optionally a oneshot unit for the beforeApp steps, and an install script (docs/systemd.md).
 */
import { requiredSettings, startupCheckLines } from "../../render/startup-checks.js";
import path from "node:path/posix";
import type { Artifact, TargetContext } from "../../artifact.js";
import { defineTarget } from "../contract.js";
import { SystemdTarget } from "./schema.js";
import { envBindings, type EnvBinding } from "../../env-mapping.js";
import { hashHeader } from "../../header.js";
import { restoreMissingDatabase } from "../../render/restore-steps.js";
import { shellWord, shellWords } from "../../render/quote/sh.js";
import { systemdCommandLine, systemdExecWord, systemdListPath, systemdPathValue } from "../../render/quote/systemd.js";
import { renderTemplate } from "../../templates.js";
import { renderInstallScript, type OutputFiles } from "./install.js";
import { HOME_ROOTS, outputDir, resolveSettings, TMP_ROOTS, under, UNIT_DIR, type SystemdSettings } from "./settings.js";
import { literalPath, type EnvironmentPlan } from "../../plan/model.js";

export { DEFAULT_BINARY } from "./settings.js";
export { debAssets } from "./install.js";

export const systemdTarget = defineTarget({
  key: "systemd",
  schema: SystemdTarget,
  overrides: SystemdTarget,
  resolve: (ctx: TargetContext): SystemdSettings | undefined => (ctx.env.targets.systemd ? resolveSettings(ctx) : undefined),
  render: renderSystemd,
});

export function renderSystemd(ctx: TargetContext, s: SystemdSettings): Artifact[] {
  const dir = outputDir(ctx);
  const bindings = envBindings(ctx.env);
  const files: OutputFiles = {
    unit: `${dir}/${s.unitName}`,
    env: bindings.length > 0 ? `${dir}/${s.serviceName}.env.template` : undefined,
    restore: s.restoreScriptPath ? `${dir}/${path.basename(s.restoreScriptPath)}` : undefined,
    ...(s.restoreFromConfigPath && ctx.env.restoreFrom ? { restoreFrom: ctx.env.restoreFrom.configFile } : {}),
    beforeApp: s.beforeAppUnit ? `${dir}/${s.beforeAppUnit}` : undefined,
    dropIns: s.appUnits.map((unit) => ({ unit, file: `${dir}/${unit}.d/${s.serviceName}.conf`, installed: dropInPath(s, unit) })),
    install: `${dir}/install-${s.serviceName}.sh`,
  };
  const base = { ownership: "generated", environment: ctx.env.name } as const;
  const artifacts: Artifact[] = [{ ...base, path: files.unit, kind: "systemd-unit", content: renderUnit(ctx, s, bindings.length > 0) }];
  if (files.restore)
    artifacts.push({ ...base, path: files.restore, kind: "systemd-script", mode: 0o755, content: renderRestoreScript(ctx, s) });
  if (files.env) artifacts.push({ ...base, path: files.env, kind: "systemd-env", content: renderEnvTemplate(ctx, s, bindings) });
  if (files.beforeApp) artifacts.push({ ...base, path: files.beforeApp, kind: "systemd-unit", content: renderBeforeAppUnit(ctx, s) });
  for (const dropIn of files.dropIns)
    artifacts.push({ ...base, path: dropIn.file, kind: "systemd-unit", content: renderAppDropIn(ctx, s, dropIn.unit) });
  artifacts.push({
    ...base,
    path: files.install,
    kind: "install-script",
    mode: 0o755,
    content: renderInstallScript(ctx, s, files, bindings),
  });
  return artifacts;
}

/** One ExecStartPre= line: the lines of src/render/startup-checks.ts joined by "; " ($ written $$). */
function startupCheck(ctx: TargetContext): string | undefined {
  const lines = startupCheckLines(requiredSettings(ctx.env), "litestream");
  return lines.length ? systemdCommandLine(["/bin/sh", "-c", lines.join("; ")]) : undefined;
}

export function dropInPath(s: SystemdSettings, appUnit: string): string {
  return `${UNIT_DIR}/${appUnit}.d/${s.serviceName}.conf`;
}

function renderUnit(ctx: TargetContext, s: SystemdSettings, hasEnv: boolean): string {
  const { plan, env } = ctx;
  const dirs = s.directories.writable;
  const homeDirs = dirs.filter((d) => under(d, HOME_ROOTS));
  const tmpDirs = dirs.filter((d) => under(d, TMP_ROOTS));
  const restoreScript = s.restoreScriptPath;
  return renderTemplate("systemd-litestream.service.hbs", {
    header: hashHeader(`systemd unit ${s.unitName} for environment "${env.name}" (Litestream ${plan.litestream.release})`),
    unitName: s.unitName,
    description: `Litestream ${plan.litestream.release}: replication of ${plan.name}'s SQLite databases (${env.name})`,
    appUnits: s.appUnits.join(", "),
    user: s.user,
    group: s.group,
    hasEnv,
    envPath: s.envPath,
    restoreScript,
    startupCheck: startupCheck(ctx),
    restores: restoreScript ? restoreLines(restoreScript, env) : "",
    v05: plan.litestream.version === "0.5",
    retry: restoreScript ? env.restoreRetry : undefined,
    execStart: systemdCommandLine([s.binary, "replicate", "-config", s.configPath]),
    graceSeconds: env.shutdown.graceSeconds,
    graceReason: env.shutdown.reason,
    readWritePaths: dirs.map(systemdListPath).join(" "),
    homeDirs: homeDirs.map(systemdListPath).join(" "),
    homeRoots: HOME_ROOTS.join(", "),
    tmpDirs: tmpDirs.join(", "),
    dropCapabilities: s.user !== "root",
  });
}

/** An ExecStartPre= line per database, as one text (a template loop over thousands of lines is slow). */
function restoreLines(restoreScript: string, env: EnvironmentPlan): string {
  // The command line's first two words are the same on every line: quoted once.
  const command = systemdCommandLine(["/bin/sh", restoreScript]);
  return env.databases.map((db) => `ExecStartPre=${command} ${systemdExecWord(literalPath(db.path))}`).join("\n");
}

/**
 * The steps of docs/lifecycle.md §1 for the database given as $1. Litestream 0.3.13 restores a
 * database as mode 0600 whatever the umask (measured in test/systemd.test.ts): the app's user could
 * not open it, so a database this user owns (the one just restored) is given to the group.
 */
function renderRestoreScript(ctx: TargetContext, s: SystemdSettings): string {
  const restore = `${shellWords([s.binary, "restore", "-config", s.configPath])} -if-db-not-exists -if-replica-exists`;
  const from = ctx.env.restoreFrom;
  const seeded = from?.databases.map((db) => literalPath(db.path)) ?? [];
  const some = seeded.length < ctx.env.databases.length;
  const seed =
    from && s.restoreFromConfigPath
      ? {
          restore: `${shellWords([s.binary, "restore", "-config", s.restoreFromConfigPath])} -if-db-not-exists -if-replica-exists`,
          environment: from.environment,
          ...(some ? { when: '[ -n "$seeded" ]' } : {}),
        }
      : undefined;
  return renderTemplate("systemd-restore.sh.hbs", {
    header: hashHeader(`restore before ${s.unitName} starts, environment "${ctx.env.name}"`),
    installedAs: s.restoreScriptPath,
    unitName: s.unitName,
    user: s.user,
    seedFrom: seed ? from?.environment : undefined,
    seededCase: seed && some ? seeded.map(shellWord).join(" | ") : undefined,
    steps: restoreMissingDatabase({
      db: '"$db"',
      restore,
      tag: `${s.serviceName}-restore`,
      retry: ctx.env.restoreRetry,
      ...(seed ? { seed } : {}),
    }),
  });
}

function renderBeforeAppUnit(ctx: TargetContext, s: SystemdSettings): string {
  return renderTemplate("systemd-before-app.service.hbs", {
    header: hashHeader(`oneshot unit ${s.beforeAppUnit} (beforeApp steps), environment "${ctx.env.name}"`),
    unitName: s.beforeAppUnit,
    litestreamUnit: s.unitName,
    appUnits: s.appUnits.join(", "),
    user: s.appUser && s.appUser !== "root" ? s.appUser : undefined,
    workingDirectory: s.appWorkingDirectory && systemdPathValue(s.appWorkingDirectory),
    environmentFile: s.appEnvironmentFile && systemdPathValue(s.appEnvironmentFile),
    steps: s.beforeApp.map(systemdCommandLine),
  });
}

function renderAppDropIn(ctx: TargetContext, s: SystemdSettings, appUnit: string): string {
  const requires = [s.unitName, ...(s.beforeAppUnit ? [s.beforeAppUnit] : [])].join(" ");
  return renderTemplate("systemd-app-dropin.conf.hbs", {
    header: hashHeader(`drop-in ordering ${appUnit} after ${s.unitName}, environment "${ctx.env.name}"`),
    appUnit,
    unitName: s.unitName,
    beforeAppUnit: s.beforeAppUnit,
    requires,
    installedAs: dropInPath(s, appUnit),
  });
}

function renderEnvTemplate(ctx: TargetContext, s: SystemdSettings, bindings: EnvBinding[]): string {
  return renderTemplate("systemd-litestream.env.hbs", {
    header: hashHeader(`template of ${s.envPath} for ${s.unitName}, environment "${ctx.env.name}"`),
    envPath: s.envPath,
    variables: bindings.map((b) => ({ name: b.name, comment: `${capitalize(b.purpose)}${envSourceNote(b)}.` })),
  });
}

function envSourceNote(b: EnvBinding): string {
  if (b.source.kind === "op") return `: the value of ${b.source.ref} (op read '${b.source.ref}')`;
  return b.renamed ? `: the value of your ${b.secretName}` : "";
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
