// `npm run demo`: generates every bundled example into demo-output/<example>/ and prints what it wrote.
import { readdirSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate, ProjectError, type ProjectInput } from "../src/index.js";
import { writeArtifacts } from "../src/writer.js";
import { formatPath } from "../src/errors.js";

const examplesDir = path.dirname(fileURLToPath(import.meta.url));
const outRoot = path.resolve(process.argv[2] ?? "demo-output");

const examples = readdirSync(examplesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(path.join(examplesDir, d.name, "litestream.config.ts")))
  .map((d) => d.name)
  .sort();

let failed = false;
for (const name of examples) {
  const { default: description } = (await import(path.join(examplesDir, name, "litestream.config.ts"))) as { default: ProjectInput };
  const outDir = path.join(outRoot, name);
  try {
    const { files, warnings } = generate(description);
    const reports = writeArtifacts(files, outDir);
    console.log(`\n${name}  →  ${path.relative(process.cwd(), outDir) || "."}`);
    for (const r of reports) console.log(`  ${r.status.padEnd(9)}  ${r.path}  (${r.kind})`);
    for (const w of warnings) console.log(`  warning    ${formatPath(w.path)}: ${w.message}`);
  } catch (error) {
    if (!(error instanceof ProjectError)) throw error;
    failed = true;
    console.error(`\n${name}: ${error.message}`);
  }
}
process.exitCode = failed ? 1 : 0;
