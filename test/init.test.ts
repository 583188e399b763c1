// `init` on fixture apps (Rails + Kamal, a Compose app, a systemd host): answered through a real
// pseudo-terminal (util-linux `script`), and with --yes and flags. The written litestream.config.ts
// must generate, and its files must pass the real tools: `litestream databases` of the line,
// `docker-compose config`, shellcheck.
import { execFile, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../src/cli.js";
import { detectApp } from "../src/init/detect.js";
import { composeConfig } from "./harness/compose.js";
import { hermeticEnv, listDatabases, type LitestreamLine } from "./harness/litestream.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

const repo = path.resolve(import.meta.dirname, "..");
const TSX = path.join(repo, "node_modules/tsx/dist/loader.mjs");
const BIN = path.join(repo, "src/bin.ts");
const CREDENTIALS = { LITESTREAM_ACCESS_KEY_ID: "test-key-id", LITESTREAM_SECRET_ACCESS_KEY: "test-secret" };

afterAll(cleanupTempDirs);

/** A copy of a fixture app where `import "litestream-deploy"` resolves to this checkout's source. */
function fixtureApp(name: string): string {
  const dir = path.join(makeTempDir(`ld-init-${name}-`), name);
  cpSync(path.join(repo, "test/fixtures/apps", name), dir, { recursive: true });
  const pkg = path.join(dir, "node_modules/litestream-deploy");
  mkdirSync(pkg, { recursive: true });
  writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "litestream-deploy", type: "module", exports: "./index.ts" }));
  writeFileSync(path.join(pkg, "index.ts"), `export * from ${JSON.stringify(path.join(repo, "src/index.ts"))};\n`);
  return dir;
}

/** Runs `litestream-deploy init` in a pseudo-terminal, typing `lines`; returns what the terminal showed. */
function initInTerminal(dir: string, lines: string[]): { status: number | null; screen: string } {
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, "--import", TSX, BIN, "init"].map(quote).join(" ");
  const run = spawnSync("script", ["-qec", command, "/dev/null"], {
    cwd: dir,
    input: `${lines.join("\n")}\n`,
    encoding: "utf8",
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { status: run.status, screen: run.stdout + run.stderr };
}

async function cli(dir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t), cwd: dir, env: {} });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** generate, then every produced file through the real program that reads it. */
async function generateAndVerify(
  dir: string,
  line: LitestreamLine,
  expected: { databases: readonly string[]; compose?: readonly string[] },
): Promise<string[]> {
  const generated = await cli(dir, "generate", "--json");
  expect(generated.code, generated.out + generated.err).toBe(0);
  const files: Array<{ path: string; kind: string; status: string }> = JSON.parse(generated.out).files;
  expect(files.every((f) => f.status === "created" || f.status === "updated")).toBe(true);
  const configs = files.filter((f) => f.kind === "litestream-config");
  expect(configs.length).toBeGreaterThan(0);
  for (const config of configs) {
    const listed = await listDatabases(path.join(dir, config.path), hermeticEnv(CREDENTIALS), line);
    expect(listed.map((d) => d.path)).toEqual(expected.databases);
    expect(listed.every((d) => d.replicas.length === 1)).toBe(true);
  }
  for (const file of files) {
    const text = readFileSync(path.join(dir, file.path), "utf8");
    if (!/^#!\/(usr\/)?bin\/(env )?(ba)?sh/.test(text)) continue;
    const check = spawnSync("shellcheck", ["-"], { input: text, encoding: "utf8" });
    expect(check.stdout + check.stderr, `shellcheck ${file.path}`).toBe("");
  }
  if (expected.compose) {
    const result = await composeConfig(
      expected.compose.map((f) => path.join(dir, f)),
      { env: { ...CREDENTIALS, SESSION_SECRET: "x" } },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ {2}litestream:$/m);
  }
  const check = await cli(dir, "generate", "--check");
  expect(check.code, check.out).toBe(0);
  return files.map((f) => f.path);
}

describe("detection", () => {
  it("reads Kamal, Rails, Compose and systemd settings of the fixture apps", () => {
    const rails = detectApp(path.join(repo, "test/fixtures/apps/rails-kamal"));
    expect(rails.kamal).toMatchObject({
      service: "myapp",
      volume: "myapp_storage:/rails/storage",
      servers: ["203.0.113.10"],
      version: "2.10.1",
      railsUser: true,
    });
    expect(rails.databases.map((d) => `${d.name}=${d.path}:${d.role}`)).toEqual([
      "primary=storage/production.sqlite3:primary",
      "cache=storage/production_cache.sqlite3:cache",
      "queue=storage/production_queue.sqlite3:queue",
      "cable=storage/production_cable.sqlite3:cable",
    ]);
    const compose = detectApp(path.join(repo, "test/fixtures/apps/compose-app"));
    expect(compose.compose?.services.map((s) => `${s.name}:${s.volumes.join(",")}`)).toEqual([
      "app:meds_data:/app/data",
      "redis:",
      "caddy:caddy_data:/data",
    ]);
    expect(compose.databases.map((d) => d.path)).toEqual(["/app/data/meds.db"]);
    const systemd = detectApp(path.join(repo, "test/fixtures/apps/systemd-host"));
    expect(systemd.systemd).toMatchObject({ unit: "chat.service", user: "chat", workingDirectory: "/srv/chat" });
    expect(systemd.databases.map((d) => d.path)).toEqual(["/srv/chat/data/chat.db"]);
  });

  it("finds Django, Laravel and Prisma SQLite settings", () => {
    const dir = makeTempDir("ld-init-frameworks-");
    mkdirSync(path.join(dir, "mysite"));
    writeFileSync(
      path.join(dir, "mysite/settings.py"),
      'DATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.sqlite3",\n        "NAME": BASE_DIR / "db.sqlite3",\n    }\n}\n',
    );
    writeFileSync(path.join(dir, ".env"), "APP_NAME=Laravel\nDB_CONNECTION=sqlite\nDB_DATABASE=/var/www/database/database.sqlite\n");
    mkdirSync(path.join(dir, "prisma"));
    writeFileSync(path.join(dir, "prisma/schema.prisma"), 'datasource db {\n  provider = "sqlite"\n  url      = "file:./data/app.db"\n}\n');
    expect(detectApp(dir).databases.map((d) => `${d.path} (${d.from})`)).toEqual([
      "db.sqlite3 (mysite/settings.py)",
      "/var/www/database/database.sqlite (.env)",
      "prisma/data/app.db (prisma/schema.prisma)",
    ]);
  });
});

describe("init through a real terminal", () => {
  it("Rails + Kamal: the detected defaults, 1Password, critical preset; generates files the real tools accept", async () => {
    const dir = fixtureApp("rails-kamal");
    // name, line, provider, location, bucket, credentials, 1Password item, databases, preset, restore, target, volume, host, Kamal version
    const { status, screen } = initInTerminal(dir, ["", "", "hetzner", "hel1", "", "op", "", "", "critical", "", "", "", "", ""]);
    expect(status, screen).toBe(0);
    expect(screen).toContain("? Deployment target (kamal/compose/systemd/none) [kamal]");
    expect(screen).toContain("Next: npx litestream-deploy generate");
    const written = readFileSync(path.join(dir, "litestream.config.ts"), "utf8");
    expect(written).toContain('import { defineProject } from "litestream-deploy";');
    expect(written).toContain('location: "hel1"');
    expect(written).toContain('accessKeyId: { op: "op://myapp/hetzner-backups/access_key_id" }');
    expect(written).toContain('preset: "critical"');
    expect(written).toContain('{ name: "queue", path: "/rails/storage/production_queue.sqlite3", role: "queue" }');
    const files = await generateAndVerify(dir, "0.5", {
      databases: [
        "/rails/storage/production.sqlite3",
        "/rails/storage/production_cache.sqlite3",
        "/rails/storage/production_queue.sqlite3",
        "/rails/storage/production_cable.sqlite3",
      ],
    });
    expect(files).toEqual(expect.arrayContaining(["config/deploy.yml", ".kamal/secrets", "bin/litestream-wait"]));
    expect(readFileSync(path.join(dir, ".kamal/secrets"), "utf8")).toContain("$(op read op://myapp/hetzner-backups/access_key_id)");
  }, 180_000);

  it("Compose app: a wrong answer is asked again; R2, no auto-restore; docker-compose config accepts the override", async () => {
    const dir = fixtureApp("compose-app");
    // name, line, provider (wrong, then r2), account id, bucket, credentials, databases, preset, restore, target, app service, volume
    const { status, screen } = initInTerminal(dir, [
      "",
      "",
      "dropbox",
      "r2",
      "0123456789abcdef0123456789abcdef",
      "",
      "",
      "",
      "personal",
      "no",
      "",
      "",
      "",
    ]);
    expect(status, screen).toBe(0);
    expect(screen).toContain("✖ choose one of r2, aws, b2");
    const written = readFileSync(path.join(dir, "litestream.config.ts"), "utf8");
    expect(written).toContain('provider: "r2"');
    expect(written).toContain("restoreOnBoot: false");
    expect(written).toContain('compose: { appService: "app", volume: "meds_data:/app/data" }');
    await generateAndVerify(dir, "0.5", { databases: ["/app/data/meds.db"], compose: ["compose.yaml", "compose.litestream.yaml"] });
  }, 180_000);

  it("systemd host: a file replica and the unit's user; the scripts pass shellcheck", async () => {
    const dir = fixtureApp("systemd-host");
    // name, line, provider, backup dir, databases, preset, restore, target, app unit, app user
    const { status, screen } = initInTerminal(dir, ["", "0.3", "file", "", "", "", "", "", "", ""]);
    expect(status, screen).toBe(0);
    const written = readFileSync(path.join(dir, "litestream.config.ts"), "utf8");
    expect(written).toContain('systemd: { appUnit: "chat.service", appUser: "chat" }');
    const files = await generateAndVerify(dir, "0.3", { databases: ["/srv/chat/data/chat.db"] });
    expect(files).toEqual(expect.arrayContaining(["deploy/systemd/install-litestream.sh"]));
  }, 180_000);
});

describe("init --yes", () => {
  for (const [app, flags, line, expected] of [
    [
      "rails-kamal",
      ["--provider", "aws", "--region", "eu-central-1", "--litestream", "0.3"],
      "0.3",
      {
        databases: [
          "/rails/storage/production.sqlite3",
          "/rails/storage/production_cache.sqlite3",
          "/rails/storage/production_queue.sqlite3",
          "/rails/storage/production_cable.sqlite3",
        ],
      },
    ],
    [
      "compose-app",
      ["--provider", "minio", "--endpoint", "http://minio:9000", "--bucket", "meds"],
      "0.5",
      { databases: ["/app/data/meds.db"], compose: ["compose.yaml", "compose.litestream.yaml"] },
    ],
    [
      "systemd-host",
      ["--provider", "b2", "--database", "/srv/chat/data/chat.db", "--database", "/srv/chat/data/jobs.db"],
      "0.5",
      { databases: ["/srv/chat/data/chat.db", "/srv/chat/data/jobs.db"] },
    ],
  ] as const) {
    it(`${app}: detected values and flags, no questions`, async () => {
      const dir = fixtureApp(app);
      const run = await cli(dir, "init", "--yes", ...flags);
      expect(run.code, run.err).toBe(0);
      expect(run.out).toBe(
        "created  litestream.config.ts\nNext: npx litestream-deploy generate   (then: npx litestream-deploy secrets check)",
      );
      await generateAndVerify(dir, line, expected);
      const again = await cli(dir, "init", "--yes");
      expect(again.code).toBe(1);
      expect(again.err).toContain("litestream.config.ts already exists; init never overwrites it");
    }, 180_000);
  }

  it("a missing answer without a default names its flag; a bad flag value is refused; nothing is written", async () => {
    const dir = fixtureApp("compose-app");
    const r2 = await cli(dir, "init", "--yes", "--provider", "r2");
    expect(r2.code).toBe(2);
    expect(r2.err).toContain("Cloudflare account id (32 hex characters, from the R2 page): no default; pass --account-id");
    const bad = await cli(dir, "init", "--yes", "--preset", "hourly");
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('"hourly": choose one of personal, active, critical; pass --preset');
    const exists = await promisify(execFile)("ls", ["-A", dir]);
    expect(exists.stdout).not.toContain("litestream.config.ts");
  }, 60_000);
});
