// Processes a test starts and must not outlive it: each one is SIGKILLed by killLiveChildren (afterEach).
import { spawn, type ChildProcess } from "node:child_process";

const live = new Set<ChildProcess>();

export interface Running {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** stdout and stderr as they arrived, interleaved. */
  output: () => string;
  finished: () => boolean;
}

/** Runs argv with exactly env, in env.HOME (the case's own directory: nothing a script writes lands in the checkout). */
export function runTracked(argv: string[], env: Record<string, string>): Running {
  const child = spawn(argv[0]!, argv.slice(1), { env, cwd: env.HOME, stdio: ["ignore", "pipe", "pipe"] });
  live.add(child);
  let output = "";
  child.stdout!.on("data", (b: Buffer) => (output += b.toString()));
  child.stderr!.on("data", (b: Buffer) => (output += b.toString()));
  let finished = false;
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (code) => {
      live.delete(child);
      finished = true;
      resolve(code);
    }),
  );
  return { child, exited, output: () => output, finished: () => finished };
}

export function killLiveChildren(): void {
  for (const child of live) child.kill("SIGKILL");
  live.clear();
}
