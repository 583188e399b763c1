/**
 * YAML node builders with comments, one style for every target that writes YAML: build the nodes,
 * then `new Document(node).toString({ lineWidth: 0, ... })` writes them.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";

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
