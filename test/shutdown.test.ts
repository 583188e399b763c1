// The shutdown promise (docs/lifecycle.md, section 2), proven on the real binaries: rows committed
// just before SIGTERM reach the replica through Litestream's final sync when the generated grace
// period is given, and are lost when storage is slow or down and SIGKILL comes after Docker's 10 s.
//
// Every run generates its litestream.yml with a 1m sync interval: the last rows are NOT uploaded when
// SIGTERM arrives (a restore taken just before the stop shows that), so only the final sync carries
// them. Assertions are about rows, never durations.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate, type ProjectInput } from "../src/index.js";
import { runRestore, startReplicate, stopAll, type LitestreamLine, type StopResult, waitForBackup } from "./harness/litestream.js";
import { closeAllProxies, startTcpProxy, type TcpProxy } from "./harness/proxy.js";
import { closeAllS3, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, startS3 } from "./harness/s3.js";
import { createWalDb, expectedRows, insertRows, readRows } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

// afterAll, not afterEach: the stall runs are concurrent, and every run has its own files and servers.
afterAll(async () => {
  await stopAll();
  await closeAllProxies();
  await closeAllS3();
  await cleanupTempDirs();
});

/** Docker's, Compose's and Kamal's default time between SIGTERM and SIGKILL. */
const DOCKER_DEFAULT_STOP_SECONDS = 10;
/** How long storage stalls after SIGTERM: longer than Docker's 10 s, shorter than every generated grace period. */
const STALL_MS = 12_000;
/** The release the harness runs for 0.5 (the grace period depends on the pinned release). */
const RELEASE = { "0.3": "0.3.13", "0.5": "0.5.17" } as const;
const S3_ENV = { LITESTREAM_ACCESS_KEY_ID: S3_ACCESS_KEY_ID, LITESTREAM_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY };

/** slow: every request hangs until the stall ends; unreachable: connections are reset until it ends. */
type Stall = "slow" | "unreachable";

interface Run {
  line: LitestreamLine;
  storage: "file" | "s3";
  /** What S3 does from SIGTERM (s3 only), for STALL_MS or until the process is gone. */
  stall?: Stall;
  stallMs?: number;
  /** The description's shutdownSyncTimeout (0.5.6+). */
  shutdownSyncTimeout?: string;
  /** SIGKILL this long after SIGTERM; default: the generated env.shutdown.graceSeconds. */
  killAfterSeconds?: number;
}

interface Outcome {
  graceSeconds: number;
  /** What a restore returned just before SIGTERM: the rows the replica already had. */
  beforeStop: string[];
  stopped: StopResult;
  /** What a restore returns after the process is gone. */
  restored: string[];
}

/**
 * Rows 1–10 exist before replication starts (its first upload carries them); rows 11–20 are
 * committed while it runs, then SIGTERM, then SIGKILL after the grace period.
 */
async function commitThenStop(run: Run): Promise<Outcome> {
  const dir = makeTempDir(`ld-shutdown-${run.line}`);
  const db = join(dir, "app.db");
  await createWalDb(db);
  await insertRows(db, 1, 10);

  let proxy: TcpProxy | undefined;
  let storage: ProjectInput["storage"] = { provider: "file", path: join(dir, "backups") };
  if (run.storage === "s3") {
    const s3 = await startS3({ buckets: ["app-backups"] });
    proxy = await startTcpProxy(s3.port);
    storage = {
      provider: "minio",
      endpoint: proxy.endpoint,
      bucket: "app-backups",
      credentials: { accessKeyId: { env: "S3_KEY" }, secretAccessKey: { env: "S3_SECRET" } },
    };
  }
  const { files, plan } = generate({
    name: "shutdown",
    litestream: { version: run.line, release: RELEASE[run.line] },
    storage,
    replication: { syncInterval: "1m" },
    databases: [{ name: "app", path: db }],
    ...(run.shutdownSyncTimeout ? { shutdownSyncTimeout: run.shutdownSyncTimeout } : {}),
  });
  const config = join(dir, "litestream.yml");
  writeFileSync(config, files.find((f) => f.kind === "litestream-config")!.content);
  const { graceSeconds } = plan.environments[0]!.shutdown;
  const opts = { line: run.line, env: run.storage === "s3" ? S3_ENV : {} };

  const replicate = startReplicate(config, { ...opts, killAfterSeconds: run.killAfterSeconds ?? graceSeconds });
  // The first upload also means 0.3.13 has had its first monitor tick, before which SIGTERM syncs nothing.
  await waitForBackup(config, db, dir, opts);
  await insertRows(db, 11, 20);
  const before = await runRestore(config, db, join(dir, "before-stop.db"), opts);
  expect(before.code, before.stdout + before.stderr).toBe(0);
  const beforeStop = await readRows(join(dir, "before-stop.db"));

  const stall = run.stall ? startStall(proxy!, run.stall, run.stallMs ?? STALL_MS) : undefined;
  const stopped = await replicate.stop();
  stall?.end(); // a killed process is gone: storage may come back for the restore

  const after = await runRestore(config, db, join(dir, "after-stop.db"), opts);
  expect(after.code, after.stdout + after.stderr).toBe(0);
  return { graceSeconds, beforeStop, stopped, restored: await readRows(join(dir, "after-stop.db")) };
}

/** Stalls the storage behind `proxy` now, until `ms` have passed or end() is called. */
function startStall(proxy: TcpProxy, stall: Stall, ms: number): { end(): void } {
  if (stall === "slow") proxy.hold();
  else proxy.refuse();
  const timer = setTimeout(() => proxy.release(), ms);
  return {
    end() {
      clearTimeout(timer);
      proxy.release();
    },
  };
}

describe.each(["0.5", "0.3"] as const)("Litestream %s: SIGTERM with the generated grace period", (line) => {
  it.each(["file", "s3"] as const)("every committed row reaches the %s replica through the final sync", async (storage) => {
    const outcome = await commitThenStop({ line, storage });
    expect(outcome.beforeStop).toEqual(expectedRows(1, 10)); // rows 11–20 were not uploaded yet
    expect(outcome.stopped).toMatchObject({ code: 0, signal: null });
    expect(outcome.restored).toEqual(expectedRows(1, 20));
  });
});

// Measured (docs/lifecycle.md): 0.5.17 retries quietly while storage is unreachable and finished its
// final sync 14–28 s after SIGTERM for a 12 s outage (six runs; its S3 client's retries back off):
// too close to the default 30 s shutdown-sync-timeout to test without flakes, so that run sets
// shutdownSyncTimeout 60s (grace 70 s). With slow storage both lines finished when the stall ended (12 s).
describe("storage stalled for 12 s after SIGTERM", () => {
  // Concurrent (each run has its own files, s3rver and proxy): the runs mostly wait.
  it.concurrent.for([
    ["0.5", "unreachable", "60s"],
    ["0.5", "slow", "default"],
    ["0.3", "slow", "default"],
  ] as const)(
    "Litestream %s, storage %s, shutdownSyncTimeout %s: SIGKILL after Docker's 10 s loses the last rows, the generated grace period keeps them",
    { timeout: 120_000 },
    async ([line, stall, shutdownSyncTimeout], { expect }) => {
      const run = { line, storage: "s3", stall, ...(shutdownSyncTimeout === "default" ? {} : { shutdownSyncTimeout }) } as const;
      const [docker, generated] = await Promise.all([
        commitThenStop({ ...run, killAfterSeconds: DOCKER_DEFAULT_STOP_SECONDS }),
        commitThenStop(run),
      ]);
      expect(generated.graceSeconds * 1000).toBeGreaterThan(STALL_MS); // the premise, not a timing measurement

      expect(docker.beforeStop).toEqual(expectedRows(1, 10));
      expect(docker.stopped.signal).toBe("SIGKILL");
      expect(docker.restored).toEqual(expectedRows(1, 10)); // rows 11–20 lost

      expect(generated.beforeStop).toEqual(expectedRows(1, 10));
      expect(generated.stopped).toMatchObject({ code: 0, signal: null });
      expect(generated.restored).toEqual(expectedRows(1, 20));
    },
  );
});

describe("Litestream 0.5.17, shutdownSyncTimeout 5s, storage unreachable until the process is gone", () => {
  // Measured: one attempt, cut at 5 s ("shutdown sync failed after timeout ... attempts=1"), then exit 0.
  it("gives up after the timeout it was given and exits on its own within the generated grace period", async () => {
    const outcome = await commitThenStop({ line: "0.5", storage: "s3", stall: "unreachable", stallMs: 60_000, shutdownSyncTimeout: "5s" });
    expect(outcome.graceSeconds).toBe(15);
    // Had shutdown-sync-timeout been ignored, the default 30 s of retries would end in SIGKILL at 15 s.
    expect(outcome.stopped).toMatchObject({ code: 0, signal: null }); // exit 0 although the sync failed
    expect(outcome.stopped.stdout + outcome.stopped.stderr).toMatch(/shutdown sync failed after timeout/);
    expect(outcome.restored).toEqual(expectedRows(1, 10));
  });
});

describe("Litestream 0.3.13, storage unreachable at SIGTERM", () => {
  // A limit no grace period fixes: 0.3 tries its final sync once, fails at once and exits 1.
  it("fails its one final sync and exits 1: the last rows are lost even with the grace period", async () => {
    const outcome = await commitThenStop({ line: "0.3", storage: "s3", stall: "unreachable" });
    expect(outcome.stopped).toMatchObject({ code: 1, signal: null });
    expect(outcome.stopped.stdout + outcome.stopped.stderr).toMatch(/error closing db/);
    expect(outcome.restored).toEqual(expectedRows(1, 10));
  });
});
