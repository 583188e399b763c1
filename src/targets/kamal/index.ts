/**
 * Kamal 2 target: for one environment, the `litestream` accessory (and, with `verification`, the
 * `litestream-drill` accessory) as a standalone partial file, the same accessories set in the user's
 * config/deploy.yml (or config/deploy.<destination>.yml), and the credentials' lines (and the drill's
 * heartbeat URL) in .kamal/secrets (or .kamal/secrets.<destination>).
 */
import { isDeepStrictEqual } from "node:util";
import type { Artifact, TargetContext, TargetRenderer } from "../../artifact.js";
import { envBindings, type EnvBinding } from "../../env-mapping.js";
import { IssueList } from "../../errors.js";
import { GENERATOR, REGENERATE_COMMAND } from "../../header.js";
import type { EnvironmentPlan } from "../../plan.js";
import { ACCESSORY_NAME, planKamalAccessory, type AccessoryValue, type KamalAccessory } from "./accessory.js";
import { accessoryValue, appVolumes, ownedAccessory, renderPartialFile, updateDeployFile } from "./deploy-file.js";
import { DRILL_ACCESSORY, ownedDrill, type KamalDrill } from "./drill.js";
import { entrypointCall, renderWaitScript, WAIT_SCRIPT_PATH, withEntrypointBlock } from "./app-gate.js";
import { SHELL_OPERATORS, unrepresentableWord } from "../../render/quote/sh.js";
import { unrepresentableText } from "../../render/quote/text.js";
import { knownBadReleases, type KamalUse } from "./releases.js";
import { kamalSupports } from "./rules.js";
import { appHosts, deployServers, selectedHosts, serversSnippet, type AppHost } from "./servers.js";
import { dotenvDefinitions, secretsBlock, secretsLines, splitBlock, withSecretsBlock } from "./secrets.js";
import {
  deployFilePath,
  destinationFlag,
  destinationOf,
  partialFilePath,
  resolveKamalSettings,
  secretsFilePath,
  type KamalSettings,
} from "./settings.js";

export const renderKamal: TargetRenderer = (ctx) => {
  const settings = resolveKamalSettings(ctx.plan, ctx.env, ctx.issues, ctx.warnings);
  const planned: Planned = { settings };
  plannedEnvironments.set(ctx.env, planned);
  if (!settings) return [];
  checkReleases(ctx, settings, { namedVolume: !settings.volume.source.startsWith("/"), adapterLines: false, shellEntrypoint: false });
  const accessory = planKamalAccessory(ctx, settings);
  planned.value = accessory?.value;
  if (!accessory) return [];
  if (settings.destination) checkDestinationMerge(ctx, settings, accessory);
  checkAppMount(ctx, settings);
  checkAccessoryHosts(ctx, settings);
  const gate = renderAppGate(ctx, settings, accessory);
  const drill = ctx.scheduled?.kamalDrill;
  if (settings.destination) checkDrillMerge(ctx, settings, drill);
  const owned = [ownedAccessory(accessory, managedMarker()), ...(drill ? [ownedDrill(drill, managedMarker())] : [])];

  const files: Artifact[] = [];
  const base = { environment: ctx.env.name } as const;
  files.push({
    ...base,
    path: partialFilePath(settings.destination),
    content: renderPartialFile(owned, headerWhat(ctx, settings), usageLines(settings, drill)),
    kind: "kamal-accessory",
    ownership: "generated",
  });

  const deployFile = deployFilePath(settings.destination);
  const existingDeploy = ctx.existing(deployFile);
  // A destination file is only ever edited, never created: the app's servers for a destination belong to the user (docs/kamal.md).
  if (settings.updateDeployFile && existingDeploy !== undefined) {
    // Without verification a drill accessory we wrote earlier is taken out again.
    const update = updateDeployFile(existingDeploy, owned, drill ? [] : [DRILL_ACCESSORY], managedMarker(), []);
    if ("problem" in update) {
      const names = owned.map((o) => `accessories.${o.name}`).join(" and ");
      ctx.issues.add(
        settings.at("updateDeployFile"),
        `${deployFile} cannot be updated in place: ${update.problem}`,
        update.fix ?? `set updateDeployFile: false and copy ${names} from ${partialFilePath(settings.destination)} yourself`,
        "kamal.deploy-file.update",
      );
    } else files.push({ ...base, path: deployFile, content: update.content, kind: "kamal-deploy", ownership: "shared" });
  } else if (settings.updateDeployFile && settings.destination) {
    ctx.warnings.push({
      path: settings.at("destination"),
      message: `${deployFile} does not exist, so ${ctx.env.name}'s accessory is only in ${partialFilePath(settings.destination)}: Kamal needs that file for \`-d ${settings.destination}\`, and one holding only the accessory would deploy the app and the accessory to config/deploy.yml's servers. Create it with the app's servers for ${settings.destination} (${serversHint(settings)}), then generate again`,
    });
  }

  files.push(...gate);

  const secrets = renderSecrets(ctx, settings, drill);
  if (secrets) files.push({ ...base, ...secrets, kind: "kamal-secrets", ownership: "shared" });
  return files;
};

function headerWhat(ctx: TargetContext, settings: KamalSettings): string {
  return `Kamal ${settings.version} accessory "${ACCESSORY_NAME}" for environment "${ctx.env.name}"${settings.destination ? ` (destination ${settings.destination})` : ""}`;
}

/** First comment inside the accessory: it is rewritten with the accessory, wherever that lives. */
function managedMarker(): string[] {
  return [`Managed by ${GENERATOR}: edits here are overwritten by \`${REGENERATE_COMMAND}\`.`];
}

/** Operator commands, spelled as Kamal parses them (docs/kamal.md). */
function usageLines(settings: KamalSettings, drill: KamalDrill | undefined): string[] {
  const d = destinationFlag(settings.destination);
  const deployFile = deployFilePath(settings.destination);
  const names = drill ? `accessories.${ACCESSORY_NAME} and accessories.${DRILL_ACCESSORY}` : `accessories.${ACCESSORY_NAME}`;
  const delivery = !settings.updateDeployFile
    ? `Copy ${names} below into ${deployFile} (updateDeployFile is off).`
    : settings.destination
      ? `${GENERATOR} sets ${names} in your ${deployFile} (which holds the app's servers for ${settings.destination}); without that file, create it first.`
      : `${GENERATOR} sets ${names} in ${deployFile} itself, keeping every other key and comment; without that file, copy ${drill ? "them" : "it"} there.`;
  const boot = !settings.restoreOnBoot
    ? ["Restore on boot is off: the accessory only replicates, and the app starts without waiting."]
    : [
        "Boot order: Kamal starts this accessory with `docker run --detach` and boots the app right after it,",
        "without waiting. The accessory removes its marker, restores every missing database (when a backup",
        `exists), then writes ${settings.marker}.`,
        `The app's entrypoint runs ${WAIT_SCRIPT_PATH} first, which waits for that file (docs/kamal.md).`,
        "- `kamal setup` on a fresh host: no database, no marker; the app waits until the restore is done.",
        "- `kamal deploy`: the accessory is not touched and the marker is there; the app starts at once.",
        "- A host rebuilt after a disaster: a new, empty volume; the app waits until the accessory restored.",
        "A marker left from an earlier boot is stale only if you delete a database by hand while the volume",
        "stays: remove the marker too (or reboot the accessory) before the app starts again.",
        "Kamal's own deploy timeout still applies to the app's health check: for a long restore, boot the",
        "accessory first and wait for it:",
        `  kamal accessory boot ${ACCESSORY_NAME}${d}`,
        `  kamal accessory logs ${ACCESSORY_NAME}${d}`,
      ];
  return [
    delivery,
    "",
    ...boot,
    "After changing the Litestream config or this accessory (kamal deploy does not touch accessories):",
    `  kamal accessory reboot ${ACCESSORY_NAME}${d}`,
    "Check replication in the running accessory (--reuse: without it Kamal starts a new container, and from",
    "2.11 that one gets this accessory's options, so entrypoint /bin/sh would run `/bin/sh databases` and fail):",
    `  kamal accessory exec ${ACCESSORY_NAME} --reuse "litestream databases"${d}`,
  ];
}

/**
 * The accessory mounts the app's volume at the path the app uses, so database paths and the restore
 * marker are the same in both containers. An app that mounts the volume elsewhere is refused.
 */
function checkAppMount(ctx: TargetContext, settings: KamalSettings): void {
  const files = [...new Set([deployFilePath(settings.destination), deployFilePath()])];
  const file = files.find((f) => appVolumes(ctx.existing(f)).length > 0);
  if (!file) return;
  const mounts = appVolumes(ctx.existing(file))
    .map((v) => v.split(":"))
    .filter(([source]) => source === settings.volume.source)
    .map(([, mount = ""]) => mount.replace(/(.)\/$/, "$1"));
  if (mounts.length && !mounts.includes(settings.volume.mount)) {
    ctx.issues.add(
      settings.at("volume"),
      `${file} mounts ${settings.volume.source} at ${mounts.join(", ")} in the app, but volume says ${settings.volume.mount}: the app would look for the databases and the restore marker (${settings.marker}) elsewhere than the accessory writes them`,
      `set volume to "${settings.volume.source}:${mounts[0]}" and the database paths under ${mounts[0]}`,
      "kamal.volume.app-mount",
    );
  }
}

/** ` [-d a|b]` when environments deploy with destinations: the wait script is shared by all of them. */
function destinationHint(ctx: TargetContext): string {
  const kamalEnvs = ctx.plan.environments.filter((e) => e.targets.kamal);
  const named = kamalEnvs.map((e) => destinationOf(ctx.plan, e)).filter((d): d is string => d !== undefined);
  if (!named.length) return "";
  return named.length === kamalEnvs.length && named.length === 1 ? ` -d ${named[0]}` : ` [-d ${named.join("|")}]`;
}

/**
 * bin/litestream-wait and the app entrypoint's call to it. The app image is usually shared by every
 * destination, so every environment must ask for the same script.
 */
function renderAppGate(ctx: TargetContext, settings: KamalSettings, accessory: KamalAccessory): Artifact[] {
  if (!settings.restoreOnBoot) return [];
  const before = ctx.issues.items.length;
  settings.beforeApp.forEach((argv, i) => {
    argv.forEach((word, j) => {
      const problem = unrepresentableText(word) ?? unrepresentableWord(word);
      if (problem) ctx.issues.add(settings.at("beforeApp", i, j), `the argument ${problem}`, "remove it", "kamal.before-app.word");
      else if (SHELL_OPERATORS.has(word)) {
        ctx.issues.add(
          settings.at("beforeApp", i, j),
          `"${word}" is a shell operator; each beforeApp entry is one command's argv, passed literally`,
          "split it into separate entries",
          "kamal.before-app.operator",
        );
      }
    });
  });
  const script = renderWaitScript({ marker: settings.marker, beforeApp: settings.beforeApp, destinationHint: destinationHint(ctx) });
  for (const other of ctx.plan.environments) {
    if (other === ctx.env || !other.targets.kamal) continue;
    const theirs = otherSettings(ctx, other);
    if (!theirs?.restoreOnBoot) continue;
    // The script spells the marker and each beforeApp word exactly (the hint is the plan's): the same inputs, the same script.
    if (theirs.marker !== settings.marker || !isDeepStrictEqual(theirs.beforeApp, settings.beforeApp)) {
      ctx.issues.add(
        settings.at(),
        `environments ${ctx.env.name} and ${other.name} need different ${WAIT_SCRIPT_PATH} scripts (volume mount or beforeApp differ), but the app image holds one`,
        "give every Kamal environment the same volume mount and beforeApp",
        "kamal.app-gate.differs",
      );
      break;
    }
  }
  if (ctx.issues.items.length > before) return [];
  const files: Artifact[] = [{ path: WAIT_SCRIPT_PATH, content: script, kind: "kamal-app-gate", ownership: "generated", mode: 0o755 }];

  const line = settings.appEntrypoint ? entrypointCall(settings.appEntrypoint) : undefined;
  const existing = settings.appEntrypoint ? ctx.existing(settings.appEntrypoint) : undefined;
  const manual = `start the app as ${WAIT_SCRIPT_PATH} <command> (e.g. ENTRYPOINT ["/rails/${WAIT_SCRIPT_PATH}"]), or call ${WAIT_SCRIPT_PATH} first in your entrypoint`;
  // The comment does not depend on whether the entrypoint exists: the partial file is the same for everyone.
  accessory.comments.cmd.push(
    ...(line
      ? [
          `The app waits for the marker: ${GENERATOR} puts this line right after the shebang of ${settings.appEntrypoint}`,
          `(a marked block); without that file, add it to your entrypoint yourself: ${line}`,
        ]
      : [`The app must wait for the marker (appEntrypoint is off): ${manual}.`]),
  );
  if (settings.appEntrypoint && existing !== undefined) {
    const edit = withEntrypointBlock(existing, settings.appEntrypoint);
    if ("problem" in edit)
      ctx.issues.add(
        settings.at("appEntrypoint"),
        `${settings.appEntrypoint} cannot be updated: ${edit.problem}`,
        "fix the markers by hand (or remove the block) and generate again",
        "kamal.app-gate.markers",
      );
    else files.push({ path: settings.appEntrypoint, content: edit.content, kind: "kamal-app-gate", ownership: "shared" });
  } else if (settings.appEntrypoint && settings.appEntrypointGiven) {
    ctx.issues.add(
      settings.at("appEntrypoint"),
      `${settings.appEntrypoint} does not exist, so the app would not wait for the restore`,
      "point appEntrypoint at the app image's entrypoint script, or set appEntrypoint: false and start the app through bin/litestream-wait",
      "kamal.app-gate.missing",
    );
  } else {
    const hint = line ? `add this line right after the shebang of the app image's entrypoint: ${line}` : manual;
    ctx.warnings.push({
      path: settings.at("appEntrypoint"),
      message: `${settings.appEntrypoint || "the app's entrypoint"} is not updated, so nothing makes the app wait for the restore yet: ${hint}`,
    });
  }
  return files;
}

const SECRETS_COMMON = ".kamal/secrets-common";

/**
 * The user's lines of a destination's secrets file: the file itself, or (once, when it does not
 * exist yet) a copy of .kamal/secrets without our block, since `-d <destination>` reads
 * .kamal/secrets-common and .kamal/secrets.<destination> but not .kamal/secrets (docs/kamal.md).
 */
function secretsFileBase(ctx: TargetContext, settings: KamalSettings, path: string): string | undefined {
  const existing = ctx.existing(path);
  if (existing !== undefined || !settings.destination) return existing;
  const base = ctx.existing(secretsFilePath());
  const split = base === undefined ? undefined : splitBlock(base);
  if (!split || "problem" in split) return undefined;
  const theirs = (split.before + split.after).replace(/\n{3,}/g, "\n\n").replace(/\n+$/, "\n");
  const names = [...dotenvDefinitions(theirs).keys()];
  if (!names.length) return undefined;
  ctx.warnings.push({
    path: settings.at("destination"),
    message: `${path} did not exist: created it with your lines of ${secretsFilePath()} (${names.join(", ")}) and the Litestream block, because \`kamal … -d ${settings.destination}\` reads ${SECRETS_COMMON} and ${path}, not ${secretsFilePath()}. This copy is made once: check the values that differ for ${settings.destination} (registry, master key), or move shared lines to ${SECRETS_COMMON}`,
  });
  return theirs;
}

/** The drill accessory's heartbeat variable, read like an { env } credential (a `secrets.sources` entry applies to it). */
function heartbeatBinding(name: string): EnvBinding {
  return {
    name,
    secretName: name,
    source: { kind: "env", name },
    purpose: "the restore drill's heartbeat URL",
    renamed: false,
    expandedInConfig: false,
  };
}

function renderSecrets(ctx: TargetContext, settings: KamalSettings, drill?: KamalDrill): { path: string; content: string } | undefined {
  const path = secretsFilePath(settings.destination);
  const existing = secretsFileBase(ctx, settings, path);
  const credentials = envBindings(ctx.env);
  const heartbeatEnv = drill?.heartbeatEnv;
  const heartbeat = heartbeatEnv && !credentials.some((b) => b.name === heartbeatEnv) ? [heartbeatBinding(heartbeatEnv)] : [];
  const bindings = [...credentials, ...heartbeat];
  const split = existing === undefined ? undefined : splitBlock(existing);
  if (split && "problem" in split) {
    ctx.issues.add(
      settings.at("secrets"),
      `${path} cannot be updated: ${split.problem}`,
      "fix the markers by hand (or remove the block) and generate again",
      "kamal.secrets.markers",
    );
    return undefined;
  }
  const outside = split ? split.before + split.after : "";
  const definedOutside = dotenvDefinitions(outside);
  const definedCommon = dotenvDefinitions(ctx.existing(SECRETS_COMMON) ?? "");
  if (bindings.length === 0 && split?.block === undefined) return undefined;
  checkSources(ctx, settings, bindings);

  const { lines, problems, defines, adapterLines } = secretsLines(
    bindings,
    { ...settings.secrets, aliases: kamalSupports(settings.version, "secretAliases") },
    new Set([...definedOutside.keys(), ...definedCommon.keys()]),
  );
  for (const problem of problems)
    ctx.issues.add(
      settings.at("secrets"),
      problem,
      "rename the 1Password vault, item or field to letters, digits, '.', '_', '-'",
      "kamal.secrets.reference",
    );
  if (problems.length || !checkReleases(ctx, settings, { namedVolume: false, adapterLines, shellEntrypoint: false })) return undefined;
  for (const name of defines) {
    const at = definedOutside.get(name);
    const common = definedCommon.get(name);
    if (!at && !common) continue;
    const where = at
      ? `line ${at.join(", ")} of ${path}`
      : `${SECRETS_COMMON} (line ${common!.join(", ")}), which Kamal reads before ${path}`;
    const later =
      at && split?.block !== undefined && at.some((n) => n > split.before.split("\n").length) ? "yours, after the block" : "the block's";
    ctx.warnings.push({
      path: settings.at("secrets"),
      message: `${name} is defined by the ${GENERATOR} block and also in ${where}; ${at ? later : "the block's"} definition wins. Keep one: remove yours to use the block's, or, to keep yours, describe this credential as { env: "${name}" } so the block leaves it to your line`,
    });
  }
  const what = heartbeat.length
    ? `Litestream accessory credentials${credentials.length ? "" : " (none needed)"} and the ${DRILL_ACCESSORY} heartbeat URL`
    : credentials.length
      ? "Litestream accessory credentials"
      : "Litestream accessory credentials (none needed)";
  const updated = withSecretsBlock(existing, secretsBlock(lines, what));
  if ("problem" in updated) {
    ctx.issues.add(
      settings.at("secrets"),
      `${path} cannot be updated: ${updated.problem}`,
      "fix the markers by hand (or remove the block) and generate again",
      "kamal.secrets.markers",
    );
    return undefined;
  }
  return { path, content: updated.content };
}

/** Every `secrets.sources` entry names a credential of this environment. */
function checkSources(ctx: TargetContext, settings: KamalSettings, bindings: ReturnType<typeof envBindings>): void {
  const names = bindings.filter((b) => b.source.kind === "env").map((b) => b.secretName);
  for (const name of Object.keys(settings.secrets.sources ?? {})) {
    if (!names.includes(name)) {
      ctx.issues.add(
        settings.at("secrets", "sources", name),
        `no credential of environment ${ctx.env.name} reads { env: "${name}" }`,
        names.length ? `use one of ${names.join(", ")}` : "remove it",
        "kamal.secrets.source-unused",
      );
    }
  }
}

/** Refuses what a known-bad Kamal release would break (docs/kamal.md, "Known-bad Kamal releases"); false when it did. */
function checkReleases(ctx: TargetContext, settings: KamalSettings, use: KamalUse): boolean {
  let ok = true;
  for (const bad of knownBadReleases(settings.version, use)) {
    if (bad.remedy !== "refuse") continue;
    ok = false;
    const patch = /^\d+\.\d+$/.test(settings.version) ? ` ("${settings.version}" means ${settings.version}.0)` : "";
    ctx.issues.add(
      settings.at("version"),
      `Kamal ${settings.version}${patch}: ${bad.problem}; fixed in Kamal ${bad.fixedIn}`,
      bad.code === "kamal.release.adapter-dotenv"
        ? `upgrade Kamal to ${bad.fixedIn} or later and set version to it, or read the secrets without the adapter (via: "op-read" for 1Password; sources with railsCredentials or env)`
        : `upgrade Kamal to ${bad.fixedIn} or later (\`gem install kamal -v ${bad.fixedIn}\` or newer) and set version: "${bad.fixedIn}"`,
      bad.code,
    );
  }
  return ok;
}

/** `host: "…"` or the servers lines for a missing destination file. */
function serversHint(settings: KamalSettings): string {
  const [selector, value] = settings.hostSelector;
  const hosts = selector === "host" || selector === "hosts" ? (Array.isArray(value) ? value : [value]) : [];
  return hosts.length
    ? `e.g. ${serversSnippet(hosts).replace(/\n\s*/g, " ")}`
    : "servers: with the hosts of the roles the accessory selects";
}

/**
 * The accessory must boot where the app runs for this destination: its volume is local to a host
 * (docs/kamal.md, "Destinations"). The app's servers come from the user's deploy files.
 */
function checkAccessoryHosts(ctx: TargetContext, settings: KamalSettings): void {
  const baseFile = deployFilePath();
  const destFile = settings.destination ? deployFilePath(settings.destination) : undefined;
  const destText = destFile ? ctx.existing(destFile) : undefined;
  if (destFile && destText === undefined) return;
  const base = deployServers(ctx.existing(baseFile));
  const own = destFile ? deployServers(destText) : undefined;
  const hosts = appHosts(base, own);
  if (!hosts.length) return;
  const where = destFile
    ? own === undefined
      ? `${baseFile} (${destFile} has no servers)`
      : `${destFile} merged over ${baseFile}`
    : baseFile;
  if (destFile && own === undefined) {
    ctx.warnings.push({
      path: settings.at("destination"),
      message: `${destFile} has no servers, so \`-d ${settings.destination}\` deploys the app to ${baseFile}'s servers (${[...new Set(hosts.map((h) => h.host))].join(", ")}): add servers: to ${destFile} if ${settings.destination} runs elsewhere`,
    });
  }
  const [selector, value] = settings.hostSelector;
  const picked = selectedHosts(settings.hostSelector, hosts);
  const appOnly = [...new Set(hosts.map((h) => h.host))];
  const stray = picked.filter((h) => !appOnly.includes(h));
  const roles = [...new Set(hosts.map((h) => h.role))];
  if (!picked.length || stray.length) {
    ctx.issues.add(
      settings.at(selector),
      picked.length
        ? `the accessory would boot on ${stray.join(", ")}, where no app runs for environment ${ctx.env.name} (servers in ${where}: ${describeHosts(hosts)}); the app's volume, and its databases, are local to the app's hosts`
        : `${selector} ${JSON.stringify(value)} selects no host of the app for environment ${ctx.env.name} (servers in ${where}: ${describeHosts(hosts)})`,
      appOnly.length === 1
        ? `set host: "${appOnly[0]}" (or role: "${hosts[0]!.role}")`
        : `set roles: [${roles.map((r) => `"${r}"`).join(", ")}] or hosts: [${appOnly.map((h) => `"${h}"`).join(", ")}]`,
      "kamal.host.no-app",
    );
  }
}

function describeHosts(hosts: AppHost[]): string {
  const roles = [...new Set(hosts.map((h) => h.role))];
  return roles
    .map(
      (r) =>
        `${r}: ${hosts
          .filter((h) => h.role === r)
          .map((h) => h.host)
          .join(", ")}`,
    )
    .join("; ");
}

/**
 * Kamal deep-merges config/deploy.<destination>.yml over config/deploy.yml: a key of the base
 * accessory that this one lacks would leak into the destination (a base `host` next to a
 * destination `hosts` is even refused).
 */
/** An environment's settings and accessory as planned when it was rendered; `value` unset: not planned. */
interface Planned {
  settings: KamalSettings | undefined;
  value?: AccessoryValue | undefined;
}
/** Keyed on this generation's plan: the checks across environments reuse what rendering planned. */
const plannedEnvironments = new WeakMap<EnvironmentPlan, Planned>();

/** Another environment's settings, for a check across environments: its problems are its own to report. */
function otherSettings(ctx: TargetContext, other: EnvironmentPlan): KamalSettings | undefined {
  const planned = plannedEnvironments.get(other);
  return planned ? planned.settings : resolveKamalSettings(ctx.plan, other, new IssueList());
}

/** Another environment's accessory, planned here (its problems discarded) when it was not rendered yet. */
function otherAccessoryValue(ctx: TargetContext, other: EnvironmentPlan): AccessoryValue | undefined {
  const planned = plannedEnvironments.get(other);
  if (planned && "value" in planned) return planned.value;
  const settings = otherSettings(ctx, other);
  return settings && planKamalAccessory({ ...ctx, env: other, issues: new IssueList(), warnings: [] }, settings)?.value;
}

function checkDestinationMerge(ctx: TargetContext, settings: KamalSettings, accessory: KamalAccessory): void {
  const baseEnv = ctx.plan.environments.find((e) => e.targets.kamal && destinationOf(ctx.plan, e) === undefined);
  const baseValue = baseEnv && otherAccessoryValue(ctx, baseEnv);
  if (!baseValue) return;
  const leaks = leafPaths(baseValue).filter((p) => !hasPath(accessory.value, p));
  if (leaks.length) {
    ctx.issues.add(
      settings.at("destination"),
      `Kamal merges ${deployFilePath(settings.destination)} over config/deploy.yml, so ${leaks.map((p) => `accessories.${ACCESSORY_NAME}.${p.join(".")}`).join(", ")} of environment ${baseEnv!.name} would also apply to ${ctx.env.name}`,
      `give ${ctx.env.name} the same keys: the same kind of host selector (e.g. host in both) and, for each of ${leaks.map((p) => p.join(".")).join(", ")}, a value of its own`,
      "kamal.destination.merge-leak",
    );
  }
}

/**
 * The drill accessory under Kamal's merge: config/deploy.yml's drill also applies to `-d <destination>`
 * (on the base hosts, with the destination's secrets) unless the destination sets its own, and a
 * key of the base drill that this one lacks would leak into it.
 */
function checkDrillMerge(ctx: TargetContext, settings: KamalSettings, drill: KamalDrill | undefined): void {
  const baseDrill = accessoryValue(ctx.existing(deployFilePath()), DRILL_ACCESSORY);
  if (!baseDrill) return;
  const file = deployFilePath(settings.destination);
  if (!drill) {
    ctx.warnings.push({
      path: settings.at("destination"),
      message: `config/deploy.yml has accessories.${DRILL_ACCESSORY}, and Kamal merges ${file} over it, so \`kamal accessory boot all -d ${settings.destination}\` (and kamal setup) would also boot that drill for ${ctx.env.name}, on config/deploy.yml's hosts: give ${ctx.env.name} verification too`,
    });
    return;
  }
  const leaks = leafPaths(baseDrill).filter((p) => !hasPath(drill.value, p));
  if (leaks.length) {
    ctx.issues.add(
      settings.at("destination"),
      `Kamal merges ${file} over config/deploy.yml, so ${leaks.map((p) => `accessories.${DRILL_ACCESSORY}.${p.join(".")}`).join(", ")} of config/deploy.yml would also apply to ${ctx.env.name}'s drill`,
      "give both environments the same kind of host selector and the same kind of replicas (a file replica mounts the volume), or verification in neither",
      "kamal.destination.merge-leak",
    );
  }
}

const isHash = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function leafPaths(value: Record<string, unknown>, prefix: string[] = [], into: string[][] = []): string[][] {
  for (const key in value) {
    const child = value[key];
    if (isHash(child)) leafPaths(child, [...prefix, key], into);
    else into.push([...prefix, key]);
  }
  return into;
}

function hasPath(value: Record<string, unknown>, path: string[]): boolean {
  let node: unknown = value;
  for (const key of path) {
    if (!isHash(node) || !(key in node)) return false;
    node = node[key];
  }
  return true;
}
