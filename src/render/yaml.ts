/**
 * YAML builders with comments, one style for every target that writes YAML: a light text tree that
 * `textDocument` (yaml-emit.ts) writes with the `yaml` library's rules (test/yaml-emit*.test.ts
 * compare the two).
 */
import type { TextBlock, TextEntry, TextMap, TextNode, TextScalar, TextSeq } from "./yaml-emit.js";

/** Comment lines as the `yaml` library wants them: one space after `#`, blank lines stay blank. */
export function commentText(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? ` ${line}` : ""))
    .join("\n");
}

export type TextValue = TextNode | string;
/** A mapping entry: key, value (skipped when undefined) and a comment above the key. */
export type TextEntryInput = [key: string, value: TextValue | undefined, comment?: string | false | undefined];

/** A string as a plain scalar (quoted by the writer where YAML needs it), or a number or boolean. */
export function textScalar(value: string | number | boolean): TextScalar {
  return { kind: "scalar", value, type: undefined, comment: undefined };
}

const textNode = (value: TextValue): TextNode => (typeof value === "string" ? textScalar(value) : value);

/** A block mapping; each entry's comment goes above its key; `spaced`: a blank line between entries. */
export function textMap(entries: TextEntryInput[], spaced = false): TextMap {
  const written: TextEntry[] = [];
  for (const [key, value, comment] of entries) {
    if (value === undefined) continue;
    written.push(comment ? [key, textNode(value), commentText(comment)] : [key, textNode(value)]);
  }
  return { kind: "map", entries: written, commentBefore: undefined, spaced };
}

export function textSeq(items: TextValue[]): TextSeq {
  return { kind: "seq", items: items.map(textNode), flow: false };
}

/** A one-line list of double-quoted strings, e.g. ["/bin/sh", "-c"]. */
export function textFlow(items: string[]): TextSeq {
  return { kind: "seq", items: items.map(textQuoted), flow: true };
}

export function textQuoted(text: string): TextScalar {
  return { kind: "scalar", value: text, type: "QUOTE_DOUBLE", comment: undefined };
}

/** A literal block scalar (`|`) of `lines.join("\n")`: each line written as it is; an element may hold several. */
export function textBlock(lines: readonly string[]): TextBlock {
  return { kind: "block", lines };
}

/** A literal block scalar of a whole text (a file): one element, indented at once. */
export function textBlockOfText(text: string): TextBlock {
  return textBlock(text.endsWith("\n") ? [text.slice(0, -1), ""] : [text]);
}
