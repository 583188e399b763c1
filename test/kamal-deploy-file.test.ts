// Delivering the accessory: the standalone partial file, and the in-place update of a user's
// config/deploy.yml that must keep every other key and comment, byte for byte, and change nothing
// when run twice. Also the file snapshots of every Kamal artifact of example 000.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import example000 from "../examples/000-rails-kamal-hetzner/litestream.config.js";
import { generate, ProjectError, type Artifact, type ProjectIssue } from "../src/index.js";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/kamal/${name}`, import.meta.url), "utf8");
const DEPLOY = fixture("deploy.yml");
const SECRETS = fixture("secrets");
const ENTRYPOINT = fixture("docker-entrypoint");
const yaml11 = (text: string) => parse(text, { version: "1.1" }) as Record<string, unknown>;

function project(kamal: Record<string, unknown> = {}) {
  return {
    name: "myapp",
    litestream: { version: "0.3" as const },
    storage: {
      provider: "hetzner" as const,
      location: "fsn1" as const,
      bucket: "myapp-backups",
      credentials: { accessKeyId: { env: "HZ_ACCESS_KEY_ID" }, secretAccessKey: { env: "HZ_SECRET_ACCESS_KEY" } },
    },
    databases: [{ path: "/rails/storage/production.sqlite3" }],
    targets: { kamal: { version: "2.10.1", volume: "myapp_storage:/rails/storage", host: "203.0.113.10", appUser: "1000:1000", ...kamal } },
  };
}

function run(input: unknown, files: Record<string, string>): Artifact[] {
  return generate(input, { existing: (path) => files[path] }).files;
}

function issuesOf(input: unknown, files: Record<string, string>): ProjectIssue[] {
  try {
    run(input, files);
  } catch (error) {
    return (error as ProjectError).issues;
  }
  return [];
}

function deployFileAfter(input: unknown, deployYml: string | undefined, path = "config/deploy.yml"): string {
  const file = run(input, deployYml === undefined ? {} : { [path]: deployYml }).find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} produced`);
  expect(file).toMatchObject({ kind: "kamal-deploy", ownership: "shared" });
  return file.content;
}

/** True when `lines` appear in `text` in this order (other lines may sit between them). */
function isSubsequence(lines: string[], text: string): boolean {
  const all = text.split("\n");
  let i = 0;
  for (const line of all) if (i < lines.length && line === lines[i]) i++;
  return i === lines.length;
}

const commentsOf = (text: string) =>
  text
    .split("\n")
    .filter((l) => /(^|\s)#/.test(l))
    .map((l) => l.slice(l.search(/(^|\s)#/)).trim());

describe("in-place update of config/deploy.yml", () => {
  const updated = deployFileAfter(project(), DEPLOY);
  const litestream = () => (yaml11(updated).accessories as Record<string, unknown>).litestream as Record<string, unknown>;

  it("sets accessories.litestream to exactly the accessory of the partial file", () => {
    const partial = run(project(), {}).find((f) => f.kind === "kamal-accessory")!;
    expect(litestream()).toEqual(
      yaml11(partial.content).accessories && (yaml11(partial.content).accessories as Record<string, unknown>).litestream,
    );
  });

  it("keeps every other key: the rest of the document is structurally identical", () => {
    const before = yaml11(DEPLOY);
    const after = yaml11(updated);
    const { litestream: _ours, ...otherAccessories } = after.accessories as Record<string, unknown>;
    expect({ ...after, accessories: otherAccessories }).toEqual(before);
    expect(Object.keys(otherAccessories)).toEqual(["redis", "db"]);
  });

  it("keeps every comment, blank line and quoting of the user's file, in order and byte for byte", () => {
    expect(isSubsequence(DEPLOY.replace(/\n$/, "").split("\n"), updated)).toBe(true);
    expect(updated.startsWith(DEPLOY)).toBe(true); // the accessory was appended after the last one
    for (const comment of commentsOf(DEPLOY)) expect(updated).toContain(comment);
    expect(commentsOf(updated).slice(0, commentsOf(DEPLOY).length)).toEqual(commentsOf(DEPLOY));
  });

  it("is idempotent: a second run is byte-identical", () => {
    expect(deployFileAfter(project(), updated)).toBe(updated);
  });

  it("refuses to replace a hand-written litestream accessory (no managed marker), and replaces its own", () => {
    const stale = fixture("deploy-stale.yml");
    expect(issuesOf(project(), { "config/deploy.yml": stale })).toEqual([
      expect.objectContaining({
        path: ["targets", "kamal", "updateDeployFile"],
        message: expect.stringMatching(
          /^config\/deploy\.yml cannot be updated in place: its accessories\.litestream was written by hand \(it lacks the "# Managed by litestream-deploy/,
        ),
        fix: expect.stringContaining("rename your entry (e.g. to litestream-old"),
      }),
    ]);
    // The fix works: renamed, the user's entry stays byte for byte and ours is added after the last entry.
    const renamed = stale.replace("  litestream:\n", "  litestream-old:\n");
    const once = deployFileAfter(project(), renamed);
    expect(once.startsWith(renamed.replace(/\n$/, ""))).toBe(true);
    expect(Object.keys(yaml11(once).accessories as object)).toEqual(["litestream-old", "redis", "litestream"]);
    // Our own entry (it carries the marker) is replaced in place: a second run changes nothing.
    const replaced = deployFileAfter(project({ labels: { "com.example.team": "ops" } }), once);
    expect((yaml11(replaced).accessories as Record<string, { labels?: unknown }>).litestream!.labels).toEqual({
      "com.example.team": "ops",
    });
    expect(deployFileAfter(project(), once)).toBe(once);
  });

  it("adds an accessories section to a file without one (Kamal's template has them all commented out)", () => {
    const template = DEPLOY.slice(0, DEPLOY.indexOf("accessories:"));
    const once = deployFileAfter(project(), template);
    expect(once.startsWith(template)).toBe(true);
    expect(Object.keys(yaml11(once).accessories as object)).toEqual(["litestream"]);
    expect(deployFileAfter(project(), once)).toBe(once);
  });

  it("fills an empty `accessories:` whose entries are all commented out, keeping those comments", () => {
    const empty = "service: myapp\nimage: acme/myapp\naccessories:\n#  db:\n#    image: mysql:8.0\n";
    const once = deployFileAfter(project(), empty);
    expect(once.startsWith("service: myapp\nimage: acme/myapp\naccessories:\n  litestream:\n")).toBe(true);
    expect(once.endsWith("#  db:\n#    image: mysql:8.0\n")).toBe(true);
    expect(deployFileAfter(project(), once)).toBe(once);
    const flow = deployFileAfter(project(), "service: myapp\naccessories: {} # none yet\nimage: acme/myapp\n");
    expect(flow.startsWith("service: myapp\naccessories: # none yet\n  litestream:\n")).toBe(true);
    expect(flow.endsWith("exec litestream replicate -config /etc/litestream.yml'\"\nimage: acme/myapp\n")).toBe(true);
    expect(Object.keys(yaml11(flow))).toEqual(["service", "accessories", "image"]);
  });

  it("refuses a file it cannot parse as YAML (ERB control lines) instead of emitting a wrong one", () => {
    const erb = "service: myapp\n<% if ENV['STAGING'] %>\nimage: a\n<% end %>\n";
    expect(issuesOf(project(), { "config/deploy.yml": erb })).toEqual([
      expect.objectContaining({
        path: ["targets", "kamal", "updateDeployFile"],
        message: expect.stringMatching(/^config\/deploy\.yml cannot be updated in place: it is not valid YAML/),
        fix: "set updateDeployFile: false and copy accessories.litestream from config/litestream-accessory.yml yourself",
      }),
    ]);
    expect(run(project({ updateDeployFile: false }), { "config/deploy.yml": erb }).map((f) => f.path)).not.toContain("config/deploy.yml");
  });

  it("keeps the user's ERB values (Kamal renders ERB before YAML)", () => {
    const withErb = `${DEPLOY.replace("host: app.example.com", 'host: <%= ENV.fetch("APP_HOST", "app.example.com") %>')}`;
    const once = deployFileAfter(project(), withErb);
    expect(once).toContain('  host: <%= ENV.fetch("APP_HOST", "app.example.com") %>\n');
    expect(deployFileAfter(project(), once)).toBe(once);
  });

  it("leaves config/deploy.yml alone when there is none (only the partial file is produced)", () => {
    expect(run(project(), {}).map((f) => f.path)).toEqual([
      "config/litestream.yml",
      "deploy/operations/RUNBOOK.md",
      "config/litestream-accessory.yml",
      "bin/litestream-wait",
      ".kamal/secrets",
    ]);
  });

  it("is parsed by yaml without warnings and keeps a single document", () => {
    const doc = parseDocument(updated, { version: "1.1" });
    expect(doc.errors).toEqual([]);
    expect(doc.warnings).toEqual([]);
  });
});

describe("example 000 (Rails 8 on Kamal 2, production + staging destination)", () => {
  const STAGING = readFileSync(new URL("./fixtures/kamal/deploy.staging.yml", import.meta.url), "utf8");
  const files = run(example000, {
    "config/deploy.yml": DEPLOY,
    "config/deploy.staging.yml": STAGING,
    ".kamal/secrets": SECRETS,
    "bin/docker-entrypoint": ENTRYPOINT,
  });
  const kamalFiles = files.filter((f) => f.kind.startsWith("kamal-"));

  it("produces every Kamal artifact for both environments", () => {
    expect(kamalFiles.map((f) => [f.path, f.kind, f.ownership, f.environment])).toEqual([
      ["config/litestream-accessory.yml", "kamal-accessory", "generated", "production"],
      ["config/deploy.yml", "kamal-deploy", "shared", "production"],
      ["bin/litestream-wait", "kamal-app-gate", "generated", undefined],
      ["bin/docker-entrypoint", "kamal-app-gate", "shared", undefined],
      [".kamal/secrets", "kamal-secrets", "shared", "production"],
      ["config/litestream-accessory.staging.yml", "kamal-accessory", "generated", "staging"],
      ["config/deploy.staging.yml", "kamal-deploy", "shared", "staging"],
      [".kamal/secrets.staging", "kamal-secrets", "shared", "staging"],
    ]);
  });

  it.each(kamalFiles.map((f) => [f.path, f] as const))("matches the snapshot of %s", async (path, file) => {
    expect(file.content.endsWith("\n")).toBe(true);
    expect(file.content).not.toContain("\r");
    await expect(file.content).toMatchFileSnapshot(`../snapshots/000-rails-kamal-hetzner/${path}`);
  });

  it("is deterministic and idempotent: generating over its own output changes nothing", () => {
    const byPath = Object.fromEntries(files.map((f) => [f.path, f.content]));
    const again = run(example000, byPath);
    expect(again.map((f) => [f.path, f.content])).toEqual(files.map((f) => [f.path, f.content]));
  });

  it("the user's staging destination file keeps its servers and gets the accessory, which Kamal merges over config/deploy.yml", () => {
    const stagingText = kamalFiles.find((f) => f.path === "config/deploy.staging.yml")!.content;
    expect(stagingText.startsWith(STAGING)).toBe(true);
    const staging = yaml11(stagingText);
    expect(Object.keys(staging)).toEqual(["servers", "proxy", "accessories"]);
    const production = (
      yaml11(kamalFiles.find((f) => f.path === "config/deploy.yml")!.content).accessories as Record<string, Record<string, unknown>>
    ).litestream!;
    const ours = (staging.accessories as Record<string, Record<string, unknown>>).litestream!;
    // Every key of production's accessory is overridden, none leaks into staging through the merge.
    expect(Object.keys(ours).sort()).toEqual(Object.keys(production).sort());
    expect(ours.files).toEqual(["config/litestream.staging.yml:/etc/litestream.yml:ro"]);
  });
});
