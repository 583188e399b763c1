/**
 * The systemd target's resolved settings, and every check that decides whether they can be written
 * into a unit and an install script exactly (docs/systemd.md).
 */
import path from "node:path/posix";
import type { TargetContext } from "../../artifact.js";
import type { IssuePath } from "../../errors.js";
import { targetIssuePath } from "../contract.js";
import { debVerificationProblem, type EnvironmentPlan, type Plan } from "../../plan.js";
import { SHELL_OPERATORS, unrepresentableWord } from "../../render/quote/sh.js";
import { systemdPathProblem } from "../../render/quote/systemd.js";
import { unrepresentableText } from "../../render/quote/text.js";
import { serviceUnitNameProblem } from "./unit-name.js";
import { literalPath } from "../../plan/model.js";

export const DEFAULT_BINARY = "/usr/bin/litestream";
export const CONFIG_DIR = "/etc/litestream";
export const UNIT_DIR = "/etc/systemd/system";
/** Where home directories live: hidden by ProtectHome=, so paths below need BindPaths= on a tmpfs. */
export const HOME_ROOTS = ["/home", "/root", "/run/user"];
export const TMP_ROOTS = ["/tmp", "/var/tmp"];

export function under(dir: string, roots: string[]): boolean {
  return roots.some((root) => dir.startsWith(root) && (dir.length === root.length || dir[root.length] === "/"));
}

export interface SystemdSettings {
  serviceName: string;
  /** `<serviceName>.service`. */
  unitName: string;
  user: string;
  group: string;
  appUser: string | undefined;
  appUnits: string[];
  binary: string;
  configPath: string;
  envPath: string;
  /** Run by ExecStartPre= once per database; undefined when restoreOnBoot is off. */
  restoreScriptPath: string | undefined;
  /** restoreFrom: the installed restore-only config the restore script seeds from. */
  restoreFromConfigPath: string | undefined;
  /** The oneshot unit that runs beforeApp between the restore and the apps. */
  beforeAppUnit: string | undefined;
  beforeApp: string[][];
  appWorkingDirectory: string | undefined;
  appEnvironmentFile: string | undefined;
  /** What the unit and the install script need from the databases' paths (see databaseDirectories). */
  directories: DatabaseDirectories;
}

function systemdEnvironments(plan: Plan): EnvironmentPlan[] {
  return plan.environments.filter((e) => e.targets.systemd);
}

/**
 * Two environments on one host would install the same unit and config: with more than one
 * environment on this target, each gets its own name (litestream-<environment>) unless it sets one.
 */
function serviceNameOf(plan: Plan, env: EnvironmentPlan): string {
  const given = env.targets.systemd?.serviceName;
  if (given) return given;
  return systemdEnvironments(plan).length > 1 ? `litestream-${env.name}` : "litestream";
}

export function targetPath(ctx: TargetContext): IssuePath {
  return targetIssuePath(ctx, "systemd");
}

export function outputDir(ctx: TargetContext): string {
  return systemdEnvironments(ctx.plan).length > 1 ? `deploy/systemd/${ctx.env.name}` : "deploy/systemd";
}

export function resolveSettings(ctx: TargetContext): SystemdSettings {
  const target = ctx.env.targets.systemd!;
  const serviceName = serviceNameOf(ctx.plan, ctx.env);
  const user = target.user ?? "litestream";
  const beforeApp = target.beforeApp ?? [];
  const settings: SystemdSettings = {
    serviceName,
    unitName: `${serviceName}.service`,
    user,
    group: target.group ?? user,
    appUser: target.appUser,
    appUnits: target.appUnits ?? [target.appUnit ?? `${ctx.plan.name}.service`],
    binary: target.binary ?? DEFAULT_BINARY,
    configPath: `${CONFIG_DIR}/${serviceName}.yml`,
    envPath: `${CONFIG_DIR}/${serviceName}.env`,
    restoreScriptPath: ctx.env.restoreOnBoot ? `${CONFIG_DIR}/${serviceName}-restore.sh` : undefined,
    restoreFromConfigPath: ctx.env.restoreOnBoot && ctx.env.restoreFrom ? `${CONFIG_DIR}/${serviceName}.restore-from.yml` : undefined,
    beforeAppUnit: beforeApp.length > 0 ? `${serviceName}-before-app.service` : undefined,
    beforeApp,
    appWorkingDirectory: target.appWorkingDirectory,
    appEnvironmentFile: target.appEnvironmentFile,
    directories: databaseDirectories(ctx.env),
  };
  checkSettings(ctx, settings);
  return settings;
}

export interface DatabaseDirectories {
  /** Litestream writes next to each database (-wal, -shm, .<db>-litestream) and into file replicas. */
  writable: string[];
  /** The file replicas' directories, which the install script creates. */
  fileReplicas: string[];
  /** The SFTP replicas' private key files (absolute paths). */
  sftpKeys: string[];
}

/** Each path once, in the order of the databases; one pass over them (there may be thousands). */
export function databaseDirectories(env: EnvironmentPlan): DatabaseDirectories {
  const writable = new Set<string>();
  const fileReplicas = new Set<string>();
  const sftpKeys = new Set<string>();
  for (const db of env.databases) {
    writable.add(path.dirname(literalPath(db.path)));
    for (const r of db.replicas) {
      if (r.type === "file") {
        writable.add(r.path);
        fileReplicas.add(r.path);
      } else if (r.type === "sftp" && r.keyPath?.startsWith("/")) sftpKeys.add(r.keyPath);
    }
  }
  return { writable: [...writable], fileReplicas: [...fileReplicas], sftpKeys: [...sftpKeys] };
}

/**
 * A key below /home, /root or /run/user is hidden from the unit by ProtectHome= unless its
 * directory is one the unit binds (a database directory there); one in /tmp by PrivateTmp=.
 */
function checkSftpKeys(ctx: TargetContext, at: IssuePath, { writable, sftpKeys }: DatabaseDirectories): void {
  const bound = writable.filter((d) => under(d, HOME_ROOTS));
  const privateTmp = !writable.some((d) => under(d, TMP_ROOTS));
  for (const key of sftpKeys) {
    const dir = path.dirname(key);
    const hidden = (under(dir, HOME_ROOTS) && !bound.some((b) => under(dir, [b]))) || (privateTmp && under(dir, TMP_ROOTS));
    if (!hidden) continue;
    ctx.warnings.push({
      path: at,
      message: `the SFTP key ${key} is hidden from ${ctx.env.name}'s Litestream unit (${under(dir, HOME_ROOTS) ? "ProtectHome=" : "PrivateTmp="}), so replication would fail: copy it to ${CONFIG_DIR}/ (owned by the service user, mode 0600) and set keyPath there (docs/systemd.md)`,
    });
  }
}

function checkSettings(ctx: TargetContext, s: SystemdSettings): void {
  const at = targetPath(ctx);
  const target = ctx.env.targets.systemd!;
  checkServiceName(ctx, s, at);
  checkSftpKeys(ctx, at, s.directories);
  if (target.appUnit !== undefined && target.appUnits !== undefined) {
    ctx.issues.add(
      [...at, "appUnits"],
      "appUnit and appUnits are both set; appUnit is the one-unit shorthand of appUnits",
      `keep appUnits only: appUnits: ${JSON.stringify([...new Set([target.appUnit, ...target.appUnits])])}`,
      "systemd.app-units-both",
    );
  }
  const unitAt: IssuePath = target.appUnits ? [...at, "appUnits"] : [...at, "appUnit"];
  const seen = new Set<string>();
  s.appUnits.forEach((unit, i) => {
    const where = target.appUnits ? [...unitAt, i] : unitAt;
    const problem = serviceUnitNameProblem(unit);
    if (problem)
      ctx.issues.add(
        where,
        `${JSON.stringify(unit)} ${problem}`,
        'name the unit that runs your app, e.g. "web.service" or "app@blue.service"',
        "systemd.app-unit-name",
      );
    else if (unit === s.unitName || unit === s.beforeAppUnit)
      ctx.issues.add(
        where,
        `the app's unit cannot be ${unit}, a unit this target generates`,
        "name the unit that runs your app",
        "systemd.app-unit-ours",
      );
    else if (seen.has(unit)) ctx.issues.add(where, `${unit} is listed twice`, "list each app unit once", "systemd.app-unit-twice");
    seen.add(unit);
  });
  for (const dir of s.directories.writable) {
    if (!dir.startsWith("/")) continue; // the plan already reported the relative path
    const problem = systemdPathProblem(dir);
    if (problem)
      ctx.issues.add(
        at,
        `the directory ${JSON.stringify(dir)}, which ReadWritePaths= must list, ${problem}`,
        "move the database (or file replica) to a plain absolute path",
        "systemd.path",
      );
  }
  for (const db of ctx.env.databases) {
    const problem = unrepresentableText(literalPath(db.path));
    if (problem)
      ctx.issues.add(
        at,
        `the database path ${JSON.stringify(literalPath(db.path))} ${problem} (a unit's command line or the install script)`,
        "rename the database file without control characters",
        "systemd.text",
      );
  }
  const configProblem = unrepresentableText(ctx.env.configFile);
  if (configProblem)
    ctx.issues.add(
      at,
      `the config file ${JSON.stringify(ctx.env.configFile)} ${configProblem}`,
      "name the config file without control characters",
      "systemd.text",
    );
  checkBeforeApp(ctx, s, at);
  // Only a downloaded .deb needs a known SHA-256 (docs/versions.md); reported once, by the first environment.
  const deb = s.binary === DEFAULT_BINARY ? debVerificationProblem(ctx.plan.litestream) : undefined;
  if (deb && systemdEnvironments(ctx.plan)[0] === ctx.env)
    ctx.issues.add(["litestream", "checksum"], deb.message, deb.fix, "checksum.unknown");
}

function checkServiceName(ctx: TargetContext, s: SystemdSettings, at: IssuePath): void {
  const clash = systemdEnvironments(ctx.plan).find((e) => e !== ctx.env && serviceNameOf(ctx.plan, e) === s.serviceName);
  const earlier = clash && ctx.plan.environments.indexOf(clash) < ctx.plan.environments.indexOf(ctx.env);
  if (clash && earlier) {
    ctx.issues.add(
      [...at, "serviceName"],
      `environments "${clash.name}" and "${ctx.env.name}" would both install ${UNIT_DIR}/${s.unitName} and ${CONFIG_DIR}/${s.serviceName}.yml: on one host, the second replaces the first`,
      `remove serviceName (each environment then gets litestream-<environment>) or give each environment its own, e.g. "litestream-${ctx.env.name}"`,
      "systemd.service-name-shared",
    );
  }
}

function checkBeforeApp(ctx: TargetContext, s: SystemdSettings, at: IssuePath): void {
  s.beforeApp.forEach((step, i) => {
    const stepAt: IssuePath = [...at, "beforeApp", i];
    if (!step[0]!.startsWith("/")) {
      ctx.issues.add(
        [...stepAt, 0],
        `${JSON.stringify(step[0])} is not an absolute path: systemd looks a bare name up in its own fixed search path, not the app's PATH`,
        `give the full path, e.g. ${JSON.stringify(`/usr/bin/${step[0]}`)}`,
        "systemd.before-app-relative",
      );
    }
    step.forEach((word, j) => {
      const problem = unrepresentableWord(word) ?? unrepresentableText(word);
      if (problem)
        ctx.issues.add(
          [...stepAt, j],
          `${JSON.stringify(word)} ${problem}`,
          "write the argument without control characters",
          "systemd.argv-character",
        );
      else if (SHELL_OPERATORS.has(word)) {
        ctx.issues.add(
          [...stepAt, j],
          `${JSON.stringify(word)} is a shell operator, but systemd runs no shell: the command would get it as an argument`,
          'make each command its own step, or run a shell: ["/bin/sh", "-c", "…"]',
          "systemd.argv-operator",
        );
      }
    });
  });
  for (const key of ["appWorkingDirectory", "appEnvironmentFile"] as const) {
    const value = s[key];
    if (value === undefined) continue;
    if (s.beforeApp.length === 0)
      ctx.issues.add(
        [...at, key],
        `${key} applies to the beforeApp steps, and there are none`,
        `remove ${key}, or add beforeApp`,
        "systemd.before-app-unused",
      );
    const problem = systemdPathProblem(value);
    if (problem) ctx.issues.add([...at, key], `${JSON.stringify(value)} ${problem}`, "give an absolute, normalized path", "systemd.path");
  }
}
