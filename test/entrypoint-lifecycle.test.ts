// Boot order and shutdown of the generated entrypoint, run for real: the real Litestream 0.3.13 and
// 0.5.17, a file replica, the script under sh (dash) and busybox sh. The apps are sh scripts that log
// what they see into an order file, so each case checks who ran when and what each one saw.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server, type Socket } from "node:net";
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { generate, type ProjectInput } from "../src/index.js";
import { binaryFor, runLitestream, type LitestreamLine } from "./harness/litestream.js";
import { LITESTREAM_05_RELEASE } from "./harness/tools.js";
import { sqlite } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

const live = new Set<ChildProcess>();
const servers = new Set<Server>();
afterEach(async () => {
  for (const child of live) child.kill("SIGKILL");
  live.clear();
  for (const s of servers) s.close();
  servers.clear();
  await cleanupTempDirs();
});

const LINES: LitestreamLine[] = ["0.3", "0.5"];
/** A new PID namespace whose PID 1 is the shell, as in a container: signals without a handler are ignored (root only). */
const PID1 = ["unshare", "--pid", "--fork", "--kill-child"];

/** The PID (outside the namespace) of unshare's child, the shell that is PID 1 inside it. */
function pid1Of(unshare: ChildProcess): number {
  const children = readFileSync(`/proc/${unshare.pid}/task/${unshare.pid}/children`, "utf8").trim();
  expect(children).toMatch(/^\d+$/);
  return Number(children);
}
const SHELLS: Array<{ name: string; argv: string[] }> = [
  { name: "sh", argv: ["sh"] },
  { name: "busybox sh", argv: ["busybox", "sh"] },
];

interface Box {
  dir: string;
  db: string;
  config: string;
  script: string;
  order: string;
  env: Record<string, string>;
  line: LitestreamLine;
}

function executable(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, 0o755);
}

/**
 * One database, a file replica, `beforeApp: [[before]]` and `appCommand: [app]`; both steps are sh
 * scripts written per case. `syncInterval` is long where a test must prove the final sync.
 */
function box(line: LitestreamLine, opts: { syncInterval?: string; storage?: ProjectInput["storage"]; beforeApp?: boolean } = {}): Box {
  const dir = makeTempDir(`ep-life-${line}`);
  const db = join(dir, "data", "app.db");
  const project: ProjectInput = {
    name: "app",
    litestream: line === "0.3" ? { version: "0.3" } : { version: "0.5", release: LITESTREAM_05_RELEASE },
    storage: opts.storage ?? { provider: "file", path: join(dir, "replica") },
    replication: { syncInterval: opts.syncInterval ?? "100ms" },
    databases: [{ name: "app", path: db }],
    targets: {
      entrypoint: {
        appCommand: [join(dir, "apps", "app")],
        ...(opts.beforeApp === false ? {} : { beforeApp: [[join(dir, "apps", "before")]] }),
      },
    },
  };
  for (const file of generate(project).files) {
    const target = join(dir, "project", file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    if (file.mode) chmodSync(target, file.mode);
  }
  mkdirSync(join(dir, "data"));
  mkdirSync(join(dir, "bin"));
  symlinkSync(binaryFor(line), join(dir, "bin", "litestream"));
  const config = join(dir, "project", "config", "litestream.yml");
  const b: Box = {
    dir,
    db,
    config,
    script: join(dir, "project", "bin", "litestream-entrypoint"),
    order: join(dir, "order"),
    env: { PATH: `${join(dir, "bin")}:/usr/bin:/bin`, HOME: dir, LITESTREAM_CONFIG: config },
    line,
  };
  return b;
}

/** A step that appends "<name>:<rows of t or 'none'>" to the order file, then runs `then`. */
function recorder(b: Box, name: string, then = ""): string {
  return `#!/bin/sh
set -eu
rows=none
if [ -s '${b.db}' ]; then rows=$(sqlite3 '${b.db}' "SELECT group_concat(v, ',') FROM (SELECT v FROM t ORDER BY id)" 2>/dev/null || echo none); fi
echo "${name}:$rows" >> '${b.order}'
${then}
`;
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

function start(
  b: Box,
  shell: string[],
  opts: { wrap?: string[]; stdin?: string } = {},
): { child: ChildProcess; exited: Promise<Exit>; output: () => string } {
  const [cmd, ...args] = [...(opts.wrap ?? []), ...shell, b.script];
  const child = spawn(cmd!, args, { env: b.env, stdio: [opts.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
  if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  live.add(child);
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<Exit>((resolve) =>
    child.once("close", (code, signal) => {
      live.delete(child);
      resolve({ code, signal, output });
    }),
  );
  return { child, exited, output: () => output };
}

async function waitFor(condition: () => boolean, what: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting; ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The rows a fresh restore of the replica holds, oldest first (the replica as a new container sees it). */
async function restoredRows(b: Box): Promise<string> {
  const out = join(b.dir, `restored-${Date.now()}-${Math.random().toString(36).slice(2)}.db`);
  const r = await runLitestream(["restore", "-config", b.config, "-o", out, b.db], { line: b.line });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  return (await sqlite(out, "SELECT group_concat(v, ',') FROM (SELECT v FROM t ORDER BY id)")).trim();
}

/** Leaves a backup of a database holding rows "backed-1,backed-2", then removes the database (a new container). */
async function leaveBackup(b: Box): Promise<void> {
  await sqlite(
    b.db,
    "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('backed-1'), ('backed-2');",
  );
  // Replicate until a restore of the replica returns both rows, then stop (SIGTERM: final sync).
  const probe = join(b.dir, "probe.db");
  executable(
    join(b.dir, "apps", "wait-for-backup"),
    `#!/bin/sh
i=0
until rm -f '${probe}' && litestream restore -config '${b.config}' -o '${probe}' '${b.db}' >/dev/null 2>&1 && [ "$(sqlite3 '${probe}' 'SELECT count(*) FROM t')" = 2 ]; do
  i=$((i + 1)); if [ "$i" -gt 300 ]; then echo "no backup appeared" >&2; exit 9; fi
  sleep 0.2
done
`,
  );
  const r = await runLitestream(["replicate", "-config", b.config, "-exec", join(b.dir, "apps", "wait-for-backup")], {
    line: b.line,
    env: { PATH: b.env.PATH!, HOME: b.dir },
    timeoutMs: 90_000,
  });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${b.db}${suffix}`, { force: true });
  rmSync(join(dirname(b.db), ".app.db-litestream"), { recursive: true, force: true });
  rmSync(probe, { force: true });
}

function orderLog(b: Box): string[] {
  return existsSync(b.order) ? readFileSync(b.order, "utf8").trim().split("\n") : [];
}

describe.each(LINES)("entrypoint boot order, Litestream %s (real binary, file replica)", (line) => {
  describe.each(SHELLS)("under $name", ({ argv }) => {
    const before = (b: Box) =>
      recorder(
        b,
        "before",
        `sqlite3 '${b.db}' "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('before-app');" >/dev/null`,
      );

    it("backup present, database missing: restored before the beforeApp step, which runs before the app", async () => {
      const b = box(line);
      await leaveBackup(b);
      executable(join(b.dir, "apps", "before"), before(b));
      executable(join(b.dir, "apps", "app"), recorder(b, "app"));
      const run = await start(b, argv).exited;
      expect(run.code, run.output).toBe(0);
      expect(orderLog(b)).toEqual(["before:backed-1,backed-2", "app:backed-1,backed-2,before-app"]);
    });

    it("no backup: the app starts on a fresh database", async () => {
      const b = box(line);
      executable(join(b.dir, "apps", "before"), before(b));
      executable(join(b.dir, "apps", "app"), recorder(b, "app"));
      const run = await start(b, argv).exited;
      expect(run.code, run.output).toBe(0);
      expect(orderLog(b)).toEqual(["before:none", "app:before-app"]);
    });

    it("database present: left untouched (same inode), although a backup exists", async () => {
      const b = box(line);
      await leaveBackup(b);
      await sqlite(b.db, "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('local');");
      const inode = statSync(b.db).ino;
      executable(join(b.dir, "apps", "before"), recorder(b, "before"));
      executable(join(b.dir, "apps", "app"), recorder(b, "app"));
      const run = await start(b, argv).exited;
      expect(run.code, run.output).toBe(0);
      expect(orderLog(b)).toEqual(["before:local", "app:local"]);
      expect(statSync(b.db).ino).toBe(inode);
    });

    it("0-byte database present (an ORM opened it first): set aside and the backup restored", async () => {
      const b = box(line);
      await leaveBackup(b);
      writeFileSync(b.db, "");
      executable(join(b.dir, "apps", "before"), recorder(b, "before"));
      executable(join(b.dir, "apps", "app"), recorder(b, "app"));
      const run = await start(b, argv).exited;
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain("is an empty file (0 bytes, no -wal): set aside");
      expect(orderLog(b)).toEqual(["before:backed-1,backed-2", "app:backed-1,backed-2"]);
      expect(readdirSync(dirname(b.db)).filter((f) => f.endsWith(".litestream-empty"))).toEqual([]);
    });

    it("LITESTREAM_ENABLED=false: no restore, but the beforeApp step still runs before the app", async () => {
      const b = box(line);
      await leaveBackup(b);
      executable(join(b.dir, "apps", "before"), before(b));
      executable(join(b.dir, "apps", "app"), recorder(b, "app"));
      b.env.LITESTREAM_ENABLED = "false";
      const run = await start(b, argv).exited;
      expect(run.code, run.output).toBe(0);
      expect(orderLog(b)).toEqual(["before:none", "app:before-app"]);
    });

    it("a failing beforeApp step stops the container: the app never starts", async () => {
      const b = box(line);
      executable(join(b.dir, "apps", "before"), recorder(b, "before", "exit 5"));
      executable(join(b.dir, "apps", "app"), recorder(b, "app"));
      const run = await start(b, argv).exited;
      expect(run.code).toBe(5);
      expect(orderLog(b)).toEqual(["before:none"]);
    });

    it("the container's stdin reaches the beforeApp step (a background job would get /dev/null)", async () => {
      const b = box(line, { beforeApp: true });
      executable(join(b.dir, "apps", "before"), `#!/bin/sh\nread -r answer\necho "before:$answer" >> '${b.order}'\n`);
      executable(join(b.dir, "apps", "app"), recorder(b, "app"));
      const run = await start(b, argv, { stdin: "yes\n" }).exited;
      expect(run.code, run.output).toBe(0);
      expect(orderLog(b)).toEqual(["before:yes", "app:none"]);
    });

    it("SIGTERM to the shell as PID 1 during a beforeApp step: the step is ended, the app never starts", async () => {
      const b = box(line);
      executable(
        join(b.dir, "apps", "before"),
        `#!/bin/sh\ntrap 'echo before-stopped >> "${b.order}"; exit 143' TERM\necho before:running >> '${b.order}'\nwhile :; do sleep 0.1; done\n`,
      );
      executable(join(b.dir, "apps", "app"), recorder(b, "app"));
      const run = start(b, argv, { wrap: PID1 });
      await waitFor(
        () => orderLog(b).length > 0,
        () => run.output(),
      );
      process.kill(pid1Of(run.child), "SIGTERM");
      const exit = await run.exited;
      expect(exit.output).toContain("stopped by SIGTERM before the app started");
      expect(exit.code).toBe(143);
      expect(orderLog(b)).toEqual(["before:running", "before-stopped"]);
    });

    it("SIGTERM to the shell as PID 1 during the restore: the restore is ended at once and no database is left", async () => {
      // An S3 endpoint that accepts connections and never answers: the restore hangs until stopped.
      const sockets: Socket[] = [];
      const server = createServer((sock) => sockets.push(sock));
      servers.add(server);
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      const port = (server.address() as { port: number }).port;
      const b = box(line, {
        beforeApp: false,
        storage: {
          provider: "minio",
          endpoint: `http://127.0.0.1:${port}`,
          bucket: "backups",
          credentials: { accessKeyId: { env: "KEY" }, secretAccessKey: { env: "SECRET" } },
        },
      });
      Object.assign(b.env, { KEY: "key", SECRET: "secret" });
      executable(join(b.dir, "apps", "app"), recorder(b, "app"));
      const run = start(b, argv, { wrap: PID1 });
      await waitFor(
        () => sockets.length > 0,
        () => run.output(),
      );
      process.kill(pid1Of(run.child), "SIGTERM");
      const exit = await run.exited;
      expect(exit.output).toContain("stopped by SIGTERM before the app started");
      expect(exit.code).toBe(143);
      expect(orderLog(b)).toEqual([]);
      expect(readdirSync(dirname(b.db))).toEqual([]);
    });
  });

  it("SIGTERM to Litestream as PID 1 while the app runs: every committed row, the beforeApp step's too, is in the replica", async () => {
    // A long sync interval: the last rows can only reach the replica through the final sync on SIGTERM.
    const b = box(line, { syncInterval: "1h" });
    executable(
      join(b.dir, "apps", "before"),
      recorder(
        b,
        "before",
        `sqlite3 '${b.db}' "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('before-app');" >/dev/null`,
      ),
    );
    const probe = join(b.dir, "probe.db");
    executable(
      join(b.dir, "apps", "app"),
      `#!/bin/sh
# Waits until the replica holds the beforeApp step's row (written before Litestream started), then
# commits 100 more rows and waits for SIGTERM.
trap 'echo terminated >> "${b.order}"; exit 0' TERM
i=0
until rm -f '${probe}' && litestream restore -config '${b.config}' -o '${probe}' '${b.db}' >/dev/null 2>&1 && [ "$(sqlite3 '${probe}' 'SELECT group_concat(v) FROM t')" = before-app ]; do
  i=$((i + 1)); if [ "$i" -gt 300 ]; then echo "the beforeApp row never reached the replica" >&2; exit 9; fi
  sleep 0.2
done
sqlite3 '${b.db}' "INSERT INTO t(v) WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100) SELECT 'row-' || x FROM c;"
echo written >> '${b.order}'
while :; do sleep 0.1; done
`,
    );
    // Litestream is PID 1 after the script's exec, as in a container.
    const run = start(b, ["sh"], { wrap: PID1 });
    await waitFor(
      () => orderLog(b).includes("written"),
      () => run.output(),
    );
    const pid1 = pid1Of(run.child);
    expect(readFileSync(`/proc/${pid1}/comm`, "utf8").trim()).toBe("litestream");
    process.kill(pid1, "SIGTERM");
    const exit = await run.exited;
    expect(exit.code, exit.output).toBe(0);
    expect(orderLog(b)).toEqual(["before:none", "written", "terminated"]);
    const expected = ["before-app", ...Array.from({ length: 100 }, (_, i) => `row-${i + 1}`)].join(",");
    expect(await restoredRows(b)).toBe(expected);
  });
});
