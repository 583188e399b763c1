/**
 * YAML node builders with comments, one style for every target that writes YAML: build the nodes,
 * then `new Document(node).toString({ lineWidth: 0, ... })` writes them. Below, the same builders
 * for the text trees `textDocument` (yaml-emit.ts) writes.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
import type { TextBlock, TextEntry, TextMap, TextNode, TextScalar, TextSeq } from "./yaml-emit.js";

export type YamlNode = Scalar | YAMLMap | YAMLSeq;
export type YamlValue = YamlNode | string;
/** A mapping entry: key, value (skipped when undefined) and a comment above the key. */
export type YamlEntry = [key: string, value: YamlValue | undefined, comment?: string | false | undefined];

function toNode(value: YamlValue): YamlNode {
  return typeof value === "string" ? new Scalar(value) : value;
}

/** A block mapping; each entry's comment goes above its key. */
export function map(entries: YamlEntry[]): YAMLMap {
  const node = new YAMLMap();
  for (const [key, value, comment] of entries) {
    if (value === undefined) continue;
    const keyNode = new Scalar(key);
    if (comment) keyNode.commentBefore = commentText(comment);
    node.items.push(new Pair(keyNode, toNode(value)));
  }
  return node;
}

/** Comment lines as the `yaml` library wants them: one space after `#`, blank lines stay blank. */
export function commentText(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? ` ${line}` : ""))
    .join("\n");
}

export function seq(items: YamlValue[]): YAMLSeq {
  const node = new YAMLSeq();
  node.items.push(...items.map(toNode));
  return node;
}

/** A one-line list of double-quoted strings, e.g. ["/bin/sh", "-c"]. */
export function flow(items: string[]): YAMLSeq {
  const node = seq(items.map((item) => quoted(item)));
  node.flow = true;
  return node;
}

export function quoted(text: string): Scalar {
  const node = new Scalar(text);
  node.type = "QUOTE_DOUBLE";
  return node;
}

/** A literal block scalar (`|`): the text exactly, line by line. */
export function block(text: string): Scalar {
  const node = new Scalar(text);
  node.type = "BLOCK_LITERAL";
  return node;
}

// The same builders for the lighter text tree of yaml-emit.ts (`textDocument`): for a file large
// enough that `yaml` nodes cost (compose.litestream.yaml embeds litestream.yml and scripts).

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
