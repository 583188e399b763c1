// Hostile strings for property tests: every character class that means something to a shell, systemd,
// a Dockerfile, YAML 1.1 or Kamal's `docker run` assembly, plus the canary payloads that would create a
// file named CANARY in the working directory if any of them ever reached a shell unquoted.
import fc from "fast-check";

export const CANARY = "CANARY";

const PAYLOADS = [
  `$(touch ${CANARY})`,
  `\`touch ${CANARY}\``,
  `;touch ${CANARY};`,
  `' ; touch ${CANARY} ; '`,
  `" ; touch ${CANARY} ; "`,
  `&& touch ${CANARY}`,
  `|touch ${CANARY}`,
  `\ntouch ${CANARY}\n`,
  `\nExecStartPost=/usr/bin/touch ${CANARY}\nUser=root`,
  `\nRUN touch ${CANARY}`,
  `%n%h%%`,
  `$$HOME`,
  `\${HOME}`,
  `\\`,
  `#comment`,
  `: x`,
  `- y`,
  `*?[a]`,
  `~root`,
  "yes",
  "0x1f",
  "1:30",
  "null",
];

const CHARS = [
  " ",
  "\t",
  "\n",
  "\r",
  "\0",
  "\u0085",
  "\u2028",
  "\u2029",
  "\u001b",
  "\u007f",
  "'",
  '"',
  "`",
  "$",
  "\\",
  ";",
  "&",
  "|",
  "<",
  ">",
  "(",
  ")",
  "{",
  "}",
  "[",
  "]",
  "*",
  "?",
  "!",
  "#",
  "~",
  "%",
  ":",
  ",",
  "=",
  "@",
  "+",
  "é",
  "漢",
  "😀",
  "\uD800",
];

/** A string of 1–12 pieces: plain letters, single hostile characters and whole payloads. */
export const hostileString = (): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9_.-]{1,6}$/) },
        { weight: 3, arbitrary: fc.constantFrom(...CHARS) },
        { weight: 1, arbitrary: fc.constantFrom(...PAYLOADS) },
      ),
      { minLength: 1, maxLength: 12 },
    )
    .map((parts) => parts.join(""));

/** A path segment: hostile but without "/" (and never "." or ".."). */
export const hostileSegment = (): fc.Arbitrary<string> =>
  hostileString()
    .map((s) => s.replace(/\//g, "_"))
    .filter((s) => s !== "." && s !== "..");

// eslint-disable-next-line no-control-regex -- the payloads are sorted by control characters
const PRINTABLE = CHARS.filter((c) => !/[\u0000-\u001f\u007f-\u009f\u2028\u2029\uD800-\uDFFF]/.test(c));
// eslint-disable-next-line no-control-regex -- as above
const PRINTABLE_PAYLOADS = PAYLOADS.filter((p) => !/[\u0000-\u001f]/.test(p));

/** Like hostileString, without the characters every field refuses: what must be represented exactly. */
export const printableHostileString = (): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 3, arbitrary: fc.stringMatching(/^[a-z0-9_.-]{1,6}$/) },
        { weight: 3, arbitrary: fc.constantFrom(...PRINTABLE) },
        { weight: 1, arbitrary: fc.constantFrom(...PRINTABLE_PAYLOADS) },
      ),
      { minLength: 1, maxLength: 8 },
    )
    .map((parts) => parts.join(""));
