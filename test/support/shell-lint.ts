// Every generated sh script checked by the programs that read it: shellcheck (style and up), sh -n
// and busybox sh -n. A script without a shebang (a `sh -c` body) gets one for shellcheck.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";

export function expectCleanShellScripts(dir: string, scripts: Record<string, string>): void {
  for (const [name, text] of Object.entries(scripts)) {
    const file = join(dir, `${name}.sh`);
    writeFileSync(file, text.startsWith("#!") ? text : `#!/bin/sh\n${text}`);
    for (const argv of [
      ["shellcheck", "--shell=sh", "--severity=style", "--format=gcc", file],
      ["sh", "-n", file],
      ["busybox", "sh", "-n", file],
    ]) {
      const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8" });
      expect(r.status, `${name}: ${argv[0]}: ${r.stdout}${r.stderr}`).toBe(0);
    }
  }
}
