// Kamal's own accessory rules, one test per rule: as encoded for Kamal (validateKamalAccessory,
// with the key path below accessories/litestream) and as a user meets them in the description
// (issue path + message). Plus an independent check of every emitted accessory against the key
// list per Kamal version taken from kamal-compose-facts.md.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate, ProjectError, type ProjectIssue } from "../src/index.js";
import { validateKamalAccessory } from "../src/targets/kamal/rules.js";

const valid = {
  image: "litestream/litestream:0.3.13",
  host: "203.0.113.10",
  volumes: ["myapp_storage:/rails/storage"],
  files: ["config/litestream.yml:/etc/litestream.yml"],
  env: { secret: ["LITESTREAM_ACCESS_KEY_ID"] },
  options: { "health-cmd": "litestream databases" },
  cmd: "replicate",
};

function project(kamal: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    name: "myapp",
    litestream: { version: "0.3" },
    storage: {
      provider: "hetzner",
      location: "fsn1",
      bucket: "myapp-backups",
      credentials: { accessKeyId: { env: "HZ_ACCESS_KEY_ID" }, secretAccessKey: { env: "HZ_SECRET_ACCESS_KEY" } },
    },
    databases: [{ path: "/rails/storage/production.sqlite3" }],
    targets: { kamal: { version: "2.10.1", volume: "myapp_storage:/rails/storage", host: "203.0.113.10", appUser: "1000:1000", ...kamal } },
    ...extra,
  };
}

function issuesOf(input: unknown): ProjectIssue[] {
  try {
    generate(input);
  } catch (error) {
    if (error instanceof ProjectError) return error.issues;
    throw error;
  }
  return [];
}

describe("Kamal's accessory rules, as encoded", () => {
  it("accepts a valid accessory on every Kamal 2 release", () => {
    for (const version of ["2.0", "2.5", "2.10", "2.12"]) expect(validateKamalAccessory(valid, version)).toEqual([]);
    expect(validateKamalAccessory({ ...valid, files: ["config/litestream.yml:/etc/litestream.yml:ro"] }, "2.10")).toEqual([]);
  });

  it("unknown keys are errors, x- keys included", () => {
    expect(validateKamalAccessory({ ...valid, restart: "always", "x-note": "hi" }, "2.10")).toEqual([
      { path: ["restart"], message: "unknown key: restart", level: "error" },
      { path: ["x-note"], message: "unknown key: x-note (Kamal allows no x- extension keys in an accessory)", level: "error" },
    ]);
  });

  it("keys newer than the configured release are unknown keys (network 2.3, proxy 2.4, registry 2.5, role/tag/tags 2.6)", () => {
    expect(validateKamalAccessory({ ...valid, network: "kamal" }, "2.2")).toEqual([
      { path: ["network"], message: "unknown key: network (Kamal accepts it from 2.3, 2.2 is configured)", level: "error" },
    ]);
    expect(validateKamalAccessory({ ...valid, proxy: {} }, "2.3")[0]).toMatchObject({
      path: ["proxy"],
      message: expect.stringContaining("from 2.4"),
    });
    expect(validateKamalAccessory({ ...valid, registry: {} }, "2.4")[0]).toMatchObject({
      path: ["registry"],
      message: expect.stringContaining("from 2.5"),
    });
    const { host: _host, ...noHost } = valid;
    expect(validateKamalAccessory({ ...noHost, role: "web" }, "2.5")[0]).toMatchObject({
      path: ["role"],
      message: "unknown key: role (Kamal accepts it from 2.6, 2.5 is configured)",
    });
    expect(validateKamalAccessory({ ...noHost, role: "web" }, "2.6")).toEqual([]);
  });

  it("exactly one host selector", () => {
    const { host: _host, ...noHost } = valid;
    const expected = [{ path: [], message: "specify one of `host`, `hosts`, `role`, `roles`, `tag` or `tags`", level: "error" }];
    expect(validateKamalAccessory(noHost, "2.10")).toEqual(expected);
    expect(validateKamalAccessory({ ...valid, hosts: ["203.0.113.11"] }, "2.10")).toEqual(expected);
  });

  it("cmd is a string", () => {
    expect(validateKamalAccessory({ ...valid, cmd: ["replicate"] }, "2.10")).toEqual([
      { path: ["cmd"], message: "should be a string", level: "error" },
    ]);
  });

  it("options.restart: refused before 2.12 with each release's reason, a validated policy string on 2.12", () => {
    const restart = (value: unknown, version: string) => validateKamalAccessory({ ...valid, options: { restart: value } }, version);
    for (const policy of ["no", "always", "unless-stopped", "on-failure", "on-failure:5"]) expect(restart(policy, "2.12")).toEqual([]);
    expect(restart("sometimes", "2.12")).toEqual([
      {
        path: ["options", "restart"],
        message: 'should be a restart policy string: "no", always, unless-stopped or on-failure[:N]',
        level: "error",
      },
    ]);
    expect(restart(false, "2.12")).toHaveLength(1);
    expect(restart("always", "2.11")).toEqual([
      {
        path: ["options", "restart"],
        message: "Cannot set restart policy in docker options, unless-stopped is required (Kamal 2.6 to 2.11 refuse it; 2.12 accepts it)",
        level: "error",
      },
    ]);
    expect(restart("always", "2.5")[0]!.message).toMatch(/^Kamal 2\.5 already runs the accessory with --restart unless-stopped/);
  });

  it("hash-form files need 2.10, with string values (a bare mode is an integer)", () => {
    const hashFile = { local: "config/litestream.yml", remote: "/etc/litestream.yml", mode: "0644" };
    expect(validateKamalAccessory({ ...valid, files: [hashFile] }, "2.9")).toEqual([
      {
        path: ["files", 0],
        message: "should be a string (the hash form {local, remote, mode, owner, options} needs Kamal 2.10, 2.9 is configured)",
        level: "error",
      },
    ]);
    expect(validateKamalAccessory({ ...valid, files: [hashFile] }, "2.10")).toEqual([]);
    expect(validateKamalAccessory({ ...valid, files: [{ ...hashFile, mode: 420 }] }, "2.10")).toEqual([
      { path: ["files", 0, "mode"], message: 'should be a string (quote it: "0644"; a bare 0644 is the integer 420)', level: "error" },
    ]);
  });

  it("a :ro file mount is dropped silently before 2.10", () => {
    expect(validateKamalAccessory({ ...valid, files: ["config/litestream.yml:/etc/litestream.yml:ro"] }, "2.9")).toEqual([
      { path: ["files", 0], message: 'mount options ":ro" are dropped silently before Kamal 2.10 (2.9 is configured)', level: "ignored" },
    ]);
  });

  it("secret aliases need 2.6", () => {
    const aliased = { ...valid, env: { secret: ["LITESTREAM_ACCESS_KEY_ID:R2_ACCESS_KEY_ID"] } };
    expect(validateKamalAccessory(aliased, "2.5")).toEqual([
      {
        path: ["env", "secret", 0],
        message:
          'secret aliases (CONTAINER_NAME:SECRET_NAME) need Kamal 2.6, 2.5 is configured: it would look up a secret literally named "LITESTREAM_ACCESS_KEY_ID:R2_ACCESS_KEY_ID" and fail at boot',
        level: "error",
      },
    ]);
    expect(validateKamalAccessory(aliased, "2.6")).toEqual([]);
  });

  it("accessory env takes clear and secret only (no tags)", () => {
    expect(validateKamalAccessory({ ...valid, env: { secret: ["A"], tags: {}, other: "x" } }, "2.10")).toEqual([
      { path: ["env", "other"], message: "unknown key: other", level: "error" },
      { path: ["env", "tags"], message: "tags are only allowed in the root env", level: "error" },
    ]);
  });

  it("labels service, role and destination are reserved from 2.7", () => {
    expect(validateKamalAccessory({ ...valid, labels: { service: "x" } }, "2.7")).toEqual([
      { path: ["labels", "service"], message: "invalid label. destination, role, and service are reserved labels", level: "error" },
    ]);
    expect(validateKamalAccessory({ ...valid, labels: { service: "x" } }, "2.6")).toEqual([]);
  });
});

describe("Kamal rules as a user meets them in the description", () => {
  it("an unknown key in targets.kamal", () => {
    // Kamal spells it `volumes`; the description takes the one volume the app's databases live on.
    expect(issuesOf(project({ volumes: ["myapp_storage:/rails/storage"] }))).toEqual([
      { path: ["targets", "kamal", "volumes"], message: 'unknown key "volumes"', fix: 'did you mean "volume"?', code: "key.unknown" },
    ]);
  });

  it("a read-only data volume, with the reason", () => {
    const issues = issuesOf(project({ volume: "myapp_storage:/rails/storage:ro" }));
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toEqual(["targets", "kamal", "volume"]);
    expect(issues[0]!.message).toMatch(
      /mounts the data volume read-only: Litestream must write next to each database .* "attempt to write a readonly database"/,
    );
  });

  it("two host selectors in one place, or none after merging", () => {
    expect(issuesOf(project({ hosts: ["203.0.113.11"] }))).toEqual([
      {
        path: ["targets", "kamal", "hosts"],
        message:
          'an accessory takes exactly one host selector, host and hosts are set: Kamal refuses it ("specify one of `host`, `hosts` or `roles`" before 2.6, which also lists `role`, `tag` and `tags`)',
        fix: "keep host and remove hosts",
        code: "kamal.host.selectors",
      },
    ]);
    expect(issuesOf(project({ host: undefined }))).toEqual([
      {
        path: ["targets", "kamal"],
        message: "no host selector: Kamal needs exactly one of host, hosts, role, roles, tag or tags for an accessory",
        fix: "set host to the app's server (the data volume is local to it)",
        code: "kamal.host.selectors",
      },
    ]);
  });

  it("a role selector on a Kamal older than 2.6", () => {
    expect(issuesOf(project({ host: undefined, role: "web", version: "2.5" }))).toEqual([
      {
        path: ["targets", "kamal", "role"],
        message: "Kamal 2.5 refuses accessories/litestream/role: unknown key: role (Kamal accepts it from 2.6, 2.5 is configured)",
        fix: expect.stringContaining("use host, hosts or roles"),
        code: "kamal.accessory.rule",
      },
    ]);
  });

  it("options.restart", () => {
    const issues = issuesOf(project({ options: { restart: "always" } }));
    expect(issues).toEqual([
      {
        path: ["targets", "kamal", "options", "restart"],
        message: expect.stringMatching(/^Kamal 2\.10\.1 refuses accessories\/litestream\/options\/restart: Cannot set restart policy/),
        fix: expect.stringMatching(/version "2\.12"/),
        code: "kamal.accessory.rule",
      },
    ]);
    expect(issuesOf(project({ options: { restart: "on-failure:3" }, version: "2.12.0" }))).toEqual([]);
  });

  it("a reserved label on 2.7+", () => {
    expect(issuesOf(project({ labels: { role: "backup" } }))).toEqual([
      {
        path: ["targets", "kamal", "labels", "role"],
        message:
          "Kamal 2.10.1 refuses accessories/litestream/labels/role: invalid label. destination, role, and service are reserved labels",
        fix: "remove labels.role",
        code: "kamal.accessory.rule",
      },
    ]);
    expect(issuesOf(project({ labels: { role: "backup" }, version: "2.6" }))).toEqual([]);
  });

  it("the Kamal 1Password adapter without --account", () => {
    expect(issuesOf(project({ secrets: { via: "kamal-adapter" } }))).toEqual([
      {
        path: ["targets", "kamal", "secrets", "account"],
        message:
          "the Kamal 1Password adapter needs --account: without it Kamal aborts `kamal secrets fetch` with `ERROR (NoMethodError): undefined method 'chomp' for nil:NilClass`",
        fix: 'set account to your 1Password account, e.g. "my-team.1password.com", or use via: "op-read"',
        code: "kamal.secrets.account-missing",
      },
    ]);
  });

  it("no Kamal version", () => {
    expect(issuesOf(project({ version: undefined }))).toEqual([
      expect.objectContaining({ path: ["targets", "kamal", "version"], message: expect.stringContaining("the Kamal version is not set") }),
    ]);
  });

  it("a database outside the shared volume", () => {
    expect(issuesOf(project({ volume: "myapp_storage:/rails/data" }))).toEqual([
      expect.objectContaining({
        path: ["targets", "kamal", "volume"],
        message:
          "database production (/rails/storage/production.sqlite3) is not inside /rails/data, where the volume is mounted: the accessory would not see it",
      }),
    ]);
  });

  it("options the generator sets itself", () => {
    expect(issuesOf(project({ options: { entrypoint: "/bin/bash", memory: "256m" } }))).toEqual([
      expect.objectContaining({
        path: ["targets", "kamal", "options", "entrypoint"],
        message: expect.stringContaining("options.entrypoint is set by litestream-deploy"),
      }),
    ]);
  });

  it("two environments on one Kamal destination", () => {
    const input = project(
      {},
      {
        environments: {
          production: { configFile: "config/litestream.yml", targets: { kamal: { destination: false } } },
          staging: { storage: { provider: "file", path: "/var/backups/staging" }, targets: { kamal: { destination: false } } },
        },
      },
    );
    expect(issuesOf(input)).toContainEqual({
      path: ["environments", "staging", "targets", "kamal", "destination"],
      message: "environments production and staging would both write the litestream accessory into config/deploy.yml",
      fix: 'give each environment its own Kamal destination, e.g. destination: "staging" for staging (destination: false for the one that uses config/deploy.yml)',
      code: "kamal.destination.shared",
    });
  });

  it("a destination whose accessory would inherit keys of config/deploy.yml's (Kamal deep-merges them)", () => {
    const input = project(
      {},
      {
        environments: {
          production: { configFile: "config/litestream.yml", targets: { kamal: { destination: false } } },
          staging: {
            storage: { provider: "file", path: "/var/backups/staging" },
            targets: { kamal: { host: undefined, hosts: ["203.0.113.20"] } },
          },
        },
      },
    );
    expect(issuesOf(input)).toContainEqual(
      expect.objectContaining({
        path: ["environments", "staging", "targets", "kamal", "destination"],
        message: expect.stringContaining(
          "accessories.litestream.host, accessories.litestream.env.secret of environment production would also apply to staging",
        ),
      }),
    );
  });

  it("the shell-less scratch image where a restore script must run", () => {
    expect(issuesOf({ ...project(), litestream: { version: "0.5", image: "litestream/litestream:0.5.16-scratch" } })).toContainEqual(
      expect.objectContaining({ path: ["litestream", "image"], message: expect.stringContaining("has no shell") }),
    );
  });
});

// Kamal's accessory keys per release, copied from kamal-compose-facts.md ("Kamal 2 accessories"),
// independently of src/targets/kamal/rules.ts: emitting a key Kamal does not know fails here.
const FACTS_KEYS: Array<[string, string[]]> = [
  ["2.0", ["service", "image", "host", "hosts", "roles", "cmd", "port", "labels", "options", "env", "files", "directories", "volumes"]],
  ["2.3", ["network"]],
  ["2.4", ["proxy"]],
  ["2.5", ["registry"]],
  ["2.6", ["role", "tag", "tags"]],
];
const minor = (v: string) => Number(v.split(".")[1]);
const keysFor = (version: string) => FACTS_KEYS.filter(([since]) => minor(since) <= minor(version)).flatMap(([, keys]) => keys);

describe("every emitted accessory uses only keys and forms its Kamal release accepts", () => {
  const versions = ["2.0", "2.2", "2.5", "2.6", "2.7", "2.9", "2.10.1", "2.12"];
  const cases = versions.flatMap((version) =>
    (["0.3", "0.5"] as const).flatMap((line) =>
      [true, false].flatMap((restoreOnBoot) =>
        [
          { host: "203.0.113.10" },
          { hosts: ["203.0.113.10", "203.0.113.11"] },
          { roles: ["web"] },
          ...(minor(version) >= 6 ? [{ role: "web" }, { tags: ["db"] }] : []),
        ].map((selector) => ({
          version,
          line,
          restoreOnBoot,
          selector,
        })),
      ),
    ),
  );

  it.each(cases)(
    "Kamal $version, Litestream $line, restoreOnBoot $restoreOnBoot, $selector",
    ({ version, line, restoreOnBoot, selector }) => {
      const input = {
        ...project({ version, host: undefined, ...selector }),
        litestream: { version: line },
        restoreOnBoot,
        storage: {
          provider: "r2",
          accountId: "0123456789abcdef0123456789abcdef",
          bucket: "myapp-backups",
          credentials: { accessKeyId: { env: "R2_ACCESS_KEY_ID" }, secretAccessKey: "op://Vault/R2/secret_access_key" },
        },
      };
      const result = generate(input);
      const partial = result.files.find((f) => f.kind === "kamal-accessory")!;
      const accessory = parse(partial.content, { version: "1.1" }).accessories.litestream as Record<string, unknown>;
      const allowed = keysFor(version);
      expect(Object.keys(accessory).filter((k) => !allowed.includes(k))).toEqual([]);
      expect(Object.keys(accessory).filter((k) => ["host", "hosts", "role", "roles", "tag", "tags"].includes(k))).toHaveLength(1);
      expect(typeof accessory.cmd).toBe("string");
      const options = (accessory.options ?? {}) as Record<string, unknown>;
      expect(options).not.toHaveProperty("restart");
      for (const value of Object.values(options)) expect(["string", "number", "boolean"]).toContain(typeof value);
      const env = accessory.env as { clear?: Record<string, unknown>; secret: string[] };
      expect(Object.keys(env).filter((k) => k !== "clear" && k !== "secret")).toEqual([]);
      const aliased = env.secret.filter((s) => s.includes(":"));
      expect(aliased).toEqual(minor(version) >= 6 ? ["LITESTREAM_ACCESS_KEY_ID:R2_ACCESS_KEY_ID"] : []);
      const files = accessory.files as unknown[];
      for (const file of files) expect(typeof file).toBe("string");
      expect(files.some((f) => String(f).endsWith(":ro"))).toBe(minor(version) >= 10);
      for (const volume of accessory.volumes as unknown[]) {
        expect(typeof volume).toBe("string");
        expect(String(volume).split(":").slice(2)).not.toContain("ro");
      }
      expect(accessory.image).toBe(line === "0.3" ? "litestream/litestream:0.3.14" : "litestream/litestream:0.5.17");
    },
  );
});

describe("every Kamal issue has a code and a fix", () => {
  const bad: Array<[string, Record<string, unknown>, Record<string, unknown>?]> = [
    ["no version", { version: undefined }],
    ["no volume", { volume: undefined }],
    ["two selectors", { hosts: ["203.0.113.11"] }],
    ["a read-only volume", { volume: "myapp_storage:/rails/storage:ro" }],
    ["an unknown volume option", { volume: "myapp_storage:/rails/storage:xx" }],
    ["Kamal 2.10.0 with a named volume", { version: "2.10" }],
    ["a role before 2.6", { host: undefined, role: "web", version: "2.5" }],
    ["options.restart before 2.12", { options: { restart: "always" } }],
    ["a short stop-timeout", { options: { "stop-timeout": 5 } }],
    ["an option the generator sets", { options: { entrypoint: "/bin/bash" } }],
    ["a reserved label", { labels: { role: "x" } }],
    ["a label key with a space", { labels: { "a b": "x" } }],
    ["a value with ${…}", { env: { A: "${HOME}" } }],
    ["a secret as a clear env", { env: { LITESTREAM_ACCESS_KEY_ID: "x" } }],
    ["the 1Password adapter without account", { secrets: { via: "kamal-adapter" } }],
    ["an adapter that needs an account", { secrets: { sources: { HZ_ACCESS_KEY_ID: { adapter: "lastpass", secret: "s3" } } } }],
    [
      "an account where none is taken",
      { secrets: { sources: { HZ_ACCESS_KEY_ID: { adapter: "doppler", account: "a", from: "p/c", secret: "K" } } } },
    ],
    ["a source for no credential", { secrets: { sources: { OTHER: { env: "X" } } } }],
    [
      "adapter lines before 2.6",
      { version: "2.5", secrets: { sources: { HZ_ACCESS_KEY_ID: { adapter: "doppler", from: "p/c", secret: "K" } } } },
    ],
    ["a beforeApp shell operator", { beforeApp: [["bin/rails", "&&"]] }],
    ["a database outside the volume", {}, { databases: [{ path: "/data/x.sqlite3" }] }],
  ];
  it.each(bad)("%s", (_name, kamal, extra) => {
    const issues = issuesOf(project(kamal, extra));
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) {
      expect(issue.code, issue.message).toMatch(/^(kamal|key|text)\./);
      expect(issue.fix, issue.message).toBeTruthy();
    }
  });

  it("the fixes the release refusals name work", () => {
    expect(issuesOf(project({ version: "2.10" })).map((i) => i.fix)).toEqual([
      'upgrade Kamal to 2.10.1 or later (`gem install kamal -v 2.10.1` or newer) and set version: "2.10.1"',
    ]);
    expect(issuesOf(project({ version: "2.10.1" }))).toEqual([]);
    const adapter = { secrets: { sources: { HZ_ACCESS_KEY_ID: { adapter: "doppler", from: "p/c", secret: "K" } } } };
    expect(issuesOf(project({ ...adapter, version: "2.5" })).map((i) => i.code)).toEqual(["kamal.release.adapter-dotenv"]);
    expect(issuesOf(project({ ...adapter, version: "2.6" }))).toEqual([]);
    expect(issuesOf(project({ version: "2.5", secrets: { sources: { HZ_ACCESS_KEY_ID: { railsCredentials: "s3.key" } } } }))).toEqual([]);
  });
});
