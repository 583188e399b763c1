// Every secrets source across the Kamal × dotenv releases users run (Kamal 2.0–2.12 × dotenv
// 3.1.8 / 3.2.0): the generated .kamal/secrets lines are resolved the way that combination resolves
// them (dotenv's order, Kamal's precedence, `kamal secrets` inside Kamal calling fake vault CLIs that
// log their argv), or the generator refuses the combination with the release that fixes it; the
// `docker run` line Kamal builds from the accessory is run through sh with a recording docker.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate, ProjectError } from "../src/index.js";
import { KAMAL_ADAPTERS } from "../src/targets/kamal/schema.js";
import {
  containerSecrets,
  kamalAccessoryRunCommand,
  parseKamalSecrets,
  readArgvLog,
  writeArgvRecorder,
  writeFakeSecretTools,
  type SecretsReader,
} from "./fixtures/kamal/kamal-emulation.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

afterAll(cleanupTempDirs);

const KAMALS = ["2.0", "2.4", "2.5", "2.6", "2.10.0", "2.10.1", "2.11", "2.12"] as const;
const DOTENVS = ["3.1.8", "3.2.0"] as const;
const atLeast = (v: string, min: string) => {
  const [a, b] = [v.split(".").map(Number), min.split(".").map(Number)];
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
};

/** The user's own lines, written so they resolve on every combination (no `$SECRETS` adapter idiom). */
const USER_SECRETS = "KAMAL_REGISTRY_PASSWORD=$(op read op://Deploy/myapp/registry)\nRAILS_MASTER_KEY=$(cat config/master.key)\n";

const OP = { accessKeyId: "op://myproject/production-s3/access_key_id", secretAccessKey: "op://myproject/production-s3/secret_access_key" };
const ENV = { accessKeyId: { env: "R2_ACCESS_KEY_ID" }, secretAccessKey: { env: "R2_SECRET_ACCESS_KEY" } };
const both = (a: unknown, b: unknown) => ({ R2_ACCESS_KEY_ID: a, R2_SECRET_ACCESS_KEY: b });

interface Source {
  credentials: unknown;
  secrets?: unknown;
  adapter: boolean;
  values: [string, string];
  /** Each vault CLI call Kamal makes, [tool, ...argv]. */
  calls?: string[][];
}

const SOURCES: Record<string, Source> = {
  "1Password, op read": {
    credentials: OP,
    adapter: false,
    values: ["secret:op://myproject/production-s3/access_key_id", "secret:op://myproject/production-s3/secret_access_key"],
  },
  "1Password adapter": {
    credentials: OP,
    secrets: { via: "kamal-adapter", account: "acme" },
    adapter: true,
    values: ["secret:op://myproject/production-s3/access_key_id", "secret:op://myproject/production-s3/secret_access_key"],
    calls: [
      ["op", "--version"],
      ["op", "account", "get", "--account", "acme"],
      [
        "op",
        "item",
        "get",
        "production-s3",
        "--vault",
        "myproject",
        "--format",
        "json",
        "--account",
        "acme",
        "--fields",
        "label=access_key_id,label=secret_access_key",
      ],
    ],
  },
  bitwarden: {
    credentials: ENV,
    secrets: {
      sources: both(
        { adapter: "bitwarden", account: "ops@example.com", secret: "r2/access_key_id" },
        { adapter: "bitwarden", account: "ops@example.com", secret: "r2/secret_access_key" },
      ),
    },
    adapter: true,
    values: ["secret:bw:r2/access_key_id", "secret:bw:r2/secret_access_key"],
    calls: [
      ["bw", "--version"],
      ["bw", "status"],
      ["bw", "sync"],
      ["bw", "get", "item", "r2"],
      ["bw", "get", "item", "r2"],
    ],
  },
  "AWS Secrets Manager (a JSON secret)": {
    credentials: ENV,
    secrets: {
      sources: both(
        { adapter: "aws_secrets_manager", secret: "myapp/litestream", key: "access_key_id" },
        { adapter: "aws_secrets_manager", secret: "myapp/litestream", key: "secret_access_key" },
      ),
    },
    adapter: true,
    values: ["secret:aws:myapp/litestream/access_key_id", "secret:aws:myapp/litestream/secret_access_key"],
    calls: [
      ["aws", "--version"],
      ["aws", "secretsmanager", "batch-get-secret-value", "--secret-id-list", "myapp/litestream"],
    ],
  },
  doppler: {
    credentials: ENV,
    secrets: {
      sources: both(
        { adapter: "doppler", from: "myapp/prd", secret: "R2_ACCESS_KEY_ID" },
        { adapter: "doppler", from: "myapp/prd", secret: "R2_SECRET_ACCESS_KEY" },
      ),
    },
    adapter: true,
    values: ["secret:doppler:myapp/prd/R2_ACCESS_KEY_ID", "secret:doppler:myapp/prd/R2_SECRET_ACCESS_KEY"],
    calls: [
      ["doppler", "--version"],
      ["doppler", "me", "--json"],
      ["doppler", "secrets", "get", "R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY", "--json", "-p", "myapp", "-c", "prd"],
    ],
  },
  "Rails credentials": {
    credentials: ENV,
    secrets: { sources: both({ railsCredentials: "litestream.access_key_id" }, { railsCredentials: "litestream.secret_access_key" }) },
    adapter: false,
    values: ["rails:litestream.access_key_id", "rails:litestream.secret_access_key"],
  },
  "the environment, passed through": { credentials: ENV, adapter: false, values: ["env-akid", "env-sak"] },
  "another variable of the environment": {
    credentials: ENV,
    secrets: { sources: both({ env: "CI_R2_KEY" }, { env: "CI_R2_SECRET" }) },
    adapter: false,
    values: ["ci-akid", "ci-sak"],
  },
};

function project(version: string, source: Source) {
  return {
    name: "myapp",
    litestream: { version: "0.3" as const },
    storage: { provider: "hetzner" as const, location: "fsn1" as const, bucket: "myapp-backups", credentials: source.credentials },
    databases: [{ path: "/rails/storage/production.sqlite3" }],
    targets: {
      kamal: {
        version,
        volume: "myapp_storage:/rails/storage",
        host: "203.0.113.10",
        appUser: "1000:1000",
        appEntrypoint: false as const,
        ...(source.secrets ? { secrets: source.secrets } : {}),
      },
    },
  };
}

type Accessory = { env: { secret: string[] } } & Record<string, unknown>;

function generated(input: unknown): { secrets: string; accessory: Accessory } | { codes: string[] } {
  try {
    const files = generate(input, { existing: (p) => (p === ".kamal/secrets" ? USER_SECRETS : undefined) }).files;
    const partial = files.find((f) => f.kind === "kamal-accessory")!;
    return {
      secrets: files.find((f) => f.path === ".kamal/secrets")!.content,
      accessory: parse(partial.content, { version: "1.1" }).accessories.litestream as Accessory,
    };
  } catch (error) {
    if (!(error instanceof ProjectError)) throw error;
    return { codes: error.issues.map((i) => i.code ?? "(none)") };
  }
}

/** The project directory on the machine that runs kamal: config/master.key and a fake bin/rails. */
function appDir(): string {
  const dir = makeTempDir("kamal-app");
  mkdirSync(join(dir, "config"));
  mkdirSync(join(dir, "bin"));
  writeFileSync(join(dir, "config/master.key"), "master-key\n");
  writeFileSync(join(dir, "bin/rails"), '#!/bin/sh\n[ "$1" = credentials:fetch ] || exit 1\necho "rails:$2"\n');
  chmodSync(join(dir, "bin/rails"), 0o755);
  return dir;
}

function resolve(secrets: string, reader: SecretsReader) {
  const tools = writeFakeSecretTools(makeTempDir("kamal-vaults"));
  const env = {
    PATH: `${tools}:/usr/bin:/bin`,
    R2_ACCESS_KEY_ID: "env-akid",
    R2_SECRET_ACCESS_KEY: "env-sak",
    CI_R2_KEY: "ci-akid",
    CI_R2_SECRET: "ci-sak",
  };
  const parsed = parseKamalSecrets(secrets, env, appDir(), reader);
  return { parsed, calls: readArgvLog(join(tools, "vault.log")) };
}

const containerEnv = containerSecrets;

describe.each(Object.entries(SOURCES))("%s", (_name, source) => {
  describe.each(KAMALS)("Kamal %s", (kamal) => {
    const result = generated(project(kamal, source));
    const refusals = [
      ...(kamal === "2.10.0" ? ["kamal.release.named-volume-rewrite"] : []),
      ...(source.adapter && !atLeast(kamal, "2.6") ? ["kamal.release.adapter-dotenv"] : []),
    ];

    it.each(DOTENVS)("dotenv %s: the container gets the credentials, or the generator refuses with the release that fixes it", (dotenv) => {
      if (refusals.length) {
        expect("codes" in result && result.codes).toEqual(refusals);
        return;
      }
      if ("codes" in result) throw new Error(`refused: ${result.codes.join(", ")}`);
      const { parsed, calls } = resolve(result.secrets, { kamal, dotenv });
      expect(containerEnv(result.accessory, parsed)).toEqual({
        LITESTREAM_ACCESS_KEY_ID: source.values[0],
        LITESTREAM_SECRET_ACCESS_KEY: source.values[1],
      });
      // The user's own secrets still resolve next to ours.
      expect(parsed.KAMAL_REGISTRY_PASSWORD).toBe("secret:op://Deploy/myapp/registry");
      expect(parsed.RAILS_MASTER_KEY).toBe("master-key");
      if (source.calls) expect(calls.filter((c) => c[1] !== "read")).toEqual(source.calls);
    });
  });
});

describe("why the adapter lines are refused before Kamal 2.6 (the generator cannot know the user's dotenv)", () => {
  const lines = generated(project("2.6", SOURCES["1Password adapter"]!));
  if ("codes" in lines) throw new Error("2.6 refused");
  it.each(["2.0", "2.4", "2.5"])("Kamal %s: works with dotenv 3.1.8, fails with dotenv 3.2.0 (what a fresh install resolves)", (kamal) => {
    // Aliases are 2.6+, so look the values up under the names the 2.6 file defines.
    const ok = resolve(lines.secrets, { kamal, dotenv: "3.1.8" }).parsed;
    expect(ok.LITESTREAM_ACCESS_KEY_ID).toBe("secret:op://myproject/production-s3/access_key_id");
    expect(() => resolve(lines.secrets, { kamal, dotenv: "3.2.0" })).toThrow(
      "ERROR (JSON::ParserError): unexpected token at '$LITESTREAM_SECRETS'",
    );
  });
});

describe("precedence: a key defined earlier in the file against the environment", () => {
  const userFile = "R2_ACCESS_KEY_ID=from-file\nKEY=$R2_ACCESS_KEY_ID\n";
  it.each(KAMALS)("Kamal %s", (kamal) => {
    for (const dotenv of DOTENVS) {
      const parsed = parseKamalSecrets(userFile, { R2_ACCESS_KEY_ID: "from-env" }, undefined, { kamal, dotenv });
      expect(parsed.KEY).toBe(atLeast(kamal, "2.4") ? "from-file" : "from-env");
    }
  });
  it("a credential the user's file defines is not redefined by the block, so it keeps the user's value on every release", () => {
    for (const kamal of ["2.6", "2.10.1", "2.12"]) {
      const input = project(kamal, SOURCES["the environment, passed through"]!);
      const files = generate(input, {
        existing: (p) =>
          p === ".kamal/secrets" ? `${USER_SECRETS}R2_ACCESS_KEY_ID=from-file\nR2_SECRET_ACCESS_KEY=from-file-too\n` : undefined,
      }).files;
      const secrets = files.find((f) => f.path === ".kamal/secrets")!.content;
      const accessory = parse(files.find((f) => f.kind === "kamal-accessory")!.content, { version: "1.1" }).accessories
        .litestream as Accessory;
      for (const dotenv of DOTENVS) {
        expect(containerEnv(accessory, resolve(secrets, { kamal, dotenv }).parsed)).toEqual({
          LITESTREAM_ACCESS_KEY_ID: "from-file",
          LITESTREAM_SECRET_ACCESS_KEY: "from-file-too",
        });
      }
    }
  });
});

describe("adapters and --account", () => {
  it("every adapter that needs --account is refused without one, with Kamal's real failure in the message", () => {
    for (const [adapter, rule] of Object.entries(KAMAL_ADAPTERS)) {
      const input = project("2.12", {
        ...SOURCES.doppler!,
        secrets: { sources: both({ adapter, secret: "x" }, { adapter, secret: "y" }) },
      });
      const result = generated(input);
      if (rule.account === "required") {
        expect("codes" in result && result.codes, adapter).toEqual(["kamal.secrets.account-missing", "kamal.secrets.account-missing"]);
      } else expect("codes" in result, adapter).toBe(false);
    }
    const missing = generated(
      project("2.12", { ...SOURCES.bitwarden!, secrets: { sources: both({ adapter: "bitwarden", secret: "r2/a" }, { env: "X" }) } }),
    );
    expect(missing).toEqual({ codes: ["kamal.secrets.account-missing"] });
  });
  it("Kamal aborts a fetch without --account (it does not store a warning as the secret)", () => {
    const result = generated(project("2.12", SOURCES.bitwarden!));
    if ("codes" in result) throw new Error("refused");
    expect(() => resolve(result.secrets.replace(/ --account \S+/, ""), { kamal: "2.12", dotenv: "3.2.0" })).toThrow(
      "undefined method 'chomp' for nil:NilClass",
    );
  });
});

/** Runs Kamal's `docker run` line through sh with a recording docker; docker's argv, $PWD written as "~". */
function dockerArgv(accessory: Accessory, version: string): string[] {
  const dir = makeTempDir("kamal-docker");
  const log = join(dir, "argv.log");
  writeArgvRecorder(dir, "docker", log);
  execFileSync("/bin/sh", ["-c", kamalAccessoryRunCommand(accessory, { service: "myapp", name: "litestream", version })], {
    env: { PATH: `${dir}:/usr/bin:/bin` },
    cwd: dir,
  });
  return readArgvLog(log)[0]!
    .slice(1)
    .map((arg) => arg.split(dir).join("~"));
}

describe("the docker run line per release", () => {
  const options = (argv: string[], flag: string) => argv.flatMap((a, i) => (a === flag ? [argv[i + 1]!] : []));
  it.each(KAMALS.filter((k) => k !== "2.10.0"))(
    "Kamal %s: the app's named volume, --log-opt, KAMAL_HOST from 2.10, the config read-only from 2.10",
    (kamal) => {
      const result = generated(project(kamal, SOURCES["1Password, op read"]!));
      if ("codes" in result) throw new Error("refused");
      const argv = dockerArgv(result.accessory, kamal);
      expect(options(argv, "--volume")).toEqual([
        "myapp_storage:/rails/storage",
        `~/myapp-litestream/etc/litestream.yml:/etc/litestream.yml${atLeast(kamal, "2.10") ? ":ro" : ""}`,
      ]);
      expect(options(argv, "--log-opt")).toEqual(["max-size=10m"]);
      expect(options(argv, "--env").filter((e) => e.startsWith("KAMAL_HOST="))).toEqual(
        atLeast(kamal, "2.10") ? ["KAMAL_HOST=203.0.113.10"] : [],
      );
    },
  );
  it("Kamal 2.10.0 would mount a host directory instead of the app's volume, which is why it is refused", () => {
    const result = generated(project("2.10.1", SOURCES["1Password, op read"]!));
    if ("codes" in result) throw new Error("refused");
    expect(options(dockerArgv(result.accessory, "2.10.0"), "--volume")[0]).toBe("~/myapp_storage:/rails/storage");
    expect(generated(project("2.10", SOURCES["1Password, op read"]!))).toEqual({ codes: ["kamal.release.named-volume-rewrite"] });
  });
  it("a host-path volume is not affected by 2.10.0", () => {
    const input = project("2.10.0", SOURCES["1Password, op read"]!);
    input.targets.kamal.volume = "/srv/myapp/storage:/rails/storage";
    expect("codes" in generated(input)).toBe(false);
  });
});
