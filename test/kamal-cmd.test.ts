// The accessory's `cmd`/entrypoint must survive Kamal's remote shell and reach /bin/sh and
// Litestream as exactly the intended argv. Kamal builds `docker run … IMAGE <cmd>` (cmd unescaped)
// and runs it through the remote user's shell: we rebuild that string as Kamal does, run it through
// a real shell with a recording `docker` on PATH, then run the script it carries through busybox sh
// (the alpine image's shell) with recording and with real tools.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate, ProjectError } from "../src/index.js";
import { oneLine } from "../src/targets/kamal/restore-command.js";
import { kamalAccessoryRunCommand, readArgvLog, writeArgvRecorder } from "./fixtures/kamal/kamal-emulation.js";
import { litestreamBinary, runLitestream, startReplicate, stopAll } from "./harness/litestream.js";
import { createWalDb, expectedRows, insertRows, readRows } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

const BUSYBOX = "/bin/busybox";
const children = new Set<ReturnType<typeof spawn>>();

afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  children.clear();
  await stopAll();
  await cleanupTempDirs();
});

type Accessory = { image: string; cmd: string; options?: Record<string, unknown>; [k: string]: unknown };

function project(
  overrides: {
    version?: "0.3" | "0.5";
    databases?: string[];
    mount?: string;
    appUser?: string;
    restoreOnBoot?: boolean;
    addr?: string;
    replicaDir?: string;
  } = {},
) {
  const mount = overrides.mount ?? "/rails/storage";
  return {
    name: "myapp",
    litestream: { version: overrides.version ?? "0.3" },
    storage: overrides.replicaDir
      ? { provider: "file" as const, path: overrides.replicaDir }
      : {
          provider: "hetzner" as const,
          location: "fsn1" as const,
          bucket: "myapp-backups",
          credentials: { accessKeyId: { env: "HZ_KEY" }, secretAccessKey: { env: "HZ_SECRET" } },
        },
    databases: (overrides.databases ?? [`${mount}/production.sqlite3`, `${mount}/production_cache.sqlite3`]).map((path) => ({ path })),
    ...(overrides.addr ? { monitoring: { addr: overrides.addr } } : {}),
    ...(overrides.restoreOnBoot === false ? { restoreOnBoot: false } : {}),
    targets: {
      kamal: {
        version: "2.10.1",
        volume: `myapp_storage:${mount}`,
        host: "203.0.113.10",
        ...(overrides.appUser ? { appUser: overrides.appUser } : {}),
      },
    },
  };
}

function accessoryOf(input: unknown): { accessory: Accessory; config: string } {
  const result = generate(input);
  const partial = result.files.find((f) => f.kind === "kamal-accessory")!;
  const config = result.files.find((f) => f.kind === "litestream-config")!;
  return { accessory: parse(partial.content, { version: "1.1" }).accessories.litestream as Accessory, config: config.content };
}

function accessoryText(input: unknown): string {
  return generate(input).files.find((f) => f.kind === "kamal-accessory")!.content;
}

/** The script as the accessory's comment lays it out for the reader (the lines after "/bin/sh -c:"). */
function commentedScript(text: string): string[] {
  const lines = text.split("\n");
  const from = lines.findIndex((l) => l.includes("then replicate:")) + 1;
  const to = lines.findIndex((l, i) => i >= from && !l.startsWith("    #   "));
  return lines.slice(from, to).map((l) => l.slice("    #   ".length));
}

/**
 * Runs Kamal's `docker run` line through `shell -c` with a recording docker; returns docker's argv,
 * with the login directory ($PWD on the host, where Kamal uploads files) written as "~".
 */
function dockerArgv(accessory: Accessory, shell: string[] = ["/bin/sh", "-c"]): string[] {
  const dir = makeTempDir("kamal-docker");
  const log = join(dir, "argv.log");
  writeArgvRecorder(dir, "docker", log);
  const line = kamalAccessoryRunCommand(accessory, { service: "myapp", name: "litestream" });
  execFileSync(shell[0]!, [...shell.slice(1), line], {
    env: { PATH: `${dir}:/usr/bin:/bin` },
    cwd: dir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const calls = readArgvLog(log);
  expect(calls).toHaveLength(1);
  return calls[0]!.slice(1).map((arg) => arg.split(dir).join("~"));
}

/** Runs `/bin/sh -c <script>` as the container would (busybox ash), with recording tools; returns their calls. */
function scriptCalls(script: string, tools: string[]): string[][] {
  const dir = makeTempDir("kamal-script");
  const log = join(dir, "calls.log");
  for (const tool of tools) writeArgvRecorder(dir, tool, log);
  execFileSync(BUSYBOX, ["sh", "-c", script], { env: { PATH: `${dir}:/usr/bin:/bin` } });
  return readArgvLog(log);
}

describe("Kamal accessory cmd on Litestream 0.3 (restore, then replicate)", () => {
  it("reaches docker as --entrypoint /bin/sh, then exactly two arguments: -c and the script", () => {
    const { accessory } = accessoryOf(project({ appUser: "1000:1000", addr: ":9090" }));
    const argv = dockerArgv(accessory);
    const image = argv.indexOf("litestream/litestream:0.3.14");
    expect(image).toBeGreaterThan(0);
    const flag = (name: string) => argv[argv.indexOf(name) + 1];
    // docker gets `-c` and the script; the script is the one the YAML comment shows, line by line.
    expect(argv.slice(image + 1)).toEqual([
      "-c",
      oneLine(commentedScript(accessoryText(project({ appUser: "1000:1000", addr: ":9090" })))),
    ]);
    expect(argv.at(-1)).toMatch(
      /^set -e; rm -f \/rails\/storage\/\.litestream-restored; for db in \/rails\/storage\/production\.sqlite3 \/rails\/storage\/production_cache\.sqlite3; do if \[ -f "\$db" \]/,
    );
    expect(argv.at(-1)).toMatch(
      /; date -u > \/rails\/storage\/\.litestream-restored\.tmp; mv -f \/rails\/storage\/\.litestream-restored\.tmp \/rails\/storage\/\.litestream-restored; exec litestream replicate -config \/etc\/litestream\.yml$/,
    );
    expect(flag("--stop-timeout")).toBe("30");
    expect(flag("--entrypoint")).toBe("/bin/sh");
    expect(flag("--health-cmd")).toBe("wget -q -O /dev/null http://127.0.0.1:9090/metrics");
    expect(argv).toContain("myapp_storage:/rails/storage");
    expect(argv).toContain("~/myapp-litestream/etc/litestream.yml:/etc/litestream.yml:ro");
    expect(argv).not.toContain("--restart=always");
    expect(argv.filter((a) => a === "--restart")).toHaveLength(1);
  });

  it("survives bash and busybox ash as the remote login shell too", () => {
    const { accessory } = accessoryOf(project({ appUser: "1000:1000" }));
    const viaSh = dockerArgv(accessory);
    expect(dockerArgv(accessory, ["/bin/bash", "-c"])).toEqual(viaSh);
    expect(dockerArgv(accessory, [BUSYBOX, "sh", "-c"])).toEqual(viaSh);
  });

  it("gives Litestream the exact argv: flags first, the configured path, then the marker, then exec replicate", () => {
    const mount = makeTempDir("kamal-mount");
    const dbs = [`${mount}/production.sqlite3`, `${mount}/production_cache.sqlite3`];
    const { accessory, config } = accessoryOf(project({ appUser: "1000:1000", mount, databases: dbs }));
    writeFileSync(join(mount, ".litestream-restored"), "stale\n");
    const argv = dockerArgv(accessory);
    const script = argv[argv.length - 1]!;
    const calls = scriptCalls(script, ["litestream", "chown"]);
    // The recording tools create nothing, so no database exists and nothing is handed over.
    expect(calls).toEqual([
      ["litestream", "restore", "-config", "/etc/litestream.yml", "-if-db-not-exists", "-if-replica-exists", dbs[0]],
      ["litestream", "restore", "-config", "/etc/litestream.yml", "-if-db-not-exists", "-if-replica-exists", dbs[1]],
      ["chown", "1000:1000", mount],
      ["litestream", "replicate", "-config", "/etc/litestream.yml"],
    ]);
    // restore only accepts the path exactly as configured.
    const configured = (parse(config, { version: "1.1" }) as { dbs: Array<{ path: string }> }).dbs.map((d) => d.path);
    expect(calls.filter((c) => c[1] === "restore").map((c) => c.at(-1))).toEqual(configured);
    // The stale marker was replaced by a fresh one, written atomically (no temporary file left).
    expect(readFileSync(join(mount, ".litestream-restored"), "utf8")).not.toBe("stale\n");
    expect(existsSync(join(mount, ".litestream-restored.tmp"))).toBe(false);
  });

  it("stops before replicating when a restore fails (set -e), so an empty database is never replicated over the backup", () => {
    const mount = makeTempDir("kamal-mount");
    const { accessory } = accessoryOf(project({ mount, databases: [`${mount}/app.sqlite3`] }));
    writeFileSync(join(mount, ".litestream-restored"), "");
    const script = dockerArgv(accessory).at(-1)!;
    const dir = makeTempDir("kamal-fail");
    const log = join(dir, "calls.log");
    writeArgvRecorder(dir, "litestream-record", log);
    writeFileSync(join(dir, "litestream"), `#!/bin/sh\n"${join(dir, "litestream-record")}" "$@"\n[ "$1" != restore ] || exit 1\n`, {
      mode: 0o755,
    });
    let status = 0;
    try {
      execFileSync(BUSYBOX, ["sh", "-c", script], { env: { PATH: `${dir}:/usr/bin:/bin` }, stdio: "pipe" });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(1);
    expect(readArgvLog(log).map((c) => c[1])).toEqual(["restore"]);
    // The old marker is gone and no new one was written: the app keeps waiting.
    expect(existsSync(join(mount, ".litestream-restored"))).toBe(false);
  });

  it("passes shellcheck as POSIX sh", () => {
    const { accessory } = accessoryOf(project({ appUser: "1000:1000" }));
    const script = dockerArgv(accessory).at(-1)!;
    const dir = makeTempDir("kamal-shellcheck");
    const file = join(dir, "cmd.sh");
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    expect(execFileSync("shellcheck", ["-s", "sh", file], { encoding: "utf8" })).toBe("");
  });

  it("quotes a database path with a space, and refuses one with a quote", () => {
    const mount = makeTempDir("kamal-mount");
    const spaced = accessoryOf(project({ mount, databases: [`${mount}/my app/app.sqlite3`] })).accessory;
    const argv = dockerArgv(spaced);
    const calls = scriptCalls(argv.at(-1)!, ["litestream"]);
    expect(calls[0]).toEqual([
      "litestream",
      "restore",
      "-config",
      "/etc/litestream.yml",
      "-if-db-not-exists",
      "-if-replica-exists",
      `${mount}/my app/app.sqlite3`,
    ]);

    let issues: ProjectError["issues"] = [];
    try {
      generate(project({ mount: "/srv/data", databases: ["/srv/data/it's.sqlite3"] }));
    } catch (error) {
      issues = (error as ProjectError).issues;
    }
    expect(issues).toContainEqual(
      expect.objectContaining({
        path: ["targets", "kamal", "volume"],
        message: expect.stringContaining("cannot be passed safely through Kamal's remote shell"),
      }),
    );
  });

  it("restores a real backup with Litestream 0.3.13, hands it to the app's user, then replicates", async () => {
    const root = makeTempDir("kamal-restore");
    const mount = join(root, "storage");
    const replicaDir = join(root, "replica");
    const db = join(mount, "production.sqlite3");
    const input = project({
      mount,
      databases: [db],
      replicaDir,
      appUser: process.getuid?.() === 0 ? "1000:1000" : `${process.getuid!()}:${process.getgid!()}`,
    });
    const { accessory, config } = accessoryOf(input);
    const configPath = join(root, "litestream.yml");
    writeFileSync(configPath, config);

    // A backup to restore from.
    execFileSync("mkdir", ["-p", mount]);
    await createWalDb(db);
    await insertRows(db, 1, 50);
    const replicate = startReplicate(configPath);
    await replicate.waitForLog(/wal segment written/, 20_000);
    await replicate.stop();
    execFileSync("rm", ["-rf", mount]);

    // In the container /etc/litestream.yml is the mounted config; here a shim maps it to ours.
    const bin = makeTempDir("kamal-shim");
    writeFileSync(
      join(bin, "litestream"),
      `#!/bin/sh\nfor a do shift; if [ "$a" = /etc/litestream.yml ]; then set -- "$@" "${configPath}"; else set -- "$@" "$a"; fi; done\nexec "${litestreamBinary}" "$@"\n`,
      { mode: 0o755 },
    );
    const script = dockerArgv(accessory).at(-1)!;
    const child = spawn(BUSYBOX, ["sh", "-c", script], { env: { PATH: `${bin}:/usr/bin:/bin` }, stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    const deadline = Date.now() + 30_000;
    while (!/initialized db/.test(output) && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(output).toMatch(/initialized db/);
    expect(await readRows(db)).toEqual(expectedRows(1, 50));
    const [uid, gid] = input.targets.kamal.appUser!.split(":").map(Number);
    expect([statSync(db).uid, statSync(db).gid]).toEqual([uid, gid]);
    expect(statSync(mount).uid).toBe(uid);

    // `exec` made Litestream the process docker signals: SIGTERM stops it cleanly.
    child.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => child.once("close", (c) => resolve(c)));
    expect(code).toBe(0);

    // Booting again on the restored database skips the restore (-if-db-not-exists) and replicates.
    const again = await runLitestream(["restore", "-config", configPath, "-if-db-not-exists", "-if-replica-exists", db]);
    expect(again.code).toBe(0);
    expect(existsSync(db)).toBe(true);
  });
});

describe("Kamal accessory cmd on Litestream 0.5", () => {
  it("runs the same restore-then-marker script (0.5.17's restore has -if-replica-exists); restore-if-db-not-exists stays in litestream.yml", () => {
    const { accessory, config } = accessoryOf({ ...project({ version: "0.5" }) });
    const argv = dockerArgv(accessory);
    expect(argv[argv.indexOf("--entrypoint") + 1]).toBe("/bin/sh");
    expect(argv.at(-3)).toBe("litestream/litestream:0.5.17");
    expect(argv.at(-2)).toBe("-c");
    expect(argv.at(-1)).toContain('litestream restore -config /etc/litestream.yml -if-db-not-exists -if-replica-exists "$db"');
    expect(argv[argv.indexOf("--stop-timeout") + 1]).toBe("40");
    expect(config).toContain("restore-if-db-not-exists: true");
  });

  it("uses the restore-then-replicate script when restored databases must be handed to the app's user", () => {
    const { accessory } = accessoryOf(project({ version: "0.5", appUser: "1000:1000" }));
    const argv = dockerArgv(accessory);
    expect(argv[argv.indexOf("--entrypoint") + 1]).toBe("/bin/sh");
    expect(argv.at(-2)).toBe("-c");
    expect(argv.at(-1)).toContain('chown 1000:1000 "$db"');
  });

  it("is plain `replicate` when restore on boot is off", () => {
    const { accessory } = accessoryOf(project({ restoreOnBoot: false, appUser: "1000:1000" }));
    expect(accessory.cmd).toBe("replicate");
    expect(dockerArgv(accessory).at(-1)).toBe("replicate");
  });
});

describe("health options", () => {
  it("the 0.3 health command is accepted by busybox wget and checks the real /metrics endpoint", async () => {
    const root = makeTempDir("kamal-health");
    const db = join(root, "storage", "app.sqlite3");
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const input = project({ mount: join(root, "storage"), databases: [db], replicaDir: join(root, "replica"), addr: `127.0.0.1:${port}` });
    const { accessory, config } = accessoryOf(input);
    const health = dockerArgv(accessory);
    const cmd = health[health.indexOf("--health-cmd") + 1]!;
    expect(cmd).toBe(`wget -q -O /dev/null http://127.0.0.1:${port}/metrics`);
    const shim = makeTempDir("kamal-wget");
    execFileSync("ln", ["-s", BUSYBOX, join(shim, "wget")]);
    const run = () => {
      try {
        execFileSync(BUSYBOX, ["sh", "-c", cmd], { env: { PATH: shim }, stdio: "pipe" });
        return 0;
      } catch (error) {
        return (error as { status: number }).status;
      }
    };
    expect(run()).not.toBe(0); // nothing serves metrics yet: unhealthy

    const configPath = join(root, "litestream.yml");
    writeFileSync(configPath, config);
    execFileSync("mkdir", ["-p", join(root, "storage")]);
    await createWalDb(db);
    const replicate = startReplicate(configPath);
    await replicate.waitForLog(/initialized db/, 20_000);
    const deadline = Date.now() + 10_000;
    let status = run();
    while (status !== 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      status = run();
    }
    expect(status).toBe(0);
  });

  it("falls back to `litestream databases` where the image has no wget, and to none in the shell-less scratch image", () => {
    expect(accessoryOf(project({ version: "0.5", addr: ":9090" })).accessory.options?.["health-cmd"]).toBe("litestream databases");
    const scratch = generate({
      ...project({ version: "0.5", restoreOnBoot: false }),
      litestream: { version: "0.5", image: "litestream/litestream:0.5.16-scratch" },
    });
    const partial = parse(scratch.files.find((f) => f.kind === "kamal-accessory")!.content).accessories.litestream as Accessory;
    expect(partial.options).toEqual({ "stop-timeout": 40 });
    expect(scratch.warnings).toContainEqual(expect.objectContaining({ path: ["targets", "kamal", "healthcheck"] }));
  });
});
