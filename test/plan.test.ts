// How a description resolves: timing layers, environments, 0.5 globals, variable names.
import { describe, expect, it } from "vitest";
import { generate, type ProjectInput } from "../src/index.js";
import { literalPath } from "../src/plan/model.js";
import { envBindings } from "../src/env-mapping.js";

const creds = { accessKeyId: { env: "R2_ACCESS_KEY_ID" }, secretAccessKey: "op://Infra/R2/secret" } as const;
const base: ProjectInput = {
  name: "app",
  litestream: { version: "0.3" },
  storage: { provider: "r2", accountId: "0123456789abcdef0123456789abcdef", bucket: "backups", credentials: creds },
  databases: [
    { name: "main", path: "/data/main.db", role: "primary" },
    { name: "cache", path: "/data/cache.db", role: "cache", replication: { syncInterval: "30s" } },
  ],
};

describe("timing layers", () => {
  it("go from general to specific: preset → replication → environment → role → database → environment database", () => {
    const { plan } = generate({
      ...base,
      preset: "critical",
      replication: { validationInterval: "12h" },
      environments: {
        production: {
          replication: { syncInterval: "2s", retentionCheckInterval: "2h" },
          databases: { main: { replication: { retention: "14d" } } },
        },
      },
    });
    const [main, cache] = plan.environments[0]!.databases.map((d) => d.replicas[0]!.settings);
    expect(Object.fromEntries(Object.entries(main!).map(([k, v]) => [k, `${v.go} (${v.source})`]))).toEqual({
      syncInterval: "5s (role primary)",
      snapshotInterval: "1h (role primary)",
      retention: "336h (environment production, database main)",
      retentionCheckInterval: "2h (environment production)",
      validationInterval: "12h (project default)",
    });
    expect(cache!.syncInterval!.source).toBe("database cache");
    expect(cache!.retention!.go).toBe("24h");
  });
});

describe("environments", () => {
  it("share one bucket with a prefix each, and one config file each", () => {
    const { files, plan } = generate({ ...base, environments: { production: {}, staging: { prefix: "app-staging" } } });
    expect(files.map((f) => f.path)).toEqual(["config/litestream.production.yml", "config/litestream.staging.yml"]);
    expect(plan.environments.map((e) => e.databases[0]!.replicas[0]!.path)).toEqual(["app/main", "app-staging/main"]);
  });

  it("refuses a prefix next to the environment's own storage", () => {
    expect(() => generate({ ...base, environments: { dev: { prefix: "x", storage: { provider: "file", path: "/b" } } } })).toThrow(
      /environments\.dev\.prefix: `prefix` applies to the inherited storage, but this environment defines its own/,
    );
  });

  it("resolve relative paths against baseDir, databases and file replicas alike", () => {
    const { plan } = generate({
      ...base,
      environments: {
        development: {
          baseDir: "/home/me/app",
          databases: { main: { path: "data/main.db" } },
          storage: { provider: "file", path: "../backups" },
        },
      },
    });
    const env = plan.environments[0]!;
    expect(env.databases.map((d) => [literalPath(d.path), d.replicas[0]!.path])).toEqual([
      ["/home/me/app/data/main.db", "/home/me/backups/main"],
      ["/data/cache.db", "/home/me/backups/cache"],
    ]);
  });
});

describe("Litestream 0.5", () => {
  it("has one global snapshot policy: the shortest interval and the longest retention", () => {
    const { plan } = generate({ ...base, litestream: { version: "0.5" } });
    const env = plan.environments[0]!;
    expect([env.snapshot?.interval?.go, env.snapshot?.retention?.go]).toEqual(["1h", "720h"]);
  });

  it("restores missing databases by itself only from 0.5.6", () => {
    const aws = { provider: "aws", region: "eu-central-1", bucket: "backups" } as const;
    expect(() => generate({ ...base, storage: aws, litestream: { version: "0.5", release: "0.5.5" } })).toThrow(
      /restore-if-db-not-exists needs Litestream 0.5.6 or later/,
    );
    expect(
      generate({ ...base, storage: aws, litestream: { version: "0.5", release: "0.5.5" }, restoreOnBoot: false }).files[0]!.content,
    ).not.toContain("restore-if-db-not-exists");
  });

  it("refuses 0.5.3-0.5.5 with a custom S3 endpoint (R2 here), naming 0.5.6", () => {
    expect(() => generate({ ...base, litestream: { version: "0.5", release: "0.5.5" }, restoreOnBoot: false })).toThrow(
      /custom S3 endpoints[\s\S]*pin "0\.5\.6" or later/,
    );
  });
});

describe("environment variables", () => {
  it("map the user's names to the names Litestream reads; 1Password secrets are stored under Litestream's name", () => {
    const { plan } = generate(base);
    expect(envBindings(plan.environments[0]!).map((b) => `${b.name} ← ${b.secretName} (${b.source.kind})`)).toEqual([
      "LITESTREAM_ACCESS_KEY_ID ← R2_ACCESS_KEY_ID (env)",
      "LITESTREAM_SECRET_ACCESS_KEY ← LITESTREAM_SECRET_ACCESS_KEY (op)",
    ]);
  });

  it("keep AWS_* names as they are: Litestream reads them natively", () => {
    const { plan } = generate({
      ...base,
      storage: {
        provider: "aws",
        region: "eu-west-1",
        bucket: "backups",
        credentials: { accessKeyId: { env: "AWS_ACCESS_KEY_ID" }, secretAccessKey: { env: "AWS_SECRET_ACCESS_KEY" } },
      },
    });
    expect(envBindings(plan.environments[0]!).map((b) => [b.name, b.renamed])).toEqual([
      ["AWS_ACCESS_KEY_ID", false],
      ["AWS_SECRET_ACCESS_KEY", false],
    ]);
  });

  it("refuse two different credentials for one variable", () => {
    expect(() =>
      generate({
        ...base,
        replicas: [
          {
            provider: "b2",
            region: "us-west-002",
            bucket: "one",
            credentials: { accessKeyId: { env: "A" }, secretAccessKey: { env: "B" } },
          },
          {
            provider: "b2",
            name: "two",
            region: "us-west-002",
            bucket: "two",
            credentials: { accessKeyId: { env: "C" }, secretAccessKey: { env: "B" } },
          },
        ],
        storage: undefined,
      }),
    ).toThrow(/replicas\[1\]\.credentials\.accessKeyId: two different credentials would both have to be LITESTREAM_ACCESS_KEY_ID/);
  });
});

describe("target settings per environment", () => {
  it("an environment changes only the fields it sets; defaults apply after merging", () => {
    const { plan, files } = generate({
      ...base,
      storage: { provider: "file", path: "/var/backups/app" },
      databases: [{ name: "main", path: "/data/main.db" }],
      targets: { compose: { appService: "app", volume: "app_data:/data", configDelivery: "bind" } },
      environments: {
        production: {},
        staging: { storage: { provider: "file", path: "/var/backups/staging" }, targets: { compose: { user: "1000:1000" } } },
      },
    });
    expect(plan.environments.map((e) => e.targets.compose)).toEqual([
      { appService: "app", volume: "app_data:/data", configDelivery: "bind" },
      { appService: "app", volume: "app_data:/data", configDelivery: "bind", user: "1000:1000" },
    ]);
    const staging = files.find((f) => f.path === "compose.litestream.staging.yaml")!.content;
    expect(staging).toContain(`user: "1000:1000"`);
    expect(staging).not.toContain("<<'LITESTREAM_YML'"); // still bind: no heredoc writes the config
  });
});
