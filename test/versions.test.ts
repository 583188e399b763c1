// One test per release gate (src/versions): the same description on the releases either side of the
// gate gives the key written, or the refusal naming the first release that has it; known-bad
// releases; pins (image digest, .deb checksum); the 0.3 → 0.5 migration.
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate, type ProjectInput } from "../src/index.js";
import { firstReleaseWith, KEY_TABLE, keysRead } from "../src/versions/index.js";
import { issuesOf } from "./support/issues.js";

const base = {
  name: "shop",
  litestream: { version: "0.5" as const },
  storage: { provider: "file" as const, path: "/var/backups/shop" },
  databases: [{ name: "main", path: "/data/main.db" }],
  restoreOnBoot: false,
};

type Extra = Record<string, unknown>;
const describe05 = (release: string, extra: Extra = {}): ProjectInput =>
  ({ ...base, ...extra, litestream: { ...base.litestream, release, ...((extra.litestream as Extra) ?? {}) } }) as ProjectInput;

function config(description: ProjectInput): Record<string, unknown> {
  const file = generate(description).files.find((f) => f.kind === "litestream-config");
  return parse(file!.content, { version: "1.1" }) as Record<string, unknown>;
}

const db0 = (c: Record<string, unknown>) => (c.dbs as Array<Record<string, unknown>>)[0]!;
const replica0 = (c: Record<string, unknown>) => db0(c).replica as Record<string, unknown>;

const COMPOSE = { appService: "web", volume: "shop_data:/data" };
const s3 = { provider: "aws", region: "eu-central-1", bucket: "shop-backups" };

interface Gate {
  what: string;
  before: string;
  since: string;
  extra: Extra;
  written: (c: Record<string, unknown>) => unknown;
}

const GATES: Gate[] = [
  {
    what: "l0-retention",
    before: "0.5.2",
    since: "0.5.3",
    extra: { compaction: { l0Retention: "10m" } },
    written: (c) => c["l0-retention"],
  },
  {
    what: "truncate-page-n",
    before: "0.5.2",
    since: "0.5.3",
    extra: { databases: [{ name: "main", path: "/data/main.db", truncatePageN: 121359 }] },
    written: (c) => db0(c)["truncate-page-n"],
  },
  {
    what: "part-size",
    before: "0.5.2",
    since: "0.5.3",
    extra: { storage: { ...s3, partSize: "16MB" } },
    written: (c) => replica0(c)["part-size"],
  },
  {
    what: "concurrency",
    before: "0.5.2",
    since: "0.5.3",
    extra: { storage: { ...s3, concurrency: 4 } },
    written: (c) => replica0(c).concurrency,
  },
  {
    what: "sign-payload",
    before: "0.5.2",
    since: "0.5.3",
    extra: { storage: { ...s3, signPayload: true } },
    written: (c) => replica0(c)["sign-payload"],
  },
  {
    what: "restore-if-db-not-exists",
    before: "0.5.5",
    since: "0.5.6",
    extra: { restoreOnBoot: true },
    written: (c) => db0(c)["restore-if-db-not-exists"],
  },
  {
    what: "heartbeat-url",
    before: "0.5.5",
    since: "0.5.6",
    extra: { heartbeat: { url: { env: "PING" } } },
    written: (c) => c["heartbeat-url"],
  },
  {
    what: "shutdown-sync-timeout",
    before: "0.5.5",
    since: "0.5.6",
    extra: { shutdownSyncTimeout: "45s" },
    written: (c) => c["shutdown-sync-timeout"],
  },
  {
    what: "sse-kms-key-id",
    before: "0.5.5",
    since: "0.5.6",
    extra: { storage: s3, encryption: { sse: { kmsKeyId: "alias/shop" } } },
    written: (c) => replica0(c)["sse-kms-key-id"],
  },
  {
    what: "validation",
    before: "0.5.6",
    since: "0.5.7",
    extra: { replication: { validationInterval: "12h" } },
    written: (c) => c.validation,
  },
  {
    what: "retention.enabled",
    before: "0.5.7",
    since: "0.5.8",
    extra: { compaction: { retentionEnabled: false } },
    written: (c) => c.retention,
  },
  {
    what: 'logging type "pretty"',
    before: "0.5.10",
    since: "0.5.11",
    extra: { logging: { type: "pretty" } },
    written: (c) => (c.logging as Extra).type,
  },
  {
    what: "storage-class",
    before: "0.5.13",
    since: "0.5.14",
    extra: { storage: { ...s3, storageClass: "STANDARD_IA" } },
    written: (c) => replica0(c)["storage-class"],
  },
  {
    what: "max-sync-wal-bytes",
    before: "0.5.14",
    since: "0.5.15",
    extra: { databases: [{ name: "main", path: "/data/main.db", maxSyncWalBytes: 16777216 }] },
    written: (c) => db0(c)["max-sync-wal-bytes"],
  },
];

describe.each(GATES)("gate $what ($since)", ({ what, before, since, extra, written }) => {
  it(`${before} refuses it naming ${since}; ${since} writes it`, () => {
    const refused = issuesOf(describe05(before, extra));
    expect(refused.map((i) => i.message)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${what.replace(/[.*"]/g, (c) => `\\${c}`)} needs Litestream ${since.replace(/\./g, "\\.")} or later, ${before.replace(/\./g, "\\.")} is pinned`,
        ),
      ),
    ]);
    expect(refused[0]!.code).toBe("version.feature");
    expect(written(config(describe05(since, extra)))).toBeDefined();
  });
});

describe("0.5 settings on the 0.3 line", () => {
  it("are refused naming 0.5 and the release that brings them", () => {
    const on03 = (extra: Extra) => issuesOf({ ...base, ...extra, litestream: { version: "0.3" } } as ProjectInput).map((i) => i.message);
    expect(on03({ databases: [{ name: "main", path: "/data/main.db", truncatePageN: 1000 }] })).toEqual([
      "truncate-page-n is a Litestream 0.5 setting (0.5.3+); 0.3 ignores it silently",
    ]);
    expect(on03({ storage: { ...s3, storageClass: "STANDARD_IA" } })).toEqual([
      "storage-class is a Litestream 0.5 setting (0.5.14+); 0.3 ignores it silently",
    ]);
  });
});

describe("the gates and the table agree", () => {
  it("every key a gate tests is introduced by the release the table says", () => {
    for (const [key, scope, since] of [
      ["l0-retention", "top", "0.5.3"],
      ["truncate-page-n", "db", "0.5.3"],
      ["restore-if-db-not-exists", "db", "0.5.6"],
      ["enabled", "retention", "0.5.8"],
      ["storage-class", "replica", "0.5.14"],
      ["max-sync-wal-bytes", "db", "0.5.15"],
    ] as const) {
      expect(firstReleaseWith("0.5", scope, key), key).toBe(since);
    }
  });
  it("top-level replica defaults exist from 0.5.3, max-checkpoint-page-count is ignored from 0.5.3, per-db snapshot from 0.5.12", () => {
    expect(keysRead("0.5.2", "top")).not.toContain("sign-payload");
    expect(keysRead("0.5.3", "top")).toContain("sign-payload");
    expect(keysRead("0.5.2", "db")).toContain("max-checkpoint-page-count");
    expect(keysRead("0.5.3", "db")).not.toContain("max-checkpoint-page-count");
    expect(keysRead("0.5.11", "db")).not.toContain("snapshot");
    expect(keysRead("0.5.12", "db")).toContain("snapshot");
    expect(KEY_TABLE.every((r) => /^0\.(3|5)\.\d+$/.test(r.since))).toBe(true);
  });
  it("never writes per-database snapshot or max-checkpoint-page-count, on any release", () => {
    for (const release of ["0.5.2", "0.5.11", "0.5.12", "0.5.17"]) {
      const c = config(describe05(release, { databases: [{ name: "main", path: "/data/main.db", role: "primary" }] }));
      expect(Object.keys(db0(c)), release).toEqual(["path", "replica"]);
      expect(c.snapshot, release).toBeDefined();
    }
  });
});

describe("releases the generator writes for", () => {
  it("defaults to 0.5.17 and 0.3.14", () => {
    expect(generate({ ...base, litestream: { version: "0.5" } } as ProjectInput).plan.litestream).toMatchObject({
      release: "0.5.17",
      image: "litestream/litestream:0.5.17",
    });
    expect(generate({ ...base, litestream: { version: "0.3" } } as ProjectInput).plan.litestream.release).toBe("0.3.14");
  });
  it("accepts 0.3.9 and refuses 0.3.8, naming the oldest", () => {
    expect(generate({ ...base, litestream: { version: "0.3", release: "0.3.9" } } as ProjectInput).plan.litestream.release).toBe("0.3.9");
    expect(issuesOf({ ...base, litestream: { version: "0.3", release: "0.3.8" } } as ProjectInput)).toEqual([
      expect.objectContaining({ code: "release.unsupported", message: expect.stringContaining("older than 0.3.9") }),
    ]);
  });
  it("shutdown grace follows shutdown-sync-timeout from 0.5.6 only", () => {
    expect(generate(describe05("0.5.5")).plan.environments[0]!.shutdown.graceSeconds).toBe(30);
    expect(generate(describe05("0.5.6")).plan.environments[0]!.shutdown.graceSeconds).toBe(40);
  });
});

describe("known-bad releases", () => {
  const r2 = {
    provider: "r2",
    accountId: "0123456789abcdef0123456789abcdef",
    bucket: "shop-backups",
    credentials: { accessKeyId: { env: "K" }, secretAccessKey: { env: "S" } },
  };
  it("warns on 0.5.0 (no restore -if-replica-exists, plaintext age) naming 0.5.1; restoring on boot is refused there by its gate", () => {
    expect(generate(describe05("0.5.0")).warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/restore -if-replica-exists.*fixed in 0\.5\.1$/),
    ]);
    expect(issuesOf(describe05("0.5.0", { restoreOnBoot: true })).map((i) => i.message)).toEqual([
      expect.stringMatching(/^restore-if-db-not-exists needs Litestream 0\.5\.6 or later/),
    ]);
  });
  it("refuses 0.5.3-0.5.5 with a custom S3 endpoint, not with a file replica or AWS, and names 0.5.6", () => {
    for (const release of ["0.5.3", "0.5.5"]) {
      const issues = issuesOf(describe05(release, { storage: r2 }));
      expect(
        issues.map((i) => i.code),
        release,
      ).toEqual(["release.known-bad"]);
      expect(issues[0]!.message).toMatch(/#889 #912 #918 #940 #941/);
    }
    expect(issuesOf(describe05("0.5.4"))).toEqual([]);
    expect(issuesOf(describe05("0.5.4", { storage: s3 }))).toEqual([]);
    expect(issuesOf(describe05("0.5.6", { storage: r2 }))).toEqual([]);
  });
  it("refuses 0.5.6-0.5.7 for an app with wal_autocheckpoint=0 and warns otherwise; 0.5.8 is fixed", () => {
    const off = { litestream: { walAutocheckpointOff: true } };
    expect(issuesOf(describe05("0.5.7", off)).map((i) => i.message)).toEqual([expect.stringContaining("#1083")]);
    expect(issuesOf(describe05("0.5.8", off))).toEqual([]);
    expect(generate(describe05("0.5.6")).warnings.map((w) => w.message)).toEqual([expect.stringMatching(/#1083.*fixed in 0\.5\.8$/)]);
    expect(generate(describe05("0.5.8")).warnings).toEqual([]);
  });
});

describe("pins", () => {
  it("keeps an image digest the description gives", () => {
    const image = `litestream/litestream:0.5.17@sha256:${"a".repeat(64)}`;
    const { plan, files } = generate({ ...describe05("0.5.17", { litestream: { image } }), targets: { compose: COMPOSE } } as ProjectInput);
    expect(plan.litestream).toMatchObject({ image, imageDigest: `sha256:${"a".repeat(64)}` });
    expect(files.find((f) => f.path.includes("compose"))!.content).toContain(`image: ${image}`);
  });
  const systemd = { targets: { systemd: {} } };
  it("refuses a .deb download with no known checksum, and only where a .deb is downloaded", () => {
    expect(issuesOf(describe05("0.5.17", systemd))).toEqual([
      expect.objectContaining({ code: "checksum.unknown", path: ["litestream", "checksum"] }),
    ]);
    expect(issuesOf(describe05("0.5.17", { targets: { compose: COMPOSE } }))).toEqual([]);
    expect(issuesOf(describe05("0.5.17", { targets: { systemd: { binary: "/opt/litestream/bin/litestream" } } }))).toEqual([]);
  });
  it("verifies the .deb with sha256sum -c against litestream.checksum; verify: false says it does not", () => {
    const sha = "b".repeat(64);
    const script = (extra: Extra) =>
      generate(describe05("0.5.17", { ...systemd, ...extra })).files.find((f) => f.kind === "install-script")!.content;
    const checked = script({ litestream: { checksum: { amd64: `sha256:${sha}` } } });
    expect(checked).toContain(
      `amd64) url=https://github.com/benbjohnson/litestream/releases/download/v0.5.17/litestream-0.5.17-linux-x86_64.deb sha256=${sha} ;;`,
    );
    expect(checked).toContain('echo "$sha256  $tmp/litestream.deb" | sha256sum -c -');
    expect(checked).toContain("SHA-256 from litestream.checksum in the description");
    const unverified = script({ litestream: { verify: false } });
    expect(unverified).toContain("The .deb is NOT verified (litestream.verify: false)");
    expect(unverified).not.toContain("sha256=");
  });
});

describe("migration from 0.3 (litestream.migrateFrom)", () => {
  const bucket = { provider: "aws", region: "eu-central-1", bucket: "shop-backups" };
  it("refuses a 0.5 location equal to or nested with the 0.3 one", () => {
    const same = issuesOf(describe05("0.5.17", { storage: bucket, litestream: { migrateFrom: { version: "0.3" } } }));
    expect(same).toEqual([
      expect.objectContaining({
        code: "migrate.shared-location",
        message: expect.stringContaining("the same place as the 0.3 backups at s3://shop-backups/shop/main"),
        fix: expect.stringContaining('storage.prefix: "shop-v05"'),
      }),
    ]);
    const nested = issuesOf(
      describe05("0.5.17", {
        storage: { ...bucket, prefix: "shop/main" },
        litestream: { migrateFrom: { version: "0.3", prefix: "shop" } },
      }),
    );
    expect(nested.map((i) => i.code)).toEqual(["migrate.shared-location"]);
  });
  it("writes the steps into the config, with both locations; needs 0.5.12 to restore the 0.3 backup", () => {
    const description = describe05("0.5.17", {
      storage: { ...bucket, prefix: "shop-v05" },
      litestream: { migrateFrom: { version: "0.3", prefix: "shop" } },
    });
    const content = generate(description).files.find((f) => f.kind === "litestream-config")!.content;
    expect(content).toContain("# location (s3://shop-backups/shop-v05/main, not the 0.3 s3://shop-backups/shop/main). In this order:");
    expect(content).toContain("#   1. stop Litestream 0.3");
    const early = describe05("0.5.11", {
      storage: { ...bucket, prefix: "shop-v05" },
      litestream: { migrateFrom: { version: "0.3", prefix: "shop" } },
    });
    expect(issuesOf(early).map((i) => i.message)).toEqual(["restoring a 0.3 backup needs Litestream 0.5.12 or later, 0.5.11 is pinned"]);
  });
  it("is refused on the 0.3 line", () => {
    expect(
      issuesOf({ ...base, litestream: { version: "0.3", migrateFrom: { version: "0.3" } } } as ProjectInput).map((i) => i.code),
    ).toEqual(["migrate.line"]);
  });
});
