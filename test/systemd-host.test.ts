// systemd host checks (docs/systemd.md): two environments on one host install nothing under the
// same path; an SFTP key the service user cannot read is warned about (at generation time when
// the unit's sandbox hides it, and at install time); the install script works in an image build,
// where systemd is not running. Install scripts run for real under sh and busybox sh, with the
// recording fakes of test/support/install-sandbox.ts.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate, type ProjectInput } from "../src/index.js";
import { cleanupTempDirs } from "./harness/tmp.js";
import { readCalls, runInstall, sandbox } from "./support/install-sandbox.js";

afterAll(cleanupTempDirs);

const KEY = "/etc/litestream/sftp_ed25519";

/** A Django shop on one VPS: production and staging side by side, backed up over SFTP. */
function shop(bin: string, keyPath = KEY): ProjectInput {
  const sftp = (env: string) => ({
    provider: "sftp" as const,
    host: "backup.example.com:22",
    user: "shop",
    path: `/backups/${env}`,
    keyPath,
  });
  return {
    name: "shop",
    litestream: { version: "0.3" },
    storage: sftp("production"),
    databases: [{ name: "main", path: "/srv/shop/data/main.db" }],
    environments: {
      production: {},
      staging: { storage: sftp("staging"), databases: { main: { path: "/srv/shop-staging/data/main.db" } } },
    },
    targets: { systemd: { binary: join(bin, "litestream"), appUnits: ["web.service"] } },
  };
}

async function install(
  project: ProjectInput,
  env: string,
  shell: string[],
  opts: { systemdRunning: boolean; behaviour?: Record<string, string> },
  box = sandbox(opts.behaviour),
) {
  const checkout = join(box.root, "checkout");
  for (const file of generate(project).files) {
    mkdirSync(dirname(join(checkout, file.path)), { recursive: true });
    writeFileSync(join(checkout, file.path), file.content);
  }
  const log = join(box.root, `calls-${env}.log`);
  writeFileSync(log, "");
  const result = await runInstall(shell, join(checkout, `deploy/systemd/${env}/install-litestream-${env}.sh`), box.root, box.path, log, {
    systemdRunning: opts.systemdRunning,
  });
  const calls = readCalls(log);
  return { ...result, calls, args: (name: string) => calls.filter((c) => c.name === name).map((c) => c.args) };
}

const SHELLS = [["/bin/sh"], ["/usr/bin/busybox", "sh"]];

describe("two environments on one host", () => {
  it("install every file under a different path (derived names litestream-<environment>)", async () => {
    const box = sandbox();
    const targets: string[] = [];
    for (const env of ["production", "staging"]) {
      const run = await install(shop(box.bin), env, ["/bin/sh"], { systemdRunning: true }, box);
      expect(run.code, run.stderr).toBe(0);
      targets.push(
        ...run
          .args("install")
          .filter((a) => a[0] === "-D")
          .map((a) => a.at(-1)!),
      );
    }
    expect(targets).toContain("/etc/systemd/system/litestream-production.service");
    expect(targets).toContain("/etc/systemd/system/web.service.d/litestream-staging.conf");
    expect(new Set(targets).size).toBe(targets.length);
  });
});

describe.each(SHELLS.map((s) => [s.join(" "), s] as const))("install script under %s", (_name, shell) => {
  it("systemd running: reloads, enables and starts the unit", async () => {
    const run = await install(shop(sandbox().bin), "production", shell, { systemdRunning: true });
    expect(run.code, run.stderr).toBe(0);
    expect(run.args("systemctl").slice(0, 4)).toEqual([
      ["daemon-reload"],
      ["enable", "litestream-production.service"],
      ["is-active", "--quiet", "litestream-production.service"],
      ["start", "litestream-production.service"],
    ]);
    expect(run.stdout).not.toMatch(/systemd is not running/);
  });

  it("image build (no /run/systemd/system): enables the unit only, says so, and exits 0", async () => {
    const run = await install(shop(sandbox().bin), "production", shell, { systemdRunning: false });
    expect(run.code, run.stderr).toBe(0);
    expect(run.args("systemctl")).toEqual([["enable", "litestream-production.service"]]);
    expect(run.stdout).toContain(
      "systemd is not running here (an image build?): litestream-production.service is enabled and starts at boot; nothing was started",
    );
    // Files, user and directories are installed as on a running host.
    expect(
      run
        .args("install")
        .filter((a) => a[0] === "-D")
        .map((a) => a.at(-1)),
    ).toContain("/etc/systemd/system/litestream-production.service");
    expect(run.args("mkdir")).toContainEqual(["-p", "/srv/shop/data"]);
  });

  it("an SFTP key the service user cannot read: a warning naming the key and the fix", async () => {
    const cannotRead = { runuser: '[ "$4" = test ] && [ "$5" = -r ] && exit 1' };
    const run = await install(shop(sandbox().bin), "production", shell, { systemdRunning: true, behaviour: cannotRead });
    expect(run.code, run.stderr).toBe(0);
    expect(run.args("runuser")).toContainEqual(["-u", "litestream", "--", "test", "-r", KEY]);
    expect(run.stderr).toContain(
      `install-litestream-production: warning: litestream cannot read the SFTP key ${KEY}: chown litestream it (mode 0600) or copy it to /etc/litestream/, or replication fails`,
    );
    const readable = await install(shop(sandbox().bin), "production", shell, { systemdRunning: true });
    expect(readable.stderr).not.toMatch(/cannot read the SFTP key/);
  });
});

describe("SFTP key hidden by the unit's sandbox: warned at generation time", () => {
  const warnings = (keyPath: string) => generate(shop("/usr/local/bin", keyPath)).warnings.map((w) => `${w.path.join(".")}: ${w.message}`);

  it("a key under /home (ProtectHome=) or /tmp (PrivateTmp=) is warned about, per environment", () => {
    expect(warnings("/home/deploy/.ssh/id_ed25519")).toContain(
      "environments.production.targets.systemd: the SFTP key /home/deploy/.ssh/id_ed25519 is hidden from production's Litestream unit (ProtectHome=), so replication would fail: copy it to /etc/litestream/ (owned by the service user, mode 0600) and set keyPath there (docs/systemd.md)",
    );
    expect(warnings("/tmp/key").filter((w) => w.includes("(PrivateTmp=)"))).toHaveLength(2);
  });

  it("a key in /etc/litestream, or in a home directory the unit binds (a database lives there), is not", () => {
    expect(warnings(KEY).filter((w) => w.includes("SFTP key"))).toEqual([]);
    const bound = { ...shop("/usr/local/bin", "/root/shop/keys/id"), databases: [{ name: "main", path: "/root/shop/keys/main.db" }] };
    delete (bound.environments!.staging as { databases?: unknown }).databases;
    delete bound.environments!.staging;
    expect(
      generate(bound)
        .warnings.map((w) => w.message)
        .filter((m) => m.includes("SFTP key")),
    ).toEqual([]);
  });
});
