// Property-based hostile input (fast-check). Each case puts a hostile string into one free-text field
// (sometimes two) of a description with a target on (each target in turn, and all of them at once).
// Either the description is refused with a ProjectError whose every issue has a path, a message and a
// fix, or every value is represented exactly:
//   - every YAML artifact parses as YAML 1.1, and litestream.yml holds the database path exactly;
//   - the structure of every file (YAML keys, unit directives, Dockerfile instructions, line counts) is
//     that of a "twin" description whose hostile values are plain placeholders, so nothing a value
//     holds can add a line, a directive, an instruction or a key;
//   - systemd command lines split (as systemd splits them) into the twin's words with the placeholders
//     replaced back by the hostile values;
//   - a sample of the cases is executed: the entrypoint, Kamal's `docker run` line and the accessory's
//     script, the Compose restore command (taken from the real `docker-compose config`) and the systemd
//     install script run under sh with recording fakes (litestream, docker, systemctl, op, install, …):
//     no canary file is ever created and every `litestream restore` gets the database path as one
//     intact argument.
// The seeds are fixed (LD_FC_SEED overrides them; fast-check prints the failing seed and path);
// the case counts and the time are printed.
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseAllDocuments, parse } from "yaml";
import { generate, ProjectError, type ProjectInput } from "../src/index.js";
import { kamalAccessoryRunCommand } from "./fixtures/kamal/kamal-emulation.js";
import { composeModel } from "./harness/compose.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";
import { CANARY, hostileSegment, hostileString, printableHostileString } from "./support/hostile.js";
import { splitSystemdCommandLine, unitDirectives } from "./support/systemd-split.js";

afterAll(cleanupTempDirs);

const RUNS = Number(process.env.LD_FC_RUNS ?? 10_000);
const EXECUTED = Number(process.env.LD_FC_EXECUTED ?? 120);
const SEED = Number(process.env.LD_FC_SEED ?? 20261201);

/** The free-text fields under test; a case makes one or two of them hostile, the rest are placeholders. */
const FIELDS = [
  "dbDir",
  "dbFile",
  "prefix",
  "configFile",
  "replicaDir",
  "labelKey",
  "labelValue",
  "envValue",
  "appWord",
  "stepWord",
  "composeFile",
] as const;
type Field = (typeof FIELDS)[number];
type Values = Record<Field, string>;
const TARGETS = ["kamal", "compose", "entrypoint", "systemd", "all"] as const;
type Target = (typeof TARGETS)[number];
interface Case {
  values: Values;
  line: "0.3" | "0.5";
  target: Target;
  storage: "s3" | "file";
}

const placeholder = (field: Field): string => `ph${FIELDS.indexOf(field)}x`;
const twinValues: Values = Object.fromEntries(FIELDS.map((f) => [f, placeholder(f)])) as Values;
const dbPathOf = (v: Values) => `/srv/data/${v.dbDir}/${v.dbFile}.db`;

function describeWith(c: Case, v: Values = c.values, bin?: string): ProjectInput {
  const on = (t: Exclude<Target, "all">) => c.target === t || c.target === "all";
  return {
    name: "prop",
    litestream: { version: c.line, verify: false }, // no .deb checksum is recorded yet (docs/versions.md)
    storage:
      c.storage === "s3"
        ? {
            provider: "s3",
            endpoint: "https://s3.example.com",
            region: "us-east-1",
            bucket: "prop-backups",
            prefix: v.prefix,
            credentials: { accessKeyId: { env: "AK" }, secretAccessKey: { env: "SK" } },
          }
        : { provider: "file", path: `/var/backups/${v.replicaDir}` },
    databases: [{ name: "main", path: dbPathOf(v) }],
    environments: { production: { configFile: `config/${v.configFile}.yml` } },
    targets: {
      ...(on("kamal")
        ? {
            kamal: {
              version: "2.12",
              volume: "prop_data:/srv/data",
              host: "203.0.113.10",
              appEntrypoint: false,
              labels: { [`x.${v.labelKey}`]: v.labelValue },
              env: { EXTRA: v.envValue },
              beforeApp: [["bin/setup", v.stepWord]],
            },
          }
        : {}),
      ...(on("compose")
        ? { compose: { appService: "app", volume: "prop_data:/srv/data", overrideFile: `${v.composeFile}.litestream.yaml` } }
        : {}),
      ...(on("entrypoint")
        ? { entrypoint: { appCommand: ["/app/bin/server", v.appWord], beforeApp: [["/app/bin/setup", v.stepWord]] } }
        : {}),
      ...(on("systemd")
        ? {
            systemd: {
              appUnits: ["prop.service"],
              beforeApp: [["/usr/bin/env", v.stepWord]],
              ...(bin ? { binary: join(bin, "litestream") } : {}),
            },
          }
        : {}),
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

function restoreHostile(word: string, v: Values): string {
  let out = word;
  for (const field of FIELDS) out = out.split(placeholder(field)).join(v[field]);
  return out;
}

type KeyMap = (key: string) => string;

function yamlShape(node: unknown, key: KeyMap): unknown {
  if (Array.isArray(node)) return node.map((n) => yamlShape(n, key));
  if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, n]) => [key(k), yamlShape(n, key)]));
  return typeof node;
}

/** The shape of a file; `key` maps the twin's placeholders in YAML keys back to the hostile values. */
function structure(file: { path: string; content: string }, key: KeyMap): unknown {
  if (/\.ya?ml$/.test(file.path)) {
    const docs = parseAllDocuments(file.content, { version: "1.1" });
    const list = Array.isArray(docs) ? docs : [docs];
    for (const d of list) if (d.errors.length) throw new Error(`${file.path} does not parse as YAML 1.1: ${d.errors[0]!.message}`);
    return list.map((d) => yamlShape(d.toJS(), key));
  }
  if (/\.(service|conf|timer)$/.test(file.path)) return unitDirectives(file.content).map((d) => d.key);
  if (/Dockerfile/.test(file.path))
    return file.content
      .split("\n")
      .filter((l) => /^[A-Z]+\s/.test(l))
      .map((l) => l.split(/\s/)[0]);
  return file.content.split("\n").length;
}

const twins = new Map<string, Outcome>();
/** The placeholder twin depends only on the line, the target and the storage: generated once each. */
function twinOf(c: Case): Outcome {
  const key = `${c.line} ${c.target} ${c.storage}`;
  if (!twins.has(key)) twins.set(key, run(describeWith(c, twinValues)));
  return twins.get(key)!;
}

const oneOrTwoHostile = (): fc.Arbitrary<Values> =>
  fc
    .record({
      fields: fc.uniqueArray(fc.constantFrom(...FIELDS), { minLength: 1, maxLength: 2 }),
      printable: fc.array(printableHostileString(), { minLength: 2, maxLength: 2 }),
      any: fc.array(hostileString(), { minLength: 2, maxLength: 2 }),
      segment: fc.array(hostileSegment(), { minLength: 2, maxLength: 2 }),
      mostlyPrintable: fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }),
    })
    .map(({ fields, printable, any, segment, mostlyPrintable }) => {
      const v = { ...twinValues };
      fields.forEach((f, i) => {
        const pathSegment = f === "dbDir" || f === "dbFile" || f === "configFile" || f === "composeFile" || f === "replicaDir";
        v[f] = pathSegment
          ? mostlyPrintable[i]
            ? printable[i]!.replace(/\//g, "_")
            : segment[i]!
          : mostlyPrintable[i]
            ? printable[i]!
            : any[i]!;
        if (pathSegment && (v[f] === "." || v[f] === "..")) v[f] = `${v[f]}x`;
      });
      return v;
    });

const cases = (): fc.Arbitrary<Case> =>
  fc.record({
    values: oneOrTwoHostile(),
    line: fc.constantFrom("0.3" as const, "0.5" as const),
    target: fc.constantFrom(...TARGETS),
    storage: fc.constantFrom("s3" as const, "file" as const),
  });

describe("hostile strings in every free-text field, every target", () => {
  it(`${RUNS} descriptions: refused with path, message and fix, or represented exactly`, () => {
    const started = Date.now();
    const counts = { refused: 0, generated: 0 };
    fc.assert(
      fc.property(cases(), (c) => {
        const outcome = run(describeWith(c));
        if ("refused" in outcome) {
          counts.refused++;
          for (const issue of outcome.refused.issues) {
            expect(issue.path, issue.message).toBeDefined();
            expect(issue.message.length).toBeGreaterThan(0);
            expect(issue.fix, `${issue.path.join(".")}: ${issue.message}`).toBeTruthy();
          }
          return;
        }
        counts.generated++;
        const v = c.values;
        const twin = twinOf(c);
        if ("refused" in twin) throw new Error(`the placeholder twin is refused: ${twin.refused.message}`);
        const twinByPath = new Map(twin.files.map((f) => [restoreHostile(f.path, v), f]));
        for (const file of outcome.files) {
          const counterpart = twinByPath.get(file.path);
          expect(counterpart, `no twin for ${file.path}`).toBeDefined();
          expect(
            structure(file, (k) => k),
            file.path,
          ).toEqual(structure(counterpart!, (k) => restoreHostile(k, v)));
          if (file.kind === "litestream-config") {
            const config = parse(file.content, { version: "1.1" }) as { dbs: Array<{ path: string }> };
            expect(config.dbs[0]!.path).toBe(dbPathOf(v));
          }
          if (/\.(service|conf)$/.test(file.path)) {
            const twinLines = unitDirectives(counterpart!.content);
            for (const [i, d] of unitDirectives(file.content).entries()) {
              if (!/^Exec/.test(d.key)) continue;
              expect(splitSystemdCommandLine(d.value), `${file.path} ${d.key}`).toEqual(
                splitSystemdCommandLine(twinLines[i]!.value).map((w) => restoreHostile(w, v)),
              );
            }
          }
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(
      `hostile descriptions: ${RUNS} cases (seed ${SEED}): ${counts.refused} refused, ${counts.generated} generated and checked, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    expect(counts.generated).toBeGreaterThan(RUNS / 5); // the property must exercise representation, not only refusal
  }, 900_000);

  it(`${EXECUTED} descriptions executed with recording fakes: no canary, each database path one intact argument`, async () => {
    const started = Date.now();
    const executed = { entrypoint: 0, kamal: 0, compose: 0, install: 0 };
    const samples = fc.sample(
      cases().filter((c) => !("refused" in run(describeWith(c)))),
      { numRuns: EXECUTED, seed: SEED + 1 },
    );
    for (const c of samples) await execute(c, executed);
    console.log(
      `hostile scripts: ${EXECUTED} descriptions (seed ${SEED + 1}), executed ${JSON.stringify(executed)}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    for (const n of Object.values(executed)) expect(n).toBeGreaterThan(0);
  }, 900_000);
});

const FAKES = [
  "litestream",
  "docker",
  "systemctl",
  "op",
  "chown",
  "chmod",
  "chgrp",
  "install",
  "useradd",
  "groupadd",
  "usermod",
  "getent",
  "dpkg",
  "runuser",
  "cmp",
  "mktemp",
  "curl",
  "wget",
  "sha256sum",
  "sleep",
  "mkdir",
];
const BEHAVIOUR: Record<string, string> = {
  id: '[ "$#" -eq 1 ] && [ "$1" = -u ] && echo 0',
  systemctl: '[ "$1" = is-active ] && exit 3',
  cmp: "exit 1",
  litestream: '[ "$1" = version ] && echo v0.0.0',
};

function sandbox(): { dir: string; bin: string; log: string; env: Record<string, string> } {
  const dir = makeTempDir("ld-prop");
  const bin = join(dir, "bin");
  mkdirSync(bin);
  const log = join(dir, "argv.log");
  writeFileSync(log, "");
  for (const name of [...FAKES, "id"]) {
    writeFileSync(
      join(bin, name),
      `#!/bin/sh\n{ printf '%s\\0' ${name} "$@"; printf '\\036\\n'; } >> "$ARGV_LOG"\n${BEHAVIOUR[name] ?? ""}\nexit 0\n`,
    );
    chmodSync(join(bin, name), 0o755);
  }
  const env = {
    PATH: `${bin}:/usr/bin:/bin`,
    HOME: dir,
    ARGV_LOG: log,
    LITESTREAM_ACCESS_KEY_ID: "ak",
    LITESTREAM_SECRET_ACCESS_KEY: "sk",
    AK: "ak",
    SK: "sk",
    LITESTREAM_WAIT_TIMEOUT: "1",
  };
  return { dir, bin, log, env };
}

function calls(log: string): string[][] {
  return readFileSync(log, "utf8")
    .split("\x1e\n")
    .filter(Boolean)
    .map((r) => r.split("\0").slice(0, -1));
}

function runSh(args: string[], cwd: string, env: Record<string, string>): string {
  const r = spawnSync("sh", args, { cwd, env, encoding: "utf8", timeout: 20_000 });
  if (r.error) throw r.error;
  return `${r.stdout}${r.stderr}`;
}

function expectSafe(s: ReturnType<typeof sandbox>, output: string, db: string, what: string): void {
  expect(
    readdirSync(s.dir).filter((f) => f.includes(CANARY)),
    `${what}: ${output}`,
  ).toEqual([]);
  for (const call of calls(s.log).filter((c) => c[0] === "litestream" && c[1] === "restore")) expect(call.at(-1), what).toBe(db);
}

async function execute(c: Case, executed: Record<string, number>): Promise<void> {
  const s = sandbox();
  const outcome = run(describeWith(c, c.values, s.bin));
  if ("refused" in outcome) return;
  const db = dbPathOf(c.values);
  const checkout = join(s.dir, "checkout");
  for (const file of outcome.files) {
    mkdirSync(dirname(join(checkout, file.path)), { recursive: true });
    writeFileSync(join(checkout, file.path), file.content);
  }
  for (const file of outcome.files) {
    if (file.kind === "entrypoint") {
      execFileSync("sh", ["-n", join(checkout, file.path)]);
      expectSafe(s, runSh([join(checkout, file.path)], s.dir, s.env), db, file.path);
      executed.entrypoint!++;
    } else if (file.kind === "install-script") {
      execFileSync("sh", ["-n", join(checkout, file.path)]);
      expectSafe(s, runSh([join(checkout, file.path)], s.dir, s.env), db, file.path);
      executed.install!++;
    } else if (file.kind === "kamal-accessory") {
      const accessory = (parse(file.content, { version: "1.1" }) as { accessories: Record<string, Record<string, unknown>> }).accessories
        .litestream!;
      const line = kamalAccessoryRunCommand(accessory, { service: "prop", name: "litestream" });
      const out = runSh(["-c", line], s.dir, s.env);
      const docker = calls(s.log).find((call) => call[0] === "docker")!;
      const image = docker.indexOf(accessory.image as string);
      expect(image, out).toBeGreaterThan(0);
      const container = docker.slice(image + 1);
      if (container[0] === "-c") expectSafe(s, runSh(["-c", container[1]!], s.dir, s.env), db, "accessory script");
      else expectSafe(s, out, db, "docker run line");
      executed.kamal!++;
    } else if ((file.kind === "compose-override" || file.kind === "compose") && executed.compose! < 15) {
      const files = ["compose.yaml", file.path].map((p) => join(checkout, p));
      if (!existsSync(files[0]!))
        writeFileSync(
          files[0]!,
          "services:\n  app:\n    image: acme/app\n    volumes:\n      - prop_data:/srv/data\nvolumes:\n  prop_data: {}\n",
        );
      const model = await composeModel(files, { env: { AK: "ak", SK: "sk" } });
      const restore = model.services["litestream-restore"] as { command?: string[] } | undefined;
      if (restore?.command) {
        const script = restore.command.map((w) => w.replace(/\$\$/g, "$")).at(-1)!;
        expectSafe(s, runSh(["-c", script], s.dir, s.env), db, "compose restore");
        executed.compose!++;
      }
    }
  }
}
