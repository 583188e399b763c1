// Property-based hostile input (fast-check): descriptions with hostile strings in every free-text field
// and every target on. Each one is either refused with a ProjectError whose every issue has a path, a
// message and a fix, or generates files in which every value is represented exactly:
//   - YAML artifacts parse as YAML 1.1 and litestream.yml holds each database path exactly;
//   - the structure of every file (YAML keys, unit directives, Dockerfile instructions, line counts) is
//     the structure of a "twin" description whose hostile values are replaced by plain placeholders, so
//     nothing a value holds can add a line, a directive, an instruction or a key;
//   - systemd command lines split (as systemd splits them) into the twin's words with the placeholders
//     replaced back by the hostile values;
//   - a sample of the shell scripts passes `sh -n` and, run with recording fakes of litestream, never
//     creates a canary file and hands each database path to Litestream as one intact argument.
// The seed is fixed per run (LD_FC_SEED overrides it) and printed with the case count and time.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { generate, ProjectError, type ProjectInput } from "../src/index.js";
import { CANARY, hostileSegment, hostileString } from "./support/hostile.js";
import { splitSystemdCommandLine, unitDirectives } from "./support/systemd-split.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

const RUNS = Number(process.env.LD_FC_RUNS ?? 10_000);
const EXECUTED = Number(process.env.LD_FC_EXECUTED ?? 150);
const SEED = Number(process.env.LD_FC_SEED ?? 20261201);

/** The free-text fields under test; each description draws a hostile value or a placeholder for each. */
const FIELDS = ["dbDir", "dbFile", "prefix", "configFile", "image", "labelKey", "labelValue", "envValue", "appWord", "filePath"] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string>;

const placeholder = (field: Field): string => `ph${FIELDS.indexOf(field)}x`;

function describeWith(v: Values, line: "0.3" | "0.5"): ProjectInput {
  return {
    name: "prop",
    litestream: { version: line, ...(v.image !== placeholder("image") ? { image: `ghcr.io/acme/${v.image}:1` } : {}) },
    replicas: undefined,
    storage: { provider: "s3", endpoint: "https://s3.example.com", region: "us-east-1", bucket: "prop-backups", prefix: v.prefix, credentials: { accessKeyId: { env: "AK" }, secretAccessKey: { env: "SK" } } },
    databases: [{ name: "main", path: `/srv/data/${v.dbDir}/${v.dbFile}.db` }],
    environments: { production: { configFile: `config/${v.configFile}.yml` } },
    targets: {
      kamal: { version: "2.12", volume: "prop_data:/srv/data", host: "203.0.113.10", labels: { [`x.${v.labelKey}`]: v.labelValue }, env: { EXTRA: v.envValue } },
      compose: { appService: "app", volume: "prop_data:/srv/data" },
      entrypoint: { appCommand: ["/app/bin/server", v.appWord] },
      systemd: { appUnit: "prop.service" },
    },
  } as ProjectInput;
}

type Outcome = { refused: ProjectError } | { files: Array<{ path: string; content: string; kind: string }> };

function run(description: ProjectInput): Outcome {
  try {
    return { files: generate(description).files };
  } catch (error) {
    if (error instanceof ProjectError) return { refused: error };
    throw new Error(`generate crashed (not a ProjectError): ${(error as Error).stack}`);
  }
}

/** Replaces every hostile value by its placeholder, longest first, so the twin's text can be compared. */
function toTwinText(text: string, v: Values): string {
  let out = text;
  for (const field of [...FIELDS].sort((a, b) => v[b].length - v[a].length)) {
    if (v[field] !== placeholder(field) && v[field].length > 0) out = out.split(v[field]).join(placeholder(field));
  }
  return out;
}

function yamlShape(node: unknown, v: Values): unknown {
  if (Array.isArray(node)) return node.map((n) => yamlShape(n, v));
  if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, n]) => [toTwinText(k, v), yamlShape(n, v)]));
  return typeof node;
}

function structure(file: { path: string; content: string }, v: Values): unknown {
  if (/\.ya?ml$/.test(file.path)) {
    const docs = parseAllDocuments(file.content, { version: "1.1" });
    const list = Array.isArray(docs) ? docs : [docs];
    for (const d of list) if (d.errors.length) throw new Error(`${file.path} does not parse as YAML 1.1: ${d.errors[0]!.message}`);
    return list.map((d) => yamlShape(d.toJS(), v));
  }
  if (/\.(service|conf)$/.test(file.path)) return unitDirectives(file.content).map((d) => d.key);
  if (/Dockerfile/.test(file.path)) return file.content.split("\n").filter((l) => /^[A-Z]+\s/.test(l)).map((l) => l.split(/\s/)[0]);
  return file.content.split("\n").length;
}

const values = (): fc.Arbitrary<{ values: Values; line: "0.3" | "0.5" }> =>
  fc.record({
    values: fc.record(Object.fromEntries(FIELDS.map((f) => [f, fc.oneof({ weight: 1, arbitrary: fc.constant(placeholder(f)) }, { weight: 2, arbitrary: f === "dbDir" || f === "dbFile" ? hostileSegment() : hostileString() })])) as unknown as Record<Field, fc.Arbitrary<string>>),
    line: fc.constantFrom("0.3" as const, "0.5" as const),
  });

const twinValues: Values = Object.fromEntries(FIELDS.map((f) => [f, placeholder(f)])) as Values;

describe("hostile strings in every free-text field, every target on", () => {
  it(`${RUNS} descriptions: refused with path, message and fix, or represented exactly`, () => {
    const started = Date.now();
    let refused = 0;
    let generated = 0;
    fc.assert(
      fc.property(values(), ({ values: v, line }) => {
        const outcome = run(describeWith(v, line));
        if ("refused" in outcome) {
          refused++;
          for (const issue of outcome.refused.issues) {
            expect(issue.path, issue.message).toBeDefined();
            expect(issue.fix, `${issue.path.join(".")}: ${issue.message}`).toBeTruthy();
          }
          return;
        }
        generated++;
        const twin = run(describeWith(twinValues, line));
        if ("refused" in twin) throw new Error(`the placeholder twin is refused: ${twin.refused.message}`);
        const twinByPath = new Map(twin.files.map((f) => [toTwinText(f.path, twinValues), f]));
        for (const file of outcome.files) {
          const counterpart = twinByPath.get(toTwinText(file.path, v));
          expect(counterpart, `no twin for ${file.path}`).toBeDefined();
          expect(structure(file, v), file.path).toEqual(structure(counterpart!, twinValues));
          if (file.kind === "litestream-config") {
            const config = parseAllDocuments(file.content, { version: "1.1" }) as unknown as Array<{ toJS(): { dbs: Array<{ path: string }> } }>;
            expect(config[0]!.toJS().dbs[0]!.path).toBe(`/srv/data/${v.dbDir}/${v.dbFile}.db`);
          }
          if (/\.(service|conf)$/.test(file.path)) {
            const twinLines = unitDirectives(counterpart!.content);
            for (const [i, d] of unitDirectives(file.content).entries()) {
              if (!/^Exec/.test(d.key)) continue;
              const words = splitSystemdCommandLine(d.value);
              const expected = splitSystemdCommandLine(twinLines[i]!.value).map((w) => restoreHostile(w, v));
              expect(words, `${file.path} ${d.key}`).toEqual(expected);
            }
          }
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(`hostile descriptions: ${RUNS} cases (seed ${SEED}): ${refused} refused, ${generated} generated, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 600_000);

  it(`${EXECUTED} generated scripts run with recording fakes: no canary, each database path one intact argument`, () => {
    const started = Date.now();
    let executed = 0;
    fc.assert(
      fc.property(values(), ({ values: v, line }) => {
        const outcome = run(describeWith(v, line));
        if ("refused" in outcome) return;
        const dir = makeTempDir("ld-prop");
        const fakes = join(dir, "fakes");
        mkdirSync(fakes);
        const log = join(dir, "argv.log");
        for (const name of ["litestream", "chown", "chmod", "su-exec", "gosu", "sleep"]) {
          writeFileSync(join(fakes, name), `#!/bin/sh\nprintf '%s\\0' "${name}" "$@" >> '${log}'\nprintf '\\n' >> '${log}'\nexit 0\n`);
          chmodSync(join(fakes, name), 0o755);
        }
        for (const file of outcome.files.filter((f) => f.kind === "entrypoint")) {
          const script = join(dir, "script.sh");
          writeFileSync(script, file.content);
          execFileSync("sh", ["-n", script]);
          const result = spawnSync("sh", [script], { cwd: dir, env: { PATH: `${fakes}:/usr/bin:/bin`, HOME: dir, LITESTREAM_CONFIG: join(dir, "litestream.yml"), LITESTREAM_ACCESS_KEY_ID: "ak", LITESTREAM_SECRET_ACCESS_KEY: "sk", AK: "ak", SK: "sk" }, encoding: "utf8", timeout: 10_000 });
          expect(result.error).toBeUndefined();
          executed++;
          expect(readdirSync(dir).filter((f) => f.includes(CANARY)), result.stderr).toEqual([]);
          const calls = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean).map((l) => l.split("\0").slice(0, -1)) : [];
          const db = `/srv/data/${v.dbDir}/${v.dbFile}.db`;
          const litestreamCalls = calls.filter((c) => c[0] === "litestream");
          expect(litestreamCalls.length, result.stderr).toBeGreaterThan(0);
          for (const call of litestreamCalls.filter((c) => c[1] === "restore")) expect(call.at(-1)).toBe(db);
        }
      }),
      { numRuns: EXECUTED, seed: SEED + 1, endOnFailure: true },
    );
    cleanupTempDirs();
    console.log(`hostile scripts: ${EXECUTED} descriptions, ${executed} scripts executed, ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 600_000);
});

function restoreHostile(word: string, v: Values): string {
  let out = word;
  for (const field of FIELDS) out = out.split(placeholder(field)).join(v[field]);
  return out;
}
