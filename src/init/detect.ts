/**
 * What `init` can learn from an app's files, for its defaults: Kamal's config/deploy.yml (service,
 * volume, servers), a Compose file (services and the volumes they mount), Rails' production SQLite
 * databases, systemd units, and the SQLite settings of Django, Laravel and Prisma. Reads only; every
 * finding names the file it came from. Anything unreadable is simply not detected.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";

export interface DetectedDatabase {
  name: string;
  /** Absolute, or relative to the app's directory (see `appDir`). */
  path: string;
  role?: string;
  from: string;
}

export interface Detection {
  name?: string;
  kamal?: { file: string; service?: string; volume?: string; servers: string[]; version?: string; railsUser?: boolean };
  compose?: { file: string; services: Array<{ name: string; volumes: string[]; databasePaths: string[] }> };
  systemd?: { file: string; unit: string; user?: string; workingDirectory?: string; databasePaths: string[] };
  /** The app's directory in its container or on its host, for relative database paths. */
  appDir?: string;
  databases: DetectedDatabase[];
  /** One line per finding, for the user. */
  notes: string[];
}

const DB_FILE = /[^\s"'=:]+\.(?:sqlite3?|db)\b/g;

function read(dir: string, relative: string): string | undefined {
  try {
    return readFileSync(path.join(dir, relative), "utf8");
  } catch {
    return undefined;
  }
}

function yamlOf(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    // ERB (<%= ENV["…"] %>) is not YAML: treat each tag as an empty value.
    return parseYaml(text.replace(/<%=?[\s\S]*?%>/g, ""), { version: "1.1" });
  } catch {
    return undefined;
  }
}

const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : typeof value === "string" ? [value] : [];

export function detectApp(dir: string): Detection {
  const detection: Detection = { databases: [], notes: [] };
  detectKamal(dir, detection);
  detectRails(dir, detection);
  detectCompose(dir, detection);
  detectSystemd(dir, detection);
  detectFrameworks(dir, detection);
  detection.name ??= slug(path.basename(path.resolve(dir)));
  return detection;
}

function detectKamal(dir: string, detection: Detection): void {
  const file = "config/deploy.yml";
  const doc = record(yamlOf(read(dir, file)));
  if (!Object.keys(doc).length) return;
  const servers = record(doc.servers);
  const hosts = Array.isArray(doc.servers)
    ? strings(doc.servers)
    : Object.values(servers).flatMap((role) => strings(Array.isArray(role) ? role : record(role).hosts));
  const service = typeof doc.service === "string" ? doc.service : undefined;
  const volume = strings(doc.volumes).find((v) => /^[A-Za-z0-9][\w.-]*:\//.test(v));
  const version = /^\s+kamal \((2\.\d+(?:\.\d+)?)/m.exec(read(dir, "Gemfile.lock") ?? "")?.[1];
  const railsUser = /useradd[^\n]*--uid 1000/.test(read(dir, "Dockerfile") ?? "");
  detection.kamal = {
    file,
    ...(service ? { service } : {}),
    ...(volume ? { volume } : {}),
    servers: hosts,
    ...(version ? { version } : {}),
    railsUser,
  };
  if (service) detection.name = slug(service);
  detection.notes.push(
    `Kamal: ${file} (service ${service ?? "?"}${volume ? `, volume ${volume}` : ""}${hosts.length ? `, servers ${hosts.join(", ")}` : ""})`,
  );
}

/** Rails: the production databases of config/database.yml that use the sqlite3 adapter (one or several). */
function detectRails(dir: string, detection: Detection): void {
  const file = "config/database.yml";
  const doc = record(yamlOf(read(dir, file)));
  const production = record(doc.production);
  if (!Object.keys(production).length) return;
  const entries: Array<[string, Record<string, unknown>]> =
    typeof production.database === "string" ? [["primary", production]] : Object.entries(production).map(([k, v]) => [k, record(v)]);
  const defaults = record(doc.default);
  for (const [name, entry] of entries) {
    const adapter = entry.adapter ?? defaults.adapter;
    if (adapter !== "sqlite3" || typeof entry.database !== "string") continue;
    detection.databases.push({ name: slug(name), path: entry.database, ...(RAILS_ROLES.has(name) ? { role: name } : {}), from: file });
  }
  if (detection.databases.some((d) => d.from === file)) {
    detection.appDir ??= "/rails"; // the Rails 8 Dockerfile's WORKDIR
    detection.notes.push(
      `Rails: ${file} (production SQLite: ${detection.databases
        .filter((d) => d.from === file)
        .map((d) => d.path)
        .join(", ")})`,
    );
  }
}

const RAILS_ROLES = new Set(["primary", "queue", "cache", "cable"]);

function detectCompose(dir: string, detection: Detection): void {
  const file = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"].find((f) => existsSync(path.join(dir, f)));
  if (!file) return;
  const doc = record(yamlOf(read(dir, file)));
  const services = Object.entries(record(doc.services))
    .filter(([name]) => !name.startsWith("litestream"))
    .map(([name, value]) => {
      const service = record(value);
      const volumes = (Array.isArray(service.volumes) ? service.volumes : []).flatMap((v) => {
        if (typeof v === "string") return /^[A-Za-z0-9][\w.-]*:\//.test(v) ? [v.split(":").slice(0, 2).join(":")] : [];
        const long = record(v);
        return long.type === "volume" && typeof long.source === "string" && typeof long.target === "string"
          ? [`${long.source}:${long.target}`]
          : [];
      });
      const environment = Array.isArray(service.environment)
        ? strings(service.environment).join("\n")
        : Object.entries(record(service.environment))
            .map(([k, v]) => `${k}=${String(v)}`)
            .join("\n");
      return { name, volumes, databasePaths: databasePathsIn(environment) };
    });
  detection.compose = { file, services };
  if (typeof doc.name === "string" && !detection.kamal) detection.name = slug(doc.name);
  const users = services.filter((s) => s.volumes.length);
  detection.notes.push(
    `Compose: ${file} (services ${services.map((s) => s.name).join(", ")}${users.length ? `; volumes ${users.map((s) => `${s.name}: ${s.volumes.join(", ")}`).join("; ")}` : ""})`,
  );
  for (const s of services)
    for (const p of s.databasePaths) detection.databases.push({ name: dbName(p), path: p, from: `${file} (${s.name})` });
}

/** Absolute SQLite paths in environment lines or a command (DATABASE_PATH=/data/app.db, sqlite:////data/app.db). */
function databasePathsIn(text: string): string[] {
  return [
    ...new Set(
      [...text.matchAll(DB_FILE)]
        .map((m) => m[0].replace(/^(?:sqlite|file):\/*/, "/").replace(/^\/\/+/, "/"))
        .filter((p) => p.startsWith("/")),
    ),
  ];
}

function detectSystemd(dir: string, detection: Detection): void {
  const candidates = ["", "deploy", "systemd", "config", "deploy/systemd", "etc"].flatMap((sub) => {
    try {
      return readdirSync(path.join(dir, sub))
        .filter((f) => f.endsWith(".service") && !f.startsWith("litestream"))
        .map((f) => path.posix.join(sub, f));
    } catch {
      return [];
    }
  });
  const file = candidates[0];
  if (!file) return;
  const text = read(dir, file) ?? "";
  const setting = (key: string) => new RegExp(`^${key}=(.+)$`, "m").exec(text)?.[1]?.trim();
  const user = setting("User");
  const workingDirectory = setting("WorkingDirectory");
  const lines = text
    .split("\n")
    .filter((l) => /^(Environment|ExecStart)=/.test(l))
    .join("\n");
  const databasePaths = databasePathsIn(lines);
  detection.systemd = {
    file,
    unit: path.posix.basename(file),
    ...(user ? { user } : {}),
    ...(workingDirectory ? { workingDirectory } : {}),
    databasePaths,
  };
  if (workingDirectory?.startsWith("/")) detection.appDir ??= workingDirectory;
  detection.name ??= slug(path.posix.basename(file, ".service"));
  for (const p of databasePaths) detection.databases.push({ name: dbName(p), path: p, from: file });
  detection.notes.push(
    `systemd: ${file} (unit ${path.posix.basename(file)}${user ? `, User=${user}` : ""}${workingDirectory ? `, WorkingDirectory=${workingDirectory}` : ""})`,
  );
}

/** Django settings.py, Laravel .env, Prisma schema.prisma: SQLite only, by a cheap look at the usual lines. */
function detectFrameworks(dir: string, detection: Detection): void {
  const settings = findFile(dir, "settings.py");
  const django = settings && read(dir, settings);
  if (django && /django\.db\.backends\.sqlite3/.test(django)) {
    const name =
      /["']NAME["']\s*:\s*(?:BASE_DIR\s*\/\s*)?["']([^"']+)["']/.exec(django)?.[1] ??
      /os\.path\.join\(\s*BASE_DIR\s*,\s*["']([^"']+)["']\s*\)/.exec(django)?.[1];
    if (name) add(detection, name, settings, "Django");
  }
  const laravel = read(dir, ".env");
  if (laravel && /^DB_CONNECTION=sqlite\s*$/m.test(laravel))
    add(detection, /^DB_DATABASE=(.+)$/m.exec(laravel)?.[1]?.trim() ?? "database/database.sqlite", ".env", "Laravel");
  const prismaFile = ["prisma/schema.prisma", "schema.prisma"].find((f) => existsSync(path.join(dir, f)));
  const prisma = prismaFile && read(dir, prismaFile);
  if (prisma && /provider\s*=\s*"sqlite"/.test(prisma)) {
    const url = /url\s*=\s*"file:([^"]+)"/.exec(prisma)?.[1];
    // Prisma resolves file: URLs relative to the schema's directory.
    if (url) add(detection, url.startsWith("/") ? url : path.posix.join(path.posix.dirname(prismaFile), url), prismaFile, "Prisma");
  }
}

function add(detection: Detection, dbPath: string, from: string, framework: string): void {
  if (detection.databases.some((d) => d.path === dbPath)) return;
  detection.databases.push({ name: dbName(dbPath), path: dbPath, from });
  detection.notes.push(`${framework}: ${from} (SQLite ${dbPath})`);
}

function findFile(dir: string, name: string): string | undefined {
  for (const sub of readdirSafe(dir)) {
    if (sub === "node_modules" || sub.startsWith(".")) continue;
    if (existsSync(path.join(dir, sub, name))) return path.posix.join(sub, name);
  }
  return undefined;
}

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function dbName(file: string): string {
  return slug(path.posix.basename(file).replace(/\.(sqlite3?|db)$/, "")) || "db";
}

/** A name the description accepts: lower-case letters, digits and dashes. */
export function slug(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63);
}
