// Seed 004: a Python app on a Hetzner server under systemd; production and development configs.
import { defineProject } from "../../src/index.js";

export default defineProject({
  name: "yral-ai-chat",
  litestream: { version: "0.3" },
  databases: [{ name: "db", path: "/root/yral-ai-chat/data/yral_chat.db" }],
  storage: {
    provider: "hetzner",
    location: "hel1",
    bucket: "postgres-1-backup",
    prefix: "yral-ai-chat",
    credentials: {
      accessKeyId: { env: "HETZNER_ACCESS_KEY_ID" },
      secretAccessKey: { env: "HETZNER_SECRET_ACCESS_KEY" },
    },
  },
  environments: {
    production: {
      configFile: "config/litestream.yml",
      replication: { syncInterval: "10s", snapshotInterval: "1h", retention: "168h" },
      // The server: Litestream as a hardened service (its own user, not root), started before the app's
      // yral-ai-chat.service; the seed's `chmod 644` on the database files becomes a shared group.
      targets: { systemd: { appUnit: "yral-ai-chat.service" } },
    },
    development: {
      configFile: "config/litestream-local.yml",
      baseDir: "/home/dev/yral-ai-chat",
      databases: { db: { path: "data/yral_chat.db" } },
      // Same bucket, its own prefix: sharing production's would put two writers on one replica path.
      prefix: "yral-ai-chat-dev",
      replication: { syncInterval: "30s", snapshotInterval: "6h", retention: "72h" },
    },
  },
});
