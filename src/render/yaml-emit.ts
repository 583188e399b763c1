/**
 * A small deterministic writer for the YAML node trees this project builds (src/render/yaml.ts):
 * the same bytes as `doc.toString({ lineWidth: 0, ... })` of the `yaml` library, several times
 * faster (no tag scan of the whole tree, no per-node context objects). It follows the library's own
 * stringify rules line by line for the shapes we build; anything else (anchors, tags, aliases,
 * folded or single-quoted scalars, non-integer numbers, null values, explicit keys) is handed to the
 * library itself, so the output is the library's in every case. test/yaml-emit.test.ts compares both.
 */
import { Document, isAlias, isMap, isPair, isScalar, isSeq, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from "yaml";

export interface YamlTextOptions {
  /** Only 0 (no folding) is written here; the library folds, so anything else goes to it. */
  lineWidth: 0;
  indent?: number;
  flowCollectionPadding?: boolean;
}

/** `doc.toString(options)`, written by this module when the tree is one of ours. */
export function yamlText(doc: Document, options: YamlTextOptions): string {
  try {
    return writeDocument(doc, options);
  } catch (error) {
    if (error instanceof Unsupported) return doc.toString(options);
    throw error;
  }
}

/** A shape this writer leaves to the library. */
class Unsupported extends Error {}
const unsupported = (): never => {
  throw new Unsupported();
};

const STR_TAG = "tag:yaml.org,2002:str";
const MERGE_TAG = "tag:yaml.org,2002:merge";

interface Context {
  indent: string;
  indentStep: string;
  inFlow: boolean | null;
  implicitKey: boolean;
  forceBlockIndent: boolean;
  padding: string;
  /** The schema's other scalar types, as one test: a plain string matching it must be quoted. */
  otherType: RegExp;
  merge: boolean;
  /** The contexts of a pair's key and value at this level, made once. */
  pairContexts?: { key: Context; value: Context } | undefined;
  seqItems?: Context | undefined;
  /** Plain keys already written in this (key) context. */
  keyTexts?: Map<string, string> | undefined;
}

type ContextChange = Partial<Pick<Context, "indent" | "inFlow" | "implicitKey" | "forceBlockIndent">>;

/** A child context (with its own caches): every field written out, so all contexts share one shape (a spread is slow here). */
function derived(ctx: Context, change: ContextChange): Context {
  return {
    indent: change.indent ?? ctx.indent,
    indentStep: ctx.indentStep,
    inFlow: change.inFlow !== undefined ? change.inFlow : ctx.inFlow,
    implicitKey: change.implicitKey ?? ctx.implicitKey,
    forceBlockIndent: change.forceBlockIndent ?? ctx.forceBlockIndent,
    padding: ctx.padding,
    otherType: ctx.otherType,
    merge: ctx.merge,
    pairContexts: undefined,
    seqItems: undefined,
    keyTexts: undefined,
  };
}

/**
 * One regular expression for a schema's type tests (each is anchored at both ends). The library's
 * tests are module constants, so the last answer is reused while the same tests come in the same order.
 */
let lastTypeTest: { tests: RegExp[]; combined: RegExp } | undefined;
function otherTypeTest(tests: RegExp[]): RegExp {
  const last = lastTypeTest;
  if (last && last.tests.length === tests.length && last.tests.every((test, i) => test === tests[i])) return last.combined;
  if (tests.some((test) => test.flags)) unsupported();
  const source = tests.map((test) => `(?:${test.source})`).join("|");
  // Every test starts with ^ (no m flag): only position 0 can match, and the outer ^ tells the
  // engine so, instead of retrying every alternative at every position of the scalar.
  const combined = new RegExp(tests.every((test) => test.source.startsWith("^")) ? `^(?:${source})` : source);
  lastTypeTest = { tests, combined };
  return combined;
}

/** The root context of a document with this schema and these options. */
function rootContext(schema: Document["schema"], options: YamlTextOptions): Context {
  const tests = [...schema.tags, ...(schema.compat ?? [])]
    .filter((tag) => tag.default && tag.tag !== STR_TAG && tag.test)
    .map((tag) => (tag as { test: RegExp }).test);
  return {
    indent: "",
    indentStep: " ".repeat(options.indent ?? 2),
    inFlow: null,
    implicitKey: false,
    forceBlockIndent: false,
    padding: options.flowCollectionPadding === false ? "" : " ",
    otherType: otherTypeTest(tests),
    merge: schema.tags.some((tag) => tag.tag === MERGE_TAG),
    pairContexts: undefined,
    seqItems: undefined,
    keyTexts: undefined,
  };
}

/** The document comment, then a blank line, as the library puts it above the contents. */
const documentComment = (commentBefore: string | null | undefined) =>
  commentBefore ? [indentComment(commentString(commentBefore), ""), ""] : [];

function writeDocument(doc: Document, options: YamlTextOptions): string {
  const { schema } = doc;
  if (options.lineWidth !== 0 || Object.keys(options).some((k) => k !== "lineWidth" && k !== "indent" && k !== "flowCollectionPadding"))
    unsupported();
  if ((schema.name !== "core" && schema.name !== "yaml-1.1") || schema.toStringOptions) unsupported();
  const directives = doc.directives;
  if (directives && (directives.docStart || directives.docEnd || directives.yaml.explicit)) unsupported();
  if (doc.comment) unsupported();
  const contents = doc.contents as Node | null;
  if (!contents || !(isMap(contents) || isSeq(contents) || isScalar(contents))) unsupported();
  const ctx = rootContext(schema, options);
  const lines = documentComment(doc.commentBefore);
  const node = contents!;
  if (node.commentBefore) lines.push(indentComment(commentString(node.commentBefore), ""));
  let contentComment = node.comment ?? null;
  let body = writeNode(node, ctx, () => (contentComment = null));
  if (contentComment) body += lineComment(body, "", commentString(contentComment));
  lines.push(body);
  return `${lines.join("\n")}\n`;
}

/** A multi-line regex also starts a line after \r, U+2028 and U+2029: those texts keep the library's regex. */
const OTHER_LINE_BREAK = /[\r\u2028\u2029]/;

const commentLine = (line: string) => (line === "" ? line : line === " " ? "#" : `#${line}`);

/** `text.replace(/^(?!$)(?: $)?/gm, "#")`: "#" before each non-empty line; a line of one space becomes "#". */
function commentString(text: string): string {
  if (OTHER_LINE_BREAK.test(text)) return text.replace(/^(?!$)(?: $)?/gm, "#");
  return text.includes("\n") ? text.split("\n").map(commentLine).join("\n") : commentLine(text);
}

const blanksOnly = (line: string) => {
  for (let i = 0; i < line.length; i++) if (line.charCodeAt(i) !== 32) return false;
  return true;
};

/** `comment.replace(/^(?! *$)/gm, indent)`: `indent` before each line that is not blanks only. */
function indentComment(comment: string, indent: string): string {
  if (/^\n+$/.test(comment)) return comment.substring(1);
  if (!indent) return comment;
  if (OTHER_LINE_BREAK.test(comment)) return comment.replace(/^(?! *$)/gm, indent);
  if (!comment.includes("\n")) return blanksOnly(comment) ? comment : indent + comment;
  return comment
    .split("\n")
    .map((line) => (blanksOnly(line) ? line : indent + line))
    .join("\n");
}

function lineComment(str: string, indent: string, comment: string): string {
  if (str.endsWith("\n")) return indentComment(comment, indent);
  if (comment.includes("\n")) return `\n${indentComment(comment, indent)}`;
  return (str.endsWith(" ") ? "" : " ") + comment;
}

function checkProps(node: Node): void {
  if (node.tag || (node as { anchor?: string }).anchor) unsupported();
}

function writeNode(node: unknown, ctx: Context, onComment?: () => void, onChompKeep?: () => void): string {
  if (isPair(node)) return writePair(node, ctx, onComment, onChompKeep);
  if (isAlias(node)) return unsupported();
  if (isScalar(node)) {
    checkProps(node);
    return writeScalar(node, ctx, onComment, onChompKeep);
  }
  if (isMap(node)) {
    checkProps(node);
    if (node.items.length > 0 && node.items.every((pair) => pair.value == null)) unsupported();
    return writeCollection(node, ctx, { blockItemPrefix: "", start: "{", end: "}", itemIndent: ctx.indent }, onComment, onChompKeep);
  }
  if (isSeq(node)) {
    checkProps(node);
    return writeCollection(
      node,
      ctx,
      { blockItemPrefix: "- ", start: "[", end: "]", itemIndent: `${ctx.indent}  ` },
      onComment,
      onChompKeep,
    );
  }
  return unsupported();
}

function writeScalar(node: Scalar, ctx: Context, onComment?: () => void, onChompKeep?: () => void): string {
  const { value } = node;
  if ((node as { source?: string }).source !== undefined || (node as { format?: string }).format) unsupported();
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : unsupported();
  if (typeof value !== "string") return unsupported();
  if (ctx.merge && value === "<<") unsupported();
  let type = node.type;
  // The first test is a quick filter for the second (a unicode regex is slow to run on every scalar).
  // eslint-disable-next-line no-control-regex -- the library's own test for characters only double quotes can hold
  if (type !== Scalar.QUOTE_DOUBLE && /[^\x20-\x7e\n\t]/.test(value) && /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(value))
    type = Scalar.QUOTE_DOUBLE;
  switch (type) {
    case Scalar.BLOCK_LITERAL:
      return ctx.implicitKey || ctx.inFlow ? quotedString(value, ctx) : blockString(node, value, ctx, onComment, onChompKeep);
    case Scalar.QUOTE_DOUBLE:
      return doubleQuotedString(value, ctx);
    case undefined:
    case Scalar.PLAIN:
      return plainString(node, value, ctx, onComment, onChompKeep);
    default:
      return unsupported();
  }
}

/** `/^(%|---|\.\.\.)/m.test(str)`: a line starts with a directive or document marker (indexOf scans a large block faster). */
function containsDocumentMarker(str: string): boolean {
  if (str.startsWith("%") || str.startsWith("---") || str.startsWith("...")) return true;
  if (str.includes("\n%") || str.includes("\n---") || str.includes("\n...")) return true;
  // The m flag also starts a line after \r, U+2028 and U+2029.
  return /[\r\u2028\u2029]/.test(str) && /^(%|---|\.\.\.)/m.test(str);
}

/** `/\n[\t ]+$/.test(value)`: the last line is blanks only (at least one), after a newline. */
function endsWithBlankLine(value: string): boolean {
  let i = value.length;
  while (i > 0 && (value.charCodeAt(i - 1) === 32 || value.charCodeAt(i - 1) === 9)) i--;
  return i < value.length && i > 0 && value.charCodeAt(i - 1) === 10;
}

function doubleQuotedString(value: string, ctx: Context): string {
  const json = JSON.stringify(value);
  const { implicitKey } = ctx;
  const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
  let str = "";
  let start = 0;
  // The library visits every character; only a backslash, or a space right before `\n`, changes
  // anything, so this goes from backslash to backslash (`from`: the next character it would visit).
  for (let from = 0, i = json.indexOf("\\"); i !== -1; from = i + 1, i = json.indexOf("\\", from)) {
    if (i - 1 >= from && json[i - 1] === " " && json[i + 1] === "n") {
      // space before newline needs to be escaped to not be folded
      str += `${json.slice(start, i - 1)}\\ `;
      start = i;
    }
    switch (json[i + 1]) {
      case "u": {
        str += json.slice(start, i);
        const code = json.substr(i + 2, 4);
        const named: Record<string, string> = {
          "0000": "\\0",
          "0007": "\\a",
          "000b": "\\v",
          "001b": "\\e",
          "0085": "\\N",
          "00a0": "\\_",
          "2028": "\\L",
          "2029": "\\P",
        };
        str += named[code] ?? (code.substr(0, 2) === "00" ? `\\x${code.substr(2)}` : json.substr(i, 6));
        i += 5;
        start = i + 1;
        break;
      }
      case "n":
        if (implicitKey || json[i + 2] === '"' || json.length < 40) {
          i += 1;
        } else {
          // folding will eat first newline
          str += `${json.slice(start, i)}\n\n`;
          while (json[i + 2] === "\\" && json[i + 3] === "n" && json[i + 4] !== '"') {
            str += "\n";
            i += 2;
          }
          str += indent;
          // space after newline needs to be escaped to not be folded
          if (json[i + 2] === " ") str += "\\";
          i += 1;
          start = i + 1;
        }
        break;
      default:
        i += 1;
    }
  }
  return start ? str + json.slice(start) : json;
}

function singleQuotedString(value: string, ctx: Context): string {
  if ((ctx.implicitKey && value.includes("\n")) || /[ \t]\n|\n[ \t]/.test(value)) return doubleQuotedString(value, ctx);
  const indent = ctx.indent || (containsDocumentMarker(value) ? "  " : "");
  return `'${value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`)}'`;
}

function quotedString(value: string, ctx: Context): string {
  const hasDouble = value.includes('"');
  const hasSingle = value.includes("'");
  return hasDouble && !hasSingle ? singleQuotedString(value, ctx) : doubleQuotedString(value, ctx);
}

const blockEndNewlines = /(^|(?<!\n))\n+(?!\n|$)/g;

function blockString(node: Scalar, input: string, ctx: Context, onComment?: () => void, onChompKeep?: () => void): string {
  let value = input;
  if (endsWithBlankLine(value)) return quotedString(value, ctx);
  const indent = ctx.indent || (ctx.forceBlockIndent || containsDocumentMarker(value) ? "  " : "");
  if (!value) return node.comment ? unsupported() : "|\n";
  let endStart: number;
  for (endStart = value.length; endStart > 0; --endStart) {
    const ch = value[endStart - 1];
    if (ch !== "\n" && ch !== "\t" && ch !== " ") break;
  }
  let end = value.substring(endStart);
  const endNlPos = end.indexOf("\n");
  let chomp: string;
  if (endNlPos === -1) chomp = "-";
  else if (value === end || endNlPos !== end.length - 1) {
    chomp = "+";
    onChompKeep?.();
  } else chomp = "";
  if (end) {
    value = value.slice(0, -end.length);
    if (end[end.length - 1] === "\n") end = end.slice(0, -1);
    end = end.replace(blockEndNewlines, `$&${indent}`);
  }
  let startWithSpace = false;
  let startEnd: number;
  let startNlPos = -1;
  for (startEnd = 0; startEnd < value.length; ++startEnd) {
    const ch = value[startEnd];
    if (ch === " ") startWithSpace = true;
    else if (ch === "\n") startNlPos = startEnd;
    else break;
  }
  let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
  if (start) {
    value = value.substring(start.length);
    start = start.replace(/\n+/g, `$&${indent}`);
  }
  let header = (startWithSpace ? (indent ? "2" : "1") : "") + chomp;
  if (node.comment) {
    header += ` ${commentString(node.comment.replace(/ ?[\r\n]+/g, " "))}`;
    onComment?.();
  }
  return `|${header}\n${indent}${start}${value.replace(/\n+/g, `$&${indent}`)}${end}`;
}

function plainString(node: Scalar, value: string, ctx: Context, onComment?: () => void, onChompKeep?: () => void): string {
  const { implicitKey, indent, indentStep, inFlow } = ctx;
  if ((implicitKey && value.includes("\n")) || (inFlow && /[[\]{},]/.test(value))) return quotedString(value, ctx);
  if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
    return implicitKey || inFlow || !value.includes("\n")
      ? quotedString(value, ctx)
      : blockString(node, value, ctx, onComment, onChompKeep);
  }
  if (!implicitKey && !inFlow && node.type !== Scalar.PLAIN && value.includes("\n"))
    return blockString(node, value, ctx, onComment, onChompKeep);
  if (containsDocumentMarker(value)) {
    if (indent === "") return blockString(node, value, derived(ctx, { forceBlockIndent: true }), onComment, onChompKeep);
    if (implicitKey && indent === indentStep) return quotedString(value, ctx);
  }
  const str = value.includes("\n") ? value.replace(/\n+/g, `$&\n${indent}`) : value;
  if (ctx.otherType.test(str)) return quotedString(value, ctx);
  return str;
}

/** How a map or a list is written: `- ` before block list items, the flow brackets, where items start. */
interface Style {
  blockItemPrefix: string;
  start: string;
  end: string;
  itemIndent: string;
}

function writeCollection(
  collection: YAMLMap | YAMLSeq,
  ctx: Context,
  style: Style,
  onComment?: () => void,
  onChompKeep?: () => void,
): string {
  const flow = ctx.inFlow ?? collection.flow;
  return flow ? writeFlowCollection(collection, ctx, style) : writeBlockCollection(collection, ctx, style, onComment, onChompKeep);
}

function addCommentBefore(indent: string, lines: string[], before: string | null | undefined, chompKeep: boolean): void {
  const comment = before && chompKeep ? before.replace(/^\n+/, "") : before;
  if (comment) lines.push(indentComment(commentString(comment), indent).trimStart());
}

/** A map's items are at its own indent, a list's two spaces in: the same context for every sibling. */
function blockItemContext(ctx: Context, itemIndent: string): Context {
  if (itemIndent === ctx.indent && !ctx.implicitKey) return ctx;
  if (ctx.seqItems?.indent === itemIndent) return ctx.seqItems;
  ctx.seqItems = derived(ctx, { indent: itemIndent, implicitKey: false });
  return ctx.seqItems;
}

function writeBlockCollection(
  collection: YAMLMap | YAMLSeq,
  ctx: Context,
  style: Style,
  onComment?: () => void,
  onChompKeep?: () => void,
): string {
  const { blockItemPrefix, start, end, itemIndent } = style;
  const { indent } = ctx;
  const itemCtx = blockItemContext(ctx, itemIndent);
  let chompKeep = false;
  const lines: string[] = [];
  for (const item of collection.items as unknown[]) {
    let comment: string | null = null;
    if (isPair(item)) {
      const key = item.key as Node | null;
      if (isScalar(key) || isMap(key) || isSeq(key)) {
        if (!chompKeep && key.spaceBefore) lines.push("");
        addCommentBefore(indent, lines, key.commentBefore, chompKeep);
      }
    } else if (isScalar(item) || isMap(item) || isSeq(item)) {
      if (!chompKeep && item.spaceBefore) lines.push("");
      addCommentBefore(indent, lines, item.commentBefore, chompKeep);
      if (item.comment) comment = item.comment;
    } else unsupported();
    chompKeep = false;
    let str = writeNode(
      item,
      itemCtx,
      () => (comment = null),
      () => (chompKeep = true),
    );
    if (comment) str += lineComment(str, itemIndent, commentString(comment));
    if (chompKeep && comment) chompKeep = false;
    lines.push(blockItemPrefix + str);
  }
  let str: string;
  if (lines.length === 0) str = start + end;
  else {
    str = lines[0]!;
    for (let i = 1; i < lines.length; ++i) {
      const line = lines[i]!;
      str += line ? `\n${indent}${line}` : "\n";
    }
  }
  if (collection.comment) {
    str += `\n${indentComment(commentString(collection.comment), indent)}`;
    onComment?.();
  } else if (chompKeep) onChompKeep?.();
  return str;
}

function writeFlowCollection(collection: YAMLMap | YAMLSeq, ctx: Context, { start, end, itemIndent }: Style): string {
  const { indent, indentStep, padding } = ctx;
  const inner = itemIndent + indentStep;
  const itemCtx = derived(ctx, { indent: inner, inFlow: true, implicitKey: false });
  let reqNewline = false;
  let linesAtValue = 0;
  const lines: string[] = [];
  const items = collection.items as unknown[];
  for (let i = 0; i < items.length; ++i) {
    const item = items[i];
    let comment: string | null = null;
    if (isPair(item)) {
      const key = item.key as Node | null;
      if (isScalar(key) || isMap(key) || isSeq(key)) {
        if (key.spaceBefore) lines.push("");
        addCommentBefore(indent, lines, key.commentBefore, false);
        if (key.comment) reqNewline = true;
      }
      const value = item.value as Node | null;
      if (isScalar(value) || isMap(value) || isSeq(value)) {
        if (value.comment) comment = value.comment;
        if (value.commentBefore) reqNewline = true;
      } else unsupported();
    } else if (isScalar(item) || isMap(item) || isSeq(item)) {
      if (item.spaceBefore) lines.push("");
      addCommentBefore(indent, lines, item.commentBefore, false);
      if (item.comment) comment = item.comment;
    } else unsupported();
    if (comment) reqNewline = true;
    let str = writeNode(item, itemCtx, () => (comment = null));
    reqNewline ||= lines.length > linesAtValue || str.includes("\n");
    if (i < items.length - 1) str += ",";
    if (comment) str += lineComment(str, inner, commentString(comment));
    lines.push(str);
    linesAtValue = lines.length;
  }
  if (lines.length === 0) return start + end;
  if (reqNewline) {
    let str = start;
    for (const line of lines) str += line ? `\n${indentStep}${indent}${line}` : "\n";
    return `${str}\n${indent}${end}`;
  }
  return `${start}${padding}${lines.join(" ")}${padding}${end}`;
}

function pairContexts(ctx: Context): { key: Context; value: Context } {
  const key = derived(ctx, { implicitKey: true, indent: ctx.indent + ctx.indentStep });
  return { key, value: derived(key, { implicitKey: false }) };
}

/**
 * A plain key's text depends only on its value and context, and the same keys repeat in every item
 * of a list: each is written once per context (a context belongs to one document's writing).
 */
function keyText(key: Scalar<string>, ctx: Context): string {
  const { type } = key;
  const plain = type === undefined || type === Scalar.PLAIN;
  if (!plain || key.tag || key.anchor || key.source !== undefined || key.format) return writeNode(key, ctx);
  const cache = (ctx.keyTexts ??= new Map());
  let text = cache.get(key.value);
  if (text === undefined) cache.set(key.value, (text = writeNode(key, ctx)));
  return text;
}

function writePair(pair: Pair, ctx: Context, onComment?: () => void, onChompKeep?: () => void): string {
  const key = pair.key as Node | null;
  const value = pair.value as Node | null;
  if (
    !isScalar(key) ||
    typeof key.value !== "string" ||
    key.comment ||
    key.type === Scalar.BLOCK_LITERAL ||
    key.type === Scalar.BLOCK_FOLDED
  )
    return unsupported();
  if (!(isScalar(value) || isMap(value) || isSeq(value))) return unsupported();
  ctx.pairContexts ??= pairContexts(ctx);
  const { key: keyCtx, value: valueCtx } = ctx.pairContexts;
  let str = keyText(key as Scalar<string>, keyCtx);
  if (!ctx.inFlow && str.length > 1024) unsupported();
  str = `${str}:`;
  const vsb = !!value.spaceBefore;
  const vcb = value.commentBefore;
  const valueComment = value.comment;
  let chompKeep = false;
  let valueCommentDone = false;
  const valueStr = writeNode(
    value,
    valueCtx,
    () => (valueCommentDone = true),
    () => (chompKeep = true),
  );
  let ws = " ";
  if (vsb || vcb) {
    ws = vsb ? "\n" : "";
    if (vcb) ws += `\n${indentComment(commentString(vcb), valueCtx.indent)}`;
    if (valueStr === "" && !ctx.inFlow) {
      if (ws === "\n" && valueComment) ws = "\n\n";
    } else ws += `\n${valueCtx.indent}`;
  } else if (isMap(value) || isSeq(value)) {
    const hasNewline = valueStr.includes("\n");
    const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
    if (hasNewline || !flow) ws = `\n${valueCtx.indent}`;
  } else if (valueStr === "" || valueStr[0] === "\n") ws = "";
  str += ws + valueStr;
  if (ctx.inFlow) {
    if (valueCommentDone) onComment?.();
  } else if (valueComment && !valueCommentDone) str += lineComment(str, valueCtx.indent, commentString(valueComment));
  else if (chompKeep) onChompKeep?.();
  return str;
}

/**
 * A lighter tree for a large generated file (litestream.yml, compose.litestream.yaml): plain objects
 * instead of `yaml` nodes, written by the same rules. Comments are in the library's form (a leading
 * space per line). `value`, `type` and `comment` are named as on a `Scalar`, so the scalar writer
 * above reads it as one.
 */
export interface TextScalar {
  kind: "scalar";
  value: string | number | boolean;
  type?: "QUOTE_DOUBLE" | undefined;
  /** After the value, on its line. */
  comment?: string | undefined;
}
export interface TextMap {
  kind: "map";
  entries: TextEntry[];
  /** Above the map (as a list item: above its `- ` line). */
  commentBefore?: string | undefined;
  /** A blank line above every entry but the first. */
  spaced?: boolean | undefined;
}
export interface TextSeq {
  kind: "seq";
  /** An array, or items made one at a time as they are written (so a large file's tree never exists whole). */
  items: readonly TextNode[] | ItemsOnDemand;
  /** One line, `[a, b]` (of scalars). */
  flow?: boolean | undefined;
}
export interface ItemsOnDemand extends Iterable<TextNode> {
  readonly length: number;
}
/**
 * A literal block scalar (`|`) given as its lines: the text is `lines.join("\n")` (a shell script).
 * An element may hold several lines: a file embedded whole is best one element (indented at once).
 */
export interface TextBlock {
  kind: "block";
  lines: readonly string[];
}
export type TextNode = TextScalar | TextMap | TextSeq | TextBlock;
/** Key, value, and a comment above the key. */
export type TextEntry = [key: string, value: TextNode, commentBefore?: string];

/** The options of `textDocument` (`lineWidth` is always 0). */
export interface TextDocumentOptions {
  indent?: number;
  flowCollectionPadding?: boolean;
}

/** A YAML 1.1 document of a text tree, written with `lineWidth: 0`: what the library writes for the same tree. */
export function textDocument(root: TextMap, commentBefore?: string, options: TextDocumentOptions = {}): string {
  documentChunks = new Map();
  try {
    const lines = documentComment(commentBefore);
    if (root.commentBefore) lines.push(indentComment(commentString(root.commentBefore), ""));
    lines.push(writeTextMap(root, textRootContext(options)), "");
    // One flat string (a final newline added to the joined text would be one more copy of a large file).
    return lines.join("\n");
  } catch (error) {
    if (!(error instanceof Unsupported)) throw error;
    const doc = new Document(yamlNodeOf(root), { version: "1.1" });
    if (commentBefore) doc.commentBefore = commentBefore;
    return yamlText(doc, { lineWidth: 0, ...options });
  } finally {
    documentChunks = undefined;
  }
}

/** Contexts only cache what depends on the key and the indent: one root per option set serves every text document. */
const textRoots = new Map<string, Context>();
function textRootContext(options: TextDocumentOptions): Context {
  const name = `${options.indent ?? 2} ${options.flowCollectionPadding ?? true}`;
  let root = textRoots.get(name);
  if (!root) textRoots.set(name, (root = rootContext(new Document(null, { version: "1.1" }).schema, { lineWidth: 0, ...options })));
  return root;
}

/** The same tree as `yaml` nodes: for the shapes this writer leaves to the library (and for the tests). */
export function yamlNodeOf(node: TextNode): Scalar | YAMLMap | YAMLSeq {
  if (node.kind === "scalar") {
    const scalar = new Scalar(node.value);
    if (node.type) scalar.type = node.type;
    if (node.comment) scalar.comment = node.comment;
    return scalar;
  }
  if (node.kind === "block") {
    const scalar = new Scalar(node.lines.join("\n"));
    scalar.type = Scalar.BLOCK_LITERAL;
    return scalar;
  }
  if (node.kind === "seq") {
    const seq = new YAMLSeq();
    for (const item of node.items) seq.items.push(yamlNodeOf(item));
    if (node.flow) seq.flow = true;
    return seq;
  }
  const map = new YAMLMap();
  node.entries.forEach(([key, value, before], i) => {
    const keyNode = new Scalar(key);
    if (node.spaced && i > 0) keyNode.spaceBefore = true;
    if (before) keyNode.commentBefore = before;
    map.items.push(new Pair(keyNode, yamlNodeOf(value)));
  });
  if (node.commentBefore) map.commentBefore = node.commentBefore;
  return map;
}

/** A scalar on one line (a multi-line one may become a block scalar, with its own rules: left to the library). */
function writeTextScalar(node: TextScalar, ctx: Context): string {
  if (typeof node.value === "string" && node.value.includes("\n")) unsupported();
  return writeScalar(node as unknown as Scalar, ctx);
}

/**
 * What blockString writes for a literal block of `lines.join("\n")` at `indent` (nested, not at the
 * root), built from the lines: blockString inserts the indent with a regular expression over the
 * whole text, which is slow for a script of several megabytes. Only the plain shape, where that is
 * plainly the same: header `|` alone (the text starts with neither a blank nor a newline, and ends
 * in one newline after a non-blank: clip chomping, no indentation indicator), and no character that
 * makes the library double-quote the text. Otherwise undefined. An element may hold several lines
 * (a chunk, e.g. a whole file): `chunks` keeps each chunk's text at this indent, so a chunk that
 * comes again is written once.
 */
export function literalBlockLines(lines: readonly string[], indent: string, chunks = new Map<string, string>()): string | undefined {
  // The elements before the final empty one (the text's final newline).
  const count = lines.length - 1;
  const first = lines[0];
  const last = lines[count - 1];
  if (!indent || lines[count] !== "" || first === undefined || last === undefined || first === "") return undefined;
  if (first[0] === " " || first[0] === "\n" || last === "" || /[ \t\n]$/.test(last)) return undefined;
  // writeScalar's test is made on the written pieces: the indent and newlines added are neither of its characters.
  const pieces: string[] = [];
  let run = 0;
  for (let i = 0; i <= count; i++) {
    const line = i < count ? lines[i]! : "";
    if (line !== "" && !line.includes("\n")) continue;
    // A run of one-line elements, joined at once (one string per run, not one per line).
    if (i > run) {
      const text = indent + lines.slice(run, i).join(`\n${indent}`);
      if (quotedOnly(text)) return undefined;
      pieces.push(text);
    }
    run = i + 1;
    if (i === count) break;
    if (line === "") {
      pieces.push("");
      continue;
    }
    let text = chunks.get(line);
    if (text === undefined) {
      text = indentedChunk(line, indent);
      if (quotedOnly(text)) return undefined;
      chunks.set(line, text);
    }
    pieces.push(text);
  }
  // Concatenated, not joined: the document's final join copies the text once, not twice.
  let text = "|";
  for (const piece of pieces) text += `\n${piece}`;
  return text;
}

/**
 * blockString's `replace(/\n+/g, "$&" + indent)` for one chunk (several lines, never empty): every
 * line but an empty one is indented. Split + join, not the regex: a chunk may be a whole
 * litestream.yml of 10,000 databases, and this is faster on it.
 */
function indentedChunk(chunk: string, indent: string): string {
  const lines = chunk.split("\n");
  for (let i = 0; i < lines.length; i++) if (lines[i] !== "") lines[i] = indent + lines[i];
  return lines.join("\n");
}

/** writeScalar's test for a character only a double-quoted scalar can hold. */
function quotedOnly(text: string): boolean {
  // eslint-disable-next-line no-control-regex -- the library's own test
  return /[^\x20-\x7e\n\t]/.test(text) && /[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(text);
}

/**
 * The chunks of literal blocks already written in the text document being written, per indent:
 * litestream.yml, which two scripts write, is indented once. Only set while one document is written.
 */
let documentChunks: Map<string, Map<string, string>> | undefined;

function writeTextBlock(node: TextBlock, ctx: Context): string {
  let chunks = documentChunks?.get(ctx.indent);
  if (!chunks) documentChunks?.set(ctx.indent, (chunks = new Map()));
  return literalBlockLines(node.lines, ctx.indent, chunks) ?? unsupported();
}

function textLength(lines: string[]): number {
  let length = 0;
  for (const line of lines) length += line.length;
  return length;
}

/** Lines joined as a block collection joins them: the first at the current column, the others indented. */
function joinBlockLines(lines: string[], indent: string): string {
  // Many lines, or short ones: one join (a flat string, whose pieces die young; built with `+=`, a
  // large file's 10,000 items each stay a rope of small strings, which the young-generation garbage
  // collector copies again and again). A few long ones (a service holding a script of megabytes):
  // `+=`, so that each level of nesting does not copy the megabytes again.
  if ((lines.length > 32 || textLength(lines) < 1 << 16) && !lines.includes("")) return lines.join(`\n${indent}`);
  let str = lines[0]!;
  for (let i = 1; i < lines.length; ++i) {
    const line = lines[i]!;
    str += line ? `\n${indent}${line}` : "\n";
  }
  return str;
}

function writeTextMap(node: TextMap, ctx: Context): string {
  const { entries } = node;
  if (entries.length === 0) return "{}";
  const { indent } = ctx;
  ctx.pairContexts ??= pairContexts(ctx);
  const { key: keyCtx, value: valueCtx } = ctx.pairContexts;
  const keys = (keyCtx.keyTexts ??= new Map());
  const lines: string[] = [];
  for (let i = 0; i < entries.length; i++) {
    const [key, value, before] = entries[i]!;
    if (node.spaced && i > 0) lines.push("");
    addCommentBefore(indent, lines, before, false);
    let str = keys.get(key);
    if (str === undefined) keys.set(key, (str = writeTextScalar({ kind: "scalar", value: key }, keyCtx)));
    if (str.length > 1024) unsupported();
    str += ":";
    if (value.kind === "scalar") {
      const text = writeTextScalar(value, valueCtx);
      str += text === "" ? text : ` ${text}`;
      if (value.comment) str += lineComment(str, valueCtx.indent, commentString(value.comment));
    } else if (value.kind === "block") str += ` ${writeTextBlock(value, valueCtx)}`;
    else {
      const text = value.kind === "map" ? writeTextMap(value, valueCtx) : writeTextSeq(value, valueCtx);
      const before = value.kind === "map" ? value.commentBefore : undefined;
      const inline = value.kind === "map" ? value.entries.length === 0 : value.items.length === 0 || value.flow;
      if (before) str += `\n${indentComment(commentString(before), valueCtx.indent)}\n${valueCtx.indent}`;
      else str += inline && !text.includes("\n") ? " " : `\n${valueCtx.indent}`;
      str += text;
    }
    lines.push(str);
  }
  return joinBlockLines(lines, indent);
}

function writeTextSeq(node: TextSeq, ctx: Context): string {
  const { items } = node;
  if (items.length === 0) return "[]";
  if (node.flow) return writeTextFlowSeq(node, ctx);
  const { indent } = ctx;
  const itemIndent = `${indent}  `;
  const itemCtx = blockItemContext(ctx, itemIndent);
  const lines: string[] = [];
  for (const item of items) {
    let str: string;
    if (item.kind === "scalar") {
      str = writeTextScalar(item, itemCtx);
      if (item.comment) str += lineComment(str, itemIndent, commentString(item.comment));
    } else if (item.kind === "map") {
      addCommentBefore(indent, lines, item.commentBefore, false);
      str = writeTextMap(item, itemCtx);
    } else if (item.kind === "block") str = writeTextBlock(item, itemCtx);
    else str = writeTextSeq(item, itemCtx);
    lines.push(`- ${str}`);
  }
  return joinBlockLines(lines, indent);
}

/** writeFlowCollection for a list of scalars without comments that fits on one line; anything else goes to the library. */
function writeTextFlowSeq(node: TextSeq, ctx: Context): string {
  const itemCtx = derived(ctx, { indent: `${ctx.indent}  ${ctx.indentStep}`, inFlow: true, implicitKey: false });
  const items: string[] = [];
  for (const item of node.items) {
    if (item.kind !== "scalar" || item.comment) unsupported();
    const str = writeTextScalar(item as TextScalar, itemCtx);
    items.push(str.includes("\n") ? unsupported() : str);
  }
  return `[${ctx.padding}${items.join(", ")}${ctx.padding}]`;
}
