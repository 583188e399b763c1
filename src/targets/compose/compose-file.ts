/**
 * Places the Litestream services in a compose file: either a generated override file
 * (compose.litestream.yaml, for `-f`) or a surgical edit of the user's compose file that changes
 * only what is ours (our services, the depends_on entries we add, the volume and config we declare)
 * and leaves every other byte as it was (comments, anchors, flow style, CRLF, BOM). Idempotent.
 */
import { Document, isMap, isScalar, isSeq, parseDocument, type Pair, type Scalar, type YAMLMap } from "yaml";
import { headerLines } from "../../header.js";
import { isOurService } from "./existing.js";
import { commentText, textMap as map, type TextEntryInput } from "../../render/yaml.js";
import { textDocument, yamlText, type TextDocumentOptions, type TextMap } from "../../render/yaml-emit.js";
import { CONFIG_NAME, type ComposeServices, type VolumeSpec } from "./sidecar.js";

const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;
const TEXT_OPTIONS: TextDocumentOptions = { flowCollectionPadding: false };

type Json = Record<string, unknown>;

/** A service that must wait, and what it already depends on (after merge keys and extends). */
export interface Waiter {
  service: string;
  inherited: Record<string, Json>;
}

export interface OverrideFileInput {
  what: string;
  /** Comment lines under the generated-file header (usage, required variables). */
  notes: string[];
  waiters: Waiter[];
  services: ComposeServices;
  volume: VolumeSpec;
}

/** The fully generated compose.litestream.yaml. */
export function renderOverrideFile(input: OverrideFileInput): string {
  const { services } = input;
  const serviceEntries: TextEntryInput[] = [];
  if (Object.keys(services.waitFor).length > 0) {
    input.waiters.forEach(({ service }, i) => {
      serviceEntries.push([
        service,
        map([["depends_on", dependsOnNode(services.waitFor)]]),
        i === 0
          ? `Your "${service}" service, extended (-f merges this into it): it starts only after the restore.`
          : `Your "${service}" service mounts the database volume too: it waits as well.`,
      ]);
    });
  }
  for (const service of services.services) serviceEntries.push([service.name, service.node, service.comment]);
  // A blank line between the top-level entries and between the services, for a reader scanning services.
  const top: TextEntryInput[] = [["services", map(serviceEntries, true)]];
  if (input.volume.named) {
    top.push([
      "volumes",
      map([[input.volume.source, map([])]]),
      "Your app's volume, declared here too so this file stands on its own (-f merges both).",
    ]);
  }
  if (services.configs.length) top.push(["configs", map(services.configs.map((c): TextEntryInput => [c.name, c.node, c.comment]))]);
  return textDocument(map(top, true), commentText([...headerLines(input.what), "", ...input.notes].join("\n")), TEXT_OPTIONS);
}

function dependsOnNode(waitFor: Record<string, string>): TextMap {
  return map(Object.entries(waitFor).map(([name, condition]): TextEntryInput => [name, map([["condition", condition]])]));
}

export interface InPlaceInput {
  /** The user's compose file as it is now. */
  text: string;
  waiters: Waiter[];
  services: ComposeServices;
  volume: VolumeSpec;
  /** Comment put above the Litestream services. */
  marker: string;
}

export type InPlaceResult = { ok: true; content: string } | { ok: false; problem: string; fix: string };

interface Edit {
  start: number;
  end: number;
  text: string;
}

class Refusal extends Error {
  constructor(
    readonly problem: string,
    readonly fix: string,
  ) {
    super(problem);
  }
}

/** Adds or updates what is ours in the user's compose file, as text edits of exactly those parts. */
export function updateComposeFile(input: InPlaceInput): InPlaceResult {
  try {
    const edits = inPlaceEdits(input);
    let content = input.text;
    // From the end backwards, so offsets stay valid; edits at one offset keep their order.
    const ordered = edits.map((edit, i) => ({ edit, i })).sort((a, b) => b.edit.start - a.edit.start || b.i - a.i);
    for (const { edit } of ordered) content = content.slice(0, edit.start) + edit.text + content.slice(edit.end);
    return { ok: true, content };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, problem: error.problem, fix: error.fix };
    throw error;
  }
}

function inPlaceEdits(input: InPlaceInput): Edit[] {
  const { text } = input;
  const file = new SourceText(text);
  const doc = parseDocument(text, { uniqueKeys: false });
  const services = doc.get("services", true);
  if (!isMap(services) || services.flow || !services.items.length) {
    throw new Refusal(
      "its top-level `services` is not a block mapping",
      "write services: as a block mapping (one service per indented key)",
    );
  }
  const unit = file.column(keyStart(services.items[0]!));
  // In file order where two edits meet at one offset: the last service's depends_on, our services, then top-level keys.
  const edits: Edit[] = input.waiters.flatMap((waiter) => dependsOnEdits(file, services, waiter, input.services.waitFor));
  edits.push(ourServicesEdit(input, file, services, unit));
  if (input.volume.named) edits.push(...volumeEdits(file, doc, input.volume.source, unit));
  edits.push(...configEdits(file, doc, input.services, unit));
  return edits;
}

/** Our services, replaced as one block (from the marker comment to the end of the last one), or added at the end. */
function ourServicesEdit(input: InPlaceInput, file: SourceText, services: YAMLMap, unit: number): Edit {
  const block = renderOurServices(input, unit);
  const indices = services.items.flatMap((pair, i) => (isOurService(keyText(pair)) ? [i] : []));
  if (!indices.length) {
    const at = file.lineEndAfter(valueEnd(services.items.at(-1)!));
    return { start: at, end: at, text: file.eol + file.lines(block) };
  }
  if (indices.at(-1)! - indices[0]! !== indices.length - 1) {
    throw new Refusal(
      "the generated Litestream services are no longer next to each other (a service was moved between them)",
      'move your own service out of the block under the "managed by litestream-deploy" comment',
    );
  }
  const first = services.items[indices[0]!]!;
  const markerAt = file.text.lastIndexOf(`# ${input.marker.split("\n")[0]}`, keyStart(first));
  const previousEnd = indices[0]! > 0 ? valueEnd(services.items[indices[0]! - 1]!) : 0;
  const start = markerAt > previousEnd ? file.lineStart(markerAt) : file.lineStart(keyStart(first));
  return { start, end: file.lineEndAfter(valueEnd(services.items[indices.at(-1)!]!)), text: file.lines(block) };
}

function renderOurServices(input: InPlaceInput, unit: number): string {
  const services = map(
    input.services.services.map((s): TextEntryInput => [s.name, s.node, s.comment]),
    true,
  );
  const [key, value, comment] = services.entries[0]!;
  services.entries[0] = [key, value, `${commentText(input.marker)}\n\n${comment ?? ""}`];
  const text = textDocument(map([["services", services]]), undefined, { ...TEXT_OPTIONS, indent: unit });
  return text.slice(text.indexOf("\n") + 1);
}

/** The entries we own in one service's depends_on: added, updated or removed, nothing else touched. */
function dependsOnEdits(file: SourceText, services: YAMLMap, waiter: Waiter, waitFor: Record<string, string>): Edit[] {
  const pair = services.items.find((p) => keyText(p) === waiter.service);
  const service = pair?.value;
  if (!pair || !isMap(service) || service.flow) {
    throw new Refusal(
      `service "${waiter.service}" mounts the database volume, and is not written as a block mapping (an alias or a flow mapping), so its depends_on cannot be added to it alone`,
      `write the "${waiter.service}" service out as an indented mapping (a merge key <<: *anchor inside it is fine), or use output "override"`,
    );
  }
  const inner = file.column(keyStart(service.items[0]!)) - file.column(keyStart(pair));
  const own = service.items.find((p) => keyText(p) === "depends_on");
  if (!own) {
    if (!Object.keys(waitFor).length) return [];
    // A depends_on written on the service replaces one inherited through a merge key: write the union.
    const inherited = Object.fromEntries(Object.entries(waiter.inherited).filter(([name]) => !isOurService(name)));
    const union = { ...inherited, ...conditions(waitFor) };
    const at = file.lineEndAfter(valueEnd(service.items.at(-1)!));
    const column = file.column(keyStart(service.items[0]!));
    return [{ start: at, end: at, text: file.lines(indent(`depends_on:\n${indent(block(union, inner), inner)}`, column)) }];
  }
  const value = own.value;
  if (isSeq(value)) {
    if (!Object.keys(waitFor).length) return [];
    // The short form means service_started; the long form is needed to add a condition.
    const names = value.items.flatMap((item) => (isScalar(item) ? [String(item.value)] : []));
    const long = { ...Object.fromEntries(names.map((name) => [name, { condition: "service_started" }])), ...conditions(waitFor) };
    const column = file.column(keyStart(own)) + inner;
    const end = file.lineEndAfter(valueEnd(own));
    // A comment after a flow list stays, after the key.
    const comment = value.flow ? /^[ \t]*#.*/.exec(file.text.slice(valueEnd(own), end).replace(/\r?\n$/, ""))?.[0] : undefined;
    return [
      { start: (own.key as Scalar).range![1], end, text: `:${comment ?? ""}${file.eol}${file.lines(indent(block(long, inner), column))}` },
    ];
  }
  if (!isMap(value))
    throw new Refusal(`service "${waiter.service}" has a depends_on that is neither a list nor a mapping`, "fix its depends_on");
  const current = (value.toJSON() ?? {}) as Record<string, unknown>;
  const wanted = conditions(waitFor);
  const same = (name: string) => JSON.stringify(current[name]) === JSON.stringify(wanted[name]);
  const stale = value.items.filter((p) => isOurService(keyText(p)) && !(keyText(p) in wanted && same(keyText(p))));
  const missing = Object.keys(wanted).filter((name) => !(name in current) || !same(name));
  if (!stale.length && !missing.length) return [];
  if (value.flow) {
    const next = Object.fromEntries(Object.entries(current).filter(([name]) => !isOurService(name)));
    Object.assign(next, wanted);
    return [
      {
        start: value.range![0],
        end: value.range![1],
        text: new Document(next).toString({ ...TO_STRING, collectionStyle: "flow" }).trimEnd(),
      },
    ];
  }
  const edits: Edit[] = stale.map((p) => ({ start: file.lineStart(keyStart(p)), end: file.lineEndAfter(valueEnd(p)), text: "" }));
  const additions = Object.fromEntries(missing.map((name) => [name, wanted[name]!]));
  if (Object.keys(additions).length) {
    const at = file.lineEndAfter(valueEnd(value.items.at(-1)!));
    edits.push({ start: at, end: at, text: file.lines(indent(block(additions, inner), file.column(keyStart(value.items[0]!)))) });
  }
  return edits;
}

function conditions(waitFor: Record<string, string>): Record<string, Json> {
  return Object.fromEntries(Object.entries(waitFor).map(([name, condition]) => [name, { condition }]));
}

function volumeEdits(file: SourceText, doc: Document, name: string, unit: number): Edit[] {
  const pair = (doc.contents as YAMLMap).items.find((p) => keyText(p) === "volumes");
  const entry = `${name}: {}`;
  if (!pair) return [append(file, `volumes:\n${indent(entry, unit)}`)];
  const volumes = pair.value;
  if (isMap(volumes)) {
    if (volumes.items.some((p) => keyText(p) === name)) return [];
    if (volumes.flow) {
      const next = { ...(volumes.toJSON() as Json), [name]: {} };
      return [
        {
          start: volumes.range![0],
          end: volumes.range![1],
          text: new Document(next).toString({ ...TO_STRING, collectionStyle: "flow" }).trimEnd(),
        },
      ];
    }
    const at = file.lineEndAfter(valueEnd(volumes.items.at(-1)!));
    return [{ start: at, end: at, text: file.lines(indent(entry, file.column(keyStart(volumes.items[0]!)))) }];
  }
  if (isScalar(volumes) && volumes.value === null) {
    const at = file.lineEndAfter((pair.key as Scalar).range![1]);
    return [{ start: at, end: at, text: file.lines(indent(entry, unit)) }];
  }
  throw new Refusal("its top-level `volumes` is not a mapping", `declare the volume ${name} under a volumes: mapping`);
}

/** Our top-level config (configDelivery "configs"): replaced, added or removed as one entry. */
function configEdits(file: SourceText, doc: Document, services: ComposeServices, unit: number): Edit[] {
  const pair = (doc.contents as YAMLMap).items.find((p) => keyText(p) === "configs");
  const configs = pair?.value;
  if (pair && !isMap(configs)) throw new Refusal("its top-level `configs` is not a mapping", "fix the configs: section");
  const ours = (configs as YAMLMap | undefined)?.items.find((p) => keyText(p) === CONFIG_NAME);
  const wanted = services.configs.map((c) => {
    // In the user's file the comment goes inside our entry, above its first key.
    const [first, ...rest] = c.node.entries;
    const node: TextMap = { ...c.node, entries: [[first![0], first![1], commentText(c.comment)], ...rest] };
    return textDocument(map([[c.name, node]]), undefined, { ...TEXT_OPTIONS, indent: unit });
  })[0];
  if (!wanted) {
    if (!ours) return [];
    if ((configs as YAMLMap).items.length === 1)
      return [{ start: file.lineStart(keyStart(pair!)), end: file.lineEndAfter(valueEnd(pair!)), text: "" }];
    return [{ start: file.lineStart(keyStart(ours)), end: file.lineEndAfter(valueEnd(ours)), text: "" }];
  }
  if (!pair) return [append(file, `configs:\n${indent(wanted, unit)}`)];
  if ((configs as YAMLMap).flow) throw new Refusal("its top-level `configs` is a flow mapping", "write configs: as an indented mapping");
  const column = file.column(keyStart((configs as YAMLMap).items[0]!));
  if (ours)
    return [{ start: file.lineStart(keyStart(ours)), end: file.lineEndAfter(valueEnd(ours)), text: file.lines(indent(wanted, column)) }];
  const at = file.lineEndAfter(valueEnd((configs as YAMLMap).items.at(-1)!));
  return [{ start: at, end: at, text: file.lines(indent(wanted, column)) }];
}

function append(file: SourceText, lines: string): Edit {
  const end = file.text.length;
  const lead = end === 0 || file.text.endsWith("\n") ? "" : file.eol;
  return { start: end, end, text: lead + file.lines(lines) };
}

/** A mapping as block YAML lines, nested with the file's own indentation unit. */
function block(value: Json, unit: number): string {
  return yamlText(new Document(value), { ...TO_STRING, indent: unit });
}

function indent(text: string, column: number): string {
  const pad = " ".repeat(column);
  return text
    .split("\n")
    .map((line) => (line ? pad + line : line))
    .join("\n");
}

function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : "";
}

function keyStart(pair: Pair): number {
  return (pair.key as Scalar).range![0];
}

/** Where the pair's value ends (its content, not the comments after it). */
function valueEnd(pair: Pair): number {
  const value = pair.value as { range?: [number, number, number] } | null;
  return value?.range ? value.range[1] : (pair.key as Scalar).range![1];
}

/** The user's text, with the line arithmetic the edits need; inserted lines take its line ending. */
class SourceText {
  readonly eol: string;
  constructor(readonly text: string) {
    this.eol = text.includes("\r\n") ? "\r\n" : "\n";
  }
  lineStart(offset: number): number {
    return this.text.lastIndexOf("\n", offset - 1) + 1;
  }
  column(offset: number): number {
    return offset - this.lineStart(offset);
  }
  /** The start of the line after the one `offset` is on (or at the end of a block, `offset` itself). */
  lineEndAfter(offset: number): number {
    if (offset > 0 && this.text[offset - 1] === "\n") return offset;
    const newline = this.text.indexOf("\n", offset);
    return newline < 0 ? this.text.length : newline + 1;
  }
  /** LF text in the file's line ending; a trailing newline guaranteed. */
  lines(text: string): string {
    const lf = text.endsWith("\n") ? text : `${text}\n`;
    return this.eol === "\n" ? lf : lf.replace(/\n/g, this.eol);
  }
}
