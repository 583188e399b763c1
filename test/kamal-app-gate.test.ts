// The app side of the restore gate: the edit of the Rails bin/docker-entrypoint (a marked block,
// byte for byte elsewhere, idempotent), what happens without an entrypoint, beforeApp, and the
// options that would put the marker where the app cannot see it.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate, ProjectError, type ProjectIssue } from "../src/index.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

afterAll(cleanupTempDirs);

const fixture = (name: string) => readFileSync(new URL(`./fixtures/kamal/${name}`, import.meta.url), "utf8");
const ENTRYPOINT = fixture("docker-entrypoint");
const BLOCK = [
  "# >>> litestream-deploy >>>",
  "# Wait until the litestream accessory has restored the databases (docs/kamal.md); managed by litestream-deploy.",
  '"$(dirname -- "$0")/litestream-wait" || exit',
  "# <<< litestream-deploy <<<",
];

function project(kamal: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return {
    name: "myapp",
    litestream: { version: "0.3" as const },
    storage: { provider: "file" as const, path: "/var/backups/myapp" },
    databases: [{ path: "/rails/storage/production.sqlite3" }],
    targets: { kamal: { version: "2.10.1", volume: "myapp_storage:/rails/storage", host: "203.0.113.10", appUser: "1000:1000", ...kamal } },
    ...extra,
  };
}

function run(input: unknown, files: Record<string, string> = {}) {
  return generate(input, { existing: (path) => files[path] });
}
const fileOf = (input: unknown, files: Record<string, string>, path: string) =>
  run(input, files).files.find((f) => f.path === path)?.content;

function issuesOf(input: unknown, files: Record<string, string> = {}): ProjectIssue[] {
  try {
    run(input, files);
  } catch (error) {
    return (error as ProjectError).issues;
  }
  return [];
}

describe("bin/docker-entrypoint (Rails 8's)", () => {
  const edited = fileOf(project(), { "bin/docker-entrypoint": ENTRYPOINT }, "bin/docker-entrypoint")!;

  it("gets the block right after the shebang; every other byte is the user's", () => {
    const [shebang, ...rest] = ENTRYPOINT.split("\n");
    expect(edited).toBe([shebang, ...BLOCK, ...rest].join("\n"));
    execFileSync("bash", ["-n", "-c", edited]);
  });

  it("a second run changes nothing", () => {
    expect(fileOf(project(), { "bin/docker-entrypoint": edited }, "bin/docker-entrypoint")).toBe(edited);
  });

  it("goes after `set -e` lines, keeps CRLF and a BOM, and recognises an indented block", () => {
    const withSet = "#!/bin/sh\nset -eu\nset -o pipefail\necho hi\n";
    expect(fileOf(project(), { "bin/docker-entrypoint": withSet }, "bin/docker-entrypoint")).toBe(
      ["#!/bin/sh", "set -eu", "set -o pipefail", ...BLOCK, "echo hi", ""].join("\n"),
    );
    const crlf = '\uFEFF#!/bin/sh\r\nexec "$@"\r\n';
    const once = fileOf(project(), { "bin/docker-entrypoint": crlf }, "bin/docker-entrypoint")!;
    expect(once).toBe(["\uFEFF#!/bin/sh", ...BLOCK, 'exec "$@"', ""].join("\r\n"));
    expect(fileOf(project(), { "bin/docker-entrypoint": once }, "bin/docker-entrypoint")).toBe(once);
    const indented = `#!/bin/sh\n  ${BLOCK[0]}\n  old line\n  ${BLOCK[3]}\nexec "$@"\n`;
    expect(fileOf(project(), { "bin/docker-entrypoint": indented }, "bin/docker-entrypoint")).toBe(
      ["#!/bin/sh", ...BLOCK, 'exec "$@"', ""].join("\n"),
    );
  });

  it("a broken block (two begin markers) is refused", () => {
    const broken = `#!/bin/sh\n${BLOCK[0]}\n${BLOCK[0]}\n${BLOCK[3]}\n`;
    expect(issuesOf(project(), { "bin/docker-entrypoint": broken })).toEqual([
      expect.objectContaining({ path: ["targets", "kamal", "appEntrypoint"], message: expect.stringContaining("exactly one of each") }),
    ]);
  });

  it("calls the wait script next to it, from any working directory", () => {
    const dir = makeTempDir("kamal-entry");
    const bin = join(dir, "app", "bin");
    execFileSync("mkdir", ["-p", bin, join(dir, "storage")]);
    const input = project({ volume: `myapp_storage:${dir}/storage` }, { databases: [{ path: `${dir}/storage/app.sqlite3` }] });
    const files = run(input, { "bin/docker-entrypoint": ENTRYPOINT }).files;
    writeFileSync(join(bin, "docker-entrypoint"), files.find((f) => f.path === "bin/docker-entrypoint")!.content, { mode: 0o755 });
    writeFileSync(join(bin, "litestream-wait"), files.find((f) => f.path === "bin/litestream-wait")!.content, { mode: 0o755 });
    writeFileSync(join(dir, "storage", ".litestream-restored"), "");
    const out = execFileSync(join(bin, "docker-entrypoint"), ["echo", "app started"], {
      cwd: "/",
      encoding: "utf8",
      env: { PATH: "/usr/bin:/bin" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(out).toBe("app started\n");
  });
});

describe("without an entrypoint to edit", () => {
  it("no bin/docker-entrypoint: the accessory comment and a warning say exactly which line to add", () => {
    const result = run(project());
    expect(result.files.map((f) => f.path)).not.toContain("bin/docker-entrypoint");
    const partial = result.files.find((f) => f.kind === "kamal-accessory")!.content;
    expect(partial).toContain(
      `#   exec litestream replicate -config /etc/litestream.yml\n    # The app waits for the marker: litestream-deploy puts this line right after the shebang of bin/docker-entrypoint\n    # (a marked block); without that file, add it to your entrypoint yourself: ${BLOCK[2]}\n`,
    );
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ path: ["targets", "kamal", "appEntrypoint"], message: expect.stringContaining(BLOCK[2]!) }),
    );
  });

  it("appEntrypoint: false leaves the entrypoint alone and says how to start through bin/litestream-wait", () => {
    const result = run(project({ appEntrypoint: false }), { "bin/docker-entrypoint": ENTRYPOINT });
    expect(result.files.map((f) => f.path)).not.toContain("bin/docker-entrypoint");
    expect(result.files.find((f) => f.kind === "kamal-accessory")!.content).toContain('ENTRYPOINT ["/rails/bin/litestream-wait"]');
  });

  it("a named entrypoint that does not exist is an error; one elsewhere gets a relative call", () => {
    expect(issuesOf(project({ appEntrypoint: "docker/entrypoint.sh" }))).toEqual([
      expect.objectContaining({
        path: ["targets", "kamal", "appEntrypoint"],
        message: "docker/entrypoint.sh does not exist, so the app would not wait for the restore",
      }),
    ]);
    const edited = fileOf(
      project({ appEntrypoint: "docker/entrypoint.sh" }),
      { "docker/entrypoint.sh": '#!/bin/sh\nexec "$@"\n' },
      "docker/entrypoint.sh",
    );
    expect(edited).toContain('"$(dirname -- "$0")/../bin/litestream-wait" || exit\n');
  });

  it("restoreOnBoot: false: no gate at all", () => {
    const result = run({ ...project(), restoreOnBoot: false }, { "bin/docker-entrypoint": ENTRYPOINT });
    expect(result.files.map((f) => f.path)).not.toContain("bin/litestream-wait");
    expect(result.files.map((f) => f.path)).not.toContain("bin/docker-entrypoint");
  });
});

describe("beforeApp", () => {
  it("each command is one quoted argv line after the wait, before exec", () => {
    const script = fileOf(
      project({
        beforeApp: [
          ["bin/rails", "db:prepare"],
          ["echo", "it's $HOME"],
        ],
      }),
      {},
      "bin/litestream-wait",
    )!;
    const lines = script.split("\n");
    const at = lines.indexOf("bin/rails db:prepare");
    expect(at).toBeGreaterThan(lines.findIndex((l) => l === "done"));
    expect(lines[at + 1]).toBe('echo "it\'s \\$HOME"');
    expect(lines.slice(at + 2, at + 5)).toEqual(["release", "trap - EXIT TERM INT", 'if [ "$#" -gt 0 ]; then exec "$@"; fi']);
    const dir = makeTempDir("kamal-before");
    const runnable = fileOf(project({ beforeApp: [["echo", "it's $HOME"]] }), {}, "bin/litestream-wait")!;
    writeFileSync(
      join(dir, "w"),
      runnable
        .replace("marker=/rails/storage/.litestream-restored", `marker=${dir}`)
        .replace("lock=/rails/storage/.litestream-before-app.lock", `lock=${dir}/lock`),
    );
    const out = execFileSync("/bin/busybox", ["sh", join(dir, "w")], {
      encoding: "utf8",
      env: { PATH: `${dir}:/usr/bin:/bin` },
      stdio: ["ignore", "pipe", "pipe"],
      input: "",
    });
    expect(out).toContain("it's $HOME");
  });

  it("refuses shell operators and control characters", () => {
    expect(issuesOf(project({ beforeApp: [["bin/rails", "db:prepare", "&&", "rm"]] }))).toContainEqual(
      expect.objectContaining({ path: ["targets", "kamal", "beforeApp", 0, 2] }),
    );
    expect(issuesOf(project({ beforeApp: [["echo", "a\nb"]] }))).toContainEqual(
      expect.objectContaining({ path: ["targets", "kamal", "beforeApp", 0, 1], message: expect.stringContaining("a newline") }),
    );
  });
});

describe("the marker must be where the app sees it", () => {
  it("refuses an app that mounts the volume at another path than targets.kamal.volume, with a fix that works", () => {
    const deploy = "service: myapp\nimage: acme/myapp\nvolumes:\n  - myapp_storage:/data\n";
    expect(issuesOf(project(), { "config/deploy.yml": deploy })).toEqual([
      expect.objectContaining({
        path: ["targets", "kamal", "volume"],
        message: expect.stringContaining("config/deploy.yml mounts myapp_storage at /data in the app, but volume says /rails/storage"),
        fix: 'set volume to "myapp_storage:/data" and the database paths under /data',
      }),
    ]);
    expect(
      issuesOf(project({ volume: "myapp_storage:/data" }, { databases: [{ path: "/data/production.sqlite3" }] }), {
        "config/deploy.yml": deploy,
      }),
    ).toEqual([]);
  });

  it("environments that would need different wait scripts in one image are refused", () => {
    const input = {
      ...project({ host: undefined }),
      environments: {
        production: { targets: { kamal: { host: "203.0.113.10", destination: false } } },
        staging: {
          storage: { provider: "file", path: "/var/backups/staging" },
          targets: { kamal: { host: "203.0.113.20", beforeApp: [["bin/rails", "db:seed"]] } },
        },
      },
    };
    expect(issuesOf(input).map((i) => `${i.path.join(".")}: ${i.message}`)).toContainEqual(
      expect.stringContaining("need different bin/litestream-wait scripts"),
    );
    // The same settings everywhere: one bin/litestream-wait serves both destinations.
    const same = {
      ...input,
      environments: { ...input.environments, staging: { ...input.environments.staging, targets: { kamal: { host: "203.0.113.20" } } } },
    };
    expect(run(same).files.filter((f) => f.path === "bin/litestream-wait")).toHaveLength(1);
  });
});

describe("Litestream releases", () => {
  it("0.5.0 (its restore lacks -if-replica-exists) is refused while restoring on boot, with a fix that works", () => {
    const input = { ...project(), litestream: { version: "0.5" as const, release: "0.5.0" } };
    expect(issuesOf(input)).toEqual([
      expect.objectContaining({ path: ["litestream", "release"], fix: 'pin "0.5.6" or later, or set restoreOnBoot: false' }),
    ]);
    expect(issuesOf({ ...input, litestream: { version: "0.5" as const, release: "0.5.6" } })).toEqual([]);
  });
});
