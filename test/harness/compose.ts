// The real Docker Compose v2 `config` (no engine needed): loads, merges, interpolates and validates
// compose files exactly as `docker compose up` does before it talks to the engine.
import { execFile } from "node:child_process";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { composeBinary, TOOLS_DIR } from "./tools.js";

export interface ComposeConfigResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ComposeConfigOptions {
  /** The only variables Compose sees besides PATH and HOME (the caller's environment is not passed). */
  env?: Record<string, string>;
  /** Extra arguments for `config`, e.g. ["--format", "json"]. */
  args?: string[];
  projectName?: string;
}

/** `docker-compose -f FILE… config`, run in the first file's directory. Resolves on any exit code. */
export function composeConfig(files: string[], options: ComposeConfigOptions = {}): Promise<ComposeConfigResult> {
  const dockerConfig = join(TOOLS_DIR, "docker-config");
  mkdirSync(dockerConfig, { recursive: true });
  const args = [
    ...(options.projectName ? ["-p", options.projectName] : []),
    ...files.flatMap((f) => ["-f", f]),
    "config",
    ...(options.args ?? []),
  ];
  return new Promise((resolve, reject) => {
    execFile(
      composeBinary(),
      args,
      {
        cwd: dirname(files[0]!),
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: process.env.HOME ?? "/",
          DOCKER_CONFIG: dockerConfig,
          COMPOSE_ANALYTICS: "false",
          ...options.env,
        },
        encoding: "utf8",
        timeout: 30_000,
      },
      (err, stdout, stderr) => {
        if (err && typeof err.code === "string") return reject(err);
        const code = err ? (typeof (err as { code?: unknown }).code === "number" ? (err as { code: number }).code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The merged model as JSON (`config --format json`); throws with Compose's message when it refuses. */
export async function composeModel(files: string[], options: ComposeConfigOptions = {}): Promise<ComposeModel> {
  const r = await composeConfig(files, { ...options, args: ["--format", "json", ...(options.args ?? [])] });
  if (r.code !== 0) throw new Error(`docker-compose config exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as ComposeModel;
}

export interface ComposeModel {
  name: string;
  services: Record<
    string,
    Record<string, unknown> & { depends_on?: Record<string, { condition: string; required?: boolean; restart?: boolean }> }
  >;
  volumes?: Record<string, unknown>;
  configs?: Record<string, unknown>;
}
