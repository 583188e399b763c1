// Every runbook command that can run locally (list, restore latest, by timestamp, by txid on 0.5),
// copied out of the generated RUNBOOK.md and run with sh against the real binary of each line.
import { execFile } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../src/index.js";
import { TIMESTAMP_PLACEHOLDER, TXID_PLACEHOLDER } from "../src/operations/runbook.js";
import { binaryFor, hermeticEnv, runLitestream, startReplicate, stopAll, waitForBackup } from "./harness/litestream.js";
import { createWalDb, expectedRows, insertRows, readRows } from "./harness/sqlite.js";
import { cleanupTempDirs } from "./harness/tmp.js";
import { commandsOf, fileOf, fileStorage, RELEASE, tempProject, writeProject, type Line } from "./operations-support.js";

afterAll(async () => {
  await stopAll();
  await cleanupTempDirs();
});

function sh(command: string, cwd: string, line: Line): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      "sh",
      ["-c", command],
      { cwd, env: hermeticEnv({ PATH: `${dirname(binaryFor(line))}:${process.env.PATH}` }), encoding: "utf8", timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, output: stdout + stderr });
      },
    );
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(["0.3", "0.5"] as const)("runbook commands, Litestream %s", (line: Line) => {
  it("list, restore latest, point-in-time by timestamp (and txid on 0.5) run as written", { timeout: 180_000 }, async () => {
    const dir = tempProject(`ops-runbook-${line}`);
    const db = join(dir, "data", "app.db");
    mkdirSync(dirname(db));
    await createWalDb(db);
    const project = {
      name: "ops",
      litestream: { version: line, release: RELEASE[line] },
      runbook: true,
      storage: (await fileStorage(dir)).storage,
      replication: { syncInterval: "1s" },
      databases: [{ name: "app", path: db }],
    };
    const files = writeProject(dir, project);
    const config = join(dir, fileOf(files, "litestream-config").path);
    const runbook = fileOf(files, "runbook").content;
    expect(runbook).toContain(`Litestream ${RELEASE[line]}`);

    const replicate = startReplicate(config, { line });
    await insertRows(db, 1, 10);
    await waitForBackup(config, db, dir, { line });
    // The moment between the two batches, on whole seconds as the runbook's RFC 3339 form.
    await sleep(1100);
    const between = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace(".000Z", "Z");
    let txid = "";
    if (line === "0.5") {
      const ltx = await runLitestream(["ltx", "-config", config, "-level", "all", db], { line });
      txid = ltx.stdout
        .trim()
        .split("\n")
        .slice(1)
        .map((l) => l.split(/\s+/)[2]!)
        .sort()
        .at(-1)!;
    }
    await sleep(1100);
    await insertRows(db, 11, 20);
    expect((await replicate.stop()).code).toBe(0);

    const list = commandsOf(runbook, "List backups");
    expect(list.length).toBeGreaterThan(0);
    for (const command of list) {
      const r = await sh(command, dir, line);
      expect(r.code, `${command}\n${r.output}`).toBe(0);
      expect(r.output).toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/);
    }

    const restored = `${db}.restored`;
    const restoreAndRead = async (command: string) => {
      rmSync(restored, { force: true });
      const r = await sh(command, dir, line);
      expect(r.code, `${command}\n${r.output}`).toBe(0);
      return readRows(restored);
    };
    const [latest] = commandsOf(runbook, "Restore latest");
    expect(latest).toMatch(line === "0.5" ? / -integrity-check full / : /^litestream restore /);
    expect(await restoreAndRead(latest!)).toEqual(expectedRows(1, 20));

    const pointInTime = commandsOf(runbook, "Point-in-time restore");
    expect(pointInTime).toHaveLength(line === "0.5" ? 2 : 1);
    expect(await restoreAndRead(pointInTime[0]!.replace(TIMESTAMP_PLACEHOLDER, between))).toEqual(expectedRows(1, 10));
    if (line === "0.5") expect(await restoreAndRead(pointInTime[1]!.replace(TXID_PLACEHOLDER, txid))).toEqual(expectedRows(1, 10));

    // The integrity check the runbook prescribes on 0.3 (no -integrity-check there).
    if (line === "0.3") {
      const [check] = commandsOf(runbook, "Restore latest").slice(1);
      expect((await sh(check!, dir, line)).output.trim()).toBe("ok");
    }
  });
});

describe("runbook spelling per target", () => {
  const base = {
    name: "ops",
    litestream: { version: "0.5" as const, release: "0.5.17", verify: false },
    runbook: true,
    storage: { provider: "file" as const, path: "/backups" },
    databases: [{ name: "app", path: "/data/app.db" }],
  };
  it("systemd: a database file whose name ends in litestream is swapped as itself, never the binary", () => {
    const project = {
      ...base,
      databases: [{ name: "app", path: "/data/app.litestream" }],
      targets: { systemd: { appUnit: "app.service" } },
    };
    const runbook = fileOf(generate(project).files, "runbook").content;
    const swap = runbook.split("\n").find((l) => l.includes("test -s"))!;
    expect(swap).toContain("mv app.litestream app.litestream.before-restore");
    expect(swap).not.toContain("/usr/bin/litestream");
  });
  it("Kamal: accessory exec --reuse; Compose: exec in the litestream service; systemd: the unit's user and environment", () => {
    const kamal = fileOf(
      generate({ ...base, targets: { kamal: { version: "2.12", volume: "app_data:/data", host: "app.example.com" } } }).files,
      "runbook",
    ).content;
    expect(kamal).toContain(
      `kamal accessory exec litestream --reuse 'litestream restore -config /etc/litestream.yml -integrity-check full -o /data/app.db.restored /data/app.db'`,
    );
    expect(kamal).toContain("kamal app stop\n");
    const systemd = fileOf(generate({ ...base, targets: { systemd: { appUnit: "app.service" } } }).files, "runbook").content;
    expect(systemd).toContain(
      "sudo systemd-run --quiet --pipe --wait --collect -p User=litestream -p EnvironmentFile=/etc/litestream/litestream.env /usr/bin/litestream restore -config /etc/litestream/litestream.yml",
    );
    expect(systemd.indexOf("sudo systemctl stop app.service")).toBeLessThan(systemd.indexOf("sudo systemctl start litestream.service"));
    const compose = fileOf(
      generate({ ...base, targets: { compose: { appService: "web", volume: "app_data:/data" } } }).files,
      "runbook",
    ).content;
    expect(compose).toContain(
      "docker compose -f compose.yaml -f compose.litestream.yaml exec litestream litestream restore -config /tmp/litestream.yml",
    );
  });
});
