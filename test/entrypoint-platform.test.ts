// One-writer reminders for platforms that start more copies on their own (docs/entrypoint.md):
// targets.entrypoint.platform puts how to cap that platform at one copy into the entrypoint and
// Dockerfile.litestream; without it, or for another platform, that text is absent.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate, type ProjectInput } from "../src/index.js";
import { PLATFORMS, type Platform } from "../src/targets/entrypoint/platform.js";
import { parseDockerfile } from "./harness/buildkit.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

afterAll(cleanupTempDirs);

/** A Go API on Fly, a Rust service on Cloud Run, a Node app in Kubernetes: the same shape, one platform each. */
function project(platform?: Platform): ProjectInput {
  return {
    name: "api",
    litestream: { version: "0.5" },
    storage: {
      provider: "tigris",
      bucket: "api-backups",
      credentials: { accessKeyId: { env: "TIGRIS_KEY" }, secretAccessKey: { env: "TIGRIS_SECRET" } },
    },
    databases: [{ name: "api", path: "/data/api.db" }],
    targets: { entrypoint: { appCommand: ["/app/server"], ...(platform ? { platform } : {}) } },
  };
}

/** A line of each platform's reminder that names the setting that caps it at one copy. */
const CAP: Record<Platform, RegExp> = {
  fly: /^# Fly\.io: the first `fly deploy` of an app creates two Machines for redundancy; run `fly scale count 1`$/m,
  "cloud-run": /^# Cloud Run: deploy with `gcloud run deploy --max-instances=1`/m,
  kubernetes: /^# Kubernetes: run it as a StatefulSet with replicas: 1 .*\n# with replicas: 1 and strategy type Recreate/m,
};

function files(platform?: Platform): { script: string; dockerfile: string } {
  const out = generate(project(platform)).files;
  return {
    script: out.find((f) => f.path === "bin/litestream-entrypoint")!.content,
    dockerfile: out.find((f) => f.path === "Dockerfile.litestream")!.content,
  };
}

describe("targets.entrypoint.platform", () => {
  it.each(PLATFORMS)(
    "%s: the entrypoint and Dockerfile.litestream say how to keep one writer, and no other platform's text",
    async (platform) => {
      const { script, dockerfile } = files(platform);
      for (const text of [script, dockerfile]) {
        expect(text).toMatch(/^# One writer: only one copy of this container may run at a time/m);
        expect(text).toMatch(CAP[platform]);
        for (const other of PLATFORMS.filter((p) => p !== platform)) expect(text).not.toMatch(CAP[other]);
      }
      if (platform === "cloud-run") expect(script).toMatch(/allows\n# 10s after SIGTERM, not the 40s above/);
      if (platform === "kubernetes") expect(script).toContain("terminationGracePeriodSeconds: 40.");
      // Still a valid script and Dockerfile: comments only.
      const dir = makeTempDir("platform");
      writeFileSync(join(dir, "entrypoint"), script);
      for (const argv of [
        ["shellcheck", "--shell=sh", "--severity=style", join(dir, "entrypoint")],
        ["sh", "-n", join(dir, "entrypoint")],
      ]) {
        const r = spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8" });
        expect(r.status, r.stdout + r.stderr).toBe(0);
      }
      const instructions = await parseDockerfile(dockerfile);
      expect(instructions.map((i) => i.cmd.toUpperCase())).toEqual(["COPY", "COPY", "COPY", "ENTRYPOINT", "CMD"]);
    },
  );

  it("without a platform there is no one-writer reminder", () => {
    const { script, dockerfile } = files();
    for (const text of [script, dockerfile]) {
      expect(text).not.toMatch(/One writer|fly scale|max-instances|StatefulSet/);
    }
  });

  it("an unknown platform is refused with the list of known ones", () => {
    expect(() =>
      generate({ ...project(), targets: { entrypoint: { appCommand: ["/app/server"], platform: "heroku" as Platform } } }),
    ).toThrow(/targets\.entrypoint\.platform: "heroku" is not allowed here\n\s*→ use one of "fly", "cloud-run", "kubernetes"/);
  });
});
