// Every trap a user can type gets a clear error (path, problem, fix), all of them at once.
import { describe, expect, it } from "vitest";
import { generate, ProjectError, type ProjectInput, type ProjectIssue } from "../src/index.js";
import { formatPath } from "../src/errors.js";

const base = (): Record<string, any> => ({
  name: "app",
  litestream: { version: "0.3" },
  storage: { provider: "file", path: "/var/backups/litestream" },
  databases: [{ name: "main", path: "/data/app.db" }],
});

function issuesOf(description: unknown): ProjectIssue[] {
  try {
    generate(description as ProjectInput);
  } catch (error) {
    if (error instanceof ProjectError) return error.issues;
    throw error;
  }
  throw new Error("expected the description to be refused");
}

/** The single issue at `path`, as "path: message → fix". */
function issueAt(description: unknown, path: string): string {
  const matching = issuesOf(description).filter((i) => formatPath(i.path) === path);
  expect(
    matching.map((i) => i.message),
    `issues at ${path}`,
  ).toHaveLength(1);
  const issue = matching[0]!;
  return `${formatPath(issue.path)}: ${issue.message}${issue.fix ? ` → ${issue.fix}` : ""}`;
}

describe("bad input", () => {
  it("a valid description passes (the baseline the cases below break)", () => {
    expect(generate(base()).files.map((f) => f.path)).toEqual(["config/litestream.yml"]);
  });

  it("$(date …) in a path: no shell ever runs it", () => {
    const d = base();
    d.storage.path = "/backups/$(date +%Y-%m-%d)";
    expect(issueAt(d, "storage.path")).toMatch(/command substitution.*no shell ever runs it.*→ write the final value/);
  });

  it("${VAR:-default}: Litestream expands it to an empty string", () => {
    const d = base();
    d.databases[0].path = "${DB_PATH:-/data/app.db}";
    expect(issueAt(d, "databases[0].path")).toMatch(/shell default.*expands it to an empty string/);
  });

  it("any other $ in a literal value", () => {
    const d = base();
    d.storage = { provider: "aws", region: "us-east-1", bucket: "my-bucket", prefix: "$APP" };
    expect(issueAt(d, "storage.prefix")).toMatch(/literal "\$" cannot be escaped/);
  });

  it('"7d" is converted to "168h", with a warning and a comment in the file', () => {
    const d = base();
    d.replication = { retention: "7d" };
    const { files, warnings } = generate(d);
    expect(warnings).toEqual([
      { path: ["replication", "retention"], message: '"7d" converted to "168h": Go durations have no day or week unit' },
    ]);
    expect(files[0]!.content).toContain('retention: "168h" # from "7d", project default');
  });

  it("a bare number is nanoseconds", () => {
    const d = base();
    d.replication = { syncInterval: 10 };
    expect(issueAt(d, "replication.syncInterval")).toBe(
      'replication.syncInterval: a bare number (10) is read by Litestream as 10 nanoseconds → write it with a unit, e.g. "10s"',
    );
    d.replication = { syncInterval: "10" };
    expect(issueAt(d, "replication.syncInterval")).toMatch(/"10" has no unit.*nanoseconds → write it with a unit, e.g. "10s"/);
  });

  it("zero and negative durations", () => {
    const d = base();
    d.replication = { syncInterval: "0s", retention: "-1h" };
    expect(issueAt(d, "replication.syncInterval")).toMatch(/is zero → use a positive duration/);
    expect(issueAt(d, "replication.retention")).toMatch(/is negative → write "1h"/);
  });

  it("a relative database path is refused unless the environment sets baseDir", () => {
    const d = base();
    d.databases[0].path = "./data/app.db";
    expect(issueAt(d, "databases[0].path")).toMatch(/is relative: Litestream would resolve it against whatever directory.*baseDir/);
    d.environments = { development: { baseDir: "/home/me/app" } };
    const config = generate(d).files[0]!.content;
    expect(config).toContain("path: /home/me/app/data/app.db");
  });

  it("two databases resolving to one replica path", () => {
    const d = base();
    d.databases = [
      { name: "main", path: "/data/a.db" },
      { name: "main", path: "/data/b.db" },
    ];
    expect(issueAt(d, "databases[1].name")).toMatch(
      /also used by databases\[0\].*lose data silently → give each database a distinct `name`/,
    );
  });

  it("two environments writing to one replica path", () => {
    const d = base();
    d.storage = {
      provider: "hetzner",
      location: "fsn1",
      bucket: "backups",
      prefix: "app",
      credentials: { accessKeyId: { env: "K" }, secretAccessKey: { env: "S" } },
    };
    d.environments = { production: {}, staging: {} };
    expect(issueAt(d, "environments.staging")).toMatch(
      /environment staging, database main replicates to s3:\/\/backups\/app\/main \(endpoint https:\/\/fsn1.your-objectstorage.com\), which environment production, database main already uses: two writers.*→ set environments.staging.prefix to one of its own, e.g. "app-staging"/,
    );
  });

  it("nested replica paths are refused too", () => {
    const d = base();
    d.databases = [
      { name: "main", path: "/data/a.db" },
      { name: "main-archive", path: "/data/b.db" },
    ];
    d.environments = { production: {}, dev: { storage: { provider: "file", path: "/var/backups/litestream/main" } } };
    expect(
      issuesOf(d)
        .map((i) => i.message)
        .join("\n"),
    ).toMatch(/nested with file:\/\/\/var\/backups\/litestream\/main/);
  });

  it("0.3-only options on 0.5: retention-check-interval and age", () => {
    const d = base();
    d.litestream.version = "0.5";
    d.replication = { retentionCheckInterval: "1h" };
    d.encryption = { age: { recipients: ["age1" + "q".repeat(58)] } };
    expect(issueAt(d, "replication.retentionCheckInterval")).toMatch(/0.3 setting; 0.5 ignores it silently/);
    expect(issueAt(d, "encryption.age")).toMatch(/rejected by Litestream 0.5 at start-up.*→ use encryption.sse/);
  });

  it("0.5-only options on 0.3: heartbeat, SSE, compaction, pretty logs", () => {
    const d = base();
    d.storage = { provider: "aws", region: "us-east-1", bucket: "my-bucket" };
    d.heartbeat = { url: { env: "HEARTBEAT_URL" } };
    d.encryption = { sse: { kmsKeyId: "arn:aws:kms:us-east-1:1:key/x" } };
    d.compaction = { l0Retention: "5m" };
    d.logging = { type: "pretty" };
    expect(issueAt(d, "heartbeat")).toMatch(/0.5 feature; 0.3 ignores the key silently/);
    expect(issueAt(d, "encryption.sse")).toMatch(/0.3 would ignore them silently and store plaintext/);
    expect(issueAt(d, "compaction")).toMatch(/0.5 settings; 0.3 ignores them silently/);
    expect(issueAt(d, "logging.type")).toMatch(/panics Litestream 0.3.13/);
  });

  it("more than one replica on 0.5", () => {
    const d = base();
    d.litestream.version = "0.5";
    delete d.storage;
    d.replicas = [
      { provider: "file", name: "a", path: "/b1" },
      { provider: "file", name: "b", path: "/b2" },
    ];
    expect(issueAt(d, "replicas")).toMatch(/exactly one replica, 2 are listed → keep one replica, or use litestream.version 0.3/);
  });

  it("an R2 endpoint without https", () => {
    const d = base();
    d.storage = {
      provider: "r2",
      accountId: "0123456789abcdef0123456789abcdef",
      bucket: "backups",
      endpoint: "http://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com",
      credentials: { accessKeyId: { env: "K" }, secretAccessKey: { env: "S" } },
    };
    expect(issueAt(d, "storage.endpoint")).toMatch(/only accepts https/);
  });

  it("unknown keys, with a did-you-mean from the keys allowed at that place", () => {
    const d = base();
    d.replication = { "snapshot-interval": "1h" };
    d.storage.retention = "24h";
    d.databases[0].rol = "primary";
    expect(issueAt(d, 'replication["snapshot-interval"]')).toBe(
      'replication["snapshot-interval"]: unknown key "snapshot-interval" → did you mean "snapshotInterval"?',
    );
    expect(issueAt(d, "storage.retention")).toMatch(/unknown key "retention" → allowed here: name, path, provider, replication/);
    expect(issueAt(d, "databases[0].rol")).toMatch(/did you mean "role"\?/);
  });

  it("a literal secret is not representable", () => {
    const d = base();
    d.storage = {
      provider: "hetzner",
      location: "fsn1",
      bucket: "backups",
      credentials: { accessKeyId: "AKIA123", secretAccessKey: { env: "S" } },
    };
    expect(issueAt(d, "storage.credentials.accessKeyId")).toMatch(/a secret must be a reference, never a value/);
  });

  it("an unknown role, snapshots longer than retention, an unpinned image", () => {
    const d = base();
    d.databases[0].role = "cach";
    d.databases.push({ name: "other", path: "/data/other.db", replication: { snapshotInterval: "48h" } });
    d.litestream.image = "litestream/litestream:latest";
    expect(issueAt(d, "databases[0].role")).toMatch(/unknown role "cach" → did you mean "cache"\?/);
    expect(issueAt(d, "databases[1].replication.snapshotInterval")).toMatch(
      /snapshot interval 48h \(database other\) is longer than retention 24h \(Litestream default\)/,
    );
    expect(issueAt(d, "litestream.image")).toMatch(/not pinned/);
  });

  it("reports schema problems and cross-field problems together", () => {
    const d = base();
    d.replication = { syncInterval: 5 }; // schema
    d.databases[0].path = "data/app.db"; // cross-field: relative
    const paths = issuesOf(d).map((i) => formatPath(i.path));
    expect(paths).toEqual(["replication.syncInterval", "databases[0].path"]);
  });

  it("formats every problem in one message, one line each with its fix", () => {
    const d = base();
    d.replication = { syncInterval: 5, retention: "7x" };
    let message = "";
    try {
      generate(d);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      [
        "The project description has 2 problems:",
        "  ✖ replication.syncInterval: a bare number (5) is read by Litestream as 5 nanoseconds",
        '    → write it with a unit, e.g. "5s"',
        '  ✖ replication.retention: "7x" is not a duration',
        '    → use units ms, s, m, h, d or w, e.g. "500ms", "10s", "1h30m", "7d"',
      ].join("\n"),
    );
  });
});
