// Example 005: one Rails 8 app deployed with Kamal 2.12 to two destinations on different hosts.
// production is `kamal deploy` (config/deploy.yml, .kamal/secrets); staging is `kamal deploy -d staging`
// (config/deploy.staging.yml, .kamal/secrets.staging). The user's own files, as they are before
// litestream-deploy runs, are in ./project; test/kamal-destinations.test.ts generates over them.
import { defineProject } from "../../src/index.js";

export default defineProject({
  name: "shop",
  litestream: { version: "0.5" },
  storage: {
    provider: "hetzner",
    location: "fsn1",
    bucket: "shop-backups",
    prefix: "production",
    credentials: {
      // Rails 8: `bin/rails credentials:fetch litestream.access_key_id` on the machine that runs kamal.
      accessKeyId: { env: "LITESTREAM_ACCESS_KEY_ID" },
      secretAccessKey: { env: "LITESTREAM_SECRET_ACCESS_KEY" },
    },
  },
  databases: [
    { name: "primary", path: "/rails/storage/production.sqlite3" },
    { name: "queue", path: "/rails/storage/production_queue.sqlite3" },
  ],
  environments: {
    // The environment named production deploys with plain config/deploy.yml (no -d).
    production: {
      configFile: "config/litestream.yml",
      targets: {
        kamal: {
          host: "198.51.100.10",
          secrets: {
            sources: {
              LITESTREAM_ACCESS_KEY_ID: { railsCredentials: "litestream.access_key_id" },
              LITESTREAM_SECRET_ACCESS_KEY: { railsCredentials: "litestream.secret_access_key" },
            },
          },
        },
      },
    },
    // `kamal … -d staging`, on its own host, with its own bucket and Doppler for its keys.
    staging: {
      storage: {
        provider: "hetzner",
        location: "nbg1",
        bucket: "shop-staging-backups",
        prefix: "staging",
        credentials: {
          accessKeyId: { env: "STAGING_S3_ACCESS_KEY_ID" },
          secretAccessKey: { env: "STAGING_S3_SECRET_ACCESS_KEY" },
        },
      },
      targets: {
        kamal: {
          host: "198.51.100.20",
          secrets: {
            sources: {
              STAGING_S3_ACCESS_KEY_ID: { adapter: "doppler", from: "shop/stg", secret: "S3_ACCESS_KEY_ID" },
              STAGING_S3_SECRET_ACCESS_KEY: { adapter: "doppler", from: "shop/stg", secret: "S3_SECRET_ACCESS_KEY" },
            },
          },
        },
      },
    },
  },
  targets: {
    kamal: {
      version: "2.12.0",
      volume: "shop_storage:/rails/storage",
      appUser: "1000:1000",
    },
  },
});
