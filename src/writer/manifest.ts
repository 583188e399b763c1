/**
 * The manifest of generated files (`.litestream-deploy.json`, committed with them, projen-style):
 * the next run removes the files a previous run generated and the description no longer produces
 * (an environment renamed, a target removed). Only whole generated files are listed; shared files
 * (config/deploy.yml, .kamal/secrets, compose.yaml) are never removed. See docs/writing.md.
 */
import fs from "node:fs";
import type { Artifact, ArtifactKind } from "../artifact.js";
import { headerLines, isGenerated } from "../header.js";
import { resolveTarget } from "./paths.js";

export const MANIFEST_FILE = ".litestream-deploy.json";

export interface ManifestEntry {
  path: string;
  kind: ArtifactKind;
  /** Absent for a file shared by every environment (Kamal's bin/litestream-wait). */
  environment?: string;
}

/** Parses a manifest's text; undefined when it is not one (the writer then refuses or replaces it by its header). */
export function parseManifest(text: string | undefined): ManifestEntry[] | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as { files?: unknown };
    if (!Array.isArray(value.files)) return undefined;
    return value.files.filter(
      (e): e is ManifestEntry =>
        typeof e === "object" &&
        e !== null &&
        typeof (e as ManifestEntry).path === "string" &&
        typeof (e as ManifestEntry).kind === "string",
    );
  } catch {
    return undefined;
  }
}

export interface ManifestUpdate {
  /** The new manifest, to be written with the other files. */
  manifest: Artifact;
  /** Files listed before, not produced now: candidates for removal. */
  stale: ManifestEntry[];
}

/**
 * The manifest after this run, and what became stale. A run limited to some environments (generate
 * --env) only makes that environment's files stale; the other entries are kept as they were.
 */
export function updateManifest(files: Artifact[], previous: ManifestEntry[], allEnvironments: string[]): ManifestUpdate {
  const produced = new Set(files.map((f) => f.path));
  const covered = new Set(files.filter((f) => f.kind === "litestream-config").map((f) => f.environment));
  const everyEnvironment = allEnvironments.every((name) => covered.has(name));
  // A full run answers for every earlier file (a removed environment's too); an --env run only for its own.
  const inScope = (entry: ManifestEntry) => everyEnvironment || (entry.environment !== undefined && covered.has(entry.environment));
  const stale = previous.filter((entry) => !produced.has(entry.path) && entry.path !== MANIFEST_FILE && inScope(entry));
  const kept = previous.filter((entry) => !produced.has(entry.path) && entry.path !== MANIFEST_FILE && !inScope(entry));
  const current: ManifestEntry[] = files
    .filter((f) => f.ownership === "generated")
    .map((f) => ({ path: f.path, kind: f.kind, ...(f.environment === undefined ? {} : { environment: f.environment }) }));
  const entries = [...current, ...kept].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { manifest: manifestArtifact(entries), stale };
}

function manifestArtifact(entries: ManifestEntry[]): Artifact {
  const [what, regenerate] = headerLines("the files it generated; a file no longer generated is removed on the next run");
  const body = { generatedBy: what, regenerate, files: entries };
  return { path: MANIFEST_FILE, content: `${JSON.stringify(body, null, 2)}\n`, kind: "manifest", ownership: "generated" };
}

/** A stale file the writer may remove: inside the root, a regular file, still carrying our header. */
export interface StaleFile {
  entry: ManifestEntry;
  file: string;
}

/** The stale entries that are still on disk as files we generated; an edited file (header gone) is left alone. */
export function removableStaleFiles(root: string, stale: ManifestEntry[]): StaleFile[] {
  const found: StaleFile[] = [];
  for (const entry of stale) {
    const target = resolveTarget(root, entry.path);
    if ("reason" in target || !target.stat) continue;
    let text: string;
    try {
      text = fs.readFileSync(target.file, "utf8");
    } catch {
      continue;
    }
    if (isGenerated(text)) found.push({ entry, file: target.file });
  }
  return found;
}
