// The core renders precompiled templates (src/templates.generated.ts): it must match templates/*.hbs.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compiledTemplatesModule, GENERATED_MODULE } from "../scripts/compile-templates.js";
import { renderTemplate } from "../src/templates.js";

describe("precompiled templates", () => {
  it("are up to date with templates/*.hbs (run `npm run templates` after editing one)", () => {
    expect(readFileSync(GENERATED_MODULE, "utf8")).toBe(compiledTemplatesModule());
  });

  it("render with one final newline and LF only, and refuse a missing value (strict)", () => {
    const text = renderTemplate("compose-op-env.hbs", { header: "# h\r\n", upCommand: "up", lines: ["A=op://v/i/f"] });
    expect(text.endsWith("\n") && !text.endsWith("\n\n")).toBe(true);
    expect(text).not.toContain("\r");
    expect(text).toContain("A=op://v/i/f");
    expect(() => renderTemplate("compose-op-env.hbs", { header: "# h" })).toThrow(/not defined/);
  });
});
