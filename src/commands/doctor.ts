/**
 * `litestream-deploy doctor [--config FILE] [--env NAME] [--local]` (docs/operations.md, "doctor").
 * Prints what to check on the live system; with --local runs the read-only checks it can here:
 * the config parses with the installed binary, the replica answers, the newest backup's age.
 * Exit codes: 0 every check passed (or only the checklist was printed), 1 a check failed, 2 usage.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ProjectError } from "../errors.js";
import { generate, parseProject } from "../generate.js";
import { ConfigNotFoundError, DescriptionLoadError, findConfig, loadConfig } from "../load-config.js";
import { litestreamCommands } from "../operations/runbook.js";
import { JSON_SCHEMA_VERSION } from "./context.js";
import { runnerFor } from "../operations/runner.js";
import { DEFAULTS, operationsSettings } from "../operations/settings.js";
import { existingFileReader } from "../writer.js";
import type { ProjectConfig } from "../schema/project.js";

export interface DoctorIO {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
}

const USAGE = "Usage: litestream-deploy doctor [--config FILE] [--env NAME] [--local] [--json]";

/** One environment's part of `doctor --json` (docs/cli.md, "doctor"). */
interface DoctorEnvironment {
  name: string;
  release: string;
  target: string;
  runbook: string;
  checklist: string[];
  checks: Array<{ ok: boolean; what: string }>;
}

export async function runDoctor(argv: string[], io: DoctorIO): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args: argv,
      options: {
        config: { type: "string", short: "c" },
        env: { type: "string", short: "e" },
        local: { type: "boolean" },
        json: { type: "boolean" },
      },
    }).values;
  } catch (error) {
    io.err(`litestream-deploy doctor: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  let project: ProjectConfig;
  let result;
  let outDir: string;
  try {
    const configFile = findConfig(io.cwd, values.config);
    outDir = path.dirname(configFile);
    const description = await loadConfig(configFile);
    project = parseProject(description);
    result = generate(description, { ...(values.env ? { environment: values.env } : {}), existing: existingFileReader(outDir) });
  } catch (error) {
    if (error instanceof ProjectError || error instanceof ConfigNotFoundError || error instanceof DescriptionLoadError) {
      if (values.json) {
        const problems =
          error instanceof ProjectError ? error.issues.map((i) => ({ ...i, path: i.path.join(".") })) : [{ message: error.message }];
        io.out(JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, command: "doctor", ok: false, problems }, null, 2));
      } else io.err(error.message);
      return 2;
    }
    throw error;
  }
  const { plan } = result;
  const envs = plan.environments.filter((e) => !values.env || e.name === values.env);
  const report: DoctorEnvironment[] = [];
  for (const env of envs) {
    const runner = runnerFor(plan, env, existingFileReader(outDir));
    const settings = operationsSettings(project, plan, env);
    const checklist = [
      ...runner.status,
      ...env.databases.flatMap((db) => litestreamCommands(plan, runner, db).list.map((args) => runner.litestream(args))),
      ...(env.monitoring
        ? [
            `curl -s http://${env.monitoring.addr.startsWith(":") ? `localhost${env.monitoring.addr}` : env.monitoring.addr}/metrics | grep '^litestream_'   # on the host where Litestream runs`,
          ]
        : []),
      settings.verification
        ? `the restore drill: ${settings.dir} (see the runbook's "Rehearse")`
        : "no restore drill: set `verification` in the description (docs/operations.md)",
    ];
    const entry: DoctorEnvironment = {
      name: env.name,
      release: plan.litestream.release,
      target: runner.target,
      runbook: settings.runbookPath,
      checklist,
      checks: [],
    };
    report.push(entry);
    if (!values.json) {
      io.out(`== ${plan.name} / ${env.name}: Litestream ${entry.release}, ${entry.target} (runbook: ${entry.runbook})`);
      io.out("Check on the live system:");
      for (const line of checklist) io.out(`  ${line}`);
    }
    if (!values.local) continue;

    const config = result.files.find((f) => f.kind === "litestream-config" && f.environment === env.name)!;
    const record = (ok: boolean, what: string) => {
      entry.checks.push({ ok, what });
      if (!values.json) io.out(`  ${ok ? "ok  " : "FAIL"} ${what}`);
    };
    await localChecks(
      plan.litestream.version,
      config.content,
      env.databases.map((d) => (d.path.kind === "literal" ? d.path.value : (process.env[d.path.name] ?? ""))),
      settings.verification?.maxAgeSeconds ?? DEFAULTS.maxAgeSeconds,
      record,
    );
  }
  const failed = report.reduce((n, e) => n + e.checks.filter((c) => !c.ok).length, 0);
  if (values.json)
    io.out(
      JSON.stringify(
        {
          schemaVersion: JSON_SCHEMA_VERSION,
          command: "doctor",
          ok: failed === 0,
          local: Boolean(values.local),
          environments: report,
          problems: [],
        },
        null,
        2,
      ),
    );
  else if (values.local) io.out(failed ? `doctor: ${failed} check(s) failed` : "doctor: every local check passed");
  return failed ? 1 : 0;
}

function litestream(args: string[]): Promise<{ code: number; output: string }> {
  const binary = process.env.LITESTREAM_BIN ?? "litestream";
  return new Promise((resolve) => {
    execFile(binary, args, { encoding: "utf8", timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 127) : 0, output: (stdout + stderr).trim() });
    });
  });
}

/** The newest UTC timestamp in a listing (`ltx` on 0.5, `generations` on 0.3: last column). */
const newestIn = (listing: string) =>
  listing
    .match(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/g)
    ?.sort()
    .at(-1);

async function localChecks(
  line: "0.3" | "0.5",
  configText: string,
  databases: string[],
  maxAgeSeconds: number,
  report: (ok: boolean, what: string) => void,
): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "litestream-doctor-"));
  const config = path.join(dir, "litestream.yml");
  writeFileSync(config, configText);
  try {
    const version = await litestream(["version"]);
    if (version.code !== 0) {
      report(false, `litestream is not runnable here (${version.output || "not found"}): install it or set LITESTREAM_BIN`);
      return;
    }
    const parsed = await litestream(["databases", "-config", config]);
    report(parsed.code === 0, `the generated config parses with litestream ${version.output}${parsed.code ? `: ${parsed.output}` : ""}`);
    if (parsed.code !== 0) return;
    for (const db of databases) {
      const listing = await litestream(
        line === "0.5" ? ["ltx", "-config", config, "-level", "all", db] : ["generations", "-config", config, db],
      );
      if (listing.code !== 0) {
        report(false, `${db}: the replica does not answer: ${listing.output.split("\n").at(-1)}`);
        continue;
      }
      const newest = newestIn(listing.output);
      if (!newest) {
        report(false, `${db}: the replica answers but holds no backup`);
        continue;
      }
      const age = Math.round((Date.now() - Date.parse(newest)) / 1000);
      report(age <= maxAgeSeconds, `${db}: newest backup ${newest} (${age}s old, bound ${maxAgeSeconds}s)`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
