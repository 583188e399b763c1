import { parseProject } from "../../src/generate.js";
import { planProject } from "../../src/plan.js";
import { renderLitestreamConfig } from "../../src/artifacts/litestream-config.js";
import { TARGETS } from "../../src/targets/registry.js";
const count = Number(process.argv[2] ?? 10000);
  const d = {
    name: "many", litestream: { version: "0.3" },
    storage: { provider: "hetzner", location: "nbg1", bucket: "many-backups", prefix: "tenants", credentials: { accessKeyId: { env: "KEY_ID" }, secretAccessKey: { env: "SECRET" } } },
    preset: "active",
    databases: Array.from({ length: count }, (_, i) => ({ name: `tenant-${String(i).padStart(5, "0")}`, path: `/data/tenants/${i}.sqlite3`, role: (["primary", "queue", "cache", "cable"] as const)[i % 4] })),
    targets: { kamal: { version: "2.12", volume: "many_data:/data", host: "203.0.113.10", appUser: "1000:1000" }, compose: { appService: "app", volume: "many_data:/data" }, entrypoint: { appCommand: ["/app/server"] }, systemd: { appUnit: "many.service" } },
  };
  const p = parseProject(d);
  const plan = planProject(p);
  const env = plan.environments[0]!;
  const content = renderLitestreamConfig(plan, env);
for (let round = 0; round < 3; round++) {
  const out: Record<string, string> = {};
  for (const target of Object.values(TARGETS) as any[]) {
    const ctx = { plan, env, config: { path: "x", content, kind: "litestream-config", ownership: "generated" }, existing: () => undefined, issues: { items: [], add() {} }, warnings: [] } as any;
    const t = performance.now(); const s = target.resolve(ctx); target.render(ctx, s); out[target.key] = (performance.now() - t).toFixed(0);
  }
  console.log(count, out);
}
