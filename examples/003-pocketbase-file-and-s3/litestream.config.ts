// Seed 003: PocketBase. Development replicates to local files; production to a local file and S3.
import { defineProject } from "../../src/index.js";

export default defineProject({
  name: "pocketbase",
  litestream: { version: "0.3" },
  databases: [{ name: "data", path: "/app/pb_data/data.db" }],
  environments: {
    development: {
      // The seed's relative paths (./pb_data/data.db), resolved explicitly.
      baseDir: "/srv/pocketbase",
      databases: { data: { path: "pb_data/data.db" } },
      replicas: [
        { provider: "file", name: "latest", path: "backups/latest" },
        // The seed wrote "7d" (no such Go unit) and "$(date ...)" in a path (never run); both fixed here.
        { provider: "file", name: "weekly", path: "backups/weekly", replication: { retention: "7d", snapshotInterval: "24h" } },
      ],
      replication: { syncInterval: "10s" },
    },
    production: {
      replicas: [
        { provider: "file", name: "local", path: "/app/pb_backups", replication: { retention: "24h" } },
        {
          provider: "aws",
          name: "s3",
          region: "us-east-1",
          bucket: "pocketbase-backups",
          prefix: "litestream",
          credentials: {
            accessKeyId: { env: "AWS_ACCESS_KEY_ID" },
            secretAccessKey: { env: "AWS_SECRET_ACCESS_KEY" },
          },
          replication: { retention: "30d", retentionCheckInterval: "1h", snapshotInterval: "24h" },
        },
      ],
      replication: { syncInterval: "1s" },
      // Fly.io: Litestream runs inside the PocketBase image. The seed restored with a bare
      // `litestream restore` then replicated in the background; the entrypoint restores only missing
      // databases and runs PocketBase under `litestream replicate -exec`.
      targets: {
        entrypoint: { appCommand: ["/app/pocketbase", "serve", "--http=0.0.0.0:8080", "--dir=/app/pb_data"] },
      },
    },
  },
});
