// restoreRetry, run for real (docs/lifecycle.md): a device boots before its network is up. The
// generated entrypoint and systemd restore script run with the real Litestream 0.3.13 and 0.5.17
// against s3rver behind a TCP proxy that refuses connections and then accepts them. The app (a sh
// script) records what it saw: it must start only after the restore, with the backup's rows.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate, type ProjectInput } from "../src/index.js";
import { composeModel } from "./harness/compose.js";
import { leaveBackup as leaveBackupOf } from "./support/backup.js";
import { writeFiles } from "./support/project-files.js";
import { withPrivateEtc } from "./support/private-etc.js";
import { expectCleanShellScripts } from "./support/shell-lint.js";
import { binaryFor, type LitestreamLine } from "./harness/litestream.js";
import { closeAllProxies, startTcpProxy, type TcpProxy } from "./harness/proxy.js";
import { closeAllS3, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, startS3 } from "./harness/s3.js";
import { sqlite } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";
import { killLiveChildren, runTracked, type Running } from "./support/child-processes.js";
import { LITESTREAM_05_RELEASE } from "./harness/tools.js";

afterEach(killLiveChildren);
afterAll(async () => {
  await closeAllProxies();
  await closeAllS3();
  await cleanupTempDirs();
});

const LINES: LitestreamLine[] = ["0.3", "0.5"];

interface Device {
  dir: string;
  db: string;
  config: string;
  entrypoint: string;
  systemdRestore: string;
  /** The restore (and then replicate) script each container target runs, as its /bin/sh -c gets it. */
  kamalScript: () => Promise<string>;
  composeScript: () => Promise<string>;
  order: string;
  env: Record<string, string>;
  proxy: TcpProxy;
  line: LitestreamLine;
  files: Map<string, string>;
}

async function device(line: LitestreamLine, retry: { attempts: number; maxDelaySeconds?: number }): Promise<Device> {
  const dir = makeTempDir(`retry-${line}`);
  const s3 = await startS3({ buckets: ["device-backups"] });
  const proxy = await startTcpProxy(s3.port);
  const db = join(dir, "data", "app.db");
  const order = join(dir, "order");
  const app = join(dir, "apps", "app");
  const project: ProjectInput = {
    name: "sensor",
    litestream: line === "0.3" ? { version: "0.3", verify: false } : { version: "0.5", release: LITESTREAM_05_RELEASE, verify: false },
    storage: {
      provider: "minio",
      endpoint: proxy.endpoint,
      bucket: "device-backups",
      credentials: { accessKeyId: { env: "S3_KEY" }, secretAccessKey: { env: "S3_SECRET" } },
    },
    replication: { syncInterval: "100ms" },
    databases: [{ name: "app", path: db }],
    restoreRetry: retry,
    targets: {
      entrypoint: { appCommand: [app] },
      systemd: { appUnit: "sensor.service", user: "root", binary: join(dir, "bin", "litestream") },
      kamal: { version: "2.12", volume: `sensor_data:${join(dir, "data")}`, host: "sensor.example.com" },
      compose: { appService: "web", volume: `sensor_data:${join(dir, "data")}` },
    },
  };
  const files = writeFiles(join(dir, "project"), generate(project).files);
  mkdirSync(join(dir, "data"));
  mkdirSync(join(dir, "bin"));
  symlinkSync(binaryFor(line), join(dir, "bin", "litestream"));
  mkdirSync(join(dir, "apps"));
  writeFileSync(
    app,
    `#!/bin/sh\necho "app:$(sqlite3 '${db}' "SELECT group_concat(v, ',') FROM t" 2>/dev/null || echo none)" >> '${order}'\n`,
  );
  chmodSync(app, 0o755);
  const config = join(dir, "project", "config", "litestream.yml");
  const env = {
    PATH: `${join(dir, "bin")}:/usr/bin:/bin`,
    HOME: dir,
    LITESTREAM_CONFIG: config,
    S3_KEY: S3_ACCESS_KEY_ID,
    S3_SECRET: S3_SECRET_ACCESS_KEY,
    LITESTREAM_ACCESS_KEY_ID: S3_ACCESS_KEY_ID,
    LITESTREAM_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY,
  };
  return {
    dir,
    db,
    config,
    order,
    env,
    proxy,
    line,
    files,
    entrypoint: join(dir, "project", "bin", "litestream-entrypoint"),
    systemdRestore: join(dir, "project", "deploy", "systemd", "litestream-restore.sh"),
    kamalScript: () => kamalScript(files.get("config/litestream-accessory.yml")!),
    composeScript: () => composeRestoreScript(join(dir, "project"), join(dir, "data")),
  };
}

const leaveBackup = (d: Device) => leaveBackupOf({ dir: d.dir, db: d.db, config: d.config, line: d.line, env: d.env });

/** The accessory's cmd split into words by a shell, as Kamal's remote shell does: ["-c", script]. */
async function kamalScript(accessoryFile: string): Promise<string> {
  const cmd = (parse(accessoryFile) as { accessories: { litestream: { cmd: string } } }).accessories.litestream.cmd;
  const r = spawnSync("sh", ["-c", `eval "set -- $1"; [ "$#" -eq 2 ] && [ "$1" = -c ] && printf %s "$2"`, "sh", cmd], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** The restore service's script after the real docker-compose's interpolation. */
async function composeRestoreScript(projectDir: string, dataDir: string): Promise<string> {
  writeFileSync(
    join(projectDir, "compose.yaml"),
    `services:\n  web:\n    image: sensor\n    volumes: ["sensor_data:${dataDir}"]\nvolumes:\n  sensor_data: {}\n`,
  );
  const model = await composeModel([join(projectDir, "compose.yaml"), join(projectDir, "compose.litestream.yaml")], {
    env: { S3_KEY: "k", S3_SECRET: "s" },
  });
  const restore = model.services["litestream-restore"]!;
  expect(restore.entrypoint).toEqual(["/bin/sh", "-c"]);
  // `config` prints Compose's own file form, where $$ stands for $; the container gets $ (test/compose-real.test.ts).
  return (restore.command as string[])[0]!.replaceAll("$$", "$");
}

async function waitFor(condition: () => boolean, what: () => string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out; ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const orderLog = (d: Device) => (existsSync(d.order) ? readFileSync(d.order, "utf8").trim().split("\n") : []);

describe.each(LINES)("restoreRetry, Litestream %s (real binary, s3rver behind a proxy)", (line) => {
  it("offline at boot, network comes back: the entrypoint restores, then the app starts with the backup's rows", async () => {
    const d = await device(line, { attempts: 20, maxDelaySeconds: 1 });
    await leaveBackup(d);
    d.proxy.refuse();
    const boot = runTracked(["sh", d.entrypoint], d.env);
    if (line === "0.3") {
      // 0.3.13 fails at once when the connection is refused: the generated loop retries.
      await waitFor(() => /restore of .*app\.db failed \(attempt 2 of 20\); retrying in 1s/.test(boot.output()), boot.output);
    } else {
      // 0.5.17's S3 client retries itself (about 4 minutes, measured) before its restore exits 1.
      await new Promise((r) => setTimeout(r, 3_000));
    }
    expect(orderLog(d), "the app must not start while the storage is unreachable").toEqual([]);
    d.proxy.release();
    await waitFor(() => orderLog(d).length > 0, boot.output);
    expect(orderLog(d)).toEqual(["app:backed-1,backed-2"]);
    expect(await boot.exited).toBe(0);
  }, 240_000);

  it("offline at boot, network comes back: the systemd restore script restores before ExecStart", async () => {
    const d = await device(line, { attempts: 20, maxDelaySeconds: 1 });
    await leaveBackup(d);
    // The installed script reads /etc/litestream/litestream.yml; here it reads the generated config.
    const script = readFileSync(d.systemdRestore, "utf8").replace("-config /etc/litestream/litestream.yml", `-config '${d.config}'`);
    expect(script).toContain(`-config '${d.config}'`);
    writeFileSync(d.systemdRestore, script);
    d.proxy.refuse();
    const pre = runTracked(["sh", d.systemdRestore, d.db], d.env);
    if (line === "0.3") await waitFor(() => /failed \(attempt 2 of 20\)/.test(pre.output()), pre.output);
    else await new Promise((r) => setTimeout(r, 3_000));
    expect(existsSync(d.db)).toBe(false);
    d.proxy.release();
    expect(await pre.exited, pre.output()).toBe(0);
    expect((await sqlite(d.db, "SELECT group_concat(v, ',') FROM t")).trim()).toBe("backed-1,backed-2");
  }, 240_000);
});

describe.each(LINES)("restoreRetry in the container targets' restore, Litestream %s (real binary, s3rver behind a proxy)", (line) => {
  /** Starts `script` under /bin/sh -c, offline, and checks the restore waits for the network and then completes. */
  async function offlineThenOnline(d: Device, argv: string[], env: Record<string, string>, done: (boot: Running) => boolean) {
    d.proxy.refuse();
    const boot = runTracked(argv, env);
    if (line === "0.3") await waitFor(() => /failed \(attempt 2 of 20\)/.test(boot.output()), boot.output);
    else await new Promise((r) => setTimeout(r, 3_000));
    expect(existsSync(d.db)).toBe(false);
    d.proxy.release();
    await waitFor(() => done(boot), boot.output);
    expect((await sqlite(d.db, "SELECT group_concat(v, ',') FROM t")).trim()).toBe("backed-1,backed-2");
    return boot;
  }

  it("Kamal accessory: the marker the app waits for appears only after the restore", async () => {
    const d = await device(line, { attempts: 20, maxDelaySeconds: 1 });
    await leaveBackup(d);
    const script = await d.kamalScript();
    const marker = join(d.dir, "data", ".litestream-restored");
    // The script reads /etc/litestream.yml, as in the container: a private /etc in a mount namespace.
    const argv = withPrivateEtc(d.config, script);
    const boot = await offlineThenOnline(d, argv, d.env, () => existsSync(marker));
    expect(boot.output()).not.toMatch(/giving up/);
  }, 240_000);

  it("Compose restore service: completes (exit 0) once the network is back, with the backup restored", async () => {
    const d = await device(line, { attempts: 20, maxDelaySeconds: 1 });
    await leaveBackup(d);
    const script = await d.composeScript();
    const env = { ...d.env, LITESTREAM_CONFIG: join(d.dir, "compose-litestream.yml") };
    const boot = await offlineThenOnline(d, ["/bin/sh", "-c", script], env, (b) => b.finished());
    expect(await boot.exited, boot.output()).toBe(0);
  }, 240_000);
});

describe("restoreRetry scripts pass shellcheck, sh -n and busybox sh -n", () => {
  it("entrypoint, systemd restore script, Kamal accessory script, Compose restore script", async () => {
    const d = await device("0.5", { attempts: 4 });
    const scripts = {
      entrypoint: readFileSync(d.entrypoint, "utf8"),
      systemd: readFileSync(d.systemdRestore, "utf8"),
      kamal: await d.kamalScript(),
      compose: await d.composeScript(),
    };
    for (const [name, text] of Object.entries(scripts)) expect(text, name).toContain("in 4 attempts");
    expectCleanShellScripts(d.dir, scripts);
  });
});

describe("restoreRetry gives up (0.3.13 fails fast; 0.5.17 would take ~4 minutes per attempt)", () => {
  it("storage never comes back: a clear final message, exit 1, and the app never starts", async () => {
    const d = await device("0.3", { attempts: 3, maxDelaySeconds: 1 });
    await leaveBackup(d);
    d.proxy.refuse();
    const boot = runTracked(["sh", d.entrypoint], d.env);
    expect(await boot.exited).toBe(1);
    expect(boot.output()).toMatch(
      /attempt 1 of 3\); retrying in 1s[\s\S]*attempt 2 of 3\); retrying in 1s[\s\S]*could not restore .*app\.db in 3 attempts \(is the storage reachable\?\): giving up; the app is not started/,
    );
    expect(orderLog(d)).toEqual([]);
    expect(existsSync(d.db)).toBe(false);
  }, 120_000);
});

describe("restoreRetry where it cannot run, and when it is not set", () => {
  const base = (extra: Partial<ProjectInput>): ProjectInput => ({
    name: "sensor",
    litestream: { version: "0.5", verify: false },
    storage: { provider: "file", path: "/srv/replica" },
    databases: [{ name: "app", path: "/data/app.db" }],
    targets: {
      kamal: { version: "2.12", volume: "app_data:/data", host: "app.example.com" },
      compose: { appService: "web", volume: "app_data:/data" },
      systemd: {},
      entrypoint: { appCommand: ["bin/app"] },
    },
    ...extra,
  });

  it("without restoreRetry no target carries a retry loop or lifts systemd's start timeout", () => {
    const text = generate(base({}))
      .files.map((f) => f.content)
      .join("\n");
    expect(text).not.toMatch(/restore_attempt|TimeoutStartSec|restoreRetry/);
  });

  it("with restoreRetry the systemd unit waits for the bounded retry (no 90 s start timeout)", () => {
    const unit = generate(base({ restoreRetry: { attempts: 5 } })).files.find(
      (f) => f.path === "deploy/systemd/litestream.service",
    )!.content;
    expect(unit).toMatch(/^ExecStartPre=[^\n]*\n(# [^\n]*\n)+TimeoutStartSec=infinity$/m);
  });

  it("a -scratch image has no shell to retry in: refused for Compose with a fix", () => {
    expect(() =>
      generate(
        base({
          restoreRetry: { attempts: 5 },
          litestream: { version: "0.5", verify: false, image: "litestream/litestream:0.5.17-scratch" },
          targets: { compose: { appService: "web", volume: "app_data:/data" } },
        }),
      ),
    ).toThrow(
      /litestream\.image: litestream\/litestream:0\.5\.17-scratch has no shell, so a failing restore cannot be retried \(restoreRetry\)/,
    );
  });
});
