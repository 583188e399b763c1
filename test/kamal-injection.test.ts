// Kamal builds the accessory's `docker run` line as text for the remote shell: the image, volume and
// label keys go in as they are, values through Ruby's String#dump. Shown first with the emulation of
// Kamal's assembly (a canary file appears), then refused by the generator with a fix that works;
// values the remote shell keeps exactly reach docker byte for byte.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate, ProjectError, type ProjectIssue } from "../src/index.js";
import { kamalAccessoryRunCommand, readArgvLog, writeArgvRecorder } from "./fixtures/kamal/kamal-emulation.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

afterAll(cleanupTempDirs);

function project(kamal: Record<string, unknown> = {}, litestream: Record<string, unknown> = {}) {
  return {
    name: "myapp",
    litestream: { version: "0.3" as const, ...litestream },
    storage: { provider: "file" as const, path: "/var/backups/myapp" },
    databases: [{ path: "/rails/storage/production.sqlite3" }],
    targets: { kamal: { version: "2.10.1", volume: "myapp_storage:/rails/storage", host: "203.0.113.10", appUser: "1000:1000", ...kamal } },
  };
}

type Accessory = Record<string, unknown> & { image: string };

function accessoryOf(input: unknown): Accessory {
  const partial = generate(input).files.find((f) => f.kind === "kamal-accessory")!;
  return parse(partial.content, { version: "1.1" }).accessories.litestream as Accessory;
}

function issuesOf(input: unknown): ProjectIssue[] {
  try {
    generate(input);
  } catch (error) {
    return (error as ProjectError).issues;
  }
  return [];
}

/** Runs Kamal's line through sh in an empty directory with a recording docker: docker's argv, and whether `canary` appeared. */
function remoteShell(accessory: Accessory): { argv: string[]; canary: boolean } {
  const dir = makeTempDir("kamal-inject");
  const log = join(dir, "argv.log");
  writeArgvRecorder(dir, "docker", log);
  writeArgvRecorder(dir, "touch-recorder", join(dir, "unused.log"));
  try {
    execFileSync("/bin/sh", ["-c", kamalAccessoryRunCommand(accessory, { service: "myapp", name: "litestream" })], {
      cwd: dir,
      env: { PATH: `${dir}:/usr/bin:/bin` },
      stdio: "pipe",
    });
  } catch {
    // a broken line may fail; what matters is whether the canary was created
  }
  const calls = existsSync(log) ? readArgvLog(log) : [];
  return { argv: calls[0]?.slice(1) ?? [], canary: existsSync(join(dir, "canary")) };
}

describe("words Kamal puts unquoted into the remote shell's docker run line", () => {
  const valid = accessoryOf(project());

  it("the image: a canary through Kamal's assembly; refused with a fix that works", () => {
    expect(remoteShell({ ...valid, image: "litestream/litestream:0.3.13;touch canary;:" }).canary).toBe(true);
    const issues = issuesOf(project({}, { image: "litestream/litestream:0.3.13;touch canary;:" }));
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: ["litestream", "image"],
        message: expect.stringContaining("is not a docker image reference"),
        fix: "use a reference such as litestream/litestream:0.3.14",
      }),
    );
    const fixed = accessoryOf(project({}, { image: "litestream/litestream:0.3.13" }));
    expect(remoteShell(fixed).argv).toContain("litestream/litestream:0.3.13");
    // Real references are accepted: registry with port, digest.
    for (const image of [
      "ghcr.io/acme/litestream:0.3.13-custom",
      "registry.example.com:5000/litestream/litestream:0.3.13",
      `litestream/litestream:0.3.13@sha256:${"a".repeat(64)}`,
    ]) {
      expect(issuesOf(project({}, { image }))).toEqual([]);
      expect(remoteShell(accessoryOf(project({}, { image }))).argv).toContain(image);
    }
  });

  it("a label key: a canary through Kamal's assembly; refused with a fix that works", () => {
    expect(remoteShell({ ...valid, labels: { "a;touch canary;b": "x" } }).canary).toBe(true);
    expect(issuesOf(project({ labels: { "a;touch canary;b": "x" } }))).toContainEqual(
      expect.objectContaining({
        path: ["targets", "kamal", "labels", "a;touch canary;b"],
        message: expect.stringContaining("is not a docker label key"),
        fix: 'use a reverse-DNS key such as "com.example.team"',
      }),
    );
    const { argv } = remoteShell(accessoryOf(project({ labels: { "com.example.team": "x" } })));
    expect(argv).toContain("com.example.team=x");
  });

  it("the volume: a canary through Kamal's assembly; refused with a fix that works", () => {
    expect(remoteShell({ ...valid, volumes: ["myapp_storage:/rails/storage;touch${IFS}canary;:"] }).canary).toBe(true);
    const bad = "myapp_storage:/rails/storage;touch${IFS}canary";
    expect(issuesOf(project({ volume: bad }))).toContainEqual(
      expect.objectContaining({
        path: ["targets", "kamal", "volume"],
        message: expect.stringContaining("Kamal passes it unquoted to the remote shell"),
      }),
    );
    expect(remoteShell(accessoryOf(project({ volume: "myapp_storage:/rails/storage" }))).argv).toContain("myapp_storage:/rails/storage");
  });

  it("values Kamal escapes reach docker exactly ($, quotes, backticks, spaces, backslashes)", () => {
    const value = `a "b" 'c' $HOME \`id\` \\n $(id) #x`;
    const { argv, canary } = remoteShell(accessoryOf(project({ labels: { "com.example.note": value }, env: { NOTE: value } })));
    expect(canary).toBe(false);
    expect(argv).toContain(`com.example.note=${value}`);
    expect(argv).toContain(`NOTE=${value}`);
  });

  it("refuses values the remote shell would change: ${…} (left unescaped by Kamal), non-ASCII (a \\u escape), control characters", () => {
    const expanded = issuesOf(project({ labels: { "com.example.home": "at ${HOME}" } }));
    expect(expanded).toContainEqual(
      expect.objectContaining({
        path: ["targets", "kamal", "labels", "com.example.home"],
        message: expect.stringContaining("the remote shell expands it"),
      }),
    );
    // The emulation shows why: ${HOME} arrives expanded.
    const shown = remoteShell({ ...valid, labels: { "com.example.home": "at ${HOME}" } });
    expect(shown.argv).not.toContain("com.example.home=at ${HOME}");
    expect(issuesOf(project({ env: { CITY: "Zürich" } }))).toContainEqual(
      expect.objectContaining({ path: ["targets", "kamal", "env", "CITY"], message: expect.stringContaining("non-ASCII") }),
    );
    expect(issuesOf(project({ options: { memory: "256m\n--privileged" } }))).toContainEqual(
      expect.objectContaining({ path: ["targets", "kamal", "options", "memory"], message: expect.stringContaining("a newline") }),
    );
  });
});

describe("stop grace period", () => {
  it("is --stop-timeout from the plan: 30 s on 0.3, shutdown-sync-timeout + 10 s on 0.5.6+", () => {
    const flag = (input: unknown) => {
      const { argv } = remoteShell(accessoryOf(input));
      return argv[argv.indexOf("--stop-timeout") + 1];
    };
    expect(flag(project())).toBe("30");
    expect(flag({ ...project(), litestream: { version: "0.5" } })).toBe("40");
    expect(flag({ ...project(), litestream: { version: "0.5" }, shutdownSyncTimeout: "1m" })).toBe("70");
  });

  it("a user's stop-timeout below the grace is refused; a longer one is kept", () => {
    expect(issuesOf(project({ options: { "stop-timeout": 10 } }))).toEqual([
      expect.objectContaining({
        path: ["targets", "kamal", "options", "stop-timeout"],
        message: expect.stringContaining("shorter than the 30s Litestream needs"),
        fix: "remove it (litestream-deploy sets 30) or set at least 30",
      }),
    ]);
    expect(accessoryOf(project({ options: { "stop-timeout": 90 } })).options).toMatchObject({ "stop-timeout": 90 });
    expect(issuesOf(project({ options: { "stop-timeout": "1m" } }))[0]).toMatchObject({
      path: ["targets", "kamal", "options", "stop-timeout"],
    });
  });
});
