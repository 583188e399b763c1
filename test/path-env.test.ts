// Database paths read from the environment at start-up (path: { env: "NAME" }, docs/entrypoint.md):
// the real Litestream 0.3.13 and 0.5.17 expand ${NAME} in the generated litestream.yml; the generated
// entrypoint, run under sh and busybox sh with the real binaries, restores the database at "$NAME"
// before the app starts and refuses an unset, relative or shared path with exit 78; everything that
// needs the path when generating refuses it by code, with a fix that works.
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate, type ProjectInput } from "../src/index.js";
import { binaryFor, listDatabases, type LitestreamLine } from "./harness/litestream.js";
import { createWalDb, expectedRows, insertRows, readRows } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";
import { parseDockerfile } from "./harness/buildkit.js";
import { issuesOf } from "./support/issues.js";
import { loadExample } from "./support/examples.js";

afterAll(cleanupTempDirs);

const LINES: LitestreamLine[] = ["0.3", "0.5"];
const SHELLS: Array<[string, string[]]> = [
  ["sh", ["sh"]],
  ["busybox sh", ["busybox", "sh"]],
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: "utf8", timeout: 60_000, env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr });
    });
  });
}

function project(line: LitestreamLine, dir: string, databases: ProjectInput["databases"]): ProjectInput {
  return {
    name: "app",
    litestream: { version: line },
    storage: { provider: "file", path: join(dir, "replica") },
    databases,
    runbook: false,
    targets: { entrypoint: { appCommand: [join(dir, "app")] } },
  };
}

/** The generated files written under dir/project, Litestream `line` on PATH, a fake app that records what it found. */
function sandbox(line: LitestreamLine, databases: ProjectInput["databases"]) {
  const dir = makeTempDir("path-env");
  const files = generate(project(line, dir, databases)).files;
  for (const f of files) {
    const target = join(dir, "project", f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, f.content);
  }
  const bin = join(dir, "bin");
  mkdirSync(bin);
  symlinkSync(binaryFor(line), join(bin, "litestream"));
  const marker = join(dir, "app-saw");
  // The app: records whether its database existed (and its rows) when it started, then writes rows 6-10.
  writeFileSync(
    join(dir, "app"),
    [
      "#!/bin/sh",
      "set -eu",
      `if [ -s "$DATABASE_PATH" ]; then echo existed >> '${marker}'; else echo missing >> '${marker}'; fi`,
      `sqlite3 "$DATABASE_PATH" 'SELECT count(*) FROM t;' >> '${marker}'`,
      `sqlite3 "$DATABASE_PATH" "INSERT OR IGNORE INTO t(id, v) VALUES (6, 'row-6'), (7, 'row-7'), (8, 'row-8'), (9, 'row-9'), (10, 'row-10');"`,
      "# Waits until the backup holds all ten rows (a restore of it into a scratch file shows them).",
      `probe='${join(dir, "probe.db")}' i=0`,
      'until rm -f "$probe" && litestream restore -config "$LITESTREAM_CONFIG" -o "$probe" "$DATABASE_PATH" 2>/dev/null && [ "$(sqlite3 "$probe" "SELECT count(*) FROM t;")" = 10 ]; do',
      "  i=$((i + 1))",
      '  if [ "$i" -gt 600 ]; then echo "no backup of $DATABASE_PATH appeared" >&2; exit 9; fi',
      "  sleep 0.1",
      "done",
      "",
    ].join("\n"),
  );
  chmodSync(join(dir, "app"), 0o755);
  const script = join(dir, "project", "bin", "litestream-entrypoint");
  const config = join(dir, "project", "config", "litestream.yml");
  return {
    dir,
    script,
    config,
    marker,
    saw: () => (existsSync(marker) ? readFileSync(marker, "utf8").trim().split("\n") : []),
    start: (shell: string[], env: Record<string, string>) =>
      run(shell[0]!, [...shell.slice(1), script], { PATH: `${bin}:/usr/bin:/bin`, HOME: dir, LITESTREAM_CONFIG: config, ...env }),
  };
}

describe("litestream.yml: ${NAME} as the database path, read by the real Litestream", () => {
  for (const line of LINES) {
    it(`Litestream ${line} shows the expanded path in \`litestream databases\``, async () => {
      const sb = sandbox(line, [{ name: "main", path: { env: "DATABASE_PATH" } }]);
      expect(readFileSync(sb.config, "utf8")).toContain('- path: "${DATABASE_PATH}"\n');
      // "#" and ": " stay inside the path: the reference is double-quoted in the YAML.
      const value = join(sb.dir, "host #1: a", "app.db");
      const dbs = await listDatabases(sb.config, { DATABASE_PATH: value }, line);
      expect(dbs.map((d) => d.path)).toEqual([value]);
    });
  }
});

describe("entrypoint with the database path from the environment: replicate, then restore on a new host", () => {
  for (const line of LINES) {
    for (const [shellName, shell] of SHELLS) {
      it(`Litestream ${line}, ${shellName}: the new host has the rows before the app starts`, async () => {
        const sb = sandbox(line, [{ name: "main", path: { env: "DATABASE_PATH" } }]);
        const hostA = join(sb.dir, "host-a", "app.db");
        mkdirSync(dirname(hostA));
        await createWalDb(hostA);
        await insertRows(hostA, 1, 5);
        const first = await sb.start(shell, { DATABASE_PATH: hostA });
        expect(first.code, first.stderr).toBe(0);
        expect(sb.saw()).toEqual(["existed", "5"]);

        // A new host: an empty directory, the same image and replica, another value of DATABASE_PATH.
        const hostB = join(sb.dir, "host b #2: new", "main.sqlite3");
        mkdirSync(dirname(hostB));
        const second = await sb.start(shell, { DATABASE_PATH: hostB });
        expect(second.code, second.stderr).toBe(0);
        expect(sb.saw()).toEqual(["existed", "5", "existed", "10"]);
        expect(await readRows(hostB)).toEqual(expectedRows(1, 10));
      }, 120_000);
    }
  }

  it("a 0-byte file at $DATABASE_PATH is set aside and the backup restored over it", async () => {
    const sb = sandbox("0.5", [{ name: "main", path: { env: "DATABASE_PATH" } }]);
    const hostA = join(sb.dir, "host-a", "app.db");
    mkdirSync(dirname(hostA));
    await createWalDb(hostA);
    await insertRows(hostA, 1, 5);
    expect((await sb.start(["sh"], { DATABASE_PATH: hostA })).code).toBe(0);
    const hostB = join(sb.dir, "host-b", "app.db");
    mkdirSync(dirname(hostB));
    writeFileSync(hostB, "");
    const second = await sb.start(["busybox", "sh"], { DATABASE_PATH: hostB });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`${hostB} is an empty file (0 bytes, no -wal): set aside`);
    expect(await readRows(hostB)).toEqual(expectedRows(1, 10));
  }, 120_000);
});

describe("entrypoint start-up checks of a database path from the environment: exit 78 before anything runs", () => {
  const cases: Array<{
    what: string;
    databases: ProjectInput["databases"];
    env: (dir: string) => Record<string, string>;
    message: RegExp;
  }> = [
    {
      what: "unset",
      databases: [{ name: "main", path: { env: "DATABASE_PATH" } }],
      env: () => ({}),
      message: /DATABASE_PATH is not set or empty: it is databases\[0\]\.path of the Litestream config/,
    },
    {
      what: "empty",
      databases: [{ name: "main", path: { env: "DATABASE_PATH" } }],
      env: () => ({ DATABASE_PATH: "" }),
      message: /DATABASE_PATH is not set or empty/,
    },
    {
      what: "relative",
      databases: [{ name: "main", path: { env: "DATABASE_PATH" } }],
      env: () => ({ DATABASE_PATH: "data/app.db" }),
      message: /DATABASE_PATH must be an absolute path \(it is the file of database main, databases\[0\]\.path\), not "data\/app\.db"/,
    },
    {
      what: "a double quote (it would end the YAML string)",
      databases: [{ name: "main", path: { env: "DATABASE_PATH" } }],
      env: () => ({ DATABASE_PATH: '/data/a"b.db' }),
      message: /DATABASE_PATH \(the file of database main\) must not contain a double quote or a backslash/,
    },
    {
      what: "a backslash",
      databases: [{ name: "main", path: { env: "DATABASE_PATH" } }],
      env: () => ({ DATABASE_PATH: "/data/a\\nb.db" }),
      message: /must not contain a double quote or a backslash/,
    },
    {
      what: "two variables, one file",
      databases: [
        { name: "main", path: { env: "MAIN_DB" } },
        { name: "queue", path: { env: "QUEUE_DB" } },
      ],
      env: (dir) => ({ MAIN_DB: join(dir, "one.db"), QUEUE_DB: join(dir, "one.db"), DATABASE_PATH: join(dir, "one.db") }),
      message: /databases main \(\$MAIN_DB\) and queue \(\$QUEUE_DB\) are the same file: two writers on one backup/,
    },
    {
      what: "a variable naming a literal database's file",
      databases: [
        { name: "main", path: { env: "DATABASE_PATH" } },
        { name: "queue", path: "/tmp/path-env-queue.db" },
      ],
      env: () => ({ DATABASE_PATH: "/tmp/path-env-queue.db" }),
      message: /databases main \(\$DATABASE_PATH\) and queue \(\/tmp\/path-env-queue\.db\) are the same file/,
    },
  ];
  for (const c of cases) {
    for (const [shellName, shell] of SHELLS) {
      it(`${c.what} (${shellName})`, async () => {
        const sb = sandbox("0.3", c.databases);
        const r = await sb.start(shell, c.env(sb.dir));
        expect(r.code).toBe(78);
        expect(r.stderr).toMatch(c.message);
        expect(sb.saw()).toEqual([]);
      });
    }
  }

  it("LITESTREAM_ENABLED=auto does not count the database path as Litestream being configured", () => {
    const dir = makeTempDir("path-env-auto");
    const input = project("0.5", dir, [{ name: "main", path: { env: "DATABASE_PATH" } }]);
    input.storage = {
      provider: "s3",
      bucket: { env: "LITESTREAM_BUCKET" },
      endpoint: "https://s3.example.com",
      region: "auto",
      credentials: { accessKeyId: { env: "LITESTREAM_ACCESS_KEY_ID" }, secretAccessKey: { env: "LITESTREAM_SECRET_ACCESS_KEY" } },
    };
    const script = generate(input).files.find((f) => f.path === "bin/litestream-entrypoint")!.content;
    expect(script).toMatch(/ if \[ -n "\$\{LITESTREAM_ACCESS_KEY_ID:-\}" \] .*\[ -n "\$\{LITESTREAM_BUCKET:-\}" \]; then\n/);
    expect(script).not.toMatch(/-n "\$\{DATABASE_PATH:-\}"/);
  });

  it("Dockerfile.litestream is read by BuildKit's parser as the same five instructions", async () => {
    const dir = makeTempDir("path-env-dockerfile");
    const files = generate(project("0.5", dir, [{ name: "main", path: { env: "DATABASE_PATH" } }])).files;
    const parsed = await parseDockerfile(files.find((f) => f.path === "Dockerfile.litestream")!.content);
    expect(parsed.filter((i) => i.error)).toEqual([]);
    expect(parsed.map((i) => i.cmd.toUpperCase())).toEqual(["COPY", "COPY", "COPY", "ENTRYPOINT", "CMD"]);
    expect(parsed[1]).toMatchObject({ sources: ["config/litestream.yml"], dest: "/etc/litestream.yml" });
  }, 900_000);

  it("passes shellcheck, sh -n and busybox sh -n", async () => {
    const sb = sandbox("0.5", [
      { name: "main", path: { env: "DATABASE_PATH" } },
      { name: "queue", path: { env: "QUEUE_PATH" } },
      { name: "cache", path: "/data/cache.db" },
    ]);
    const check = await run("shellcheck", ["--shell=sh", "--severity=style", "--format=gcc", sb.script], { PATH: process.env.PATH });
    expect(check.stdout + check.stderr).toBe("");
    expect(check.code).toBe(0);
    expect(await run("sh", ["-n", sb.script])).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(await run("busybox", ["sh", "-n", sb.script], { PATH: process.env.PATH })).toEqual({ code: 0, stdout: "", stderr: "" });
  });
});

const codes = (description: unknown) => issuesOf(description).map((i) => i.code);

/** The example with its first database's path read from DATABASE_PATH (and its name kept). */
async function withEnvPath(example: string): Promise<{ envPath: ProjectInput; literal: ProjectInput }> {
  const literal = await loadExample(example);
  const name = generate(literal).plan.environments[0]!.databases[0]!.name;
  const envPath = structuredClone(literal);
  envPath.databases[0] = { ...envPath.databases[0]!, name, path: { env: "DATABASE_PATH" } };
  const fixed = structuredClone(envPath);
  fixed.databases[0] = { ...fixed.databases[0]!, path: literal.databases[0]!.path };
  return { envPath, literal: fixed };
}

describe("refused where the path is needed when generating, each by its code; the fix works", () => {
  for (const [example, target] of [
    ["000-rails-kamal-hetzner", "kamal"],
    ["002-compose-r2", "compose"],
    ["004-python-systemd-hetzner", "systemd"],
  ] as const) {
    it(`${target} (${example}): path-env.${target}; the literal path generates`, async () => {
      const { envPath, literal } = await withEnvPath(example);
      const issues = issuesOf(envPath);
      const issue = issues.find((i) => i.code === `path-env.${target}`);
      expect(issue, JSON.stringify(issues)).toBeDefined();
      expect(issue!.path).toEqual(["databases", 0, "path"]);
      expect(issue!.message).toMatch(/from the database path when generating/);
      expect(issue!.fix).toMatch(/write the literal path.*or use targets\.entrypoint/);
      expect(issuesOf(literal)).toEqual([]);
    });
  }

  const base = (): ProjectInput => ({
    name: "app",
    litestream: { version: "0.5" },
    storage: { provider: "file", path: "/backups" },
    databases: [{ name: "main", path: { env: "DATABASE_PATH" } }],
    targets: { kamal: { host: "203.0.113.10" } },
  });

  it("the other fix: targets.entrypoint instead of kamal generates", () => {
    expect(codes(base())).toContain("path-env.kamal");
    expect(issuesOf({ ...base(), targets: { entrypoint: { appCommand: ["/app/server"] } } })).toEqual([]);
  });

  it("without a name: path-env.name; set name", () => {
    const input = { ...base(), databases: [{ path: { env: "DATABASE_PATH" } }], targets: { entrypoint: { appCommand: ["/app/server"] } } };
    const issue = issuesOf(input).find((i) => i.code === "path-env.name");
    expect(issue?.path).toEqual(["databases", 0, "name"]);
    expect(issue?.fix).toBe('set name, e.g. name: "database_path"');
    expect(issuesOf({ ...input, databases: [{ name: "database_path", path: { env: "DATABASE_PATH" } }] })).toEqual([]);
  });

  it("a directory database: path-env.directory; the literal directory generates", () => {
    const dirDb = { name: "tenants", path: { env: "TENANTS_DIR" }, directory: { pattern: "*.db" } };
    const input = { ...base(), restoreOnBoot: false, databases: [dirDb], targets: { entrypoint: { appCommand: ["/app/server"] } } };
    expect(codes(input)).toEqual(["path-env.directory"]);
    expect(issuesOf({ ...input, databases: [{ ...dirDb, path: "/data/tenants" }] })).toEqual([]);
  });

  it("two databases on one variable: path-env.shared; a variable each generates", () => {
    const input = {
      ...base(),
      targets: { entrypoint: { appCommand: ["/app/server"] } },
      databases: [
        { name: "main", path: { env: "DATABASE_PATH" } },
        { name: "queue", path: { env: "DATABASE_PATH" } },
      ],
    };
    expect(codes(input)).toEqual(["path-env.shared"]);
    expect(issuesOf({ ...input, databases: [input.databases[0]!, { name: "queue", path: { env: "QUEUE_PATH" } }] })).toEqual([]);
  });

  it("a credential's variable as the path: path-env.conflict; a variable of its own generates", () => {
    const input = {
      ...base(),
      storage: {
        provider: "s3",
        bucket: "backups",
        endpoint: "https://s3.example.com",
        region: "auto",
        credentials: { accessKeyId: { env: "KEY" }, secretAccessKey: { env: "SECRET" } },
      },
      targets: { entrypoint: { appCommand: ["/app/server"] } },
      databases: [{ name: "main", path: { env: "LITESTREAM_ACCESS_KEY_ID" } }],
    };
    expect(codes(input)).toEqual(["path-env.conflict"]);
    expect(issuesOf({ ...input, databases: [{ name: "main", path: { env: "DATABASE_PATH" } }] })).toEqual([]);
  });

  for (const [key, code, extra] of [
    ["verification", "path-env.drill", { verification: { schedule: "daily" } }],
    ["monitoring.alerts", "path-env.alerts", { monitoring: { addr: ":9090", alerts: {} } }],
    ["runbook", "path-env.runbook", { runbook: true }],
  ] as const) {
    it(`${key}: ${code}; removing it generates`, () => {
      const input = { ...base(), targets: { entrypoint: { appCommand: ["/app/server"] } } };
      expect(codes({ ...input, ...extra })).toContain(code);
      expect(issuesOf(input)).toEqual([]);
    });
  }

  it("the runbook is left out by default, with a warning that says why", () => {
    const result = generate({ ...base(), targets: { entrypoint: { appCommand: ["/app/server"] } } });
    expect(result.files.some((f) => f.kind === "runbook")).toBe(false);
    expect(result.warnings.map((w) => w.message)).toContainEqual(expect.stringMatching(/^RUNBOOK\.md is not written/));
  });

  it("a per-environment override may read the path from the environment too", () => {
    const input: ProjectInput = {
      ...base(),
      databases: [{ name: "main", path: "/data/main.db" }],
      targets: { entrypoint: { appCommand: ["/app/server"] } },
      environments: {
        production: {},
        staging: { storage: { provider: "file", path: "/backups/staging" }, databases: { main: { path: { env: "STAGING_DB" } } } },
      },
    };
    const result = generate(input);
    const staging = result.files.find((f) => f.path === "config/litestream.staging.yml")!.content;
    expect(staging).toContain('- path: "${STAGING_DB}"\n');
    const script = result.files.find((f) => f.path === "bin/litestream-entrypoint.staging")!.content;
    expect(script).toContain('restore_database "$STAGING_DB"');
    expect(script).toMatch(
      /STAGING_DB must be an absolute path \(it is the file of database main, environments\.staging\.databases\.main\.path\)/,
    );
    expect(result.files.find((f) => f.path === "config/litestream.production.yml")!.content).toContain("- path: /data/main.db\n");
  });
});
