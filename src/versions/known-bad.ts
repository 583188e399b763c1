/**
 * Releases that break a setup the generator would otherwise write (docs/versions.md): each entry
 * says when it applies, why, and the release that fixed it.
 */
import { releaseWithin } from "./compare.js";

/** What about a description a known problem depends on. */
export interface ReleaseContext {
  /** An S3 replica with an endpoint other than AWS's (B2, R2, MinIO, Hetzner, …). */
  customS3Endpoint: boolean;
  /** The app declares it runs with `PRAGMA wal_autocheckpoint=0`. */
  walAutocheckpointOff: boolean;
}

export interface KnownBad {
  from: string;
  to: string;
  appliesTo: (context: ReleaseContext) => boolean;
  reason: string;
  fixedIn: string;
  /** "refuse": the files would not work; "warn": they work unless the condition named holds. */
  severity: "refuse" | "warn";
}

export const KNOWN_BAD: readonly KnownBad[] = [
  {
    from: "0.5.0",
    to: "0.5.0",
    appliesTo: () => true,
    // Restores on boot are refused on 0.5.0 anyway (restore-if-db-not-exists is 0.5.6+), and age on all of 0.5.
    reason:
      'Litestream 0.5.0 lacks restore -if-replica-exists (a restore by hand of an empty replica fails) and silently writes age-"encrypted" replicas in plaintext',
    fixedIn: "0.5.1",
    severity: "warn",
  },
  {
    from: "0.5.3",
    to: "0.5.5",
    appliesTo: (c) => c.customS3Endpoint,
    reason:
      "Litestream 0.5.3-0.5.5 fail uploads to custom S3 endpoints (B2, R2, MinIO, …) with chunked-encoding and payload-signing errors (litestream issues #889 #912 #918 #940 #941)",
    fixedIn: "0.5.6",
    severity: "refuse",
  },
  {
    from: "0.5.6",
    to: "0.5.7",
    appliesTo: (c) => c.walAutocheckpointOff,
    reason: "Litestream 0.5.6-0.5.7 can stop replicating when the app sets PRAGMA wal_autocheckpoint=0 (litestream issue #1083)",
    fixedIn: "0.5.8",
    severity: "refuse",
  },
  {
    from: "0.5.6",
    to: "0.5.7",
    appliesTo: (c) => !c.walAutocheckpointOff,
    reason:
      "Litestream 0.5.6-0.5.7 can stop replicating if the app sets PRAGMA wal_autocheckpoint=0 (litestream issue #1083); set litestream.walAutocheckpointOff: true if it does",
    fixedIn: "0.5.8",
    severity: "warn",
  },
];

export function knownProblems(release: string, context: ReleaseContext): KnownBad[] {
  return KNOWN_BAD.filter((k) => releaseWithin(release, k.from, k.to) && k.appliesTo(context));
}
