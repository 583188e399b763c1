// Directory databases (docs/versions.md): `directory` on a database makes its path a directory of
// tenant databases (0.5.3+ dir + pattern + recursive, watch 0.5.4+, meta-dir 0.5.13+). Gates on
// either side of each release; what the generator refuses and why; and the real 0.5.17 replicating
// two tenants created before start and one created after (watch), each restored from its replica.
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate, type ProjectInput } from "../src/index.js";
import { globMatches } from "../src/plan/directories.js";
import { parseDatabasesOutput, runLitestream, startReplicate, stopAll, type RunOptions } from "./harness/litestream.js";
import { createWalDb, expectedRows, insertRows, readRows } from "./harness/sqlite.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";
import { releaseBinary } from "./harness/tools.js";
import { issuesOf } from "./support/issues.js";

afterEach(async () => {
  await stopAll();
  await cleanupTempDirs();
});

type Yml = Record<string, unknown>;
type Directory = { pattern: string; recursive?: boolean; watch?: boolean; metaDir?: string };

function tenants(release: string, directory: Directory, extra: Partial<ProjectInput> = {}, dir = "/data"): ProjectInput {
  return {
    name: "saas",
    litestream: { version: release.startsWith("0.3.") ? "0.3" : "0.5", release },
    storage: { provider: "file", path: `${dir}/backups` },
    databases: [{ name: "tenants", path: `${dir}/tenants`, directory }],
    restoreOnBoot: false,
    ...extra,
  } as ProjectInput;
}
const configText = (d: ProjectInput) => generate(d).files.find((f) => f.kind === "litestream-config")!.content;
const entry = (d: ProjectInput) => (parse(configText(d), { version: "1.1" }).dbs as Yml[])[0]!;
const messages = (d: ProjectInput) => issuesOf(d).map((i) => `${i.code}: ${i.message}`);

describe("directory gates", () => {
  it("dir + pattern + recursive (0.5.3): 0.5.2 refuses naming 0.5.3, 0.5.3 writes them", () => {
    expect(messages(tenants("0.5.2", { pattern: "*.db", recursive: true }))).toEqual([
      "version.feature: dir needs Litestream 0.5.3 or later, 0.5.2 is pinned (older releases ignore the key silently)",
      "version.feature: recursive needs Litestream 0.5.3 or later, 0.5.2 is pinned (older releases ignore the key silently)",
    ]);
    expect(entry(tenants("0.5.3", { pattern: "*.db", recursive: true }))).toEqual({
      dir: "/data/tenants",
      pattern: "*.db",
      recursive: true,
      replica: { type: "file", path: "/data/backups/tenants" },
    });
  });

  it("watch (0.5.4): 0.5.3 refuses naming 0.5.4, 0.5.4 writes it", () => {
    expect(messages(tenants("0.5.3", { pattern: "*.db", watch: true }))).toEqual([
      "version.feature: watch needs Litestream 0.5.4 or later, 0.5.3 is pinned (older releases ignore the key silently)",
    ]);
    expect(entry(tenants("0.5.4", { pattern: "*.db", watch: true })).watch).toBe(true);
  });

  it("meta-dir (0.5.13): 0.5.12 refuses naming 0.5.13, 0.5.13 writes it", () => {
    expect(messages(tenants("0.5.12", { pattern: "*.db", metaDir: "/data/meta" }))).toEqual([
      "version.feature: meta-dir needs Litestream 0.5.13 or later, 0.5.12 is pinned (older releases ignore the key silently)",
    ]);
    expect(entry(tenants("0.5.13", { pattern: "*.db", metaDir: "/data/meta" }))["meta-dir"]).toBe("/data/meta");
  });

  it("0.3 refuses a directory naming 0.5 and the release", () => {
    expect(messages(tenants("0.3.14", { pattern: "*.db" }))).toEqual([
      "version.feature: dir is a Litestream 0.5 setting (0.5.3+); 0.3 ignores it silently",
    ]);
  });

  it("the directory entry writes dir and no path, and no restore-if-db-not-exists", () => {
    const text = configText(tenants("0.5.17", { pattern: "*.db" }));
    expect(text).toContain(
      '  - dir: /data/tenants # a directory of databases: each file replicates to <replica path>/<its path inside dir>\n    pattern: "*.db"\n',
    );
    expect(text).not.toMatch(/^\s+(- )?path: \/data\/tenants$/m);
    expect(text).not.toContain("restore-if-db-not-exists");
  });
});

describe("what a directory entry cannot have", () => {
  it("restoreOnBoot (the default) is refused with the fix", () => {
    const issues = issuesOf(tenants("0.5.17", { pattern: "*.db" }, { restoreOnBoot: undefined }));
    expect(issues.map((i) => [i.code, i.path.join(".")])).toEqual([["directory.restore", "databases.0.directory"]]);
    expect(issues[0]!.message).toContain(
      "Litestream restores a tenant only from its replica URL, and nothing lists which tenants a directory had",
    );
    expect(issues[0]!.fix).toMatch(/^set restoreOnBoot: false and restore a tenant by hand/);
  });

  it("systemd and the operations files are refused; entrypoint, compose and kamal generate", () => {
    const description = tenants("0.5.17", { pattern: "*.db" });
    expect(
      issuesOf({ ...description, litestream: { ...description.litestream, verify: false }, targets: { systemd: {} } }).map((i) => i.code),
    ).toEqual(["directory.target"]);
    expect(issuesOf({ ...description, verification: {} }).map((i) => i.code)).toEqual(["directory.operations"]);
    const targets = {
      entrypoint: { appCommand: ["/app/server"] },
      compose: { appService: "app", volume: "saas_data:/data" },
      kamal: { version: "2.10.1", host: "203.0.113.10", volume: "saas_data:/data" },
    };
    for (const [name, target] of Object.entries(targets))
      expect(issuesOf({ ...description, targets: { [name]: target } }), name).toEqual([]);
  });

  it("a database inside the directory (matching the pattern) is refused: it would be replicated twice", () => {
    const inside = (path: string, recursive = false) =>
      tenants(
        "0.5.17",
        { pattern: "*.db", recursive },
        {
          databases: [
            { name: "tenants", path: "/data/tenants", directory: { pattern: "*.db", recursive } },
            { name: "main", path },
          ],
        },
      );
    expect(issuesOf(inside("/data/tenants/main.db")).map((i) => [i.code, i.path.join(".")])).toEqual([
      ["directory.overlap", "databases.1.path"],
    ]);
    expect(issuesOf(inside("/data/tenants/main.sqlite"))).toEqual([]);
    expect(issuesOf(inside("/data/tenants/eu/main.db"))).toEqual([]);
    expect(issuesOf(inside("/data/tenants/eu/main.db", true)).map((i) => i.code)).toEqual(["directory.overlap"]);
    expect(issuesOf(inside("/data/main.db"))).toEqual([]);
  });

  it("a replica nested into the directory's replica path is refused", () => {
    const description = tenants(
      "0.5.17",
      { pattern: "*.db" },
      { environments: { production: {}, staging: { storage: { provider: "file", path: "/data/backups/tenants" } } } },
    );
    expect(issuesOf(description).map((i) => i.code)).toEqual(["replica.nested"]);
  });

  it("patterns match names as Go's filepath.Match does", () => {
    expect(["a.db", "b.sqlite", ".db", "a.db-wal"].filter((n) => globMatches("*.db", n))).toEqual(["a.db", ".db"]);
    expect(globMatches("tenant-?.db", "tenant-1.db")).toBe(true);
    expect(globMatches("[a-c]*.db", "b1.db")).toBe(true);
    expect(globMatches("[^a-c]*.db", "b1.db")).toBe(false);
    expect(globMatches("a+b.db", "a+b.db")).toBe(true);
    expect(globMatches("[a.db", "[a.db")).toBe(false);
  });
});

/** Restores `url` into a fresh file until it holds `rows` rows (bounded), returning that file. */
async function restoreWhenSynced(url: string, rows: number, scratch: string, opts: RunOptions): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (let attempt = 0; ; attempt++) {
    const out = join(scratch, `probe-${attempt}.db`);
    const r = await runLitestream(["restore", "-o", out, url], opts);
    if (r.code === 0 && (await readRows(out)).length === rows) return out;
    if (Date.now() > deadline) throw new Error(`${url} never held ${rows} rows; last restore exited ${r.code}: ${r.stdout}${r.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("Litestream 0.5.17 replicates a directory of tenants", () => {
  it("two tenants from before start and one created after (watch), each restored from its replica URL", async () => {
    const dir = makeTempDir("ld-dir");
    const tenantsDir = join(dir, "tenants");
    mkdirSync(join(tenantsDir, "eu"), { recursive: true });
    const before = { "acme.db": 5, "eu/globex.db": 8 } as const;
    for (const [file, rows] of Object.entries(before)) {
      await createWalDb(join(tenantsDir, file));
      await insertRows(join(tenantsDir, file), 1, rows);
    }
    writeFileSync(join(tenantsDir, "notes.txt"), "not a database\n");
    const description = tenants(
      "0.5.17",
      { pattern: "*.db", recursive: true, watch: true, metaDir: join(dir, "meta") },
      { replication: { syncInterval: "100ms" } },
      dir,
    );
    const config = join(dir, "litestream.yml");
    writeFileSync(config, configText(description));
    const opts: RunOptions = { binary: releaseBinary("0.5.17"), cwd: dir };

    // `databases` shows a directory entry as the working directory (its empty path made absolute), not
    // its tenants; with meta-dir it fails, while replicate reads meta-dir (docs/versions.md).
    const withoutMetaDir = join(dir, "without-meta-dir.yml");
    writeFileSync(withoutMetaDir, configText(tenants("0.5.17", { pattern: "*.db", recursive: true, watch: true }, {}, dir)));
    const listed = await runLitestream(["databases", "-config", withoutMetaDir], opts);
    expect(parseDatabasesOutput(listed.stdout)).toEqual([{ path: dir, replicas: ["file"] }]);
    const listedWithMetaDir = await runLitestream(["databases", "-config", config], opts);
    expect([listedWithMetaDir.code, listedWithMetaDir.stderr.trim()]).toEqual([1, "Error: 'meta-dir' can only be used with a directory"]);

    const replicate = startReplicate(config, opts);
    await replicate.waitForLog(/found databases in directory.* count=2 watch=true/);
    await createWalDb(join(tenantsDir, "initech.db"));
    await insertRows(join(tenantsDir, "initech.db"), 1, 3);
    await replicate.waitForLog(/added database to replication.*initech\.db/);
    await insertRows(join(tenantsDir, "acme.db"), 6, 9);
    const expected = { "acme.db": 9, "eu/globex.db": 8, "initech.db": 3 };
    // The replica path rule: <replica path>/<the file's path inside the directory>.
    const urlOf = (file: string) => `file://${dir}/backups/tenants/${file}`;
    for (const [file, rows] of Object.entries(expected)) await restoreWhenSynced(urlOf(file), rows, dir, opts);
    expect((await replicate.stop()).code).toBe(0);
    expect(existsSync(join(dir, "meta", "acme.db-litestream"))).toBe(true);

    // restore -config knows no tenant: the reason restoreOnBoot is refused for directories.
    const byConfig = await runLitestream(["restore", "-config", config, "-o", join(dir, "x.db"), join(tenantsDir, "acme.db")], opts);
    expect(byConfig.code).toBe(1);
    expect(byConfig.stderr).toContain(`database not found in config: ${join(tenantsDir, "acme.db")}`);

    for (const [file, rows] of Object.entries(expected)) {
      const restored = join(dir, `restored-${file.replace("/", "-")}`);
      const result = await runLitestream(["restore", "-o", restored, urlOf(file)], opts);
      expect(result.code, result.stderr).toBe(0);
      expect(await readRows(restored), file).toEqual(expectedRows(1, rows));
    }
    // By hand, in place (docs/versions.md): a lost tenant comes back; a present one is left alone.
    const lost = join(tenantsDir, "eu", "globex.db");
    for (const suffix of ["", "-wal", "-shm"]) rmSync(lost + suffix, { force: true });
    const inPlace = ["restore", "-if-db-not-exists", "-if-replica-exists", "-o", lost, urlOf("eu/globex.db")];
    expect((await runLitestream(inPlace, opts)).code).toBe(0);
    expect(await readRows(lost)).toEqual(expectedRows(1, 8));
    const again = await runLitestream(inPlace, opts);
    expect([again.code, again.stdout + again.stderr]).toEqual([0, expect.stringContaining("database already exists, skipping")]);
  });
});

describe.each(["0.5.8", "0.5.12"] as const)("Litestream %s loads the generated directory entry", (release) => {
  it("finds the tenants and replicates each to <replica path>/<file>", async () => {
    const dir = makeTempDir("ld-dir-old");
    const tenantsDir = join(dir, "tenants");
    mkdirSync(tenantsDir);
    for (const file of ["a.db", "b.db"]) {
      await createWalDb(join(tenantsDir, file));
      await insertRows(join(tenantsDir, file), 1, 2);
    }
    const config = join(dir, "litestream.yml");
    writeFileSync(config, configText(tenants(release, { pattern: "*.db", watch: true }, {}, dir)));
    const replicate = startReplicate(config, { binary: releaseBinary(release) });
    await replicate.waitForLog(/found databases in directory.* count=2 watch=true/);
    await replicate.waitForLog(new RegExp(`replicating to.*path=${join(dir, "backups", "tenants", "b.db").replace(/\./g, "\\.")}`));
    expect((await replicate.stop()).code).toBe(0);
  });
});
