// The restore drill run for real (sh, busybox sh, shellcheck) against file and s3rver replicas of
// the real 0.3.13 and 0.5.17 binaries: pass on a healthy backup, fail on a corrupt or stale one,
// inconclusive when storage is unreachable; the live database untouched, the heartbeat pinged.
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { binaryFor, hermeticEnv, startReplicate, stopAll, waitForBackup } from "./harness/litestream.js";
import { closeAllProxies } from "./harness/proxy.js";
import { closeAllS3 } from "./harness/s3.js";
import { createWalDb, insertRows } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";
import { composeConfig } from "./harness/compose.js";
import { fileOf, fileStorage, RELEASE, s3Storage, tempProject, writeProject, type Line, type Storage } from "./operations-support.js";
import type { ProjectInput } from "../src/index.js";

afterAll(async () => {
  await stopAll();
  await closeAllProxies();
  await closeAllS3();
  await cleanupTempDirs();
});

interface Run {
  code: number;
  output: string;
}
function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { env: hermeticEnv(env), encoding: "utf8", timeout: 300_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, output: stdout + stderr });
    });
  });
}

/** A heartbeat endpoint that records the paths it was called on. */
async function heartbeat(): Promise<{ url: string; paths: string[]; server: Server }> {
  const paths: string[] = [];
  const server = createServer((req, res) => {
    paths.push(req.url ?? "");
    res.end("ok");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/ping`, paths, server };
}

const digest = (path: string) =>
  existsSync(path) ? createHash("sha256").update(readFileSync(path)).digest("hex") + statSync(path).mtimeMs : "absent";
const liveState = (db: string) => ["", "-wal", "-shm"].map((s) => digest(db + s));

/** Overwrites the middle of every backup file under `dir` (s3rver keeps object bytes in files too). */
function corrupt(dir: string): number {
  let count = 0;
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (!entry.name.endsWith("._S3rver_metadata.json") && statSync(p).size > 64) {
        const bytes = readFileSync(p);
        bytes.fill(0x5a, 40, Math.min(bytes.length - 8, 4000));
        writeFileSync(p, bytes);
        count++;
      }
    }
  };
  walk(dir);
  return count;
}

describe.each(["0.3", "0.5"] as const)("restore drill, Litestream %s", (line: Line) => {
  it.each(["file", "s3"] as const)("%s replica: pass, stale, unreachable, corrupt", { timeout: 600_000 }, async (kind) => {
    const dir = tempProject(`ops-drill-${line}-${kind}`);
    const storage: Storage = kind === "file" ? await fileStorage(dir) : await s3Storage();
    const hb = await heartbeat();
    const db = join(dir, "data", "app.db");
    mkdirSync(dirname(db));
    await createWalDb(db);
    await insertRows(db, 1, 50);
    const project = (maxAge: string): ProjectInput => ({
      name: "ops",
      litestream: { version: line, release: RELEASE[line] },
      storage: storage.storage,
      replication: { syncInterval: "1s" },
      databases: [{ name: "app", path: db }],
      verification: { maxAge, heartbeatUrl: { env: "DRILL_HEARTBEAT_URL" } },
    });
    const files = writeProject(dir, project("1h"));
    const script = join(dir, fileOf(files, "drill-script").path);
    const config = join(dir, fileOf(files, "litestream-config").path);
    const staleDir = makeTempDir("ops-drill-stale");
    const staleScript = join(staleDir, fileOf(writeProject(staleDir, project("1s")), "drill-script").path);

    const shellcheck = await run("shellcheck", ["-s", "sh", script], {});
    expect(shellcheck.output).toBe("");

    const replicate = startReplicate(config, { line, env: storage.env });
    await waitForBackup(config, db, dir, { line, env: storage.env });
    await replicate.stop();

    const tmp = makeTempDir("ops-drill-tmp");
    const env = {
      ...storage.env,
      LITESTREAM_CONFIG: config,
      LITESTREAM_BIN: binaryFor(line),
      DRILL_HEARTBEAT_URL: hb.url,
      TMPDIR: tmp,
      PATH: `${dirname(binaryFor(line))}:${process.env.PATH}`,
    };
    const before = liveState(db);

    for (const shell of ["sh", "busybox"]) {
      const pass = await run(shell, shell === "busybox" ? ["sh", script] : [script], env);
      expect(pass.output).toMatch(
        new RegExp(`litestream-drill: pass: ${db.replace(/[.]/g, "\\.")}: restored, integrity ok, newest backup \\d{4}-`),
      );
      expect(pass.output).toContain("litestream-drill: verdict: pass");
      expect(pass.code).toBe(0);
    }
    expect(hb.paths).toEqual(["/ping", "/ping"]);

    // Stale: the same backup, with a 1 s bound, once a second has passed since the last upload.
    await new Promise((r) => setTimeout(r, 2500));
    const stale = await run("sh", [staleScript], env);
    expect(stale.output).toMatch(/litestream-drill: fail: .*: stale: newest backup \S+ is older than 1 second/);
    expect(stale.code).toBe(1);
    expect(hb.paths.at(-1)).toBe("/ping/fail");

    if (storage.proxy) {
      storage.proxy.refuse();
      // 0.5 retries unreachable storage for about two minutes: the drill's bound ends that sooner.
      const unreachable = await run("sh", [script], { ...env, LITESTREAM_DRILL_TIMEOUT: "15" });
      expect(unreachable.output).toMatch(/litestream-drill: inconclusive: .*: (storage unreachable|restore timed out after 15s)/);
      expect(unreachable.output).toContain("litestream-drill: verdict: inconclusive");
      expect(unreachable.code).toBe(2);
      storage.proxy.release();
    }

    expect(corrupt(storage.s3 ? join(storage.s3.dir, "backups") : join(dir, "backups"))).toBeGreaterThan(0);
    const corrupted = await run("sh", [script], env);
    expect(corrupted.output).toMatch(/litestream-drill: fail: .*: (restore failed|integrity check failed)/);
    expect(corrupted.code).toBe(1);

    expect(liveState(db)).toEqual(before);
    expect(readdirSync(tmp)).toEqual([]);
    hb.server.close();
  });
});

describe("the drill's schedulers", () => {
  const project: ProjectInput = {
    name: "ops",
    litestream: { version: "0.5", release: "0.5.17", verify: false },
    storage: {
      provider: "minio",
      endpoint: "http://127.0.0.1:9000",
      bucket: "backups",
      credentials: { accessKeyId: { env: "S3_KEY" }, secretAccessKey: { env: "S3_SECRET" } },
    },
    databases: [{ name: "app", path: "/srv/app/data/app.db" }],
    verification: { schedule: "*-*-* 04:00:00" },
    targets: { systemd: { appUnit: "app.service" }, compose: { appService: "web", volume: "app_data:/srv/app/data" } },
  };

  it("the systemd timer and service pass systemd-analyze verify", async () => {
    const dir = tempProject("ops-drill-units");
    const files = writeProject(dir, project);
    const units = files
      .filter((f) => f.path.includes("litestream-drill") && /\.(service|timer)$/.test(f.path))
      .map((f) => join(dir, f.path));
    expect(units).toHaveLength(2);
    // verify needs the ExecStart= binary to exist: /bin/sh does; the script path is checked by the install step.
    const verify = await run("systemd-analyze", ["verify", "--man=no", ...units], { SYSTEMD_LOG_LEVEL: "err" });
    expect(
      verify.output
        .split("\n")
        .filter((l) => l.trim() && !/Command .*litestream-drill.sh is not executable|not found|Unit .*is not loaded/.test(l)),
    ).toEqual([]);
    expect(
      readFileSync(
        units.find((u) => u.endsWith(".timer"))!,
        "utf8",
      ),
    ).toContain("OnCalendar=*-*-* 04:00:00\n");
  });

  it("the Compose drill service is a valid Compose file under the drill profile", async () => {
    const dir = tempProject("ops-drill-compose");
    const files = writeProject(dir, project);
    const compose = fileOf(files, "compose-drill");
    expect(compose.path).toBe("compose.drill.yaml");
    const result = await composeConfig([join(dir, compose.path)], { env: { S3_KEY: "k", S3_SECRET: "s", COMPOSE_PROFILES: "drill" } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("litestream-drill:");
    expect(result.stdout).toContain("- drill");
    expect(result.stdout).toContain(`source: ${join(dir, "config/litestream.yml")}`);
  });
});
