// The `yaml` library's own node builders, for the tests that compare src/render/yaml-emit.ts's
// yamlText (which writes library nodes, e.g. Compose's in-place snippets) with the library.
import { Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { commentText } from "../../src/render/yaml.js";

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
