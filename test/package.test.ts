// The published shape: tsup builds ESM + CJS + types, and the bin runs under plain node.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname ?? ".", "..");
const description = {
  name: "app",
  litestream: { version: "0.3" },
  storage: { provider: "file", path: "/var/backups/litestream" },
  databases: [{ name: "main", path: "/data/app.db" }],
};

beforeAll(async () => {
  await run(process.execPath, [path.join(root, "node_modules/tsup/dist/cli-default.js")], { cwd: root });
}, 120_000);

describe("package", () => {
  it("exports ESM, CJS and type declarations that produce the same file", async () => {
    for (const f of ["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts", "dist/cli.js"])
      expect(existsSync(path.join(root, f)), f).toBe(true);
    const script = (req: string) => `${req}; const r = generate(${JSON.stringify(description)}); process.stdout.write(r.files[0].content);`;
    const esm = await run(process.execPath, [
      "--input-type=module",
      "-e",
      script(`import { generate } from ${JSON.stringify(path.join(root, "dist/index.js"))}`),
    ]);
    const cjs = await run(process.execPath, [
      "-e",
      script(`const { generate } = require(${JSON.stringify(path.join(root, "dist/index.cjs"))})`),
    ]);
    expect(esm.stdout).toContain("path: /data/app.db");
    expect(cjs.stdout).toBe(esm.stdout);
  });

  it("the bin exits 2 on a bad description, with no stack trace", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ld-bin-"));
    try {
      writeFileSync(path.join(dir, "litestream.config.json"), JSON.stringify({ name: "app" }));
      const result = await run(process.execPath, [path.join(root, "dist/cli.js"), "generate"], { cwd: dir }).then(
        () => ({ code: 0, stderr: "" }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("✖ litestream: ");
      expect(result.stderr).not.toMatch(/\n\s+at /);
      const ok = await run(process.execPath, [path.join(root, "dist/cli.js"), "--version"]);
      expect(ok.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).version);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// A user's project with the packed tarball installed: the README's generate.ts (run with tsx), the
// README's CI snapshot test (vitest + synth), the bin, and the stale-file round trip through the manifest.
describe("installed from the packed tarball", () => {
  const TSX = path.join(root, "node_modules/tsx/dist/loader.mjs");
  const VITEST = path.join(root, "node_modules/vitest/vitest.mjs");
  let project: string;
  const inProject = (file: string, ...args: string[]) =>
    run(process.execPath, [file, ...args], { cwd: project, env: { ...process.env, CI: "1", NO_COLOR: "1" } }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    );
  const describeWith = (targets: Record<string, unknown>) =>
    writeFileSync(
      path.join(project, "litestream.config.ts"),
      // The systemd install script downloads a .deb whose SHA-256 is not recorded yet: verify: false says so.
      `import { defineProject } from "litestream-deploy";\n\nexport default defineProject(${JSON.stringify({ ...description, litestream: { version: "0.3", verify: false }, targets })});\n`,
    );

  beforeAll(async () => {
    project = mkdtempSync(path.join(os.tmpdir(), "ld-consumer-"));
    const packed = await run("npm", ["pack", "--pack-destination", project, "--silent"], { cwd: root });
    writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    // From npm's cache when it has every package (after `npm ci`, and offline then); the registry otherwise.
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", `./${packed.stdout.trim()}`], {
      cwd: project,
    });
    writeFileSync(path.join(project, "generate.ts"), readmeBlock("generate.ts"));
    mkdirSync(path.join(project, "test"));
    writeFileSync(path.join(project, "test/deploy.test.ts"), readmeBlock("test/deploy.test.ts"));
  }, 300_000);
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it("generate.ts writes the files with tsx, then --check passes; the bin agrees", async () => {
    describeWith({ systemd: { appUnit: "app.service" } });
    const first = await inProject("--import", TSX, "generate.ts");
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain("created deploy/systemd/litestream.service");
    expect(first.stdout).toContain("created .litestream-deploy.json");
    expect((await inProject("--import", TSX, "generate.ts", "--check")).code).toBe(0);
    const bin = await inProject(path.join(project, "node_modules/litestream-deploy/dist/cli.js"), "generate", "--check", "--json");
    expect(bin.code, bin.stderr).toBe(0);
    expect(JSON.parse(bin.stdout)).toMatchObject({ upToDate: true });
  }, 120_000);

  it("the snapshot test records the files, passes on the same description, fails on a change", async () => {
    describeWith({ systemd: { appUnit: "app.service" } });
    const record = await inProject(VITEST, "run", "--update");
    expect(record.code, record.stdout + record.stderr).toBe(0);
    const snapshot = readFileSync(path.join(project, "test/__snapshots__/deploy.test.ts.snap"), "utf8");
    expect(snapshot).toContain('"deploy/systemd/litestream.service": "# Generated by litestream-deploy');
    expect((await inProject(VITEST, "run")).code).toBe(0);
    describeWith({ systemd: { appUnit: "web.service" } });
    const changed = await inProject(VITEST, "run");
    expect(changed.code).toBe(1);
    expect(changed.stdout + changed.stderr).toMatch(/Snapshot .* mismatched/);
  }, 180_000);

  it("a removed target: --check reports its files stale, generate removes them, the manifest follows", async () => {
    describeWith({ systemd: { appUnit: "app.service" } });
    expect((await inProject("--import", TSX, "generate.ts")).code).toBe(0);
    const unit = path.join(project, "deploy/systemd/litestream.service");
    expect(existsSync(unit)).toBe(true);
    describeWith({});
    const check = await inProject("--import", TSX, "generate.ts", "--check");
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("removed deploy/systemd/litestream.service");
    expect(existsSync(unit)).toBe(true);
    const write = await inProject("--import", TSX, "generate.ts");
    expect(write.code, write.stderr).toBe(0);
    expect(existsSync(unit)).toBe(false);
    expect(
      JSON.parse(readFileSync(path.join(project, ".litestream-deploy.json"), "utf8")).files.map((f: { path: string }) => f.path),
    ).toEqual(["config/litestream.yml"]);
    expect((await inProject("--import", TSX, "generate.ts", "--check")).code).toBe(0);
  }, 120_000);
});

/** The README's code block that follows the line naming `file` (the documented example, tested as written). */
function readmeBlock(file: string): string {
  const readme = readFileSync(path.join(root, "README.md"), "utf8");
  const match = new RegExp(`\`${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\`[\\s\\S]*?\\n\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!match) throw new Error(`README.md has no \`${file}\` example followed by a ts block`);
  return match[1]!;
}
