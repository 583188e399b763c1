// Seed 000: Rails 8 on Kamal 2 with four SQLite databases, Hetzner Object Storage, 1Password.
import { defineProject } from "../../src/index.js";

export default defineProject({
  name: "myapp",
  litestream: { version: "0.3" },
  storage: {
    provider: "hetzner",
    location: "fsn1",
    bucket: "myapp-backups",
    prefix: "sqlite",
    credentials: {
      accessKeyId: { op: "op://myproject/production-s3/access_key_id" },
      secretAccessKey: { op: "op://myproject/production-s3/secret_access_key" },
    },
  },
  databases: [
    { name: "primary", path: "/rails/storage/production.sqlite3", role: "primary" },
    { name: "cache", path: "/rails/storage/production_cache.sqlite3", role: "cache" },
    { name: "queue", path: "/rails/storage/production_queue.sqlite3", role: "queue" },
    { name: "cable", path: "/rails/storage/production_cable.sqlite3", role: "cable" },
  ],
  monitoring: { addr: ":9090" },
});
