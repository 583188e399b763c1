// The container entrypoint target, proven with the tools that consume it: shellcheck and sh for the
// script, and the real Litestream 0.3.13 binary running it end to end (file replicas and s3rver);
// boot order and shutdown on 0.3.13 and 0.5.17 are in entrypoint-lifecycle.test.ts.
import { execFile, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { generate, ProjectError, type ProjectInput } from "../src/index.js";
import { execWords, SHELL_OPERATORS } from "../src/render/quote/sh.js";
import { litestreamBinary, runLitestream } from "./harness/litestream.js";
import { closeAllS3, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, startS3 } from "./harness/s3.js";
import { sqlite } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";
import { loadExample } from "./support/examples.js";

// Words that a shell or go-shellwords would otherwise split, expand, cut or reject.
const NASTY_WORDS = [
  "",
  " ",
  "a b",
  "it's",
  "'",
  "''",
  '"',
  "\\",
  "\\'",
  "$HOME",
  "${HOME}",
  "$(id)",
  "`id`",
  ";",
  "a;b",
  "&&",
  "|",
  "<",
  ">",
  "2>&1",
  "#c",
  "*",
  "~",
  "(",
  ")",
  "é",
  "🙂",
  "--flag=value",
];

// The generator refuses bare shell operators as words (a user expecting a shell); everything else passes.
const NASTY_APP_WORDS = NASTY_WORDS.filter((w) => !SHELL_OPERATORS.has(w));

const live = new Set<import("node:child_process").ChildProcess>();
afterEach(async () => {
  for (const child of live) child.kill("SIGKILL");
  live.clear();
  await closeAllS3();
  await cleanupTempDirs();
});
afterAll(async () => {
  await closeAllS3();
  await cleanupTempDirs();
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A scratch project: the generated files written out, Litestream on PATH, app scripts beside them. */
interface Sandbox {
  dir: string;
  script: string;
  config: string;
  replica: string;
  db: (name: string) => string;
  /** PATH with the real litestream first. */
  path: string;
  /** PATH with a stub litestream that records being called and fails. */
  stubPath: string;
  stubMarker: string;
  run(opts?: { env?: Record<string, string>; args?: string[]; path?: string }): Promise<Run>;
}

function writeExecutable(path: string, content: string): string {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
  chmodSync(path, 0o755);
  return path;
}

function generateFiles(project: ProjectInput): Map<string, { content: string; mode?: number }> {
  const { files } = generate(project);
  return new Map(files.map((f) => [f.path, f]));
}

function sandbox(makeProject: (dir: string) => ProjectInput, prefix = "entrypoint"): Sandbox {
  const dir = makeTempDir(prefix);
  const files = generateFiles(makeProject(dir));
  for (const [path, file] of files) {
    const target = join(dir, "project", path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    if (file.mode) chmodSync(target, file.mode);
  }
  mkdirSync(join(dir, "data"));
  const bin = join(dir, "bin");
  mkdirSync(bin);
  symlinkSync(litestreamBinary, join(bin, "litestream"));
  const stubBin = join(dir, "stub-bin");
  const stubMarker = join(dir, "stub-called");
  writeExecutable(join(stubBin, "litestream"), `#!/bin/sh\necho "$@" >> '${stubMarker}'\nexit 1\n`);
  const script = join(dir, "project", "bin", "litestream-entrypoint");
  const config = join(dir, "project", "config", "litestream.yml");
  const sb: Sandbox = {
    dir,
    script,
    config,
    replica: join(dir, "replica"),
    db: (name) => join(dir, "data", `${name}.db`),
    path: `${bin}:/usr/bin:/bin`,
    stubPath: `${stubBin}:/usr/bin:/bin`,
    stubMarker,
    run: ({ env = {}, args = [], path } = {}) =>
      new Promise((resolve) => {
        execFile(
          script,
          args,
          { env: { PATH: path ?? sb.path, HOME: dir, LITESTREAM_CONFIG: config, ...env }, timeout: 90_000, encoding: "utf8" },
          (err, stdout, stderr) => {
            const code = err ? (typeof err.code === "number" ? err.code : null) : 0;
            resolve({ code, stdout, stderr });
          },
        );
      }),
  };
  return sb;
}

/** A project with two databases under <dir>/data and a file replica under <dir>/replica. */
function fileProject(appCommand: string[], extra: Partial<ProjectInput> = {}) {
  return (dir: string): ProjectInput => ({
    name: "app",
    litestream: { version: "0.3" },
    storage: { provider: "file", path: join(dir, "replica") },
    replication: { syncInterval: "100ms" },
    databases: [
      { name: "primary", path: join(dir, "data", "primary.db") },
      { name: "queue", path: join(dir, "data", "queue.db") },
    ],
    targets: { entrypoint: { appCommand } },
    ...extra,
  });
}

// The apps: small sh scripts taking everything they need as arguments.
const APP_FIRST_BOOT = `#!/bin/sh
# Creates rows in both databases, then waits until Litestream has a snapshot and a WAL segment of each.
set -eu
data=$1 replica=$2 marker=$3
for db in primary queue; do
  sqlite3 "$data/$db.db" "PRAGMA journal_mode=WAL; CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t(v) VALUES ('$db-1'), ('$db-2'), ('$db-3');" >/dev/null
done
echo started > "$marker"
i=0
for db in primary queue; do
  until [ -n "$(find "$replica/$db" -name '*.snapshot.lz4' 2>/dev/null)" ] && [ -n "$(find "$replica/$db" -name '*.wal.lz4' 2>/dev/null)" ]; do
    i=$((i + 1))
    if [ "$i" -gt 600 ]; then echo "no backup of $db appeared" >&2; exit 9; fi
    sleep 0.1
  done
done
echo replicated > "$marker"
`;

const APP_CHECK_ROWS = `#!/bin/sh
# Exits 0 only if both databases exist and hold the three rows written on first boot.
set -eu
data=$(dirname "$0")/../data marker=$(dirname "$0")/../marker
for db in primary queue; do
  if [ ! -f "$data/$db.db" ]; then echo "$db missing" > "$marker"; exit 3; fi
  rows=$(sqlite3 "$data/$db.db" "SELECT group_concat(v, ',') FROM t")
  if [ "$rows" != "$db-1,$db-2,$db-3" ]; then echo "$db: $rows" > "$marker"; exit 4; fi
done
echo restored > "$marker"
`;

const APP_CHECK_LOCAL = `#!/bin/sh
# Exits 0 only if the local databases are still the local ones (a restore would have replaced them).
set -eu
data=$(dirname "$0")/../data marker=$(dirname "$0")/../marker
for db in primary queue; do
  v=$(sqlite3 "$data/$db.db" "SELECT v FROM local_only")
  if [ "$v" != "local $db" ]; then echo "$db: $v" > "$marker"; exit 5; fi
done
echo local > "$marker"
`;

function appScript(sb: Sandbox, name: string, content: string): string {
  return writeExecutable(join(sb.dir, "apps", name), content);
}

describe("entrypoint script: static checks", () => {
  const variants: Record<string, (dir: string) => ProjectInput> = {
    "0.3, file replica": fileProject(["/srv/app/bin/server", "--port", "8080"]),
    "0.3, S3 keys under LITESTREAM_* (the app's AWS_* kept apart)": (dir) => ({
      ...fileProject(["bin/rails", "server"])(dir),
      storage: {
        provider: "minio",
        endpoint: "http://127.0.0.1:9000",
        bucket: "backups",
        credentials: { accessKeyId: { env: "MINIO_KEY" }, secretAccessKey: { env: "MINIO_SECRET" } },
      },
    }),
    "0.3, restoreOnBoot off": fileProject(["app"], { restoreOnBoot: false }),
    "0.5, an app command full of quotes and dollars": (dir) => ({
      ...fileProject(["app", ...NASTY_APP_WORDS])(dir),
      litestream: { version: "0.5" },
    }),
    "0.5, S3 keys and beforeApp steps": (dir) => ({
      ...fileProject(["app"], { targets: { entrypoint: { appCommand: ["app"], beforeApp: [["app", ...NASTY_APP_WORDS]] } } })(dir),
      litestream: { version: "0.5" },
      storage: {
        provider: "minio",
        endpoint: "http://127.0.0.1:9000",
        bucket: "backups",
        credentials: { accessKeyId: { env: "MINIO_KEY" }, secretAccessKey: { env: "MINIO_SECRET" } },
      },
    }),
  };
  for (const [name, make] of Object.entries(variants)) {
    it(`passes shellcheck and sh -n: ${name}`, async () => {
      const dir = makeTempDir("entrypoint-lint");
      const file = generateFiles(make(dir)).get("bin/litestream-entrypoint")!;
      expect(file.mode).toBe(0o755);
      const path = join(dir, "entrypoint");
      writeFileSync(path, file.content);
      const check = await tool("shellcheck", ["--shell=sh", "--severity=style", "--format=gcc", path]);
      expect(check.stdout + check.stderr).toBe("");
      expect(check.code).toBe(0);
      const syntax = await tool("sh", ["-n", path]);
      expect(syntax).toEqual({ code: 0, stdout: "", stderr: "" });
      expect(await tool("busybox", ["sh", "-n", path])).toEqual({ code: 0, stdout: "", stderr: "" });
    });
  }

  it("restores explicitly on 0.3 and 0.5 (flags before the path), an empty database set aside first", () => {
    const dir = "/srv/x";
    for (const litestream of [{ version: "0.3" as const }, { version: "0.5" as const }]) {
      const script = generateFiles({ ...fileProject(["app"])(dir), litestream }).get("bin/litestream-entrypoint")!.content;
      expect(script).toContain('run_step litestream restore -config "$LITESTREAM_CONFIG" -if-db-not-exists -if-replica-exists "$1"');
      expect(script).toContain("  restore_database /srv/x/data/primary.db\n");
      expect(script).toContain(
        "  if [ -f /srv/x/data/queue.db ] && [ ! -s /srv/x/data/queue.db ] && [ ! -e /srv/x/data/queue.db-wal ]; then\n",
      );
    }
  });

  it("beforeApp steps run as quoted words after the restore; words that cannot be run are refused", async () => {
    const dir = makeTempDir("entrypoint-before");
    const script = generateFiles(
      fileProject(["app"], {
        targets: {
          entrypoint: {
            appCommand: ["app"],
            beforeApp: [
              ["bin/rails", "db:prepare"],
              ["printf", "%s\\n", "it's $HOME", "x y"],
            ],
          },
        },
      })(dir),
    ).get("bin/litestream-entrypoint")!.content;
    expect(script.indexOf("run_step bin/rails db:prepare\n")).toBeGreaterThan(script.indexOf("restore_database "));
    expect(script).toContain(`run_step printf "%s\\\\n" "it's \\$HOME" 'x y'\n`);
    expect(script).toContain('#        ["printf","%s\\\\n","it\'s $HOME","x y"]\n');
    const path = join(dir, "entrypoint");
    writeFileSync(path, script);
    for (const [cmd, args] of [
      ["shellcheck", ["--shell=sh", "--severity=style", "--format=gcc", path]],
      ["sh", ["-n", path]],
      ["busybox", ["sh", "-n", path]],
    ] as const) {
      const r = await tool(cmd, [...args]);
      expect(r, cmd).toEqual({ code: 0, stdout: "", stderr: "" });
    }
    const refused = (beforeApp: string[][]) => {
      try {
        generate(fileProject(["app"], { targets: { entrypoint: { appCommand: ["app"], beforeApp } } })("/srv/x"));
        return [];
      } catch (e) {
        if (!(e instanceof ProjectError)) throw e;
        return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      }
    };
    expect(refused([["bin/rails db:prepare"]])).toEqual([
      'targets.entrypoint.beforeApp.0.0: the program "bin/rails db:prepare" contains whitespace: each step is a list of words, not a command line',
    ]);
    expect(refused([["ok"], ["a", "&&", "b"]])[0]).toMatch(/^targets\.entrypoint\.beforeApp\.1\.1: "&&" is shell syntax/);
    expect(refused([["a", "b\0c"]])).toEqual([
      "targets.entrypoint.beforeApp.0.1: contains a NUL (U+0000) at position 1, which no generated file can hold faithfully",
    ]);
    expect(refused([[""]])[0]).toContain("the program to run is empty");
  });
});

function tool(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: "utf8", timeout: 60_000, ...opts }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr });
    });
  });
}

describe("entrypoint script: run for real with Litestream 0.3.13 and a file replica", () => {
  it("first boot without a backup: the app starts on a fresh database and Litestream backs it up", async () => {
    const sb = sandbox((dir) => fileProject([join(dir, "apps", "app"), join(dir, "data"), join(dir, "replica"), join(dir, "marker")])(dir));
    appScript(sb, "app", APP_FIRST_BOOT);
    const run = await sb.run();
    expect(run.stderr + run.stdout).toContain("no matching backups found");
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(readFileSync(join(sb.dir, "marker"), "utf8")).toBe("replicated\n");
    expect(readdirSync(join(sb.replica, "primary", "generations"))).toHaveLength(1);
    expect(readdirSync(join(sb.replica, "queue", "generations"))).toHaveLength(1);
  });

  it("database missing but backed up: restored before the app command runs", async () => {
    const sb = sandbox((dir) => fileProject([join(dir, "apps", "app")])(dir));
    await backUpFreshDatabases(sb);
    emptyDataDir(sb);
    writeFileSync(join(sb.dir, "apps", "app"), APP_CHECK_ROWS);
    // The app command is fixed in the generated script; the app file it runs is swapped per case.
    const run = await sb.run();
    expect(run.code, run.stderr + run.stdout + readMarker(sb)).toBe(0);
    expect(readMarker(sb)).toBe("restored\n");
  });

  it("database present: left untouched (same inode, same rows), even though a backup exists", async () => {
    const sb = sandbox((dir) => fileProject([join(dir, "apps", "app")])(dir));
    await backUpFreshDatabases(sb);
    emptyDataDir(sb);
    const before: Record<string, { ino: number; rows: string }> = {};
    for (const db of ["primary", "queue"]) {
      await sqlite(sb.db(db), `PRAGMA journal_mode=WAL; CREATE TABLE local_only(v TEXT); INSERT INTO local_only VALUES ('local ${db}');`);
      before[db] = { ino: statSync(sb.db(db)).ino, rows: await sqlite(sb.db(db), "SELECT v FROM local_only") };
    }
    writeFileSync(join(sb.dir, "apps", "app"), APP_CHECK_LOCAL);
    const run = await sb.run();
    expect(run.code, run.stderr + run.stdout + readMarker(sb)).toBe(0);
    expect(run.stdout + run.stderr).toContain("database already exists, skipping");
    expect(readMarker(sb)).toBe("local\n");
    for (const db of ["primary", "queue"]) {
      expect(statSync(sb.db(db)).ino).toBe(before[db]!.ino);
      expect(await sqlite(sb.db(db), "SELECT v FROM local_only")).toBe(before[db]!.rows);
      expect(await sqlite(sb.db(db), "SELECT count(*) FROM sqlite_master WHERE name = 't'")).toBe("0\n");
    }
  });

  it("LITESTREAM_ENABLED=false: the app runs directly, Litestream is never called", async () => {
    const sb = sandbox((dir) => fileProject([join(dir, "apps", "app"), "arg with space", "it's"])(dir));
    appScript(sb, "app", `#!/bin/sh\nprintf '%s|' "$@" > '${join(sb.dir, "marker")}'\n`);
    const run = await sb.run({ env: { LITESTREAM_ENABLED: "false" }, path: sb.stubPath });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain("starting the app without Litestream");
    expect(readMarker(sb)).toBe("arg with space|it's|");
    expect(existsSync(sb.stubMarker)).toBe(false);
    expect(existsSync(sb.replica)).toBe(false);
  });

  it("refuses an unknown LITESTREAM_ENABLED value instead of guessing", async () => {
    const sb = sandbox((dir) => fileProject([join(dir, "apps", "app")])(dir));
    appScript(sb, "app", `#!/bin/sh\ntouch '${join(sb.dir, "marker")}'\n`);
    const run = await sb.run({ env: { LITESTREAM_ENABLED: "maybe" }, path: sb.stubPath });
    expect(run.code).toBe(64);
    expect(run.stderr).toContain('LITESTREAM_ENABLED must be true, false or auto, not "maybe"');
    expect(existsSync(join(sb.dir, "marker"))).toBe(false);
    expect(existsSync(sb.stubMarker)).toBe(false);
  });

  it("arguments run a one-off command without Litestream (never a second writer)", async () => {
    const sb = sandbox((dir) => fileProject([join(dir, "apps", "never")])(dir));
    const run = await sb.run({ args: ["sh", "-c", `echo one-off > '${join(sb.dir, "marker")}'`], path: sb.stubPath });
    expect(run.code, run.stderr).toBe(0);
    expect(readMarker(sb)).toBe("one-off\n");
    expect(existsSync(sb.stubMarker)).toBe(false);
  });

  it("the app's failure ends the container: a non-zero app exit becomes exit 1 (Litestream does not pass the code on)", async () => {
    const sb = sandbox((dir) => fileProject([join(dir, "apps", "app")])(dir));
    appScript(sb, "app", "#!/bin/sh\nexit 7\n");
    const run = await sb.run();
    expect(run.code).toBe(1);
  });

  it("SIGTERM to the container reaches the app through Litestream, and both exit cleanly", async () => {
    const sb = sandbox((dir) => fileProject([join(dir, "apps", "app")])(dir));
    const marker = join(sb.dir, "marker");
    appScript(
      sb,
      "app",
      `#!/bin/sh\ntrap 'echo terminated > "${marker}"; exit 0' TERM\necho running > "${marker}"\nwhile :; do sleep 0.1; done\n`,
    );
    const child = spawn(sb.script, [], {
      env: { PATH: sb.path, HOME: sb.dir, LITESTREAM_CONFIG: sb.config },
      stdio: ["ignore", "pipe", "pipe"],
    });
    live.add(child);
    let output = "";
    child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
    await waitFor(
      () => existsSync(marker) && readFileSync(marker, "utf8") === "running\n",
      () => output,
    );
    child.kill("SIGTERM");
    expect(await exited, output).toBe(0);
    expect(readFileSync(marker, "utf8")).toBe("terminated\n");
    live.delete(child);
  });
});

/** A new container: the image's (empty) data directory, nothing of the last one's files. */
function emptyDataDir(sb: Sandbox): void {
  rmSync(join(sb.dir, "data"), { recursive: true });
  mkdirSync(join(sb.dir, "data"));
}

function readMarker(sb: Sandbox): string {
  const path = join(sb.dir, "marker");
  return existsSync(path) ? readFileSync(path, "utf8") : "";
}

async function waitFor(condition: () => boolean, describe: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met; output:\n${describe()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs the entrypoint once with the first-boot app, leaving a backup of both databases. */
async function backUpFreshDatabases(sb: Sandbox): Promise<void> {
  writeExecutable(
    join(sb.dir, "apps", "app"),
    `#!/bin/sh\nexec '${join(sb.dir, "apps", "first-boot")}' '${join(sb.dir, "data")}' '${sb.replica}' '${join(sb.dir, "marker")}'\n`,
  );
  appScript(sb, "first-boot", APP_FIRST_BOOT);
  const run = await sb.run();
  expect(run.code, run.stderr + run.stdout).toBe(0);
  expect(readMarker(sb)).toBe("replicated\n");
}

describe("entrypoint script: S3 keys when the app has AWS_* keys of its own (s3rver)", () => {
  const s3Project =
    (endpoint: string, app: string) =>
    (dir: string): ProjectInput => ({
      ...fileProject([app])(dir),
      storage: {
        provider: "minio",
        endpoint,
        bucket: "backups",
        prefix: "app",
        credentials: { accessKeyId: { env: "LITESTREAM_ACCESS_KEY_ID" }, secretAccessKey: { env: "LITESTREAM_SECRET_ACCESS_KEY" } },
      },
    });
  const keys = { LITESTREAM_ACCESS_KEY_ID: S3_ACCESS_KEY_ID, LITESTREAM_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY };
  const appKeys = { AWS_ACCESS_KEY_ID: "APPKEY", AWS_SECRET_ACCESS_KEY: "app-secret" };

  it("Litestream backs up and restores with LITESTREAM_*, while the app keeps its own AWS_*", async () => {
    const s3 = await startS3({ buckets: ["backups"] });
    const sb = sandbox((dir) => s3Project(s3.endpoint, join(dir, "apps", "app"))(dir), "entrypoint-s3");
    const marker = join(sb.dir, "marker");
    // Control: Litestream on its own would use the app's AWS_* keys, which s3rver rejects.
    const control = await runLitestream(["restore", "-config", sb.config, "-if-replica-exists", sb.db("primary")], {
      env: { ...keys, ...appKeys },
    });
    expect(control.code).toBe(1);
    expect(control.stdout + control.stderr).toMatch(/InvalidAccessKeyId|AccessDenied|does not exist in our records/);

    // First boot: rows written, backup uploaded, the app sees its own keys and none of Litestream's.
    appScript(
      sb,
      "app",
      `#!/bin/sh
set -eu
for db in primary queue; do
  sqlite3 '${sb.dir}/data/'"$db.db" "PRAGMA journal_mode=WAL; CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('$db-s3');" >/dev/null
done
i=0
until [ "$(find '${s3.dir}/backups/app' -name '*.wal.lz4._S3rver_object' 2>/dev/null | wc -l)" -ge 2 ]; do
  i=$((i + 1)); if [ "$i" -gt 600 ]; then echo "nothing uploaded" >&2; exit 9; fi
  sleep 0.1
done
env | grep -E '^(AWS_|LITESTREAM_ENTRYPOINT)' | sort > '${marker}'
`,
    );
    const first = await sb.run({ env: { ...keys, ...appKeys, AWS_SESSION_TOKEN: "app-token" } });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(readFileSync(marker, "utf8")).toBe("AWS_ACCESS_KEY_ID=APPKEY\nAWS_SECRET_ACCESS_KEY=app-secret\nAWS_SESSION_TOKEN=app-token\n");

    // Second boot on an empty disk: restored from s3rver with LITESTREAM_* although AWS_* is the app's.
    emptyDataDir(sb);
    writeFileSync(
      join(sb.dir, "apps", "app"),
      `#!/bin/sh
set -eu
{ sqlite3 '${sb.dir}/data/primary.db' 'SELECT v FROM t'; sqlite3 '${sb.dir}/data/queue.db' 'SELECT v FROM t'; env | grep -E '^AWS_' | sort; } > '${marker}'
`,
    );
    const second = await sb.run({ env: { ...keys, ...appKeys } });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(readFileSync(marker, "utf8")).toBe("primary-s3\nqueue-s3\nAWS_ACCESS_KEY_ID=APPKEY\nAWS_SECRET_ACCESS_KEY=app-secret\n");
  });

  it("keys under the user's own names are mapped; an app without AWS_* does not inherit Litestream's", async () => {
    const s3 = await startS3({ buckets: ["backups"] });
    const sb = sandbox((dir) => {
      const p = s3Project(s3.endpoint, join(dir, "apps", "app"))(dir);
      return {
        ...p,
        storage: {
          ...(p.storage as object),
          credentials: { accessKeyId: { env: "BACKUP_KEY" }, secretAccessKey: { env: "BACKUP_SECRET" } },
        },
      } as ProjectInput;
    }, "entrypoint-s3");
    expect(readFileSync(sb.script, "utf8")).toContain(
      'if [ -n "${BACKUP_KEY:-}" ]; then export LITESTREAM_ACCESS_KEY_ID="$BACKUP_KEY"; fi',
    );
    appScript(sb, "app", `#!/bin/sh\n{ env | grep -E '^AWS_' || true; } > '${join(sb.dir, "marker")}'\n`);
    // The restore lists the bucket: it succeeds only with the mapped keys.
    const run = await sb.run({ env: { BACKUP_KEY: S3_ACCESS_KEY_ID, BACKUP_SECRET: S3_SECRET_ACCESS_KEY } });
    expect(run.stdout + run.stderr).toContain("no matching backups found");
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(readMarker(sb)).toBe("");
    const wrong = await sb.run({ env: { BACKUP_KEY: "NOTAKEY", BACKUP_SECRET: "nope" } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("could not restore");
  });

  it("fails before starting anything when Litestream's keys are missing", async () => {
    const sb = sandbox((dir) => s3Project("http://127.0.0.1:9", join(dir, "apps", "app"))(dir), "entrypoint-s3");
    appScript(sb, "app", `#!/bin/sh\ntouch '${join(sb.dir, "marker")}'\n`);
    const run = await sb.run({ env: appKeys, path: sb.stubPath });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain("not set: LITESTREAM_ACCESS_KEY_ID LITESTREAM_SECRET_ACCESS_KEY");
    expect(existsSync(join(sb.dir, "marker"))).toBe(false);
    expect(existsSync(sb.stubMarker)).toBe(false);
  });
});

describe("app command quoting for Litestream's -exec (go-shellwords, measured on the real binary)", () => {
  const printer = (out: string) => `#!/bin/sh\nprintf '%s\\0' "$@" > '${out}'\n`;
  const readArgs = (path: string) => readFileSync(path, "utf8").split("\0").slice(0, -1);

  it("execWords round-trips every word through `litestream replicate -exec`", async () => {
    const dir = makeTempDir("exec-quoting");
    const out = join(dir, "args");
    const app = writeExecutable(join(dir, "printer"), printer(out));
    const config = join(dir, "litestream.yml");
    writeFileSync(
      config,
      `dbs:\n  - path: ${join(dir, "db.sqlite")}\n    replicas:\n      - type: file\n        path: ${join(dir, "replica")}\n`,
    );
    const r = await runLitestream(["replicate", "-config", config, "-exec", execWords([app, ...NASTY_WORDS])]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readArgs(out)).toEqual(NASTY_WORDS);
    // Control: unquoted, go-shellwords silently drops everything from the first ";" on.
    const unquoted = await runLitestream(["replicate", "-config", config, "-exec", `${app} a;b c`]);
    expect(unquoted.code).toBe(0);
    expect(readArgs(out)).toEqual(["a"]);
  });

  it("the generated entrypoint passes the same words to the app, with and without Litestream", async () => {
    const sb = sandbox((dir) => fileProject([join(dir, "apps", "printer"), ...NASTY_APP_WORDS])(dir), "exec-quoting");
    const out = join(sb.dir, "args");
    appScript(sb, "printer", printer(out));
    const withLitestream = await sb.run();
    expect(withLitestream.code, withLitestream.stdout + withLitestream.stderr).toBe(0);
    expect(readArgs(out)).toEqual(NASTY_APP_WORDS);
    rmSync(out);
    const without = await sb.run({ env: { LITESTREAM_ENABLED: "false" }, path: sb.stubPath });
    expect(without.code, without.stderr).toBe(0);
    expect(readArgs(out)).toEqual(NASTY_APP_WORDS);
  });

  it("refuses app commands that cannot be passed as words", () => {
    const attempt = (appCommand: string[]) => {
      try {
        generate(fileProject(appCommand)("/srv/x"));
        return [];
      } catch (e) {
        if (!(e instanceof ProjectError)) throw e;
        return e.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      }
    };
    expect(attempt(["bin/rails server"])).toEqual([
      'targets.entrypoint.appCommand.0: the program "bin/rails server" contains whitespace: appCommand is a list of words, not a command line',
    ]);
    expect(attempt(["bin/rails", "db:prepare", "&&", "bin/rails", "server"])[0]).toMatch(
      /^targets\.entrypoint\.appCommand\.2: "&&" is shell syntax, but no shell runs the app command/,
    );
    expect(attempt(["app", "a\0b"])).toEqual([
      "targets.entrypoint.appCommand.1: contains a NUL (U+0000) at position 1, which no generated file can hold faithfully",
    ]);
    expect(attempt(["app", "\uD800"])[0]).toContain("a lone surrogate");
    expect(attempt([""])[0]).toContain("the program to run is empty");
  });

  it("requires the app command", () => {
    expect(() => generate({ ...fileProject(["x"])("/srv/x"), targets: { entrypoint: {} } })).toThrow(
      /targets\.entrypoint\.appCommand: the app's command is not set/,
    );
  });
});

describe("snapshots of the examples' entrypoint artifacts", () => {
  for (const example of ["001-rails-docker-entrypoint", "003-pocketbase-file-and-s3"]) {
    it(example, async () => {
      const { files } = generate(await loadExample(example));
      const mine = files.filter((f) => f.kind === "entrypoint" || f.kind === "dockerfile-snippet");
      expect(mine.length).toBeGreaterThan(0);
      for (const file of mine) {
        await expect(file.content).toMatchFileSnapshot(`../snapshots/${example}/${file.path}`);
      }
    });
  }
});
