import { parseProject } from "../../src/generate.js";
import { planProject } from "../../src/plan.js";
import { renderLitestreamConfig } from "../../src/artifacts/litestream-config.js";
import { TARGETS } from "../../src/targets/registry.js";
for (const count of [1000, 3000, 10000]) {
  const d = {
    name: "many", litestream: { version: "0.3" },
    storage: { provider: "hetzner", location: "nbg1", bucket: "many-backups", prefix: "tenants", credentials: { accessKeyId: { env: "KEY_ID" }, secretAccessKey: { env: "SECRET" } } },
    preset: "active",
    databases: Array.from({ length: count }, (_, i) => ({ name: `tenant-${String(i).padStart(5, "0")}`, path: `/data/tenants/${i}.sqlite3`, role: (["primary", "queue", "cache", "cable"] as const)[i % 4] })),
    targets: { kamal: { version: "2.12", volume: "many_data:/data", host: "203.0.113.10", appUser: "1000:1000" }, compose: { appService: "app", volume: "many_data:/data" }, entrypoint: { appCommand: ["/app/server"] }, systemd: { appUnit: "many.service" } },
  };
  let t = performance.now(); const p = parseProject(d); const tParse = performance.now() - t;
  t = performance.now(); const plan = planProject(p); const tPlan = performance.now() - t;
  const env = plan.environments[0]!;
  t = performance.now(); const content = renderLitestreamConfig(plan, env); const tCfg = performance.now() - t;
  const out: Record<string, string> = {};
  for (const target of Object.values(TARGETS) as any[]) {
    const ctx = { plan, env, config: { path: "x", content, kind: "litestream-config", ownership: "generated" }, existing: () => undefined, issues: { items: [], add() {} }, warnings: [] } as any;
    t = performance.now(); const s = target.resolve(ctx); target.render(ctx, s); out[target.key] = (performance.now() - t).toFixed(0);
  }
  console.log(count, { parse: tParse.toFixed(0), plan: tPlan.toFixed(0), config: tCfg.toFixed(0), ...out });
}
