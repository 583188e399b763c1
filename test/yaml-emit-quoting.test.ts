// Double-quoted scalars and comments (src/render/yaml-emit.ts doubleQuotedString, which jumps from
// backslash to backslash, and commentString/indentComment, which split lines instead of running a
// regex) against the `yaml` library's own writer: the same bytes for text made of the characters
// their rules look at, as values, keys and list items, at several indents.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Document } from "yaml";
import { textDocument, yamlNodeOf, type TextMap } from "../src/render/yaml-emit.js";

const PIECES = [
  " ",
  "  ",
  "\\",
  "\\n",
  "\n",
  "\n\n",
  "n",
  "u",
  "x",
  '"',
  "'",
  "\u0007",
  "\u0000",
  "\u001b",
  "\u0085",
  "\u00a0",
  "\u2028",
  "é",
  "#",
  ": ",
  "-",
  "ab",
  "\t",
];
const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join(""));

function both(root: TextMap): [string, string] {
  const doc = new Document(yamlNodeOf(root), { version: "1.1" });
  return [textDocument(root), doc.toString({ lineWidth: 0 })];
}

describe("double-quoted scalars", () => {
  it("match the library as values, keys and list items", () => {
    fc.assert(
      fc.property(text, text, fc.integer({ min: 0, max: 3 }), (value, key, depth) => {
        let node: TextMap = {
          kind: "map",
          entries: [
            [key || "k", { kind: "scalar", value, type: "QUOTE_DOUBLE" }],
            ["list", { kind: "seq", items: [{ kind: "scalar", value, type: "QUOTE_DOUBLE" }] }],
          ],
        };
        for (let i = 0; i < depth; i++) node = { kind: "map", entries: [["level", node]] };
        const [ours, library] = both(node);
        expect(ours).toBe(library);
      }),
      { numRuns: 3000 },
    );
  });

  it("comments match the library: blank lines, lines of blanks, other line breaks, above keys and after values", () => {
    const comment = fc
      .array(fc.constantFrom(" ", "  ", "\n", "\n\n", "a", "b c", "#", "\r", "\u2028", "\t"), { minLength: 1, maxLength: 12 })
      .map((parts) => parts.join(""))
      // A comment made of line breaks only is written as blank lines (src/render/yaml-emit.ts indentComment), which a
      // YAML reader does not give back: none of our builders writes one.
      .filter((c) => c.trim() !== "");
    fc.assert(
      fc.property(comment, comment, fc.integer({ min: 0, max: 2 }), (above, after, depth) => {
        let node: TextMap = {
          kind: "map",
          entries: [
            ["a", { kind: "scalar", value: "x", comment: after }, above],
            ["b", { kind: "seq", items: [{ kind: "scalar", value: 1, comment: after }] }],
          ],
          commentBefore: above,
        };
        for (let i = 0; i < depth; i++) node = { kind: "map", entries: [["level", node, above]] };
        const [ours, library] = both(node);
        expect(ours).toBe(library);
      }),
      { numRuns: 2000 },
    );
  });

  it("match the library on a long command with quotes, escapes and a space before a newline", () => {
    const value = `-c 'set -e; printf '\\''%s: %s \n'\\'' "$db" >&2; x \\n y \u2028 "\\u0041"'`.repeat(4);
    const [ours, library] = both({ kind: "map", entries: [["cmd", { kind: "scalar", value, type: "QUOTE_DOUBLE" }]] });
    expect(ours).toBe(library);
    expect(ours).toContain("\\ ");
  });
});
