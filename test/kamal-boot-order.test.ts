// Boot order on Kamal, run for real: Kamal starts the accessory with `docker run --detach` and boots
// the app right after it, nothing waits. Here both sides are launched at the same moment, the app
// first: the accessory is its real `cmd` (through /bin/sh -c, with the real Litestream 0.3.13 or
// 0.5.17), the app is the generated bin/litestream-wait (or the edited Rails bin/docker-entrypoint)
// in front of a command that creates the database when missing (as `db:prepare` does) and queries it.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate } from "../src/index.js";
import { kamalAccessoryRunCommand, readArgvLog, writeArgvRecorder } from "./fixtures/kamal/kamal-emulation.js";
import { binaryFor, runLitestream, startReplicate, stopAll, type LitestreamLine } from "./harness/litestream.js";
import { createWalDb, expectedRows, insertRows, readRows, sqliteBinary } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

const BUSYBOX = "/bin/busybox";
type Child = ReturnType<typeof spawn>;
const children = new Set<Child>();

afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
  await stopAll();
  await cleanupTempDirs();
});

const ENTRYPOINT = readFileSync(new URL("./fixtures/kamal/docker-entrypoint", import.meta.url), "utf8");
// What `db:prepare` does to a missing database: creates it (empty, with the schema).
const PREPARE = "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT);";

interface Host {
  root: string;
  mount: string;
  db: string;
  config: string;
  accessory: { cmd: string; [k: string]: unknown };
  waitScript: string;
  entrypoint: string;
  bin: string;
  waitMode?: number;
}

/** The generated files for a project whose volume is mounted at a temp dir (the same path in both containers). */
function host(line: LitestreamLine): Host {
  const root = makeTempDir(`kamal-boot-${line}`);
  const mount = join(root, "storage");
  const db = join(mount, "production.sqlite3");
  const uid = `${process.getuid!()}:${process.getgid!()}`;
  const input = {
    name: "myapp",
    litestream: { version: line },
    storage: { provider: "file" as const, path: join(root, "replica") },
    databases: [{ path: db }],
    targets: {
      kamal: {
        version: "2.10.1",
        volume: `myapp_storage:${mount}`,
        host: "203.0.113.10",
        appUser: uid,
        beforeApp: [[sqliteBinary, db, PREPARE]],
      },
    },
  };
  const { files } = generate(input, { existing: (p) => (p === "bin/docker-entrypoint" ? ENTRYPOINT : undefined) });
  const content = (path: string) => files.find((f) => f.path === path)!.content;
  const accessory = parse(content("config/litestream-accessory.yml"), { version: "1.1" }).accessories.litestream;
  // The app image's bin/: the edited entrypoint and the wait script, as COPY . . puts them there.
  const bin = join(root, "app", "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "litestream-wait"), content("bin/litestream-wait"), { mode: 0o755 });
  writeFileSync(join(bin, "docker-entrypoint"), content("bin/docker-entrypoint"), { mode: 0o755 });
  const config = join(root, "litestream.yml");
  writeFileSync(config, content("config/litestream.yml"));
  const waitMode = files.find((f) => f.path === "bin/litestream-wait")!.mode;
  return {
    root,
    mount,
    db,
    config,
    accessory,
    waitScript: join(bin, "litestream-wait"),
    entrypoint: join(bin, "docker-entrypoint"),
    bin,
    waitMode,
  };
}

/** The script docker hands /bin/sh: Kamal's `docker run` line through a real shell with a recording docker. */
function accessoryScript(h: Host): string {
  const dir = makeTempDir("kamal-docker");
  const log = join(dir, "argv.log");
  writeArgvRecorder(dir, "docker", log);
  execFileSync("/bin/sh", ["-c", kamalAccessoryRunCommand(h.accessory, { service: "myapp", name: "litestream" })], {
    env: { PATH: `${dir}:/usr/bin:/bin` },
    cwd: dir,
  });
  const argv = readArgvLog(log)[0]!;
  expect(argv.at(-2)).toBe("-c");
  return argv.at(-1)!;
}

/** A backup of rows 1..50 in the file replica; the host's volume is then empty again. */
async function makeBackup(h: Host, line: LitestreamLine): Promise<void> {
  mkdirSync(h.mount, { recursive: true });
  await createWalDb(h.db);
  await insertRows(h.db, 1, 50);
  const replicate = startReplicate(h.config, { line });
  // Replicating until a restore of the replica holds every row (polling: no log line is common to both lines).
  const check = join(h.root, "check.sqlite3");
  const deadline = Date.now() + 30_000;
  let rows: string[] = [];
  while (Date.now() < deadline) {
    rmSync(check, { force: true });
    const restored = await runLitestream(["restore", "-config", h.config, "-o", check, h.db], { line });
    rows = restored.code === 0 ? await readRows(check) : [];
    if (rows.length === 50) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(rows).toEqual(expectedRows(1, 50));
  await replicate.stop();
  rmSync(h.mount, { recursive: true, force: true });
}

function launch(command: string[], env: Record<string, string>): { child: Child; output: () => string; done: Promise<number | null> } {
  const child = spawn(command[0]!, command.slice(1), { env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const done = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return { child, output: () => out, done };
}

/** In the container /etc/litestream.yml is the mounted config; here a shim maps it to the host's. */
function litestreamShim(h: Host, line: LitestreamLine): string {
  const dir = makeTempDir("kamal-shim");
  writeFileSync(
    join(dir, "litestream"),
    `#!/bin/sh\nfor a do shift; if [ "$a" = /etc/litestream.yml ]; then set -- "$@" "${h.config}"; else set -- "$@" "$a"; fi; done\nexec "${binaryFor(line)}" "$@"\n`,
    { mode: 0o755 },
  );
  return dir;
}

const SHELLS: Record<LitestreamLine, { accessory: string[]; app: (h: Host) => string[] }> = {
  // alpine image: busybox ash; the app through the edited Rails bin/docker-entrypoint (bash).
  "0.3": { accessory: [BUSYBOX, "sh", "-c"], app: (h) => ["/bin/bash", h.entrypoint] },
  // debian-slim image: dash; the app through bin/litestream-wait used as a wrapper, in busybox sh.
  "0.5": { accessory: ["/bin/sh", "-c"], app: (h) => [BUSYBOX, "sh", h.waitScript] },
};

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return "";
  }
}

/**
 * Boots the app, then (same tick) the accessory; resolves once the app has run its first query.
 * Returns what the app printed and the accessory's output. The accessory is stopped with SIGTERM.
 */
async function bootBoth(h: Host, line: LitestreamLine) {
  const query = `${sqliteBinary} -batch -bail ${h.db} 'SELECT count(*), coalesce(max(id), 0) FROM t'`;
  const app = launch([...SHELLS[line].app(h), "sh", "-c", `echo "app-first-query: $(${query})"`], {
    PATH: "/usr/bin:/bin",
    LITESTREAM_WAIT_TIMEOUT: "120",
  });
  const accessory = launch([...SHELLS[line].accessory, accessoryScript(h)], { PATH: `${litestreamShim(h, line)}:/usr/bin:/bin` });
  const appCode = await app.done;
  // SIGTERM once the shell has exec'd into `litestream replicate` (what docker would signal by then).
  const deadline = Date.now() + 30_000;
  while (
    accessory.child.exitCode === null &&
    !/^\S*litestream replicate -config /.test(cmdline(accessory.child.pid!)) &&
    Date.now() < deadline
  )
    await new Promise((r) => setTimeout(r, 50));
  accessory.child.kill("SIGTERM");
  const accessoryCode = await accessory.done;
  return { appCode, app: app.output(), accessory: accessory.output(), accessoryCode };
}

describe.each(["0.3", "0.5"] as const)("Kamal boot order with Litestream %s: app and accessory started together, app first", (line) => {
  it("a backup and no database: the app waits, and its first query sees the restored rows", async () => {
    const h = host(line);
    await makeBackup(h, line);
    mkdirSync(h.mount); // a fresh named volume: empty
    const run = await bootBoth(h, line);
    expect(run.appCode, run.app + run.accessory).toBe(0);
    expect(run.app).toContain("litestream-wait: waiting for the litestream accessory to restore the databases");
    expect(run.app).toContain("app-first-query: 50|50");
    expect(run.accessoryCode).toBe(0); // exec made Litestream PID 1: SIGTERM stops it cleanly
    expect(await readRows(h.db)).toEqual(expectedRows(1, 50));
  });

  it("no backup: the app starts on a fresh database", async () => {
    const h = host(line);
    mkdirSync(h.mount, { recursive: true });
    const run = await bootBoth(h, line);
    expect(run.appCode, run.app + run.accessory).toBe(0);
    expect(run.app).toContain("app-first-query: 0|0");
    expect(existsSync(join(h.mount, ".litestream-restored"))).toBe(true);
  });

  it("the database present: nothing is restored (same inode, same rows)", async () => {
    const h = host(line);
    await makeBackup(h, line);
    mkdirSync(h.mount);
    await createWalDb(h.db);
    await insertRows(h.db, 1, 3);
    const inode = statSync(h.db).ino;
    const run = await bootBoth(h, line);
    expect(run.appCode, run.app + run.accessory).toBe(0);
    expect(run.app).toContain("app-first-query: 3|3");
    expect(statSync(h.db).ino).toBe(inode);
  });

  it("an empty (0-byte) database file present before boot: set aside, and the backup restored", async () => {
    const h = host(line);
    await makeBackup(h, line);
    mkdirSync(h.mount);
    writeFileSync(h.db, "");
    const run = await bootBoth(h, line);
    expect(run.appCode, run.app + run.accessory).toBe(0);
    expect(run.accessory).toContain("is an empty file (0 bytes, no -wal): set aside so that its backup can be restored");
    expect(run.app).toContain("app-first-query: 50|50");
    expect(existsSync(`${h.db}.litestream-empty`)).toBe(false);
  });
});

describe("bin/litestream-wait without an accessory", () => {
  it("gives up after LITESTREAM_WAIT_TIMEOUT seconds with a message naming the accessory commands, and runs nothing", async () => {
    const h = host("0.3");
    mkdirSync(h.mount, { recursive: true });
    for (const shell of [["/bin/sh"], [BUSYBOX, "sh"], ["/bin/bash"]]) {
      const app = launch([...shell, h.waitScript, "touch", join(h.root, "app-ran")], {
        PATH: "/usr/bin:/bin",
        LITESTREAM_WAIT_TIMEOUT: "2",
      });
      const code = await app.done;
      expect(code).toBe(1);
      expect(app.output()).toContain(`litestream-wait: gave up after 2s: ${h.mount}/.litestream-restored does not exist`);
      expect(app.output()).toContain("kamal accessory logs litestream; start it with: kamal accessory boot litestream");
      expect(existsSync(join(h.root, "app-ran"))).toBe(false);
      expect(existsSync(h.db)).toBe(false); // beforeApp (the db:prepare stand-in) did not run either
    }
  });

  it("refuses a timeout that is not a whole number of seconds", async () => {
    const h = host("0.3");
    const app = launch(["/bin/sh", h.waitScript, "true"], { PATH: "/usr/bin:/bin", LITESTREAM_WAIT_TIMEOUT: "10m" });
    expect(await app.done).toBe(2);
    expect(app.output()).toContain("LITESTREAM_WAIT_TIMEOUT must be a whole number of seconds, not '10m'");
  });

  it("the Rails entrypoint stops too (its own db:prepare never runs)", async () => {
    const h = host("0.3");
    const app = launch(["/bin/bash", h.entrypoint, "./bin/rails", "server"], { PATH: "/usr/bin:/bin", LITESTREAM_WAIT_TIMEOUT: "1" });
    expect(await app.done).toBe(1);
    expect(app.output()).toContain("litestream-wait: gave up after 1s");
    expect(app.output()).not.toContain("bin/rails");
  });
});

describe("static checks of the scripts", () => {
  it.each(["0.3", "0.5"] as const)("shellcheck and busybox sh -n accept bin/litestream-wait and the %s accessory script", (line) => {
    const h = host(line);
    const script = join(h.root, "accessory.sh");
    writeFileSync(script, `#!/bin/sh\n${accessoryScript(h)}\n`);
    for (const file of [h.waitScript, script]) {
      expect(execFileSync("shellcheck", ["-s", "sh", file], { encoding: "utf8" })).toBe("");
      execFileSync(BUSYBOX, ["sh", "-n", file]);
      execFileSync("/bin/sh", ["-n", file]);
    }
    expect(h.waitMode).toBe(0o755);
    execFileSync("bash", ["-n", h.entrypoint]);
  });
});
