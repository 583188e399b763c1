/**
 * The published CLI's start-up: V8 compiling its ~1 MB bundle was a third of a cold run. The build
 * (scripts/cli-code-cache.ts) runs the bundle once and saves V8's code cache next to it; the bin
 * compiles the bundle with that cache, which skips parsing and compiling the functions a run uses.
 *
 * The cache file is a SHA-256 of the bundle and the cache, then V8's cache. V8 itself rejects a cache
 * made by another V8 version or with other flags (the bundle is then compiled as usual), but it only
 * compares the source's length, and a release build does not checksum the cache: the digest is what
 * keeps a stale or damaged cache from being used. Nothing here writes a file.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";

export const CLI_BUNDLE = "cli-main.cjs";
export const CLI_CODE_CACHE = "cli-main.cjs.cache";

export type CliMain = typeof import("./cli-main.js");

const DIGEST_BYTES = 32;

/**
 * The bundle compiled as a CommonJS module's function, with V8's cache when one is given. The bundle
 * has no import() (tsup.config.ts): a script compiled from a cache has no dynamic-import callback.
 */
export function compileBundle(file: string, source: string, cachedData?: Buffer): vm.Script {
  return new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
}

/** Runs the compiled bundle; its exports. */
export function runBundle(script: vm.Script, file: string): CliMain {
  const module = { exports: {} as CliMain };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

/** The cache file's content for a bundle and V8's cache of it. */
export function cacheFileContent(bundle: Buffer, cachedData: Buffer): Buffer {
  return Buffer.concat([digest(bundle, cachedData), cachedData]);
}

/** V8's cache from a cache file made for exactly this bundle; undefined when missing, stale or damaged. */
export function cachedDataFor(bundle: Buffer, cacheFile: string): Buffer | undefined {
  let content: Buffer;
  try {
    content = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const cachedData = content.subarray(DIGEST_BYTES);
  return content.length > DIGEST_BYTES && digest(bundle, cachedData).equals(content.subarray(0, DIGEST_BYTES)) ? cachedData : undefined;
}

/** The bin's way in: dist/cli-main.cjs, with its code cache when it is valid for this bundle. */
export function loadCliBundle(dir: string): CliMain {
  const file = path.join(dir, CLI_BUNDLE);
  const bundle = readFileSync(file);
  return runBundle(compileBundle(file, bundle.toString("utf8"), cachedDataFor(bundle, path.join(dir, CLI_CODE_CACHE))), file);
}

function digest(bundle: Buffer, cachedData: Buffer): Buffer {
  return createHash("sha256").update(bundle).update(cachedData).digest();
}
