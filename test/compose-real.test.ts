// Every Compose file the target generates, read by the real Docker Compose v2 (`docker-compose
// config`, 2.26.1): override + base, in-place, each config delivery. The heredoc scripts are taken
// from the binary's own output and run by `sh`; the real Litestream binary of the line loads the
// config they write.
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { generate, ProjectError, type Artifact, type ProjectInput } from "../src/index.js";
import example002 from "../examples/002-compose-r2/litestream.config.js";
import { composeConfig, composeModel, type ComposeModel } from "./harness/compose.js";
import { binaryFor, listDatabases, type LitestreamLine } from "./harness/litestream.js";
import { createWalDb, expectedRows, insertRows, readRows } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

afterAll(cleanupTempDirs);

const fixture = (name: string) => readFileSync(new URL(`fixtures/compose/${name}`, import.meta.url), "utf8");
const FIXTURE = fixture("compose.yaml");
const USERS = fixture("users.compose.yaml");
const COMMON = fixture("common.yaml");
/** What the user would have in .env: every variable the fixtures and the generated services need. */
const ENV = { R2_ACCESS_KEY_ID: "AKIAEXAMPLE", R2_SECRET_ACCESS_KEY: "s3cr3t/with$dollar", SESSION_SECRET: "x" };
const COMPLETED = { condition: "service_completed_successfully" };

type ComposeInput = NonNullable<NonNullable<ProjectInput["targets"]>["compose"]>;

function withCompose(project: ProjectInput, compose: Partial<ComposeInput>, rest: Partial<ProjectInput> = {}): ProjectInput {
  return { ...project, ...rest, targets: { ...project.targets, compose: { ...project.targets!.compose!, ...compose } } };
}

function generated(project: ProjectInput, existing: Record<string, string>): Map<string, string> {
  const result = generate(project, { existing: (p) => existing[p] });
  return new Map(result.files.map((f: Artifact) => [f.path, f.content]));
}

/** Writes the user's files and the generated ones into a project directory; returns its path. */
function projectDir(
  files: Map<string, string> | Record<string, string>,
  ...more: Array<Map<string, string> | Record<string, string>>
): string {
  const dir = makeTempDir("compose-real");
  for (const set of [files, ...more]) {
    for (const [name, content] of set instanceof Map ? set : Object.entries(set)) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), content);
    }
  }
  return dir;
}

const inDir = (dir: string, ...names: string[]) => names.map((n) => path.join(dir, n));

/** `docker-compose config` output writes every literal $ as $$ (it can be read again): undo that. */
const unescape = (text: string) => text.replaceAll("$$", "$");

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, timeout: 30_000, encoding: "utf8" }, (err, stdout, stderr) => {
      if (err && typeof (err as NodeJS.ErrnoException).code === "string") reject(err);
      else resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
  });
}

/**
 * Runs one service's heredoc script, as Compose hands it to the container (command[0] under
 * entrypoint /bin/sh -c, its environment from the model), with the real Litestream of the line on
 * PATH. Only LITESTREAM_CONFIG is pointed into a temp directory.
 */
async function runServiceScript(model: ComposeModel, service: string, line: LitestreamLine) {
  const definition = model.services[service]! as { entrypoint?: string[]; command?: string[]; environment?: Record<string, string> };
  expect(definition.entrypoint).toEqual(["/bin/sh", "-c"]);
  expect(definition.command).toHaveLength(1);
  const dir = makeTempDir("compose-script");
  const environment = Object.fromEntries(Object.entries(definition.environment ?? {}).map(([k, v]) => [k, unescape(v)]));
  const configPath = path.join(dir, "litestream.yml");
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  // `litestream` on PATH records its arguments, then runs the real binary's `databases` check on the config.
  writeFileSync(path.join(bin, "litestream"), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${dir}/calls'\n`, { mode: 0o755 });
  const env = { ...environment, LITESTREAM_CONFIG: configPath, PATH: `${bin}:/usr/bin:/bin`, HOME: dir };
  const result = await run("/bin/sh", ["-c", unescape(definition.command![0]!)], env);
  expect(result.code, result.stderr).toBe(0);
  const config = readFileSync(configPath, "utf8");
  const databases = await listDatabases(configPath, environment, line);
  return { config, databases, calls: readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n"), configPath };
}

/** The services that must wait for the restore, and the condition each one waits with. */
function waitsFor(model: ComposeModel, dependency: string): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(model.services).map(([name, s]) => [name, s.depends_on?.[dependency]?.condition]));
}

// -- every delivery, override and in place ---------------------------------------------------------

const DELIVERIES: Array<[string, Partial<ComposeInput>]> = [
  ["heredoc", {}],
  ["configs", { configDelivery: "configs", version: "2.29.1" }],
  ["bind", { configDelivery: "bind" }],
];

describe("compose, real docker-compose config: example 002 on every delivery", () => {
  for (const [label, settings] of DELIVERIES) {
    it(`${label}: base + override and the in-place file load, and describe the same stack`, async () => {
      const override = generated(withCompose(example002, settings), { "compose.yaml": FIXTURE });
      const inPlace = generated(withCompose(example002, { ...settings, output: "in-place" }), { "compose.yaml": FIXTURE });
      const overrideDir = projectDir({ "compose.yaml": FIXTURE }, override);
      const inPlaceDir = projectDir(inPlace);
      const merged = await composeModel(inDir(overrideDir, "compose.yaml", "compose.litestream.yaml"), { env: ENV });
      const edited = await composeModel(inDir(inPlaceDir, "compose.yaml"), { env: ENV });
      expect(edited).toEqual(JSON.parse(JSON.stringify(merged).replaceAll(overrideDir, inPlaceDir)));
      expect(Object.keys(edited.services).sort()).toEqual(["app", "caddy", "litestream", "litestream-restore", "redis"]);
      expect(edited.services.app!.depends_on).toEqual({
        redis: { condition: "service_started", required: true },
        "litestream-restore": { ...COMPLETED, required: true },
      });
      expect(edited.services.litestream!.depends_on).toEqual({ "litestream-restore": { ...COMPLETED, required: true } });
      expect(edited.services.litestream!.stop_grace_period).toBe("40s");
      expect(edited.services["litestream-restore"]!.restart).toBe("no");
      // A second run changes nothing.
      expect(
        generated(withCompose(example002, { ...settings, output: "in-place" }), { "compose.yaml": inPlace.get("compose.yaml")! }).get(
          "compose.yaml",
        ),
      ).toBe(inPlace.get("compose.yaml"));
    });
  }

  it("heredoc: the scripts in the binary's output write exactly litestream.yml, which Litestream 0.5.17 loads", async () => {
    const out = generated(example002, { "compose.yaml": FIXTURE });
    const dir = projectDir({ "compose.yaml": FIXTURE }, out);
    const model = await composeModel(inDir(dir, "compose.yaml", "compose.litestream.yaml"), { env: ENV });
    expect(model.services.litestream!.environment).toMatchObject({ LITESTREAM_SECRET_ACCESS_KEY: "s3cr3t/with$$dollar" });
    for (const service of ["litestream", "litestream-restore"]) {
      const result = await runServiceScript(model, service, "0.5");
      expect(result.config).toBe(out.get("config/litestream.yml"));
      expect(result.databases.map((d) => d.path)).toEqual(["/app/data/meds.db"]);
      expect(result.calls).toEqual(
        service === "litestream"
          ? [`replicate -config ${result.configPath}`]
          : [`restore -if-db-not-exists -if-replica-exists -config ${result.configPath} /app/data/meds.db`],
      );
    }
  });

  it("a missing variable stops Compose with the generated message", async () => {
    const dir = projectDir({ "compose.yaml": FIXTURE }, generated(example002, { "compose.yaml": FIXTURE }));
    const result = await composeConfig(inDir(dir, "compose.yaml", "compose.litestream.yaml"), {
      env: { SESSION_SECRET: "x", R2_ACCESS_KEY_ID: "AKIA" },
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain(
      "required variable R2_SECRET_ACCESS_KEY is missing a value: S3 secret access key for Litestream; set it in .env next to the compose file or in the environment",
    );
  });
});

// -- a stack with several volume users, merge keys and extends -------------------------------------

describe("compose, real docker-compose config: every service that mounts the database volume waits", () => {
  const project = withCompose(example002, { appService: "web", file: "users.compose.yaml" });
  const existing = { "users.compose.yaml": USERS, "common.yaml": COMMON };
  const edit = (text: string, p: ProjectInput = project) =>
    generated(withCompose(p, { output: "in-place" }), { ...existing, "users.compose.yaml": text }).get("users.compose.yaml")!;
  const once = edit(USERS);

  it("in place: web, worker, cron (extends) and reports (extends another file) wait, and keep every inherited dependency", async () => {
    const model = await composeModel(inDir(projectDir({ "users.compose.yaml": once, "common.yaml": COMMON }), "users.compose.yaml"), {
      env: ENV,
    });
    expect(waitsFor(model, "litestream-restore")).toEqual({
      web: COMPLETED.condition,
      worker: COMPLETED.condition,
      cron: COMPLETED.condition,
      reports: COMPLETED.condition,
      redis: undefined,
      caddy: undefined,
      litestream: COMPLETED.condition,
      "litestream-restore": undefined,
    });
    // What each service depended on before, per the same binary on the user's file.
    const before = await composeModel(inDir(projectDir(existing), "users.compose.yaml"), { env: ENV });
    for (const name of ["web", "worker", "cron", "reports"]) {
      expect(model.services[name]!.depends_on).toEqual({
        ...before.services[name]!.depends_on,
        "litestream-restore": { ...COMPLETED, required: true },
      });
      const { depends_on: _after, ...rest } = model.services[name]!;
      const { depends_on: _before, ...restBefore } = before.services[name]!;
      expect(rest).toEqual(restBefore);
    }
    expect(model.services.web!.depends_on!.redis).toEqual({ condition: "service_healthy", required: true });
    for (const name of ["redis", "caddy"]) expect(model.services[name]).toEqual(before.services[name]);
  });

  it("the in-place file and base + override describe the same stack", async () => {
    const override = generated(project, existing);
    expect(parse(override.get("compose.litestream.yaml")!).services).toMatchObject({
      web: { depends_on: { "litestream-restore": COMPLETED } },
      worker: { depends_on: { "litestream-restore": COMPLETED } },
      cron: { depends_on: { "litestream-restore": COMPLETED } },
      reports: { depends_on: { "litestream-restore": COMPLETED } },
    });
    const overrideDir = projectDir(existing, override);
    const inPlaceDir = projectDir({ "users.compose.yaml": once, "common.yaml": COMMON });
    const merged = await composeModel(inDir(overrideDir, "users.compose.yaml", "compose.litestream.yaml"), { env: ENV });
    const edited = await composeModel(inDir(inPlaceDir, "users.compose.yaml"), { env: ENV });
    expect(edited).toEqual(JSON.parse(JSON.stringify(merged).replaceAll(overrideDir, inPlaceDir)));
  });

  it("is surgical: the user's lines stay byte for byte, only our lines are added; a second run changes nothing", () => {
    expect(edit(once)).toBe(once);
    const added = new Set(once.split("\n"));
    for (const line of USERS.split("\n")) if (!line.includes("depends_on: [redis]")) expect(added.has(line), line).toBe(true);
    // The user's lines, in order, are the edited file minus what we own.
    const ours = once.slice(once.indexOf("  # Litestream services, managed by litestream-deploy"), once.indexOf("\nvolumes:") + 1);
    const rest = once.replace(ours, "").split("\n");
    const theirs = rest.filter((line) => !/^ {4}depends_on:$|^ {6}(redis|litestream-restore):$|^ {8}condition: /.test(line));
    // The short form becomes the long one (the only way to add a condition); its comment stays.
    expect(theirs.join("\n")).toBe(USERS.replace("    depends_on: [redis] # short", "    depends_on: # short"));
    expect(once).toContain('    command: ["bin/web", "--port", "8080"]   #\tthe app itself (a tab after #)\n    ports: ["8080:8080"]\n');
    expect(once).toContain("    extends: { file: common.yaml, service: reports-base }\n");
  });

  it("keeps a CRLF file with a BOM CRLF, with its BOM, and idempotent", async () => {
    const crlf = `\uFEFF${USERS.replace(/\n/g, "\r\n")}`;
    const updated = edit(crlf);
    expect(updated.startsWith("\uFEFF# Meds")).toBe(true);
    expect(updated.replace(/\r\n/g, "")).not.toContain("\n");
    expect(updated).toBe(`\uFEFF${once.replace(/\n/g, "\r\n")}`);
    expect(edit(updated)).toBe(updated);
    await composeModel(inDir(projectDir({ "users.compose.yaml": updated, "common.yaml": COMMON }), "users.compose.yaml"), { env: ENV });
  });

  it("follows the description: restore off removes our depends_on entries, on again restores the same file", async () => {
    const off = edit(once, { ...project, restoreOnBoot: false });
    expect(off).not.toContain("litestream-restore");
    const model = await composeModel(inDir(projectDir({ "users.compose.yaml": off, "common.yaml": COMMON }), "users.compose.yaml"), {
      env: ENV,
    });
    expect(model.services.web!.depends_on).toEqual({ redis: { condition: "service_healthy", required: true } });
    expect(edit(off)).toBe(once);
  });

  it("refuses a hand-written litestream service (no marker), naming the file and the fix", () => {
    const handWritten = USERS.replace("\n  caddy:", "\n  litestream:\n    image: litestream/litestream:latest\n\n  caddy:");
    for (const output of ["in-place", "override"] as const) {
      let issues: ProjectError["issues"] = [];
      try {
        generated(withCompose(project, { output }), { ...existing, "users.compose.yaml": handWritten });
      } catch (error) {
        issues = (error as ProjectError).issues;
      }
      expect(issues).toHaveLength(1);
      expect(issues[0]!.message).toContain('users.compose.yaml already defines "litestream"');
      expect(issues[0]!.fix).toContain("delete");
    }
  });
});

// -- pre_start (Compose 5.3+) ------------------------------------------------------------------------

describe("compose: restoreStep pre_start (Compose 5.3+)", () => {
  const project = withCompose(example002, {
    appService: "web",
    file: "users.compose.yaml",
    restoreStep: "pre_start",
    version: "5.3.0",
    output: "in-place",
  });
  const existing = { "users.compose.yaml": USERS, "common.yaml": COMMON };
  const text = generated(project, existing).get("users.compose.yaml")!;

  it("one restore step, on the replicator; every volume user waits for the replicator to start", () => {
    const model = parse(text, { merge: true });
    expect(Object.keys(model.services)).not.toContain("litestream-restore");
    const steps = model.services.litestream.pre_start;
    expect(steps).toHaveLength(1);
    expect(steps[0]).toMatchObject({ image: "litestream/litestream:0.5.17", entrypoint: ["/bin/sh", "-c"] });
    expect(model.services.litestream.depends_on).toBeUndefined();
    for (const name of ["web", "worker", "reports"])
      expect(model.services[name].depends_on.litestream).toEqual({ condition: "service_started" });
    expect(generated(project, { ...existing, "users.compose.yaml": text }).get("users.compose.yaml")).toBe(text);
  });

  it("Compose 2.26.1 does not know pre_start (so the gate is needed); without the step the rest loads, and the step's script restores", async () => {
    const dir = projectDir({ "users.compose.yaml": text, "common.yaml": COMMON });
    const refused = await composeConfig(inDir(dir, "users.compose.yaml"), { env: ENV });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/pre_start/);
    const model = parse(text, { merge: true });
    const step = model.services.litestream.pre_start[0];
    delete model.services.litestream.pre_start;
    // The step as a service of its own, so the real binary interpolates its script and environment.
    model.services["pre-start-step"] = { ...step, volumes: model.services.litestream.volumes };
    writeFileSync(path.join(dir, "users.compose.yaml"), JSON.stringify(model));
    const loaded = await composeModel(inDir(dir, "users.compose.yaml"), { env: ENV });
    expect(waitsFor(loaded, "litestream")).toMatchObject({
      web: "service_started",
      worker: "service_started",
      cron: "service_started",
      reports: "service_started",
    });
    const result = await runServiceScript(loaded, "pre-start-step", "0.5");
    expect(result.calls).toEqual([`restore -if-db-not-exists -if-replica-exists -config ${result.configPath} /app/data/meds.db`]);
  });

  it("switching between the restore service and the pre_start step, and back, gives the same file", () => {
    const viaService = generated(withCompose(project, { restoreStep: "service" }), existing).get("users.compose.yaml")!;
    const switched = generated(project, { ...existing, "users.compose.yaml": viaService }).get("users.compose.yaml")!;
    expect(switched).toBe(text);
    expect(
      generated(withCompose(project, { restoreStep: "service" }), { ...existing, "users.compose.yaml": switched }).get(
        "users.compose.yaml",
      ),
    ).toBe(viaService);
  });

  it("the step's script is shellcheck-clean", async () => {
    const script = unescape(parse(text, { merge: true }).services.litestream.pre_start[0].command[0]);
    const result = await new Promise<{ code: number; out: string }>((resolve) => {
      const child = execFile("shellcheck", ["-s", "sh", "-"], { encoding: "utf8" }, (err, stdout, stderr) =>
        resolve({ code: err ? 1 : 0, out: stdout + stderr }),
      );
      child.stdin!.end(script);
    });
    expect(result.out).toBe("");
    expect(result.code).toBe(0);
  });

  it("is refused below Compose 5.3 and without the heredoc delivery", () => {
    const issues = (p: ProjectInput) => {
      try {
        generate(p, { existing: (f) => (existing as Record<string, string>)[f] });
      } catch (error) {
        return (error as ProjectError).issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      }
      return [];
    };
    expect(issues(withCompose(project, { version: "2.29.1" }))).toEqual([
      'targets.compose.restoreStep: restoreStep "pre_start" needs Docker Compose 5.3.0 or later (pre_start steps); 2.29.1 would reject the file',
    ]);
    expect(issues(withCompose(project, { configDelivery: "bind" }))).toEqual([
      'targets.compose.restoreStep: restoreStep "pre_start" writes the config inside its step, so it needs configDelivery "heredoc" (not "bind")',
    ]);
  });
});

// -- boot order, run with the real binaries ---------------------------------------------------------

/** The order `docker compose up` starts services in: every service after what it depends on. */
function bootOrder(model: ComposeModel): string[] {
  const order: string[] = [];
  const visit = (name: string, path: string[]) => {
    if (order.includes(name)) return;
    if (path.includes(name)) throw new Error(`dependency cycle ${[...path, name].join(" → ")}`);
    for (const dependency of Object.keys(model.services[name]!.depends_on ?? {})) visit(dependency, [...path, name]);
    order.push(name);
  };
  for (const name of Object.keys(model.services).sort()) visit(name, []);
  return order;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name);
}

describe("compose: boot order with the restore service's script and the real Litestream binaries (file replica)", () => {
  for (const line of ["0.3", "0.5"] as const) {
    it(`${line}: no backup → fresh; lost → restored before the app runs; present → untouched; 0-byte → restored`, async () => {
      const dir = makeTempDir(`compose-boot-${line}`);
      const data = path.join(dir, "data");
      const replica = path.join(dir, "replica");
      mkdirSync(data);
      const db = path.join(data, "meds.db");
      const userFile = [
        "services:",
        "  app:",
        "    image: ghcr.io/example/meds:1",
        "    volumes:",
        `      - meds_data:${data}`,
        "  worker:",
        "    image: ghcr.io/example/meds:1",
        "    volumes:",
        `      - meds_data:${data}`,
        "",
      ].join("\n");
      const project: ProjectInput = {
        name: "meds",
        litestream: { version: line },
        storage: { provider: "file", path: replica },
        replication: { syncInterval: "1s" },
        databases: [{ name: "meds", path: db }],
        targets: { compose: { appService: "app", volume: `meds_data:${data}`, output: "in-place" } },
      };
      const edited = generated(project, { "compose.yaml": userFile }).get("compose.yaml")!;
      const model = await composeModel(inDir(projectDir({ "compose.yaml": edited }), "compose.yaml"));
      const order = bootOrder(model);
      expect(order.indexOf("litestream-restore")).toBeLessThan(order.indexOf("app"));
      expect(order.indexOf("litestream-restore")).toBeLessThan(order.indexOf("worker"));
      const bin = path.dirname(binaryFor(line));
      const scriptOf = (service: string) => unescape((model.services[service] as { command: string[] }).command[0]!);
      const envOf = (service: string) => ({
        ...((model.services[service] as { environment?: Record<string, string> }).environment ?? {}),
        LITESTREAM_CONFIG: path.join(dir, `${service}.yml`),
        PATH: `${bin}:/usr/bin:/bin`,
        HOME: dir,
      });

      /** `docker compose up`, as far as the database is concerned: each service in boot order; the app reads its rows. */
      const up = async (): Promise<string[] | "no database"> => {
        let seen: string[] | "no database" = "no database";
        for (const service of order) {
          if (service === "litestream-restore") {
            const result = await run("/bin/sh", ["-c", scriptOf(service)], envOf(service));
            expect(result.code, result.stdout + result.stderr).toBe(0);
          } else if (service === "app") {
            seen = existsSync(db) ? await readRows(db) : "no database";
          }
        }
        return seen;
      };

      // 1. No backup yet: the restore succeeds and the app starts fresh.
      expect(await up()).toBe("no database");

      // 2. The app writes; the replicator (its own script, exec'ing the real binary) ships it and syncs on SIGTERM.
      await createWalDb(db);
      await insertRows(db, 1, 50);
      const replicator = spawn("/bin/sh", ["-c", scriptOf("litestream")], { env: envOf("litestream"), stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      replicator.stdout!.on("data", (d: Buffer) => (output += d));
      replicator.stderr!.on("data", (d: Buffer) => (output += d));
      const exited = new Promise<number | null>((resolve) => replicator.once("close", resolve));
      try {
        for (let waited = 0; filesUnder(replica).length === 0; waited += 100) {
          if (replicator.exitCode !== null || waited > 30_000) throw new Error(`nothing replicated:\n${output}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        await new Promise((r) => setTimeout(r, 1500)); // one more sync interval, so the rows are in the replica
      } finally {
        replicator.kill("SIGTERM");
      }
      expect(await exited, output).toBe(0);

      // 3. The volume is lost: the rows are back before the app runs.
      for (const suffix of ["", "-wal", "-shm"]) rmSync(db + suffix, { force: true });
      expect(await up()).toEqual(expectedRows(1, 50));

      // 4. The database is there: the restore leaves it alone.
      await insertRows(db, 51, 60);
      expect(await up()).toEqual(expectedRows(1, 60));

      // 5. An app opened the file before the restore (0 bytes, no -wal): the backup is restored over it.
      for (const suffix of ["", "-wal", "-shm"]) rmSync(db + suffix, { force: true });
      writeFileSync(db, "");
      expect(await up()).toEqual(expectedRows(1, 50));
    }, 90_000);
  }
});
