// .kamal/secrets: the accessory's credentials inside a marked block of the user's file. The rest
// of the file stays byte for byte; the lines are resolved here exactly as Kamal does (Ruby dotenv:
// $VAR then $(command)), with a fake `op` and a fake `kamal secrets` that follow Kamal's code.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate, ProjectError, type ProjectIssue } from "../src/index.js";
import { containerSecrets, parseKamalSecrets, writeFakeSecretTools } from "./fixtures/kamal/kamal-emulation.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

afterAll(cleanupTempDirs);

const SECRETS = readFileSync(new URL("./fixtures/kamal/secrets", import.meta.url), "utf8");
const BEGIN = "# >>> litestream-deploy >>>";
const END = "# <<< litestream-deploy <<<";

type Credentials = { accessKeyId: unknown; secretAccessKey: unknown };

function project(credentials: Credentials, kamal: Record<string, unknown> = {}) {
  return {
    name: "myapp",
    litestream: { version: "0.3" as const },
    storage: { provider: "hetzner" as const, location: "fsn1" as const, bucket: "myapp-backups", credentials },
    databases: [{ path: "/rails/storage/production.sqlite3" }],
    targets: { kamal: { version: "2.10.1", volume: "myapp_storage:/rails/storage", host: "203.0.113.10", appUser: "1000:1000", ...kamal } },
  };
}

const OP = { accessKeyId: "op://myproject/production-s3/access_key_id", secretAccessKey: "op://myproject/production-s3/secret_access_key" };
const ENV = { accessKeyId: { env: "R2_ACCESS_KEY_ID" }, secretAccessKey: { env: "R2_SECRET_ACCESS_KEY" } };

function generated(input: unknown, existing?: string) {
  const result = generate(input, { existing: (path) => (path === ".kamal/secrets" ? existing : undefined) });
  const secrets = result.files.find((f) => f.path === ".kamal/secrets");
  const partial = result.files.find((f) => f.kind === "kamal-accessory")!;
  const accessory = parse(partial.content, { version: "1.1" }).accessories.litestream as { env: { secret: string[] } };
  return { secrets: secrets?.content, accessory, warnings: result.warnings };
}

function blockOf(text: string): string[] {
  const lines = text.split("\n");
  return lines.slice(lines.indexOf(BEGIN) + 1, lines.indexOf(END)).filter((l) => !l.startsWith("#"));
}

const containerEnv = containerSecrets;

const tools = writeFakeSecretTools(makeTempDir("kamal-secret-tools"));
const shellEnv = (extra: Record<string, string> = {}) => ({ PATH: `${tools}:/usr/bin:/bin`, ...extra });

describe("the marked block in the user's .kamal/secrets", () => {
  const once = generated(project(OP), SECRETS).secrets!;

  it("appends the block and keeps every byte of the user's file", () => {
    expect(once.startsWith(SECRETS)).toBe(true);
    expect(once.slice(SECRETS.length)).toBe(
      [
        "",
        BEGIN,
        "# Litestream accessory credentials: managed by litestream-deploy, regenerate with: npx litestream-deploy generate",
        "LITESTREAM_ACCESS_KEY_ID=$(op read op://myproject/production-s3/access_key_id)",
        "LITESTREAM_SECRET_ACCESS_KEY=$(op read op://myproject/production-s3/secret_access_key)",
        END,
        "",
      ].join("\n"),
    );
  });

  it("is idempotent: a second run is byte-identical", () => {
    expect(generated(project(OP), once).secrets).toBe(once);
  });

  it("replaces a stale block in place, the lines before and after it untouched", () => {
    const stale = `${SECRETS}\n${BEGIN}\nLITESTREAM_ACCESS_KEY_ID=old\n${END}\n\n# added later by hand\nOTHER=$OTHER\n`;
    const updated = generated(project(ENV), stale).secrets!;
    const before = stale.slice(0, stale.indexOf(BEGIN));
    const after = stale.slice(stale.indexOf(END) + END.length + 1);
    expect(updated.startsWith(before)).toBe(true);
    expect(updated.endsWith(after)).toBe(true);
    expect(blockOf(updated)).toEqual(["R2_ACCESS_KEY_ID=$R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY=$R2_SECRET_ACCESS_KEY"]);
    expect(generated(project(ENV), updated).secrets).toBe(updated);
  });

  it("creates the file when there is none", () => {
    const created = generated(project(OP)).secrets!;
    expect(created.startsWith(`${BEGIN}\n`)).toBe(true);
    expect(created.endsWith(`${END}\n`)).toBe(true);
  });

  it("refuses a file whose markers are broken instead of guessing", () => {
    let issues: ProjectIssue[] = [];
    try {
      generated(project(OP), `${SECRETS}${BEGIN}\nLITESTREAM_ACCESS_KEY_ID=x\n`);
    } catch (error) {
      issues = (error as ProjectError).issues;
    }
    expect(issues).toEqual([
      expect.objectContaining({
        path: ["targets", "kamal", "secrets"],
        message: expect.stringContaining('.kamal/secrets cannot be updated: the file has 1 "# >>> litestream-deploy >>>" and 0'),
      }),
    ]);
  });

  it("resolves as Kamal resolves it: the user's secrets and ours, each to its own value", () => {
    const app = makeTempDir("kamal-app");
    mkdirSync(`${app}/config`);
    writeFileSync(`${app}/config/master.key`, "master-key\n");
    const parsed = parseKamalSecrets(once, shellEnv({ MYSQL_ROOT_PASSWORD: "mysql-pw" }), app);
    expect(parsed.RAILS_MASTER_KEY).toBe("master-key");
    // The user's adapter call and its SECRETS variable are unaffected by ours.
    expect(parsed.KAMAL_REGISTRY_PASSWORD).toBe("secret:op://Deploy/myapp/KAMAL_REGISTRY_PASSWORD");
    expect(parsed.MYSQL_ROOT_PASSWORD).toBe("mysql-pw");
    expect(parsed.LITESTREAM_ACCESS_KEY_ID).toBe("secret:op://myproject/production-s3/access_key_id");
    expect(parsed.LITESTREAM_SECRET_ACCESS_KEY).toBe("secret:op://myproject/production-s3/secret_access_key");
  });
});

describe("how each credential is obtained", () => {
  it("1Password, direct: op read", () => {
    const { secrets, accessory } = generated(project(OP));
    expect(blockOf(secrets!)).toEqual([
      "LITESTREAM_ACCESS_KEY_ID=$(op read op://myproject/production-s3/access_key_id)",
      "LITESTREAM_SECRET_ACCESS_KEY=$(op read op://myproject/production-s3/secret_access_key)",
    ]);
    expect(containerEnv(accessory, parseKamalSecrets(secrets!, shellEnv()))).toEqual({
      LITESTREAM_ACCESS_KEY_ID: "secret:op://myproject/production-s3/access_key_id",
      LITESTREAM_SECRET_ACCESS_KEY: "secret:op://myproject/production-s3/secret_access_key",
    });
  });

  it("1Password through Kamal's adapter: one fetch, one extract per credential", () => {
    const { secrets, accessory } = generated(project(OP, { secrets: { via: "kamal-adapter", account: "acme.1password.com" } }));
    expect(blockOf(secrets!)).toEqual([
      "LITESTREAM_SECRETS=$(kamal secrets fetch --adapter 1password --account acme.1password.com --from myproject/production-s3 access_key_id secret_access_key)",
      "LITESTREAM_ACCESS_KEY_ID=$(kamal secrets extract access_key_id $LITESTREAM_SECRETS)",
      "LITESTREAM_SECRET_ACCESS_KEY=$(kamal secrets extract secret_access_key $LITESTREAM_SECRETS)",
    ]);
    expect(containerEnv(accessory, parseKamalSecrets(secrets!, shellEnv()))).toEqual({
      LITESTREAM_ACCESS_KEY_ID: "secret:op://myproject/production-s3/access_key_id",
      LITESTREAM_SECRET_ACCESS_KEY: "secret:op://myproject/production-s3/secret_access_key",
    });
  });

  it("the adapter across items and vaults, and a field named password (Kamal strips /password from its key)", () => {
    const credentials = { accessKeyId: "op://Infra/hetzner-s3/username", secretAccessKey: "op://Infra/hetzner-s3/password" };
    const input = {
      ...project(credentials, { secrets: { via: "kamal-adapter", account: "acme" } }),
      encryption: { age: { recipients: ["age1" + "q".repeat(58)], identity: "op://Keys/age/private_key" } },
    };
    const { secrets, accessory } = generated(input);
    expect(blockOf(secrets!)).toEqual([
      "LITESTREAM_SECRETS=$(kamal secrets fetch --adapter 1password --account acme --from Infra/hetzner-s3 username password)",
      "LITESTREAM_ACCESS_KEY_ID=$(kamal secrets extract username $LITESTREAM_SECRETS)",
      "LITESTREAM_SECRET_ACCESS_KEY=$(kamal secrets extract hetzner-s3 $LITESTREAM_SECRETS)",
      "LITESTREAM_SECRETS_2=$(kamal secrets fetch --adapter 1password --account acme --from Keys/age private_key)",
      "LITESTREAM_AGE_IDENTITY=$(kamal secrets extract private_key $LITESTREAM_SECRETS_2)",
    ]);
    expect(containerEnv(accessory, parseKamalSecrets(secrets!, shellEnv()))).toEqual({
      LITESTREAM_ACCESS_KEY_ID: "secret:op://Infra/hetzner-s3/username",
      LITESTREAM_SECRET_ACCESS_KEY: "secret:op://Infra/hetzner-s3/password",
      LITESTREAM_AGE_IDENTITY: "secret:op://Keys/age/private_key",
    });
  });

  it("why --account is required: without it Kamal aborts (it does not store a warning as the secret)", () => {
    const { secrets } = generated(project(OP, { secrets: { via: "kamal-adapter", account: "acme" } }));
    expect(() => parseKamalSecrets(secrets!.replace(" --account acme", ""), shellEnv())).toThrow(
      "ERROR (NoMethodError): undefined method 'chomp' for nil:NilClass",
    );
  });

  it("environment references pass through; Kamal 2.6+ maps the names with a secret alias", () => {
    const { secrets, accessory } = generated(project(ENV));
    expect(accessory.env.secret).toEqual([
      "LITESTREAM_ACCESS_KEY_ID:R2_ACCESS_KEY_ID",
      "LITESTREAM_SECRET_ACCESS_KEY:R2_SECRET_ACCESS_KEY",
    ]);
    expect(blockOf(secrets!)).toEqual(["R2_ACCESS_KEY_ID=$R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY=$R2_SECRET_ACCESS_KEY"]);
    expect(
      containerEnv(accessory, parseKamalSecrets(secrets!, shellEnv({ R2_ACCESS_KEY_ID: "AKID", R2_SECRET_ACCESS_KEY: "SAK" }))),
    ).toEqual({
      LITESTREAM_ACCESS_KEY_ID: "AKID",
      LITESTREAM_SECRET_ACCESS_KEY: "SAK",
    });
  });

  it("before Kamal 2.6 (no aliases) the secrets file defines the container's name", () => {
    const { secrets, accessory } = generated(project(ENV, { version: "2.5" }));
    expect(accessory.env.secret).toEqual(["LITESTREAM_ACCESS_KEY_ID", "LITESTREAM_SECRET_ACCESS_KEY"]);
    expect(blockOf(secrets!)).toEqual(["LITESTREAM_ACCESS_KEY_ID=$R2_ACCESS_KEY_ID", "LITESTREAM_SECRET_ACCESS_KEY=$R2_SECRET_ACCESS_KEY"]);
    expect(
      containerEnv(accessory, parseKamalSecrets(secrets!, shellEnv({ R2_ACCESS_KEY_ID: "AKID", R2_SECRET_ACCESS_KEY: "SAK" }))),
    ).toEqual({
      LITESTREAM_ACCESS_KEY_ID: "AKID",
      LITESTREAM_SECRET_ACCESS_KEY: "SAK",
    });
  });

  it("a name Litestream reads natively needs no mapping: AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID", () => {
    const { secrets, accessory } = generated(
      project({ accessKeyId: { env: "AWS_ACCESS_KEY_ID" }, secretAccessKey: { env: "AWS_SECRET_ACCESS_KEY" } }),
    );
    expect(accessory.env.secret).toEqual(["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]);
    expect(blockOf(secrets!)).toEqual(["AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY"]);
  });

  it("an aliased name the user's file already defines is used as is, not redefined", () => {
    const existing = `${SECRETS}R2_ACCESS_KEY_ID=$(op read op://Infra/r2/key_id)\n`;
    const { secrets, accessory } = generated(project(ENV), existing);
    expect(secrets!.split(BEGIN)[1]).toContain(
      "# R2_ACCESS_KEY_ID: defined elsewhere (mapped to LITESTREAM_ACCESS_KEY_ID by the accessory)",
    );
    expect(blockOf(secrets!)).toEqual(["R2_SECRET_ACCESS_KEY=$R2_SECRET_ACCESS_KEY"]);
    const env = containerEnv(accessory, parseKamalSecrets(secrets!, shellEnv({ R2_SECRET_ACCESS_KEY: "SAK" })));
    expect(env.LITESTREAM_ACCESS_KEY_ID).toBe("secret:op://Infra/r2/key_id");
  });

  it("warns when the user's file also defines a name the block defines (the later one wins)", () => {
    const existing = `${SECRETS}LITESTREAM_ACCESS_KEY_ID=$(op read op://old/item/id)\n`;
    const { warnings } = generated(project(OP), existing);
    expect(warnings).toContainEqual({
      path: ["targets", "kamal", "secrets"],
      message:
        "LITESTREAM_ACCESS_KEY_ID is defined by the litestream-deploy block and also in line 14 of .kamal/secrets; the block's definition wins. Keep one: remove yours to use the block's, or, to keep yours, describe this credential as { env: \"LITESTREAM_ACCESS_KEY_ID\" } so the block leaves it to your line",
    });
  });

  it("refuses a 1Password reference that dotenv would cut at '#' or expand at '$'", () => {
    let issues: ProjectIssue[] = [];
    try {
      generated(project({ accessKeyId: "op://Infra/s3#2/id", secretAccessKey: "op://Infra/s3/secret" }));
    } catch (error) {
      issues = (error as ProjectError).issues;
    }
    expect(issues).toEqual([
      expect.objectContaining({
        path: ["targets", "kamal", "secrets"],
        message:
          "the 1Password reference op://Infra/s3#2/id holds characters that .kamal/secrets (dotenv) would expand or cut (#, $, quotes, spaces)",
      }),
    ]);
  });

  it("a destination reads .kamal/secrets.<destination> (Kamal does not read .kamal/secrets then)", () => {
    const input = {
      ...project(OP),
      environments: {
        production: { configFile: "config/litestream.yml", targets: { kamal: { destination: false } } },
        staging: {
          storage: { provider: "hetzner", location: "nbg1", bucket: "myapp-staging", credentials: ENV },
          targets: { kamal: { host: "203.0.113.20" } },
        },
      },
    };
    const files = generate(input).files.filter((f) => f.kind === "kamal-secrets");
    expect(files.map((f) => [f.path, f.environment])).toEqual([
      [".kamal/secrets", "production"],
      [".kamal/secrets.staging", "staging"],
    ]);
    expect(blockOf(files[1]!.content)).toEqual(["R2_ACCESS_KEY_ID=$R2_ACCESS_KEY_ID", "R2_SECRET_ACCESS_KEY=$R2_SECRET_ACCESS_KEY"]);
  });

  it("writes no secrets file when no credential is needed, but empties a stale block", () => {
    const input = { ...project(OP), storage: { provider: "file", path: "/var/backups/litestream" } };
    expect(generate(input).files.map((f) => f.kind)).not.toContain("kamal-secrets");
    const stale = `${SECRETS}\n${BEGIN}\nLITESTREAM_ACCESS_KEY_ID=x\n${END}\n`;
    const updated = generate(input, { existing: (p) => (p === ".kamal/secrets" ? stale : undefined) }).files.find(
      (f) => f.kind === "kamal-secrets",
    )!;
    expect(blockOf(updated.content)).toEqual([]);
    expect(updated.content.startsWith(`${SECRETS}\n${BEGIN}\n`)).toBe(true);
  });
});

describe("the user's bytes: line endings, BOM, indentation", () => {
  const input = project(ENV);

  it("a CRLF file keeps CRLF, and our block is written with CRLF too; a second run changes nothing", () => {
    const crlf = SECRETS.replace(/\n/g, "\r\n");
    const once = generated(input, crlf).secrets!;
    expect(once.startsWith(crlf)).toBe(true);
    expect(once.replace(/\r\n/g, "")).not.toContain("\n");
    expect(once).toContain(`\r\n${BEGIN}\r\n`);
    expect(generated(input, once).secrets).toBe(once);
    // Kamal (Ruby dotenv) reads it as the LF file.
    const env = shellEnv({ R2_ACCESS_KEY_ID: "k", R2_SECRET_ACCESS_KEY: "s" });
    expect(parseKamalSecrets(once, env)).toEqual(parseKamalSecrets(generated(input, SECRETS).secrets!, env));
  });

  it("an indented marker is recognised: the block is replaced, not added a second time", () => {
    const once = generated(input, SECRETS).secrets!;
    const indented = once.replace(BEGIN, `  ${BEGIN}`).replace(END, `\t${END}`);
    const again = generated(input, indented).secrets!;
    expect(again.split(BEGIN)).toHaveLength(2);
    expect(again).toBe(once);
  });

  it("a BOM at the start of the file is kept, also when our block is the first line", () => {
    const bom = `\uFEFF${SECRETS}`;
    const once = generated(input, bom).secrets!;
    expect(once.startsWith(bom)).toBe(true);
    const blockFirst = `\uFEFF${generated(input, undefined).secrets!}RAILS_MASTER_KEY=$(cat config/master.key)\n`;
    const again = generated(input, blockFirst).secrets!;
    expect(again).toBe(blockFirst);
    expect(again.split(BEGIN)).toHaveLength(2);
  });
});
