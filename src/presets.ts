/**
 * Timing presets. Roles come from the Rails 8 setup (seed 000), use cases from the Compose setup
 * (seed 002). Each carries the one-line reason printed next to the values it sets.
 */
import type { ReplicationInput } from "./schema/common.js";

export interface Preset {
  replication: Required<Pick<ReplicationInput, "syncInterval" | "snapshotInterval" | "retention">>;
  reason: string;
}

export const ROLE_PRESETS: Record<string, Preset> = {
  primary: {
    replication: { syncInterval: "5s", snapshotInterval: "1h", retention: "720h" },
    reason: "the main database: 30 days of point-in-time recovery",
  },
  queue: {
    replication: { syncInterval: "5s", snapshotInterval: "1h", retention: "72h" },
    reason: "jobs must not be lost; 3 days is enough to debug them",
  },
  cache: {
    replication: { syncInterval: "10s", snapshotInterval: "6h", retention: "24h" },
    reason: "a cache can be rebuilt: 1 day is enough",
  },
  cable: {
    replication: { syncInterval: "10s", snapshotInterval: "6h", retention: "24h" },
    reason: "cable messages are ephemeral: 1 day is enough",
  },
};

export const USE_CASE_PRESETS: Record<string, Preset> = {
  personal: {
    replication: { syncInterval: "1h", snapshotInterval: "24h", retention: "168h" },
    reason: "rare changes: sync hourly, keep 7 days",
  },
  active: {
    replication: { syncInterval: "10s", snapshotInterval: "1h", retention: "72h" },
    reason: "frequent writes: sync every 10s, keep 3 days",
  },
  critical: {
    replication: { syncInterval: "1s", snapshotInterval: "6h", retention: "720h" },
    reason: "critical data: sync every second, keep 30 days",
  },
};

/** Litestream's own defaults, used only to check retention against snapshot interval. */
export const LITESTREAM_DEFAULTS_MS = {
  "0.3": { retention: 24 * 3_600_000 },
  "0.5": { retention: 24 * 3_600_000, snapshotInterval: 24 * 3_600_000 },
} as const;
