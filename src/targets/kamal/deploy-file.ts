/**
 * Delivering the accessory: a standalone partial file (fully generated), and an in-place update
 * of the user's config/deploy.yml (or a destination's config/deploy.<destination>.yml).
 *
 * The update is a structural edit located with the yaml Document API: only the text of the
 * `accessories.litestream` entry is replaced (or the entry inserted), so every other key, comment,
 * blank line and quoting style of the user's file stays byte for byte. The result is parsed again
 * and compared with the original before it is returned: a file that would lose or change anything
 * else is refused, never emitted.
 */
import { isDeepStrictEqual } from "node:util";
import { Document, isMap, isScalar, Pair, parseDocument, Scalar, YAMLMap, type Node } from "yaml";
import { headerLines } from "../../header.js";
import { yamlText } from "../../render/yaml-emit.js";
import { ACCESSORY_NAME, accessoryNode, type KamalAccessory } from "./accessory.js";

const YAML_OPTIONS = { version: "1.1" } as const;

function stringify(node: YAMLMap, commentBefore?: string[]): string {
  const doc = new Document(node, YAML_OPTIONS);
  if (commentBefore) doc.commentBefore = commentBefore.map((l) => (l ? ` ${l}` : "")).join("\n");
  return yamlText(doc, { lineWidth: 0 });
}

/** The `litestream:` entry (key plus value) as text at column 0. */
function entryText(accessory: KamalAccessory, marker: string[]): string {
  const top = new YAMLMap();
  top.items.push(new Pair(new Scalar(ACCESSORY_NAME), accessoryNode(accessory, marker)));
  return stringify(top);
}

export function renderPartialFile(accessory: KamalAccessory, header: string, usage: string[], marker: string[]): string {
  const accessories = new YAMLMap();
  accessories.items.push(new Pair(new Scalar(ACCESSORY_NAME), accessoryNode(accessory, marker)));
  const top = new YAMLMap();
  top.items.push(new Pair(new Scalar("accessories"), accessories));
  return stringify(top, [...headerLines(header), "", ...usage]);
}

export type DeployFileUpdate = { content: string } | { problem: string; fix?: string };

const indent = (text: string, prefix: string, eol: string) =>
  text
    .replace(/\n$/, "")
    .split("\n")
    .map((line) => (line ? prefix + line : line))
    .join(eol) + eol;

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

/** Offset just after the line holding `offset - 1` (its newline included). */
function lineEndAfter(text: string, offset: number): number {
  if (offset > 0 && text[offset - 1] === "\n") return offset;
  const nl = text.indexOf("\n", offset);
  return nl === -1 ? text.length : nl + 1;
}

/**
 * The end of an entry's last line. A node's range runs on over blank lines and up to the next
 * key's indentation; those belong to what follows.
 */
function entryEnd(text: string, rangeEnd: number): number {
  let end = rangeEnd;
  while (end > 0 && /\s/.test(text[end - 1]!)) end--;
  return lineEndAfter(text, end);
}

/**
 * `existing` with `accessories.litestream` set to the accessory. `existing` undefined: a new file
 * holding only the accessory (used for destination files, which Kamal merges over config/deploy.yml).
 */
export function updateDeployFile(existing: string | undefined, accessory: KamalAccessory, marker: string[], newFileComment: string[]): DeployFileUpdate {
  const entry = entryText(accessory, marker);
  if (existing === undefined || existing.trim() === "") {
    const top = new YAMLMap();
    const accessories = new YAMLMap();
    top.items.push(new Pair(new Scalar("accessories"), accessories));
    accessories.items.push(new Pair(new Scalar(ACCESSORY_NAME), accessoryNode(accessory, marker)));
    return { content: stringify(top, newFileComment) };
  }
  const doc = parseDocument(existing, YAML_OPTIONS);
  if (doc.errors.length) return { problem: `it is not valid YAML (${doc.errors[0]!.message.split("\n")[0]})` };
  const root = doc.contents;
  if (!isMap(root) || root.flow) return { problem: "its top level is not a block mapping" };
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const original = doc.toJS({ maxAliasCount: -1 }) as Record<string, unknown>;

  let updated: string;
  const accessoriesPair = root.items.find((p) => isScalar(p.key) && p.key.value === "accessories");
  if (!accessoriesPair) {
    const column = columnOf(existing, root.items[0]?.key as Node | undefined) ?? 0;
    const pad = " ".repeat(column);
    const separator = existing.endsWith(`${eol}${eol}`) ? "" : existing.endsWith(eol) ? eol : eol + eol;
    updated = existing + separator + `${pad}accessories:${eol}` + indent(entry, pad + "  ", eol);
  } else {
    const accessories = accessoriesPair.value;
    const keyNode = accessoriesPair.key as Node;
    const emptyFlow = isMap(accessories) && accessories.flow && accessories.items.length === 0;
    if (accessories === null || (isScalar(accessories) && accessories.value === null) || emptyFlow) {
      // `accessories:` with nothing under it (e.g. every entry commented out) or `accessories: {}`:
      // the entry goes right after the key's line.
      let from = emptyFlow ? accessories.range![0] : 0;
      while (emptyFlow && existing[from - 1] === " ") from--;
      const text = emptyFlow ? existing.slice(0, from) + existing.slice(accessories.range![1]) : existing;
      const keyColumn = columnOf(text, keyNode) ?? 0;
      const at = entryEnd(text, keyNode.range![1]);
      updated = text.slice(0, at) + (at === text.length && !text.endsWith("\n") ? eol : "") + indent(entry, " ".repeat(keyColumn + 2), eol) + text.slice(at);
    } else if (!isMap(accessories) || accessories.flow) {
      return { problem: "its accessories is not a block mapping" };
    } else {
      const existingEntry = accessories.items.find((p) => isScalar(p.key) && p.key.value === ACCESSORY_NAME);
      const column = columnOf(existing, accessories.items[0]?.key as Node | undefined);
      if (column === undefined) return { problem: "its accessories entries do not start their lines" };
      const pad = " ".repeat(column);
      if (existingEntry) {
        const key = existingEntry.key as Node;
        const start = lineStart(existing, key.range![0]);
        const valueEnd = (existingEntry.value as Node | null)?.range?.[1] ?? key.range![1];
        const end = entryEnd(existing, valueEnd);
        if (!existing.slice(start, end).includes(`# ${marker[0]}`)) {
          return {
            problem: `its accessories.${ACCESSORY_NAME} was written by hand (it lacks the "# ${marker[0]}" comment), and replacing it would lose your settings`,
            fix: `rename your entry (e.g. to ${ACCESSORY_NAME}-old, then remove it once the new accessory runs) and generate again, or set updateDeployFile: false and merge accessories.${ACCESSORY_NAME} yourself`,
          };
        }
        updated = existing.slice(0, start) + indent(entry, pad, eol) + existing.slice(end);
      } else {
        const last = accessories.items[accessories.items.length - 1]!;
        const lastEnd = (last.value as Node | null)?.range?.[1] ?? (last.key as Node).range![1];
        const at = entryEnd(existing, lastEnd);
        const needsEol = at === existing.length && !existing.endsWith("\n");
        updated = existing.slice(0, at) + (needsEol ? eol : "") + indent(entry, pad, eol) + existing.slice(at);
      }
    }
  }
  return checkUpdate(original, updated, accessory);
}

/** The column a node starts at, when only indentation precedes it on its line. */
function columnOf(text: string, node: Node | undefined): number | undefined {
  if (!node?.range) return undefined;
  const start = lineStart(text, node.range[0]);
  const prefix = text.slice(start, node.range[0]);
  return /^ *$/.test(prefix) ? prefix.length : undefined;
}

/** Re-parses the edit: everything but accessories.litestream must be unchanged, and it must equal the accessory. */
function checkUpdate(original: Record<string, unknown>, updated: string, accessory: KamalAccessory): DeployFileUpdate {
  const doc = parseDocument(updated, YAML_OPTIONS);
  if (doc.errors.length) return { problem: `the edited file would not parse (${doc.errors[0]!.message.split("\n")[0]})` };
  const after = doc.toJS({ maxAliasCount: -1 }) as Record<string, unknown>;
  const previous = (original.accessories ?? {}) as Record<string, unknown>;
  const expected = { ...original, accessories: { ...previous, [ACCESSORY_NAME]: accessory.value } };
  if (!isDeepStrictEqual(after, expected)) return { problem: "the edit would change more than accessories.litestream (unusual indentation or layout)" };
  return { content: updated };
}

/** The app's top-level `volumes` entries (strings) of a deploy file, or [] when it has none or does not parse. */
export function appVolumes(text: string | undefined): string[] {
  if (text === undefined) return [];
  const doc = parseDocument(text, YAML_OPTIONS);
  if (doc.errors.length) return [];
  const volumes = (doc.toJS({ maxAliasCount: -1 }) as Record<string, unknown> | null)?.volumes;
  return Array.isArray(volumes) ? volumes.filter((v): v is string => typeof v === "string") : [];
}
