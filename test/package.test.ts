// The published shape: tsup builds ESM + CJS + types, and the bin runs under plain node.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

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
    for (const f of ["dist/index.js", "dist/index.cjs", "dist/index.d.ts", "dist/index.d.cts", "dist/cli.js"]) expect(existsSync(path.join(root, f)), f).toBe(true);
    const script = (req: string) => `${req}; const r = generate(${JSON.stringify(description)}); process.stdout.write(r.files[0].content);`;
    const esm = await run(process.execPath, ["--input-type=module", "-e", script(`import { generate } from ${JSON.stringify(path.join(root, "dist/index.js"))}`)]);
    const cjs = await run(process.execPath, ["-e", script(`const { generate } = require(${JSON.stringify(path.join(root, "dist/index.cjs"))})`)]);
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
