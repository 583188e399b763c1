/**
 * The library API for deploy scripts and tests: `writeFiles` writes a generate() result with the
 * CLI's rules (header check, write-if-changed, all-or-nothing, the manifest of generated files and
 * stale-file removal), `synth` returns the files as a { path: content } object for snapshot tests.
 */
import type { ExistingFileReader } from "./artifact.js";
import { generate, type GenerateOptions, type GenerateResult } from "./generate.js";
import type { ProjectInput } from "./schema/project.js";
import { existingFileReader, planWrites, writeArtifacts, type FileReport } from "./writer.js";
import { MANIFEST_FILE, parseManifest, updateManifest } from "./writer/manifest.js";

export interface WriteFilesOptions {
  /** The project root the artifact paths are relative to. */
  root: string;
  /** Write nothing; `upToDate` says whether every file is as generated (for CI). */
  check?: boolean;
  /** Write nothing; the reports say what a write would do. */
  dryRun?: boolean;
  /** Compute a unified diff per changed file (report.diff). */
  diff?: boolean;
  /** Keep the manifest (.litestream-deploy.json) and remove stale generated files (default true). */
  manifest?: boolean;
  /** Told about things worth a line on stderr (a stale lock taken over, a file that could not be removed). */
  onMessage?: (text: string) => void;
}

export interface WriteFilesResult {
  mode: "write" | "check" | "dry-run";
  /** One per file: created, updated, unchanged, conflict (refused: nothing written), removed (stale). */
  files: FileReport[];
  /** No file refused. */
  ok: boolean;
  /** Every file as generated and nothing stale (what `generate --check` exits 0 for). */
  upToDate: boolean;
  /** The CLI's exit code for this outcome: 1 for a refusal, or for drift under `check`. */
  exitCode: 0 | 1;
}

/**
 * Writes (or, with check/dryRun, plans) the files of a generate() result below `root`. Throws a
 * WriteError when a write fails or the lock is busy (every file is then as it was).
 */
export function writeFiles(result: GenerateResult, options: WriteFilesOptions): WriteFilesResult {
  const { root } = options;
  const mode = options.check ? "check" : options.dryRun ? "dry-run" : "write";
  let files = result.files;
  let stale: ReturnType<typeof updateManifest>["stale"] = [];
  if (options.manifest !== false) {
    const previous = parseManifest(existingFileReader(root)(MANIFEST_FILE)) ?? [];
    const update = updateManifest(
      result.files,
      previous,
      result.plan.environments.map((e) => e.name),
    );
    files = [...result.files, update.manifest];
    stale = update.stale;
  }
  const planOptions = { diff: !!options.diff, stale };
  const reports =
    mode === "write" ? writeArtifacts(files, root, { ...planOptions, onMessage: options.onMessage }) : planWrites(files, root, planOptions);
  const ok = !reports.some((r) => r.status === "conflict");
  const upToDate = reports.every((r) => r.status === "unchanged");
  return { mode, files: reports, ok, upToDate, exitCode: !ok || (mode === "check" && !upToDate) ? 1 : 0 };
}

export interface SynthOptions {
  environment?: string;
  /** The user's shared files the output is merged into (config/deploy.yml, compose.yaml…): a map or a reader. */
  existing?: Record<string, string> | ExistingFileReader;
}

/**
 * The generated files as { path: content }, sorted by path, for `expect(synth(d)).toMatchSnapshot()`.
 * Pure: reads nothing unless `existing` is a reader that does. Throws a ProjectError like generate().
 */
export function synth(description: ProjectInput | unknown, options: SynthOptions = {}): Record<string, string> {
  const existing = options.existing;
  const generateOptions: GenerateOptions = {
    ...(options.environment ? { environment: options.environment } : {}),
    ...(existing
      ? {
          existing:
            typeof existing === "function" ? existing : (path: string) => (Object.hasOwn(existing, path) ? existing[path] : undefined),
        }
      : {}),
  };
  const files = [...generate(description, generateOptions).files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return Object.fromEntries(files.map((f) => [f.path, f.content]));
}
