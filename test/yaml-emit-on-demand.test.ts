// A list whose items are made as they are written (src/render/yaml-emit.ts ItemsOnDemand, used for
// litestream.yml's `dbs`): the same bytes as the same items in an array, also when the writer
// hands the tree to the `yaml` library (which then walks the items a second time).
import { describe, expect, it } from "vitest";
import { textDocument, type ItemsOnDemand, type TextMap, type TextNode } from "../src/render/yaml-emit.js";

const scalar = (value: string | number | boolean, comment?: string): TextNode => ({ kind: "scalar", value, comment });
const item = (i: number, value: string): TextMap => ({
  kind: "map",
  entries: [
    ["path", scalar(value)],
    ["size", scalar(i, " the number")],
  ],
  commentBefore: ` item ${i}`,
});

function documents(values: string[]): { array: string; onDemand: string; made: number } {
  let made = 0;
  const onDemand: ItemsOnDemand = {
    length: values.length,
    *[Symbol.iterator]() {
      for (let i = 0; i < values.length; i++) {
        made++;
        yield item(i, values[i]!);
      }
    },
  };
  const root = (items: TextMap["entries"][number][1]): TextMap => ({ kind: "map", entries: [["dbs", items]], commentBefore: undefined });
  return {
    array: textDocument(root({ kind: "seq", items: values.map((v, i) => item(i, v)) }), " header"),
    onDemand: textDocument(root({ kind: "seq", items: onDemand }), " header"),
    made,
  };
}

describe("a list of items made on demand", () => {
  it("writes the bytes the same items in an array give, each item made once", () => {
    const { array, onDemand, made } = documents(["/data/a.db", "/data/b c.db", "yes", "0755"]);
    expect(onDemand).toBe(array);
    expect(onDemand).toContain("  # item 1\n  - path: /data/b c.db\n    size: 1 # the number\n");
    expect(made).toBe(4);
  });

  it("gives the library's bytes when the library writes the tree (a multi-line value), walking the items again", () => {
    const { array, onDemand, made } = documents(["/data/a.db", "two\nlines"]);
    expect(onDemand).toBe(array);
    expect(onDemand).toContain("|-\n");
    expect(made).toBe(4);
  });

  it("writes an empty list as []", () => {
    expect(documents([]).onDemand).toBe("# header\n\ndbs: []\n");
  });
});
