// restoreFrom, run for real (docs/lifecycle.md): staging is seeded from production's backup, read-only.
// Production replicates two rows with the real Litestream (0.3.13 and 0.5.17) to a file replica or to
// s3rver. Each target's generated staging restore step then runs as its consumer runs it (the entrypoint
// under sh and busybox sh, the Kamal accessory's cmd through sh -c, the Compose restore script from
// the real `docker-compose config`, the systemd unit's ExecStartPre= lines): production's rows are
// there before the app (or the marker) is, staging replicates to its own location, production's replica
// is byte-identical before and after, and a second new staging host restores from staging's own
// replica (a row only staging has proves it).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate, type ProjectInput } from "../src/index.js";
import { composeModel } from "./harness/compose.js";
import { binaryFor, listDatabases, runLitestream, type LitestreamLine } from "./harness/litestream.js";
import { closeAllS3, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, startS3, type S3Server } from "./harness/s3.js";
import { sqlite } from "./harness/sqlite.js";
import { parseCommandLines } from "./harness/systemd.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";
import { killLiveChildren, runTracked } from "./support/child-processes.js";
import { LITESTREAM_05_RELEASE } from "./harness/tools.js";
import { leaveBackup, untilReplicaHoldsRows } from "./support/backup.js";
import { issuesOf } from "./support/issues.js";
import { withPrivateEtcFiles } from "./support/private-etc.js";
import { writeFiles } from "./support/project-files.js";
import { expectCleanShellScripts } from "./support/shell-lint.js";

afterEach(killLiveChildren);
afterAll(async () => {
  await closeAllS3();
  await cleanupTempDirs();
});

const LINES: LitestreamLine[] = ["0.3", "0.5"];
type Kind = "file" | "s3";
type Target = "entrypoint" | "entrypoint-busybox" | "kamal" | "compose" | "systemd";
const TARGETS: Target[] = ["entrypoint", "entrypoint-busybox", "kamal", "compose", "systemd"];

const litestreamOf = (line: LitestreamLine): ProjectInput["litestream"] =>
  line === "0.3" ? { version: "0.3", verify: false } : { version: "0.5", release: LITESTREAM_05_RELEASE, verify: false };

const SEED_KEYS = { accessKeyId: { env: "SEED_AWS_ACCESS_KEY_ID" }, secretAccessKey: { env: "SEED_AWS_SECRET_ACCESS_KEY" } };

interface World {
  dir: string;
  line: LitestreamLine;
  kind: Kind;
  s3?: S3Server;
  /** Staging's database (each new staging host starts without it). */
  db: string;
  prodDb: string;
  prodReplica: string;
  stagingReplica: string;
  stagingConfig: string;
  prodConfig: string;
  restoreFromConfig: string;
  files: Map<string, string>;
  project: string;
  order: string;
  app: string;
  env: Record<string, string>;
}

function description(w: { line: LitestreamLine; kind: Kind; dir: string; endpoint?: string }): ProjectInput {
  const data = join(w.dir, "data");
  return {
    name: "shop",
    litestream: litestreamOf(w.line),
    replication: { syncInterval: "100ms" },
    databases: [{ name: "app", path: join(data, "app.db") }],
    environments: {
      production: {
        storage:
          w.kind === "file"
            ? { provider: "file", path: join(w.dir, "replicas", "production") }
            : {
                provider: "minio",
                endpoint: w.endpoint!,
                bucket: "prod-backups",
                credentials: { accessKeyId: { env: "PROD_KEY" }, secretAccessKey: { env: "PROD_SECRET" } },
              },
        databases: { app: { path: join(w.dir, "prod", "app.db") } },
      },
      staging: {
        storage: { provider: "file", path: join(w.dir, "replicas", "staging") },
        restoreFrom: { environment: "production", ...(w.kind === "s3" ? { credentials: SEED_KEYS } : {}) },
        targets: {
          entrypoint: { appCommand: [join(w.dir, "apps", "app")] },
          systemd: { appUnit: "shop.service", user: "root", binary: join(w.dir, "bin", "litestream") },
          kamal: { version: "2.12", volume: `shop_data:${data}`, host: "staging.example.com" },
          compose: { appService: "web", volume: `shop_data:${data}` },
        },
      },
    },
  };
}

async function world(line: LitestreamLine, kind: Kind): Promise<World> {
  const dir = makeTempDir(`seed-${line}-${kind}`);
  const s3 = kind === "s3" ? await startS3({ buckets: ["prod-backups"] }) : undefined;
  const project = join(dir, "project");
  const files = writeFiles(project, generate(description({ line, kind, dir, ...(s3 ? { endpoint: s3.endpoint } : {}) })).files);
  for (const d of ["data", "prod", "bin", "apps", "replicas"]) mkdirSync(join(dir, d));
  symlinkSync(binaryFor(line), join(dir, "bin", "litestream"));
  const db = join(dir, "data", "app.db");
  const stagingConfig = join(project, "config", "litestream.staging.yml");
  const order = join(dir, "order");
  // The app records the rows it finds, adds one only staging has, and waits until staging's replica holds it.
  const app = join(dir, "apps", "app");
  writeFileSync(
    app,
    `#!/bin/sh
echo "app:$(sqlite3 '${db}' "SELECT group_concat(v, ',') FROM t" 2>/dev/null || echo none)" >> '${order}'
exec '${join(dir, "apps", "add-staging-row")}'
`,
  );
  writeFileSync(
    join(dir, "apps", "add-staging-row"),
    `#!/bin/sh
sqlite3 '${db}' "INSERT INTO t(v) VALUES ('staging-1')"
${untilReplicaHoldsRows({ config: stagingConfig, db, probe: `${dir}/probe.db`, rows: 3 })}`,
  );
  chmodSync(app, 0o755);
  chmodSync(join(dir, "apps", "add-staging-row"), 0o755);
  const env: Record<string, string> = {
    PATH: `${join(dir, "bin")}:/usr/bin:/bin`,
    HOME: dir,
    LITESTREAM_CONFIG: stagingConfig,
    LITESTREAM_RESTORE_FROM_CONFIG: join(project, "config", "litestream.staging.restore-from.yml"),
    // Staging has no S3 keys of its own; keys Litestream reads by itself are wrong on purpose (s3rver
    // answers an unknown access key id with 403): only the restore-from config's own keys open production's bucket.
    ...(kind === "s3"
      ? {
          SEED_AWS_ACCESS_KEY_ID: S3_ACCESS_KEY_ID,
          SEED_AWS_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY,
          AWS_ACCESS_KEY_ID: "WRONG",
          AWS_SECRET_ACCESS_KEY: "WRONG",
          LITESTREAM_ACCESS_KEY_ID: "WRONG",
          LITESTREAM_SECRET_ACCESS_KEY: "WRONG",
        }
      : {}),
  };
  return {
    dir,
    line,
    kind,
    ...(s3 ? { s3 } : {}),
    db,
    prodDb: join(dir, "prod", "app.db"),
    prodReplica: join(dir, "replicas", "production"),
    stagingReplica: join(dir, "replicas", "staging"),
    stagingConfig,
    prodConfig: join(project, "config", "litestream.production.yml"),
    restoreFromConfig: env.LITESTREAM_RESTORE_FROM_CONFIG!,
    files,
    project,
    order,
    app,
    env,
  };
}

/** Production replicates rows backed-1, backed-2 (its own config and keys), then its host goes away. */
async function productionBackup(w: World): Promise<void> {
  const env: Record<string, string> = {
    ...w.env,
    LITESTREAM_CONFIG: w.prodConfig,
    PROD_KEY: S3_ACCESS_KEY_ID,
    PROD_SECRET: S3_SECRET_ACCESS_KEY,
  };
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  delete env.LITESTREAM_ACCESS_KEY_ID;
  delete env.LITESTREAM_SECRET_ACCESS_KEY;
  if (w.kind === "s3")
    Object.assign(env, { LITESTREAM_ACCESS_KEY_ID: S3_ACCESS_KEY_ID, LITESTREAM_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY });
  await leaveBackup({ dir: w.dir, db: w.prodDb, config: w.prodConfig, line: w.line, env });
}

/** Every byte of production's replica: the files, or s3rver's objects and their metadata (etags). */
function productionBytes(w: World): Record<string, string> {
  const root = w.kind === "file" ? w.prodReplica : join(w.s3!.dir, "prod-backups");
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(root, p)] = createHash("sha256").update(readFileSync(p)).digest("hex");
    }
  };
  walk(root);
  return out;
}

function newHost(w: World): void {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${w.db}${suffix}`, { force: true });
  rmSync(join(dirname(w.db), `.${basename(w.db)}-litestream`), { recursive: true, force: true });
  rmSync(join(dirname(w.db), ".litestream-restored"), { force: true });
  rmSync(w.order, { force: true });
}

async function waitFor(condition: () => boolean, what: () => string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out; ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const rows = async (db: string) => (await sqlite(db, "SELECT group_concat(v, ',') FROM t")).trim();
const orderLog = (w: World) => (existsSync(w.order) ? readFileSync(w.order, "utf8").trim().split("\n") : []);

/** The accessory's cmd split into words by a shell, as Kamal's remote shell does: ["-c", script]. */
function kamalScript(w: World): string {
  const accessory = parse(w.files.get("config/litestream-accessory.staging.yml")!) as {
    accessories: { litestream: { cmd: string; files: string[] } };
  };
  const { cmd, files } = accessory.accessories.litestream;
  expect(files).toEqual([
    "config/litestream.staging.yml:/etc/litestream.yml:ro",
    "config/litestream.staging.restore-from.yml:/etc/litestream.restore-from.yml:ro",
  ]);
  const r = spawnSync("sh", ["-c", `eval "set -- $1"; [ "$#" -eq 2 ] && [ "$1" = -c ] && printf %s "$2"`, "sh", cmd], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

/** The Kamal script with a private /etc holding the two files Kamal uploads (the accessory's `files`). */
const withKamalFiles = (w: World, script: string) =>
  withPrivateEtcFiles(
    [
      [w.stagingConfig, "litestream.yml"],
      [w.restoreFromConfig, "litestream.restore-from.yml"],
    ],
    script,
  );

/** The restore service's script after the real docker-compose's interpolation ($$ is $ for the container). */
async function composeScript(w: World): Promise<string> {
  writeFileSync(
    join(w.project, "compose.yaml"),
    `services:\n  web:\n    image: shop\n    volumes: ["shop_data:${join(w.dir, "data")}"]\nvolumes:\n  shop_data: {}\n`,
  );
  const keys = w.kind === "s3" ? { SEED_AWS_ACCESS_KEY_ID: "k", SEED_AWS_SECRET_ACCESS_KEY: "s" } : undefined;
  const model = await composeModel([join(w.project, "compose.yaml"), join(w.project, "compose.litestream.staging.yaml")], {
    ...(keys ? { env: keys } : {}),
  });
  const restore = model.services["litestream-restore"]!;
  expect(restore.entrypoint).toEqual(["/bin/sh", "-c"]);
  if (keys) expect(restore.environment).toMatchObject({ SEED_AWS_ACCESS_KEY_ID: "k", SEED_AWS_SECRET_ACCESS_KEY: "s" });
  const script = (restore.command as string[])[0]!.replaceAll("$$", "$");
  // The container writes its restore-only config to /tmp; this case's own directory stands in for it.
  expect(script).toContain("cat > /tmp/litestream.restore-from.yml <<'");
  return script.replaceAll("/tmp/litestream.restore-from.yml", join(w.dir, "compose-restore-from.yml"));
}

/** The unit's ExecStartPre= lines, with the installed paths pointing at the generated files. */
function systemdPreLines(w: World): string[][] {
  const unit = w.files.get("deploy/systemd/litestream.service")!;
  const script = join(w.project, "deploy", "systemd", "litestream-restore.sh");
  const text = readFileSync(script, "utf8")
    .replace("-config /etc/litestream/litestream.yml", `-config '${w.stagingConfig}'`)
    .replace("-config /etc/litestream/litestream.restore-from.yml", `-config '${w.restoreFromConfig}'`);
  expect(text).toContain(`-config '${w.restoreFromConfig}'`);
  writeFileSync(script, text);
  const pre = [...unit.matchAll(/^ExecStartPre=(.*)$/gm)].map((m) => parseCommandLines(m[1]!)[0]!);
  expect(pre).toEqual([["/bin/sh", "/etc/litestream/litestream-restore.sh", w.db]]);
  return pre.map((argv) => argv.map((word) => (word === "/etc/litestream/litestream-restore.sh" ? script : word)));
}

/**
 * One boot of a new staging host on `target`: the restore step, then replication to staging's own
 * replica with a row only staging has. Returns the rows the app (or the marker's moment) saw and the log.
 */
async function boot(w: World, target: Target): Promise<{ seen: string; log: string }> {
  const env = { ...w.env };
  if (target === "entrypoint" || target === "entrypoint-busybox") {
    const entrypoint = join(w.project, "bin", "litestream-entrypoint");
    const started = runTracked(target === "entrypoint" ? ["sh", entrypoint] : ["busybox", "sh", entrypoint], env);
    expect(await started.exited, started.output()).toBe(0);
    const log = orderLog(w);
    expect(log, started.output()).toHaveLength(1);
    return { seen: log[0]!.replace(/^app:/, ""), log: started.output() };
  }
  if (target === "kamal") {
    const marker = join(w.dir, "data", ".litestream-restored");
    const started = runTracked(withKamalFiles(w, kamalScript(w)), env);
    let seen = "";
    await waitFor(
      () => existsSync(marker) || started.child.exitCode !== null,
      () => started.output(),
    );
    expect(existsSync(marker), started.output()).toBe(true);
    seen = await rows(w.db);
    // The script went on to `exec litestream replicate`: the row reaches staging's replica through it.
    const added = runTracked([join(w.dir, "apps", "add-staging-row")], env);
    expect(await added.exited, started.output()).toBe(0);
    started.child.kill("SIGTERM");
    await started.exited;
    return { seen, log: started.output() };
  }
  const pre = target === "compose" ? [["/bin/sh", "-c", await composeScript(w)]] : systemdPreLines(w);
  const envFor = target === "compose" ? { ...env, LITESTREAM_CONFIG: join(w.dir, "compose-litestream.yml") } : env;
  let log = "";
  for (const argv of pre) {
    const step = runTracked(argv, envFor);
    const code = await step.exited;
    log += step.output();
    expect(code, log).toBe(0);
  }
  const seen = await rows(w.db);
  // What the replicator service / ExecStart= runs next: replicate with staging's own config.
  const replicate = await runLitestream(["replicate", "-config", w.stagingConfig, "-exec", join(w.dir, "apps", "add-staging-row")], {
    line: w.line,
    env,
    timeoutMs: 120_000,
  });
  expect(replicate.code, replicate.stdout + replicate.stderr).toBe(0);
  return { seen, log };
}

describe.each(LINES)("restoreFrom, Litestream %s (real binary)", (line) => {
  describe.each(["file", "s3"] as Kind[])("production's replica on %s", (kind) => {
    it.each(TARGETS)(
      "%s: seeds production's rows before the app, replicates to staging, leaves production's replica untouched; a second host restores staging's own",
      async (target) => {
        const w = await world(line, kind);
        await productionBackup(w);
        const before = productionBytes(w);
        expect(Object.keys(before).length).toBeGreaterThan(0);

        const first = await boot(w, target);
        expect(first.seen, first.log).toBe("backed-1,backed-2");
        expect(first.log).toMatch(/seeding it from environment production \(read-only\)/);
        expect(productionBytes(w)).toEqual(before);

        newHost(w);
        const second = await boot(w, target);
        expect(second.seen, second.log).toBe("backed-1,backed-2,staging-1");
        expect(second.log).not.toMatch(/seeding/);
        expect(productionBytes(w)).toEqual(before);
      },
      240_000,
    );
  });

  it("a source that refuses the seed key (403) stops the boot (exit 1) before the app starts", async () => {
    const w = await world(line, "s3");
    await productionBackup(w);
    const before = productionBytes(w);
    // s3rver checks the access key id (not the secret): a wrong one is a 403 on both lines.
    const started = runTracked(["sh", join(w.project, "bin", "litestream-entrypoint")], { ...w.env, SEED_AWS_ACCESS_KEY_ID: "WRONG" });
    expect(await started.exited, started.output()).toBe(1);
    expect(started.output()).toMatch(/InvalidAccessKeyId/);
    expect(started.output()).toMatch(/could not seed .*app\.db from environment production; not starting the app/);
    expect(orderLog(w)).toEqual([]);
    expect(existsSync(w.db)).toBe(false);
    expect(productionBytes(w)).toEqual(before);
  }, 240_000);

  it("the real Litestream loads the restore-from config; production's config never names it", async () => {
    const w = await world(line, "s3");
    const dbs = await listDatabases(w.restoreFromConfig, { SEED_AWS_ACCESS_KEY_ID: "k", SEED_AWS_SECRET_ACCESS_KEY: "s" }, line);
    expect(dbs.map((d) => d.path)).toEqual([w.db]);
    const text = readFileSync(w.restoreFromConfig, "utf8");
    expect(text).toContain("access-key-id: ${SEED_AWS_ACCESS_KEY_ID}");
    expect(text).toMatch(/only `litestream restore` is given this file, never `replicate`/);
    expect(text).toContain("bucket: prod-backups");
    // No target ever passes it to replicate.
    for (const [path, content] of w.files) {
      for (const m of content.matchAll(/replicate[^\n]*/g)) expect(m[0], path).not.toMatch(/restore-from/);
    }
  });
});

// 0.5.17's S3 client retries an unreachable endpoint itself for about 4 minutes before the restore
// exits 1 (src/render/restore-steps.ts); 0.3.13 exits 1 at once, which is measured here.
describe("restoreFrom, Litestream 0.3 (real binary): an unreachable source", () => {
  it("stops the boot (exit 1) before the app starts", async () => {
    const w = await world("0.3", "s3");
    await productionBackup(w);
    await w.s3!.close();
    const started = runTracked(["sh", join(w.project, "bin", "litestream-entrypoint")], w.env);
    expect(await started.exited, started.output()).toBe(1);
    expect(started.output()).toMatch(/could not seed .*app\.db from environment production; not starting the app/);
    expect(orderLog(w)).toEqual([]);
    expect(existsSync(w.db)).toBe(false);
  }, 240_000);
});

describe("restoreFrom scripts pass shellcheck, sh -n and busybox sh -n; the systemd unit passes systemd-analyze verify", () => {
  it("entrypoint, systemd restore script, Kamal accessory script, Compose restore script, install script", async () => {
    const w = await world("0.5", "s3");
    const scripts: Record<string, string> = {
      entrypoint: readFileSync(join(w.project, "bin", "litestream-entrypoint"), "utf8"),
      systemd: readFileSync(join(w.project, "deploy", "systemd", "litestream-restore.sh"), "utf8"),
      install: readFileSync(join(w.project, "deploy", "systemd", "install-litestream.sh"), "utf8"),
      kamal: kamalScript(w),
      compose: await composeScript(w),
    };
    for (const [name, text] of Object.entries(scripts)) expect(text, name).toMatch(/restore-from/);
    expectCleanShellScripts(w.dir, scripts);
    expect(scripts.install).toContain("/etc/litestream/litestream.restore-from.yml");
    const units = join(w.dir, "units");
    mkdirSync(units);
    writeFileSync(
      join(units, "litestream.service"),
      w.files.get("deploy/systemd/litestream.service")!.replaceAll(join(w.dir, "bin", "litestream"), "/bin/true"),
    );
    const r = spawnSync("systemd-analyze", ["verify", "--man=no", join(units, "litestream.service")], { encoding: "utf8" });
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

const base = (extra: Record<string, unknown> = {}, staging: Record<string, unknown> = {}): ProjectInput =>
  ({
    name: "shop",
    litestream: { version: "0.5" },
    databases: [{ name: "app", path: "/data/app.db" }],
    environments: {
      production: {
        storage: {
          provider: "aws",
          region: "eu-west-1",
          bucket: "shop-backups",
          credentials: { accessKeyId: { env: "PROD_KEY" }, secretAccessKey: { env: "PROD_SECRET" } },
        },
      },
      staging: {
        storage: {
          provider: "aws",
          region: "eu-west-1",
          bucket: "shop-staging",
          credentials: { accessKeyId: { env: "AWS_ACCESS_KEY_ID" }, secretAccessKey: { env: "AWS_SECRET_ACCESS_KEY" } },
        },
        restoreFrom: { environment: "production", credentials: SEED_KEYS },
        ...staging,
      },
    },
    ...extra,
  }) as ProjectInput;

const codes = (d: unknown) => issuesOf(d).map((i) => i.code);

describe("restoreFrom refusals: each by its code, each fix makes it go away", () => {
  it("the description used by the fixes generates", () => {
    expect(issuesOf(base())).toEqual([]);
  });

  it("unknown and self source environments", () => {
    expect(codes(base({}, { restoreFrom: { environment: "prodution" } }))).toEqual(["restore-from.unknown"]);
    expect(issuesOf(base({}, { restoreFrom: { environment: "prodution" } }))[0]!.fix).toBe('did you mean "production"?');
    expect(codes(base({}, { restoreFrom: { environment: "staging" } }))).toEqual(["restore-from.self"]);
    expect(issuesOf(base({}, { restoreFrom: { environment: "staging" } }))[0]!.fix).toBe(
      'name the environment to seed from, e.g. "production"',
    );
  });

  it("a database neither environment has, and a directory database", () => {
    expect(codes(base({}, { restoreFrom: { environment: "production", databases: ["main"] } }))).toEqual(["restore-from.database-unknown"]);
    const tenants = { name: "tenants", path: "/data/tenants", directory: { pattern: "*.db" } };
    const dirs = base({ databases: [{ name: "app", path: "/data/app.db" }, tenants], restoreOnBoot: false }, { restoreOnBoot: false });
    expect(codes(dirs)).toEqual(["restore-from.directory"]);
    // The fix: the tenant to seed described as a database with its own path.
    expect(
      codes(
        base({
          databases: [
            { name: "app", path: "/data/app.db" },
            { name: "tenant-1", path: "/data/tenants/1.db" },
          ],
        }),
      ),
    ).toEqual([]);
  });

  it("restoreOnBoot off", () => {
    expect(codes(base({}, { restoreOnBoot: false }))).toEqual(["restore-from.no-restore"]);
  });

  it("source keys under this environment's own variables, a native name, or production's own write key", () => {
    const own = { accessKeyId: { env: "AWS_ACCESS_KEY_ID" }, secretAccessKey: { env: "SEED_AWS_SECRET_ACCESS_KEY" } };
    expect(codes(base({}, { restoreFrom: { environment: "production", credentials: own } }))).toEqual(["restore-from.credentials-shared"]);
    const native = { accessKeyId: { env: "LITESTREAM_ACCESS_KEY_ID" }, secretAccessKey: { env: "SEED_AWS_SECRET_ACCESS_KEY" } };
    const onFile = base(
      {},
      { storage: { provider: "file", path: "/var/backups/staging" }, restoreFrom: { environment: "production", credentials: native } },
    );
    expect(codes(onFile)).toEqual(["restore-from.credentials-shared"]);
    const prod = { accessKeyId: { env: "PROD_KEY" }, secretAccessKey: { env: "PROD_SECRET" } };
    const handed = issuesOf(base({}, { restoreFrom: { environment: "production", credentials: prod } }));
    expect(handed.map((i) => i.code)).toEqual(["restore-from.credentials-shared", "restore-from.credentials-shared"]);
    expect(handed[0]!.message).toMatch(/production's own S3 access key id: its write key would be handed to staging/);
    expect(handed[0]!.fix).toMatch(/\{ env: "SEED_AWS_ACCESS_KEY_ID" \}/);
    // The fix: SEED_* variables (the base description).
    expect(codes(base())).toEqual([]);
  });

  it("a source location equal to or nested with staging's own is refused (replica.shared / replica.nested)", () => {
    const same = { provider: "file", path: "/var/backups/shop" };
    const d = base({}, { storage: same, restoreFrom: { environment: "production" } });
    (d.environments!.production as Record<string, unknown>).storage = same;
    expect(codes(d)).toEqual(["replica.shared"]);
    (d.environments!.production as Record<string, unknown>).storage = { provider: "file", path: "/var/backups/shop/app" };
    expect(codes(d)).toEqual(["replica.nested"]);
    (d.environments!.production as Record<string, unknown>).storage = { provider: "file", path: "/var/backups/production" };
    expect(codes(d)).toEqual([]);
  });

  it("credentials for a source that is not on S3; encrypted or variable source locations", () => {
    const d = base();
    (d.environments!.production as Record<string, unknown>).storage = { provider: "file", path: "/var/backups/production" };
    expect(codes(d)).toEqual(["restore-from.credentials-provider"]);
    (d.environments!.staging as Record<string, unknown>).restoreFrom = { environment: "production" };
    expect(codes(d)).toEqual([]);
    const variable = base();
    (variable.environments!.production as { storage: Record<string, unknown> }).storage.bucket = { env: "PROD_BUCKET" };
    expect(codes(variable)).toEqual(["restore-from.variable-location"]);
  });

  it("Compose with a -scratch image cannot seed", () => {
    const d = base(
      { litestream: { version: "0.5", image: "litestream/litestream:0.5.17-scratch" } },
      { targets: { compose: { appService: "web", volume: "data:/data", configDelivery: "configs", version: "2.30.0" } } },
    );
    expect(codes(d)).toContain("compose.restore-from-no-shell");
  });

  it("without restoreFrom nothing changes; no secret value is ever written", () => {
    const d = base();
    const files = generate(d).files;
    const seed = files.find((f) => f.kind === "restore-from-config")!;
    expect(seed.path).toBe("config/litestream.staging.restore-from.yml");
    const without = base({}, {});
    delete (without.environments!.staging as Record<string, unknown>).restoreFrom;
    const plain = generate(without).files;
    expect(plain.some((f) => f.kind === "restore-from-config")).toBe(false);
    const stagingYml = (fs: typeof files) => fs.find((f) => f.path === "config/litestream.staging.yml")!.content;
    expect(stagingYml(files)).toBe(stagingYml(plain));
  });
});

describe("restoreFrom: the source's read-only keys reach every target like the environment's own", () => {
  it("Kamal env.secret and .kamal/secrets, the systemd EnvironmentFile template, Compose environment, the entrypoint's required variables", async () => {
    const d = base(
      { litestream: { version: "0.5", verify: false } },
      {
        restoreFrom: {
          environment: "production",
          credentials: { accessKeyId: { env: "SEED_AWS_ACCESS_KEY_ID" }, secretAccessKey: "op://Vault/seed/secret" },
        },
        targets: {
          kamal: { version: "2.12", volume: "d:/data", host: "staging.example.com", appUser: "1000:1000" },
          systemd: { appUnit: "shop.service" },
          compose: { appService: "web", volume: "d:/data" },
          entrypoint: { appCommand: ["bin/app"] },
        },
      },
    );
    const files = new Map(generate(d).files.map((f) => [f.path, f.content]));
    const seed = files.get("config/litestream.staging.restore-from.yml")!;
    expect(seed).toContain("secret-access-key: ${LITESTREAM_SEED_SECRET_ACCESS_KEY}");
    expect(seed).not.toContain("op://");
    const accessory = parse(files.get("config/litestream-accessory.staging.yml")!) as {
      accessories: { litestream: { env: { secret: string[] } } };
    };
    expect(accessory.accessories.litestream.env.secret).toEqual([
      "AWS_ACCESS_KEY_ID",
      "AWS_SECRET_ACCESS_KEY",
      "SEED_AWS_ACCESS_KEY_ID",
      "LITESTREAM_SEED_SECRET_ACCESS_KEY",
    ]);
    expect(files.get(".kamal/secrets.staging")).toContain("LITESTREAM_SEED_SECRET_ACCESS_KEY=$(op read op://Vault/seed/secret)");
    expect(files.get("deploy/systemd/litestream.env.template")).toMatch(/^SEED_AWS_ACCESS_KEY_ID=$/m);
    expect(files.get("bin/litestream-entrypoint")).toContain(
      'if [ -z "${SEED_AWS_ACCESS_KEY_ID:-}" ]; then missing="$missing SEED_AWS_ACCESS_KEY_ID"; fi',
    );
    const dir = makeTempDir("seed-keys");
    writeFiles(dir, generate(d).files);
    writeFileSync(join(dir, "compose.yaml"), 'services:\n  web:\n    image: shop\n    volumes: ["d:/data"]\nvolumes:\n  d: {}\n');
    const env = { AWS_ACCESS_KEY_ID: "a", AWS_SECRET_ACCESS_KEY: "b", SEED_AWS_ACCESS_KEY_ID: "c", LITESTREAM_SEED_SECRET_ACCESS_KEY: "d" };
    const model = await composeModel([join(dir, "compose.yaml"), join(dir, "compose.litestream.staging.yaml")], { env });
    for (const service of ["litestream-restore", "litestream"])
      expect(model.services[service]!.environment, service).toMatchObject({
        SEED_AWS_ACCESS_KEY_ID: "c",
        LITESTREAM_SEED_SECRET_ACCESS_KEY: "d",
      });
  });
});

describe("restoreFrom with restoreRetry and a subset of databases", () => {
  it("both restores are retried; only the listed database is seeded; the scripts pass shellcheck, sh -n, busybox sh -n", () => {
    const d = base(
      {
        litestream: { version: "0.5", verify: false },
        databases: [
          { name: "app", path: "/data/app.db" },
          { name: "cache", path: "/data/cache.db" },
        ],
      },
      {
        restoreRetry: { attempts: 3 },
        restoreFrom: { environment: "production", credentials: SEED_KEYS, databases: ["app"] },
        targets: {
          kamal: { version: "2.12", volume: "d:/data", host: "staging.example.com" },
          systemd: { appUnit: "shop.service" },
          entrypoint: { appCommand: ["bin/app"] },
        },
      },
    );
    const files = new Map(generate(d).files.map((f) => [f.path, f.content]));
    const cmd = (parse(files.get("config/litestream-accessory.staging.yml")!) as { accessories: { litestream: { cmd: string } } })
      .accessories.litestream.cmd;
    const kamal = spawnSync("sh", ["-c", `eval "set -- $1"; printf %s "$2"`, "sh", cmd], { encoding: "utf8" }).stdout;
    const scripts = {
      entrypoint: files.get("bin/litestream-entrypoint")!,
      systemd: files.get("deploy/systemd/litestream-restore.sh")!,
      kamal,
    };
    for (const [name, text] of Object.entries(scripts)) {
      expect(text.match(/in 3 attempts/g)?.length, name).toBeGreaterThanOrEqual(2);
      expect(text.match(/seeding it from environment production/g)?.length, name).toBe(1);
    }
    expect(scripts.entrypoint).not.toMatch(/seed_database \/data\/cache\.db/);
    expect(scripts.systemd).toContain('case "$db" in\n  /data/app.db) seeded=yes ;;');
    expect(files.get("config/litestream.staging.restore-from.yml")).not.toContain("cache");
    expectCleanShellScripts(makeTempDir("seed-lint"), scripts);
  });
});
