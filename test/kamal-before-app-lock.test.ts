// bin/litestream-wait runs the beforeApp steps under a lock on the volume: every app container (web,
// job) starts at once, and two `db:prepare` at the same time fail with "database is locked". The real
// generated script, run by sh (dash) and busybox sh: concurrent copies take turns, a stop while
// waiting ends the script at once without touching the other's lock, a failing step releases it,
// and a lock whose holder died (its beat stopped) is removed.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../src/index.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

afterAll(cleanupTempDirs);

const SHELLS: [string, string[]][] = [
  ["sh", ["sh"]],
  ["busybox sh", ["/bin/busybox", "sh"]],
];

/** A case directory with the generated script, the restore marker, and a step that logs its start and end. */
function setUp(name: string) {
  const dir = makeTempDir(name);
  const storage = join(dir, "storage");
  mkdirSync(storage);
  const step = join(dir, "step");
  writeFileSync(step, '#!/bin/sh\necho "start $ID" >>"$LOG"\nsleep 1\nif [ -n "${FAIL:-}" ]; then exit 3; fi\necho "end $ID" >>"$LOG"\n', {
    mode: 0o755,
  });
  const result = generate({
    name: "myapp",
    litestream: { version: "0.3" },
    storage: { provider: "file", path: "/var/backups/myapp" },
    databases: [{ path: `${storage}/production.sqlite3` }],
    targets: {
      kamal: { version: "2.10.1", volume: `myapp_storage:${storage}`, host: "203.0.113.10", appUser: "1000:1000", beforeApp: [[step]] },
    },
  });
  const script = join(dir, "litestream-wait");
  writeFileSync(script, result.files.find((f) => f.path === "bin/litestream-wait")!.content, { mode: 0o755 });
  writeFileSync(join(storage, ".litestream-restored"), "");
  return { dir, script, log: join(dir, "log"), lock: join(storage, ".litestream-before-app.lock") };
}

interface Run {
  code: Promise<number | null>;
  stderr: () => string;
  kill: (signal: NodeJS.Signals) => void;
}

function start(shell: string[], script: string, env: Record<string, string>, args: string[] = []): Run {
  const child = spawn(shell[0]!, [...shell.slice(1), script, ...args], {
    env: { PATH: "/usr/bin:/bin", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  const code = new Promise<number | null>((resolve) => child.on("close", (c) => resolve(c)));
  return { code, stderr: () => stderr, kill: (s) => child.kill(s) };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 50));
}

const logOf = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").trim().split("\n") : []);

describe("bin/litestream-wait: beforeApp under a lock on the volume", () => {
  it("is a clean POSIX sh script (shellcheck)", () => {
    const { script } = setUp("lock-sc");
    execFileSync("shellcheck", ["-s", "sh", script]);
  });

  for (const [label, shell] of SHELLS) {
    it(`${label}: two containers started at once run the steps one after the other, then exec the app`, async () => {
      const { script, log, lock } = setUp("lock-turns");
      const a = start(shell, script, { ID: "a", LOG: log }, ["echo", "app a"]);
      const b = start(shell, script, { ID: "b", LOG: log }, ["echo", "app b"]);
      expect(await a.code).toBe(0);
      expect(await b.code).toBe(0);
      const lines = logOf(log);
      const first = lines[0]!.slice("start ".length);
      const second = first === "a" ? "b" : "a";
      expect(lines).toEqual([`start ${first}`, `end ${first}`, `start ${second}`, `end ${second}`]);
      expect(existsSync(lock)).toBe(false);
    });

    it(`${label}: a stop while waiting for the lock ends the script; the holder's lock stays; the step never ran`, async () => {
      const { script, log, lock } = setUp("lock-term");
      mkdirSync(lock);
      writeFileSync(join(lock, "beat"), "1\n");
      const waiter = start(shell, script, { ID: "w", LOG: log });
      await until(() => waiter.stderr().includes("another app container is running the steps"));
      waiter.kill("SIGTERM");
      expect(await waiter.code).toBe(143);
      expect(existsSync(join(lock, "beat"))).toBe(true);
      expect(logOf(log)).toEqual([]);
    });

    it(`${label}: a failing step exits non-zero and releases the lock for the next container`, async () => {
      const { script, log, lock } = setUp("lock-fail");
      const failing = start(shell, script, { ID: "a", LOG: log, FAIL: "1" });
      expect(await failing.code).toBe(3);
      expect(existsSync(lock)).toBe(false);
      expect(await start(shell, script, { ID: "b", LOG: log }).code).toBe(0);
      expect(logOf(log)).toEqual(["start a", "start b", "end b"]);
    });
  }

  it("while a step runs, its holder's beat keeps changing (a long migration keeps its lock)", async () => {
    const { dir, script, log, lock } = setUp("lock-beat");
    // The step waits (up to 60 s) until the beat reaches its second value.
    const step = join(dir, "step");
    writeFileSync(
      step,
      `#!/bin/sh\ni=0\nuntil [ "$(cat '${lock}/beat' 2>/dev/null)" = 2 ] || [ "$i" -ge 600 ]; do sleep 0.1; i=$((i + 1)); done\necho "beat $(cat '${lock}/beat')" >>"$LOG"\n`,
      { mode: 0o755 },
    );
    const run = start(["sh"], script, { LOG: log });
    expect(await run.code, run.stderr()).toBe(0);
    expect(logOf(log)).toEqual(["beat 2"]);
  }, 100_000);

  it("a lock whose beat stopped changing (its container died) is removed, then the steps run", async () => {
    const { script, log, lock } = setUp("lock-stale");
    mkdirSync(lock);
    writeFileSync(join(lock, "beat"), "7\n");
    const run = start(["sh"], script, { ID: "a", LOG: log });
    expect(await run.code).toBe(0);
    expect(run.stderr()).toContain("has not changed for 30s, so the container holding it is gone; removing it");
    expect(logOf(log)).toEqual(["start a", "end a"]);
    expect(existsSync(lock)).toBe(false);
  }, 120_000);
});
