// The real programs that .ci/install-tools.sh puts in its cache (Compose v2, official Litestream 0.5).
// A missing tool fails the test that needs it with the command that installs it: never a silent skip.
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export const TOOLS_DIR = process.env.LITESTREAM_DEPLOY_TOOLS ?? join(homedir(), ".cache", "litestream-deploy-tools");

/** The official Litestream 0.5 release the harness runs (keep in step with .ci/install-tools.sh). */
export const LITESTREAM_05_RELEASE = "0.5.17";

function tool(relative: string): string {
  const file = join(TOOLS_DIR, relative);
  if (!existsSync(file)) throw new Error(`${file} is missing: run .ci/install-tools.sh (it installs the real consumers the tests use)`);
  return file;
}

export const litestream05Binary = (): string => tool(`litestream-${LITESTREAM_05_RELEASE}/litestream`);

/** Older releases built by `go install` in .ci/install-tools.sh (keep in step with LITESTREAM_BUILT there). */
export const BUILT_RELEASES = ["0.5.8", "0.5.12", "0.3.14"] as const;
/** The binary of one built release, or the official 0.5 one. */
export const releaseBinary = (release: (typeof BUILT_RELEASES)[number] | typeof LITESTREAM_05_RELEASE): string =>
  tool(`litestream-${release}/litestream`);
export const composeBinary = (): string => tool("bin/docker-compose");
export const promtoolBinary = (): string => tool("bin/promtool");
