/**
 * Delivering the accessory: a standalone partial file (fully generated), and an in-place update
 * of the user's config/deploy.yml (or a destination's config/deploy.<destination>.yml).
 *
 * The update is a structural edit located with the yaml Document API: only the text of our
 * entries (`accessories.litestream`, and `accessories.litestream-drill` with the restore drill) is
 * replaced, inserted or removed, so every other key, comment,
 * blank line and quoting style of the user's file stays byte for byte. The result is parsed again
 * and compared with the original before it is returned: a file that would lose or change anything
 * else is refused, never emitted.
 */
import { isDeepStrictEqual } from "node:util";
import { isMap, isScalar, parseDocument, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import { headerLines } from "../../header.js";
import { textDocument, type TextMap } from "../../render/yaml-emit.js";
import { ACCESSORY_NAME, accessoryNode, type AccessoryValue, type KamalAccessory } from "./accessory.js";

const YAML_OPTIONS = { version: "1.1" } as const;

function stringify(node: TextMap, commentBefore?: string[]): string {
  return textDocument(node, commentBefore?.map((l) => (l ? ` ${l}` : "")).join("\n"));
}

/** An accessory litestream-deploy owns in the deploy file: its name, its node (marker first), its value. */
export interface OwnedAccessory {
  name: string;
  node: TextMap;
  value: AccessoryValue;
}

export function ownedAccessory(accessory: KamalAccessory, marker: string[]): OwnedAccessory {
  return { name: ACCESSORY_NAME, node: accessoryNode(accessory, marker), value: accessory.value };
}

const mapOf = (entries: TextMap["entries"]): TextMap => ({ kind: "map", entries, commentBefore: undefined });

/** One accessory entry (key plus value) as text at column 0. */
function entryText(owned: OwnedAccessory): string {
  return stringify(mapOf([[owned.name, owned.node]]));
}

function accessoriesMap(owned: OwnedAccessory[]): TextMap {
  return mapOf([["accessories", mapOf(owned.map((o) => [o.name, o.node]))]]);
}

export function renderPartialFile(owned: OwnedAccessory[], header: string, usage: string[]): string {
  return stringify(accessoriesMap(owned), [...headerLines(header), "", ...usage]);
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
 * `existing` with each of `owned` set under `accessories` (the first in place or after the last
 * entry, each next one right after the one before it, so our part stays together) and each of
 * `removed` taken out when it carries our marker. `existing` undefined: a new file holding only
 * the accessories (used for destination files, which Kamal merges over config/deploy.yml).
 */
export function updateDeployFile(
  existing: string | undefined,
  owned: OwnedAccessory[],
  removed: string[],
  marker: string[],
  newFileComment: string[],
): DeployFileUpdate {
  if (existing === undefined || existing.trim() === "") return { content: stringify(accessoriesMap(owned), newFileComment) };
  const first = parseDocument(existing, YAML_OPTIONS);
  if (first.errors.length) return { problem: `it is not valid YAML (${first.errors[0]!.message.split("\n")[0]})` };
  if (!isMap(first.contents) || first.contents.flow) return { problem: "its top level is not a block mapping" };
  const original = first.toJS({ maxAliasCount: -1 }) as Record<string, unknown>;

  let text = existing;
  let doc: Document.Parsed | undefined = first;
  const parsed = () => (doc ??= parseDocument(text, YAML_OPTIONS));
  let previous: string | undefined;
  for (const o of owned) {
    const edit = setEntry(text, parsed(), o, marker, previous);
    if ("problem" in edit) return edit;
    text = edit.content;
    doc = undefined;
    previous = o.name;
  }
  for (const name of removed) {
    // Cheap test first: most files never held the entry.
    if (!text.includes(name)) continue;
    text = removeEntry(text, parsed(), name, marker);
    doc = undefined;
  }
  return checkUpdate(original, text, owned, removed, marker);
}

function accessoriesOf(doc: Document.Parsed): Pair | undefined {
  return (doc.contents as YAMLMap).items.find((p) => isScalar(p.key) && p.key.value === "accessories");
}

function entryOf(doc: Document.Parsed, name: string): Pair | undefined {
  const accessories = accessoriesOf(doc)?.value;
  return isMap(accessories) && !accessories.flow ? accessories.items.find((p) => isScalar(p.key) && p.key.value === name) : undefined;
}

/** [start, end) of an entry's lines. */
function entrySpan(text: string, entry: Pair): [number, number] {
  const key = entry.key as Node;
  const valueEnd = (entry.value as Node | null)?.range?.[1] ?? key.range![1];
  return [lineStart(text, key.range![0]), entryEnd(text, valueEnd)];
}

const isOurs = (text: string, span: [number, number], marker: string[]) => text.slice(span[0], span[1]).includes(`# ${marker[0]}`);

/** `accessories.<name>` removed when we wrote it; a hand-written one is the user's and stays. */
function removeEntry(text: string, doc: Document.Parsed, name: string, marker: string[]): string {
  const entry = entryOf(doc, name);
  if (!entry) return text;
  const span = entrySpan(text, entry);
  return isOurs(text, span, marker) ? text.slice(0, span[0]) + text.slice(span[1]) : text;
}

function setEntry(existing: string, doc: Document.Parsed, owned: OwnedAccessory, marker: string[], after?: string): DeployFileUpdate {
  const root = doc.contents as YAMLMap;
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const entry = entryText(owned);
  const accessoriesPair = accessoriesOf(doc);
  if (!accessoriesPair) {
    const column = columnOf(existing, root.items[0]?.key as Node | undefined) ?? 0;
    const pad = " ".repeat(column);
    const separator = existing.endsWith(`${eol}${eol}`) ? "" : existing.endsWith(eol) ? eol : eol + eol;
    return { content: existing + separator + `${pad}accessories:${eol}` + indent(entry, pad + "  ", eol) };
  }
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
    return {
      content:
        text.slice(0, at) +
        (at === text.length && !text.endsWith("\n") ? eol : "") +
        indent(entry, " ".repeat(keyColumn + 2), eol) +
        text.slice(at),
    };
  }
  if (!isMap(accessories) || accessories.flow) return { problem: "its accessories is not a block mapping" };
  const column = columnOf(existing, accessories.items[0]?.key as Node | undefined);
  if (column === undefined) return { problem: "its accessories entries do not start their lines" };
  const pad = " ".repeat(column);
  const existingEntry = accessories.items.find((p) => isScalar(p.key) && p.key.value === owned.name);
  if (existingEntry) {
    const [start, end] = entrySpan(existing, existingEntry);
    if (!isOurs(existing, [start, end], marker) && !isCopyOfOurs(existing.slice(start, end), existingEntry, owned)) {
      return {
        problem: `its accessories.${owned.name} was written by hand (it lacks the "# ${marker[0]}" comment), and replacing it would lose your settings`,
        fix: `rename your entry (e.g. to ${owned.name}-old, then remove it once the new accessory runs) and generate again, or set updateDeployFile: false and merge accessories.${owned.name} yourself`,
      };
    }
    return { content: existing.slice(0, start) + indent(entry, pad, eol) + existing.slice(end) };
  }
  const named = after === undefined ? undefined : accessories.items.find((p) => isScalar(p.key) && p.key.value === after);
  const previous = named ?? accessories.items[accessories.items.length - 1]!;
  const lastEnd = (previous.value as Node | null)?.range?.[1] ?? (previous.key as Node).range![1];
  const at = entryEnd(existing, lastEnd);
  const needsEol = at === existing.length && !existing.endsWith("\n");
  return { content: existing.slice(0, at) + (needsEol ? eol : "") + indent(entry, pad, eol) + existing.slice(at) };
}

/**
 * An entry pasted by hand from an earlier generated file (which carried no marker): taking it over
 * loses nothing when it holds no comment and its value is exactly ours.
 */
function isCopyOfOurs(text: string, entry: Pair, owned: OwnedAccessory): boolean {
  if (/(^|\s)#/.test(text)) return false;
  const value = entry.value as Node | null;
  return value !== null && isDeepStrictEqual(value.toJSON(), owned.value);
}

/** The column a node starts at, when only indentation precedes it on its line. */
function columnOf(text: string, node: Node | undefined): number | undefined {
  if (!node?.range) return undefined;
  const start = lineStart(text, node.range[0]);
  const prefix = text.slice(start, node.range[0]);
  return /^ *$/.test(prefix) ? prefix.length : undefined;
}

/** Re-parses the edit: everything but our accessories must be unchanged, and each must equal what we set. */
function checkUpdate(
  original: Record<string, unknown>,
  updated: string,
  owned: OwnedAccessory[],
  removed: string[],
  marker: string[],
): DeployFileUpdate {
  const doc = parseDocument(updated, YAML_OPTIONS);
  if (doc.errors.length) return { problem: `the edited file would not parse (${doc.errors[0]!.message.split("\n")[0]})` };
  const after = doc.toJS({ maxAliasCount: -1 }) as Record<string, unknown>;
  const accessories: Record<string, unknown> = { ...((original.accessories ?? {}) as Record<string, unknown>) };
  // A removed entry that is still there was the user's own (no marker): it must be unchanged.
  for (const name of removed) {
    const entry = entryOf(doc, name);
    if (!entry || isOurs(updated, entrySpan(updated, entry), marker)) delete accessories[name];
  }
  for (const o of owned) accessories[o.name] = o.value;
  const expected = { ...original, accessories };
  if (!isDeepStrictEqual(after, expected))
    return {
      problem: `the edit would change more than accessories.${owned.map((o) => o.name).join(" and accessories.")} (unusual indentation or layout)`,
    };
  return { content: updated };
}

/** `accessories.<name>` of a deploy file, or undefined when it has none or does not parse. */
export function accessoryValue(text: string | undefined, name: string): AccessoryValue | undefined {
  if (text === undefined || !text.includes(name)) return undefined;
  const doc = parseDocument(text, YAML_OPTIONS);
  if (doc.errors.length) return undefined;
  const accessories = (doc.toJS({ maxAliasCount: -1 }) as Record<string, unknown> | null)?.accessories;
  const value = accessories && typeof accessories === "object" ? (accessories as Record<string, unknown>)[name] : undefined;
  return value && typeof value === "object" && !Array.isArray(value) ? (value as AccessoryValue) : undefined;
}

/** The app's top-level `volumes` entries (strings) of a deploy file, or [] when it has none or does not parse. */
export function appVolumes(text: string | undefined): string[] {
  if (text === undefined) return [];
  const doc = parseDocument(text, YAML_OPTIONS);
  if (doc.errors.length) return [];
  const volumes = (doc.toJS({ maxAliasCount: -1 }) as Record<string, unknown> | null)?.volumes;
  return Array.isArray(volumes) ? volumes.filter((v): v is string => typeof v === "string") : [];
}
