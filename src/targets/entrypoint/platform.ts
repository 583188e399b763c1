/**
 * Platforms that start more copies of a container on their own. Litestream allows one writer per
 * replica: a second copy replicating the same database to the same place corrupts the backup
 * without any error. The generated files say how to cap each platform at one (docs/entrypoint.md).
 */
export const PLATFORMS = ["fly", "cloud-run", "kubernetes"] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Comment lines (without "# ") naming how to keep `platform` at one running copy. */
export function oneWriterReminder(platform: Platform, graceSeconds: number): string[] {
  const head = "One writer: only one copy of this container may run at a time, or two Litestreams write one backup.";
  switch (platform) {
    case "fly":
      return [
        head,
        "Fly.io: the first `fly deploy` of an app creates two Machines for redundancy; run `fly scale count 1`",
        "(fly deploy keeps that count) or deploy with `fly deploy --ha=false`, and do not add Machines with",
        "the metrics autoscaler. Auto stop/start only stops and starts existing Machines, which is fine.",
      ];
    case "cloud-run":
      return [
        head,
        "Cloud Run: deploy with `gcloud run deploy --max-instances=1` (and no --min-instances above 1).",
        "Cloud Run may still exceed the maximum briefly (traffic spikes) and starts a new revision before",
        "the old one stops, so two copies can overlap: use it only if that is acceptable. It also allows",
        `10s after SIGTERM, not the ${graceSeconds}s above: keep the sync interval short.`,
      ];
    case "kubernetes":
      return [
        head,
        "Kubernetes: run it as a StatefulSet with replicas: 1 (at most one pod per ordinal), or a Deployment",
        "with replicas: 1 and strategy type Recreate (the default RollingUpdate starts the new pod before",
        "the old one stops); no HorizontalPodAutoscaler. Set terminationGracePeriodSeconds: " + `${graceSeconds}.`,
      ];
  }
}
