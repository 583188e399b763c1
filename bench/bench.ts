// `npm run bench`: generation time and memory for the Rails example and a synthetic 1,000-database
// project (1,000 and 10,000 databases). Printed, never asserted (tests do not depend on timings).
import { performance } from "node:perf_hooks";
import { generate, type ProjectInput } from "../src/index.js";
import rails from "../examples/000-rails-kamal-hetzner/litestream.config.js";

function synthetic(count: number): ProjectInput {
  return {
    name: "many",
    litestream: { version: "0.3" },
    storage: {
      provider: "hetzner",
      location: "nbg1",
      bucket: "many-backups",
      prefix: "tenants",
      credentials: { accessKeyId: { env: "KEY_ID" }, secretAccessKey: { env: "SECRET" } },
    },
    preset: "active",
    databases: Array.from({ length: count }, (_, i) => ({
      name: `tenant-${String(i).padStart(4, "0")}`,
      path: `/data/tenants/${i}.sqlite3`,
      role: (["primary", "queue", "cache", "cable"] as const)[i % 4],
    })),
  };
}

interface Row {
  case: string;
  runs: number;
  "median ms": string;
  "p95 ms": string;
  "heap Δ MiB": string;
  "output KiB": string;
}

function measure(name: string, description: ProjectInput, runs: number): Row {
  generate(description); // warm-up
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const { files } = generate(description);
    times.push(performance.now() - start);
    bytes = files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
  }
  const heapAfter = process.memoryUsage().heapUsed;
  times.sort((a, b) => a - b);
  return {
    case: name,
    runs,
    "median ms": times[Math.floor(runs / 2)]!.toFixed(2),
    "p95 ms": times[Math.floor(runs * 0.95)]!.toFixed(2),
    "heap Δ MiB": ((heapAfter - heapBefore) / 1048576).toFixed(1),
    "output KiB": (bytes / 1024).toFixed(1),
  };
}

const rows = [
  measure("rails example (seed 000: 4 dbs, 2 environments, Kamal)", rails, 200),
  measure("synthetic 1,000 dbs", synthetic(1000), 10),
  measure("synthetic 10,000 dbs (replica-location check is O(n log n))", synthetic(10_000), 3),
];
console.table(rows);
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB · node ${process.version}${globalThis.gc ? "" : " · run with node --expose-gc for steadier heap figures"}`);
