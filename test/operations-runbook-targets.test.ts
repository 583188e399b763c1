// The runbook's "List backups" and "Restore a single database into service" commands, spelled for
// Kamal, Compose, systemd and the entrypoint, run as written: `sh` runs each line with stand-ins for
// kamal / docker / sudo on PATH that do what those programs do with their argument words (Kamal hands
// the --reuse string to the remote shell after `docker exec`; docker exec / run / systemd-run run the
// command they are given; the stand-in `litestream` reads the container's config path as the generated
// file) and the real Litestream 0.3.13 / 0.5.17 and sqlite3. Proves the quoting across each layer and the
// order: the app is stopped before the swap, started after it, and the live database ends up as the backup.
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { ProjectInput } from "../src/index.js";
import { HEREDOC_CONFIG_PATH } from "../src/targets/compose/heredoc.js";
import { CONTAINER_CONFIG_PATH } from "../src/targets/kamal/restore-command.js";
import { binaryFor, hermeticEnv, startReplicate, stopAll, waitForBackup } from "./harness/litestream.js";
import { createWalDb, expectedRows, insertRows, readRows } from "./harness/sqlite.js";
import { cleanupTempDirs } from "./harness/tmp.js";
import { commandsOf, fileOf, RELEASE, tempProject, writeProject, type Line } from "./operations-support.js";

afterAll(async () => {
  await stopAll();
  await cleanupTempDirs();
});

type Target = "kamal" | "compose" | "systemd" | "entrypoint";
const CONFIG_SEEN: Record<Target, string> = {
  kamal: CONTAINER_CONFIG_PATH,
  compose: HEREDOC_CONFIG_PATH,
  systemd: "/etc/litestream/litestream.yml",
  entrypoint: "/etc/litestream.yml",
};

function targets(target: Target, mount: string): ProjectInput["targets"] {
  switch (target) {
    case "kamal":
      return { kamal: { version: "2.12.0", host: "203.0.113.10", volume: `ops_storage:${mount}`, appEntrypoint: false } };
    case "compose":
      return { compose: { appService: "web", volume: `app_data:${mount}` } };
    case "systemd":
      return { systemd: { appUnit: "app.service" } };
    case "entrypoint":
      return { entrypoint: { appCommand: ["bin/app"] } };
  }
}

/** Stand-ins that log each call (one line) and run what a real kamal / docker / sudo would run. */
function standIns(dir: string, line: Line, seen: string, config: string): { bin: string; log: string } {
  const bin = join(dir, "standins");
  mkdirSync(bin);
  const log = join(dir, "calls.log");
  const tool = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\nprintf '%s\\n' "${name} $*" >> '${log}'\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  tool(
    "litestream",
    `for a; do shift; if [ "$a" = '${seen}' ]; then set -- "$@" '${config}'; else set -- "$@" "$a"; fi; done\nexec '${binaryFor(line)}' "$@"`,
  );
  // kamal accessory exec NAME [-d D] --reuse CMD: the remote shell parses `docker exec <container> CMD`.
  tool(
    "kamal",
    `[ "$1 $2" = "accessory exec" ] || exit 0\nwhile [ "$1" != --reuse ]; do shift; done\nexec sh -c "docker exec ops-litestream $2"`,
  );
  tool(
    "docker",
    [
      "case $1 in",
      '  exec) shift; while case $1 in -*) true;; *) false;; esac; do shift; done; shift; exec "$@" ;;',
      '  compose) while [ "$1" != exec ]; do case $1 in stop|start|restart|up|ps|logs) exit 0;; esac; shift; done; shift; shift; exec "$@" ;;',
      '  run) while [ "$1" != -c ]; do shift; done; exec sh -c "$2" ;;',
      "  inspect) echo app-image ;;",
      "esac",
    ].join("\n"),
  );
  // sudo systemd-run --flags -p K=V … CMD ARGS / sudo systemctl …
  tool(
    "sudo",
    `[ "$1" = systemd-run ] || exit 0\nshift\nwhile case $1 in -p) shift; true;; -*) true;; *) false;; esac; do shift; done\nif [ "$1" = /usr/bin/litestream ]; then shift; set -- litestream "$@"; fi\nexec "$@"`,
  );
  return { bin, log };
}

function sh(command: string, cwd: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile("sh", ["-c", command], { cwd, env: hermeticEnv(env), encoding: "utf8", timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, output: stdout + stderr });
    });
  });
}

describe.each(["0.3", "0.5"] as const)("runbook commands per target, Litestream %s", (line: Line) => {
  it.each(["kamal", "compose", "systemd", "entrypoint"] as const)(
    "%s: list backups, then restore one database into service in order",
    { timeout: 120_000 },
    async (target) => {
      const dir = tempProject(`ops-rb-${target}-${line}`);
      const mount = join(dir, "storage");
      mkdirSync(mount);
      const db = join(mount, "app.db");
      const project: ProjectInput = {
        name: "ops",
        litestream: { version: line, release: RELEASE[line], verify: false },
        storage: { provider: "file", path: join(dir, "backups") },
        replication: { syncInterval: "1s" },
        databases: [{ name: "app", path: db }],
        targets: targets(target, mount),
      };
      const files = writeProject(dir, project);
      const config = join(dir, fileOf(files, "litestream-config").path);
      const runbook = fileOf(files, "runbook").content;
      expect(runbook).toContain(`commands spelled for the ${target} target`);

      await createWalDb(db);
      await insertRows(db, 1, 10);
      const replicate = startReplicate(config, { line });
      await waitForBackup(config, db, dir, { line });
      expect((await replicate.stop()).code).toBe(0);
      await insertRows(db, 11, 15); // after the last backup: what the restore must take back

      const { bin, log } = standIns(dir, line, CONFIG_SEEN[target], config);
      const env = { PATH: `${bin}:${dirname(binaryFor(line))}:${process.env.PATH}`, APP_CONTAINER: "ops-app" };
      for (const command of commandsOf(runbook, "List backups")) {
        const r = await sh(command, dir, env);
        expect(r.code, `${command}\n${r.output}`).toBe(0);
        expect(r.output).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/);
      }
      writeFileSync(log, "");
      for (const command of commandsOf(runbook, "Restore a single database into service")) {
        const r = await sh(command, dir, env);
        expect(r.code, `${command}\n${r.output}`).toBe(0);
        if (command.includes("integrity_check")) expect(r.output.trim()).toBe("ok");
      }
      expect(await readRows(db)).toEqual(expectedRows(1, 10));
      expect(await readRows(`${db}.before-restore`)).toEqual(expectedRows(1, 15));
      expect(existsSync(`${db}.restored`)).toBe(false);

      const calls = readFileSync(log, "utf8").split("\n");
      const first = (pattern: RegExp) => calls.findIndex((c) => pattern.test(c));
      const stop = first(/^(kamal app stop|docker compose .* stop web|sudo systemctl stop app\.service|docker stop ops-app)/);
      const restore = first(/^litestream restore /);
      const swap = first(/\bmv app\.db app\.db\.before-restore/);
      const start = first(/^(kamal app boot|docker compose .* start web|sudo systemctl start app\.service|docker start ops-app)/);
      expect(
        [stop, restore, swap, start].every((i) => i >= 0),
        calls.join("\n"),
      ).toBe(true);
      // The entrypoint's container holds Litestream: it restores while running, then stops; elsewhere the app stops first.
      if (target === "entrypoint") expect(restore < stop && stop < swap).toBe(true);
      else expect(stop < restore && restore < swap).toBe(true);
      expect(swap).toBeLessThan(start);
    },
  );
});
