/**
 * Kamal 2's own rules for an accessory, per Kamal version (docs/kamal.md, "Kamal 2
 * accessories"). Kamal validates an accessory against the example in its docs: an unknown key is
 * an error, and several keys and forms only exist from a given release. The generator checks its
 * own output with these rules before emitting it, so a wrong accessory is never written.
 */
import { compareRelease } from "../../plan.js";

/** The release each accessory key is accepted from. */
export const ACCESSORY_KEYS_SINCE: Readonly<Record<string, string>> = {
  service: "2.0",
  image: "2.0",
  host: "2.0",
  hosts: "2.0",
  roles: "2.0",
  cmd: "2.0",
  port: "2.0",
  labels: "2.0",
  options: "2.0",
  env: "2.0",
  files: "2.0",
  directories: "2.0",
  volumes: "2.0",
  network: "2.3",
  proxy: "2.4",
  registry: "2.5",
  role: "2.6",
  tag: "2.6",
  tags: "2.6",
};

/** Behaviour that depends on the Kamal release. */
export const KAMAL_FEATURES = {
  /** `env.secret: ["CONTAINER_NAME:SECRETS_FILE_NAME"]`. */
  secretAliases: "2.6",
  /** `files: [{ local, remote, mode, owner, options }]`. */
  hashFiles: "2.10",
  /** `files: ["local:remote:ro"]` mounts read-only; older releases drop the options silently. */
  readOnlyFiles: "2.10",
  /** `labels.service`, `labels.role`, `labels.destination` are refused. */
  reservedLabels: "2.7",
  /** `options.restart` is accepted again, validated as a docker restart policy. */
  restartOption: "2.12",
} as const;

export const ACCESSORY_HOST_KEYS = ["host", "hosts", "role", "roles", "tag", "tags"] as const;
const RESERVED_LABELS = ["service", "role", "destination"];
const FILE_HASH_KEYS = ["local", "remote", "mode", "owner", "options"];
const ENV_KEYS = ["clear", "secret", "tags"];

export function kamalSupports(version: string, feature: keyof typeof KAMAL_FEATURES): boolean {
  return compareRelease(version, KAMAL_FEATURES[feature]) >= 0;
}

export function accessoryKeys(version: string): string[] {
  return Object.keys(ACCESSORY_KEYS_SINCE).filter((key) => compareRelease(version, ACCESSORY_KEYS_SINCE[key]!) >= 0);
}

export interface KamalFinding {
  /** Key path below `accessories/<name>`. */
  path: Array<string | number>;
  /** Kamal's own wording where Kamal reports it, plus why. */
  message: string;
  /** "error": Kamal refuses the file or fails at boot. "ignored": Kamal accepts it and silently does nothing. */
  level: "error" | "ignored";
}

type Json = unknown;
const isHash = (v: Json): v is Record<string, Json> => typeof v === "object" && v !== null && !Array.isArray(v);
// Kamal's `stringish?`: strings, symbols, numbers and booleans pass as strings.
const isStringish = (v: Json) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** Checks one accessory as Kamal `version` would; an empty list means Kamal accepts it and does what it says. */
export function validateKamalAccessory(accessory: Json, version: string): KamalFinding[] {
  const findings: KamalFinding[] = [];
  const error = (path: Array<string | number>, message: string) => findings.push({ path, message, level: "error" });
  const ignored = (path: Array<string | number>, message: string) => findings.push({ path, message, level: "ignored" });
  if (!isHash(accessory)) {
    error([], "should be a hash");
    return findings;
  }
  const allowed = accessoryKeys(version);
  for (const key of Object.keys(accessory)) {
    if (allowed.includes(key)) continue;
    const since = ACCESSORY_KEYS_SINCE[key];
    error(
      [key],
      `unknown key: ${key}${since ? ` (Kamal accepts it from ${since}, ${version} is configured)` : key.startsWith("x-") ? " (Kamal allows no x- extension keys in an accessory)" : ""}`,
    );
  }
  const selectors = ACCESSORY_HOST_KEYS.filter((key) => key in accessory);
  if (selectors.length !== 1) error([], "specify one of `host`, `hosts`, `role`, `roles`, `tag` or `tags`");

  for (const key of ["service", "image", "host", "role", "tag", "cmd", "port", "network"]) {
    // `cmd` is appended to `docker run … IMAGE` as one string; Kamal refuses an array.
    if (key in accessory && !isStringish(accessory[key])) error([key], "should be a string");
  }
  for (const key of ["hosts", "roles", "tags", "volumes"]) {
    if (!(key in accessory)) continue;
    const value = accessory[key];
    if (!Array.isArray(value)) error([key], "should be an array");
    else value.forEach((item, i) => !isStringish(item) && error([key, i], "should be a string"));
  }
  for (const key of ["files", "directories"]) {
    if (!(key in accessory)) continue;
    const value = accessory[key];
    if (!Array.isArray(value)) {
      error([key], "should be an array");
      continue;
    }
    value.forEach((item, i) => {
      if (typeof item === "string") {
        // Kamal splits "local:remote:options" at the first two colons.
        const flags = item.split(":").slice(2).join(":");
        if (flags && !kamalSupports(version, "readOnlyFiles")) {
          ignored(
            [key, i],
            `mount options ":${flags}" are dropped silently before Kamal ${KAMAL_FEATURES.readOnlyFiles} (${version} is configured)`,
          );
        }
      } else if (isHash(item)) {
        if (!kamalSupports(version, "hashFiles")) {
          error(
            [key, i],
            `should be a string (the hash form {local, remote, mode, owner, options} needs Kamal ${KAMAL_FEATURES.hashFiles}, ${version} is configured)`,
          );
          return;
        }
        for (const field of Object.keys(item)) {
          if (!FILE_HASH_KEYS.includes(field)) error([key, i, field], `unknown key: ${field}`);
          else if (typeof item[field] !== "string") {
            error(
              [key, i, field],
              field === "mode" ? 'should be a string (quote it: "0644"; a bare 0644 is the integer 420)' : "should be a string",
            );
          }
        }
      } else error([key, i], "should be a string or a hash");
    });
  }
  if ("options" in accessory) {
    const options = accessory.options;
    if (!isHash(options)) error(["options"], "should be a hash");
    else if ("restart" in options) checkRestart(options.restart, version, error);
  }
  if ("labels" in accessory) {
    const labels = accessory.labels;
    if (!isHash(labels)) error(["labels"], "should be a hash");
    else {
      for (const [label, value] of Object.entries(labels)) {
        if (!isStringish(value)) error(["labels", label], "should be a string");
        if (RESERVED_LABELS.includes(label) && kamalSupports(version, "reservedLabels")) {
          error(["labels", label], "invalid label. destination, role, and service are reserved labels");
        }
      }
    }
  }
  for (const key of ["proxy", "registry"]) {
    if (key in accessory && !isHash(accessory[key])) error([key], "should be a hash");
  }
  if ("env" in accessory) validateEnv(accessory.env, version, error);
  return findings;
}

/** docker's restart policies, as Kamal 2.12 validates `options.restart`. */
const RESTART_POLICY = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;

function checkRestart(value: Json, version: string, error: (path: Array<string | number>, message: string) => void): void {
  if (!kamalSupports(version, "restartOption")) {
    error(
      ["options", "restart"],
      compareRelease(version, "2.6") >= 0
        ? `Cannot set restart policy in docker options, unless-stopped is required (Kamal 2.6 to 2.11 refuse it; ${KAMAL_FEATURES.restartOption} accepts it)`
        : `Kamal ${version} already runs the accessory with --restart unless-stopped and would pass a second --restart to docker run; Kamal ${KAMAL_FEATURES.restartOption} accepts options.restart`,
    );
  } else if (typeof value !== "string" || !RESTART_POLICY.test(value)) {
    error(["options", "restart"], 'should be a restart policy string: "no", always, unless-stopped or on-failure[:N]');
  }
}

function validateEnv(env: Json, version: string, error: (path: Array<string | number>, message: string) => void): void {
  if (!isHash(env)) {
    error(["env"], "should be a hash");
    return;
  }
  const special = Object.keys(env).filter((key) => ENV_KEYS.includes(key));
  if (special.length === 0) {
    for (const [key, value] of Object.entries(env)) if (!isStringish(value)) error(["env", key], "should be a string");
    return;
  }
  for (const key of Object.keys(env)) if (!ENV_KEYS.includes(key)) error(["env", key], `unknown key: ${key}`);
  if ("tags" in env) error(["env", "tags"], "tags are only allowed in the root env");
  if ("clear" in env) {
    const clear = env.clear;
    if (!isHash(clear)) error(["env", "clear"], "should be a hash");
    else for (const [key, value] of Object.entries(clear)) if (!isStringish(value)) error(["env", "clear", key], "should be a string");
  }
  if ("secret" in env) {
    const secret = env.secret;
    if (!Array.isArray(secret)) {
      error(["env", "secret"], "should be an array");
      return;
    }
    secret.forEach((item, i) => {
      if (typeof item !== "string") error(["env", "secret", i], "should be a string");
      else if (item.includes(":") && !kamalSupports(version, "secretAliases")) {
        error(
          ["env", "secret", i],
          `secret aliases (CONTAINER_NAME:SECRET_NAME) need Kamal ${KAMAL_FEATURES.secretAliases}, ${version} is configured: it would look up a secret literally named "${item}" and fail at boot`,
        );
      }
    });
  }
}
