/**
 * The user's own compose file: found the way `docker compose` finds it, read through
 * `context.existing`, and checked against what the Litestream services assume.
 */
import path from "node:path/posix";
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

/** The text above the first generated service, so a later run knows the services are its own. */
export const OUR_MARKER = "Litestream services, managed by litestream-deploy";

/** What the user's compose file tells the generator, read as Compose reads it (merge keys, extends). */
export interface UserComposeAnalysis {
  /** Every service (not ours) that mounts the database volume, in file order: each must wait for the restore. */
  volumeUsers: string[];
  /** Each service's depends_on after merge keys and extends, in the long form. */
  dependsOn: Record<string, Record<string, Json>>;
}

/**
 * Reads the user's compose file (core schema and merge keys, as Compose reads it) and reports what
 * would make the generated services wrong. Returns what the generator needs to know of the file.
 */
export function checkUserCompose(
  file: UserComposeFile,
  target: ComposeTargetConfig,
  volume: VolumeSpec | undefined,
  issues: IssueList,
  at: (key: keyof ComposeTargetConfig) => IssuePath,
  existing: ExistingFileReader,
): UserComposeAnalysis | undefined {
  if (file.text === undefined) return undefined;
  const parsed = parseCompose(file.text);
  if ("problem" in parsed) {
    issues.add(at("file"), `${file.path} is not valid YAML: ${parsed.problem}`, "fix the file, then generate again", "compose.file-yaml");
    return undefined;
  }
  const raw = parsed.model;
  if (!isObject(raw.services)) {
    issues.add(
      at("file"),
      `${file.path} has no services`,
      "point targets.compose.file at the compose file that defines your app",
      "compose.file-no-services",
    );
    return undefined;
  }
  const resolved = resolveServices(raw.services, file.path, existing);
  if ("problem" in resolved) {
    issues.add(at("file"), `${file.path}: ${resolved.problem}`, resolved.fix, "compose.file-extends");
    return undefined;
  }
  const services = resolved.services;
  const app = services[target.appService];
  if (!isObject(app)) {
    const names = Object.keys(services).filter((name) => !isOurService(name));
    issues.add(
      at("appService"),
      `${file.path} defines no service "${target.appService}"`,
      names.length ? `use one of: ${names.join(", ")}` : "add your app service first",
      "compose.app-service-missing",
    );
    return undefined;
  }
  const copies = Math.max(count(isObject(app.deploy) ? app.deploy.replicas : undefined), count(app.scale));
  if (copies > 1) {
    issues.add(
      at("appService"),
      `service "${target.appService}" in ${file.path} runs ${copies} copies (deploy.replicas/scale): two copies are two writers of one database, and one restore cannot start before both (docs/lifecycle.md: one writer per database)`,
      "run the app as a single copy (remove deploy.replicas/scale or set it to 1)",
      "compose.app-replicas",
    );
  }
  if (volume) {
    const mounts = mountsOf(app.volumes);
    const same = mounts.find((m) => sameSource(m.source, volume));
    if (!same) {
      issues.add(
        at("volume"),
        `service "${target.appService}" in ${file.path} does not mount "${volume.source}": Litestream would watch a different file than the app writes`,
        `use the app's own data volume, one of: ${mounts.map((m) => `${m.source}:${m.target}`).join(", ") || "(the app mounts none; add one)"}`,
        "compose.volume-not-mounted",
      );
    } else if (same.target !== volume.target) {
      issues.add(
        at("volume"),
        `service "${target.appService}" mounts "${volume.source}" at ${same.target}, not at ${volume.target}: the database paths would name different files in the app and in Litestream`,
        `use "${volume.source}:${same.target}" and database paths under ${same.target}`,
        "compose.volume-target",
      );
    }
  }
  const ours = Object.keys(raw.services).filter(isOurService);
  if (ours.length && target.output === "override") {
    issues.add(
      at("output"),
      `${file.path} already defines ${ours.map((name) => `"${name}"`).join(", ")}: with -f, Compose would merge it into the generated service (mixing its command, volumes and environment)`,
      file.text.includes(OUR_MARKER)
        ? `delete ${ours.length > 1 ? "them" : "it"} from ${file.path} (the block under the "${OUR_MARKER}" comment), or set targets.compose.output to "in-place" to keep them there`
        : `delete ${ours.length > 1 ? "them" : "it"} from ${file.path} (the generated services take over ${ours.length > 1 ? "their" : "its"} job)`,
      "compose.service-exists",
    );
  } else if (ours.length && !file.text.includes(OUR_MARKER)) {
    issues.add(
      at("file"),
      `${file.path} already defines ${ours.map((name) => `"${name}"`).join(", ")}, written by hand (no "${OUR_MARKER}" comment above it): updating in place would replace ${ours.length > 1 ? "them" : "it"} with the generated services`,
      `delete or rename ${ours.length > 1 ? "them" : "it"} in ${file.path} (the generated services take over ${ours.length > 1 ? "their" : "its"} job), then generate again`,
      "compose.service-hand-written",
    );
  }
  const users = volume
    ? Object.keys(services).filter(
        (name) => !isOurService(name) && mountsOf(services[name]!.volumes).some((m) => sameSource(m.source, volume)),
      )
    : [];
  if (!users.includes(target.appService)) users.unshift(target.appService);
  const dependsOn = Object.fromEntries(Object.entries(services).map(([name, service]) => [name, longDependsOn(service.depends_on)]));
  return { volumeUsers: users, dependsOn };
}

/** The file as Compose's YAML reader sees it (core schema, merge keys), or why it cannot be read. */
export function parseCompose(text: string): { model: Json } | { problem: string } {
  const doc = parseDocument(text, { merge: true, uniqueKeys: false });
  if (doc.errors.length) return { problem: doc.errors[0]!.message.split("\n")[0]! };
  const model = doc.toJS({ maxAliasCount: -1 }) as unknown;
  return { model: isObject(model) ? model : {} };
}

/** depends_on in the long form: the short form (a list) means condition service_started. */
export function longDependsOn(value: unknown): Record<string, Json> {
  if (Array.isArray(value))
    return Object.fromEntries(value.filter((v) => typeof v === "string").map((name) => [name, { condition: "service_started" }]));
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([name, spec]) => [name, isObject(spec) ? spec : { condition: "service_started" }]));
}

/**
 * Every service with `extends:` replaced by its merged form (the base's volumes and depends_on
 * added to the service's own, as Compose merges them); a base in another file is read too.
 */
function resolveServices(
  services: Json,
  filePath: string,
  existing: ExistingFileReader,
): { services: Record<string, Json> } | { problem: string; fix: string } {
  const files = new Map<string, Json | undefined>([[filePath, services]]);
  const servicesOf = (file: string): Json | undefined => {
    if (!files.has(file)) {
      const text = existing(file);
      const parsed = text === undefined ? undefined : parseCompose(text);
      files.set(file, parsed && "model" in parsed && isObject(parsed.model.services) ? parsed.model.services : undefined);
    }
    return files.get(file);
  };
  const resolve = (file: string, name: string, seen: string[]): Json => {
    const service = servicesOf(file)?.[name];
    if (!isObject(service))
      throw new ExtendsProblem(
        `service "${name}", which ${seen.at(-1) ?? "a service"} extends, is not defined in ${file}`,
        "fix that extends:",
      );
    if (service.extends === undefined) return service;
    const here = `${name} (${file})`;
    if (seen.includes(here))
      throw new ExtendsProblem(`service "${name}" extends itself (${[...seen, here].join(" → ")})`, "fix the extends: chain");
    const spec = typeof service.extends === "string" ? { service: service.extends } : isObject(service.extends) ? service.extends : {};
    if (typeof spec.service !== "string")
      throw new ExtendsProblem(`service "${name}" has an extends: without a service name`, "write extends: { service: NAME }");
    const base = resolve(typeof spec.file === "string" ? path.join(path.dirname(file), spec.file) : file, spec.service, [...seen, here]);
    const { extends: _extends, ...own } = service;
    return {
      ...base,
      ...own,
      volumes: mergeMounts(base.volumes, own.volumes),
      depends_on: { ...longDependsOn(base.depends_on), ...longDependsOn(own.depends_on) },
    };
  };
  try {
    return { services: Object.fromEntries(Object.keys(services).map((name) => [name, resolve(filePath, name, [])])) };
  } catch (error) {
    if (error instanceof ExtendsProblem) return { problem: error.message, fix: error.fix };
    throw error;
  }
}

class ExtendsProblem extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
  }
}

/** Volumes of an extended service: the service's own entries win over the base's for the same target. */
function mergeMounts(base: unknown, own: unknown): unknown[] {
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const targets = new Set(mountsOf(own).map((m) => m.target));
  return [...list(base).filter((entry) => !mountsOf([entry]).some((m) => targets.has(m.target))), ...list(own)];
}

/** The same named volume, or a bind mount of the same host directory or one of its parents. */
function sameSource(source: string, volume: VolumeSpec): boolean {
  if (volume.named) return source === volume.source;
  if (!/^[./~]/.test(source)) return false;
  const mine = path.normalize(volume.source).replace(/\/$/, "");
  const theirs = path.normalize(source).replace(/\/$/, "");
  return mine === theirs || mine.startsWith(`${theirs}/`) || theirs === ".";
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
