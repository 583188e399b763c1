// install-litestream.sh, executed for real by sh and busybox sh in a temporary root, with recording
// fakes of every command that would change the host (systemctl, dpkg, useradd, install, chmod, …):
// hostile database and config file names must reach each command as one intact argument, and no
// injected command may run.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate, type ProjectInput } from "../src/index.js";
import { shellWord } from "../src/render/quote/sh.js";
import { cleanupTempDirs } from "./harness/tmp.js";
import { readCalls, runInstall as run, sandbox } from "./support/install-sandbox.js";

afterAll(cleanupTempDirs);

const DB_DIR = '/srv/it\'s a "dir";touch CANARY;';
const DB_FILE = 'x";touch CANARY;".db';
const DB = `${DB_DIR}/${DB_FILE}`;
const CONFIG = 'config/it"s;touch CANARY;"\'.yml';
const REPLICA_ROOT = "/var/backups/a b';touch CANARY;'";

function hostileProject(bin: string): ProjectInput {
  return {
    name: "shop",
    litestream: { version: "0.3" },
    storage: { provider: "file", path: REPLICA_ROOT },
    databases: [{ name: "main", path: DB }],
    environments: {
      production: {
        configFile: CONFIG,
        targets: {
          systemd: { binary: join(bin, "litestream"), appUnits: ["web.service", "app@blue.service"], beforeApp: [["/bin/true"]] },
        },
      },
    },
  } as ProjectInput;
}

describe("install script on hostile names (executed with recording fakes)", () => {
  for (const shell of [["/bin/sh"], ["/usr/bin/busybox", "sh"]]) {
    it(`${shell.join(" ")}: each path is one intact argument and nothing injected runs`, async () => {
      const { root, bin, path } = sandbox();
      const checkout = join(root, "checkout");
      for (const file of generate(hostileProject(bin)).files) {
        mkdirSync(dirname(join(checkout, file.path)), { recursive: true });
        writeFileSync(join(checkout, file.path), file.content);
      }
      const work = join(root, "work");
      mkdirSync(work);
      const log = join(root, "calls.log");
      writeFileSync(log, "");
      const script = join(checkout, "deploy/systemd/install-litestream.sh");
      const result = await run(shell, script, work, path, log);
      expect(result.code, result.stderr).toBe(0);
      expect(existsSync(join(work, "CANARY"))).toBe(false);
      expect(result.stderr).not.toMatch(/not found|syntax error|unexpected/);

      const calls = readCalls(log);
      const args = (name: string) => calls.filter((c) => c.name === name).map((c) => c.args);
      expect(args("mkdir")).toContainEqual(["-p", DB_DIR]);
      expect(args("chgrp")).toContainEqual(["litestream", DB_DIR]);
      expect(args("chmod")).toContainEqual(["2770", DB_DIR]);
      expect(args("runuser")).toContainEqual(["-u", "litestream", "--", "test", "-w", DB_DIR]);
      expect(args("install")).toContainEqual(["-d", "-m", "0750", "-o", "litestream", "-g", "litestream", `${REPLICA_ROOT}/main`]);

      // Every file it installs comes from the checkout, by a path that exists there.
      const here = join(checkout, "deploy/systemd");
      const installed = args("install")
        .filter((a) => a[0] === "-D")
        .map((a) => [a.at(-2)!, a.at(-1)!]);
      expect(installed).toEqual([
        [`${here}/../../${CONFIG}`, "/etc/litestream/litestream.yml"],
        [`${here}/litestream-restore.sh`, "/etc/litestream/litestream-restore.sh"],
        [`${here}/litestream.service`, "/etc/systemd/system/litestream.service"],
        [`${here}/litestream-before-app.service`, "/etc/systemd/system/litestream-before-app.service"],
        [`${here}/web.service.d/litestream.conf`, "/etc/systemd/system/web.service.d/litestream.conf"],
        [`${here}/app@blue.service.d/litestream.conf`, "/etc/systemd/system/app@blue.service.d/litestream.conf"],
      ]);
      for (const [from] of installed) expect(existsSync(resolve(from!)), from).toBe(true);

      expect(args("systemctl")).toEqual([
        ["daemon-reload"],
        ["enable", "litestream.service"],
        ["is-active", "--quiet", "litestream.service"],
        ["start", "litestream.service"],
        ["cat", "web.service"],
        ["cat", "app@blue.service"],
        ["--no-pager", "--lines=5", "status", "litestream.service"],
      ]);
      expect(result.stdout).toContain(`Note: ${DB} does not exist yet`);
    });
  }

  it("the check can fail: pasting a quoted word inside double quotes runs the canary", async () => {
    const { root, path } = sandbox();
    const script = join(root, "naive.sh");
    // What the script used to do: "$here/<configFile>" and echo "Note: <shellWord(db)> …".
    writeFileSync(script, `echo "Note: ${shellWord(DB_FILE)} does not exist"\n`);
    const work = join(root, "work");
    mkdirSync(work);
    const result = await run(["/bin/sh"], script, work, path, join(root, "calls.log"));
    expect(result.stderr).toMatch(/naive\.sh: \d+: /); // the shell ran the pieces as commands
    expect(existsSync(join(work, "CANARY"))).toBe(true);
  });
});
