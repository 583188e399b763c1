// Seed 006: adopting a running deployment. A Rails image that many people run already backs up with a
// hand-written litestream.yml to `production.sqlite3` at the root of a bucket that each of them
// configures at run time (LITESTREAM_BUCKET, LITESTREAM_ENDPOINT). The generated files keep that exact
// path, so the first restore on a new host finds the existing backup, and run the migrations after it.
// Users who run the image without a bucket: `ENV LITESTREAM_ENABLED=auto` in the image (or -e at run
// time) starts the app alone when none of the variables is set (docs/entrypoint.md).
import { defineProject } from "../../src/index.js";

export default defineProject({
  name: "bookshelf",
  litestream: { version: "0.3" },
  storage: {
    provider: "s3",
    // Known only where the image runs: written as ${NAME} for Litestream, checked at start-up.
    bucket: { env: "LITESTREAM_BUCKET" },
    endpoint: { env: "LITESTREAM_ENDPOINT" },
    region: "auto",
    credentials: {
      accessKeyId: { env: "LITESTREAM_ACCESS_KEY_ID" },
      secretAccessKey: { env: "LITESTREAM_SECRET_ACCESS_KEY" },
    },
  },
  replication: { syncInterval: "10s", snapshotInterval: "24h", retention: "7d" },
  databases: [
    // The paths the hand-written config used, kept exactly (not <prefix>/<name>).
    { name: "primary", path: "/rails/storage/production.sqlite3", replicaPath: "production.sqlite3" },
    { name: "queue", path: "/rails/storage/production_queue.sqlite3", replicaPath: "production_queue.sqlite3" },
  ],
  targets: {
    entrypoint: {
      appCommand: ["./bin/thrust", "./bin/rails", "server"],
      // The migrations run after the restore, before the app: they migrate the restored database.
      beforeApp: [["./bin/rails", "db:prepare"]],
    },
  },
});
