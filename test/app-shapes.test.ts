// Real app shapes with steps between the restore and the app, and several app processes (issue 12,
// part 3), each from a realistic description; the real Litestream 0.3.13 and 0.5.17 load the
// generated config, and where the harness can run the start-up, the order restore → steps → app
// is executed for real: the steps and the app are sh stand-ins that log what they saw.
import { execFile, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate, type ProjectInput } from "../src/index.js";
import { binaryFor, listDatabases, type LitestreamLine } from "./harness/litestream.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";
import { LITESTREAM_05_RELEASE } from "./harness/tools.js";
import { leaveBackup } from "./support/backup.js";
import { writeFiles } from "./support/project-files.js";
import { withPrivateEtc } from "./support/private-etc.js";

afterAll(cleanupTempDirs);

const LINES: LitestreamLine[] = ["0.3", "0.5"];
const litestream = (line: LitestreamLine) =>
  line === "0.3" ? { version: "0.3" as const, verify: false } : { version: "0.5" as const, release: LITESTREAM_05_RELEASE, verify: false };

/** An executable that appends "<name> <args…>: <rows of t>" to the log, then runs `then`. */
function recorder(path: string, db: string, log: string, name: string, then = ""): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(
    path,
    `#!/bin/sh
rows=$(sqlite3 -cmd '.timeout 10000' '${db}' "SELECT group_concat(v, ',') FROM (SELECT v FROM t ORDER BY id)" 2>/dev/null || echo none)
echo "${name} $*: $rows" >> '${log}'
${then}
`,
  );
  chmodSync(path, 0o755);
}

function sh(argv: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { env, encoding: "utf8", timeout: 120_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, output: stdout + stderr }),
    );
  });
}

const lines = (log: string) => (existsSync(log) ? readFileSync(log, "utf8").trim().split("\n") : []);

describe.each(LINES)("Elixir release on the entrypoint, Litestream %s", (line) => {
  it('bin/app eval "App.Release.migrate" runs after the restore, with the argument intact, then the release starts', async () => {
    const dir = makeTempDir(`shape-elixir-${line}`);
    const db = join(dir, "data", "app.db");
    const app = join(dir, "app", "bin", "app");
    const project: ProjectInput = {
      name: "phoenix-app",
      litestream: litestream(line),
      storage: { provider: "file", path: join(dir, "replica") },
      replication: { syncInterval: "100ms" },
      databases: [{ name: "app", path: db }],
      targets: { entrypoint: { beforeApp: [[app, "eval", "App.Release.migrate"]], appCommand: [app, "start"] } },
    };
    writeFiles(join(dir, "project"), generate(project).files);
    const config = join(dir, "project", "config", "litestream.yml");
    expect((await listDatabases(config, {}, line)).map((d) => d.path)).toEqual([db]);
    mkdirSync(join(dir, "bin"));
    symlinkSync(binaryFor(line), join(dir, "bin", "litestream"));
    const env = { PATH: `${join(dir, "bin")}:/usr/bin:/bin`, HOME: dir, LITESTREAM_CONFIG: config };
    await leaveBackup({ dir, db, config, line, env });
    const log = join(dir, "log");
    // The migration adds a row; the release sees the backup's rows and the migration's.
    recorder(app, db, log, "bin/app", `[ "$1" = eval ] && sqlite3 '${db}' "INSERT INTO t(v) VALUES ('migrated')"; exit 0`);
    const run = await sh(["sh", join(dir, "project", "bin", "litestream-entrypoint")], env);
    expect(run.code, run.output).toBe(0);
    expect(lines(log)).toEqual(["bin/app eval App.Release.migrate: backed-1,backed-2", "bin/app start: backed-1,backed-2,migrated"]);
  }, 180_000);
});

describe.each(LINES)("Rails on Kamal: db:prepare, then web and a solid_queue worker, Litestream %s", (line) => {
  it("the accessory restores, then each role's bin/litestream-wait runs db:prepare and the role's command", async () => {
    const dir = makeTempDir(`shape-rails-${line}`);
    const storage = join(dir, "rails", "storage");
    const db = join(storage, "production.sqlite3");
    const project: ProjectInput = {
      name: "shop",
      litestream: litestream(line),
      storage: { provider: "file", path: join(dir, "replica") },
      replication: { syncInterval: "100ms" },
      databases: [{ name: "production", path: db }],
      targets: {
        kamal: {
          version: "2.12",
          volume: `shop_storage:${storage}`,
          host: "shop.example.com",
          appUser: "0:0",
          beforeApp: [["./bin/rails", "db:prepare"]],
        },
      },
    };
    const files = writeFiles(join(dir, "project"), generate(project).files);
    const config = join(dir, "project", "config", "litestream.yml");
    expect((await listDatabases(config, {}, line)).map((d) => d.path)).toEqual([db]);
    mkdirSync(join(dir, "bin"));
    symlinkSync(binaryFor(line), join(dir, "bin", "litestream"));
    const env = { PATH: `${join(dir, "bin")}:/usr/bin:/bin`, HOME: dir };
    await leaveBackup({ dir, db, config, line, env });

    // The app image: bin/rails (db:prepare adds a row once), bin/jobs (solid_queue's worker), bin/thrust.
    const appDir = join(dir, "app");
    const log = join(dir, "log");
    recorder(
      join(appDir, "bin", "rails"),
      db,
      log,
      "bin/rails",
      `[ "$1" = db:prepare ] && [ "$(sqlite3 -cmd '.timeout 10000' '${db}' "SELECT count(*) FROM t WHERE v = 'prepared'")" = 0 ] && sqlite3 -cmd '.timeout 10000' '${db}' "INSERT INTO t(v) VALUES ('prepared')"; exit 0`,
    );
    recorder(join(appDir, "bin", "jobs"), db, log, "bin/jobs");
    const wait = join(appDir, "bin", "litestream-wait");
    writeFileSync(wait, files.get("bin/litestream-wait")!);
    chmodSync(wait, 0o755);

    // Both roles start while the accessory is still restoring (Kamal boots them together).
    const web = sh(["sh", "-c", `cd '${appDir}' && exec ./bin/litestream-wait ./bin/rails server`], {
      ...env,
      LITESTREAM_WAIT_TIMEOUT: "120",
    });
    const job = sh(["sh", "-c", `cd '${appDir}' && exec ./bin/litestream-wait ./bin/jobs`], { ...env, LITESTREAM_WAIT_TIMEOUT: "120" });
    const accessory = (parse(files.get("config/litestream-accessory.yml")!) as { accessories: { litestream: { cmd: string } } }).accessories
      .litestream.cmd;
    const split = spawnSync("sh", ["-c", 'eval "set -- $1"; printf %s "$2"', "sh", accessory], { encoding: "utf8" });
    // The script reads /etc/litestream.yml, as in the container: a private /etc in a mount namespace;
    // it ends in `exec litestream replicate`, stopped here once both roles have run.
    const script = split.stdout.replace(/exec litestream replicate -config \/etc\/litestream\.yml$/, "exit 0");
    expect(script).not.toBe(split.stdout);
    const restore = await sh(withPrivateEtc(config, script), env);
    expect(restore.code, restore.output).toBe(0);
    const [w, j] = await Promise.all([web, job]);
    expect(w.code, w.output).toBe(0);
    expect(j.code, j.output).toBe(0);
    const seen = lines(log);
    // Each role ran db:prepare after the restore (the backup's rows are there), then its own command.
    expect(seen.filter((l) => l.startsWith("bin/rails db:prepare:"))).toHaveLength(2);
    for (const l of seen) expect(l).toMatch(/: backed-1,backed-2/);
    // Both roles ran it (Kamal's beforeApp runs in every app container: concurrently, so the step must
    // be safe to run twice at once, as db:prepare is); each role's command saw its result.
    expect(seen.filter((l) => /^bin\/rails server: backed-1,backed-2,prepared/.test(l))).toHaveLength(1);
    expect(seen.filter((l) => /^bin\/jobs : backed-1,backed-2,prepared/.test(l))).toHaveLength(1);
  }, 180_000);
});

describe("Node with Prisma on systemd: migrate deploy and a seed, then web and worker units", () => {
  const project = (line: LitestreamLine): ProjectInput => ({
    name: "tasks",
    litestream: litestream(line),
    storage: { provider: "file", path: "/var/backups/tasks" },
    databases: [{ name: "tasks", path: "/srv/tasks/prisma/tasks.db" }],
    targets: {
      systemd: {
        binary: binaryFor(line),
        appUser: "tasks",
        appUnits: ["tasks-web.service", "tasks-worker.service"],
        beforeApp: [
          ["/usr/bin/npx", "prisma", "migrate", "deploy"],
          ["/usr/bin/node", "prisma/seed.js"],
        ],
        appWorkingDirectory: "/srv/tasks",
        appEnvironmentFile: "/etc/tasks/env",
      },
    },
  });

  it.each(LINES)(
    "Litestream %s: config loads; one oneshot runs both steps in order; both units require it (systemd-analyze verify)",
    async (line) => {
      const files = new Map(generate(project(line)).files.map((f) => [f.path, f.content]));
      const dir = makeTempDir("shape-node");
      writeFileSync(join(dir, "litestream.yml"), files.get("config/litestream.yml")!);
      expect((await listDatabases(join(dir, "litestream.yml"), {}, line)).map((d) => d.path)).toEqual(["/srv/tasks/prisma/tasks.db"]);
      const oneshot = files.get("deploy/systemd/litestream-before-app.service")!;
      expect(oneshot.match(/^ExecStart=.*$/gm)).toEqual([
        "ExecStart=/usr/bin/npx prisma migrate deploy",
        "ExecStart=/usr/bin/node prisma/seed.js",
      ]);
      const units = join(dir, "units");
      mkdirSync(units);
      const verify: string[] = [];
      for (const [path, content] of files) {
        const dropIn = /\/([^/]+\.service)\.d\/([^/]+\.conf)$/.exec(path);
        if (dropIn) {
          mkdirSync(join(units, `${dropIn[1]}.d`), { recursive: true });
          writeFileSync(join(units, `${dropIn[1]}.d`, dropIn[2]!), content);
          writeFileSync(join(units, dropIn[1]!), "[Unit]\nDescription=stand-in\n\n[Service]\nExecStart=/bin/true\n");
          verify.push(join(units, dropIn[1]!));
          expect(content).toMatch(/^After=litestream\.service litestream-before-app\.service$/m);
          expect(content).toMatch(/^Requires=litestream\.service litestream-before-app\.service$/m);
        } else if (path.endsWith(".service")) {
          writeFileSync(
            join(units, path.split("/").at(-1)!),
            content.replaceAll("/usr/bin/npx", "/bin/true").replaceAll("/usr/bin/node", "/bin/true"),
          );
          verify.push(join(units, path.split("/").at(-1)!));
        }
      }
      expect(verify.filter((u) => /tasks-(web|worker)\.service$/.test(u))).toHaveLength(2);
      const r = spawnSync("systemd-analyze", ["verify", "--man=no", ...verify], { encoding: "utf8" });
      expect(r.stderr).toBe("");
      expect(r.status).toBe(0);
    },
  );
});
