// Issue 12, parts 1-2: existing replica paths kept exactly (replicaPath, prefix "", dotted names) and
// settings known only at run time ({ env: "NAME" } → ${NAME}), proven by the real binaries, the real
// Compose, sh, busybox sh and shellcheck.
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { afterEach, describe, expect, it } from "vitest";
import { generate, type ProjectInput } from "../src/index.js";
import { issuesOf as projectIssues } from "./support/issues.js";
import { startupCheckLines } from "../src/render/startup-checks.js";
import { composeConfig } from "./harness/compose.js";
import { listDatabases, runLitestream, startReplicate, stopAll, waitForBackup, type LitestreamLine } from "./harness/litestream.js";
import { closeAllS3, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, startS3 } from "./harness/s3.js";
import { createWalDb, expectedRows, insertRows, readRows } from "./harness/sqlite.js";
import { parseCommandLines } from "./harness/systemd.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

afterEach(async () => {
  await stopAll();
  await closeAllS3();
  await cleanupTempDirs();
});

const LINES: LitestreamLine[] = ["0.3", "0.5"];
const litestream = (line: LitestreamLine) => (line === "0.5" ? { version: "0.5" as const } : { version: "0.3" as const });

/** The problems with their path written as "a.b.c". */
const issuesOf = (project: ProjectInput) =>
  projectIssues(project).map((i) => ({ path: i.path.join("."), code: i.code, message: i.message, fix: i.fix }));

const configOf = (project: ProjectInput, env = 0) => {
  const { files, plan } = generate(project);
  const file = files.find((f) => f.kind === "litestream-config" && f.path === plan.environments[env]!.configFile)!;
  return { text: file.content, yaml: parse(file.content, { version: "1.1" }) as { dbs: Array<Record<string, any>> }, plan };
};

const CREDENTIALS = { accessKeyId: { env: "S3_KEY" }, secretAccessKey: { env: "S3_SECRET" } };
const s3 = (extra: Record<string, unknown> = {}) => ({
  provider: "s3" as const,
  endpoint: "https://s3.example.com",
  region: "us-east-1",
  bucket: "backups",
  credentials: CREDENTIALS,
  ...extra,
});

function run(
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
  cwd?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: { PATH: "/usr/bin:/bin", ...env }, cwd, encoding: "utf8", timeout: 60_000 }, (err, stdout, stderr) => {
      if (err && typeof (err as NodeJS.ErrnoException).code === "string") reject(err);
      else resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

describe('existing replica paths: replicaPath, prefix "" and dotted names', () => {
  it('uses an exact replicaPath as is, prefix "" puts <name> at the bucket root, a dotted name is only a label', () => {
    const { yaml } = configOf({
      name: "app",
      litestream: { version: "0.3" },
      storage: s3({ prefix: "" }),
      databases: [
        { name: "production.sqlite3", path: "/data/production.sqlite3" },
        { name: "pb", path: "/pb/pb_data/data.db", replicaPath: "litestream/pb_data.db" },
      ],
    });
    expect(yaml.dbs.map((db) => db.replicas[0].path)).toEqual(["production.sqlite3", "litestream/pb_data.db"]);
  });

  it("names the replica of each path when a 0.3 database has several, and resolves file paths against baseDir", () => {
    const { yaml } = configOf({
      name: "app",
      litestream: { version: "0.3" },
      replicas: [s3(), { provider: "file", name: "local", path: "/var/backups" }],
      environments: { production: { baseDir: "/srv/app" } },
      databases: [{ name: "main", path: "main.db", replicaPath: { s3: "production.sqlite3", local: "backups/production.sqlite3" } }],
    });
    expect(yaml.dbs[0]!.replicas.map((r: { path: string }) => r.path)).toEqual([
      "production.sqlite3",
      "/srv/app/backups/production.sqlite3",
    ]);
  });

  it("refuses an ambiguous, unknown, slashed or malformed replicaPath with a working fix", () => {
    const base = {
      name: "app",
      litestream: { version: "0.3" as const },
      replicas: [s3(), { provider: "file" as const, name: "local", path: "/b" }],
    };
    expect(issuesOf({ ...base, databases: [{ path: "/d/a.db", replicaPath: "a.db" }] }).map((i) => [i.path, i.code])).toEqual([
      ["databases.0.replicaPath", "replica-path.ambiguous"],
    ]);
    expect(
      issuesOf({ ...base, databases: [{ path: "/d/a.db", replicaPath: { s4: "a.db" } }] }).map((i) => [i.path, i.code, i.fix]),
    ).toEqual([["databases.0.replicaPath.s4", "replica-path.unknown", 'did you mean "s3"?']]);
    const one = { name: "app", litestream: { version: "0.3" as const }, storage: s3() };
    const slash = issuesOf({ ...one, databases: [{ path: "/d/a.db", replicaPath: "/a.db" }] });
    expect(slash.map((i) => [i.code, i.fix])).toEqual([["replica-path.slash", 'write "a.db"']]);
    expect(issuesOf({ ...one, databases: [{ path: "/d/a.db", replicaPath: "a.db" }] })).toEqual([]);
    for (const bad of ["a//b", "a/", "../a", "a/./b", "a$b"]) {
      expect(
        issuesOf({ ...one, databases: [{ path: "/d/a.db", replicaPath: bad }] }).map((i) => i.path),
        bad,
      ).toEqual(["databases.0.replicaPath"]);
    }
    expect(issuesOf({ ...one, databases: [{ name: "a..b", path: "/d/a.db" }] }).map((i) => i.code)).toEqual(["name.invalid"]);
  });

  it("checks exact paths for clashes and nesting across databases and environments, with fixes that work", () => {
    const two = (replicaPath2: string): ProjectInput => ({
      name: "app",
      litestream: { version: "0.3" },
      storage: s3({ prefix: "" }),
      databases: [
        { name: "main", path: "/d/main.db", replicaPath: "production.sqlite3" },
        { name: "other", path: "/d/other.db", replicaPath: replicaPath2 },
      ],
    });
    const shared = issuesOf(two("production.sqlite3"));
    expect(shared.map((i) => [i.code, i.fix])).toEqual([["replica.shared", "give databases[1].replicaPath a path of its own"]]);
    expect(issuesOf(two("other.sqlite3"))).toEqual([]);
    // An exact path equal to another database's <prefix "">/<name>.
    const byName = {
      ...two("x"),
      databases: [
        { name: "main", path: "/d/main.db", replicaPath: "production.sqlite3" },
        { name: "production.sqlite3", path: "/d/p.db" },
      ],
    };
    expect(issuesOf(byName).map((i) => i.code)).toEqual(["replica.shared"]);
    const nested = issuesOf(two("production.sqlite3/wal"));
    expect(nested.map((i) => [i.code, i.fix])).toEqual([
      ["replica.nested", "use sibling paths, not nested ones: change databases[1].replicaPath"],
    ]);

    // Two environments in one bucket: the environment's own replicaPath is the fix (a prefix would not change an exact path).
    const envs = (staging: Record<string, unknown>): ProjectInput => ({
      name: "app",
      litestream: { version: "0.3" },
      storage: s3(),
      databases: [{ name: "main", path: "/d/main.db", replicaPath: "production.sqlite3" }],
      environments: { production: {}, staging: staging as never },
    });
    const clash = issuesOf(envs({}));
    expect(clash.map((i) => [i.path, i.code])).toEqual([["environments.staging", "replica.shared"]]);
    expect(clash[0]!.fix).toContain("environments.staging.databases.main.replicaPath");
    expect(issuesOf(envs({ prefix: "staging" })).map((i) => i.code)).toEqual(["replica.shared"]);
    expect(issuesOf(envs({ databases: { main: { replicaPath: "staging.sqlite3" } } }))).toEqual([]);
  });

  it("compares locations built from variables by their text, and warns that values may coincide", () => {
    const project = (bucket2: unknown): ProjectInput => ({
      name: "app",
      litestream: { version: "0.3" },
      storage: s3({ bucket: { env: "BUCKET" }, prefix: "" }),
      databases: [{ name: "main", path: "/d/main.db" }],
      environments: { production: {}, staging: { storage: s3({ bucket: bucket2, prefix: "" }) as never } },
    });
    expect(issuesOf(project({ env: "BUCKET" })).map((i) => i.code)).toEqual(["replica.shared"]);
    const { warnings } = generate(project({ env: "STAGING_BUCKET" }));
    expect(warnings.map((w) => w.message).join("\n")).toMatch(/built from environment variables .* checked for clashes by their text only/);
  });

  it("stays linear: 20,000 databases with exact paths are checked in one sorted pass", () => {
    const databases = Array.from({ length: 20_000 }, (_, i) => ({
      name: `db${i}`,
      path: `/d/db${i}.sqlite3`,
      replicaPath: `keep/db${i}.sqlite3`,
    }));
    const { plan } = generate({ name: "app", litestream: { version: "0.3" }, storage: s3(), databases });
    expect(plan.environments[0]!.databases.at(-1)!.replicas[0]!.path).toBe("keep/db19999.sqlite3");
  });
});

/** A hand-written litestream.yml, as an existing deployment has it (not generated). */
function handWritten(line: LitestreamLine, db: string, replica: Record<string, string>): string {
  const fields = Object.entries(replica).map(([k, v]) => `${k}: ${v}`);
  return line === "0.3"
    ? `dbs:\n  - path: ${db}\n    replicas:\n${fields.map((f, i) => `${i === 0 ? "      - " : "        "}${f}`).join("\n")}\n        sync-interval: 100ms\n`
    : `dbs:\n  - path: ${db}\n    replica:\n${fields.map((f) => `      ${f}`).join("\n")}\n      sync-interval: 100ms\n`;
}

/** Replicate rows 1-25 and 26-40 with `config`, stop (the final sync ships the rest). */
async function backUpWith(config: string, db: string, dir: string, line: LitestreamLine, env: Record<string, string>): Promise<void> {
  await createWalDb(db);
  await insertRows(db, 1, 25);
  const replicate = startReplicate(config, { line, env });
  await waitForBackup(config, db, dir, { line, env, waitMs: 30_000 });
  await insertRows(db, 26, 40);
  const stopped = await replicate.stop();
  expect(stopped.code, stopped.stderr).toBe(0);
}

describe.each(LINES)("round trip from a pre-existing path, Litestream %s", (line) => {
  it("a file replica written by a hand-written config is restored by the generated one (replicaPath)", async () => {
    const dir = makeTempDir(`adopt-file-${line}`);
    const db = join(dir, "production.sqlite3");
    const existing = join(dir, "old-backups", "production.sqlite3");
    writeFileSync(join(dir, "hand.yml"), handWritten(line, db, { type: "file", path: existing }));
    await backUpWith(join(dir, "hand.yml"), db, dir, line, {});

    const { text } = configOf({
      name: "app",
      litestream: litestream(line),
      storage: { provider: "file", path: join(dir, "new-default") },
      databases: [{ name: "production.sqlite3", path: db, replicaPath: existing }],
    });
    writeFileSync(join(dir, "generated.yml"), text);
    const restored = join(dir, "restored.db");
    const result = await runLitestream(["restore", "-config", join(dir, "generated.yml"), "-o", restored, db], { line });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await readRows(restored)).toEqual(expectedRows(1, 40));
  });

  it("an S3 backup at litestream/pb_data.db is restored by a generated config whose bucket and endpoint come from the environment", async () => {
    const server = await startS3({ buckets: ["pb-backups"] });
    const dir = makeTempDir(`adopt-s3-${line}`);
    const db = join(dir, "data.db");
    const creds = { LITESTREAM_ACCESS_KEY_ID: S3_ACCESS_KEY_ID, LITESTREAM_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY };
    writeFileSync(
      join(dir, "hand.yml"),
      handWritten(line, db, {
        type: "s3",
        bucket: "pb-backups",
        path: "litestream/pb_data.db",
        endpoint: server.endpoint,
        region: "us-east-1",
        ...(line === "0.3" ? { "force-path-style": "true" } : {}),
      }),
    );
    await backUpWith(join(dir, "hand.yml"), db, dir, line, creds);
    expect((await server.listKeys("pb-backups")).every((k) => k.startsWith("litestream/pb_data.db/"))).toBe(true);

    const { text, plan } = configOf({
      name: "pocketbase",
      litestream: litestream(line),
      storage: {
        provider: "minio",
        bucket: { env: "PB_BUCKET" },
        endpoint: { env: "PB_ENDPOINT" },
        credentials: { accessKeyId: { env: "LITESTREAM_ACCESS_KEY_ID" }, secretAccessKey: { env: "LITESTREAM_SECRET_ACCESS_KEY" } },
      },
      databases: [{ name: "pb_data.db", path: db, replicaPath: "litestream/pb_data.db" }],
    });
    expect(text).toContain('bucket: "${PB_BUCKET}"');
    expect(text).toContain('endpoint: "${PB_ENDPOINT}"');
    expect(plan.environments[0]!.env.filter((v) => v.setting).map((v) => [v.name, v.setting])).toEqual([
      ["PB_BUCKET", "storage.bucket"],
      ["PB_ENDPOINT", "storage.endpoint"],
    ]);
    const config = join(dir, "generated.yml");
    writeFileSync(config, text);
    const env = { ...creds, PB_BUCKET: "pb-backups", PB_ENDPOINT: server.endpoint };
    expect(await listDatabases(config, env, line)).toEqual([{ path: db, replicas: [line === "0.3" ? "minio" : "s3"] }]);
    const restored = join(dir, "restored.db");
    const ok = await runLitestream(["restore", "-config", config, "-o", restored, db], { line, env });
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(await readRows(restored)).toEqual(expectedRows(1, 40));

    // Without the variables Litestream itself does not say which setting is empty: the targets' start-up check does.
    const without = await runLitestream(["restore", "-config", config, "-o", join(dir, "never.db"), db], { line, env: creds });
    expect(without.code).not.toBe(0);
    expect(without.stdout + without.stderr).not.toContain("PB_BUCKET");
  });
});

describe("the start-up check (src/render/startup-checks.ts), executed", () => {
  const lines = startupCheckLines(
    [
      { name: "MY_BUCKET", setting: "storage.bucket" },
      { name: "MY_ENDPOINT", setting: "storage.endpoint", mustBe: "https" },
    ],
    "probe",
  );
  const script = `set -eu\n${lines.join("\n")}\necho proceeded\n`;

  it.each([["sh"], ["busybox"]])(
    "%s: unset or empty → exit 78 naming each variable and setting; set → proceeds; http refused",
    async (shell) => {
      const args = (s: string) => (shell === "busybox" ? ["sh", "-c", s] : ["-c", s]);
      const unset = await run(shell, args(script), { MY_BUCKET: "" });
      expect(unset.code).toBe(78);
      expect(unset.stdout).toBe("");
      expect(unset.stderr).toContain(
        "probe: MY_BUCKET is not set or empty: it is storage.bucket of the Litestream config (written there as ${MY_BUCKET})",
      );
      expect(unset.stderr).toContain("probe: MY_ENDPOINT is not set or empty: it is storage.endpoint");
      const http = await run(shell, args(script), { MY_BUCKET: "b", MY_ENDPOINT: "http://x" });
      expect([http.code, http.stderr]).toEqual([78, expect.stringContaining("MY_ENDPOINT must start with https://")]);
      const set = await run(shell, args(script), { MY_BUCKET: "b; rm -rf /", MY_ENDPOINT: "https://x" });
      expect([set.code, set.stdout]).toEqual([0, "proceeded\n"]);
    },
  );

  it("passes shellcheck", async () => {
    const dir = makeTempDir("startup-check");
    writeFileSync(join(dir, "check.sh"), `#!/bin/sh\n${script}`);
    expect(await run("shellcheck", ["--shell=sh", "--severity=style", join(dir, "check.sh")])).toMatchObject({ code: 0, stdout: "" });
  });
});

/** A project whose bucket and endpoint are read at start-up, with every target on. */
function runtimeProject(dir: string, line: LitestreamLine, targets: ProjectInput["targets"]): ProjectInput {
  return {
    name: "shop",
    litestream: litestream(line),
    storage: {
      provider: "s3",
      bucket: { env: "APP_BUCKET" },
      endpoint: { env: "APP_ENDPOINT" },
      region: "us-east-1",
      credentials: { accessKeyId: { env: "LITESTREAM_ACCESS_KEY_ID" }, secretAccessKey: { env: "LITESTREAM_SECRET_ACCESS_KEY" } },
    },
    databases: [{ name: "production.sqlite3", path: `${dir}/data/production.sqlite3`, replicaPath: "production.sqlite3" }],
    targets,
  };
}

const SET = {
  APP_BUCKET: "shop-backups",
  APP_ENDPOINT: "https://s3.example.com",
  LITESTREAM_ACCESS_KEY_ID: "k",
  LITESTREAM_SECRET_ACCESS_KEY: "s",
};

/** A litestream stub that records its arguments and succeeds. */
function stubBin(dir: string): { path: string; calls: string } {
  const bin = join(dir, "stub-bin");
  mkdirSync(bin, { recursive: true });
  const calls = join(dir, "calls");
  writeFileSync(join(bin, "litestream"), `#!/bin/sh\necho "$1" >> '${calls}'\nexit 0\n`);
  chmodSync(join(bin, "litestream"), 0o755);
  return { path: `${bin}:/usr/bin:/bin`, calls };
}

async function expectCheck(
  shell: string,
  args: string[],
  path: string,
  calls: string,
  extraEnv: Record<string, string> = {},
): Promise<void> {
  const { readFileSync, existsSync, rmSync } = await import("node:fs");
  rmSync(calls, { force: true });
  const unset = await run(shell, args, { ...SET, APP_BUCKET: "", PATH: path, ...extraEnv });
  expect(unset.code, unset.stderr).toBe(78);
  expect(unset.stderr).toContain("APP_BUCKET is not set or empty: it is storage.bucket");
  expect(existsSync(calls)).toBe(false);
  const set = await run(shell, args, { ...SET, PATH: path, ...extraEnv });
  expect(set.code, set.stderr).toBe(0);
  expect(readFileSync(calls, "utf8")).toMatch(/replicate\n$/);
}

describe.each(LINES)("every target runs the start-up check before Litestream (Litestream %s)", (line) => {
  it("entrypoint: unset → 78 and the message; set → restore then replicate; LITESTREAM_ENABLED auto/true/false", async () => {
    const dir = makeTempDir("adopt-entrypoint");
    mkdirSync(join(dir, "data"));
    const { files } = generate(runtimeProject(dir, line, { entrypoint: { appCommand: ["sh", "-c", `echo app > '${dir}/app-ran'`] } }));
    const script = join(dir, "entrypoint");
    writeFileSync(script, files.find((f) => f.path === "bin/litestream-entrypoint")!.content);
    const stub = stubBin(dir);
    for (const shell of ["sh", "busybox"]) {
      const args = shell === "busybox" ? ["sh", script] : [script];
      await expectCheck(shell, args, stub.path, stub.calls, { LITESTREAM_CONFIG: "/dev/null" });
      const none = { APP_BUCKET: "", APP_ENDPOINT: "", LITESTREAM_ACCESS_KEY_ID: "", LITESTREAM_SECRET_ACCESS_KEY: "" };
      const auto = await run(shell, args, { PATH: stub.path, LITESTREAM_ENABLED: "auto", ...none });
      expect(auto.code, auto.stderr).toBe(0);
      expect(auto.stderr).toContain(
        "LITESTREAM_ENABLED=auto and none of LITESTREAM_ACCESS_KEY_ID, LITESTREAM_SECRET_ACCESS_KEY, APP_BUCKET, APP_ENDPOINT is set: starting the app without restore or replication",
      );
      const autoPartial = await run(shell, args, { PATH: stub.path, LITESTREAM_ENABLED: "auto", ...none, APP_BUCKET: "b" });
      expect(autoPartial.code).toBe(78);
      const autoAll = await run(shell, args, { ...SET, PATH: stub.path, LITESTREAM_ENABLED: "auto" });
      expect(autoAll.code, autoAll.stderr).toBe(0);
      const trueUnset = await run(shell, args, { PATH: stub.path, LITESTREAM_ENABLED: "true", ...none });
      expect(trueUnset.code).toBe(78);
      const off = await run(shell, args, { PATH: stub.path, LITESTREAM_ENABLED: "false", ...none });
      expect([off.code, off.stderr]).toEqual([0, expect.stringContaining("starting the app without Litestream")]);
    }
    expect(await run("shellcheck", ["--shell=sh", "--severity=style", script])).toMatchObject({ code: 0 });
  });

  it("Kamal accessory cmd: the check runs first inside the container's /bin/sh", async () => {
    const dir = makeTempDir("adopt-kamal");
    mkdirSync(join(dir, "data"));
    const { files } = generate(
      runtimeProject(dir, line, { kamal: { version: "2.12.0", host: "203.0.113.10", volume: `shop_storage:${dir}/data` } }),
    );
    const accessory = parse(files.find((f) => f.path === "config/litestream-accessory.yml")!.content) as Record<
      string,
      { cmd: string; env: { secret: string[] } }
    >;
    const value =
      Object.values(accessory).find((v) => v && typeof v === "object" && "cmd" in v) ??
      (accessory as never as { accessories: Record<string, { cmd: string; env: { secret: string[] } }> }).accessories?.litestream;
    expect(value!.env.secret).toEqual(expect.arrayContaining(["APP_BUCKET", "APP_ENDPOINT"]));
    const stub = stubBin(dir);
    // The remote shell parses cmd as it is appended after the image: `/bin/sh <cmd>`.
    await expectCheck("sh", ["-c", `exec /bin/sh ${value!.cmd}`], stub.path, stub.calls);
    const secrets = files.find((f) => f.path === ".kamal/secrets")?.content ?? "";
    expect(secrets).toContain("APP_BUCKET=$APP_BUCKET");
  });

  it("systemd: ExecStartPre= runs the check (as systemd reads the line) before the restores", async () => {
    const dir = makeTempDir("adopt-systemd");
    const { files } = generate({
      ...runtimeProject("/srv/shop", line, { systemd: { appUnit: "shop.service" } }),
      litestream: { ...litestream(line), verify: false },
    });
    const unit = files.find((f) => f.kind === "systemd-unit" && f.path.endsWith("litestream.service"))!.content;
    const pre = unit.split("\n").filter((l) => l.startsWith("ExecStartPre="));
    expect(pre.length).toBe(2);
    const [argv] = parseCommandLines(pre[0]!.slice("ExecStartPre=".length));
    expect(argv!.slice(0, 2)).toEqual(["/bin/sh", "-c"]);
    const stub = stubBin(dir);
    const script = `${argv![2]}; litestream replicate`;
    await expectCheck("sh", ["-c", script], stub.path, stub.calls);
    await expectCheck("busybox", ["sh", "-c", script], stub.path, stub.calls);
    const envTemplate = files.find((f) => f.kind === "systemd-env")!.content;
    expect(envTemplate).toContain("APP_BUCKET");
  });

  it("Compose: the restore and litestream services check first; docker compose config keeps ${NAME} for Litestream", async () => {
    const dir = makeTempDir("adopt-compose");
    const userCompose = `services:\n  app:\n    image: example/app:1\n    volumes:\n      - app_data:${dir}/data\nvolumes:\n  app_data: {}\n`;
    for (const configDelivery of ["heredoc", "configs"] as const) {
      const project = runtimeProject(dir, line, {
        compose: { appService: "app", volume: `app_data:${dir}/data`, configDelivery, version: "2.26.1" },
      });
      const { files } = generate(project, { existing: (p) => (p === "compose.yaml" ? userCompose : undefined) });
      for (const f of files) {
        mkdirSync(join(dir, f.path, ".."), { recursive: true });
        writeFileSync(join(dir, f.path), f.content);
      }
      writeFileSync(join(dir, "compose.yaml"), userCompose);
      const override = files.find((f) => f.kind === "compose" || f.path.startsWith("compose.litestream"))!;
      const result = await composeConfig([join(dir, "compose.yaml"), join(dir, override.path)], { env: SET, args: ["--format", "json"] });
      expect(result.code, result.stderr).toBe(0);
      // `config` writes every literal $ as $$ (so that it can be read again): undo that.
      const model = JSON.parse(result.stdout.replaceAll("$$", "$")) as {
        services: Record<string, { command?: string[]; environment?: Record<string, string> }>;
        configs?: Record<string, { content: string }>;
      };
      const config = configDelivery === "configs" ? model.configs!.litestream!.content : model.services.litestream!.command![0]!;
      expect(config).toContain('bucket: "${APP_BUCKET}"');
      expect(config).toContain('endpoint: "${APP_ENDPOINT}"');
      expect(model.services.litestream!.environment!.APP_BUCKET).toBe("shop-backups");
      const missing = await composeConfig([join(dir, "compose.yaml"), join(dir, override.path)], { env: { ...SET, APP_BUCKET: "" } });
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toContain("APP_BUCKET");
      const stub = stubBin(dir);
      // configs delivery: the replicator runs litestream without a shell; it starts only after the restore
      // service (which ran the check) completed, and Compose refuses to start without the variable.
      const scripted = configDelivery === "heredoc" ? ["litestream-restore", "litestream"] : ["litestream-restore"];
      if (configDelivery === "configs") expect(model.services.litestream!.command).toEqual(["replicate", "-config", "/etc/litestream.yml"]);
      for (const name of scripted) {
        const service = model.services[name]!;
        const script = service.command![0]!;
        const env = { LITESTREAM_CONFIG: join(dir, "cfg.yml") };
        const { existsSync, readFileSync, rmSync } = await import("node:fs");
        rmSync(stub.calls, { force: true });
        const unset = await run("sh", ["-c", script], { ...SET, APP_BUCKET: "", PATH: stub.path, ...env });
        expect(unset.code, `${name}: ${unset.stderr}`).toBe(78);
        expect(unset.stderr).toContain("APP_BUCKET is not set or empty");
        expect(existsSync(stub.calls)).toBe(false);
        const set = await run("busybox", ["sh", "-c", script], { ...SET, PATH: stub.path, ...env });
        expect(set.code, `${name}: ${set.stderr}`).toBe(0);
        expect(readFileSync(stub.calls, "utf8")).toMatch(name === "litestream" ? /replicate/ : /restore/);
      }
    }
  });
});
