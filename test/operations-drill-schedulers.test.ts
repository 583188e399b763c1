// The drill where Kamal and CI run it. Kamal: the litestream-drill accessory, taken from the user's
// config/deploy.yml that generate edited, parsed with `yaml` as Kamal reads deploy.yml, checked by
// Kamal's accessory rules for each release, its env.secret resolved from the generated .kamal/secrets
// block by the dotenv double (3.1.8 and 3.2.0), turned into the `docker run` line Kamal sends (test
// double), run through a real shell with a recording docker; the /bin/sh loop it carries then runs the
// real drill against an s3rver replica with the real binaries, with only the resolved secrets as its
// credentials, pings the heartbeat URL, and stops on SIGTERM. CI: the GitHub Actions workflow parsed,
// its secrets by reference only, its `run:` line run by bash -e with a recording docker, and the
// container command it carries run for real: pass → 0, storage unreachable → non-zero (the job fails).
import { execFileSync, spawn } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate, type ProjectInput } from "../src/index.js";
import { cronOf } from "../src/operations/ci.js";
import { DRILL_ACCESSORY, DRILL_SCRIPT_IN_CONTAINER } from "../src/targets/kamal/drill.js";
import { validateKamalAccessory } from "../src/targets/kamal/rules.js";
import {
  containerSecrets,
  kamalAccessoryRunCommand,
  parseKamalSecrets,
  readArgvLog,
  writeArgvRecorder,
} from "./fixtures/kamal/kamal-emulation.js";
import { binaryFor, hermeticEnv, startReplicate, stopAll, waitForBackup } from "./harness/litestream.js";
import { closeAllProxies } from "./harness/proxy.js";
import { closeAllS3 } from "./harness/s3.js";
import { createWalDb, insertRows } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";
import { fileOf, RELEASE, s3Storage, S3_ENV, tempProject, writeProject, type Line, type Storage } from "./operations-support.js";

const USER_DEPLOY = readFileSync(new URL("./fixtures/kamal/deploy.yml", import.meta.url), "utf8");
const USER_SECRETS = "KAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\nRAILS_MASTER_KEY=$(cat config/master.key)\n";
/** The operator's environment `kamal` runs in: the credentials by the names the description references. */
const OPERATOR_ENV = {
  S3_KEY: S3_ENV.LITESTREAM_ACCESS_KEY_ID,
  S3_SECRET: S3_ENV.LITESTREAM_SECRET_ACCESS_KEY,
  KAMAL_REGISTRY_PASSWORD: "registry",
};

afterAll(async () => {
  await stopAll();
  await closeAllProxies();
  await closeAllS3();
  await cleanupTempDirs();
});

function kamalProject(line: Line, storage: ProjectInput["storage"], mount: string, kamal: string): ProjectInput {
  return {
    name: "ops",
    litestream: { version: line, release: RELEASE[line] },
    storage,
    replication: { syncInterval: "1s" },
    databases: [{ name: "app", path: `${mount}/app.db` }],
    verification: { heartbeatUrl: { env: "DRILL_HEARTBEAT_URL" } },
    targets: { kamal: { version: kamal, host: "203.0.113.10", volume: `ops_storage:${mount}`, appEntrypoint: false } },
  };
}

type Accessory = { image: string; cmd: string; [key: string]: unknown };
const accessoryIn = (text: string, name: string) => (parse(text) as { accessories: Record<string, Accessory> }).accessories[name]!;

/** Runs the Kamal (or CI) command line through a real shell with a recording docker; returns docker's argv. */
function dockerArgv(shell: string[], line: string, env: Record<string, string> = {}): string[] {
  const dir = makeTempDir("ops-docker-rec");
  const log = join(dir, "argv.log");
  writeArgvRecorder(dir, "docker", log);
  execFileSync(shell[0]!, [...shell.slice(1), line], { env: { ...env, PATH: `${dir}:/usr/bin:/bin` }, cwd: dir, stdio: "pipe" });
  const calls = readArgvLog(log);
  expect(calls).toHaveLength(1);
  return calls[0]!.slice(1);
}

/** Runs `sh -c script` until `done` shows in its output, then sends SIGTERM (docker stop) when asked. */
function runUntil(
  script: string,
  env: Record<string, string>,
  done: RegExp,
  stop: boolean,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn("/bin/sh", ["-c", script], { env: hermeticEnv(env), detached: true });
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (stop && done.test(output)) child.kill("SIGTERM");
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const guard = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), 240_000);
    child.on("exit", (code) => {
      clearTimeout(guard);
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // the group is gone already
      }
      resolve({ code, output });
    });
  });
}

async function backedUp(line: Line, storage: Storage, project: (mount: string) => ProjectInput, existing: Record<string, string> = {}) {
  const dir = tempProject(`ops-sched-${line}`);
  const mount = join(dir, "storage");
  mkdirSync(mount);
  const files = writeProject(dir, project(mount), existing);
  const db = `${mount}/app.db`;
  await createWalDb(db);
  await insertRows(db, 1, 20);
  const config = join(dir, fileOf(files, "litestream-config").path);
  const replicate = startReplicate(config, { line, env: storage.env });
  await waitForBackup(config, db, dir, { line, env: storage.env });
  expect((await replicate.stop()).code).toBe(0);
  return {
    dir,
    files,
    config,
    env: {
      ...storage.env,
      LITESTREAM_BIN: binaryFor(line),
      PATH: `${dirname(binaryFor(line))}:${process.env.PATH}`,
      TMPDIR: makeTempDir("ops-sched-tmp"),
    },
  };
}

describe("Kamal drill accessory", () => {
  it.each(["2.0.0", "2.5.0", "2.6.0", "2.10.1", "2.12.0"])(
    "Kamal %s accepts it, with the litestream accessory's image, host, config and secrets and no data volume",
    (kamal) => {
      const storage: ProjectInput["storage"] = {
        provider: "minio",
        endpoint: "http://127.0.0.1:9000",
        bucket: "backups",
        credentials: { accessKeyId: { env: "S3_KEY" }, secretAccessKey: { env: "S3_SECRET" } },
      };
      const { files } = generate(kamalProject("0.5", storage, "/rails/storage", kamal), {
        existing: (p) => ({ "config/deploy.yml": USER_DEPLOY, ".kamal/secrets": USER_SECRETS })[p],
      });
      const deployed = fileOf(files, "kamal-deploy").content;
      const drill = accessoryIn(deployed, DRILL_ACCESSORY);
      const live = accessoryIn(deployed, "litestream");
      expect(accessoryIn(fileOf(files, "kamal-accessory").content, DRILL_ACCESSORY)).toEqual(drill);
      expect(validateKamalAccessory(drill, kamal)).toEqual([]);
      expect(drill.image).toBe(live.image);
      expect(drill.host).toBe(live.host);
      expect((drill.files as string[])[0]).toBe((live.files as string[])[0]);
      const secrets = (a: Accessory) => (a.env as { secret: string[] }).secret;
      expect(secrets(drill)).toEqual([...secrets(live), "DRILL_HEARTBEAT_URL"]);
      expect(drill).not.toHaveProperty("volumes");
      expect(JSON.stringify(drill)).not.toMatch(/S3RVER|secretAccessKey/);
      // Every secret the drill lists resolves from the generated block, on both dotenv releases Kamal may load.
      const secretsFile = fileOf(files, "kamal-secrets").content;
      for (const dotenv of ["3.1.8", "3.2.0"] as const) {
        const parsed = parseKamalSecrets(secretsFile, { ...OPERATOR_ENV, DRILL_HEARTBEAT_URL: "https://hc.example/ping/1" }, undefined, {
          kamal,
          dotenv,
        });
        expect(containerSecrets(drill as unknown as { env: { secret: string[] } }, parsed)).toEqual({
          ...S3_ENV,
          DRILL_HEARTBEAT_URL: "https://hc.example/ping/1",
        });
      }
    },
  );

  it("a file replica gets the app's volume read-only; a calendar schedule is refused with the fix", () => {
    const base = kamalProject("0.5", { provider: "file", path: "/rails/storage/backups" }, "/rails/storage", "2.12.0");
    const drill = accessoryIn(fileOf(generate(base).files, "kamal-accessory").content, DRILL_ACCESSORY);
    expect(drill.volumes).toEqual(["ops_storage:/rails/storage:ro"]);
    expect(() => generate({ ...base, verification: { schedule: "*-*-* 04:00:00" } })).toThrow(
      /verification\.schedule: the Kamal drill accessory repeats the drill at a fixed period[\s\S]*set schedule to "daily"/,
    );
  });

  it.each(["0.3", "0.5"] as const)(
    "Litestream %s: from config/deploy.yml, the docker run line Kamal sends runs the drill loop with the secrets block's values; it passes, pings the heartbeat and stops on SIGTERM",
    { timeout: 300_000 },
    async (line) => {
      const storage = await s3Storage();
      const pings: string[] = [];
      const heartbeat = createServer((req, res) => {
        pings.push(req.url ?? "");
        res.end("ok");
      });
      await new Promise<void>((resolve) => heartbeat.listen(0, "127.0.0.1", resolve));
      const url = `http://127.0.0.1:${(heartbeat.address() as AddressInfo).port}/ping/drill`;
      const { dir, files, config, env } = await backedUp(line, storage, (mount) => kamalProject(line, storage.storage, mount, "2.12.0"), {
        "config/deploy.yml": USER_DEPLOY,
        ".kamal/secrets": USER_SECRETS,
      });
      const drill = accessoryIn(readFileSync(join(dir, "config/deploy.yml"), "utf8"), DRILL_ACCESSORY);
      // What Kamal hands the container: only the drill's env.secret entries, resolved from .kamal/secrets.
      const secrets = containerSecrets(
        drill as unknown as { env: { secret: string[] } },
        parseKamalSecrets(readFileSync(join(dir, ".kamal/secrets"), "utf8"), { ...OPERATOR_ENV, DRILL_HEARTBEAT_URL: url }),
      );
      expect(Object.keys(secrets).sort()).toEqual(["DRILL_HEARTBEAT_URL", "LITESTREAM_ACCESS_KEY_ID", "LITESTREAM_SECRET_ACCESS_KEY"]);
      const argv = dockerArgv(["sh", "-c"], kamalAccessoryRunCommand(drill, { service: "ops", name: DRILL_ACCESSORY }));
      expect(argv.slice(0, 2)).toEqual(["run", "--name"]);
      expect(argv[argv.indexOf("--entrypoint") + 1]).toBe("/bin/sh");
      const after = argv.slice(argv.indexOf(drill.image) + 1);
      expect(after[0]).toBe("-c");
      expect(after).toHaveLength(2);
      // Inside the container the script and config are mounted at these paths; here they are in the project.
      const script = after[1]!.split(DRILL_SCRIPT_IN_CONTAINER).join(join(dir, fileOf(files, "drill-script").path));
      // The credentials reach the drill only through the secrets block.
      const host: Record<string, string> = { ...env };
      delete host.LITESTREAM_ACCESS_KEY_ID;
      delete host.LITESTREAM_SECRET_ACCESS_KEY;
      const run = await runUntil(script, { ...host, ...secrets, LITESTREAM_CONFIG: config }, /litestream-drill: verdict: \w+/, true);
      heartbeat.close();
      expect(run.output).toMatch(/litestream-drill: pass: .*app\.db: restored, integrity ok/);
      expect(run.output).toContain("litestream-drill: verdict: pass");
      expect(run.code).toBe(0);
      expect(pings).toEqual(["/ping/drill"]);
    },
  );
});

describe("GitHub Actions drill workflow", () => {
  it("maps the schedule to cron exactly, or not at all", () => {
    expect(cronOf("daily")).toBe("0 0 * * *");
    expect(cronOf("*-*-* 04:30:00")).toBe("30 4 * * *");
    expect(cronOf("Mon *-*-* 04:00:00")).toBeUndefined();
  });

  it.each(["0.3", "0.5"] as const)(
    "Litestream %s: secrets by reference; the run line passes on a healthy backup and fails the job when storage is unreachable",
    { timeout: 300_000 },
    async (line) => {
      const storage = await s3Storage();
      const project = (mount: string): ProjectInput => ({
        name: "ops",
        litestream: { version: line, release: RELEASE[line] },
        storage: storage.storage,
        replication: { syncInterval: "1s" },
        databases: [{ name: "app", path: `${mount}/app.db` }],
        verification: { schedule: "*-*-* 04:00:00" },
      });
      const { dir, files, env } = await backedUp(line, storage, project);
      const workflowFile = fileOf(files, "ci-drill");
      expect(workflowFile.path).toBe("deploy/operations/github-actions-drill.yml");
      const workflow = parse(workflowFile.content) as {
        on: { schedule: Array<{ cron: string }> };
        jobs: { drill: { steps: Array<{ env?: Record<string, string>; run?: string }> } };
      };
      expect(workflow.on.schedule).toEqual([{ cron: "0 4 * * *" }]);
      const step = workflow.jobs.drill.steps.find((s) => s.run)!;
      expect(step.env).toEqual({
        LITESTREAM_ACCESS_KEY_ID: "${{ secrets.S3_KEY }}",
        LITESTREAM_SECRET_ACCESS_KEY: "${{ secrets.S3_SECRET }}",
      });

      // GitHub runs `run:` with bash -e from the checkout; the recording docker shows what the container gets.
      const argv = dockerArgv(["bash", "-e", "-c"], step.run!, S3_ENV);
      expect(argv.slice(0, 2)).toEqual(["run", "--rm"]);
      const envNames = argv.flatMap((a, i) => (argv[i - 1] === "-e" ? [a] : []));
      expect(envNames).toEqual([
        "LITESTREAM_CONFIG=/src/config/litestream.yml",
        "LITESTREAM_ACCESS_KEY_ID",
        "LITESTREAM_SECRET_ACCESS_KEY",
      ]);
      expect(argv[argv.indexOf("-v") + 1]).toMatch(/:\/src:ro$/);
      const after = argv.slice(argv.indexOf("--entrypoint") + 3);
      expect(after[0]).toBe("-c");
      const script = after[1]!.split("/src/").join(`${dir}/`);
      const container = { ...env, LITESTREAM_CONFIG: join(dir, "config/litestream.yml") };
      const pass = await runUntil(script, container, /$^/, false);
      expect(pass.output).toContain("litestream-drill: verdict: pass");
      expect(pass.code).toBe(0);

      storage.proxy!.refuse();
      const down = await runUntil(script, { ...container, LITESTREAM_DRILL_TIMEOUT: "15" }, /$^/, false);
      storage.proxy!.release();
      expect(down.output).toContain("litestream-drill: verdict: inconclusive");
      expect(down.code).toBe(2);
      expect(readFileSync(join(dir, workflowFile.path), "utf8")).not.toContain("S3RVER");
    },
  );
});
