// restoreCopyCommand (docs/lifecycle.md): a named replica's backup restored into a copy, run for
// real on Litestream 0.3.13 (two replicas: a directory and s3rver, each picked by name) and 0.5.17
// (one replica per database, file and s3rver; -replica does not exist there). The live database
// is left untouched.
import { execFile } from "node:child_process";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate, type ProjectInput } from "../src/index.js";
import { restoreCopyCommand } from "../src/render/restore-copy.js";
import { literalPath } from "../src/plan/model.js";
import { binaryFor, runLitestream, startReplicate, stopAll, waitForBackup, type LitestreamLine } from "./harness/litestream.js";
import { closeAllS3, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, startS3 } from "./harness/s3.js";
import { createWalDb, insertRows, readRows, expectedRows } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";
import { LITESTREAM_05_RELEASE } from "./harness/tools.js";

afterAll(async () => {
  await stopAll();
  await closeAllS3();
  await cleanupTempDirs();
});

const S3_ENV = {
  S3_KEY: S3_ACCESS_KEY_ID,
  S3_SECRET: S3_SECRET_ACCESS_KEY,
  LITESTREAM_ACCESS_KEY_ID: S3_ACCESS_KEY_ID,
  LITESTREAM_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY,
};

async function storages(dir: string, kinds: Array<"file" | "s3">): Promise<NonNullable<ProjectInput["replicas"]>> {
  const out: NonNullable<ProjectInput["replicas"]> = [];
  for (const kind of kinds) {
    if (kind === "file") out.push({ provider: "file", name: "disk", path: join(dir, "replica") });
    else {
      const s3 = await startS3({ buckets: ["copies"] });
      out.push({
        provider: "minio",
        name: "offsite",
        endpoint: s3.endpoint,
        bucket: "copies",
        credentials: { accessKeyId: { env: "S3_KEY" }, secretAccessKey: { env: "S3_SECRET" } },
      });
    }
  }
  return out;
}

/** Runs the generated command line through sh, as a user pasting it from the runbook would. */
function runCommand(command: string, line: LitestreamLine): Promise<{ code: number | null; output: string }> {
  const cmd = command.replace(/^litestream /, `'${binaryFor(line)}' `);
  return new Promise((resolve) =>
    execFile("sh", ["-c", cmd], { env: { PATH: "/usr/bin:/bin", ...S3_ENV }, encoding: "utf8", timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, output: stdout + stderr }),
    ),
  );
}

async function replicated(line: LitestreamLine, kinds: Array<"file" | "s3">) {
  const dir = makeTempDir(`copy-${line}`);
  const db = join(dir, "app.db");
  await createWalDb(db);
  await insertRows(db, 1, 5);
  const replicas = await storages(dir, kinds);
  const project: ProjectInput = {
    name: "copies",
    litestream: line === "0.3" ? { version: "0.3" } : { version: "0.5", release: LITESTREAM_05_RELEASE },
    ...(replicas.length > 1 ? { replicas } : { storage: replicas[0]! }),
    replication: { syncInterval: "100ms" },
    databases: [{ name: "app", path: db }],
  };
  const { files, plan } = generate(project);
  const config = join(dir, "litestream.yml");
  writeFileSync(config, files.find((f) => f.kind === "litestream-config")!.content);
  const handle = startReplicate(config, { line, env: S3_ENV });
  await waitForBackup(config, db, dir, { line, env: S3_ENV });
  await handle.stop(); // SIGTERM: the final sync reaches every replica
  return { dir, db, config, dbPlan: plan.environments[0]!.databases[0]! };
}

describe("restore a named replica into a copy, Litestream 0.3.13", () => {
  it("from the directory and from s3rver, each by name; the live database is untouched", async () => {
    const { dir, db, config, dbPlan } = await replicated("0.3", ["file", "s3"]);
    const before = statSync(db);
    for (const replica of ["disk", "offsite"]) {
      const output = join(dir, `copy from ${replica}.db`);
      const made = restoreCopyCommand({ version: "0.3", db: dbPlan, configPath: config, output, replica });
      if (!("command" in made)) throw new Error(made.problem);
      expect(made.argv.slice(0, 6)).toEqual(["litestream", "restore", "-config", config, "-replica", replica]);
      const r = await runCommand(made.command, "0.3");
      expect(r.code, r.output).toBe(0);
      expect(await readRows(output)).toEqual(expectedRows(1, 5));
    }
    expect(statSync(db).ino).toBe(before.ino);
    expect(restoreCopyCommand({ version: "0.3", db: dbPlan, configPath: config, output: "x", replica: "nope" })).toEqual({
      problem: 'database app has no replica named "nope"',
      fix: "use one of: disk, offsite",
    });
  }, 120_000);
});

describe.each(["file", "s3"] as const)("restore into a copy, Litestream 0.5.17, %s replica", (kind) => {
  it("the command has no -replica (0.5 rejects it) and restores the one replica", async () => {
    const { dir, config, dbPlan } = await replicated("0.5", [kind]);
    const output = join(dir, "copy.db");
    const made = restoreCopyCommand({ version: "0.5", db: dbPlan, configPath: config, output });
    if (!("command" in made)) throw new Error(made.problem);
    expect(made.argv).not.toContain("-replica");
    const r = await runCommand(made.command, "0.5");
    expect(r.code, r.output).toBe(0);
    expect(await readRows(output)).toEqual(expectedRows(1, 5));
    // The fact the command relies on: 0.5.17 has no -replica flag.
    const rejected = await runLitestream(
      ["restore", "-config", config, "-replica", dbPlan.replicas[0]!.name, "-o", join(dir, "other.db"), literalPath(dbPlan.path)],
      { line: "0.5", env: S3_ENV },
    );
    expect(rejected.code).not.toBe(0);
    expect(rejected.stdout + rejected.stderr).toMatch(/flag provided but not defined: -replica/);
  }, 120_000);
});
