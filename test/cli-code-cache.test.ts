// The published bin's V8 code cache (src/cli-code-cache.ts): the CLI is built as tsup.config.ts builds it,
// into a scratch package inside .tmp/, and the bin's output and exit code must not depend on the cache
// file: as built, missing, damaged, truncated, made for another bundle, or refused by V8.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { build, type Options } from "tsup";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import rails from "../examples/000-rails-kamal-hetzner/litestream.config.js";
import { cacheFileContent, CLI_BUNDLE, CLI_CODE_CACHE } from "../src/cli-code-cache.js";
import configs from "../tsup.config.js";

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, "..");
const TSX = path.join(root, "node_modules/tsx/dist/loader.mjs");

let pkg: string;
let project: string;
let dist: string;
let bundle: Buffer;
let built: Buffer;

/** The CLI's builds (the bin and the bundle) of tsup.config.ts into `dir`/dist, then its code cache. */
async function buildCli(dir: string): Promise<void> {
  writeFileSync(path.join(dir, "package.json"), readFileSync(path.join(root, "package.json")));
  const cli = (configs as Options[]).filter((c) => c.entry && !("index" in c.entry));
  expect(cli).toHaveLength(2);
  for (const config of cli) await build({ ...config, config: false, silent: true, outDir: path.join(dir, "dist"), onSuccess: undefined });
  await run(process.execPath, ["--import", TSX, "scripts/cli-code-cache.ts", path.join(dir, "dist")], { cwd: root });
}

const COMMANDS = [
  ["--version"],
  ["generate", "--check", "--config", "rails.json"],
  ["generate", "--dry-run", "--diff", "--config", "rails.json"],
  ["generate", "--check", "--json", "--config", "app.ts"], // jiti: the bundle's require("jiti")
  ["generate", "--config", "bad.json"],
  ["secrets", "check", "--config", "rails.json"],
];

/** Every command's exit code, stdout and stderr with the bin as `dist` holds it now. */
async function outputs(): Promise<string[]> {
  const results: string[] = [];
  for (const args of COMMANDS) {
    const result = await run(process.execPath, [path.join(dist, "cli.js"), ...args], {
      cwd: project,
      env: { ...process.env, NO_COLOR: "1" },
    }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    results.push(`${args.join(" ")} → ${result.code}\n${result.stdout}\n${result.stderr}`);
  }
  return results;
}

function withCache(content: Buffer | undefined): void {
  const file = path.join(dist, CLI_CODE_CACHE);
  if (content) writeFileSync(file, content);
  else rmSync(file, { force: true });
}

/** Whether V8 takes the cache file as it is now, in a plain node like the bin's. */
async function v8Takes(): Promise<boolean> {
  const script = `
    import { readFileSync } from "node:fs";
    import { cachedDataFor, compileBundle } from ${JSON.stringify(path.join(root, "src/cli-code-cache.ts"))};
    const file = ${JSON.stringify(path.join(dist, CLI_BUNDLE))};
    const bundle = readFileSync(file);
    const cachedData = cachedDataFor(bundle, ${JSON.stringify(path.join(dist, CLI_CODE_CACHE))});
    process.stdout.write(String(!!cachedData && !compileBundle(file, bundle.toString("utf8"), cachedData).cachedDataRejected));`;
  const { stdout } = await run(process.execPath, ["--import", TSX, "--input-type=module", "-e", script], { cwd: root });
  return stdout === "true";
}

beforeAll(async () => {
  mkdirSync(path.join(root, ".tmp"), { recursive: true });
  pkg = mkdtempSync(path.join(root, ".tmp", "cli-code-cache-")); // inside the checkout: jiti resolves from node_modules
  await buildCli(pkg);
  dist = path.join(pkg, "dist");
  bundle = readFileSync(path.join(dist, CLI_BUNDLE));
  built = readFileSync(path.join(dist, CLI_CODE_CACHE));
  project = mkdtempSync(path.join(os.tmpdir(), "ld-code-cache-"));
  writeFileSync(path.join(project, "rails.json"), JSON.stringify(rails));
  writeFileSync(path.join(project, "app.ts"), `export default ${JSON.stringify(rails)} as const;\n`);
  writeFileSync(path.join(project, "bad.json"), JSON.stringify({ name: "app" }));
}, 180_000);

afterAll(() => {
  for (const dir of [pkg, project]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the bin's code cache", () => {
  it("is made by the build and taken by V8", async () => {
    expect(bundle.toString("utf8")).not.toMatch(/(?<![\w$.])import\s*\(/);
    withCache(built);
    expect(await v8Takes()).toBe(true);
  });

  it("gives the same output and exit codes as no cache, whatever the cache file holds", async () => {
    withCache(undefined);
    const expected = await outputs();
    expect(expected[1]).toMatch(/^generate --check --config rails.json → 1\n/);
    expect(expected[3]).toContain('"mode": "check"');
    expect(expected[4]).toMatch(/→ 2\n/);
    const payload = built.subarray(32);
    const damaged = Buffer.from(built);
    damaged[32 + (payload.length >> 1)]! ^= 0xff;
    const refusedPayload = Buffer.from(payload);
    refusedPayload.writeUInt32LE(refusedPayload.readUInt32LE(0) ^ 0xffffffff, 0); // V8's magic number
    const variants: Record<string, Buffer> = {
      "as built": built,
      "damaged in the middle": damaged,
      truncated: built.subarray(0, 1000),
      empty: Buffer.alloc(0),
      "for another bundle": cacheFileContent(Buffer.from("another bundle"), payload),
      "refused by V8": cacheFileContent(bundle, refusedPayload),
    };
    for (const [name, content] of Object.entries(variants)) {
      withCache(content);
      expect(await outputs(), name).toEqual(expected);
    }
    withCache(cacheFileContent(bundle, refusedPayload));
    expect(await v8Takes()).toBe(false);
  }, 120_000);

  it("made for a bundle of the same length is not taken (V8 alone compares only the length)", async () => {
    // The same bundle but for one message: its cache holds bytecode printing the other message.
    const other = mkdtempSync(path.join(root, ".tmp", "cli-code-cache-other-"));
    try {
      cpSync(dist, path.join(other, "dist"), { recursive: true });
      writeFileSync(path.join(other, "package.json"), readFileSync(path.join(root, "package.json")));
      const source = bundle.toString("utf8");
      expect(source).toContain("files are out of date");
      const changed = source.replace("files are out of date", "FILES ARE OUT OF DATE");
      writeFileSync(path.join(other, "dist", CLI_BUNDLE), changed);
      unlinkSync(path.join(other, "dist", CLI_CODE_CACHE));
      await run(process.execPath, ["--import", TSX, "scripts/cli-code-cache.ts", path.join(other, "dist")], { cwd: root });
      const stale = readFileSync(path.join(other, "dist", CLI_CODE_CACHE));

      withCache(undefined);
      const expected = await outputs();
      withCache(stale);
      expect(await outputs()).toEqual(expected);
      // What the digest prevents: V8 takes that cache for this bundle and runs the other bundle's code.
      withCache(cacheFileContent(bundle, stale.subarray(32)));
      expect(await v8Takes()).toBe(true);
      expect((await outputs())[1]).toContain("FILES ARE OUT OF DATE");
    } finally {
      rmSync(other, { recursive: true, force: true });
      withCache(built);
    }
  }, 120_000);
});
