// Drives the real Litestream binary (v0.3.13 from @flydotio/litestream-linux-x64) for tests.
//
// Observed on v0.3.13: `replicate`/`restore` log to STDOUT (slog text handler) unless
// `logging.stderr: true`; fatal start-up errors go to stderr. waitForLog() therefore searches
// stdout and stderr together.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { litestream05Binary } from "./tools.js";

const require = createRequire(import.meta.url);

/** Absolute path of the Litestream binary shipped by @flydotio/litestream-linux-x64 (0.3.13). */
export const litestreamBinary: string = join(dirname(require.resolve("@flydotio/litestream-linux-x64/package.json")), "litestream");

/** A Litestream release line the generator emits, and the real binary the tests run for it. */
export type LitestreamLine = "0.3" | "0.5";
export function binaryFor(line: LitestreamLine): string {
  return line === "0.3" ? litestreamBinary : litestream05Binary();
}

export interface RunResult {
  /** Exit code; -1 when the process was killed by a signal (see `signal`), e.g. on timeout. */
  code: number;
  stdout: string;
  stderr: string;
  signal: NodeJS.Signals | null;
}

export interface RunOptions {
  /** Extra environment variables (added to a minimal base environment, see hermeticEnv). */
  env?: Record<string, string>;
  cwd?: string;
  /** Kill the process after this long (default 30 s). */
  timeoutMs?: number;
  /** Which release line's binary to run (default 0.3). */
  line?: LitestreamLine;
  /** A specific release's binary (releaseBinary() in tools.ts); overrides `line`. */
  binary?: string;
}

/**
 * The environment a Litestream child gets: PATH, HOME, TMPDIR (when set) plus `extra`.
 * Deliberately NOT the whole process.env, so an ambient AWS_ACCESS_KEY_ID / LITESTREAM_CONFIG
 * on the developer machine or CI cannot change what a test observes (AWS_* takes precedence
 * over LITESTREAM_* in 0.3.13).
 */
export function hermeticEnv(extra: Record<string, string> = {}): Record<string, string> {
  const base: Record<string, string> = {};
  for (const k of ["PATH", "HOME", "TMPDIR"] as const) {
    const v = process.env[k];
    if (v !== undefined) base[k] = v;
  }
  return { ...base, ...extra };
}

/** Runs `litestream <args...>` to completion. Resolves on any exit code; rejects only if it cannot be spawned. */
export function runLitestream(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(
      opts.binary ?? binaryFor(opts.line ?? "0.3"),
      args,
      {
        env: hermeticEnv(opts.env),
        cwd: opts.cwd,
        timeout: opts.timeoutMs ?? 30_000,
        killSignal: "SIGKILL",
        maxBuffer: 64 * 1024 * 1024,
        encoding: "utf8",
      },
      (err, stdout, stderr) => {
        if (err && typeof err.code === "string") {
          // spawn failure (ENOENT, EACCES, ...) — not an exit status
          reject(err);
          return;
        }
        const e = err as (Error & { code?: number | null; signal?: NodeJS.Signals | null }) | null;
        const signal = e?.signal ?? null;
        const code = e ? (typeof e.code === "number" ? e.code : -1) : 0;
        resolve({ code, stdout, stderr, signal });
      },
    );
  });
}

export interface DatabaseEntry {
  path: string;
  /** Replica names; an unnamed replica is listed under its type (e.g. "file", "s3"). */
  replicas: string[];
}

/**
 * Parses the table printed by `litestream databases` (v0.3.13):
 *
 *     path           replicas
 *     /tmp/lsx/a.db  file,second
 *     /tmp/lsx/c.db
 *
 * Columns are aligned by Go's tabwriter (padding >= 2 spaces); the replicas column is a
 * comma-separated list and is blank for a DB with no replicas. The header's "replicas" offset
 * is used to split rows, so paths containing spaces survive.
 */
export function parseDatabasesOutput(stdout: string): DatabaseEntry[] {
  const lines = stdout.split("\n").filter((l) => l.trim() !== "");
  const header = lines.shift();
  if (header === undefined) return [];
  // 0.3 prints "replicas" (a comma-separated list), 0.5 "replica" (its one replica's type).
  const m = /^path\s+(replicas?)\s*$/.exec(header);
  if (!m) throw new Error(`unexpected 'litestream databases' header: ${JSON.stringify(header)}`);
  const col = header.indexOf(m[1]!);
  return lines.map((line) => {
    const path = line.slice(0, col).trimEnd();
    const rest = line.slice(col).trim();
    return { path, replicas: rest === "" ? [] : rest.split(",") };
  });
}

/** Runs `litestream databases -config <configPath>` and parses it; rejects on a non-zero exit. */
export async function listDatabases(
  configPath: string,
  env?: Record<string, string>,
  line: LitestreamLine = "0.3",
): Promise<DatabaseEntry[]> {
  const r = await runLitestream(["databases", "-config", configPath], { env, line });
  if (r.code !== 0) {
    throw new Error(`litestream databases exited ${r.code}: ${r.stderr || r.stdout}`);
  }
  return parseDatabasesOutput(r.stdout);
}

export interface StopResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface ReplicateHandle {
  readonly pid: number | undefined;
  readonly child: ChildProcess;
  /** stdout + stderr so far, in arrival order. */
  output(): string;
  /** Current length of output(); pass it as `from` to waitForLog to ignore earlier lines. */
  mark(): number;
  /**
   * Resolves with the first match of `re` in output() at or after offset `from` (default 0).
   * Rejects after timeoutMs (default 10 s) or if the process exits first.
   */
  waitForLog(re: RegExp, timeoutMs?: number, from?: number): Promise<RegExpMatchArray>;
  /** True once the process has exited. */
  exited(): boolean;
  /**
   * SIGTERM, then wait for exit (SIGKILL after 10 s). Idempotent.
   * Observed on v0.3.13: SIGTERM makes Litestream do a final DB sync + replica sync and exit 0
   * — but only if the DB was already initialised by its first monitor tick (monitor-interval,
   * default 1 s); a SIGTERM before that writes nothing at all.
   */
  stop(): Promise<StopResult>;
}

const live = new Set<ReplicateHandle>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last line of defence if a test forgets stopAll(): never leave replicate processes behind.
  process.once("exit", () => {
    for (const h of live) {
      try {
        h.child.kill("SIGKILL");
      } catch {
        /* already gone */
      }
    }
  });
}

export interface StartReplicateOptions {
  env?: Record<string, string>;
  /** Extra arguments placed before `-config` (e.g. ["-exec", "sleep 5"]). */
  extraArgs?: string[];
  cwd?: string;
  /** Which release line's binary to run (default 0.3). */
  line?: LitestreamLine;
  /** A specific release's binary (releaseBinary() in tools.ts); overrides `line`. */
  binary?: string;
  /** Seconds between SIGTERM and SIGKILL in stop() (default 10, Docker's default). */
  killAfterSeconds?: number;
}

/** Spawns `litestream replicate [extraArgs] -config <configPath>`. Call stopAll() in afterEach. */
export function startReplicate(configPath: string, opts: StartReplicateOptions = {}): ReplicateHandle {
  installExitHook();
  const child = spawn(opts.binary ?? binaryFor(opts.line ?? "0.3"), ["replicate", ...(opts.extraArgs ?? []), "-config", configPath], {
    env: hermeticEnv(opts.env),
    cwd: opts.cwd,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let stdout = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  const notify = () => {
    for (const w of [...waiters]) w();
  };
  child.stdout!.setEncoding("utf8").on("data", (d: string) => {
    stdout += d;
    out += d;
    notify();
  });
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    stderr += d;
    out += d;
    notify();
  });
  let exitedFlag = false;
  let spawnError: Error | undefined;
  const exitPromise = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("error", (err) => {
      spawnError = err;
      exitedFlag = true;
      notify();
      resolve({ code: null, signal: null });
    });
    // "close" (not "exit"): all output has been read by then.
    child.once("close", (code, signal) => {
      exitedFlag = true;
      notify();
      resolve({ code, signal });
    });
  });

  let stopPromise: Promise<StopResult> | undefined;

  const handle: ReplicateHandle = {
    get pid() {
      return child.pid;
    },
    child,
    output: () => out,
    mark: () => out.length,
    exited: () => exitedFlag,
    waitForLog(re, timeoutMs = 10_000, from = 0) {
      const pattern = new RegExp(re.source, re.flags.replace("g", ""));
      return new Promise<RegExpMatchArray>((resolve, reject) => {
        // eslint-disable-next-line prefer-const -- done() reads it before setTimeout assigns it
        let timer: NodeJS.Timeout | undefined;
        const check = () => {
          const m = out.slice(from).match(pattern);
          if (m) {
            done();
            resolve(m);
          } else if (exitedFlag) {
            done();
            reject(
              new Error(
                `litestream replicate exited before logging ${pattern}` +
                  (spawnError ? ` (${spawnError.message})` : "") +
                  `; output:\n${out}`,
              ),
            );
          }
        };
        const done = () => {
          waiters.delete(check);
          if (timer) clearTimeout(timer);
        };
        timer = setTimeout(() => {
          done();
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${pattern}; output:\n${out}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    stop() {
      if (!stopPromise) {
        stopPromise = (async () => {
          if (!exitedFlag) {
            child.kill("SIGTERM");
            const killTimer = setTimeout(() => child.kill("SIGKILL"), (opts.killAfterSeconds ?? 10) * 1000);
            await exitPromise;
            clearTimeout(killTimer);
          }
          const { code, signal } = await exitPromise;
          live.delete(handle);
          return { code, signal, stdout, stderr };
        })();
      }
      return stopPromise;
    },
  };
  live.add(handle);
  return handle;
}

/** Stops every replicate process started by this module that is still tracked. */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((h) => h.stop()));
}

/** How many replicate processes are still tracked (for leak assertions). */
export function liveReplicateCount(): number {
  return live.size;
}

export interface RestoreOptions extends RunOptions {
  /** Flags placed before `-o` (e.g. ["-timestamp", iso] or ["-if-db-not-exists"]). */
  flags?: string[];
}

/** `litestream restore -config <config> [flags] -o <output> <db>`: Go flags go before the database path. */
export function runRestore(config: string, db: string, output: string, opts: RestoreOptions = {}): Promise<RunResult> {
  return runLitestream(["restore", "-config", config, ...(opts.flags ?? []), "-o", output, db], opts);
}

/**
 * Restores `db` into a fresh file under `scratchDir` every 250 ms until a backup exists, then returns
 * that file's path. Rejects after waitMs (default 15 s) with the last restore's output.
 */
export async function waitForBackup(
  config: string,
  db: string,
  scratchDir: string,
  opts: RunOptions & { waitMs?: number } = {},
): Promise<string> {
  const deadline = Date.now() + (opts.waitMs ?? 15_000);
  for (let attempt = 0; ; attempt++) {
    const output = join(scratchDir, `backup-probe-${attempt}.db`);
    const r = await runRestore(config, db, output, opts);
    if (r.code === 0) return output;
    if (Date.now() > deadline) throw new Error(`no backup of ${db} appeared; last restore exited ${r.code}:\n${r.stdout}${r.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
