/**
 * install-<service>.sh, run as root on the server. Every value reaches it as one shellWord(): assigned
 * to a variable or passed as an argument, never pasted inside double quotes (docs/systemd.md).
 */
import path from "node:path/posix";
import type { TargetContext } from "../../artifact.js";
import type { EnvBinding } from "../../env-mapping.js";
import { hashHeader } from "../../header.js";
import { shellWord } from "../../render/quote/sh.js";
import { renderTemplate } from "../../templates.js";
import { CONFIG_DIR, DEFAULT_BINARY, HOME_ROOTS, under, UNIT_DIR, type SystemdSettings } from "./settings.js";
import { literalPath, type DatabasePlan } from "../../plan/model.js";

export interface OutputFiles {
  unit: string;
  env: string | undefined;
  restore: string | undefined;
  /** restoreFrom: the generated restore-only config, installed beside the config. */
  restoreFrom?: string | undefined;
  beforeApp: string | undefined;
  dropIns: { unit: string; file: string; installed: string }[];
  install: string;
}

export { debAssets } from "../../versions/index.js";

/** `"$here"/<file relative to the script>`: the variable quoted, the rest one shell word. */
function fromScript(install: string, file: string): string {
  return `"$here"/${shellWord(path.relative(path.dirname(install), file))}`;
}

export function renderInstallScript(ctx: TargetContext, s: SystemdSettings, files: OutputFiles, bindings: EnvBinding[]): string {
  const { plan, env } = ctx;
  const { deb } = plan.litestream;
  const installs = [
    { mode: "0640", group: shellWord(s.group), from: fromScript(files.install, env.configFile), to: '"$CONFIG"' },
    ...(files.restoreFrom && s.restoreFromConfigPath
      ? [
          {
            mode: "0640",
            group: shellWord(s.group),
            from: fromScript(files.install, files.restoreFrom),
            to: shellWord(s.restoreFromConfigPath),
          },
        ]
      : []),
    ...(files.restore
      ? [{ mode: "0750", group: shellWord(s.group), from: fromScript(files.install, files.restore), to: shellWord(s.restoreScriptPath!) }]
      : []),
    { mode: "0644", group: "root", from: fromScript(files.install, files.unit), to: shellWord(`${UNIT_DIR}/${s.unitName}`) },
    ...(files.beforeApp
      ? [{ mode: "0644", group: "root", from: fromScript(files.install, files.beforeApp), to: shellWord(`${UNIT_DIR}/${s.beforeAppUnit}`) }]
      : []),
    ...files.dropIns.map((d) => ({ mode: "0644", group: "root", from: fromScript(files.install, d.file), to: shellWord(d.installed) })),
  ];
  return renderTemplate("install-litestream.sh.hbs", {
    header: hashHeader(`installs Litestream ${plan.litestream.release} as ${s.unitName}, environment "${env.name}"`),
    scriptPath: files.install,
    release: plan.litestream.release,
    serviceName: s.serviceName,
    unitName: s.unitName,
    appUnits: s.appUnits.join(", "),
    appUnitsText: shellWord(s.appUnits.join(", ")),
    appUnitWords: s.appUnits.map(shellWord),
    beforeAppUnit: s.beforeAppUnit,
    user: s.user,
    group: s.group,
    appUser: s.appUser ?? "",
    hasAppUser: s.appUser !== undefined && s.appUser !== "root",
    binary: shellWord(s.binary),
    installDeb: s.binary === DEFAULT_BINARY,
    debUrlAmd64: shellWord(deb.urls.amd64),
    debUrlArm64: shellWord(deb.urls.arm64),
    verifyDeb: deb.verify,
    debSha256Amd64: shellWord(deb.sha256.amd64 ?? ""),
    debSha256Arm64: shellWord(deb.sha256.arm64 ?? ""),
    debSha256Source: deb.source,
    configDir: shellWord(CONFIG_DIR),
    configPath: shellWord(s.configPath),
    envPath: shellWord(s.envPath),
    envFile: files.env && fromScript(files.install, files.env),
    envNames: bindings.map((b) => b.name),
    installs,
    ...databaseLines(env.databases),
    replicaDirs: s.directories.fileReplicas.map((dir) => `install -d -m 0750 -o ${s.user} -g ${s.group} ${shellWord(dir)}`).join("\n"),
    sftpKeys: s.directories.sftpKeys.map(shellWord),
  });
}

/**
 * The script's per-database parts, each as one text: a template loop over thousands of databases
 * costs far more than joining their lines.
 */
function databaseLines(databases: readonly DatabasePlan[]): { shareDatabases: string; missingNotes: string } {
  const share: string[] = [];
  const notes: string[] = [];
  for (const db of databases) {
    const file = literalPath(db.path);
    const dir = path.dirname(file);
    const dirWord = shellWord(dir);
    share.push(`share_database ${dirWord} ${shellWord(path.basename(file))}`);
    if (!under(dir, HOME_ROOTS)) share.push(`check_reachable ${dirWord}`);
    notes.push(missingNote(shellWord(file)));
  }
  return { shareDatabases: share.join("\n"), missingNotes: notes.join("\n") };
}

function missingNote(fileWord: string): string {
  return `[ -e ${fileWord} ] ||
  printf 'Note: %s does not exist yet (no backup to restore). SQLite creates it with mode 0644: once the app has, run this script again so that Litestream can write it.\\n' ${fileWord}`;
}
