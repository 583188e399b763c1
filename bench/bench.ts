// `npm run bench`: generation cost (time, memory) as the number of databases grows, with every target
// on; the in-place edits of shared files on their own; and the CLI's cold `--check` next to the floor
// of any Node program that loads `yaml`. Printed, never asserted (tests do not depend on timings).
// It measures the built package (dist/, built first), the code `import "litestream-deploy"` runs:
// the sources run through tsx carry its transform's extras (a `__name` call for every closure made).
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import type { ProjectInput } from "../src/index.js";
import rails from "../examples/000-rails-kamal-hetzner/litestream.config.js";

// `--case <name>`: one generation case, measured in a process of its own (see `measured` below).
const caseArg = process.argv.indexOf("--case");
const onlyCase = caseArg === -1 ? undefined : process.argv[caseArg + 1];
if (!onlyCase) execFileSync("npm", ["run", "build"], { stdio: "ignore" });
// A computed specifier: dist/ does not exist when the sources are type-checked.
const builtPackage = new URL("../dist/index.js", import.meta.url).href;
const { generate, writeArtifacts } = (await import(builtPackage)) as typeof import("../src/index.js");

function synthetic(count: number, targets: "all" | "none" = "all"): ProjectInput {
  return {
    name: "many",
    litestream: { version: "0.3", verify: false },
    storage: {
      provider: "hetzner",
      location: "nbg1",
      bucket: "many-backups",
      prefix: "tenants",
      credentials: { accessKeyId: { env: "KEY_ID" }, secretAccessKey: { env: "SECRET" } },
    },
    preset: "active",
    databases: Array.from({ length: count }, (_, i) => ({
      name: `tenant-${String(i).padStart(5, "0")}`,
      path: `/data/tenants/${i}.sqlite3`,
      role: (["primary", "queue", "cache", "cable"] as const)[i % 4],
    })),
    ...(targets === "all"
      ? {
          targets: {
            kamal: { version: "2.12", volume: "many_data:/data", host: "203.0.113.10", appUser: "1000:1000" },
            compose: { appService: "app", volume: "many_data:/data" },
            entrypoint: { appCommand: ["/app/server"] },
            systemd: { appUnit: "many.service" },
          },
        }
      : {}),
  } as ProjectInput;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

type Timing = { median: number; p95: number; cpu: number; bytes: number };

/** Wall time, and CPU time (this process's user + system), which a loaded machine inflates less. */
function time(run: () => unknown, runs: number): Timing {
  // As many unmeasured runs first as measured ones: V8 optimizes a function only after many calls, and
  // one warm-up left most of the Rails example's 500 runs in its slower tiers (median 1.08 → 0.86 ms).
  for (let i = 0; i < runs; i++) run();
  const times: number[] = [];
  const cpus: number[] = [];
  let result: { files?: Array<{ content: string }> } | undefined;
  for (let i = 0; i < runs; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    result = run() as { files?: Array<{ content: string }> };
    times.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  // Counted once, after the runs: encoding every file between runs left garbage for the next one.
  const bytes = result?.files?.reduce((n, f) => n + Buffer.byteLength(f.content), 0) ?? 0;
  times.sort((a, b) => a - b);
  return { median: median(times), p95: times[Math.floor(runs * 0.95)]!, cpu: median(cpus), bytes };
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(1))
    .join(" ");
if (!onlyCase) console.log(`load average at start: ${load()} (1, 5, 15 min) on ${availableParallelism()} cores`);
const rows: Array<Record<string, string | number>> = [];
const row = (name: string, runs: number, t: ReturnType<typeof time>) =>
  rows.push({
    case: name,
    runs,
    "median ms": t.median.toFixed(2),
    "p95 ms": t.p95.toFixed(2),
    "cpu ms": t.cpu.toFixed(2),
    "output KiB": (t.bytes / 1024).toFixed(0),
  });

// The generation cases, each in a fresh process: the garbage and the optimized code of one case
// do not carry over into the next (a 10,000-database run after 1,000-database ones, or after its own
// warm-ups in a heap that grew for them, measured the heap as much as the code).
const CASES: Array<{ name: string; label: string; runs: number; description: () => unknown }> = [
  { name: "rails", label: "rails example (seed 000: 4 dbs, 2 environments, Kamal)", runs: 500, description: () => rails },
  { name: "100", label: "100 dbs, every target", runs: 50, description: () => synthetic(100) },
  { name: "1000", label: "1,000 dbs, every target", runs: 10, description: () => synthetic(1_000) },
  { name: "10000", label: "10,000 dbs, every target", runs: 5, description: () => synthetic(10_000) },
];
if (onlyCase) {
  const { runs, description } = CASES.find((c) => c.name === onlyCase)!;
  const input = description();
  const timing = time(() => generate(input), runs);
  process.stdout.write(JSON.stringify({ ...timing, maxRssKiB: process.resourceUsage().maxRSS }));
  process.exit(0);
}
let peakRssKiB = 0;
function measured(name: string): Timing {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "--case", name], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`bench case ${name} exited ${child.status}: ${child.stderr}`);
  const result = JSON.parse(child.stdout) as Timing & { maxRssKiB: number };
  peakRssKiB = Math.max(peakRssKiB, result.maxRssKiB);
  return result;
}
const perCount = new Map<string, number>();
for (const { name, label, runs } of CASES) {
  const t = measured(name);
  perCount.set(name, t.median);
  row(label, runs, t);
}

// In-place edits: the same 1,000-database project merged into existing shared files.
const deployYml = [
  "service: many",
  "image: acme/many",
  "servers:",
  "  web:",
  "    - 203.0.113.10",
  "# the user's own comment",
  "accessories:",
  "  redis:",
  "    image: redis:7",
  "",
].join("\n");
const composeYml = [
  "services:",
  "  app:",
  "    image: acme/many",
  "    volumes:",
  "      - many_data:/data",
  "volumes:",
  "  many_data: {}",
  "",
].join("\n");
const existing = (path: string) => (path === "config/deploy.yml" ? deployYml : path === "compose.yaml" ? composeYml : undefined);
const inPlace = synthetic(1_000);
const merged = time(() => generate(inPlace, { existing }), 10);
row("1,000 dbs, every target, merged into deploy.yml + compose.yaml", 10, merged);
const fresh = time(() => generate(inPlace), 10);
const editCost = (a: number, b: number) => Math.max(0, a - b).toFixed(2);
rows.push({
  case: "  of which the in-place edits (merged − fresh, same run)",
  runs: 10,
  "median ms": editCost(merged.median, fresh.median),
  "cpu ms": editCost(merged.cpu, fresh.cpu),
});

// Writing: a fresh run, then an unchanged re-run (byte comparison only: no diffs unless asked).
const root = mkdtempSync(join(tmpdir(), "ld-bench-"));
const written = generate(synthetic(1_000)).files;
row(
  "write 1,000-db output to an empty root",
  1,
  time(() => writeArtifacts(written, mkdtempSync(join(root, "w-"))), 1),
);
const again = mkdtempSync(join(root, "again-"));
writeArtifacts(written, again);
row(
  "re-run on an up-to-date root (nothing written)",
  5,
  time(() => writeArtifacts(written, again), 5),
);

console.table(rows);
const ratio = perCount.get("10000")! / perCount.get("1000")!;
console.log(`10,000 / 1,000 databases: ${ratio.toFixed(1)}× the time for 10× the databases (linear would be 10×)`);
const peakRss = Math.max(peakRssKiB, process.resourceUsage().maxRSS);
console.log(`peak RSS ${(peakRss / 1024).toFixed(0)} MiB (the largest process: the 10,000-database case) · node ${process.version}`);

// The CLI, cold: `generate --check` on a JSON description, against `node -e "import('yaml')"`, the
// two run in turn (so that both see the same load), from the dist/ built above.
const project = join(root, "cli");
mkdirSync(project);
writeFileSync(join(project, "litestream.config.json"), JSON.stringify(rails));
spawnSync("node", ["dist/cli.js", "generate", "--config", join(project, "litestream.config.json")], { encoding: "utf8" });
const once = (args: string[]) => {
  const start = performance.now();
  const result = spawnSync("node", args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`node ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return performance.now() - start;
};
const floors: number[] = [];
const checks: number[] = [];
for (let i = 0; i < 21; i++) {
  floors.push(once(["-e", "import('yaml')"]));
  checks.push(once(["dist/cli.js", "generate", "--check", "--config", join(project, "litestream.config.json")]));
}
const floor = median(floors);
const check = median(checks);
console.table([
  { process: `node -e "import('yaml')"`, "median ms": floor.toFixed(0) },
  {
    process: "litestream-deploy generate --check (JSON, rails example)",
    "median ms": check.toFixed(0),
    "× floor": (check / floor).toFixed(2),
  },
]);
console.log(`load average at the end: ${load()}`);
