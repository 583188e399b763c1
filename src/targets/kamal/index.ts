/**
 * Kamal 2 target: for one environment, the `litestream` accessory as a standalone partial file,
 * the same accessory set in the user's config/deploy.yml (or config/deploy.<destination>.yml), and
 * the credentials' lines in .kamal/secrets (or .kamal/secrets.<destination>).
 */
import type { Artifact, TargetContext, TargetRenderer } from "../../artifact.js";
import { envBindings } from "../../env-mapping.js";
import { IssueList } from "../../errors.js";
import { GENERATOR, REGENERATE_COMMAND } from "../../header.js";
import { ACCESSORY_NAME, planKamalAccessory, type AccessoryValue, type KamalAccessory } from "./accessory.js";
import { renderPartialFile, updateDeployFile } from "./deploy-file.js";
import { kamalSupports } from "./rules.js";
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
  const settings = resolveKamalSettings(ctx.plan, ctx.env, ctx.issues);
  if (!settings) return [];
  const accessory = planKamalAccessory(ctx, settings);
  if (!accessory) return [];
  if (settings.destination) checkDestinationMerge(ctx, settings, accessory);

  const files: Artifact[] = [];
  const base = { environment: ctx.env.name } as const;
  files.push({
    ...base,
    path: partialFilePath(settings.destination),
    content: renderPartialFile(accessory, headerWhat(ctx, settings), usageLines(settings), managedMarker()),
    kind: "kamal-accessory",
    ownership: "generated",
  });

  const deployFile = deployFilePath(settings.destination);
  const existingDeploy = ctx.existing(deployFile);
  if (settings.updateDeployFile && (existingDeploy !== undefined || settings.destination)) {
    const update = updateDeployFile(existingDeploy, accessory, managedMarker(), [
      `Kamal destination "${settings.destination}": merged over config/deploy.yml by \`kamal … -d ${settings.destination}\`.`,
    ]);
    if ("problem" in update) {
      ctx.issues.add(settings.at("updateDeployFile"), `${deployFile} cannot be updated in place: ${update.problem}`, `set updateDeployFile: false and copy accessories.${ACCESSORY_NAME} from ${partialFilePath(settings.destination)} yourself`);
    } else files.push({ ...base, path: deployFile, content: update.content, kind: "kamal-deploy", ownership: "shared" });
  }

  const secrets = renderSecrets(ctx, settings);
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

/** Operator commands, spelled as Kamal parses them (kamal-compose-facts.md). */
function usageLines(settings: KamalSettings): string[] {
  const d = destinationFlag(settings.destination);
  const deployFile = deployFilePath(settings.destination);
  const delivery = !settings.updateDeployFile
    ? `Copy accessories.${ACCESSORY_NAME} below into ${deployFile} (updateDeployFile is off).`
    : settings.destination
      ? `${GENERATOR} writes accessories.${ACCESSORY_NAME} into ${deployFile} itself (creating the file if needed).`
      : `${GENERATOR} sets accessories.${ACCESSORY_NAME} in ${deployFile} itself, keeping every other key and comment; without that file, copy it there.`;
  return [
    delivery,
    "",
    "First boot: `kamal setup` boots accessories before the first app deploy; databases missing on the host",
    "are restored while the app image is built. The restores must finish before the app starts (an app that",
    "creates an empty database first orphans the backup), so on a host that already runs the app, after a",
    "disaster, or with large databases, boot the accessory on its own and wait for it:",
    `  kamal accessory boot ${ACCESSORY_NAME}${d}`,
    `  kamal accessory logs ${ACCESSORY_NAME}${d}`,
    "After changing the Litestream config or this accessory (kamal deploy does not touch accessories):",
    `  kamal accessory reboot ${ACCESSORY_NAME}${d}`,
    "Check replication in the running accessory:",
    `  kamal accessory exec ${ACCESSORY_NAME} --reuse "litestream databases"${d}`,
  ];
}

function renderSecrets(ctx: TargetContext, settings: KamalSettings): { path: string; content: string } | undefined {
  const path = secretsFilePath(settings.destination);
  const existing = ctx.existing(path);
  const bindings = envBindings(ctx.env);
  const split = existing === undefined ? undefined : splitBlock(existing);
  if (split && "problem" in split) {
    ctx.issues.add(settings.at("secrets"), `${path} cannot be updated: ${split.problem}`, "fix the markers by hand (or remove the block) and generate again");
    return undefined;
  }
  const outside = split ? split.before + split.after : "";
  const definedOutside = dotenvDefinitions(outside);
  if (bindings.length === 0 && split?.block === undefined) return undefined;

  const { lines, problems, defines } = secretsLines(
    bindings,
    { ...settings.secrets, aliases: kamalSupports(settings.version, "secretAliases") },
    new Set(definedOutside.keys()),
  );
  for (const problem of problems) ctx.issues.add(settings.at("secrets"), problem, "rename the 1Password vault, item or field to letters, digits, '.', '_', '-'");
  if (problems.length) return undefined;
  for (const name of defines) {
    const at = definedOutside.get(name);
    if (at) {
      ctx.warnings.push({
        path: settings.at("secrets"),
        message: `${name} is also defined outside the ${GENERATOR} block of ${path} (line ${at.join(", ")}); the later definition wins: remove the other one`,
      });
    }
  }
  const what = bindings.length ? "Litestream accessory credentials" : "Litestream accessory credentials (none needed)";
  const updated = withSecretsBlock(existing, secretsBlock(lines, what));
  if ("problem" in updated) {
    ctx.issues.add(settings.at("secrets"), `${path} cannot be updated: ${updated.problem}`);
    return undefined;
  }
  return { path, content: updated.content };
}

/**
 * Kamal deep-merges config/deploy.<destination>.yml over config/deploy.yml: a key of the base
 * accessory that this one lacks would leak into the destination (a base `host` next to a
 * destination `hosts` is even refused).
 */
function checkDestinationMerge(ctx: TargetContext, settings: KamalSettings, accessory: KamalAccessory): void {
  const baseEnv = ctx.plan.environments.find((e) => e.targets.kamal && destinationOf(ctx.plan, e) === undefined);
  let baseValue: AccessoryValue | undefined;
  if (baseEnv) {
    const scratch = new IssueList();
    const baseSettings = resolveKamalSettings(ctx.plan, baseEnv, scratch);
    baseValue = baseSettings && planKamalAccessory({ ...ctx, env: baseEnv, issues: scratch, warnings: [] }, baseSettings)?.value;
  }
  if (!baseValue) return;
  const leaks = leafPaths(baseValue).filter((p) => !hasPath(accessory.value, p));
  if (leaks.length) {
    ctx.issues.add(
      settings.at("destination"),
      `Kamal merges ${deployFilePath(settings.destination)} over config/deploy.yml, so ${leaks.map((p) => `accessories.${ACCESSORY_NAME}.${p.join(".")}`).join(", ")} of environment ${baseEnv!.name} would also apply to ${ctx.env.name}`,
      "give both environments the same kind of host selector, options and env settings",
    );
  }
}

const isHash = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function leafPaths(value: Record<string, unknown>, prefix: string[] = []): string[][] {
  return Object.entries(value).flatMap(([k, v]) => (isHash(v) ? leafPaths(v, [...prefix, k]) : [[...prefix, k]]));
}

function hasPath(value: Record<string, unknown>, path: string[]): boolean {
  let node: unknown = value;
  for (const key of path) {
    if (!isHash(node) || !(key in node)) return false;
    node = node[key];
  }
  return true;
}
