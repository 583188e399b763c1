/**
 * systemd target (seed 004): Litestream as a hardened system service next to an app on the same host.
 * Four files per environment: the unit, a template of its EnvironmentFile (variable names only), a
 * drop-in that orders the app's unit after Litestream, and an install script for the pinned release.
 */
import path from "node:path/posix";
import type { Artifact, TargetContext, TargetRenderer } from "../../artifact.js";
import { envBindings, type EnvBinding } from "../../env-mapping.js";
import type { IssuePath } from "../../errors.js";
import { hashHeader } from "../../header.js";
import { renderTemplate } from "../../templates.js";
import { shellWord } from "../../render/quote/sh.js";

export const DEFAULT_BINARY = "/usr/bin/litestream";
const CONFIG_DIR = "/etc/litestream";
/** Where home directories live: hidden by ProtectHome=, so paths below need BindPaths= on a tmpfs. */
const HOME_ROOTS = ["/home", "/root", "/run/user"];
const TMP_ROOTS = ["/tmp", "/var/tmp"];

export interface SystemdSettings {
  serviceName: string;
  user: string;
  group: string;
  appUser: string | undefined;
  appUnit: string;
  binary: string;
  configPath: string;
  envPath: string;
}

export const renderSystemd: TargetRenderer = (ctx) => {
  const target = ctx.env.targets.systemd;
  if (!target) return [];
  const serviceName = target.serviceName ?? "litestream";
  const user = target.user ?? "litestream";
  const settings: SystemdSettings = {
    serviceName,
    user,
    group: target.group ?? user,
    appUser: target.appUser,
    appUnit: target.appUnit ?? `${ctx.plan.name}.service`,
    binary: target.binary ?? DEFAULT_BINARY,
    configPath: `${CONFIG_DIR}/${serviceName}.yml`,
    envPath: `${CONFIG_DIR}/${serviceName}.env`,
  };
  checkSettings(ctx, settings);

  const dir = outputDir(ctx);
  const bindings = envBindings(ctx.env);
  const files = {
    unit: `${dir}/${serviceName}.service`,
    env: `${dir}/${serviceName}.env.template`,
    dropIn: `${dir}/${settings.appUnit}.d/${serviceName}.conf`,
    install: `${dir}/install-${serviceName}.sh`,
  };
  const base = { ownership: "generated", environment: ctx.env.name } as const;
  const artifacts: Artifact[] = [
    { ...base, path: files.unit, kind: "systemd-unit", content: renderUnit(ctx, settings, bindings.length > 0) },
    { ...base, path: files.dropIn, kind: "systemd-unit", content: renderAppDropIn(ctx, settings) },
    { ...base, path: files.install, kind: "install-script", mode: 0o755, content: renderInstallScript(ctx, settings, files, bindings) },
  ];
  if (bindings.length > 0) {
    artifacts.splice(1, 0, { ...base, path: files.env, kind: "systemd-env", content: renderEnvTemplate(ctx, settings, bindings) });
  }
  return artifacts;
};

function targetPath(ctx: TargetContext): IssuePath {
  return ctx.plan.environments.length > 1 ? ["environments", ctx.env.name, "targets", "systemd"] : ["targets", "systemd"];
}

function outputDir(ctx: TargetContext): string {
  const using = ctx.plan.environments.filter((e) => e.targets.systemd);
  return using.length > 1 ? `deploy/systemd/${ctx.env.name}` : "deploy/systemd";
}

function checkSettings(ctx: TargetContext, s: SystemdSettings): void {
  const at = targetPath(ctx);
  if (s.appUnit === `${s.serviceName}.service`) {
    ctx.issues.add([...at, "appUnit"], `the app's unit cannot be ${s.appUnit}, the Litestream unit itself`, "set appUnit to the unit that runs your app");
  }
  for (const dir of writableDirs(ctx)) {
    if (!dir.startsWith("/")) continue; // the plan already reported the relative path
    if (/[\s"'\\:]/.test(dir)) {
      ctx.issues.add([...at], `the directory ${JSON.stringify(dir)} contains whitespace, a quote, a backslash or a colon, which ReadWritePaths=/BindPaths= do not take as is`, "move the database (or file replica) to a plain path");
    }
  }
}

/** Litestream writes next to each database (-wal, -shm, .<db>-litestream) and into file replicas. */
function writableDirs(ctx: TargetContext): string[] {
  const dirs = new Set<string>();
  for (const db of ctx.env.databases) {
    dirs.add(path.dirname(db.path));
    for (const r of db.replicas) if (r.type === "file") dirs.add(r.path);
  }
  return [...dirs];
}

function under(dir: string, roots: string[]): boolean {
  return roots.some((root) => dir === root || dir.startsWith(`${root}/`));
}

/** A word on a systemd command line or path list: `%` is a specifier, `$` a variable. */
function systemdWord(word: string): string {
  return word.replace(/%/g, "%%").replace(/\$/g, "$$$$");
}

function restoreCommand(s: SystemdSettings, dbPath: string): string {
  return [s.binary, "restore", "-config", s.configPath, "-if-db-not-exists", "-if-replica-exists", dbPath].map(systemdWord).join(" ");
}

/**
 * Litestream 0.3.13 restores a database as mode 0600 whatever the umask (measured in
 * test/systemd.test.ts): the app's user could not open it. Only our own file is touched.
 */
function shareRestoredCommand(dbPath: string): string {
  return `/bin/sh -c 'if [ -O "$$1" ]; then chmod 0660 "$$1"; fi' share-restored ${systemdWord(dbPath)}`;
}

function renderUnit(ctx: TargetContext, s: SystemdSettings, hasEnv: boolean): string {
  const { plan, env } = ctx;
  const dirs = writableDirs(ctx);
  const homeDirs = dirs.filter((d) => under(d, HOME_ROOTS));
  const tmpDirs = dirs.filter((d) => under(d, TMP_ROOTS));
  return renderTemplate("systemd-litestream.service.hbs", {
    header: hashHeader(`systemd unit ${s.serviceName}.service for environment "${env.name}" (Litestream ${plan.litestream.release})`),
    unitName: `${s.serviceName}.service`,
    description: `Litestream ${plan.litestream.release}: replication of ${plan.name}'s SQLite databases (${env.name})`,
    appUnit: s.appUnit,
    user: s.user,
    group: s.group,
    hasEnv,
    envPath: s.envPath,
    restores: env.restoreOnBoot ? env.databases.map((db) => ({ restore: restoreCommand(s, db.path), share: shareRestoredCommand(db.path) })) : [],
    noRestore: !env.restoreOnBoot,
    v05: plan.litestream.version === "0.5",
    execStart: [s.binary, "replicate", "-config", s.configPath].map(systemdWord).join(" "),
    readWritePaths: dirs.map(systemdWord).join(" "),
    homeDirs: homeDirs.map(systemdWord).join(" "),
    homeRoots: HOME_ROOTS.join(", "),
    tmpDirs: tmpDirs.join(", "),
    dropCapabilities: s.user !== "root",
  });
}

function renderAppDropIn(ctx: TargetContext, s: SystemdSettings): string {
  return renderTemplate("systemd-app-dropin.conf.hbs", {
    header: hashHeader(`drop-in ordering ${s.appUnit} after ${s.serviceName}.service, environment "${ctx.env.name}"`),
    appUnit: s.appUnit,
    unitName: `${s.serviceName}.service`,
    installedAs: `/etc/systemd/system/${s.appUnit}.d/${s.serviceName}.conf`,
  });
}

function renderEnvTemplate(ctx: TargetContext, s: SystemdSettings, bindings: EnvBinding[]): string {
  return renderTemplate("systemd-litestream.env.hbs", {
    header: hashHeader(`template of ${s.envPath} for ${s.serviceName}.service, environment "${ctx.env.name}"`),
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

interface OutputFiles {
  unit: string;
  env: string;
  dropIn: string;
  install: string;
}

/** Release asset names: 0.3 uses Go arch names and a "v"; 0.5 (goreleaser) x86_64 and no "v". */
export function debAssets(release: string): { amd64: string; arm64: string; baseUrl: string } {
  const baseUrl = `https://github.com/benbjohnson/litestream/releases/download/v${release}`;
  if (release.startsWith("0.3.")) {
    return { baseUrl, amd64: `litestream-v${release}-linux-amd64.deb`, arm64: `litestream-v${release}-linux-arm64.deb` };
  }
  return { baseUrl, amd64: `litestream-${release}-linux-x86_64.deb`, arm64: `litestream-${release}-linux-arm64.deb` };
}

function renderInstallScript(ctx: TargetContext, s: SystemdSettings, files: OutputFiles, bindings: EnvBinding[]): string {
  const { plan, env } = ctx;
  const here = path.dirname(files.install);
  const fromHere = (file: string) => path.relative(here, file);
  const assets = debAssets(plan.litestream.release);
  const replicaDirs = [...new Set(env.databases.flatMap((db) => db.replicas.filter((r) => r.type === "file").map((r) => r.path)))];
  return renderTemplate("install-litestream.sh.hbs", {
    header: hashHeader(`installs Litestream ${plan.litestream.release} as ${s.serviceName}.service, environment "${env.name}"`),
    release: plan.litestream.release,
    scriptPath: files.install,
    unitName: `${s.serviceName}.service`,
    serviceName: s.serviceName,
    appUnit: s.appUnit,
    user: s.user,
    group: s.group,
    appUser: s.appUser ?? "",
    hasAppUser: s.appUser !== undefined && s.appUser !== "root",
    binary: s.binary,
    installDeb: s.binary === DEFAULT_BINARY,
    debUrlAmd64: `${assets.baseUrl}/${assets.amd64}`,
    debUrlArm64: `${assets.baseUrl}/${assets.arm64}`,
    configDir: CONFIG_DIR,
    configPath: s.configPath,
    envPath: s.envPath,
    hasEnv: bindings.length > 0,
    envNames: bindings.map((b) => b.name),
    srcConfig: fromHere(env.configFile),
    srcUnit: fromHere(files.unit),
    srcEnv: fromHere(files.env),
    srcDropIn: fromHere(files.dropIn),
    dropInPath: `/etc/systemd/system/${s.appUnit}.d/${s.serviceName}.conf`,
    dbs: env.databases.map((db) => ({ dir: shellWord(path.dirname(db.path)), file: shellWord(path.basename(db.path)), home: under(path.dirname(db.path), HOME_ROOTS) })),
    replicaDirs: replicaDirs.map(shellWord),
  });
}
