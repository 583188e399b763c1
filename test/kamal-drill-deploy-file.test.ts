// The restore drill's accessory delivered like `litestream`: set in the user's config/deploy.yml (and
// each destination's file) inside our part, its heartbeat URL in the secrets block, and both taken out
// again when verification is removed, leaving the user's bytes as they were. Secrets are resolved with
// Kamal's dotenv double (3.1.8 and 3.2.0); the old separate file is removed by the manifest.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import example005 from "../examples/005-rails-kamal-destinations/litestream.config.js";
import { existingFileReader, generate, MANIFEST_FILE, writeFiles, type Artifact } from "../src/index.js";
import { issuesOf } from "./support/issues.js";
import { DRILL_ACCESSORY } from "../src/targets/kamal/drill.js";
import { validateKamalAccessory } from "../src/targets/kamal/rules.js";
import { containerSecrets, parseKamalSecrets } from "./fixtures/kamal/kamal-emulation.js";

/** A user's deploy.yml: comments, an anchor and its alias, accessories in the middle, keys after them. */
const USER_DEPLOY = `# Name of your application. Used to uniquely configure containers.
service: myapp
image: acme/myapp

servers:
  web:
    hosts:
      - 203.0.113.10   # the only box

env:
  clear: &clear_env
    RAILS_LOG_LEVEL: info
  secret:
    - RAILS_MASTER_KEY

volumes:
  - "myapp_storage:/rails/storage"

accessories:
  # Redis for Action Cable; shares the app's log level.
  redis:
    image: redis:7.2
    host: 203.0.113.10
    env:
      clear: *clear_env

  db:
    image: 'mysql:8.0'   # pinned
    host: 203.0.113.10

# Build for the servers' arch.
builder:
  arch: amd64
`;
const USER_SECRETS = "# Registry and Rails.\nKAMAL_REGISTRY_PASSWORD=$KAMAL_REGISTRY_PASSWORD\nRAILS_MASTER_KEY=$(cat config/master.key)\n";
const OPERATOR_ENV = {
  HZ_ACCESS_KEY_ID: "key-id",
  HZ_SECRET_ACCESS_KEY: "secret-key",
  KAMAL_REGISTRY_PASSWORD: "registry",
  DRILL_HEARTBEAT_URL: "https://hc.example/ping/abc",
};

function project(verification?: Record<string, unknown>, kamal: Record<string, unknown> = {}) {
  return {
    name: "myapp",
    litestream: { version: "0.5" as const },
    storage: {
      provider: "hetzner" as const,
      location: "fsn1" as const,
      bucket: "myapp-backups",
      credentials: { accessKeyId: { env: "HZ_ACCESS_KEY_ID" }, secretAccessKey: { env: "HZ_SECRET_ACCESS_KEY" } },
    },
    databases: [{ path: "/rails/storage/production.sqlite3" }],
    ...(verification ? { verification } : {}),
    targets: { kamal: { version: "2.12.0", volume: "myapp_storage:/rails/storage", host: "203.0.113.10", appEntrypoint: false, ...kamal } },
  };
}
const WITH_HEARTBEAT = { heartbeatUrl: { env: "DRILL_HEARTBEAT_URL" } };

const run = (input: unknown, files: Record<string, string>): Artifact[] => generate(input, { existing: (p) => files[p] }).files;
const contentOf = (files: Artifact[], p: string) => {
  const file = files.find((f) => f.path === p);
  if (!file) throw new Error(`no ${p} among ${files.map((f) => f.path).join(", ")}`);
  return file.content;
};
const accessories = (text: string) =>
  (parse(text, { version: "1.1" }) as { accessories: Record<string, { env: { secret: string[] } }> }).accessories;

/** `text` split around our part (from `  litestream:` to the end of the last of our entries). */
function ourPart(text: string, user: string): { before: string; ours: string; after: string } {
  const start = text.indexOf("  litestream:\n");
  let common = 0;
  while (common < user.length - start && user[user.length - 1 - common] === text[text.length - 1 - common]) common++;
  return { before: text.slice(0, start), ours: text.slice(start, text.length - common), after: text.slice(text.length - common) };
}

describe("the drill accessory in config/deploy.yml", () => {
  const files = { "config/deploy.yml": USER_DEPLOY, ".kamal/secrets": USER_SECRETS };
  const without = run(project(), files);
  const withDrill = run(project(WITH_HEARTBEAT), files);
  const deployWithout = contentOf(without, "config/deploy.yml");
  const deployWith = contentOf(withDrill, "config/deploy.yml");

  it("sits right after accessories.litestream; every byte outside our part is the user's", () => {
    const part = ourPart(deployWith, USER_DEPLOY);
    expect(part.before + part.after).toBe(USER_DEPLOY);
    expect(part.after.startsWith("\n# Build for the servers' arch.\n")).toBe(true);
    const ours = parse(part.ours) as Record<string, unknown>;
    expect(Object.keys(ours)).toEqual(["litestream", DRILL_ACCESSORY]);
    expect(Object.keys(accessories(deployWith))).toEqual(["redis", "db", "litestream", DRILL_ACCESSORY]);
    // The alias the user's redis entry uses still resolves to their anchor.
    expect((accessories(deployWith).redis as unknown as { env: { clear: unknown } }).env.clear).toEqual({ RAILS_LOG_LEVEL: "info" });
    // Our part without verification is the litestream entry alone, at the same place.
    expect(ourPart(deployWithout, USER_DEPLOY).before + ourPart(deployWithout, USER_DEPLOY).after).toBe(USER_DEPLOY);
  });

  it("carries the managed marker and how to run it; the partial file holds the same accessory; no separate drill file", () => {
    const drillText = deployWith.slice(deployWith.indexOf(`  ${DRILL_ACCESSORY}:\n`));
    expect(drillText).toMatch(
      /^ {2}litestream-drill:\n {4}# Managed by litestream-deploy: edits here are overwritten by `npx litestream-deploy generate`\.\n {4}# Restore drill \(docs\/operations\.md\): runs at boot, then every 86400 seconds/,
    );
    expect(drillText).toContain("Boot it: kamal accessory boot litestream-drill\n");
    expect(accessories(contentOf(withDrill, "config/litestream-accessory.yml"))[DRILL_ACCESSORY]).toEqual(
      accessories(deployWith)[DRILL_ACCESSORY],
    );
    expect(withDrill.map((f) => f.path).filter((p) => p.includes("drill-accessory"))).toEqual([]);
    expect(validateKamalAccessory(accessories(deployWith)[DRILL_ACCESSORY] as unknown as Record<string, unknown>, "2.12.0")).toEqual([]);
  });

  it("the runbook says where the accessory is and spells its commands; with updateDeployFile off, where to copy it from", () => {
    const runbook = contentOf(withDrill, "deploy/operations/RUNBOOK.md");
    expect(runbook).toContain(
      "Kamal: the `litestream-drill` accessory, which generate writes beside `litestream` in `config/deploy.yml` (its heartbeat URL in the secrets block)",
    );
    expect(runbook).toContain(
      "kamal accessory boot litestream-drill\nkamal accessory logs litestream-drill --lines 100\nkamal accessory exec litestream-drill --reuse 'sh /drill/litestream-drill.sh'\n",
    );
    const off = run(project(WITH_HEARTBEAT, { updateDeployFile: false }), files);
    expect(contentOf(off, "deploy/operations/RUNBOOK.md")).toContain(
      "in `config/litestream-accessory.yml` (copy it into the deploy file beside `litestream`: updateDeployFile is off)",
    );
    expect(off.map((f) => f.path)).not.toContain("config/deploy.yml");
    expect(contentOf(off, "config/litestream-accessory.yml")).toContain(
      "# Copy accessories.litestream and accessories.litestream-drill below into config/deploy.yml (updateDeployFile is off).\n",
    );
  });

  it("round-trips: removing verification gives back the bytes of a run without it, in the deploy file and the secrets file", () => {
    const state = { "config/deploy.yml": deployWith, ".kamal/secrets": contentOf(withDrill, ".kamal/secrets") };
    const removed = run(project(), state);
    expect(contentOf(removed, "config/deploy.yml")).toBe(deployWithout);
    expect(contentOf(removed, ".kamal/secrets")).toBe(contentOf(without, ".kamal/secrets"));
    // Idempotent both ways.
    expect(contentOf(run(project(WITH_HEARTBEAT), state), "config/deploy.yml")).toBe(deployWith);
    expect(
      contentOf(
        run(project(WITH_HEARTBEAT), { "config/deploy.yml": deployWithout, ".kamal/secrets": contentOf(without, ".kamal/secrets") }),
        "config/deploy.yml",
      ),
    ).toBe(deployWith);
  });

  it("keeps CRLF and a file without a final newline", () => {
    const crlf = USER_DEPLOY.replace(/\n/g, "\r\n");
    const once = contentOf(run(project(WITH_HEARTBEAT), { "config/deploy.yml": crlf }), "config/deploy.yml");
    expect(once.replace(/\r\n/g, "")).not.toContain("\n");
    expect(contentOf(run(project(), { "config/deploy.yml": once }), "config/deploy.yml")).toBe(
      contentOf(run(project(), { "config/deploy.yml": crlf }), "config/deploy.yml"),
    );
    const bare = "service: myapp\nimage: acme/myapp\nservers:\n  - 203.0.113.10\naccessories:\n  redis:\n    image: redis:7.2";
    const drilled = contentOf(run(project(WITH_HEARTBEAT), { "config/deploy.yml": bare }), "config/deploy.yml");
    expect(drilled.startsWith(`${bare}\n  litestream:\n`)).toBe(true);
    expect(contentOf(run(project(), { "config/deploy.yml": drilled }), "config/deploy.yml")).toBe(
      contentOf(run(project(), { "config/deploy.yml": bare }), "config/deploy.yml"),
    );
  });

  it("takes over an exact hand copy of an earlier separate drill file; refuses a copy it would change, with a fix that works", () => {
    const value = accessories(deployWith)[DRILL_ACCESSORY];
    const copy = (v: unknown) => `${USER_DEPLOY.replace("\n# Build", `  ${DRILL_ACCESSORY}:\n${indent(JSON.stringify(v))}\n# Build`)}`;
    const taken = contentOf(run(project(WITH_HEARTBEAT), { "config/deploy.yml": copy(value) }), "config/deploy.yml");
    expect(accessories(taken)[DRILL_ACCESSORY]).toEqual(value);
    expect(taken).toContain(`  ${DRILL_ACCESSORY}:\n    # Managed by litestream-deploy`);
    const changed = copy({ ...value, image: "litestream/litestream:0.5.0" });
    expect(issuesOf(project(WITH_HEARTBEAT), { "config/deploy.yml": changed })).toEqual([
      expect.objectContaining({
        code: "kamal.deploy-file.update",
        message: expect.stringContaining(`its accessories.${DRILL_ACCESSORY} was written by hand`),
        fix: expect.stringContaining(`rename your entry (e.g. to ${DRILL_ACCESSORY}-old`),
      }),
    ]);
    const renamed = changed.replace(`  ${DRILL_ACCESSORY}:\n`, `  ${DRILL_ACCESSORY}-old:\n`);
    expect(
      Object.keys(accessories(contentOf(run(project(WITH_HEARTBEAT), { "config/deploy.yml": renamed }), "config/deploy.yml"))),
    ).toEqual(["redis", "db", `${DRILL_ACCESSORY}-old`, "litestream", DRILL_ACCESSORY]);
    // Without verification a hand-written drill entry is the user's: it stays, byte for byte.
    expect(
      contentOf(run(project(), { "config/deploy.yml": changed }), "config/deploy.yml").startsWith(
        changed.slice(0, changed.indexOf("\n# Build")),
      ),
    ).toBe(true);
  });
});

/** A JSON value as YAML flow text, indented as an accessory's value (YAML is a superset of JSON). */
const indent = (json: string) => `    ${json}`;

describe("the drill's lines in .kamal/secrets", () => {
  const block = (files: Artifact[]) => {
    const text = contentOf(files, ".kamal/secrets");
    return text.slice(text.indexOf("# >>> litestream-deploy >>>"));
  };

  it("lists a heartbeat variable that is also one of Litestream's own variables once in the drill's env.secret", () => {
    const both = {
      ...project({ heartbeatUrl: { env: "LITESTREAM_HEARTBEAT_URL" } }),
      heartbeat: { url: { env: "LITESTREAM_HEARTBEAT_URL" } },
    };
    const files = run(both, { "config/deploy.yml": USER_DEPLOY, ".kamal/secrets": USER_SECRETS });
    const secret = accessories(contentOf(files, "config/deploy.yml"))[DRILL_ACCESSORY]!.env.secret;
    expect(secret.filter((name) => name === "LITESTREAM_HEARTBEAT_URL")).toHaveLength(1);
  });

  it("holds the heartbeat variable only when heartbeatUrl is configured", () => {
    expect(block(run(project(WITH_HEARTBEAT), { ".kamal/secrets": USER_SECRETS }))).toBe(
      [
        "# >>> litestream-deploy >>>",
        "# Litestream accessory credentials and the litestream-drill heartbeat URL: managed by litestream-deploy, regenerate with: npx litestream-deploy generate",
        "HZ_ACCESS_KEY_ID=$HZ_ACCESS_KEY_ID",
        "HZ_SECRET_ACCESS_KEY=$HZ_SECRET_ACCESS_KEY",
        "DRILL_HEARTBEAT_URL=$DRILL_HEARTBEAT_URL",
        "# <<< litestream-deploy <<<",
        "",
      ].join("\n"),
    );
    expect(block(run(project({}), { ".kamal/secrets": USER_SECRETS }))).toBe(block(run(project(), { ".kamal/secrets": USER_SECRETS })));
    expect(block(run(project({}), { ".kamal/secrets": USER_SECRETS }))).not.toContain("HEARTBEAT");
  });

  it.each(["2.0.0", "2.5.0", "2.6.0", "2.10.1", "2.12.0"])(
    "Kamal %s × dotenv 3.1.8/3.2.0 resolve every secret the drill accessory lists",
    (kamal) => {
      const files = run(project(WITH_HEARTBEAT, { version: kamal }), { "config/deploy.yml": USER_DEPLOY, ".kamal/secrets": USER_SECRETS });
      const drill = accessories(contentOf(files, "config/deploy.yml"))[DRILL_ACCESSORY]!;
      for (const dotenv of ["3.1.8", "3.2.0"] as const) {
        const parsed = parseKamalSecrets(contentOf(files, ".kamal/secrets"), OPERATOR_ENV, undefined, { kamal, dotenv });
        expect(containerSecrets(drill, parsed)).toEqual({
          LITESTREAM_ACCESS_KEY_ID: "key-id",
          LITESTREAM_SECRET_ACCESS_KEY: "secret-key",
          DRILL_HEARTBEAT_URL: "https://hc.example/ping/abc",
        });
      }
    },
  );

  it("leaves a heartbeat variable the user defines to their line, and takes a secrets.sources entry for it", () => {
    const own = `${USER_SECRETS}DRILL_HEARTBEAT_URL=https://hc.example/ping/theirs\n`;
    const files = run(project(WITH_HEARTBEAT), { "config/deploy.yml": USER_DEPLOY, ".kamal/secrets": own });
    expect(block(files)).toContain("# DRILL_HEARTBEAT_URL: defined elsewhere\n");
    const drill = accessories(contentOf(files, "config/deploy.yml"))[DRILL_ACCESSORY]!;
    expect(containerSecrets(drill, parseKamalSecrets(contentOf(files, ".kamal/secrets"), OPERATOR_ENV)).DRILL_HEARTBEAT_URL).toBe(
      "https://hc.example/ping/theirs",
    );
    const sourced = run(project(WITH_HEARTBEAT, { secrets: { sources: { DRILL_HEARTBEAT_URL: { env: "HC_PING_URL" } } } }), {
      ".kamal/secrets": USER_SECRETS,
    });
    expect(block(sourced)).toContain("DRILL_HEARTBEAT_URL=$HC_PING_URL\n");
  });
});

describe("destinations (example 005 with verification)", () => {
  const dir = new URL("../examples/005-rails-kamal-destinations/project/", import.meta.url);
  const userFiles = Object.fromEntries(
    [
      "config/deploy.yml",
      "config/deploy.staging.yml",
      ".kamal/secrets",
      ".kamal/secrets.staging",
      ".kamal/secrets-common",
      "bin/docker-entrypoint",
    ].map((p) => [p, readFileSync(new URL(p, dir), "utf8")]),
  );
  const withVerification = { ...example005, verification: WITH_HEARTBEAT };
  const without = run(example005, userFiles);
  const drilled = run(withVerification, userFiles);

  it("each destination's deploy file gets its own drill, with its -d commands; removing verification restores every shared file", () => {
    const staging = accessories(contentOf(drilled, "config/deploy.staging.yml"))[DRILL_ACCESSORY] as unknown as Record<string, unknown>;
    const production = accessories(contentOf(drilled, "config/deploy.yml"))[DRILL_ACCESSORY] as unknown as Record<string, unknown>;
    expect(staging.host).toBe("198.51.100.20");
    expect(production.host).toBe("198.51.100.10");
    // Kamal merges the staging file over config/deploy.yml: every key of production's drill is set by staging's.
    expect(Object.keys(staging).sort()).toEqual(Object.keys(production).sort());
    expect(contentOf(drilled, "config/deploy.staging.yml")).toContain("Boot it: kamal accessory boot litestream-drill -d staging\n");
    expect(block(contentOf(drilled, ".kamal/secrets.staging"))).toContain("DRILL_HEARTBEAT_URL=$DRILL_HEARTBEAT_URL\n");
    const state = Object.fromEntries(drilled.map((f) => [f.path, f.content]));
    const removed = run(example005, { ...userFiles, ...state });
    for (const p of ["config/deploy.yml", "config/deploy.staging.yml", ".kamal/secrets", ".kamal/secrets.staging"])
      expect(contentOf(removed, p), p).toBe(contentOf(without, p));
  });

  it("warns when only production has a drill: Kamal would merge it into -d staging", () => {
    const production = { ...example005.environments!.production, verification: WITH_HEARTBEAT };
    const productionOnly = { ...example005, environments: { ...example005.environments, production } };
    const first = Object.fromEntries(run(productionOnly, userFiles).map((f) => [f.path, f.content]));
    const { warnings } = generate(productionOnly, { existing: (p) => first[p] ?? userFiles[p] });
    expect(warnings.map((w) => w.message)).toContainEqual(
      expect.stringMatching(
        /^config\/deploy\.yml has accessories\.litestream-drill, and Kamal merges config\/deploy\.staging\.yml over it/,
      ),
    );
  });

  const block = (text: string) => text.slice(text.indexOf("# >>> litestream-deploy >>>"));
});

describe("upgrading from the separate drill file", () => {
  let root: string | undefined;
  afterEach(() => root && rmSync(root, { recursive: true, force: true }));

  it("the manifest removes config/litestream-drill-accessory.yml written by an earlier release", () => {
    root = mkdtempSync(path.join(os.tmpdir(), "ld-kamal-drill-"));
    mkdirSync(path.join(root, "config"));
    writeFileSync(path.join(root, "config/deploy.yml"), USER_DEPLOY);
    const write = () => writeFiles(generate(project(WITH_HEARTBEAT), { existing: existingFileReader(root!) }), { root: root! });
    expect(write().ok).toBe(true);
    // What an earlier release wrote and listed.
    const old = path.join(root, "config/litestream-drill-accessory.yml");
    writeFileSync(
      old,
      '# Generated by litestream-deploy: restore drill accessory "litestream-drill", environment production.\naccessories: {}\n',
    );
    const manifestPath = path.join(root, MANIFEST_FILE);
    const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { files: unknown[] };
    manifest.files.push({ path: "config/litestream-drill-accessory.yml", kind: "kamal-drill", environment: "production" });
    writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + "\n");
    const result = write();
    expect(result.files.filter((f) => f.status === "removed").map((f) => f.path)).toEqual(["config/litestream-drill-accessory.yml"]);
    expect(existsSync(old)).toBe(false);
    expect(accessories(readFileSync(path.join(root, "config/deploy.yml"), "utf8"))[DRILL_ACCESSORY]).toBeDefined();
  });
});
