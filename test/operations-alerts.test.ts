// Alert rules against the real programs: every metric name a rule uses is served by the real
// release (scraped from /metrics), promtool accepts every rule file, and the stall alert fires on the
// series scraped from a replica whose storage stopped answering (TCP proxy refuse()).
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { generate } from "../src/index.js";
import { binaryFor, startReplicate, stopAll } from "./harness/litestream.js";
import { closeAllProxies } from "./harness/proxy.js";
import { closeAllS3 } from "./harness/s3.js";
import { createWalDb, insertRows } from "./harness/sqlite.js";
import { cleanupTempDirs } from "./harness/tmp.js";
import { promtoolBinary } from "./harness/tools.js";
import {
  fileOf,
  freePort,
  metricNames,
  RELEASE,
  s3Storage,
  scrapeUntil,
  tempProject,
  valueOf,
  writeProject,
  type Line,
  type Sample,
} from "./operations-support.js";

afterAll(async () => {
  await stopAll();
  await closeAllProxies();
  await closeAllS3();
  await cleanupTempDirs();
});

function promtool(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(promtoolBinary(), args, { encoding: "utf8" }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: stdout + stderr });
    });
  });
}

interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
const rulesOf = (text: string): Rule[] => (parse(text) as { groups: Array<{ rules: Rule[] }> }).groups.flatMap((g) => g.rules);

/** Counters that exist only after their first error: the name must at least be compiled into the binary. */
const AFTER_FIRST_ERROR = ["litestream_checkpoint_error_count"];

const INSTANCE = "127.0.0.1:9090";
const seriesKey = (s: Sample, job: string) => {
  const labels = { ...s.labels, job, instance: INSTANCE };
  return `${s.name}{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(",")}}`;
};

/** promtool input_series: one series per scraped series, one value per scrape (1m apart), "_" when absent. */
function inputSeries(scrapes: Sample[][], job: string): Array<{ series: string; values: string }> {
  const keys = new Set(scrapes.flatMap((samples) => samples.map((s) => seriesKey(s, job))));
  const series = [...keys].sort().map((key) => ({
    series: key,
    values: scrapes.map((samples) => samples.find((s) => seriesKey(s, job) === key)?.value ?? "_").join(" "),
  }));
  series.push({ series: `up{instance="${INSTANCE}",job="${job}"}`, values: scrapes.map(() => "1").join(" ") });
  return series;
}

/** The annotations Prometheus renders for an alert with these labels. */
const expand = (text: string, labels: Record<string, string>) =>
  text.replace(/\{\{ \$labels\.([a-z_]+) \}\}/g, (_, name: string) => labels[name] ?? "");

describe.each(["0.3", "0.5"] as const)("alert rules for Litestream %s", (line: Line) => {
  it(
    "use only metric names the real binary serves, pass promtool, and the stall alert fires on the scrape of a replica that stopped uploading",
    { timeout: 240_000 },
    async () => {
      const dir = tempProject(`ops-alerts-${line}`);
      const storage = await s3Storage();
      const port = await freePort();
      const db = join(dir, "app.db");
      await createWalDb(db);
      await insertRows(db, 1, 10);
      const files = writeProject(dir, {
        name: "ops",
        litestream: { version: line, release: RELEASE[line] },
        storage: storage.storage,
        replication: { syncInterval: "1s" },
        databases: [{ name: "app", path: db }],
        monitoring: { addr: `127.0.0.1:${port}`, alerts: { stallWindow: "3m", for: "1m" } },
      });
      const rulesFile = join(dir, fileOf(files, "alert-rules").path);
      const rules = rulesOf(readFileSync(rulesFile, "utf8"));
      const job = `litestream-ops-production`;
      const checked = await promtool(["check", "rules", rulesFile]);
      expect(checked.output).toContain("SUCCESS");
      expect(checked.code).toBe(0);

      startReplicate(join(dir, fileOf(files, "litestream-config").path), { line, env: storage.env });
      // The measured stall signals (docs/operations.md): what rises with changes, and what rises with uploads.
      const changed = (s: Sample[]) => valueOf(s, line === "0.5" ? "litestream_txid" : "litestream_total_wal_bytes");
      const uploaded = (s: Sample[]) =>
        line === "0.5"
          ? valueOf(s, "litestream_replica_operation_total", { operation: "PUT" })
          : valueOf(s, "litestream_replica_wal_bytes");
      const scrapes: Sample[][] = [];
      // 0.5 serves litestream_l0_retention_files_total once retention enforcement first ran (~15 s in).
      const complete = (s: Sample[]) => line === "0.3" || s.some((x) => x.name === "litestream_l0_retention_files_total");
      let last = await scrapeUntil(port, (s) => uploaded(s) > 0 && complete(s), "the first upload");
      scrapes.push(last);
      for (let i = 0; i < 5; i++) {
        await insertRows(db, 100 + i * 10, 109 + i * 10);
        const before = last;
        last = await scrapeUntil(port, (s) => uploaded(s) > uploaded(before) && changed(s) > changed(before), "a change uploaded");
        scrapes.push(last);
      }
      const healthyEnd = scrapes.length - 1;
      storage.proxy!.refuse();
      for (let i = 0; i < 6; i++) {
        await insertRows(db, 200 + i * 10, 209 + i * 10);
        const before = last;
        last = await scrapeUntil(port, (s) => changed(s) > changed(before), "a change while storage refuses");
        scrapes.push(last);
      }
      // Nothing was uploaded after the first scrape of the outage.
      expect(uploaded(scrapes.at(-1)!)).toBe(uploaded(scrapes[healthyEnd + 1]!));

      const served = new Set(scrapes.flat().map((s) => s.name));
      const binary = readFileSync(binaryFor(line)).toString("latin1");
      for (const rule of rules) {
        for (const name of metricNames(rule.expr)) {
          if (AFTER_FIRST_ERROR.includes(name))
            expect(binary.includes(name), `${name} (${rule.alert}) is not in the ${line} binary`).toBe(true);
          else expect(served, `${rule.alert} uses ${name}, which Litestream ${RELEASE[line]} does not serve`).toContain(name);
        }
      }

      const stalled = rules.find((r) => r.alert === "LitestreamReplicationStalled")!;
      const stalledSeries = scrapes.at(-1)!.filter((s) => s.name === (line === "0.5" ? "litestream_txid" : "litestream_replica_wal_bytes"));
      expect(stalledSeries).toHaveLength(1);
      const alertLabels = { ...stalledSeries[0]!.labels, job, instance: INSTANCE, severity: "critical" };
      const end = scrapes.length - 1;
      const test = {
        rule_files: [rulesFile],
        evaluation_interval: "1m",
        tests: [
          {
            interval: "1m",
            input_series: inputSeries(scrapes, job),
            alert_rule_test: [
              { eval_time: `${healthyEnd}m`, alertname: "LitestreamReplicationStalled", exp_alerts: [] },
              { eval_time: `${healthyEnd}m`, alertname: "LitestreamMetricsDown", exp_alerts: [] },
              { eval_time: `${healthyEnd}m`, alertname: "LitestreamSyncErrors", exp_alerts: [] },
              {
                eval_time: `${end}m`,
                alertname: "LitestreamReplicationStalled",
                exp_alerts: [
                  {
                    exp_labels: alertLabels,
                    exp_annotations: Object.fromEntries(Object.entries(stalled.annotations).map(([k, v]) => [k, expand(v, alertLabels)])),
                  },
                ],
              },
            ],
          },
        ],
      };
      const testFile = join(dir, "stall.test.yml");
      writeFileSync(testFile, stringify(test, { lineWidth: 0 }));
      const result = await promtool(["test", "rules", testFile]);
      expect(result.output).toContain("SUCCESS");
      expect(result.code).toBe(0);
      storage.proxy!.release();
    },
  );
});

describe("alert rules by release", () => {
  const project = (release: string) =>
    generate({
      name: "ops",
      litestream: { version: release.startsWith("0.3") ? "0.3" : "0.5", release },
      storage: {
        provider: "minio",
        endpoint: "http://127.0.0.1:9000",
        bucket: "backups",
        credentials: { accessKeyId: { env: "K" }, secretAccessKey: { env: "S" } },
      },
      databases: [{ name: "app", path: "/data/app.db" }],
      monitoring: { addr: ":9090", alerts: {} },
    }).files;

  it.each(["0.3.13", "0.5.6", "0.5.7", "0.5.15", "0.5.17"])(
    "%s: promtool check rules accepts the file; rules follow the release",
    async (release) => {
      const dir = tempProject("ops-rules");
      const files = project(release);
      const rules = fileOf(files, "alert-rules");
      const path = join(dir, "rules.yml");
      writeFileSync(path, rules.content);
      const checked = await promtool(["check", "rules", path]);
      expect(checked.code, checked.output).toBe(0);
      const names = rulesOf(rules.content).map((r) => r.alert);
      expect(names.includes("LitestreamDiskFull")).toBe(release === "0.5.15" || release === "0.5.17");
      expect(names.includes("LitestreamL0NotCompacted")).toBe(release !== "0.3.13" && release !== "0.5.6");
      for (const rule of rulesOf(rules.content)) {
        expect(rule.for).toMatch(/^\d+[hms]/);
        expect(rule.annotations.runbook_url).toBe(`deploy/operations/RUNBOOK.md#alert-${rule.alert.toLowerCase()}`);
        expect(fileOf(files, "runbook").content).toContain(`## Alert: ${rule.alert}\n`);
      }
    },
  );

  it("0.5 with only a file replica has no stall rule, and says why", () => {
    const { files } = generate({
      name: "ops",
      litestream: { version: "0.5", release: "0.5.17" },
      storage: { provider: "file", path: "/backups" },
      databases: [{ name: "app", path: "/data/app.db" }],
      monitoring: { addr: ":9090", alerts: {} },
    });
    const rules = fileOf(files, "alert-rules").content;
    expect(rules).not.toContain("alert: LitestreamReplicationStalled");
    expect(rules).toContain("# Not included: LitestreamReplicationStalled: no database of production has an S3 replica");
  });

  it("refuses a heartbeat interval that is not longer than the longest sync interval, with its path", () => {
    expect(() =>
      generate({
        name: "ops",
        litestream: { version: "0.5", release: "0.5.17" },
        storage: { provider: "file", path: "/backups" },
        replication: { syncInterval: "10m" },
        databases: [{ name: "app", path: "/data/app.db" }],
        heartbeat: { url: { env: "HB" }, interval: "5m" },
      }),
    ).toThrow(/heartbeat\.interval: the heartbeat interval 5 minutes is not longer than the longest sync interval 10 minutes/);
  });
});
