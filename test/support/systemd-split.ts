// Splits a systemd command line (ExecStart=, ExecStartPre=) into argv as systemd does
// (systemd.service(5) "Command lines", systemd.syntax(7)): specifiers (%%) and $$ are resolved,
// words are separated by whitespace, a word may be wrapped whole in "…" or '…', and C-style
// backslash escapes are decoded. Anything systemd would reject or read differently throws, so a
// test that feeds generated lines through it fails on an ambiguous line instead of guessing.

const ESCAPES: Record<string, string> = {
  a: "\x07",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  '"': '"',
  "'": "'",
  s: " ",
};

export function splitSystemdCommandLine(line: string): string[] {
  const text = line.replace(/^[@\-:+!]+/, "");
  const words: string[] = [];
  let i = 0;
  const isSpace = (c: string | undefined) => c === " " || c === "\t";
  while (i < text.length) {
    while (isSpace(text[i])) i++;
    if (i >= text.length) break;
    let word = "";
    const quote = text[i] === '"' || text[i] === "'" ? text[i] : undefined;
    if (quote) i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) {
        if (quote) throw new Error(`unbalanced quoting in ${JSON.stringify(line)}`);
        break;
      }
      if (quote ? c === quote : isSpace(c)) {
        if (quote) {
          i++;
          if (i < text.length && !isSpace(text[i])) throw new Error(`closing quote not followed by whitespace in ${JSON.stringify(line)}`);
        }
        break;
      }
      if (!quote && (c === '"' || c === "'")) throw new Error(`quote inside an unquoted word in ${JSON.stringify(line)}`);
      if (c === "\\") {
        const n = text[i + 1];
        if (n === undefined) throw new Error(`trailing backslash in ${JSON.stringify(line)}`);
        if (n in ESCAPES) {
          word += ESCAPES[n];
          i += 2;
          continue;
        }
        if (n === "x" && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
          word += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
          i += 4;
          continue;
        }
        throw new Error(`unknown escape \\${n} in ${JSON.stringify(line)}`);
      }
      if (c === "%") {
        if (text[i + 1] !== "%") throw new Error(`specifier %${text[i + 1] ?? ""} in ${JSON.stringify(line)}: a literal % is written %%`);
        word += "%";
        i += 2;
        continue;
      }
      if (c === "$") {
        if (text[i + 1] !== "$") throw new Error(`variable reference in ${JSON.stringify(line)}: a literal $ is written $$`);
        word += "$";
        i += 2;
        continue;
      }
      word += c;
      i++;
    }
    words.push(word);
  }
  return words;
}

/** Every `Key=value` line of a unit (continuation lines joined), in order. */
export function unitDirectives(unit: string): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  const lines = unit.split("\n");
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (/^\s*([#;]|$)/.test(line) || line.startsWith("[")) continue;
    while (line.endsWith("\\") && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]}`;
    const eq = line.indexOf("=");
    if (eq < 0) throw new Error(`not a directive: ${JSON.stringify(line)}`);
    out.push({ key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() });
  }
  return out;
}
