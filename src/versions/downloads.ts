/**
 * What the generated files download, by release: the .deb asset names and their SHA-256 from the
 * release's checksums.txt. A checksum is recorded only when it was read from that file, with where
 * it came from; none is known yet (this project's build machine cannot reach GitHub releases), so a
 * description that downloads a .deb must give `litestream.checksum` or `litestream.verify: false`.
 */
export type DebArch = "amd64" | "arm64";

export interface DebChecksum {
  sha256: string;
  /** The checksums.txt this was read from, e.g. https://github.com/benbjohnson/litestream/releases/download/v0.5.17/checksums.txt */
  source: string;
}

/** release → arch → checksum. Add a row only from the release's own checksums.txt. */
export const DEB_CHECKSUMS: Readonly<Record<string, Partial<Record<DebArch, DebChecksum>>>> = {};

/** Release asset names: 0.3 uses Go arch names and a "v"; 0.5 (goreleaser) x86_64 and no "v". */
export function debAssets(release: string): { baseUrl: string } & Record<DebArch, string> {
  const baseUrl = `https://github.com/benbjohnson/litestream/releases/download/v${release}`;
  if (release.startsWith("0.3.")) {
    return { baseUrl, amd64: `litestream-v${release}-linux-amd64.deb`, arm64: `litestream-v${release}-linux-arm64.deb` };
  }
  return { baseUrl, amd64: `litestream-${release}-linux-x86_64.deb`, arm64: `litestream-${release}-linux-arm64.deb` };
}

/**
 * Image digests of litestream/litestream by tag, from the registry's manifest list. None is
 * recorded yet (not reachable from here): a digest is pinned only when the description gives one.
 */
export const IMAGE_DIGESTS: Readonly<Record<string, string>> = {};
