// `litestream-deploy doctor`: the checklist, and with --local the read-only checks run with the real
// binary of each line against a real file replica (a backup present, then a database with none).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { runCli } from "../src/cli.js";
import { binaryFor, startReplicate, stopAll, waitForBackup } from "./harness/litestream.js";
import { createWalDb, insertRows } from "./harness/sqlite.js";
import { cleanupTempDirs } from "./harness/tmp.js";
import { fileOf, RELEASE, tempProject, writeProject, type Line } from "./operations-support.js";

afterAll(async () => {
  await stopAll();
  await cleanupTempDirs();
});
afterEach(() => {
  delete process.env.LITESTREAM_BIN;
});

async function doctor(cwd: string, args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await runCli(["doctor", ...args], { out: (t) => lines.push(t), err: (t) => lines.push(t), cwd });
  return { code, out: lines.join("\n") };
}

describe.each(["0.3", "0.5"] as const)("doctor, Litestream %s", (line: Line) => {
  it("--local passes on a fresh backup and fails on a database with none", { timeout: 120_000 }, async () => {
    const dir = tempProject(`ops-doctor-${line}`);
    const db = join(dir, "data", "app.db");
    mkdirSync(dirname(db));
    await createWalDb(db);
    await insertRows(db, 1, 10);
    const description = {
      name: "ops",
      litestream: { version: line, release: RELEASE[line] },
      storage: { provider: "file", path: join(dir, "backups") },
      databases: [{ name: "app", path: db }],
      verification: { maxAge: "1h" },
    };
    writeFileSync(join(dir, "litestream.config.json"), JSON.stringify(description));
    const files = writeProject(dir, description as never);
    const config = join(dir, fileOf(files, "litestream-config").path);
    const replicate = startReplicate(config, { line });
    await waitForBackup(config, db, dir, { line });
    await replicate.stop();

    const checklist = await doctor(dir, []);
    expect(checklist.code).toBe(0);
    expect(checklist.out).toContain(`litestream ${line === "0.5" ? "ltx" : "generations"} -config config/litestream.yml`);

    process.env.LITESTREAM_BIN = binaryFor(line);
    const healthy = await doctor(dir, ["--local"]);
    expect(healthy.out).toContain("ok   the generated config parses with litestream");
    expect(healthy.out).toMatch(new RegExp(`ok   ${db.replace(/\./g, "\\.")}: newest backup \\S+Z \\(\\d+s old, bound 3600s\\)`));
    expect(healthy.out).toContain("doctor: every local check passed");
    expect(healthy.code).toBe(0);

    const other = join(dir, "data", "other.db");
    writeFileSync(
      join(dir, "litestream.config.json"),
      JSON.stringify({ ...description, databases: [...description.databases, { name: "other", path: other }] }),
    );
    const missing = await doctor(dir, ["--local"]);
    expect(missing.out).toMatch(/FAIL .*other\.db: (the replica answers but holds no backup|the replica does not answer)/);
    expect(missing.out).toContain("doctor: 1 check(s) failed");
    expect(missing.code).toBe(1);

    // --json: the same verdict as one document on stdout (docs/cli.md, "doctor").
    const json = await doctor(dir, ["--local", "--json"]);
    const report = JSON.parse(json.out) as {
      schemaVersion: number;
      command: string;
      ok: boolean;
      environments: Array<{ name: string; release: string; checklist: string[]; checks: Array<{ ok: boolean; what: string }> }>;
    };
    expect(json.code).toBe(1);
    expect(report).toMatchObject({ schemaVersion: 1, command: "doctor", ok: false });
    expect(report.environments.map((e) => [e.name, e.release])).toEqual([["production", RELEASE[line]]]);
    expect(report.environments[0]!.checklist.join("\n")).toContain(
      `litestream ${line === "0.5" ? "ltx" : "generations"} -config config/litestream.yml`,
    );
    expect(report.environments[0]!.checks.filter((c) => !c.ok).map((c) => c.what)).toEqual([expect.stringMatching(/other\.db: /)]);
  });
});

describe("doctor usage", () => {
  it("refuses an unknown option with exit 2", async () => {
    const r = await doctor(tempProject("ops-doctor-usage"), ["--bogus"]);
    expect(r.code).toBe(2);
    expect(r.out).toContain("Usage: litestream-deploy doctor");
  });

  it("--json on a description that does not validate: exit 2, the problems as JSON", async () => {
    const dir = tempProject("ops-doctor-json");
    writeFileSync(
      join(dir, "litestream.config.json"),
      JSON.stringify({ name: "ops", litestream: { version: "0.5" }, databases: [{ path: "relative.db" }] }),
    );
    const r = await doctor(dir, ["--json"]);
    expect(r.code).toBe(2);
    const doc = JSON.parse(r.out) as { ok: boolean; problems: Array<{ path: string; message: string }> };
    expect(doc.ok).toBe(false);
    expect(doc.problems.map((p) => p.path)).toContain("databases.0.path");
  });
});
