/**
 * Release gates: every setting the description asks for is checked against the release table
 * (src/versions), so a release that lacks a key refuses it with the first release that has it,
 * and known-bad releases are refused or warned about with the release that fixed them.
 */
import type { IssueList, IssuePath } from "../errors.js";
import {
  BEHAVIOUR_TABLE,
  firstReleaseWith,
  hasBehaviour,
  knownProblems,
  lineOf,
  readsKey,
  RELEASE_LINES,
  compareRelease,
  type Behaviour,
  type KeyScope,
  type LitestreamLine,
  type ReleaseContext,
} from "../versions/index.js";
import type { LitestreamPlan, Warning } from "./model.js";

/** One litestream.yml key the description asks for, and where it asked. */
export interface KeyRequest {
  scope: KeyScope;
  key: string;
  path: IssuePath;
  /** How to do without it, e.g. "remove compaction.l0Retention". */
  without: string;
}

/**
 * Refuses a key `release` does not read. Returns whether it may be written. A key of the other
 * line only is refused naming that line; the caller has usually said more about it already, so
 * `otherLine: false` leaves that case to it.
 */
export function requireKey(issues: IssueList, release: string, request: KeyRequest, otherLine = true): boolean {
  if (readsKey(release, request.scope, request.key)) return true;
  const line = lineOf(release) as LitestreamLine;
  const first = firstReleaseWith(line, request.scope, request.key);
  const name =
    request.scope === "top" || request.scope === "db" || request.scope === "replica" ? request.key : `${request.scope}.${request.key}`;
  if (first && compareRelease(release, first) < 0) {
    issues.add(
      request.path,
      `${name} needs Litestream ${first} or later, ${release} is pinned (older releases ignore the key silently)`,
      `pin "${first}" or later, or ${request.without}`,
      "version.feature",
    );
  } else if (!first && otherLine) {
    const other = line === "0.3" ? "0.5" : "0.3";
    const since = firstReleaseWith(other, request.scope, request.key);
    issues.add(
      request.path,
      `${name} is a Litestream ${other} setting${since ? ` (${since}+)` : ""}; ${line} ignores it silently`,
      `${request.without}, or use litestream.version ${other}`,
      "version.feature",
    );
  } else if (first) {
    issues.add(request.path, `${name} is not read by Litestream ${release} (ignored silently)`, request.without, "version.feature");
  }
  return false;
}

/** Refuses a behaviour the generated files rely on when `release` lacks it. */
export function requireBehaviour(issues: IssueList, release: string, behaviour: Behaviour, path: IssuePath, without: string): boolean {
  if (hasBehaviour(release, behaviour)) return true;
  const row = BEHAVIOUR_TABLE[behaviour];
  const first = row[lineOf(release) as LitestreamLine];
  issues.add(
    path,
    `${row.what} needs Litestream ${first ?? "0.5"}${first ? " or later" : ""}, ${release} is pinned`,
    first ? `pin "${first}" or later, or ${without}` : without,
    "version.feature",
  );
  return false;
}

/** A release of its line the generator knows: 0.3.9 or later, any 0.5. */
export function checkReleaseKnown(issues: IssueList, release: string): void {
  const line = lineOf(release);
  if (line && compareRelease(release, RELEASE_LINES[line].oldest) < 0) {
    issues.add(
      ["litestream", "release"],
      `Litestream ${release} is older than ${RELEASE_LINES[line].oldest}, the oldest ${line} release this generator writes for`,
      `pin "${RELEASE_LINES[line].default}"`,
      "release.unsupported",
    );
  }
}

/** Known-bad releases for this description: refusals and warnings naming the fixed release. */
export function checkKnownBad(issues: IssueList, warnings: Warning[], release: string, context: ReleaseContext): void {
  for (const bad of knownProblems(release, context)) {
    if (bad.severity === "refuse")
      issues.add(["litestream", "release"], bad.reason, `pin "${bad.fixedIn}" or later (docs/versions.md)`, "release.known-bad");
    else warnings.push({ path: ["litestream", "release"], message: `${bad.reason}; fixed in ${bad.fixedIn}` });
  }
}

/**
 * A .deb download must be verified against a known SHA-256, or explicitly not verified: the
 * systemd install script calls this only when it downloads one (docs/versions.md).
 */
export function debVerificationProblem(litestream: Pick<LitestreamPlan, "release" | "deb">): { message: string; fix: string } | undefined {
  const { deb, release } = litestream;
  if (!deb.verify || deb.sha256.amd64 || deb.sha256.arm64) return undefined;
  return {
    message: `the install script downloads the Litestream ${release} .deb, and no SHA-256 of it is known to litestream-deploy`,
    fix: `copy the .deb's line from ${deb.urls.amd64.replace(/[^/]+$/, "checksums.txt")} into litestream.checksum: "sha256:…" (or { amd64, arm64 }), or set litestream.verify: false to install it unverified`,
  };
}
