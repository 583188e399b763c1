// Diffs are computed only for --diff: plain generate and --check compare bytes and modes. Prints
// (never asserts) the time of a 3,000-database rename and of a 3,000-file regenerate.
import fs from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as diff from "diff";
import type { Artifact } from "../src/artifact.js";
import { runCli } from "../src/cli.js";
import { MARKER } from "../src/header.js";
import { planWrites, writeArtifacts } from "../src/writer.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

vi.mock("diff", async (importOriginal) => {
  const original = await importOriginal<typeof import("diff")>();
  return { ...original, createTwoFilesPatch: vi.fn(original.createTwoFilesPatch) };
});
const diffCalls = () => vi.mocked(diff.createTwoFilesPatch).mock.calls.length;

let root: string;
beforeEach(() => {
  root = makeTempDir("ld-writer-diff");
  vi.mocked(diff.createTwoFilesPatch).mockClear();
});
afterEach(cleanupTempDirs);

const description = (prefix: string, count: number) => ({
  name: "many",
  litestream: { version: "0.3" },
  storage: { provider: "file", path: "/var/backups/litestream" },
  databases: Array.from({ length: count }, (_, i) => ({ name: `${prefix}-${i}`, path: `/data/${prefix}-${i}.sqlite3`, role: "primary" })),
});
async function generate(prefix: string, count: number, ...args: string[]) {
  fs.writeFileSync(path.join(root, "litestream.config.json"), JSON.stringify(description(prefix, count)));
  const out: string[] = [];
  const start = performance.now();
  const code = await runCli(["generate", ...args], { out: (t) => out.push(t), err: () => undefined, cwd: root });
  return { code, out, ms: performance.now() - start };
}

describe("diffs only with --diff", () => {
  it("generate and --check compute no diff, --diff does", async () => {
    expect((await generate("db", 3)).code).toBe(0);
    expect((await generate("renamed", 3)).out).toEqual(["updated    config/litestream.yml"]);
    expect((await generate("again", 3, "--check")).code).toBe(1);
    expect((await generate("again", 3, "--dry-run")).code).toBe(0);
    expect(diffCalls()).toBe(0);
    const shown = await generate("again", 3, "--check", "--diff");
    expect(diffCalls()).toBe(1);
    expect(shown.out[1]).toContain("+  - path: /data/again-0.sqlite3");
  });

  it("planWrites and writeArtifacts leave `diff` empty unless asked", () => {
    const file: Artifact = { path: "a.yml", content: `# ${MARKER}\nnew\n`, kind: "litestream-config", ownership: "generated" };
    expect(writeArtifacts([file], root)[0]).toMatchObject({ status: "created", diff: "" });
    fs.writeFileSync(path.join(root, "a.yml"), `# ${MARKER}\nold\n`);
    expect(planWrites([file], root)[0]).toMatchObject({ status: "updated", diff: "" });
    expect(diffCalls()).toBe(0);
    expect(planWrites([file], root, { diff: true })[0]!.diff).toContain("-old\n+new");
  });

  it("renaming 3,000 databases costs about what a fresh run does (time printed)", { timeout: 300_000 }, async () => {
    const fresh = await generate("db", 3000);
    const renamed = await generate("tenant", 3000);
    expect([fresh.code, renamed.code]).toEqual([0, 0]);
    expect(renamed.out).toEqual(["updated    config/litestream.yml"]);
    expect(diffCalls()).toBe(0);
    console.log(`3,000 databases: fresh ${fresh.ms.toFixed(0)} ms, all renamed ${renamed.ms.toFixed(0)} ms`);

    const files = (label: string): Artifact[] =>
      Array.from({ length: 3000 }, (_, i) => ({
        path: `out/${i % 30}/f-${i}.yml`,
        content: `# ${MARKER}\n${label} ${i}\n`,
        kind: "litestream-config",
        ownership: "generated",
      }));
    const time = (run: () => void) => {
      const start = performance.now();
      run();
      return (performance.now() - start).toFixed(0);
    };
    for (const f of files("a")) {
      fs.mkdirSync(path.dirname(path.join(root, f.path)), { recursive: true });
      fs.writeFileSync(path.join(root, f.path), f.content); // setup; creating them through the writer costs one fsync each
    }
    const same = time(() => expect(writeArtifacts(files("a"), root).every((r) => r.status === "unchanged")).toBe(true));
    console.log(`3,000 files regenerated, unchanged: ${same} ms`);
    expect(diffCalls()).toBe(0);
  });
});
