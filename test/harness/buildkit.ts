// BuildKit's own Dockerfile parser and word expansion, and Docker's image reference grammar
// (test/harness/buildkit/main.go), built once with the Go toolchain into the tools cache. A missing
// Go toolchain fails the test that needs it with what to install: never a silent skip.
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TOOLS_DIR } from "./tools.js";

const SOURCE_DIR = new URL("./buildkit/", import.meta.url).pathname;

/** What BuildKit reads from one instruction; COPY values are after BuildKit's word expansion. */
export interface DockerfileInstruction {
  cmd: string;
  line: number;
  json: boolean;
  args: string[];
  from?: string;
  chmod?: string;
  sources?: string[];
  dest?: string;
  error?: string;
}

let built: string | undefined;

/** Builds the checker unless it is cached (a cold build takes about a minute): call it from beforeAll. */
export function dockerfileChecker(): string {
  if (built) return built;
  const hash = createHash("sha256");
  for (const f of ["main.go", "go.mod", "go.sum"]) hash.update(readFileSync(join(SOURCE_DIR, f)));
  const binary = join(TOOLS_DIR, `dockerfile-check-${hash.digest("hex").slice(0, 12)}`);
  if (!existsSync(binary)) {
    const go = ["/usr/local/go/bin/go", "go"].find((g) => g === "go" || existsSync(g))!;
    try {
      execFileSync(go, ["build", "-o", binary, "."], { cwd: SOURCE_DIR, stdio: "pipe", timeout: 600_000 });
    } catch (e) {
      throw new Error(
        `could not build the BuildKit Dockerfile checker (needs the Go toolchain and the module proxy): ${String((e as { stderr?: Buffer }).stderr ?? e)}`,
      );
    }
  }
  built = binary;
  return binary;
}

/** Parses a Dockerfile with BuildKit; rejects when BuildKit refuses the file as a whole. */
export function parseDockerfile(text: string): Promise<DockerfileInstruction[]> {
  const bin = dockerfileChecker();
  return new Promise((resolve, reject) => {
    const child = execFile(bin, [], { encoding: "utf8", timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`BuildKit refused the Dockerfile: ${stderr || err.message}`));
      else resolve(JSON.parse(stdout) as DockerfileInstruction[]);
    });
    child.stdin!.end(text);
  });
}

/** "ok", or Docker's reason why `image` is not a valid image reference. */
export function checkImageReference(image: string): Promise<string> {
  const bin = dockerfileChecker();
  return new Promise((resolve) => {
    execFile(bin, ["ref", image], { encoding: "utf8", timeout: 30_000 }, (_err, stdout) => resolve(stdout.trim()));
  });
}
