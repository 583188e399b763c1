/**
 * The user's own compose file: found the way `docker compose` finds it, read through
 * `context.existing`, and checked against what the Litestream services assume.
 */
import { parseDocument } from "yaml";
import type { ExistingFileReader } from "../../artifact.js";
import type { IssueList, IssuePath } from "../../errors.js";
import { interpolate } from "./interpolation.js";
import type { ComposeTargetConfig } from "./schema.js";
import { RESTORE_SERVICE, SIDECAR_SERVICE, type VolumeSpec } from "./sidecar.js";

/** Compose's own lookup order when no -f is given. */
export const DEFAULT_COMPOSE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"] as const;

export interface UserComposeFile {
  path: string;
  /** Undefined when the file does not exist (yet). */
  text: string | undefined;
}

export function findUserCompose(target: ComposeTargetConfig, existing: ExistingFileReader): UserComposeFile {
  if (target.file) return { path: target.file, text: existing(target.file) };
  for (const path of DEFAULT_COMPOSE_FILES) {
    const text = existing(path);
    if (text !== undefined) return { path, text };
  }
  return { path: DEFAULT_COMPOSE_FILES[0], text: undefined };
}

/** True for the names the generated services use (`litestream`, `litestream-restore`, `litestream-restore-<db>`). */
export function isOurService(name: string): boolean {
  return name === SIDECAR_SERVICE || name === RESTORE_SERVICE || name.startsWith(`${RESTORE_SERVICE}-`);
}

type Mount = { source: string; target: string };
type Json = Record<string, unknown>;

/**
 * Reads the user's compose file (core schema and merge keys, as Compose reads it) and reports what
 * would make the generated services wrong.
 */
export function checkUserCompose(
  file: UserComposeFile,
  target: ComposeTargetConfig,
  volume: VolumeSpec | undefined,
  issues: IssueList,
  at: (key: keyof ComposeTargetConfig) => IssuePath,
): void {
  if (file.text === undefined) return;
  const doc = parseDocument(file.text, { merge: true, uniqueKeys: false });
  if (doc.errors.length) {
    issues.add(at("file"), `${file.path} is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`, "fix the file, then generate again");
    return;
  }
  const model = doc.toJS({ maxAliasCount: -1 }) as unknown;
  const services = isObject(model) && isObject(model.services) ? model.services : undefined;
  if (!services) {
    issues.add(at("file"), `${file.path} has no services`, "point targets.compose.file at the compose file that defines your app");
    return;
  }
  const app = services[target.appService];
  if (!isObject(app)) {
    const names = Object.keys(services).filter((name) => !isOurService(name));
    issues.add(at("appService"), `${file.path} defines no service "${target.appService}"`, names.length ? `use one of: ${names.join(", ")}` : "add your app service first");
    return;
  }
  const copies = Math.max(count(isObject(app.deploy) ? app.deploy.replicas : undefined), count(app.scale));
  if (copies > 1) {
    issues.add(
      at("appService"),
      `service "${target.appService}" in ${file.path} runs ${copies} copies (deploy.replicas/scale): two copies are two writers of one database, and one restore cannot start before both (litestream-facts.md §6: one writer per replica path, no overlapping copies)`,
      "run the app as a single copy (remove deploy.replicas/scale or set it to 1)",
    );
  }
  if (volume) {
    const mounts = mountsOf(app.volumes);
    const same = mounts.find((m) => m.source === volume.source);
    if (!same) {
      issues.add(
        at("volume"),
        `service "${target.appService}" in ${file.path} does not mount "${volume.source}": Litestream would watch a different file than the app writes`,
        `use the app's own data volume, one of: ${mounts.map((m) => `${m.source}:${m.target}`).join(", ") || "(the app mounts none; add one)"}`,
      );
    } else if (same.target !== volume.target) {
      issues.add(
        at("volume"),
        `service "${target.appService}" mounts "${volume.source}" at ${same.target}, not at ${volume.target}: the database paths would name different files in the app and in Litestream`,
        `use "${volume.source}:${same.target}" and database paths under ${same.target}`,
      );
    }
  }
  if (target.output === "override") {
    const clashes = Object.keys(services).filter(isOurService);
    if (clashes.length) {
      issues.add(
        at("output"),
        `${file.path} already defines ${clashes.map((name) => `"${name}"`).join(", ")}: with -f, Compose would merge it into the generated service (mixing its command, volumes and environment)`,
        `delete ${clashes.length > 1 ? "them" : "it"} from ${file.path}, or set targets.compose.output to "in-place" to have ${clashes.length > 1 ? "them" : "it"} replaced`,
      );
    }
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A replica count as Compose would read it; variables resolve to their defaults, unknown counts as 1. */
function count(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return 1;
  try {
    const resolved = Number(interpolate(value, {}).value);
    return Number.isFinite(resolved) ? resolved : 1;
  } catch {
    return 1;
  }
}

function mountsOf(volumes: unknown): Mount[] {
  if (!Array.isArray(volumes)) return [];
  return volumes.flatMap((entry): Mount[] => {
    if (typeof entry === "string") {
      const parsed = parseVolumeSpec(entry);
      return parsed ? [{ source: parsed.source, target: parsed.target }] : [];
    }
    if (isObject(entry) && typeof entry.source === "string" && typeof entry.target === "string") {
      return [{ source: entry.source, target: entry.target }];
    }
    return [];
  });
}

/** Parses short volume syntax "source:target[:options]"; undefined when it is not that shape. */
export function parseVolumeSpec(spec: string): VolumeSpec | undefined {
  const parts = spec.split(":");
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) return undefined;
  const [source, target, options] = parts as [string, string, string | undefined];
  return {
    spec,
    source,
    target,
    options: options ? options.split(",") : [],
    named: !/^[./~]/.test(source),
  };
}
