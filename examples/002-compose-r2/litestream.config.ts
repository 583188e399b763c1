// Seed 002: any app on Docker Compose / Portainer, backed up to Cloudflare R2 with Litestream 0.5.
import { defineProject } from "../../src/index.js";

export default defineProject({
  name: "meds",
  litestream: { version: "0.5" },
  storage: {
    provider: "r2",
    accountId: "0123456789abcdef0123456789abcdef",
    bucket: "meds-backups",
    prefix: "meds",
    // The user's own variable names; they are mapped to the names Litestream reads.
    credentials: {
      accessKeyId: { env: "R2_ACCESS_KEY_ID" },
      secretAccessKey: { env: "R2_SECRET_ACCESS_KEY" },
    },
  },
  preset: "active",
  databases: [{ name: "meds", path: "/app/data/meds.db" }],
  targets: {
    compose: {
      appService: "app",
      // The same named volume the app mounts; read-write (Litestream writes next to the database).
      volume: "meds_data:/app/data",
      // Portainer-safe: the config is written inside the container, nothing is bind-mounted.
      configDelivery: "heredoc",
    },
  },
});
