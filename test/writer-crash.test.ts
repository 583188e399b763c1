// The writer under hostile conditions, with real processes and a real full disk: SIGKILL at random
// points of a write, a 64 KiB tmpfs that fills up mid-run, two runs on one root at the same time,
// and the lock's live/stale cases.
import { spawn, spawnSync, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { Artifact } from "../src/artifact.js";
import { MARKER } from "../src/header.js";
import { LOCK_FILE, WriteError, writeArtifacts } from "../src/writer.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

const WRITER = fileURLToPath(new URL("../src/writer.ts", import.meta.url));
/** A child that writes the job's files through the writer; prints "go" right before writeArtifacts, then "done". */
const CHILD = `
import fs from "node:fs";
import { writeArtifacts } from ${JSON.stringify(WRITER)};
const job = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const files = job.files.map((f) => ({ ...f, content: fs.readFileSync(f.source, "utf8") }));
if (job.waitForStdin) await new Promise((resolve) => process.stdin.once("data", resolve));
console.log("go");
writeArtifacts(files, job.root, { lockTimeoutMs: 30000, onMessage: (m) => console.log("message: " + m) });
console.log("done");
process.exit(0);
`;

interface Job {
  root: string;
  files: Array<Omit<Artifact, "content"> & { source: string }>;
  waitForStdin?: boolean;
}

afterEach(cleanupTempDirs);

const header = `# ${MARKER}: test.\n`;
const content = (label: string, size: number) => header + `${label} `.repeat(Math.ceil(size / (label.length + 1))).slice(0, size) + "\n";

/** Writes the artifacts' contents to source files and a job file for the child. */
function job(dir: string, root: string, files: Artifact[], extra: Partial<Job> = {}): string {
  const sources = fs.mkdtempSync(path.join(dir, "sources-"));
  const entries = files.map(({ content: text, ...rest }, i) => {
    const source = path.join(sources, String(i));
    fs.writeFileSync(source, text);
    return { ...rest, source };
  });
  const file = path.join(sources, "job.json");
  fs.writeFileSync(file, JSON.stringify({ root, files: entries, ...extra }));
  return file;
}

function startChild(jobFile: string): {
  child: ChildProcess;
  lines: string[];
  line: (text: string) => Promise<void>;
  exit: Promise<number | null>;
} {
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", CHILD, jobFile], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines: string[] = [];
  const waiters: Array<{ text: string; resolve: () => void }> = [];
  let buffered = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    for (let nl = buffered.indexOf("\n"); nl >= 0; nl = buffered.indexOf("\n")) {
      const text = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      lines.push(text);
      for (const w of waiters.filter((w) => w.text === text)) w.resolve();
    }
  });
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const line = (text: string) =>
    lines.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ text, resolve }));
  return { child, lines, line, exit };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const leftovers = (dir: string) => fs.readdirSync(dir).filter((n) => n.endsWith(".tmp") || n === LOCK_FILE);

describe("SIGKILL during a write", () => {
  it("every target is the old or the new content, never truncated; the next run cleans up and finishes", { timeout: 300_000 }, async () => {
    const dir = makeTempDir("ld-writer-kill");
    const root = path.join(dir, "project");
    fs.mkdirSync(path.join(root, "config"), { recursive: true });
    const shared = (text: string): Artifact => ({ path: "config/deploy.yml", content: text, kind: "kamal-deploy", ownership: "shared" });
    const gen = (i: number, text: string): Artifact => ({
      path: `config/part-${i}.yml`,
      content: text,
      kind: "litestream-config",
      ownership: "generated",
    });
    const oldFiles = [shared(content("old", 6 << 20)), ...[1, 2, 3].map((i) => gen(i, content(`old${i}`, 1 << 20)))];
    const newFiles = [shared(content("new", 5 << 20)), ...[1, 2, 3].map((i) => gen(i, content(`new${i}`, 1 << 20)))];
    const reset = () => {
      for (const f of oldFiles) fs.writeFileSync(path.join(root, f.path), f.content);
    };
    const jobFile = job(dir, root, newFiles);

    // Calibrate: how long an uninterrupted write takes from "go" to exit.
    reset();
    const calibration = startChild(jobFile);
    await calibration.line("go");
    const started = performance.now();
    expect(await calibration.exit).toBe(0);
    const window = performance.now() - started;

    const outcomes = { old: 0, new: 0, mixed: 0, leftTempFiles: 0, leftLock: 0, tookOverLock: 0 };
    for (let round = 0; round < 20; round++) {
      reset();
      const run = startChild(jobFile);
      await run.line("go");
      await sleep(Math.random() * window * 1.2);
      run.child.kill("SIGKILL");
      await run.exit;

      const states = newFiles.map((f, i) => {
        const now = fs.readFileSync(path.join(root, f.path), "utf8");
        if (now === f.content) return "new";
        expect(now, `${f.path} after a kill in round ${round}`).toBe(oldFiles[i]!.content); // never truncated, never a mix
        return "old";
      });
      outcomes[states.every((s) => s === "new") ? "new" : states.every((s) => s === "old") ? "old" : "mixed"]++;
      const left = leftovers(path.join(root, "config")).length + leftovers(root).filter((n) => n !== LOCK_FILE).length;
      if (left) outcomes.leftTempFiles++;
      if (fs.existsSync(path.join(root, LOCK_FILE))) outcomes.leftLock++;

      // The next run takes over a stale lock, removes the temp files and completes.
      const messages: string[] = [];
      writeArtifacts(newFiles, root, { onMessage: (m) => messages.push(m), lockTimeoutMs: 2000 });
      if (messages.some((m) => m.startsWith("took over the stale lock"))) outcomes.tookOverLock++;
      for (const f of newFiles) expect(fs.readFileSync(path.join(root, f.path), "utf8")).toBe(f.content);
      expect(leftovers(path.join(root, "config"))).toEqual([]);
      expect(leftovers(root)).toEqual([]);
    }
    console.log(`SIGKILL rounds (write window ${window.toFixed(0)} ms):`, outcomes);
    expect(outcomes.leftLock).toBe(outcomes.tookOverLock);
  });
});

describe("full disk", () => {
  it("a tmpfs that fills up mid-run leaves every file as it was and nothing new", () => {
    const mount = makeTempDir("ld-writer-full");
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mount]);
    try {
      const root = path.join(mount, "project");
      fs.mkdirSync(path.join(root, "config"), { recursive: true });
      const a = content("old-a", 20_000);
      const b = content("old-b", 20_000);
      fs.writeFileSync(path.join(root, "config/a.yml"), a);
      fs.writeFileSync(path.join(root, "config/deploy.yml"), b);
      const before = fs.readdirSync(root, { recursive: true }).sort();
      const files: Artifact[] = [
        { path: "new/c.yml", content: content("c", 1000), kind: "litestream-config", ownership: "generated" },
        { path: "config/a.yml", content: content("new-a", 10_000), kind: "litestream-config", ownership: "generated" },
        { path: "config/deploy.yml", content: content("new-b", 30_000), kind: "kamal-deploy", ownership: "shared" },
      ];
      let error: unknown;
      try {
        writeArtifacts(files, root);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(WriteError);
      expect((error as WriteError).message).toMatch(
        /^config\/deploy\.yml: the disk is full \(ENOSPC\) writing in .*\/config\n {2}→ free space on that device, then run again$/,
      );
      expect(fs.readFileSync(path.join(root, "config/a.yml"), "utf8")).toBe(a);
      expect(fs.readFileSync(path.join(root, "config/deploy.yml"), "utf8")).toBe(b);
      expect(fs.readdirSync(root, { recursive: true }).sort()).toEqual(before); // no new/, no temp file, no lock
    } finally {
      execFileSync("umount", [mount]);
    }
  });
});

describe("the lock", () => {
  it("two concurrent runs on one root: one waits, the files are one run's complete output", { timeout: 120_000 }, async () => {
    const dir = makeTempDir("ld-writer-race");
    const root = path.join(dir, "project");
    fs.mkdirSync(root);
    const set = (label: string): Artifact[] =>
      Array.from({ length: 150 }, (_, i) => ({
        path: `out/${i % 10}/file-${i}.yml`,
        content: content(`${label}${i}`, 20_000),
        kind: "litestream-config",
        ownership: "generated",
      }));
    const runs = ["A", "B"].map((label) => startChild(job(dir, root, set(label), { waitForStdin: true })));
    await sleep(100);
    // Both processes are loaded; release them at the same moment.
    await Promise.all(runs.map(async (r) => new Promise<void>((resolve) => (r.child.stdin!.write("start\n"), resolve()))));
    const codes = await Promise.all(runs.map((r) => r.exit));
    expect(codes).toEqual([0, 0]);

    const written = set("A").map((f) => fs.readFileSync(path.join(root, f.path), "utf8"));
    const winner = written[0]!.includes("A0 ") ? "A" : "B";
    expect(written).toEqual(set(winner).map((f) => f.content)); // never interleaved
    const waited = runs.flatMap((r) => r.lines).filter((l) => l.startsWith("message: waiting for another litestream-deploy run"));
    console.log(`concurrent runs: ${winner} committed last; ${waited.length} run(s) waited for the lock`);
    expect(fs.existsSync(path.join(root, LOCK_FILE))).toBe(false);
  });

  it("a live lock is waited for a bounded time, then a clear error; nothing is written", () => {
    const root = makeTempDir("ld-writer-busy");
    const start = fs.readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ")[19];
    const lock = JSON.stringify({ pid: process.pid, start, host: os.hostname() });
    fs.writeFileSync(path.join(root, LOCK_FILE), lock);
    const messages: string[] = [];
    expect(() =>
      writeArtifacts([{ path: "a.yml", content: header, kind: "litestream-config", ownership: "generated" }], root, {
        lockTimeoutMs: 300,
        onMessage: (m) => messages.push(m),
      }),
    ).toThrow(
      new RegExp(
        `^\\.litestream-deploy\\.lock: another litestream-deploy run \\(pid ${process.pid} on .*\\) is writing this project; waited 0\\.3 s\\n {2}→ let it finish, then run again; if no such process is running, delete .*\\.litestream-deploy\\.lock$`,
      ),
    );
    expect(messages).toEqual([`waiting for another litestream-deploy run (pid ${process.pid}) to finish writing this project`]);
    expect(fs.readdirSync(root)).toEqual([LOCK_FILE]);
    expect(fs.readFileSync(path.join(root, LOCK_FILE), "utf8")).toBe(lock); // not ours: left alone
  });

  it("a stale lock (its process is gone) is taken over with a message; its half-made lock file is removed", () => {
    const root = makeTempDir("ld-writer-stale");
    const gone = spawnSync(process.execPath, ["-e", "console.log(process.pid)"], { encoding: "utf8" });
    const pid = Number(gone.stdout.trim());
    fs.writeFileSync(path.join(root, LOCK_FILE), JSON.stringify({ pid, start: "1", host: os.hostname() }));
    fs.writeFileSync(path.join(root, `${LOCK_FILE}.${pid}.1a2b.tmp`), "{}"); // a lock that run was still creating
    const messages: string[] = [];
    writeArtifacts([{ path: "a.yml", content: header, kind: "litestream-config", ownership: "generated" }], root, {
      onMessage: (m) => messages.push(m),
    });
    expect(messages).toEqual([
      `took over the stale lock ${path.join(fs.realpathSync(root), LOCK_FILE)} left by pid ${pid}, which is no longer running`,
    ]);
    expect(fs.readdirSync(root)).toEqual(["a.yml"]);
  });
});
