// Every way a description file can fail to load, through the real CLI: exit 2, the file with its
// line and column where known, and never a stack trace.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBin } from "./support/cli-process.js";

const dir = mkdtempSync(path.join(os.tmpdir(), "ld-load-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function generateWith(name: string, content: string): { status: number | null; stderr: string } {
  writeFileSync(path.join(dir, name), content);
  return runBin(dir, "generate", "--dry-run", "--config", name);
}

function expectRefused(run: { status: number | null; stderr: string }, pattern: RegExp): void {
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stderr).not.toMatch(/internal error/);
  expect(run.status).toBe(2);
}

const cases: Array<[string, string, string, RegExp]> = [
  [
    "a TypeScript syntax error",
    "syntax.ts",
    'const d = {\n  name: "app",\n  litestream: ,\n};\nexport default d;\n',
    /syntax\.ts:3:\d+: does not parse: /,
  ],
  [
    "a JavaScript syntax error",
    "syntax.mjs",
    "export default {\n  name: 'app'\n  litestream: {},\n};\n",
    /syntax\.mjs:3:\d+: does not parse: /,
  ],
  [
    "an import that cannot be resolved",
    "import.ts",
    'import base from "./base-missing";\nexport default base;\n',
    /import\.ts:1:18: imports "\.\/base-missing", which cannot be found/,
  ],
  [
    "a package that is not installed",
    "package.ts",
    'import { x } from "no-such-package-here";\nexport default x;\n',
    /package\.ts:1:19: imports "no-such-package-here", which cannot be found/,
  ],
  [
    "a description that throws",
    "throws.ts",
    'const port = 1;\nthrow new Error("DATABASE_URL is not set");\nexport default { port };\n',
    /throws\.ts:2:7: threw while loading: DATABASE_URL is not set/,
  ],
  ["no default export", "named.ts", "export const project = { name: 'app' };\n", /named\.ts: has no default export \(it exports project\)/],
  [
    "a default export that is a function",
    "function.ts",
    "export default () => ({ name: 'app' });\n",
    /function\.ts: gives a function, not a project description/,
  ],
  ["a default export that is null", "null.ts", "export default null;\n", /null\.ts: gives null, not a project description/],
  ["an empty TypeScript file", "empty.ts", "\n", /empty\.ts: is empty/],
  ["a JSON syntax error", "broken.json", '{\n  "name": "app",\n  "litestream": {\n}\n', /broken\.json:5:1: is not valid JSON: /],
  ["an empty JSON file", "empty.json", "", /empty\.json: is empty/],
  ["a JSON list", "list.json", "[1, 2]", /list\.json: gives a list, not a project description/],
  ["a YAML syntax error", "broken.yaml", "name: app\nlitestream: [\n", /broken\.yaml:3:1: is not valid YAML: /],
  ["YAML with a duplicate key", "duplicate.yaml", "name: app\nname: other\n", /duplicate\.yaml:2:1: is not valid YAML: /],
  ["an empty YAML file", "empty.yaml", "# nothing yet\n", /empty\.yaml: is empty/],
  ["a YAML scalar", "scalar.yml", "just text\n", /scalar\.yml: gives a string, not a project description/],
];

describe("a description file that does not load", () => {
  for (const [what, name, content, pattern] of cases) {
    it(what, () => expectRefused(generateWith(name, content), pattern));
  }
});

describe("wrong command lines", () => {
  it("an unknown flag: exit 2 with usage", () => {
    const run = runBin(dir, "generate", "--frobnicate");
    expectRefused(run, /Unknown option '--frobnicate'[\s\S]*Usage:/);
  });
  it("a flag without its value: exit 2 with usage", () => {
    expectRefused(runBin(dir, "generate", "--config"), /--config[\s\S]*Usage:/);
  });
  it("an unknown command or an extra argument: exit 2 with usage", () => {
    expectRefused(runBin(dir, "generat"), /unknown command "generat"[\s\S]*Usage:/);
    expectRefused(runBin(dir, "generate", "extra"), /unexpected argument "extra"[\s\S]*Usage:/);
  });
});
