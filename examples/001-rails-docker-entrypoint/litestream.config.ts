// Seed 001: Rails in a stateless Docker container; Litestream runs inside the app image.
import { defineProject } from "../../src/index.js";

export default defineProject({
  name: "rails-app",
  litestream: { version: "0.3" },
  storage: {
    provider: "aws",
    region: "us-east-1",
    bucket: "rails-app-litestream",
    prefix: "production",
    credentials: {
      accessKeyId: { env: "LITESTREAM_ACCESS_KEY_ID" },
      secretAccessKey: { env: "LITESTREAM_SECRET_ACCESS_KEY" },
    },
  },
  // The seed's settings: sync every 10s, a snapshot a day, 7 days of history.
  replication: { syncInterval: "10s", snapshotInterval: "24h", retention: "7d" },
  databases: [
    { name: "primary", path: "/rails/storage/production.sqlite3" },
    { name: "queue", path: "/rails/storage/production_queue.sqlite3" },
  ],
  targets: {
    // Litestream runs inside the app image: the entrypoint restores, then runs Rails under
    // `litestream replicate -exec` (the seed ran replication in the background, unsupervised).
    entrypoint: {
      // The Rails image's former ENTRYPOINT + CMD: bin/docker-entrypoint runs db:prepare, after the restore.
      appCommand: ["/rails/bin/docker-entrypoint", "./bin/thrust", "./bin/rails", "server"],
    },
  },
});
