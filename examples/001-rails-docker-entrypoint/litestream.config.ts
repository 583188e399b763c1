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
});
