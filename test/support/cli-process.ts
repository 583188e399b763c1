// Runs the real CLI (src/bin.ts through tsx) in a directory, as a user would.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";

const TSX = pathToFileURL(path.resolve("node_modules/tsx/dist/loader.mjs")).href;
const BIN = path.resolve("src/bin.ts");

export function runBin(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ["--import", TSX, BIN, ...args], { cwd, encoding: "utf8", timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
