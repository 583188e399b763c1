// Sentinel secrets where a leak could come from (the description, the user's existing files, the
// environment) and the search of generated files for them. Shared by test/no-secrets.test.ts and the
// test that proves the search catches a leaking target.
import { readFileSync } from "node:fs";
import type { Artifact, ExistingFileReader } from "../../src/artifact.js";
import { envBindings } from "../../src/env-mapping.js";
import type { Plan } from "../../src/plan.js";

export const SENTINEL = "SENTINEL-9f3c1e";
const DEPLOY_FIXTURE = readFileSync(new URL("../fixtures/kamal/deploy.yml", import.meta.url), "utf8");

/** One leak: which sentinel, in which file we own. */
export interface Leak {
  file: string;
  sentinel: string;
}

/** Every sentinel found in a file, except the user's own file it came from (a shared file keeps its text). */
export function leaksIn(files: Artifact[], sentinels: Map<string, string | undefined>): Leak[] {
  const leaks: Leak[] = [];
  for (const file of files) {
    for (const [sentinel, origin] of sentinels) {
      if (file.content.includes(sentinel) && !(file.ownership === "shared" && file.path === origin))
        leaks.push({ file: file.path, sentinel });
    }
  }
  return leaks;
}

/** A secret value that looks real (AWS-style key id and secret), tagged with where it was put. */
export function sentinelFor(where: string): string {
  return `AKIA${SENTINEL}-${where.replace(/[^A-Za-z0-9]/g, "_")}-wJalrXUtnFEMI/K7MDENG/bPxRfiCY`;
}

/** The user's existing files, each with a sentinel secret outside any block we write. */
export function existingWithSentinels(
  sentinels: Map<string, string | undefined>,
  compose?: { appService: string; volume: string },
  kamalHosts: Record<string, string> = {},
): ExistingFileReader {
  const files = new Map<string, string>();
  return (path) => {
    const known = files.get(path);
    if (known !== undefined) return known;
    const value = sentinelFor(path);
    let text: string | undefined;
    if (/^config\/deploy(\.[a-z0-9_-]+)?\.yml$/.test(path)) {
      // The app runs where the accessory boots (Kamal's volume is local to its host): the user's servers say so.
      const host = kamalHosts[path] ?? "203.0.113.10";
      text = DEPLOY_FIXTURE.replace(
        "    SOLID_QUEUE_IN_PUMA: true\n",
        `    SOLID_QUEUE_IN_PUMA: true\n    USER_TOKEN: "${value}"\n`,
      ).replace("  web:\n    - 203.0.113.10\n", `  web:\n    - ${host}\n`);
    } else if (/^\.kamal\/secrets(\.[a-z0-9_-]+)?$/.test(path)) {
      text = `# the user's own secrets\nUSER_API_KEY=${value}\n`;
    } else if (compose && path === "compose.yaml") {
      const [source] = compose.volume.split(":");
      text = [
        "services:",
        `  ${compose.appService}:`,
        "    image: acme/app:1",
        "    environment:",
        `      USER_API_KEY: "${value}"`,
        "    volumes:",
        `      - ${compose.volume}`,
        "volumes:",
        `  ${source}: {}`,
        "",
      ].join("\n");
    }
    if (text === undefined) return undefined;
    if (!text.includes(value)) throw new Error(`the sentinel was not placed in ${path}`);
    sentinels.set(value, path);
    files.set(path, text);
    return text;
  };
}

/** Sets a sentinel in process.env under every variable name the plan's bindings use; returns the restore function. */
export function poisonEnvironment(plans: Plan[], sentinels: Map<string, string | undefined>): () => void {
  const saved = new Map<string, string | undefined>();
  for (const plan of plans) {
    for (const env of plan.environments) {
      for (const b of envBindings(env)) {
        for (const name of [b.name, b.secretName]) {
          if (saved.has(name)) continue;
          saved.set(name, process.env[name]);
          const value = sentinelFor(`env-${name}`);
          process.env[name] = value;
          sentinels.set(value, undefined);
        }
      }
    }
  }
  return () => {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Every secret reference in a description ({ env }, { op }, "op://…"), with its path. */
export function secretReferences(node: unknown, path: Array<string | number> = []): Array<Array<string | number>> {
  // { env } there is a non-secret setting read at start-up (docs/storage.md), not a secret reference.
  if (path.some((key) => SETTING_KEYS.has(String(key)))) return [];
  if (typeof node === "string") return node.startsWith("op://") ? [path] : [];
  if (!node || typeof node !== "object") return [];
  const keys = Object.keys(node);
  if (
    keys.length === 1 &&
    (keys[0] === "env" || keys[0] === "op") &&
    typeof (node as Record<string, unknown>)[keys[0]] === "string" &&
    path.length
  )
    return [path];
  return Object.entries(node).flatMap(([key, value]) => secretReferences(value, [...path, Array.isArray(node) ? Number(key) : key]));
}

const SETTING_KEYS = new Set(["bucket", "endpoint", "region", "prefix", "replicaPath"]);

/** A copy of `input` with the value at `path` replaced. */
export function withValueAt(input: unknown, path: Array<string | number>, value: unknown): unknown {
  const copy = structuredClone(input) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
  return copy;
}
