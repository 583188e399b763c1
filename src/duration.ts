/**
 * Durations: what users type ("7d", "1h30m", "500ms") in, Go `time.ParseDuration` strings out.
 *
 * Litestream parses durations with Go's time.ParseDuration: units ns us ms s m h only, so "7d" is a
 * fatal error and a bare integer means nanoseconds (docs/durations.md). We accept days and
 * weeks on input and always emit a unit string such as "168h".
 */

/** Go's time.Duration is int64 nanoseconds: 2562047h47m16.854775807s is the longest it holds. */
export const MAX_DURATION_MS = 9_223_372_036_854;

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy;

export type DurationParse =
  { ok: true; ms: number; converted: boolean } | { ok: false; problem: string; fix: string; code: DurationProblem };

export type DurationProblem =
  "duration.unitless" | "duration.zero" | "duration.negative" | "duration.invalid" | "duration.sub-millisecond" | "duration.overflow";

/** The fix for a number typed without a unit: that many seconds, when it is a duration at all. */
function unitFix(text: string): string {
  const n = Number(text);
  return n > 0 && n * 1000 <= MAX_DURATION_MS
    ? `write it with a unit, e.g. "${text.replace(/^\+/, "")}s"`
    : 'write a positive duration with a unit, e.g. "1s"';
}

/** Parses a duration the user typed. `converted` is true when it used a unit Go does not know. */
export function parseDuration(input: unknown): DurationParse {
  if (typeof input === "number") {
    return {
      ok: false,
      problem: `a bare number (${input}) is read by Litestream as ${input} nanoseconds`,
      fix: unitFix(String(input)),
      code: "duration.unitless",
    };
  }
  if (typeof input !== "string") {
    return { ok: false, problem: "expected a duration string", fix: 'write e.g. "10s", "1h30m" or "7d"', code: "duration.invalid" };
  }
  const text = input.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(text)) {
    return {
      ok: false,
      problem: `"${text}" has no unit: Litestream reads a bare number as nanoseconds`,
      fix: unitFix(text),
      code: "duration.unitless",
    };
  }
  if (text.startsWith("-")) {
    const positive = parseDuration(text.slice(1));
    return {
      ok: false,
      problem: `"${text}" is negative`,
      fix: positive.ok ? `write "${text.slice(1)}"` : 'use a positive duration, e.g. "1s"',
      code: "duration.negative",
    };
  }
  let total = 0;
  let converted = false;
  PART.lastIndex = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = PART.exec(text)) !== null) {
    total += Number(match[1]) * UNIT_MS[match[2]!]!;
    if (match[2] === "d" || match[2] === "w") converted = true;
    consumed = PART.lastIndex;
  }
  if (consumed === 0 || consumed !== text.length) {
    return {
      ok: false,
      problem: `"${text}" is not a duration`,
      fix: 'use units ms, s, m, h, d or w, e.g. "500ms", "10s", "1h30m", "7d"',
      code: "duration.invalid",
    };
  }
  if (total > MAX_DURATION_MS) {
    return {
      ok: false,
      problem: `"${text}" is longer than Go's longest duration, 2562047h47m16.854775807s (int64 nanoseconds); Litestream refuses it`,
      fix: 'use at most "2562047h"',
      code: "duration.overflow",
    };
  }
  if (!Number.isInteger(total)) {
    const rounded = Math.max(1, Math.round(total));
    return {
      ok: false,
      problem: `"${text}" is finer than a millisecond`,
      fix: `round it to whole milliseconds: "${formatGoDuration(rounded)}"`,
      code: "duration.sub-millisecond",
    };
  }
  if (total === 0) {
    // A zero sync interval panics Litestream 0.3.13 (docs/durations.md).
    return { ok: false, problem: `"${text}" is zero`, fix: 'use a positive duration, e.g. "1s"', code: "duration.zero" };
  }
  return { ok: true, ms: total, converted };
}

/** Formats milliseconds the way Go's ParseDuration reads them, shortest form: 168h, 1h30m, 500ms. */
export function formatGoDuration(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = Math.floor((ms % 60_000) / 1_000);
  const millis = ms % 1_000;
  const parts = [hours ? `${hours}h` : "", minutes ? `${minutes}m` : "", seconds ? `${seconds}s` : "", millis ? `${millis}ms` : ""];
  return parts.join("");
}

/** Human phrase for a comment: 720h → "30 days". */
export function describeDuration(ms: number): string {
  const day = 86_400_000;
  if (ms >= day && ms % day === 0) return plural(ms / day, "day");
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return plural(ms / 3_600_000, "hour");
  if (ms >= 60_000 && ms % 60_000 === 0) return plural(ms / 60_000, "minute");
  if (ms >= 1_000 && ms % 1_000 === 0) return plural(ms / 1_000, "second");
  return formatGoDuration(ms);
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}
