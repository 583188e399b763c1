// The fast YAML writer (src/render/yaml-emit.ts) against the `yaml` library it replaces: the same
// bytes for every tree our builders make, and the library reads the text back to the same data.
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { Document, Pair, parse, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { commentText } from "../src/render/yaml.js";
import { block, flow, map, quoted, seq, type YamlNode } from "./support/yaml-nodes.js";
import {
  literalBlockLines,
  textDocument,
  yamlNodeOf,
  yamlText,
  type TextMap,
  type TextNode,
  type YamlTextOptions,
} from "../src/render/yaml-emit.js";

const HARD_STRINGS = [
  "",
  " ",
  "yes",
  "no",
  "on",
  "off",
  "y",
  "n",
  "Yes",
  "NO",
  "true",
  "False",
  "null",
  "~",
  "Null",
  "0",
  "-1",
  "+1",
  "012",
  "0o17",
  "0x1f",
  "0b101",
  "1_000",
  "1.5",
  ".5",
  "1e3",
  "-.inf",
  ".NaN",
  "1:30",
  "190:20:30",
  "2001-12-14",
  "2001-12-14t21:59:43.10-05:00",
  "<<",
  "=",
  "#",
  "a #b",
  "a#b",
  "# c",
  "a: b",
  "a:b",
  "a:",
  ":a",
  "key: value # x",
  "-",
  "- a",
  "?",
  "? a",
  "-a",
  "!tag",
  "&anchor",
  "*alias",
  "|",
  ">",
  "'",
  '"',
  "'quoted'",
  '"dq"',
  "it's",
  'say "hi"',
  "both ' and \"",
  "%YAML",
  "---",
  "...",
  "a\n---\nb",
  "--- a",
  "  leading",
  "trailing  ",
  "\ttab",
  "tab\t",
  "a\nb",
  "a\nb\n",
  "a\n\nb\n\n",
  "\na",
  "\n\n",
  "a\n ",
  " a\nb",
  "line \nnext",
  "long enough text with a newline in the middle\nand more than forty characters",
  "long enough text with a newline in the middle\n second line starts with a space, also long",
  "ünïcödé",
  "日本語",
  "emoji 🎉",
  "\u00a0nbsp",
  "\u0085nel",
  "\u2028ls",
  "a\u2028---",
  "a\u2029...",
  "a\r%b",
  "a \n\t ",
  "bell\u0007",
  "nul\u0000",
  "esc\u001b",
  "del\u007f",
  "[a]",
  "{a}",
  "a, b",
  "a,b",
  "@at",
  "`tick",
  "%pct",
  "${VAR}",
  "s3://bucket/path",
  "C:\\path",
  "back\\slash",
  "http://x:8080/p",
];

const options: YamlTextOptions[] = [
  { lineWidth: 0 },
  { lineWidth: 0, indent: 4, flowCollectionPadding: false },
  { lineWidth: 0, indent: 3 },
];
const versions = ["1.1", "1.2"] as const;

const libraryToString = vi.spyOn(Document.prototype, "toString");

function both(
  node: YamlNode,
  version: "1.1" | "1.2",
  opts: YamlTextOptions,
  commentBefore?: string,
): { ours: string; theirs: string; handedOver: boolean } {
  const doc = new Document(node, { version });
  if (commentBefore) doc.commentBefore = commentBefore;
  const before = libraryToString.mock.calls.length;
  const ours = yamlText(doc, opts);
  return { ours, handedOver: libraryToString.mock.calls.length > before, theirs: doc.toString(opts) };
}

/** A string value the library writes with its own rule (the YAML 1.1 merge key): handed over. */
const mergeKeyValue = (data: unknown): boolean => JSON.stringify(data).includes('"<<"');

/**
 * Multi-line text the library itself writes so that it reads back otherwise (bytes are still compared):
 * starting with a blank (block indicator 2, whatever the indent), or nothing but blanks and newlines.
 */
const indentedBlockText = (data: unknown): boolean =>
  typeof data === "string"
    ? data.includes("\n") && (/^[ \t]/.test(data) || data.trim() === "")
    : typeof data === "object" && data !== null && Object.entries(data).some(([k, v]) => indentedBlockText(k) || indentedBlockText(v));

function expectSame(node: YamlNode, commentBefore?: string, parseBack: boolean | "two-space indent" = true, ours = true): void {
  for (const version of versions)
    for (const opts of options) {
      if (parseBack === true && indentedBlockText(new Document(node, { version }).toJS()))
        parseBack = node instanceof Scalar ? false : "two-space indent";
      const result = both(node, version, opts, commentBefore);
      expect(result.ours).toBe(result.theirs);
      // Written here, not by the library (which would make this comparison trivially true).
      if (!(version === "1.1" && mergeKeyValue(new Document(node).toJS()))) expect(result.handedOver).toBe(!ours);
      const { ours: text } = result;
      // Parse-back: the text reads as the tree's own data.
      if (parseBack === true || (parseBack && (opts.indent ?? 2) === 2))
        expect(parse(text, { version })).toEqual(new Document(node, { version }).toJS());
    }
}

const text = fc.oneof(fc.constantFrom(...HARD_STRINGS), fc.string({ maxLength: 12 }), fc.string({ unit: "grapheme", maxLength: 8 }));
const key = text.filter((k) => k !== "<<");
const commentArb = fc.option(
  fc
    .array(fc.oneof(fc.constantFrom("", "a note", "two  spaces", "# hash", " lead"), fc.string({ maxLength: 10 })), {
      minLength: 1,
      maxLength: 3,
    })
    .map((lines) => commentText(lines.join("\n").replace(/[\r\u0085\u2028\u2029]/g, ""))),
  { nil: undefined },
);

// Shapes we build: a literal block holds text (not only whitespace) and has no comment after it.
function scalarNode(
  value: string | number | boolean,
  kind: number,
  comment: string | undefined,
  before: string | undefined,
  space: boolean,
): Scalar {
  const isBlock = kind === 2 && typeof value === "string" && value.trim() !== "" && !/^[ \t]/.test(value);
  const node = typeof value === "string" ? (kind === 1 ? quoted(value) : isBlock ? block(value) : new Scalar(value)) : new Scalar(value);
  if (comment && !isBlock) node.comment = comment;
  if (before) node.commentBefore = before;
  if (space) node.spaceBefore = true;
  return node;
}

const scalarArb = fc
  .tuple(fc.oneof(text, text, fc.integer(), fc.boolean()), fc.nat(3), commentArb, fc.option(commentArb, { nil: undefined }), fc.boolean())
  .map(([value, kind, comment, before, space]) => scalarNode(value, kind, comment, before ?? undefined, space && kind !== 3));

const { tree } = fc.letrec<{ tree: YamlNode; mapNode: YAMLMap; seqNode: YAMLSeq }>((tie) => ({
  tree: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalarArb, tie("mapNode"), tie("seqNode")),
  mapNode: fc
    .tuple(fc.array(fc.tuple(key, tie("tree"), commentArb, fc.boolean()), { maxLength: 4 }), commentArb, fc.boolean())
    .map(([entries, comment, isFlow]) => {
      const node = map(entries.map(([key, value, above]) => [key, value, above]));
      entries.forEach(([, , , space], i) => {
        if (space && i > 0) (node.items[i]!.key as Scalar).spaceBefore = true;
      });
      const unique = new Set(node.items.map((p) => (p.key as Scalar).value));
      if (unique.size !== node.items.length) node.items = node.items.slice(0, 1);
      // A trailing comment of blank lines only is written as blank lines, which a `|+` block just above
      // keeps as data (the library does it too); none of our files has such a comment.
      if (comment?.trim()) node.comment = comment;
      if (isFlow) node.flow = true;
      return node;
    }),
  seqNode: fc.tuple(fc.array(tie("tree"), { maxLength: 4 }), fc.boolean()).map(([items, isFlow]) => {
    const node = seq(items);
    if (isFlow) node.flow = true;
    return node;
  }),
}));

describe("yamlText writes what the yaml library writes", () => {
  it("every hard string, as a plain, quoted and block value, as a key, and in a flow list", () => {
    for (const value of HARD_STRINGS) {
      // The library writes a whitespace-only literal block that reads back as "" (we never build one).
      // And one starting with a space gets indentation indicator 2 whatever the indent (misread at 3 or 4).
      const blank = value.trim() === "" && value !== "";
      const parseBack = blank ? false : value.startsWith(" ") ? "two-space indent" : true;
      expectSame(
        map([
          ["plain", value],
          ["quoted", quoted(value)],
          ["block", block(value)],
          ["list", flow([value, "x"])],
          ["seq", seq([value, block(value)])],
        ]),
        undefined,
        parseBack,
      );
      if (value === "<<") continue; // a YAML 1.1 merge key: never one of our keys
      expectSame(map([[value, "v"]]));
      expectSame(seq([map([[value, seq([value])]])]));
      expectSame(new Scalar(value), undefined, !indentedBlockText(value)); // the library misreads its own root block with a leading blank
      expectSame(block(value), undefined, false); // a document that is one block scalar: never ours
    }
  });

  it("comments above keys, after values, above list items, above the document", () => {
    const db = map([
      ["path", "/data/a.db"],
      [
        "replicas",
        seq([
          map([
            ["type", "s3"],
            ["bucket", "b"],
          ]),
        ]),
      ],
    ]);
    db.commentBefore = " a: role primary";
    const ratio = new Scalar("10s");
    ratio.type = "QUOTE_DOUBLE";
    ratio.comment = " from the preset";
    const node = map([
      ["addr", ratio, "Prometheus\n\nsecond paragraph"],
      ["dbs", seq([db, db])],
      ["empty", map([])],
      ["none", seq([])],
      ["flow", flow(["/bin/sh", "-c", 'echo "$x"'])],
    ]);
    expectSame(node, commentText("header line\n\nafter a blank line"));
    expectSame(node, "\n\n");
  });

  it("leaves every other shape to the library, with the library's output", () => {
    const anchored = new Scalar("x");
    anchored.anchor = "a";
    const tagged = new Scalar("x");
    tagged.tag = "!custom";
    const folded = new Scalar("a b\nc");
    folded.type = "BLOCK_FOLDED";
    const single = new Scalar("a");
    single.type = "QUOTE_SINGLE";
    const nullPair = new YAMLMap();
    nullPair.items.push(new Pair(new Scalar("k"), null));
    for (const node of [
      map([["a", anchored]]),
      map([["a", tagged]]),
      map([["a", folded]]),
      map([["a", single]]),
      nullPair,
      map([["n", new Scalar(1.5)]]),
      map([["n", new Scalar(null)]]),
    ])
      expectSame(node, undefined, false, false);
    const doc = new Document(map([["a", "b"]]));
    doc.comment = " trailing";
    expect(yamlText(doc, { lineWidth: 0 })).toBe(doc.toString({ lineWidth: 0 }));
  });

  it("a map's blank-lines-only trailing comment after a |+ block changes the data (why the trees below never have one)", () => {
    const node = seq([map([["", new Scalar("a\n\nb\n\n")]])]);
    (node.items[0] as YAMLMap).comment = "\n";
    const text = yamlText(new Document(node), { lineWidth: 0 });
    expect(text).toBe(new Document(node).toString({ lineWidth: 0 }));
    expect(parse(text)).toEqual([{ "": "a\n\nb\n\n\n" }]);
  });

  it("random trees of our node shapes", () => {
    fc.assert(
      fc.property(tree, commentArb, (node, before) => expectSame(node, before)),
      { numRuns: 400 },
    );
  });
});

// The text tree (litestream.yml, compose.litestream.yaml) against the library writing the same tree as `yaml` nodes.
const textScalarArb = fc
  .tuple(fc.oneof(text, text, fc.integer(), fc.boolean()), fc.boolean(), commentArb)
  .map(([value, isQuoted, comment]): TextNode => ({
    kind: "scalar",
    value,
    type: isQuoted && typeof value === "string" ? "QUOTE_DOUBLE" : undefined,
    comment,
  }));

// Literal blocks: the text is lines.join("\n"); an element may hold several lines (a chunk, e.g. a
// whole file), and the same chunk may come again (litestream.yml in two scripts: written once).
const SHARED_CHUNK = "# shared file\n\n  nested: 1\n\n\nkey: $$VAR\nLAST";
const plainLine = fc.constantFrom(
  "set -eu",
  "fi",
  'exec litestream replicate -config "$$C"',
  "cat > f <<'EOF'",
  "a: b # c",
  "ünïcödé",
  "x\ty",
  SHARED_CHUNK,
);
const blockLine = fc.oneof(
  plainLine,
  fc.constantFrom("", "", "  indented", "trailing ", "tab\t", "\tlead", "---", "...", "%YAML", "#", "- item", "|", "'q'", '"dq"'),
  fc.constantFrom("日本語", "emoji 🎉", "bell\u0007", "cr\r", "crlf\r\n", "nel\u0085", "lone\ud800", "\udc00low", "nbsp\u00a0"),
  fc.constantFrom("a\nb", "a\n\nb", "\nlead", "trail\n", "\n", "x\n  y", "a\n\n\n\nb", " a\nb", "a\nb "),
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
);
/** Mostly the shape written line by line (first and last plain, a final newline), else anything. */
const blockLines = fc.oneof(
  {
    arbitrary: fc.tuple(plainLine, fc.array(blockLine, { maxLength: 6 }), plainLine).map(([a, rest, z]) => [a, ...rest, z, ""]),
    weight: 3,
  },
  {
    arbitrary: fc.tuple(fc.array(blockLine, { maxLength: 6 }), fc.boolean()).map(([lines, end]) => (end ? [...lines, ""] : lines)),
    weight: 1,
  },
);
const textBlockArb = blockLines.map((lines): TextNode => ({ kind: "block", lines }));
const textFlowArb = fc
  .array(fc.oneof({ arbitrary: textScalarArb, weight: 1 }, { arbitrary: text.map((value): TextNode => quotedText(value)), weight: 3 }), {
    maxLength: 4,
  })
  .map((items): TextNode => ({ kind: "seq", items, flow: true }));
const quotedText = (value: string): TextNode => ({ kind: "scalar", value, type: "QUOTE_DOUBLE", comment: undefined });

const { textMap } = fc.letrec<{ textTree: TextNode; textMap: TextMap; textSeq: TextNode }>((tie) => ({
  textTree: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    textScalarArb,
    tie("textMap"),
    tie("textSeq"),
    textBlockArb,
    textFlowArb,
  ),
  textMap: fc
    .tuple(fc.uniqueArray(fc.tuple(key, tie("textTree"), commentArb), { maxLength: 4, selector: ([k]) => k }), commentArb, fc.boolean())
    .map(([entries, commentBefore, spaced]): TextMap => ({
      kind: "map",
      entries: entries.map(([k, v, c]) => [k, v, c]),
      commentBefore,
      spaced,
    })),
  textSeq: fc.array(tie("textTree"), { maxLength: 4 }).map((items): TextNode => ({ kind: "seq", items })),
}));
const textOptions = fc.record({ indent: fc.constantFrom(2, 3, 4), flowCollectionPadding: fc.boolean() });

/** Every Document the library makes: none while textDocument writes a tree itself (its fallback makes one). */
const newDocuments = vi.spyOn(Document.prototype, "setSchema");
const hasBlock = (node: TextNode): boolean =>
  node.kind === "block" ||
  (node.kind === "map" && node.entries.some(([, value]) => hasBlock(value))) ||
  (node.kind === "seq" && [...node.items].some(hasBlock));

describe("textDocument writes what the yaml library writes for the same tree", () => {
  it("random text trees (hard strings, comments, blank lines between entries, flow lists, literal blocks, shared chunks)", () => {
    for (const indent of [2, 3, 4])
      for (const flowCollectionPadding of [true, false])
        textDocument({ kind: "map", entries: [] }, undefined, { indent, flowCollectionPadding });
    let written = 0;
    fc.assert(
      fc.property(textMap, commentArb, textOptions, (root, before, options) => {
        const made = newDocuments.mock.calls.length;
        const ours = textDocument(root, before, options);
        if (newDocuments.mock.calls.length === made && hasBlock(root)) written++;
        const doc = new Document(yamlNodeOf(root), { version: "1.1" });
        if (before) doc.commentBefore = before;
        expect(ours).toBe(doc.toString({ lineWidth: 0, ...options }));
      }),
      { numRuns: 1000 },
    );
    // Trees with literal blocks written by the text writer itself, not only through its fallback.
    expect(written).toBeGreaterThan(100);
  });
});

describe("literalBlockLines writes a literal block as blockString does", () => {
  const libraryBlock = (lines: readonly string[], indent: number, inSeq: boolean): string => {
    const node = block(lines.join("\n"));
    const text = new Document(inSeq ? seq([node]) : map([["k", node]]), { version: "1.1" }).toString({ lineWidth: 0, indent });
    return text.slice(inSeq ? 2 : 3, -1);
  };

  it("random lines at every indent, in a map and in a list (most of them of the shape it writes)", () => {
    let fast = 0;
    fc.assert(
      fc.property(blockLines, fc.integer({ min: 1, max: 6 }), fc.boolean(), (lines, indent, inSeq) => {
        const ours = literalBlockLines(lines, " ".repeat(inSeq ? 2 : indent));
        // undefined: left to blockString (whatever the shape), so nothing to compare.
        if (ours === undefined) return;
        fast++;
        expect(ours).toBe(libraryBlock(lines, indent, inSeq));
      }),
      { numRuns: 2000 },
    );
    expect(fast).toBeGreaterThan(600);
  });

  it("a chunk that comes again is written from the first writing, the same bytes", () => {
    const chunks = new Map<string, string>();
    const first = ["set -eu", SHARED_CHUNK, "fi", ""];
    const second = ["cat > f <<'EOF'", SHARED_CHUNK, "", "exec litestream replicate", ""];
    for (const lines of [first, second, first]) expect(literalBlockLines(lines, "    ", chunks)).toBe(libraryBlock(lines, 4, false));
    expect(chunks.size).toBe(1);
  });
});
