/**
 * YAML node builders with comments, and `yamlText`, which writes a document like the `yaml`
 * library does but copies long block literals (scripts, embedded configs) in one pass instead of
 * through the library's per-character scalar writer.
 */
import { Document, isMap, isPair, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type ToStringOptions } from "yaml";

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

/** Below this size the library's own writer is as fast. */
const FAST_BLOCK_MIN = 256;
const TOKEN = "litestream-deploy-block";

/**
 * `new Document(contents).toString(options)` (or `document.toString(options)`), byte for byte.
 * Long block literals the library would write with the plain `|` header (one final newline, no
 * leading space or blank line) are written as a short placeholder line, then copied in with the
 * indentation the library gave that line.
 */
export function yamlText(document: Document, options: ToStringOptions): string {
  const blocks = longBlocks(document.contents);
  if (!blocks.length) return document.toString(options);
  const originals = blocks.map((node) => node.value as string);
  blocks.forEach((node, i) => (node.value = `${TOKEN}-${i}\n`));
  let text: string;
  try {
    text = document.toString(options);
  } finally {
    blocks.forEach((node, i) => (node.value = originals[i]));
  }
  if (text.split(TOKEN).length - 1 !== blocks.length) return document.toString(options);
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < blocks.length; i++) {
    const token = `${TOKEN}-${i}`;
    const at = text.indexOf(token, from);
    const lineStart = text.lastIndexOf("\n", at) + 1;
    const indent = text.slice(lineStart, at);
    // The placeholder is unique and alone on its line, as the library writes a block literal's first line.
    if (at < 0 || !/^ +$/.test(indent) || text[at + token.length] !== "\n") return document.toString(options);
    parts.push(text.slice(from, at), originals[i]!.slice(0, -1).replace(/\n+/g, `$&${indent}`));
    from = at + token.length;
  }
  parts.push(text.slice(from));
  return parts.join("");
}

/** Block literals the fast path writes exactly as the library would. */
function longBlocks(node: unknown, found: Scalar[] = []): Scalar[] {
  if (isScalar(node)) {
    const value = node.value;
    if (node.type === "BLOCK_LITERAL" && typeof value === "string" && value.length >= FAST_BLOCK_MIN && !node.comment && plainBlockHeader(value)) found.push(node);
  } else if ((isMap(node) || isSeq(node)) && !node.flow) {
    for (const item of node.items) longBlocks(item, found);
  } else if (isPair(node)) {
    longBlocks(node.value, found);
  }
  return found;
}

/** The library double-quotes any string with one of these, whatever its type. */
const NEEDS_QUOTES = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u;

/** Clip chomping and no indentation indicator: one final newline, the first line starts with text. */
function plainBlockHeader(value: string): boolean {
  if (!value.endsWith("\n") || /\n[\t ]*\n$/.test(value)) return false;
  const first = value.charCodeAt(0);
  return first !== 32 && first !== 10 && first !== 9 && !NEEDS_QUOTES.test(value);
}
