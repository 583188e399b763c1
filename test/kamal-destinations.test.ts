// Kamal destinations (`kamal … -d staging`): example 005 generated over the user's own files, read
// back the way Kamal reads them: config/deploy.staging.yml deep-merged over config/deploy.yml, and
// .kamal/secrets-common then .kamal/secrets(.staging), resolved by the dotenv emulation.
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate, ProjectError, type ProjectIssue } from "../src/index.js";
import { containerSecrets, readKamalSecrets, writeFakeSecretTools } from "./fixtures/kamal/kamal-emulation.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";
import { loadExample } from "./support/examples.js";

afterAll(cleanupTempDirs);

const EXAMPLE = "005-rails-kamal-destinations";
const PROJECT = new URL(`../examples/${EXAMPLE}/project/`, import.meta.url).pathname;

/** The user's files before litestream-deploy runs, by project-relative path. */
function userFiles(dir = PROJECT): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? Object.entries(userFiles(path)) : [[relative(PROJECT, path), readFileSync(path, "utf8")]];
    }),
  );
}

const description = await loadExample(EXAMPLE);
type Input = typeof description;

function run(input: unknown, files: Record<string, string | undefined>) {
  return generate(input, { existing: (p) => files[p] });
}

function issuesOf(input: unknown, files: Record<string, string | undefined>): ProjectIssue[] {
  try {
    run(input, files);
    return [];
  } catch (error) {
    if (error instanceof ProjectError) return error.issues;
    throw error;
  }
}

const yaml11 = (text: string) => parse(text, { version: "1.1" }) as Record<string, unknown>;
const isHash = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
/** Kamal's deep_merge of a destination file over config/deploy.yml. */
const deepMerge = (a: unknown, b: unknown): unknown =>
  isHash(a) && isHash(b)
    ? Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, k in b ? deepMerge(a[k], b[k]) : a[k]]))
    : b;

type Accessory = { host: string; env: { secret: string[] } } & Record<string, unknown>;

/** Every host the app runs on, per the merged config's servers. */
function appHosts(config: Record<string, unknown>): string[] {
  const servers = config.servers as Record<string, string[] | { hosts: string[] }>;
  return [...new Set(Object.values(servers).flatMap((v) => (Array.isArray(v) ? v : v.hosts)))];
}

function withStaging(change: (staging: Record<string, unknown>) => void): Input {
  const input = structuredClone(description);
  change((input.environments as Record<string, Record<string, unknown>>).staging!);
  return input;
}

describe("example 005: production and staging on different hosts, over the user's own files", () => {
  const user = userFiles();
  const result = run(description, user);
  const out = Object.fromEntries(result.files.map((f) => [f.path, f.content]));

  it("edits the user's files in place and creates none of theirs", () => {
    expect(
      result.files
        .filter((f) => f.ownership === "shared")
        .map((f) => f.path)
        .sort(),
    ).toEqual(
      [".kamal/secrets", ".kamal/secrets.staging", "bin/docker-entrypoint", "config/deploy.staging.yml", "config/deploy.yml"].sort(),
    );
    for (const path of [".kamal/secrets", ".kamal/secrets.staging", "config/deploy.staging.yml", "config/deploy.yml"])
      expect(out[path]!.startsWith(user[path]!.replace(/\n$/, "")), path).toBe(true);
    expect(out[".kamal/secrets-common"]).toBeUndefined();
    expect(result.warnings).toEqual([]);
  });

  it.each([".kamal/secrets", ".kamal/secrets.staging", "config/deploy.yml", "config/deploy.staging.yml", "bin/docker-entrypoint"])(
    "matches the reviewed snapshot of %s",
    async (path) => {
      await expect(out[path]).toMatchFileSnapshot(`../snapshots/${EXAMPLE}/${path}`);
    },
  );

  it("each destination's merged config runs the accessory on that destination's app host, with its own config file", () => {
    const production = yaml11(out["config/deploy.yml"]!);
    const staging = deepMerge(production, yaml11(out["config/deploy.staging.yml"]!)) as Record<string, unknown>;
    const accessoryOf = (config: Record<string, unknown>) => (config.accessories as Record<string, Accessory>).litestream!;
    expect(accessoryOf(production).host).toBe("198.51.100.10");
    expect(appHosts(production)).toEqual(["198.51.100.10"]);
    expect(accessoryOf(staging).host).toBe("198.51.100.20");
    expect(appHosts(staging)).toEqual(["198.51.100.20"]);
    expect(accessoryOf(staging).files).toEqual(["config/litestream.staging.yml:/etc/litestream.yml:ro"]);
    expect(accessoryOf(staging).volumes).toEqual(["shop_storage:/rails/storage"]);
  });

  it.each(["3.1.8", "3.2.0"] as const)("every secret of each destination resolves from its own files (Kamal 2.12, dotenv %s)", (dotenv) => {
    const tools = writeFakeSecretTools(makeTempDir("kamal-vaults"));
    const app = makeTempDir("kamal-app");
    const env = { PATH: `${tools}:/usr/bin:/bin`, KAMAL_REGISTRY_PASSWORD: "registry-token", STAGING_STRIPE_SECRET_KEY: "stripe-test" };
    const rails = writeRails(app);
    const reader = { kamal: "2.12.0", dotenv };
    const production = readKamalSecrets(
      [user[".kamal/secrets-common"], out[".kamal/secrets"]],
      { ...env, PATH: `${rails}:${env.PATH}` },
      app,
      reader,
    );
    const staging = readKamalSecrets([user[".kamal/secrets-common"], out[".kamal/secrets.staging"]], env, app, reader);
    const accessories = (file: string) => (yaml11(out[file]!).accessories as Record<string, Accessory>).litestream!;
    const container = containerSecrets;
    expect(container(accessories("config/deploy.yml"), production)).toEqual({
      LITESTREAM_ACCESS_KEY_ID: "rails:litestream.access_key_id",
      LITESTREAM_SECRET_ACCESS_KEY: "rails:litestream.secret_access_key",
    });
    expect(container(accessories("config/deploy.staging.yml"), staging)).toEqual({
      LITESTREAM_ACCESS_KEY_ID: "secret:doppler:shop/stg/S3_ACCESS_KEY_ID",
      LITESTREAM_SECRET_ACCESS_KEY: "secret:doppler:shop/stg/S3_SECRET_ACCESS_KEY",
    });
    for (const secrets of [production, staging]) expect(secrets.KAMAL_REGISTRY_PASSWORD).toBe("registry-token");
    for (const secrets of [production, staging]) expect(secrets.RAILS_MASTER_KEY).toBe("master-key");
    expect(production.STRIPE_SECRET_KEY).toBe("secret:op://Production/stripe/secret_key");
    expect(staging.STRIPE_SECRET_KEY).toBe("stripe-test");
  });

  it("is idempotent: generating over its own output changes nothing", () => {
    const again = run(description, { ...user, ...out });
    expect(again.files.map((f) => [f.path, f.content])).toEqual(result.files.map((f) => [f.path, f.content]));
  });
});

/** config/master.key and a fake bin/rails in the app directory; returns its bin. */
function writeRails(app: string): string {
  mkdirSync(join(app, "config"));
  mkdirSync(join(app, "bin"));
  writeFileSync(join(app, "config/master.key"), "master-key\n");
  writeFileSync(join(app, "bin/rails"), '#!/bin/sh\n[ "$1" = credentials:fetch ] || exit 1\necho "rails:$2"\n');
  chmodSync(join(app, "bin/rails"), 0o755);
  return join(app, "bin");
}

describe("a destination's secrets file", () => {
  const user = userFiles();

  it("is created once by copying the user's lines of .kamal/secrets (with a warning), then only its block is managed", () => {
    const files = { ...user, ".kamal/secrets.staging": undefined };
    const first = run(description, files);
    const staging = first.files.find((f) => f.path === ".kamal/secrets.staging")!.content;
    expect(staging.startsWith(user[".kamal/secrets"]!)).toBe(true);
    expect(first.warnings).toEqual([
      expect.objectContaining({
        path: ["environments", "staging", "targets", "kamal", "destination"],
        message: expect.stringMatching(
          /^\.kamal\/secrets\.staging did not exist: created it with your lines of \.kamal\/secrets \(RAILS_MASTER_KEY, STRIPE_SECRET_KEY\)/,
        ),
      }),
    ]);
    const second = run(description, { ...files, ".kamal/secrets.staging": staging });
    expect(second.warnings).toEqual([]);
    expect(second.files.find((f) => f.path === ".kamal/secrets.staging")!.content).toBe(staging);
  });

  it("a name .kamal/secrets-common defines is not passed through again (it would be replaced by the environment's empty value)", () => {
    const input = structuredClone(description);
    const staging = (input.environments as Record<string, { targets: { kamal: { secrets?: unknown } } }>).staging!;
    delete staging.targets.kamal.secrets;
    const common = `${user[".kamal/secrets-common"]}STAGING_S3_ACCESS_KEY_ID=$(op read op://Staging/s3/access_key_id)\n`;
    const out = run(input, { ...user, ".kamal/secrets-common": common }).files.find((f) => f.path === ".kamal/secrets.staging")!.content;
    expect(out).toContain("# STAGING_S3_ACCESS_KEY_ID: defined elsewhere");
    expect(out).not.toMatch(/^STAGING_S3_ACCESS_KEY_ID=/m);
    expect(out).toMatch(/^STAGING_S3_SECRET_ACCESS_KEY=\$STAGING_S3_SECRET_ACCESS_KEY$/m);
  });
});

describe("a destination's deploy file", () => {
  const user = userFiles();

  it("is never created: without the user's config/deploy.staging.yml, the accessory stays in the partial file and a warning says what to add", () => {
    const result = run(description, { ...user, "config/deploy.staging.yml": undefined });
    expect(result.files.map((f) => f.path)).not.toContain("config/deploy.staging.yml");
    expect(result.warnings).toContainEqual({
      path: ["environments", "staging", "targets", "kamal", "destination"],
      message: expect.stringContaining(
        "Create it with the app's servers for staging (e.g. servers: web: - 198.51.100.20), then generate again",
      ),
    });
  });

  it("refuses an accessory host where no app runs for that destination, and the fix works", () => {
    const wrong = withStaging((s) => ((s.targets as { kamal: { host: string } }).kamal.host = "198.51.100.10"));
    const issues = issuesOf(wrong, user);
    expect(issues).toEqual([
      {
        path: ["environments", "staging", "targets", "kamal", "host"],
        message:
          "the accessory would boot on 198.51.100.10, where no app runs for environment staging (servers in config/deploy.staging.yml merged over config/deploy.yml: web: 198.51.100.20; job: 198.51.100.20); the app's volume, and its databases, are local to the app's hosts",
        fix: 'set host: "198.51.100.20" (or role: "web")',
        code: "kamal.host.no-app",
      },
    ]);
    expect(
      issuesOf(
        withStaging((s) => ((s.targets as { kamal: { host: string } }).kamal.host = "198.51.100.20")),
        user,
      ),
    ).toEqual([]);
  });

  it("a role selector picks each destination's own hosts; an unknown role is refused", () => {
    const byRole = (role: string) => {
      const input = structuredClone(description);
      for (const env of Object.values(input.environments as Record<string, { targets: { kamal: Record<string, unknown> } }>)) {
        delete env.targets.kamal.host;
        env.targets.kamal.role = env === (input.environments as Record<string, unknown>).staging ? role : "web";
      }
      return input;
    };
    const result = run(byRole("web"), user);
    const accessory = (path: string) =>
      (yaml11(result.files.find((f) => f.path === path)!.content).accessories as Record<string, Record<string, unknown>>).litestream!;
    expect([accessory("config/deploy.yml").role, accessory("config/deploy.staging.yml").role]).toEqual(["web", "web"]);
    expect(issuesOf(byRole("worker"), user)).toEqual([
      expect.objectContaining({ path: ["environments", "staging", "targets", "kamal", "role"], code: "kamal.host.no-app" }),
    ]);
  });
});

describe("which environment is the default destination (plain config/deploy.yml)", () => {
  const user = userFiles();
  const renamed = (name: string) => {
    const input = structuredClone(description) as unknown as { environments: Record<string, unknown> };
    input.environments = { [name]: input.environments.production, staging: input.environments.staging };
    return input;
  };

  it("the environment named production, without destination: false", () => {
    const paths = run(description, user).files.map((f) => f.path);
    expect(paths).toContain("config/deploy.yml");
    expect(paths).not.toContain("config/deploy.production.yml");
  });

  it("otherwise every environment is a destination, and a warning names the files", () => {
    const result = run(renamed("live"), user);
    expect(result.files.map((f) => f.path)).not.toContain("config/deploy.yml");
    expect(result.warnings).toContainEqual({
      path: ["environments", "live", "targets", "kamal", "destination"],
      message: expect.stringContaining(
        "every environment is a Kamal destination (live: config/deploy.live.yml and .kamal/secrets.live; staging: config/deploy.staging.yml and .kamal/secrets.staging)",
      ),
    });
  });
});
