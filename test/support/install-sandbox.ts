// The install script's test bench: recording fakes of every command that would change the host
// (systemctl, dpkg, useradd, install, chmod, …), and a run that decides whether systemd "is
// running" (/run/systemd/system present, as sd_booted(3) checks) in a private mount namespace.
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { makeTempDir } from "../harness/tmp.js";

const FAKES = [
  "id",
  "systemctl",
  "dpkg",
  "useradd",
  "groupadd",
  "getent",
  "usermod",
  "install",
  "mkdir",
  "chgrp",
  "chmod",
  "chown",
  "runuser",
  "cmp",
  "mktemp",
  "curl",
  "wget",
  "sha256sum",
];
const REAL = ["dirname", "touch", "grep", "cat"];

/** What a fake does besides recording its arguments. */
const BEHAVIOUR: Record<string, string> = {
  id: '[ "$#" -eq 1 ] && [ "$1" = -u ] && echo 0',
  systemctl: '[ "$1" = is-active ] && exit 3',
  cmp: "exit 1",
};

export interface Call {
  name: string;
  args: string[];
}

export function readCalls(log: string): Call[] {
  const lines = readFileSync(log, "utf8").split("\n");
  const calls: Call[] = [];
  for (let i = 0; i < lines.length - 1;) {
    const name = lines[i++]!;
    const count = Number(lines[i++]);
    calls.push({ name, args: lines.slice(i, i + count) });
    i += count;
  }
  return calls;
}

/**
 * Runs the script with only the fakes on PATH. /run/systemd is a private tmpfs, with
 * /run/systemd/system created when `systemdRunning` (the default) and absent for an image build.
 */
export function runInstall(
  shell: string[],
  script: string,
  cwd: string,
  path: string,
  log: string,
  opts: { systemdRunning?: boolean } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const running = opts.systemdRunning ?? true;
  const setup = `/usr/bin/mount -t tmpfs none /run/systemd && ${running ? "/usr/bin/mkdir /run/systemd/system && " : ""}exec "$@"`;
  const argv = ["--mount", "--propagation", "private", "/bin/sh", "-c", setup, "sh", ...shell, script];
  return new Promise((done) => {
    execFile("/usr/bin/unshare", argv, { cwd, env: { PATH: path, LOG: log }, encoding: "utf8", timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr });
    });
  });
}

export function sandbox(behaviour: Record<string, string> = {}): { root: string; bin: string; path: string } {
  const root = makeTempDir("systemd-install");
  const bin = join(root, "bin");
  const real = join(root, "real");
  mkdirSync(bin);
  mkdirSync(real);
  for (const name of FAKES) {
    writeFileSync(
      join(bin, name),
      `#!/bin/sh\n{ printf '%s\\n' ${name} "$#"; for a; do printf '%s\\n' "$a"; done; } >>"$LOG"\n${behaviour[name] ?? BEHAVIOUR[name] ?? ""}\nexit 0\n`,
    );
    chmodSync(join(bin, name), 0o755);
  }
  for (const name of REAL) symlinkSync(`/usr/bin/${name}`, join(real, name));
  // The Litestream binary the script checks: already the pinned release, so nothing is downloaded.
  writeFileSync(join(bin, "litestream"), '#!/bin/sh\n[ "$1" = version ] && echo v0.3.14\n');
  chmodSync(join(bin, "litestream"), 0o755);
  return { root, bin, path: `${bin}:${real}` };
}
