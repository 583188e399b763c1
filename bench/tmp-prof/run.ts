import { generate } from "../../src/index.js";
const count = Number(process.argv[2] ?? 3000);
const d = {
    name: "many", litestream: { version: "0.3" },
    storage: { provider: "hetzner", location: "nbg1", bucket: "many-backups", prefix: "tenants", credentials: { accessKeyId: { env: "KEY_ID" }, secretAccessKey: { env: "SECRET" } } },
    preset: "active",
    databases: Array.from({ length: count }, (_, i) => ({ name: `tenant-${String(i).padStart(5, "0")}`, path: `/data/tenants/${i}.sqlite3`, role: (["primary", "queue", "cache", "cable"] as const)[i % 4] })),
    targets: { kamal: { version: "2.12", volume: "many_data:/data", host: "203.0.113.10", appUser: "1000:1000" }, compose: { appService: "app", volume: "many_data:/data" }, entrypoint: { appCommand: ["/app/server"] }, systemd: { appUnit: "many.service" } },
};
generate(d as any);
const t = performance.now(); generate(d as any); console.log(count, (performance.now() - t).toFixed(0), "ms");
