// The Compose interpolator (src/targets/compose/interpolation.ts) against compose-go's documented
// behaviour: the cases mirror compose-go's template tests, plus the ones our generator relies on.
import { describe, expect, it } from "vitest";
import { ComposeInterpolationError, escapeDollars, interpolate, interpolateTree } from "../src/targets/compose/interpolation.js";

const env = { FOO: "first", BAR: "", PATH_LIKE: "/usr/bin" };
const value = (template: string, vars: Record<string, string | undefined> = env) => interpolate(template, vars).value;
const error = (template: string, vars: Record<string, string | undefined> = env): string => {
  try {
    interpolate(template, vars);
  } catch (e) {
    expect(e).toBeInstanceOf(ComposeInterpolationError);
    return (e as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(template)} to fail`);
};

describe("compose interpolation: substitution", () => {
  it("turns $$ into a literal $ and leaves the rest alone", () => {
    expect(value("$${foo}")).toBe("${foo}");
    expect(value("$$FOO and $$$$")).toBe("$FOO and $$");
    expect(value("no dollars")).toBe("no dollars");
  });

  it("substitutes $NAME and ${NAME}; a name ends at the first non-name character", () => {
    expect(value("This $FOO var")).toBe("This first var");
    expect(value("This ${FOO} var")).toBe("This first var");
    expect(value("$FOO-bar")).toBe("first-bar");
    expect(value("${FOO}${FOO}")).toBe("firstfirst");
  });

  it("replaces unset and empty variables by an empty string, warning only for unset ones", () => {
    const unset = interpolate("This ${missing} var", env);
    expect(unset.value).toBe("This  var");
    expect(unset.warnings).toEqual(['The "missing" variable is not set. Defaulting to a blank string.']);
    const empty = interpolate("This ${BAR} var", env);
    expect(empty.value).toBe("This  var");
    expect(empty.warnings).toEqual([]);
  });

  it("is case-sensitive in lookups", () => {
    expect(value("${foo}")).toBe("");
  });

  it("applies defaults: ${V:-d} for unset or empty, ${V-d} for unset only", () => {
    expect(value("ok ${missing:-def}")).toBe("ok def");
    expect(value("ok ${missing-def}")).toBe("ok def");
    expect(value("ok ${BAR:-def}")).toBe("ok def");
    expect(value("ok ${BAR-def}")).toBe("ok ");
    expect(value("ok ${FOO:-def}")).toBe("ok first");
    expect(value("ok ${BAR:-/non:-alphanumeric}")).toBe("ok /non:-alphanumeric");
  });

  it("interpolates defaults themselves (nested references)", () => {
    expect(value("ok ${UNSET_VAR-$FOO}")).toBe("ok first");
    expect(value("ok ${UNSET_VAR-${FOO}}")).toBe("ok first");
    expect(value("ok ${UNSET_VAR-${FOO} ${FOO}}")).toBe("ok first first");
    expect(value("ok ${BAR:-${FOO}} and ${FOO}")).toBe("ok first and first");
  });

  it("applies alternatives: ${V:+alt} when set and non-empty, ${V+alt} when set", () => {
    expect(value("${FOO:+alt}")).toBe("alt");
    expect(value("${BAR:+alt}")).toBe("");
    expect(value("${BAR+alt}")).toBe("alt");
    expect(value("${missing+alt}")).toBe("");
  });

  it("takes the operator that comes first (compose-go precedence)", () => {
    expect(value("${UNSET_VAR-myerror?msg}")).toBe("myerror?msg");
    expect(value("${FOO?bar-baz}")).toBe("first");
  });

  it("leaves $ alone before anything that is not $, a name or { ($1, $(...), $?, a trailing $)", () => {
    expect(value("echo $1 $? $(date) costs 5$")).toBe("echo $1 $? $(date) costs 5$");
  });

  it("reads a braced reference up to the end of its line only", () => {
    expect(() => interpolate("${missing:-a\n}", env)).toThrow(/Invalid template/);
    expect(value("${missing:-a}\n${FOO:-b}")).toBe("a\nfirst");
  });
});

describe("compose interpolation: errors", () => {
  it("stops on a missing required variable with Compose's message", () => {
    expect(error("not ok ${UNSET_VAR:?Mandatory Variable Unset}")).toBe(
      "required variable UNSET_VAR is missing a value: Mandatory Variable Unset",
    );
    expect(error("not ok ${BAR:?Mandatory Variable Empty}")).toBe("required variable BAR is missing a value: Mandatory Variable Empty");
    expect(error("not ok ${UNSET_VAR:?}")).toBe("required variable UNSET_VAR is missing a value");
    expect(error("not ok ${UNSET_VAR?Mandatory Variable Unset}")).toBe(
      "required variable UNSET_VAR is missing a value: Mandatory Variable Unset",
    );
    expect(error("${UNSET_VAR?bar-baz}")).toBe("required variable UNSET_VAR is missing a value: bar-baz");
    expect(error("not ok ${UNSET_VAR:?Mandatory Variable ${FOO}}")).toBe(
      "required variable UNSET_VAR is missing a value: Mandatory Variable first",
    );
  });

  it("accepts a required variable that is set (and, for ?, set but empty)", () => {
    expect(value("ok ${FOO:?err}")).toBe("ok first");
    expect(value("ok ${FOO?err}")).toBe("ok first");
    expect(value("ok ${BAR?err}")).toBe("ok ");
  });

  it("reports the variable of a required error", () => {
    try {
      interpolate("${R2_ACCESS_KEY_ID:?set it}", {});
      expect.unreachable();
    } catch (e) {
      expect((e as ComposeInterpolationError).variable).toBe("R2_ACCESS_KEY_ID");
    }
  });

  it("rejects malformed braces and shell-only expansions", () => {
    for (const template of ["${", "${}", "${ }", "${ foo}", "${foo }", "${foo!}", "${1}", "${#FOO}", "${FOO/x/y}", "a ${FOO:0:2}"]) {
      expect(error(template), template).toBe(`Invalid template: ${JSON.stringify(template)}`);
    }
  });

  it("reports the first error even when later references are fine", () => {
    expect(error("${A:?first} ${FOO} ${B:?second}", {})).toBe("required variable A is missing a value: first");
  });
});

describe("compose interpolation: escaping and trees", () => {
  it("escapeDollars survives interpolation unchanged, whatever the text", () => {
    const texts = ["${LITESTREAM_HEARTBEAT_URL}", 'cat > "$LITESTREAM_CONFIG"', "$$ $1 $( ${A:-b} ${#V}", "no dollars", "$"];
    for (const text of texts) expect(interpolate(escapeDollars(text), {}).value).toBe(text);
  });

  it("interpolates every string value of a tree, never its keys", () => {
    const tree = { services: { $FOO: { environment: { A: "${FOO}", B: 3 }, command: ["a", "$$B"] } } };
    expect(interpolateTree(tree, env).value).toEqual({ services: { $FOO: { environment: { A: "first", B: 3 }, command: ["a", "$B"] } } });
  });
});
