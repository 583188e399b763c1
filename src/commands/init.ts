/**
 * `init`: detect the app, ask the seed-002 questions (or take flags with --yes), check the answers
 * by generating from them, and write a typed litestream.config.ts. Never overwrites a file.
 */
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { formatIssues, ProjectError } from "../errors.js";
import { generate } from "../generate.js";
import { descriptionFrom, nextQuestion, type Answers } from "../init/answers.js";
import { detectApp, type Detection } from "../init/detect.js";
import { answerProblem, InputClosedError, terminalAsker } from "../init/prompt.js";
import { renderConfigFile } from "../init/render.js";
import { CONFIG_NAMES } from "../load-config.js";
import type { Command, CommandContext } from "./context.js";

/** Flag → answer key. */
const FLAGS: Record<string, string> = {
  name: "name",
  litestream: "litestream",
  provider: "provider",
  "account-id": "accountId",
  region: "region",
  location: "location",
  endpoint: "endpoint",
  "backup-dir": "backupDir",
  bucket: "bucket",
  credentials: "credentials",
  "op-item": "opItem",
  database: "databases",
  preset: "preset",
  restore: "restore",
  target: "target",
  volume: "volume",
  host: "host",
  "kamal-version": "kamalVersion",
  "app-service": "appService",
  "app-unit": "appUnit",
  "app-user": "appUser",
};

export const initCommand: Command = {
  summary: "write a litestream.config.ts for this app, from detection and a few questions",
  usage: `Usage: litestream-deploy init [--yes] [--provider NAME] [--bucket NAME] [--target kamal|compose|systemd|none] [options]

Detect the app (config/deploy.yml, compose.yaml, config/database.yml, *.service, Django, Laravel,
Prisma), ask how it should be backed up (in a terminal; Enter takes the default shown), and write
litestream.config.ts. Never overwrites a file (exit 1). Every question has a flag:
  -y, --yes               no questions: detected values and defaults, plus these flags
  --name NAME             app name                    --litestream 0.5|0.3   Litestream line
  --provider NAME         r2, aws, b2, hetzner, digitalocean, tigris, minio, s3, file
  --account-id ID         (r2)  --region R (aws, b2, digitalocean, s3)  --location L (hetzner)
  --endpoint URL          (minio, s3)                 --backup-dir DIR (file)
  --bucket NAME           --credentials env|op        --op-item op://Vault/Item
  --database PATH         a database path (repeatable; default: detected)
  --preset NAME           personal, active or critical (how often to sync and snapshot)
  --restore yes|no        restore a missing database before the app starts (default yes)
  --target NAME           kamal, compose, systemd or none
  --volume NAME:/PATH     (kamal, compose)  --host HOST (kamal)  --kamal-version 2.x
  --app-service NAME      (compose)  --app-unit UNIT.service, --app-user USER (systemd)
  --out FILE              where to write (default litestream.config.ts)`,
  options: {
    yes: { type: "boolean", short: "y" },
    out: { type: "string" },
    ...Object.fromEntries(
      Object.keys(FLAGS).map((flag) => [flag, flag === "database" ? { type: "string", multiple: true } : { type: "string" }]),
    ),
  },
  run: runInit,
};

async function runInit({ io, values, color }: CommandContext): Promise<number> {
  const file = path.resolve(io.cwd, (values.out as string | undefined) ?? "litestream.config.ts");
  const existing = existsSync(file)
    ? file
    : values.out
      ? undefined
      : CONFIG_NAMES.map((n) => path.join(io.cwd, n)).find((f) => existsSync(f));
  if (existing) {
    io.err(
      `litestream-deploy init: ${path.relative(io.cwd, existing)} already exists; init never overwrites it.\n  → edit it, or move it away and run init again`,
    );
    return 1;
  }
  const detection = detectApp(io.cwd);
  const answers: Answers = {};
  for (const [flag, key] of Object.entries(FLAGS)) {
    const value = values[flag] as string | string[] | undefined;
    if (value !== undefined) answers[key] = Array.isArray(value) ? value.join(",") : value;
  }
  const input = io.input ?? process.stdin;
  const interactive = !values.yes;
  if (interactive && !input.isTTY) {
    io.err(
      "litestream-deploy init: the input is not a terminal: pass --yes (with flags such as --provider and --bucket) to run without questions",
    );
    return 2;
  }
  io.err(
    detection.notes.length
      ? `Detected:\n${detection.notes.map((n) => `  ${n}`).join("\n")}`
      : "Detected nothing to start from: every answer is yours.",
  );
  const problem = interactive ? await askAll(answers, detection, input) : takeDefaults(answers, detection);
  if (problem) {
    io.err(`litestream-deploy init: ${problem}`);
    return 2;
  }
  const draft = descriptionFrom(answers, detection);
  try {
    generate(draft.value);
  } catch (error) {
    if (!(error instanceof ProjectError)) throw error;
    io.err(
      `litestream-deploy init: these answers do not make a description that generates; nothing was written.\n${formatIssues(error.issues)}`,
    );
    return 2;
  }
  try {
    writeFileSync(file, renderConfigFile(draft, detection.notes), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    io.err(`litestream-deploy init: ${path.relative(io.cwd, file)} already exists; init never overwrites it.`);
    return 1;
  }
  const relative = path.relative(io.cwd, file);
  const config = relative === "litestream.config.ts" ? "" : ` --config ${relative}`;
  io.out(`${color.green("created")}  ${relative}`);
  io.out(`Next: npx litestream-deploy generate${config}   (then: npx litestream-deploy secrets check${config})`);
  return 0;
}

/** --yes: every question takes its flag or its default; a question without either names its flag. */
function takeDefaults(answers: Answers, detection: Detection): string | undefined {
  const given = takeAll(answers);
  for (let question = nextQuestion(answers, detection); question; question = nextQuestion(answers, detection)) {
    const answer = given[question.key] ?? question.default ?? "";
    const problem = answerProblem(question, answer);
    if (problem) return `${question.text}: ${answer === "" ? "no default" : `"${answer}": ${problem}`}; pass --${flagOf(question.key)}`;
    answers[question.key] = answer;
  }
  return unusedFlag(given, answers);
}

/** In a terminal: flags given on the command line are checked, not asked again. */
async function askAll(answers: Answers, detection: Detection, input: NodeJS.ReadableStream): Promise<string | undefined> {
  const given = takeAll(answers);
  const asker = terminalAsker(input, process.stderr);
  try {
    for (let question = nextQuestion(answers, detection); question; question = nextQuestion(answers, detection)) {
      const flagged = given[question.key];
      if (flagged !== undefined) {
        const problem = answerProblem(question, flagged);
        if (problem) return `${question.text}: "${flagged}": ${problem}; fix --${flagOf(question.key)}`;
        answers[question.key] = flagged;
      } else answers[question.key] = await asker.ask(question);
    }
    return unusedFlag(given, answers);
  } catch (error) {
    if (error instanceof InputClosedError) return error.message;
    throw error;
  } finally {
    asker.close();
  }
}

/** Empties `answers`, returning what it held. */
function takeAll(answers: Answers): Answers {
  const given = { ...answers };
  for (const key of Object.keys(answers)) delete answers[key];
  return given;
}

function flagOf(key: string): string {
  return Object.entries(FLAGS).find(([, k]) => k === key)?.[0] ?? key;
}

/** A flag no question asked for (--location with --provider r2) is a mistake worth naming. */
function unusedFlag(given: Answers, answers: Answers): string | undefined {
  const unused = Object.keys(given).find((key) => !(key in answers));
  return unused ? `--${flagOf(unused)} does not apply to these answers (e.g. a setting of another provider or target)` : undefined;
}
