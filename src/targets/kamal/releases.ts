/**
 * Kamal releases known to break what the generator writes, as data (docs/kamal.md, "Known-bad
 * Kamal releases"). Each entry says which releases it hits, what in the generated files it hits,
 * what goes wrong, the release that fixes it, and whether the generator refuses or routes around.
 */
import { compareRelease } from "../../plan.js";

/** What the generated accessory and secrets lines use, as far as a known-bad release cares. */
export interface KamalUse {
  /** The data volume is a named volume (not a host path). */
  namedVolume: boolean;
  /** `.kamal/secrets` holds `X=$(kamal secrets extract … $VAR)` lines. */
  adapterLines: boolean;
  /** The accessory's entrypoint is /bin/sh (the restore-then-replicate script). */
  shellEntrypoint: boolean;
}

export interface KnownBadRelease {
  code: string;
  /** First affected release. */
  from: string;
  /** First release that fixes it; undefined: not fixed (the generator routes around it for good). */
  fixedIn?: string;
  affects: (use: KamalUse) => boolean;
  /** What goes wrong, in Kamal's own words where it reports them. */
  problem: string;
  /** "refuse": an issue with the fix; "route": the generator writes something that works instead. */
  remedy: "refuse" | "route";
  /** For "route": what the generator writes instead. */
  routedBy?: string;
}

export const KNOWN_BAD_RELEASES: readonly KnownBadRelease[] = [
  {
    code: "kamal.release.named-volume-rewrite",
    from: "2.10.0",
    fixedIn: "2.10.1",
    affects: (use) => use.namedVolume,
    problem:
      "Kamal 2.10.0 rewrites an accessory's named volume into a host path (--volume $PWD/myapp_storage:/rails/storage), so Litestream would watch an empty directory instead of the app's databases",
    remedy: "refuse",
  },
  {
    code: "kamal.release.adapter-dotenv",
    from: "2.0",
    fixedIn: "2.6",
    affects: (use) => use.adapterLines,
    problem:
      "before Kamal 2.6, `X=$(kamal secrets extract … $LITESTREAM_SECRETS)` only works with dotenv 3.1.x: dotenv 3.2.0 (what a fresh `gem install kamal` resolves) runs the command before substituting the variable, and Kamal then fails with `JSON::ParserError … unexpected token at '$LITESTREAM_SECRETS'`",
    remedy: "refuse",
  },
  {
    code: "kamal.release.exec-new-container",
    from: "2.11",
    affects: (use) => use.shellEntrypoint,
    problem:
      "from Kamal 2.11, `kamal accessory exec litestream databases` (a new container) adds the accessory's options, so with entrypoint /bin/sh it runs `/bin/sh databases` and fails",
    remedy: "route",
    routedBy:
      'the generated usage only ever prints `kamal accessory exec litestream --reuse "litestream databases"`, which runs in the live container on every release',
  },
];

/** "2.10" names the 2.10 line's first release, 2.10.0: the patch is what decides. */
const atLeast = (version: string, release: string) => compareRelease(version, release) >= 0;

export function knownBadReleases(version: string, use: KamalUse): KnownBadRelease[] {
  return KNOWN_BAD_RELEASES.filter(
    (bad) => atLeast(version, bad.from) && (bad.fixedIn === undefined || !atLeast(version, bad.fixedIn)) && bad.affects(use),
  );
}
