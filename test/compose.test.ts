// The Docker Compose target (seed 002), proven with real tools: the real `docker-compose config`
// (Compose 2.26.1) for interpolation and merging, the official compose-spec JSON schema (bundled by
// dclint) through ajv, real `sh`, shellcheck. test/compose-real.test.ts runs the scripts with the
// real Litestream binaries.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Ajv } from "ajv";
import { parse } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { generate, ProjectError, type Artifact, type ProjectInput } from "../src/index.js";
import example002 from "../examples/002-compose-r2/litestream.config.js";
import { composeConfig, composeModel } from "./harness/compose.js";
import { listDatabases } from "./harness/litestream.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

const require = createRequire(import.meta.url);
const FIXTURE = readFileSync(new URL("fixtures/compose/compose.yaml", import.meta.url), "utf8");
/** What the user would have in .env (or Portainer's stack variables). */
const SAMPLE_ENV = { R2_ACCESS_KEY_ID: "AKIAEXAMPLE", R2_SECRET_ACCESS_KEY: "s3cr3t/with$dollar", SESSION_SECRET: "x" };

// -- the official compose-spec schema, from an npm package ---------------------------------------

const validateSchema = (() => {
  const file = path.join(path.dirname(require.resolve("dclint/package.json")), "schemas", "compose.schema.json");
  const schema = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  delete schema.$schema; // ajv's default draft-07 meta-schema; the URL form in the file is not registered
  return new Ajv({ allErrors: true, strict: false }).compile(schema);
})();

type Json = Record<string, any>;

/** Parses a compose file as Compose does (YAML core schema, merge keys) and validates it. */
function expectValidCompose(text: string): Json {
  const model = parse(text, { merge: true }) as Json;
  const valid = validateSchema(model);
  expect(valid, JSON.stringify(validateSchema.errors, null, 2)).toBe(true);
  for (const [name, service] of Object.entries(model.services as Json)) {
    const test = service.healthcheck?.test;
    if (test) expect(["CMD", "CMD-SHELL", "NONE"], `${name} healthcheck`).toContain(Array.isArray(test) ? test[0] : "CMD-SHELL");
    if ("restart" in service) expect(typeof service.restart, `${name} restart`).toBe("string");
  }
  // A YAML 1.1 reader must see the same strings (restart: "no" quoted).
  const v11 = parse(text, { merge: true, version: "1.1" }) as Json;
  for (const [name, service] of Object.entries(v11.services as Json)) {
    if ("restart" in service) expect(typeof service.restart, `${name} restart under YAML 1.1`).toBe("string");
  }
  return model;
}

// -- descriptions ---------------------------------------------------------------------------------

type ComposeInput = NonNullable<NonNullable<ProjectInput["targets"]>["compose"]>;

function withCompose(project: ProjectInput, compose: Partial<ComposeInput>, rest: Partial<ProjectInput> = {}): ProjectInput {
  return { ...project, ...rest, targets: { ...project.targets, compose: { ...project.targets!.compose!, ...compose } } };
}

function files(project: ProjectInput, existing: Record<string, string> = {}): Map<string, Artifact> {
  const result = generate(project, { existing: (p) => existing[p] });
  return new Map(result.files.map((f) => [f.path, f]));
}

function file(map: Map<string, Artifact>, name: string): string {
  const artifact = map.get(name);
  expect(artifact, `${name} among ${[...map.keys()].join(", ")}`).toBeDefined();
  return artifact!.content;
}

function issuesOf(project: ProjectInput, existing: Record<string, string> = {}): Array<{ path: string; message: string; fix?: string }> {
  try {
    generate(project, { existing: (p) => existing[p] });
  } catch (error) {
    expect(error).toBeInstanceOf(ProjectError);
    return (error as ProjectError).issues.map((i) => ({ ...i, path: i.path.join(".") }));
  }
  throw new Error("expected the description to be refused");
}

/** The description as a user of 0.3 would write it: two databases, R2 plus an SFTP copy. */
const project03: ProjectInput = withCompose(
  example002,
  {},
  {
    litestream: { version: "0.3" },
    storage: undefined,
    replicas: [
      example002.storage!,
      {
        provider: "sftp",
        name: "offsite",
        host: "backup.example.com:22",
        user: "meds",
        path: "/srv/backups",
        password: { env: "OFFSITE_PASSWORD" },
      },
    ],
    databases: [
      { name: "meds", path: "/app/data/meds.db" },
      { name: "audit", path: "/app/data/audit log.db" },
    ],
  },
);

// -- running the heredoc scripts ------------------------------------------------------------------

afterAll(cleanupTempDirs);

function run(
  command: string,
  args: string[],
  env: Record<string, string>,
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { env, timeout: 30_000, encoding: "utf8" }, (err, stdout, stderr) => {
      if (err && typeof (err as NodeJS.ErrnoException).code === "string") reject(err);
      else resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin!.end(input);
  });
}

/** Writes the compose files (the first is the user's, FIXTURE unless given) into a project directory. */
function composeDir(override: string, base: string = FIXTURE): string[] {
  const dir = makeTempDir("compose-files");
  writeFileSync(path.join(dir, "compose.yaml"), base);
  writeFileSync(path.join(dir, "compose.litestream.yaml"), override);
  return [path.join(dir, "compose.yaml"), path.join(dir, "compose.litestream.yaml")];
}

/** `docker-compose config` output writes every literal $ as $$ (it can be read again): undo that. */
const unescape = (text: string) => text.replaceAll("$$", "$");

/**
 * A container's view of one service after the real `docker compose config` (base FIXTURE +
 * override): its script (command[0] under entrypoint ["/bin/sh", "-c"]) and its environment.
 */
async function serviceAfterInterpolation(
  override: string,
  service: string,
  env: Record<string, string>,
): Promise<{ script: string; environment: Record<string, string> }> {
  const model = await composeModel(composeDir(override), { env });
  const definition = model.services[service] as Json;
  expect(definition.entrypoint).toEqual(["/bin/sh", "-c"]);
  expect(definition.command).toHaveLength(1);
  const environment = Object.fromEntries(
    Object.entries((definition.environment ?? {}) as Record<string, string>).map(([k, v]) => [k, unescape(v)]),
  );
  return { script: unescape(definition.command[0]), environment };
}

/**
 * Runs a heredoc script with real `sh` as the container would, with its interpolated environment.
 * The ONLY change is LITESTREAM_CONFIG, the variable the script writes the config to: it points
 * into a temp directory instead of /tmp/litestream.yml. The script text itself runs unmodified.
 * `litestream` on PATH is a recorder that writes its arguments to a file.
 */
async function runHeredoc(script: string, environment: Record<string, string>) {
  const dir = makeTempDir("compose-heredoc");
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  const argsFile = path.join(dir, "litestream-args");
  writeFileSync(path.join(bin, "litestream"), `#!/bin/sh\nprintf '%s\\n' "$@" >> '${argsFile}'\n`, { mode: 0o755 });
  const configPath = path.join(dir, "litestream.yml");
  const env = { ...environment, LITESTREAM_CONFIG: configPath, PATH: `${bin}:/usr/bin:/bin`, HOME: dir };
  const result = await run("/bin/sh", ["-c", script], env);
  return {
    ...result,
    configPath,
    config: existsSync(configPath) ? readFileSync(configPath, "utf8") : undefined,
    args: existsSync(argsFile) ? readFileSync(argsFile, "utf8").split("\n").slice(0, -1) : [],
    env,
  };
}

async function expectShellcheckClean(script: string): Promise<void> {
  const result = await run("shellcheck", ["-s", "sh", "-"], { PATH: "/usr/bin:/bin" }, script);
  expect(result.stdout + result.stderr, "shellcheck").toBe("");
  expect(result.code).toBe(0);
}

// -- example 002 ----------------------------------------------------------------------------------

describe("compose: example 002 (Litestream 0.5, R2, heredoc)", () => {
  const override = files(example002, { "compose.yaml": FIXTURE });
  const inPlace = files(withCompose(example002, { output: "in-place" }), { "compose.yaml": FIXTURE });
  const config = file(override, "config/litestream.yml");

  it("writes compose.litestream.yaml and the in-place compose.yaml (snapshots)", async () => {
    expect([...override.keys()].sort()).toEqual(["compose.litestream.yaml", "config/litestream.yml", "deploy/operations/RUNBOOK.md"]);
    expect(override.get("compose.litestream.yaml")).toMatchObject({ kind: "compose-override", ownership: "generated" });
    expect(inPlace.get("compose.yaml")).toMatchObject({ kind: "compose", ownership: "shared" });
    await expect(file(override, "compose.litestream.yaml")).toMatchFileSnapshot("../snapshots/002-compose-r2/compose.litestream.yaml");
    await expect(file(inPlace, "compose.yaml")).toMatchFileSnapshot("../snapshots/002-compose-r2/compose.yaml");
  });

  it("the user's compose file only feeds the checks of the override: without it the file is the same", () => {
    expect(file(files(example002), "compose.litestream.yaml")).toBe(file(override, "compose.litestream.yaml"));
  });

  it("both validate against the compose-spec schema", () => {
    const model = expectValidCompose(file(override, "compose.litestream.yaml"));
    expect(Object.keys(model.services)).toEqual(["app", "litestream-restore", "litestream"]);
    expect(model.services.app).toEqual({ depends_on: { "litestream-restore": { condition: "service_completed_successfully" } } });
    expect(model.volumes).toEqual({ meds_data: {} });
    expectValidCompose(file(inPlace, "compose.yaml"));
  });

  it("pins the image, restarts the replicator, runs the restore once and mounts the volume read-write", () => {
    const { services } = parse(file(override, "compose.litestream.yaml")) as Json;
    for (const name of ["litestream", "litestream-restore"]) {
      expect(services[name].image).toBe("litestream/litestream:0.5.17");
      expect(services[name].volumes).toEqual(["meds_data:/app/data"]);
      expect(services[name].environment).toMatchObject({
        LITESTREAM_ACCESS_KEY_ID: expect.stringMatching(/^\$\{R2_ACCESS_KEY_ID:\?[^}$]+\}$/),
        LITESTREAM_SECRET_ACCESS_KEY: expect.stringMatching(/^\$\{R2_SECRET_ACCESS_KEY:\?[^}$]+\}$/),
      });
    }
    expect(services.litestream.restart).toBe("unless-stopped");
    expect(services["litestream-restore"].restart).toBe("no");
    expect(services.litestream.depends_on).toEqual({ "litestream-restore": { condition: "service_completed_successfully" } });
    expect(services.litestream.healthcheck.test).toEqual(["CMD", "litestream", "databases"]);
  });

  it("a missing or empty variable stops `docker compose up` with a clear message (real docker-compose config)", async () => {
    const compose = file(override, "compose.litestream.yaml");
    const missing = await composeConfig(composeDir(compose), { env: { ...SAMPLE_ENV, R2_SECRET_ACCESS_KEY: "" } });
    expect(missing.code).toBe(15);
    expect(missing.stderr).toContain(
      "required variable R2_SECRET_ACCESS_KEY is missing a value: S3 secret access key for Litestream; set it in .env next to the compose file or in the environment",
    );
    const ok = await composeConfig(composeDir(compose), { env: SAMPLE_ENV });
    expect(ok.stderr).toBe("");
    const { environment } = await serviceAfterInterpolation(compose, "litestream", SAMPLE_ENV);
    expect(environment).toEqual({
      LITESTREAM_ACCESS_KEY_ID: "AKIAEXAMPLE",
      LITESTREAM_SECRET_ACCESS_KEY: "s3cr3t/with$dollar",
      LITESTREAM_CONFIG: "/tmp/litestream.yml",
    });
  });

  for (const [label, service, expectedArgs] of [
    ["replicator", "litestream", (config: string) => ["replicate", "-config", config]],
    [
      "restore",
      "litestream-restore",
      (config: string) => ["restore", "-if-db-not-exists", "-if-replica-exists", "-config", config, "/app/data/meds.db"],
    ],
  ] as const) {
    it(`${label}: after interpolation, real sh writes exactly litestream.yml, then runs ${expectedArgs("<config>").slice(0, 2).join(" ")}`, async () => {
      const { script, environment } = await serviceAfterInterpolation(file(override, "compose.litestream.yaml"), service, SAMPLE_ENV);
      const result = await runHeredoc(script, environment);
      expect(result.stderr).toBe("");
      expect(result.code).toBe(0);
      expect(result.config).toBe(config);
      expect(result.args).toEqual(expectedArgs(result.configPath));
      await expectShellcheckClean(script);
    });
  }
});

describe("compose: $$ escaping keeps Litestream's own ${...} references", () => {
  it("0.5 heartbeat: the config's ${LITESTREAM_HEARTBEAT_URL} reaches the file byte for byte", async () => {
    const project = withCompose(example002, {}, { heartbeat: { url: { env: "HEALTHCHECKS_URL" } } });
    const out = files(project);
    const config = file(out, "config/litestream.yml");
    const compose = file(out, "compose.litestream.yaml");
    expect(config).toContain("heartbeat-url: ${LITESTREAM_HEARTBEAT_URL}");
    expect(compose).toContain("heartbeat-url: $${LITESTREAM_HEARTBEAT_URL}");
    expectValidCompose(compose);
    const env = { ...SAMPLE_ENV, HEALTHCHECKS_URL: "https://hc-ping.com/abc" };
    const { script, environment } = await serviceAfterInterpolation(compose, "litestream", env);
    expect(environment.LITESTREAM_HEARTBEAT_URL).toBe("https://hc-ping.com/abc");
    const result = await runHeredoc(script, environment);
    expect(result.code).toBe(0);
    expect(result.config).toBe(config);
  });

  it("0.3: the real Litestream binary lists every database of the file the script wrote", async () => {
    const out = files(project03);
    const config = file(out, "config/litestream.yml");
    const compose = file(out, "compose.litestream.yaml");
    expect(config).toContain("password: ${LITESTREAM_SFTP_PASSWORD}");
    expectValidCompose(compose);
    const env = { ...SAMPLE_ENV, OFFSITE_PASSWORD: "pa$$word" };
    for (const service of ["litestream", "litestream-restore"]) {
      const { script, environment } = await serviceAfterInterpolation(compose, service, env);
      expect(environment.LITESTREAM_SFTP_PASSWORD).toBe("pa$$word");
      const result = await runHeredoc(script, environment);
      expect(result.code, result.stderr).toBe(0);
      expect(result.config).toBe(config);
      await expectShellcheckClean(script);
      const databases = await listDatabases(result.configPath, environment);
      expect(databases).toEqual([
        { path: "/app/data/meds.db", replicas: ["r2", "offsite"] },
        { path: "/app/data/audit log.db", replicas: ["r2", "offsite"] },
      ]);
      if (service === "litestream-restore") {
        // One restore per database, flags first, each path exactly as in the config (even with a space);
        // the recorder leaves no file, so nothing is set aside.
        expect(result.args).toEqual([
          ...["restore", "-if-db-not-exists", "-if-replica-exists", "-config", result.configPath, "/app/data/meds.db"],
          ...["restore", "-if-db-not-exists", "-if-replica-exists", "-config", result.configPath, "/app/data/audit log.db"],
        ]);
      }
    }
    await expect(compose).toMatchFileSnapshot("../snapshots/002-compose-r2/litestream-0.3/compose.litestream.yaml");
  });
});

// -- configs and bind -----------------------------------------------------------------------------

describe("compose: configDelivery configs and bind", () => {
  it("configs: top-level configs.content, interpolated by Compose into exactly litestream.yml", async () => {
    const project = withCompose(
      example002,
      { configDelivery: "configs", version: "2.29.1" },
      { heartbeat: { url: { env: "HEALTHCHECKS_URL" } } },
    );
    const out = files(project, { "compose.yaml": FIXTURE });
    const compose = file(out, "compose.litestream.yaml");
    await expect(compose).toMatchFileSnapshot("../snapshots/002-compose-r2/configs/compose.litestream.yaml");
    expectValidCompose(compose);
    const value = (await composeModel(composeDir(compose), {
      env: { ...SAMPLE_ENV, HEALTHCHECKS_URL: "https://hc-ping.com/abc" },
    })) as Json;
    expect(unescape(value.configs.litestream.content)).toBe(file(out, "config/litestream.yml"));
    for (const service of ["litestream", "litestream-restore"]) {
      expect(value.services[service].configs).toEqual([{ source: "litestream", target: "/etc/litestream.yml" }]);
    }
    expect(value.services.litestream.entrypoint ?? null).toBeNull(); // the image's own: litestream
    expect(value.services.litestream.command).toEqual(["replicate", "-config", "/etc/litestream.yml"]);
    // The restore is a script (to set a 0-byte database aside) reading the mounted config.
    const restore = await serviceAfterInterpolation(compose, "litestream-restore", { ...SAMPLE_ENV, HEALTHCHECKS_URL: "x" });
    const result = await runHeredoc(restore.script, restore.environment);
    expect(result.code, result.stderr).toBe(0);
    expect(result.args).toEqual([
      "restore",
      "-if-db-not-exists",
      "-if-replica-exists",
      "-config",
      "/etc/litestream.yml",
      "/app/data/meds.db",
    ]);
    await expectShellcheckClean(restore.script);
  });

  it("bind: the generated litestream.yml mounted read-only next to a read-write data volume", async () => {
    const out = files(withCompose(example002, { configDelivery: "bind" }), { "compose.yaml": FIXTURE });
    const compose = file(out, "compose.litestream.yaml");
    await expect(compose).toMatchFileSnapshot("../snapshots/002-compose-r2/bind/compose.litestream.yaml");
    const model = expectValidCompose(compose);
    for (const service of ["litestream", "litestream-restore"]) {
      const [data, configMount] = model.services[service].volumes;
      expect(data).toBe("meds_data:/app/data");
      expect(configMount).toEqual({
        type: "bind",
        source: "./config/litestream.yml",
        target: "/etc/litestream.yml",
        read_only: true,
        bind: { create_host_path: false },
      });
      // Relative to the project directory (the compose file's), the source is the config artifact.
      expect(path.posix.join(".", configMount.source)).toBe("config/litestream.yml");
      expect(out.has(path.posix.join(".", configMount.source))).toBe(true);
    }
  });

  it("bind: with the compose file in a subdirectory, paths stay relative to it", () => {
    const out = files(withCompose(example002, { configDelivery: "bind", file: "deploy/compose.yaml" }), { "deploy/compose.yaml": FIXTURE });
    const model = expectValidCompose(file(out, "deploy/compose.litestream.yaml"));
    expect(model.services.litestream.volumes[1].source).toBe("../config/litestream.yml");
  });

  it("scratch image: exec-form commands only, one restore service per database, a user to write as", () => {
    const project = withCompose(
      project03,
      { configDelivery: "configs", version: "2.24.0", user: "1000:1000" },
      { litestream: { version: "0.5", image: "litestream/litestream:0.5.16-scratch" }, replicas: undefined, storage: example002.storage },
    );
    const model = expectValidCompose(file(files(project), "compose.litestream.yaml"));
    expect(Object.keys(model.services)).toEqual(["app", "litestream-restore-meds", "litestream-restore-audit", "litestream"]);
    expect(model.services.app.depends_on).toEqual({
      "litestream-restore-meds": { condition: "service_completed_successfully" },
      "litestream-restore-audit": { condition: "service_completed_successfully" },
    });
    expect(model.services["litestream-restore-audit"].command).toEqual([
      "restore",
      "-if-db-not-exists",
      "-if-replica-exists",
      "-config",
      "/etc/litestream.yml",
      "/app/data/audit log.db",
    ]);
    for (const service of Object.values(model.services as Json).slice(1)) {
      expect(service.entrypoint).toBeUndefined();
      expect(service.user).toBe("1000:1000");
    }
  });

  it("scratch image without a user: a warning about UID 65532", () => {
    const project = withCompose(
      example002,
      { configDelivery: "bind" },
      { litestream: { version: "0.5", image: "litestream/litestream:0.5.16-scratch" } },
    );
    const { warnings } = generate(project);
    expect(warnings).toContainEqual({ path: ["targets", "compose", "user"], message: expect.stringContaining("runs as UID 65532") });
  });
});

describe("compose: 1Password references", () => {
  it("need `op run --env-file`: the env file holds the references, Compose requires the resolved variables", async () => {
    const project = withCompose(
      example002,
      {},
      {
        storage: {
          ...example002.storage!,
          credentials: { accessKeyId: { op: "op://meds/r2/access_key_id" }, secretAccessKey: "op://meds/r2/secret_access_key" },
        } as ProjectInput["storage"],
      },
    );
    const out = files(project);
    const envFile = out.get("litestream.op.env")!;
    expect(envFile).toMatchObject({ kind: "compose-env", ownership: "generated" });
    await expect(envFile.content).toMatchFileSnapshot("../snapshots/002-compose-r2/1password/litestream.op.env");
    expect(envFile.content).toContain(
      "LITESTREAM_ACCESS_KEY_ID=op://meds/r2/access_key_id\nLITESTREAM_SECRET_ACCESS_KEY=op://meds/r2/secret_access_key\n",
    );
    const compose = file(out, "compose.litestream.yaml");
    expectValidCompose(compose);
    // One variable missing at a time: Compose reports the first it meets, in no fixed order.
    const missing = await composeConfig(composeDir(compose), { env: { SESSION_SECRET: "x", LITESTREAM_SECRET_ACCESS_KEY: "s" } });
    expect(missing.stderr).toContain(
      "required variable LITESTREAM_ACCESS_KEY_ID is missing a value: S3 access key id for Litestream; a 1Password reference: start the stack with op run --env-file litestream.op.env -- docker compose -f compose.yaml -f compose.litestream.yaml up -d",
    );
    // `op run` resolves the references and exports them under the same names.
    const { environment } = await serviceAfterInterpolation(compose, "litestream", {
      SESSION_SECRET: "x",
      LITESTREAM_ACCESS_KEY_ID: "AKIA",
      LITESTREAM_SECRET_ACCESS_KEY: "s",
    });
    expect(environment).toMatchObject({ LITESTREAM_ACCESS_KEY_ID: "AKIA", LITESTREAM_SECRET_ACCESS_KEY: "s" });
    expect(compose).not.toContain("op://");
  });
});

// -- in-place update ------------------------------------------------------------------------------

describe("compose: in-place update of the user's compose file", () => {
  const project = withCompose(example002, { output: "in-place" });
  const update = (text: string, p: ProjectInput = project) => file(files(p, { "compose.yaml": text }), "compose.yaml");
  const once = update(FIXTURE);

  it("is idempotent", () => {
    expect(update(once)).toBe(once);
  });

  it("loses nothing: every comment, anchor, service, network and volume of the fixture is still there", () => {
    const commentLines = FIXTURE.split("\n").filter((line) => line.includes("#"));
    for (const line of commentLines) expect(once).toContain(line);
    expect(once).toContain("x-logging: &default-logging");
    expect(once.match(/\*default-logging/g)).toHaveLength(2);
    const before = parse(FIXTURE, { merge: true }) as Json;
    const after = expectValidCompose(once);
    expect(after.name).toBe(before.name);
    expect(after.networks).toEqual(before.networks);
    expect(after.volumes).toEqual(before.volumes);
    expect(after["x-logging"]).toEqual(before["x-logging"]);
    for (const name of ["redis", "caddy"]) expect(after.services[name]).toEqual(before.services[name]);
    const { depends_on: oldDeps, ...appBefore } = before.services.app;
    const { depends_on: newDeps, ...appAfter } = after.services.app;
    expect(appAfter).toEqual(appBefore);
    expect(oldDeps).toEqual(["redis"]);
    // Short syntax is condition service_started; the long form keeps that and adds the restore.
    expect(newDeps).toEqual({
      redis: { condition: "service_started" },
      "litestream-restore": { condition: "service_completed_successfully" },
    });
    expect(Object.keys(after.services)).toEqual(["app", "redis", "caddy", "litestream-restore", "litestream"]);
  });

  it("the unchanged part of the file is byte-for-byte the user's text", () => {
    const head = FIXTURE.slice(0, FIXTURE.indexOf("    depends_on:"));
    expect(once.startsWith(head)).toBe(true);
    const tail = FIXTURE.slice(FIXTURE.indexOf("\nnetworks:"));
    expect(once.endsWith(tail)).toBe(true);
  });

  it("keeps a CRLF file CRLF", () => {
    const crlf = FIXTURE.replace(/\n/g, "\r\n");
    const updated = update(crlf);
    expect(updated).toBe(once.replace(/\n/g, "\r\n"));
    expect(update(updated)).toBe(updated);
  });

  it("declares the named volume when the file does not, and keeps the user's quirky scalars as written", () => {
    const text = [
      "services:",
      "  app:",
      "    image: app:1",
      "    volumes: [meds_data:/app/data]",
      "    environment:",
      "      MODE: 0644",
      "      FLAG: on",
      "    ports:",
      "      - 22:22",
      "",
    ].join("\n");
    const updated = update(text);
    expect(updated.startsWith(text.split("\n").slice(0, 9).join("\n"))).toBe(true);
    const model = expectValidCompose(updated);
    expect(model.volumes).toEqual({ meds_data: {} });
    expect(update(updated)).toBe(updated);
  });

  it("refuses a hand-written sidecar from the seed (latest image, started after the app) instead of taking it over", () => {
    const seedStyle = FIXTURE.replace(
      "\n  caddy:",
      [
        "",
        "  # Litestream - SQLite replication to S3-compatible storage",
        "  litestream:",
        "    image: litestream/litestream:latest",
        "    restart: unless-stopped",
        "    depends_on:",
        "      - app",
        "",
        "  caddy:",
      ].join("\n"),
    );
    expect(issuesOf(project, { "compose.yaml": seedStyle })).toEqual([
      {
        path: "targets.compose.file",
        message:
          'compose.yaml already defines "litestream", written by hand (no "Litestream services, managed by litestream-deploy" comment above it): updating in place would replace it with the generated services',
        fix: "delete or rename it in compose.yaml (the generated services take over its job), then generate again",
        code: "compose.service-hand-written",
      },
    ]);
    // Doing what the fix says works.
    const deleted = seedStyle.replace(/\n {2}# Litestream - SQLite[^]*?\n\n(?= {2}caddy:)/, "\n");
    expect(deleted).toBe(FIXTURE);
    expect(update(deleted)).toBe(once);
  });

  it("the surgical edit changes only our lines: the fixture minus them is the fixture", () => {
    const ours = once.slice(once.indexOf("\n  # Litestream services, managed by litestream-deploy"), once.indexOf("\nnetworks:"));
    const withoutServices = once.replace(ours, "");
    expect(withoutServices).toBe(
      FIXTURE.replace(
        "    depends_on:\n      - redis\n",
        "    depends_on:\n      redis:\n        condition: service_started\n      litestream-restore:\n        condition: service_completed_successfully\n",
      ),
    );
  });

  it("follows changes of the description: configs added then removed, restore turned off and on", () => {
    const configs = update(once, withCompose(project, { configDelivery: "configs", version: "2.29.1" }));
    expect(expectValidCompose(configs).configs.litestream.content).toBe(
      file(files(project, { "compose.yaml": FIXTURE }), "config/litestream.yml"),
    );
    expect(update(configs)).toBe(once);

    const noRestore = update(once, { ...project, restoreOnBoot: false });
    const model = expectValidCompose(noRestore);
    expect(Object.keys(model.services)).toEqual(["app", "redis", "caddy", "litestream"]);
    expect(model.services.app.depends_on).toEqual({ redis: { condition: "service_started" } });
    expect(model.services.litestream.depends_on).toBeUndefined();
    expect(update(noRestore)).toBe(once);
  });
});

// -- refusals -------------------------------------------------------------------------------------

describe("compose: refusals (all reported at once, with the path to fix)", () => {
  it("a read-only data volume", () => {
    const issues = issuesOf(withCompose(example002, { volume: "meds_data:/app/data:ro" }));
    expect(issues).toEqual([
      {
        path: "targets.compose.volume",
        message: expect.stringContaining('"meds_data:/app/data:ro" mounts the data read-only: Litestream must write next to the database'),
        fix: 'drop ":ro" (only the config file may be read-only): "meds_data:/app/data"',
        code: "compose.volume-read-only",
      },
    ]);
    expect(issues[0]!.message).toContain('"attempt to write a readonly database"');
  });

  it("an app service with deploy.replicas > 1 (two writers), also through a variable's default", () => {
    const replicas = FIXTURE.replace(
      "    restart: unless-stopped\n    logging: *default-logging\n    environment:",
      "    restart: unless-stopped\n    deploy:\n      replicas: 2\n    logging: *default-logging\n    environment:",
    );
    expect(replicas).not.toBe(FIXTURE);
    expect(issuesOf(example002, { "compose.yaml": replicas })).toEqual([
      {
        path: "targets.compose.appService",
        message: expect.stringMatching(
          /^service "app" in compose\.yaml runs 2 copies \(deploy\.replicas\/scale\): two copies are two writers of one database/,
        ),
        fix: "run the app as a single copy (remove deploy.replicas/scale or set it to 1)",
        code: "compose.app-replicas",
      },
    ]);
    const scaled = FIXTURE.replace(
      "    image: ghcr.io/example/meds:1.8.2\n",
      "    image: ghcr.io/example/meds:1.8.2\n    scale: ${APP_SCALE:-3}\n",
    );
    expect(issuesOf(example002, { "compose.yaml": scaled })[0]!.message).toContain("runs 3 copies");
    const single = FIXTURE.replace(
      "    image: ghcr.io/example/meds:1.8.2\n",
      "    image: ghcr.io/example/meds:1.8.2\n    deploy: { replicas: 1 }\n",
    );
    expect(files(example002, { "compose.yaml": single }).has("compose.litestream.yaml")).toBe(true);
  });

  it("the heredoc delivery on a shell-less -scratch image", () => {
    const issues = issuesOf(withCompose(example002, {}, { litestream: { version: "0.5", image: "litestream/litestream:0.5.16-scratch" } }));
    expect(issues).toEqual([
      {
        path: "targets.compose.configDelivery",
        message:
          "the heredoc delivery runs /bin/sh, and litestream/litestream:0.5.16-scratch has no shell (the -scratch images are the bare binary)",
        fix: 'use configDelivery "configs" or "bind", or the image without -scratch',
        code: "compose.scratch-shell",
      },
    ]);
  });

  it("configs without a Compose version, or with one older than 2.23.1", () => {
    expect(issuesOf(withCompose(example002, { configDelivery: "configs" }))).toEqual([
      {
        path: "targets.compose.version",
        message: 'configDelivery "configs" needs Docker Compose 2.23.1 or later (top-level configs.content), and no Compose version is set',
        fix: "set targets.compose.version to what `docker compose version` prints (not possible on Swarm / docker stack deploy: use heredoc there)",
        code: "compose.version-missing",
      },
    ]);
    expect(issuesOf(withCompose(example002, { configDelivery: "configs", version: "2.22.0" }))).toEqual([
      {
        path: "targets.compose.version",
        message: 'configDelivery "configs" needs Docker Compose 2.23.1 or later (top-level configs.content); 2.22.0 would reject the file',
        fix: 'upgrade Docker Compose, or use configDelivery "heredoc"',
        code: "compose.version-feature",
      },
    ]);
    expect(files(withCompose(example002, { configDelivery: "configs", version: "2.23.1" })).has("compose.litestream.yaml")).toBe(true);
  });

  it("in place without a compose file, or naming a service it does not define", () => {
    expect(issuesOf(withCompose(example002, { output: "in-place" }))).toEqual([
      {
        path: "targets.compose.file",
        message: "no compose file found (compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml) to update in place",
        fix: 'set targets.compose.file, or use output "override"',
        code: "compose.file-missing",
      },
    ]);
    expect(issuesOf(withCompose(example002, { appService: "web" }), { "docker-compose.yml": FIXTURE })).toEqual([
      {
        path: "targets.compose.appService",
        message: 'docker-compose.yml defines no service "web"',
        fix: "use one of: app, redis, caddy",
        code: "compose.app-service-missing",
      },
    ]);
  });

  it("a database outside the shared volume, or a volume the app does not mount", () => {
    const outside = withCompose(example002, {}, { databases: [{ name: "meds", path: "/srv/meds.db" }] });
    expect(issuesOf(outside)).toEqual([
      {
        path: "targets.compose.volume",
        message:
          'database meds (/srv/meds.db) is not inside /app/data, where "meds_data" is mounted: the Litestream containers would not see it',
        fix: "mount the volume that holds the database, at the same path as the app",
        code: "compose.database-outside-volume",
      },
    ]);
    expect(issuesOf(withCompose(example002, { volume: "caddy_data:/app/data" }), { "compose.yaml": FIXTURE })).toEqual([
      {
        path: "targets.compose.volume",
        message: 'service "app" in compose.yaml does not mount "caddy_data": Litestream would watch a different file than the app writes',
        fix: "use the app's own data volume, one of: meds_data:/app/data",
        code: "compose.volume-not-mounted",
      },
    ]);
  });

  it("an override next to a compose file that already has a litestream service", () => {
    const seedStyle = FIXTURE.replace("\n  caddy:", "\n  litestream:\n    image: litestream/litestream:latest\n\n  caddy:");
    expect(issuesOf(example002, { "compose.yaml": seedStyle })).toEqual([
      {
        path: "targets.compose.output",
        message:
          'compose.yaml already defines "litestream": with -f, Compose would merge it into the generated service (mixing its command, volumes and environment)',
        fix: "delete it from compose.yaml (the generated services take over its job)",
        code: "compose.service-exists",
      },
    ]);
    // After an in-place run, switching back to the override: the generated block is recognised.
    const inPlace = file(files(withCompose(example002, { output: "in-place" }), { "compose.yaml": FIXTURE }), "compose.yaml");
    expect(issuesOf(example002, { "compose.yaml": inPlace })[0]!.fix).toContain(
      'or set targets.compose.output to "in-place" to keep them there',
    );
  });

  it("control characters in a setting or a database path", () => {
    expect(issuesOf(withCompose(example002, { volume: "meds_data:/app/da\tta" }))[0]).toMatchObject({
      path: "targets.compose.volume",
      code: "text.unrepresentable",
      message: "contains a tab (U+0009) at position 17, which no generated file can hold faithfully",
    });
    const nel = issuesOf(withCompose(example002, {}, { databases: [{ name: "meds", path: "/app/data/me\u0085ds.db" }] }));
    expect(nel.map((i) => i.path)).toEqual(["databases.0.path"]); // refused once, where it was written
    expect(nel.map((i) => i.message).join("\n")).toContain("NEL (U+0085)");
  });

  it("a compose file path with a space is one shell word in the command shown to the user", () => {
    const out = files(withCompose(example002, { file: "my stack/compose.yaml" }), { "my stack/compose.yaml": FIXTURE });
    expect(file(out, "my stack/compose.litestream.yaml")).toContain(
      "#   docker compose -f 'my stack/compose.yaml' -f 'my stack/compose.litestream.yaml' up -d",
    );
  });

  it("in place: a service that mounts the database volume written as an alias", () => {
    const aliased = FIXTURE.replace("\n  redis:", "\n  worker: *app\n\n  redis:").replace("  app:\n", "  app: &app\n");
    expect(issuesOf(withCompose(example002, { output: "in-place" }), { "compose.yaml": aliased })).toEqual([
      {
        path: "targets.compose.file",
        message:
          'compose.yaml: service "worker" mounts the database volume, and is not written as a block mapping (an alias or a flow mapping), so its depends_on cannot be added to it alone',
        fix: 'write the "worker" service out as an indented mapping (a merge key <<: *anchor inside it is fine), or use output "override"',
        code: "compose.in-place",
      },
    ]);
  });

  it("every problem at once", () => {
    const issues = issuesOf(
      withCompose(
        example002,
        { volume: "meds_data:/app/data:ro", configDelivery: "configs" },
        { litestream: { version: "0.5", image: "litestream/litestream:0.5.16-scratch" } },
      ),
    );
    expect(issues.map((i) => i.path)).toEqual(["targets.compose.volume", "targets.compose.version"]);
  });
});

describe("compose: several environments", () => {
  const twoEnvironments = (compose: Partial<ComposeInput>): ProjectInput =>
    withCompose(example002, compose, {
      environments: {
        production: {},
        staging: { storage: { ...example002.storage!, prefix: "meds-staging" } as ProjectInput["storage"] },
      },
    });

  it("one override file per environment, each with its own config", async () => {
    const out = files(twoEnvironments({}));
    expect([...out.keys()].sort()).toEqual([
      "compose.litestream.production.yaml",
      "compose.litestream.staging.yaml",
      "config/litestream.production.yml",
      "config/litestream.staging.yml",
      "deploy/operations/production/RUNBOOK.md",
      "deploy/operations/staging/RUNBOOK.md",
    ]);
    for (const name of ["production", "staging"]) {
      const compose = file(out, `compose.litestream.${name}.yaml`);
      expectValidCompose(compose);
      expect(compose).toContain(`#   docker compose -f compose.yaml -f compose.litestream.${name}.yaml up -d`);
      const { script } = await serviceAfterInterpolation(compose, "litestream", SAMPLE_ENV);
      expect(script).toContain(file(out, `config/litestream.${name}.yml`));
    }
  });

  it("refuses two environments updating the same compose file in place", () => {
    expect(issuesOf(twoEnvironments({ output: "in-place" }), { "compose.yaml": FIXTURE })).toEqual([
      {
        path: "environments.staging.targets.compose.file",
        message: "environments production and staging would both update compose.yaml in place",
        fix: "give each environment its own compose file (targets.compose.file)",
        code: "compose.file-shared",
      },
    ]);
  });
});

describe("compose: schema", () => {
  it("rejects unknown keys with a suggestion", () => {
    expect(() => generate(withCompose(example002, { configDelivry: "bind" } as Partial<ComposeInput>))).toThrow(
      /targets\.compose\.configDelivry: unknown key "configDelivry"\n.*did you mean "configDelivery"/,
    );
  });
});
