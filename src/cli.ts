/**
 * litestream-deploy CLI: a table of commands, each with its own options and help. Exit codes: 0
 * done, 1 drift or a refused/failed write (--check, a file it will not overwrite, a path outside
 * the project root, a failed or locked write: nothing written; init: a file it will not overwrite;
 * secrets check: a missing secret), 2 a problem in the description or the command line (printed
 * without a stack trace). Help goes to stdout with exit 0.
 */
import { formatPath, ProjectError } from "./errors.js";
import { generateCommand } from "./commands/generate.js";
import { initCommand } from "./commands/init.js";
import { schemaCommand } from "./commands/schema.js";
import { secretsCommand } from "./commands/secrets.js";
import {
  colorsFor,
  issueProblems,
  parseCommandArgs,
  printJson,
  SHARED_USAGE,
  userError,
  type CliIO,
  type Command,
} from "./commands/context.js";

export type { CliIO } from "./commands/context.js";

/** Every command by name; a new command is one entry here. */
export const COMMANDS: Record<string, Command> = {
  init: initCommand,
  generate: generateCommand,
  "secrets check": secretsCommand,
  schema: schemaCommand,
};

function usage(): string {
  const names = Object.keys(COMMANDS);
  const width = Math.max(...names.map((n) => n.length));
  return `Usage: litestream-deploy <command> [options]

${names.map((name) => `  ${name.padEnd(width)}  ${COMMANDS[name]!.summary}`).join("\n")}
  ${"doctor".padEnd(width)}  what to check on the live system; --local runs the read-only checks

  litestream-deploy <command> --help   the command's options
  litestream-deploy --version`;
}

const defaultIO: CliIO = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
  isTTY: !!process.stdout.isTTY,
};

export async function runCli(argv: string[], io: CliIO = defaultIO): Promise<number> {
  // doctor parses its own options (docs/operations.md).
  if (argv[0] === "doctor") {
    return (await import("./commands/doctor.js")).runDoctor(argv.slice(1), io);
  }
  const words = argv.filter((a) => !a.startsWith("-"));
  const name = [`${words[0]} ${words[1]}`, words[0]].find((n) => n !== undefined && Object.hasOwn(COMMANDS, n));
  if (!name) {
    if (argv.includes("--version")) {
      io.out(await packageVersion());
      return 0;
    }
    if (argv.includes("--help") || argv.includes("-h")) {
      io.out(usage());
      return 0;
    }
    const meant = Object.keys(COMMANDS).find((n) => n.startsWith(`${words[0]} `));
    io.err(
      words[0] ? `litestream-deploy: unknown command "${words[0]}"${meant ? `; did you mean "${meant}"?` : ""}\n\n${usage()}` : usage(),
    );
    return 2;
  }
  const command = COMMANDS[name]!;
  const rest = removeWords(argv, name.split(" "));
  let parsed;
  try {
    parsed = parseCommandArgs(command, rest);
  } catch (error) {
    io.err(`litestream-deploy ${name}: ${(error as Error).message}\n\n${command.usage}\n${SHARED_USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(`${command.usage}\n${SHARED_USAGE}`);
    return 0;
  }
  if (parsed.positionals.length) {
    io.err(`litestream-deploy ${name}: unexpected argument "${parsed.positionals[0]}"\n\n${command.usage}`);
    return 2;
  }
  const json = !!parsed.values.json;
  try {
    return await command.run({ io, values: parsed.values, positionals: parsed.positionals, json, color: colorsFor(parsed.values, io) });
  } catch (error) {
    const problem = userError(error);
    if (!problem) throw error;
    if (json) {
      const problems =
        error instanceof ProjectError
          ? issueProblems(error.issues, formatPath)
          : [{ message: problem.message.replace(/^litestream-deploy: /, ""), ...(problem.fix ? { fix: problem.fix } : {}) }];
      printJson(io, { command: name, ok: false, problems });
    } else io.err(problem.message);
    return problem.exitCode;
  }
}

/** argv without the command's words (their first occurrences). */
function removeWords(argv: string[], words: string[]): string[] {
  const rest = [...argv];
  for (const word of words) rest.splice(rest.indexOf(word), 1);
  return rest;
}

async function packageVersion(): Promise<string> {
  const { readFileSync } = await import("node:fs");
  const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}
