/**
 * The questions `init` asks (seed 002: provider, database paths, how often to sync and snapshot,
 * auto-restore; then the deployment target), each with its default from detection or a flag, and
 * the description the answers make. Pure: asking is done by the caller (a terminal, or --yes).
 */
import path from "node:path";
import { USE_CASE_PRESETS } from "../presets.js";
import { slug, type Detection } from "./detect.js";

export const PROVIDERS = ["r2", "aws", "b2", "hetzner", "digitalocean", "tigris", "minio", "s3", "file"] as const;
export const TARGETS = ["kamal", "compose", "systemd", "none"] as const;

export interface Question {
  key: string;
  text: string;
  /** The answer when the user just presses Enter (or under --yes); none: an answer is required. */
  default?: string;
  choices?: readonly string[];
  /** Why an answer is refused, or undefined when it is fine. */
  check?: (answer: string) => string | undefined;
}

export type Answers = Record<string, string>;

/** The next question given the answers so far, or undefined when done (questions depend on earlier answers). */
export function nextQuestion(answers: Answers, detection: Detection): Question | undefined {
  return questions(answers, detection).find((q) => !(q.key in answers));
}

function questions(a: Answers, d: Detection): Question[] {
  const list: Question[] = [
    {
      key: "name",
      text: "App name (used for bucket prefix and service names)",
      default: d.name || "app",
      check: (v) => (/^[a-z0-9][a-z0-9_-]{0,62}$/.test(v) ? undefined : "lower-case letters, digits, '-' and '_'"),
    },
    { key: "litestream", text: "Litestream version line", default: "0.5", choices: ["0.5", "0.3"] },
    { key: "provider", text: "Storage provider", default: "aws", choices: PROVIDERS },
  ];
  const provider = a.provider;
  if (provider === "r2")
    list.push({
      key: "accountId",
      text: "Cloudflare account id (32 hex characters, from the R2 page)",
      check: (v) => (/^[0-9a-f]{32}$/.test(v) ? undefined : "32 characters 0-9, a-f"),
    });
  if (provider === "aws") list.push({ key: "region", text: "AWS region", default: "us-east-1" });
  if (provider === "b2") list.push({ key: "region", text: "B2 region", default: "us-west-002" });
  if (provider === "digitalocean") list.push({ key: "region", text: "Spaces region", default: "fra1" });
  if (provider === "hetzner") list.push({ key: "location", text: "Hetzner location", default: "fsn1", choices: ["fsn1", "nbg1", "hel1"] });
  if (provider === "minio" || provider === "s3")
    list.push({
      key: "endpoint",
      text: "Endpoint URL (e.g. https://s3.example.com)",
      check: (v) => (/^https?:\/\/[^\s/]+/.test(v) ? undefined : "an http(s) URL"),
    });
  if (provider === "s3") list.push({ key: "region", text: "Region", default: "us-east-1" });
  if (provider === "file")
    list.push({
      key: "backupDir",
      text: "Backup directory on the machine that runs Litestream",
      default: "/var/backups/litestream",
      check: absolute,
    });
  if (provider && provider !== "file") {
    list.push({ key: "bucket", text: "Bucket", default: `${a.name ?? d.name ?? "app"}-backups` });
    list.push({
      key: "credentials",
      text: "Where the access key comes from: env (variables you set) or op (1Password)",
      default: "env",
      choices: ["env", "op"],
    });
    if (a.credentials === "op")
      list.push({
        key: "opItem",
        text: "1Password item (op://Vault/Item; fields access_key_id and secret_access_key)",
        default: `op://${a.name ?? "app"}/${provider}-backups`,
        check: (v) => (/^op:\/\/[^/\s]+\/[^/\s]+$/.test(v) ? undefined : "write op://Vault/Item"),
      });
  }
  list.push(
    {
      key: "databases",
      text: "SQLite database paths (absolute, comma-separated)",
      default: defaultDatabases(a, d).join(","),
      check: (v) => (v.split(",").every((p) => p.trim().startsWith("/")) ? undefined : "absolute paths, comma-separated"),
    },
    {
      key: "preset",
      text: `How often to sync and snapshot: ${Object.entries(USE_CASE_PRESETS)
        .map(([k, p]) => `${k} (${p.replication.syncInterval}/${p.replication.snapshotInterval}/keep ${p.replication.retention})`)
        .join(", ")}`,
      default: "active",
      choices: Object.keys(USE_CASE_PRESETS),
    },
    { key: "restore", text: "Restore a missing database from the backup before the app starts", default: "yes", choices: ["yes", "no"] },
    {
      key: "target",
      text: "Deployment target",
      default: d.kamal ? "kamal" : d.compose ? "compose" : d.systemd ? "systemd" : "none",
      choices: TARGETS,
    },
  );
  if (a.target === "kamal") {
    list.push(
      {
        key: "volume",
        text: "The app's volume, as the app mounts it (name:/path)",
        default: d.kamal?.volume ?? `${a.name}_storage:/rails/storage`,
        check: volume,
      },
      {
        key: "host",
        text: "The host that runs the app (and the accessory)",
        default: d.kamal?.servers[0],
        check: (v) => (/^[A-Za-z0-9][A-Za-z0-9_.:@[\]-]*$/.test(v) ? undefined : "a host name or IP address"),
      },
      {
        key: "kamalVersion",
        text: "Kamal version you deploy with",
        default: d.kamal?.version ?? "2.12",
        check: (v) => (/^2\.\d+(\.\d+)?$/.test(v) ? undefined : 'e.g. "2.12" or "2.10.1"'),
      },
    );
  }
  if (a.target === "compose") {
    const user = d.compose?.services.find((s) => s.volumes.length);
    list.push(
      {
        key: "appService",
        text: "The app's Compose service",
        default: user?.name ?? d.compose?.services[0]?.name ?? "app",
        choices: d.compose?.services.length ? d.compose.services.map((s) => s.name) : undefined,
      },
      {
        key: "volume",
        text: "The app's data volume, as the app mounts it (name:/path)",
        default: d.compose?.services.find((s) => s.name === a.appService)?.volumes[0] ?? user?.volumes[0],
        check: volume,
      },
    );
  }
  if (a.target === "systemd") {
    list.push({
      key: "appUnit",
      text: "The app's systemd unit",
      default: d.systemd?.unit ?? `${a.name}.service`,
      check: (v) => (/^[\w@.:-]+\.service$/.test(v) ? undefined : "a unit name ending in .service"),
    });
    if (d.systemd?.user && d.systemd.user !== "root")
      list.push({ key: "appUser", text: "The app's user (shares the database files with Litestream)", default: d.systemd.user });
  }
  return list;
}

function absolute(v: string): string | undefined {
  return v.startsWith("/") ? undefined : "an absolute path";
}

function volume(v: string): string | undefined {
  return /^[A-Za-z0-9][\w.-]*:\/[^\s:]*$/.test(v) ? undefined : "name:/path, e.g. app_data:/app/data";
}

/** Detected databases made absolute (relative ones against the app's directory); else a guess under the data volume. */
function defaultDatabases(a: Answers, d: Detection): string[] {
  const base = d.appDir ?? "/app";
  const found = d.databases.map((db) => (db.path.startsWith("/") ? db.path : path.posix.join(base, db.path)));
  if (found.length) return [...new Set(found)];
  const mount = (a.volume ?? d.kamal?.volume ?? d.compose?.services.find((s) => s.volumes.length)?.volumes[0])?.split(":")[1];
  return [mount ? `${mount}/${a.name ?? "app"}.db` : `/var/lib/${a.name ?? "app"}/${a.name ?? "app"}.db`];
}

export interface DescriptionDraft {
  value: Record<string, unknown>;
  /** Comments to write above a key, by its dotted path. */
  comments: Record<string, string>;
}

/** The description the answers make, with a comment for each choice a reader may want to revisit. */
export function descriptionFrom(a: Answers, d: Detection): DescriptionDraft {
  const comments: Record<string, string> = {};
  const provider = a.provider!;
  const storage: Record<string, unknown> = { provider };
  if (a.accountId) storage.accountId = a.accountId;
  if (a.region) storage.region = a.region;
  if (a.location) storage.location = a.location;
  if (a.endpoint) storage.endpoint = a.endpoint;
  if (provider === "file") {
    storage.path = a.backupDir;
    comments["storage.path"] = "A directory on the machine that runs Litestream; each database goes in <path>/<database name>.";
  } else {
    storage.bucket = a.bucket;
    storage.prefix = a.name;
    if (a.credentials === "op") {
      storage.credentials = { accessKeyId: { op: `${a.opItem}/access_key_id` }, secretAccessKey: { op: `${a.opItem}/secret_access_key` } };
      comments["storage.credentials"] =
        "1Password references, resolved at deploy time; check them with: npx litestream-deploy secrets check";
    } else {
      storage.credentials = { accessKeyId: { env: "LITESTREAM_ACCESS_KEY_ID" }, secretAccessKey: { env: "LITESTREAM_SECRET_ACCESS_KEY" } };
      comments["storage.credentials"] =
        "References, never values: set these variables where Litestream runs (or in .env); check with: npx litestream-deploy secrets check";
    }
  }
  const roles = new Map(d.databases.map((db) => [db.path.startsWith("/") ? db.path : path.posix.join(d.appDir ?? "/app", db.path), db]));
  const usedNames = new Set<string>();
  const databases = a.databases!.split(",").map((raw) => {
    const dbPath = raw.trim();
    const known = roles.get(dbPath);
    let name = known?.name ?? (slug(path.posix.basename(dbPath).replace(/\.(sqlite3?|db)$/, "")) || "db");
    while (usedNames.has(name)) name = `${name}-2`;
    usedNames.add(name);
    return { name, path: dbPath, ...(known?.role ? { role: known.role } : {}) };
  });
  const sources = [...new Set(d.databases.map((db) => db.from))];
  if (sources.length) comments.databases = `Found in ${sources.join(", ")}.`;
  const value: Record<string, unknown> = {
    name: a.name,
    litestream: { version: a.litestream },
    storage,
    preset: a.preset,
    databases,
  };
  comments.litestream = "The Litestream line you run: 0.3 and 0.5 read different config shapes.";
  comments.preset = `Use case: ${USE_CASE_PRESETS[a.preset!]!.reason} (personal, active or critical; or set replication yourself).`;
  if (a.restore === "no") {
    value.restoreOnBoot = false;
    comments.restoreOnBoot = "No automatic restore: restore by hand after losing a server (docs/lifecycle.md).";
  }
  const targets = targetsFrom(a, d, comments);
  if (targets) value.targets = targets;
  if (a.target === "systemd") {
    // The install script downloads the release .deb: it is verified only against a known SHA-256 (docs/versions.md).
    value.litestream = { version: a.litestream, verify: false };
    comments["litestream.verify"] =
      "No SHA-256 of this release's .deb is known here: copy its line from the release's checksums.txt into checksum: \"sha256:…\" to have the install script verify the download.";
  }
  return { value, comments };
}

function targetsFrom(a: Answers, d: Detection, comments: Record<string, string>): Record<string, unknown> | undefined {
  if (a.target === "kamal") {
    comments["targets.kamal"] =
      `From ${d.kamal?.file ?? "your answers"}: the accessory boots on the app's host and mounts the app's volume read-write.`;
    return { kamal: { version: a.kamalVersion, volume: a.volume, host: a.host, ...(d.kamal?.railsUser ? { appUser: "1000:1000" } : {}) } };
  }
  if (a.target === "compose") {
    comments["targets.compose"] =
      `Writes compose.litestream.yaml: docker compose -f ${d.compose?.file ?? "compose.yaml"} -f compose.litestream.yaml up -d`;
    return { compose: { appService: a.appService, volume: a.volume } };
  }
  if (a.target === "systemd") {
    comments["targets.systemd"] =
      "Writes deploy/systemd/: the unit, a drop-in that starts the app after the restore, and install-litestream.sh.";
    return { systemd: { appUnit: a.appUnit, ...(a.appUser ? { appUser: a.appUser } : {}) } };
  }
  return undefined;
}
