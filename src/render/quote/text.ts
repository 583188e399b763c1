/**
 * Characters no generated file can carry faithfully, whatever its language: control characters
 * (C0, DEL, C1 — NEL U+0085 among them, which YAML 1.1 readers turn into a space), the line and
 * paragraph separators U+2028/U+2029, and lone UTF-16 surrogates (no UTF-8 encoding). Every
 * free-text value of a description is checked with this before it reaches a renderer.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const UNREPRESENTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Why `value` cannot be written into a generated file, or undefined when it can. */
export function unrepresentableText(value: string): string | undefined {
  if (PRINTABLE_ASCII.test(value)) return undefined; // the common case, without the lookarounds below
  const match = UNREPRESENTABLE.exec(value);
  if (!match) return undefined;
  const ch = match[0];
  const code = `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`;
  const surrogate = /[\uD800-\uDFFF]/.test(ch);
  const name = surrogate
    ? "a lone surrogate"
    : ch === "\n"
      ? "a newline"
      : ch === "\r"
        ? "a carriage return"
        : ch === "\t"
          ? "a tab"
          : ch === "\0"
            ? "a NUL"
            : ch === "\u0085"
              ? "NEL"
              : ch === "\u2028"
                ? "a line separator"
                : ch === "\u2029"
                  ? "a paragraph separator"
                  : "a control character";
  return `contains ${name} (${code}) at position ${match.index}, which no generated file can hold faithfully`;
}
