// systemd as the reader of generated units, two ways:
// - parseCommandLines(): a faithful splitter of ExecStart=-style values as systemd 252 parses them
//   (extract_first_word with unquoting and C escapes, a bare ";" between commands, "%%" and "$$"),
//   strict about everything the generator never writes;
// - systemdDump(): systemd itself. `systemd --test --system` loads the units from SYSTEMD_UNIT_PATH
//   and dumps every parsed setting ("Command Line:", ReadWritePaths:, After:, …) plus its warnings.
//   It refuses to run as root, so it runs as nobody; the unit directory must be readable for that.
import { execFile } from "node:child_process";
import { chmodSync } from "node:fs";

export const SYSTEMD_BINARY = "/lib/systemd/systemd";

const C_ESCAPES: Record<string, string> = {
  "\\": "\\",
  '"': '"',
  "'": "'",
  n: "\n",
  t: "\t",
  s: " ",
  a: "\x07",
  b: "\b",
  f: "\f",
  r: "\r",
  v: "\v",
};

/** One command line per command (systemd still splits a value on a bare ";"), as argv at run time. */
export function parseCommandLines(value: string): string[][] {
  const commands: string[][] = [[]];
  let i = 0;
  const at = () => value[i];
  while (i < value.length) {
    while (at() === " " || at() === "\t") i++;
    if (i >= value.length) break;
    if (commands.at(-1)!.length === 0 && /[-@+!:]/.test(at()!)) throw new Error(`prefix ${at()} on a command: ${value}`);
    let word = "";
    let quote: string | undefined;
    let quotedAny = false;
    for (; i < value.length; i++) {
      const c = value[i]!;
      if (c === "\\") {
        const next = value[++i];
        if (next === undefined || !(next in C_ESCAPES)) throw new Error(`escape \\${next ?? ""} the generator never writes: ${value}`);
        word += C_ESCAPES[next];
      } else if (quote) {
        if (c === quote) quote = undefined;
        else word += c;
      } else if (c === '"' || c === "'") {
        quote = c;
        quotedAny = true;
      } else if (c === " " || c === "\t") {
        break;
      } else {
        word += c;
      }
    }
    if (quote) throw new Error(`Unbalanced quoting: systemd drops the line: ${value}`);
    if (word === ";" && !quotedAny) commands.push([]);
    else commands.at(-1)!.push(word);
  }
  return commands.filter((c) => c.length > 0).map((argv) => argv.map(resolveWord));
}

/** Specifiers (only %%) and the run-time environment expansion (only $$). */
function resolveWord(word: string): string {
  let out = "";
  for (let i = 0; i < word.length; i++) {
    const c = word[i]!;
    if (c === "%" || c === "$") {
      if (word[i + 1] !== c) throw new Error(`${c}${word[i + 1] ?? ""} would be expanded by systemd: ${word}`);
      i++;
    }
    out += c;
  }
  return out;
}

/** The words of a "Command Line:" of systemd's dump (shell-style quoting, `\X` for X). */
export function parseDumpCommandLine(text: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === " ") i++;
    if (i >= text.length) break;
    let word = "";
    let quoted = false;
    for (; i < text.length && (quoted || text[i] !== " "); i++) {
      const c = text[i]!;
      if (c === "\\") word += text[++i];
      else if (c === '"') quoted = !quoted;
      else word += c;
    }
    words.push(word);
  }
  return words;
}

export interface UnitDump {
  /** Lines of systemd's own warnings that name a file in the unit directory. */
  warnings: string[];
  /** "Key: value" settings of the unit, in dump order (repeated keys kept). */
  settings: [string, string][];
  /** Each Exec* setting's command lines, as words before the run-time $$ expansion. */
  commands: Record<string, string[][]>;
  /** Units the initial transaction (starting `unit`) starts, e.g. "litestream.service". */
  starts: string[];
}

/** Loads `unit` (and what it references) from `dir` with systemd itself and returns its dump. */
export function systemdDump(dir: string, unit: string): Promise<UnitDump> {
  chmodSync(dir, 0o755);
  const asNobody = process.getuid?.() === 0 ? ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : [];
  const argv = [...asNobody, SYSTEMD_BINARY, "--test", "--system", `--unit=${unit}`, "--no-pager"];
  return new Promise((resolve, reject) => {
    execFile(
      argv[0]!,
      argv.slice(1),
      {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", SYSTEMD_UNIT_PATH: `${dir}:`, SYSTEMD_LOG_LEVEL: "warning" },
        timeout: 60_000,
        maxBuffer: 64 << 20,
      },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`systemd --test failed: ${err.message}\n${stderr}`));
        const all = `${stdout}\n${stderr}`.split("\n");
        const warnings = all.filter((l) => l.startsWith(`${dir}/`));
        const start = all.findIndex((l) => l === `\t-> Unit ${unit}:`);
        if (start < 0) return reject(new Error(`no dump of ${unit}:\n${all.slice(0, 20).join("\n")}`));
        const end = all.findIndex((l, i) => i > start && l.startsWith("\t-> Unit "));
        const block = all.slice(start + 1, end < 0 ? undefined : end);
        const settings: [string, string][] = [];
        const commands: Record<string, string[][]> = {};
        let exec: string | undefined;
        for (const line of block) {
          const header = /^\t\t-> (Exec\w+):$/.exec(line);
          if (header) {
            exec = header[1]!;
            commands[exec] ??= [];
            continue;
          }
          const command = /^\t\t\tCommand Line: (.*)$/.exec(line);
          if (command && exec) {
            commands[exec]!.push(parseDumpCommandLine(command[1]!));
            continue;
          }
          const setting = /^\t\t([A-Za-z]+): (.*)$/.exec(line);
          if (setting) {
            exec = undefined;
            settings.push([setting[1]!, setting[2]!]);
          }
        }
        const starts = all.flatMap((l) => /^\t\t\tAction: (\S+) -> start$/.exec(l)?.[1] ?? []);
        resolve({ warnings, settings, commands, starts });
      },
    );
  });
}

/** Values of one setting in a dump. */
export function dumpSetting(dump: UnitDump, key: string): string[] {
  return dump.settings.filter(([k]) => k === key).map(([, v]) => v);
}
