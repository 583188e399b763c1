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
  environments: {
    // config/deploy.yml and .kamal/secrets.
    production: {
      configFile: "config/litestream.yml",
      targets: { kamal: { host: "203.0.113.10", destination: false } },
    },
    // `kamal … -d staging`: config/deploy.staging.yml and .kamal/secrets.staging.
    staging: {
      storage: {
        provider: "hetzner",
        location: "nbg1",
        bucket: "myapp-staging-backups",
        prefix: "sqlite",
        credentials: {
          accessKeyId: { env: "STAGING_S3_ACCESS_KEY_ID" },
          secretAccessKey: { env: "STAGING_S3_SECRET_ACCESS_KEY" },
        },
      },
      targets: { kamal: { host: "203.0.113.20" } },
    },
  },
  targets: {
    kamal: {
      version: "2.10.1",
      // The app's own volume, read-write: Litestream writes next to each database.
      volume: "myapp_storage:/rails/storage",
      // Rails 8 images run as 1000:1000; restored databases are handed to that user.
      appUser: "1000:1000",
      secrets: { via: "op-read" },
    },
  },
});
