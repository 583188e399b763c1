// Run after `npm install` changes package-lock.json (npm run lockfile:complete).
//
// The npm registry reachable from this project's machines serves only the linux builds of some
// packages' platform-specific optional dependencies (e.g. @rollup/rollup-darwin-arm64 answers 404).
// npm install then leaves those out of the lockfile, and `npm ci` refuses the lockfile as out of
// sync ("Missing: @rollup/rollup-android-arm-eabi@ from lock file"). This adds a name + version
// entry, marked optional, for every optional dependency the lockfile does not resolve; npm ci
// accepts the lockfile again and skips optional packages that do not match the platform.
import { readFileSync, writeFileSync } from "node:fs";

const file = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(file, "utf8"));
const packages = lock.packages;

/** The lockfile key a dependency of `owner` resolves to (node's lookup: nested, then upwards). */
function resolves(owner, name) {
  let dir = owner;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ""}node_modules/${name}`;
    if (packages[candidate]) return true;
    if (!dir) return false;
    const parent = dir.lastIndexOf("/node_modules/");
    dir = parent === -1 ? "" : dir.slice(0, parent);
  }
}

let added = 0;
for (const [owner, meta] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(meta.optionalDependencies ?? {})) {
    if (resolves(owner, name)) continue;
    packages[`node_modules/${name}`] = { version, dev: meta.dev === true || undefined, optional: true };
    added++;
  }
}
const sorted = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a.localeCompare(b, "en"))));
lock.packages = sorted;
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} unavailable optional platform package(s) recorded`);
