/**
 * Values in Dockerfile instructions (COPY sources and destinations, image references), represented
 * exactly or refused. Measured with BuildKit's own parser and word expansion (docs/entrypoint.md):
 * - a line ends an instruction: a newline in a value would start a new instruction (`RUN …`), and a
 *   trailing `\` joins the next line;
 * - plain-form words are split on whitespace; the JSON-array form keeps spaces;
 * - in both forms BuildKit then expands each word like a shell word: `'` and `"` quote, `\` escapes,
 *   `$VAR` expands, so these four are written with a `\` in front;
 * - a source starting with `<<` is a heredoc (even in the JSON form), so its `<` is escaped too;
 * - sources are glob patterns (`*`, `?`, `[`), and a word starting with `--` is read as a flag.
 */
import { unrepresentableText } from "./text.js";

export interface DockerfileValueProblem {
  problem: string;
  fix: string;
}

/** Characters that need nothing in a plain-form word (the set sh and go-shellwords agree on too). */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
const GLOB = /[*?[\]]/;

/** Why `path` cannot be a COPY source, relative to the build context (the project root), or undefined. */
export function copySourceProblem(path: string): DockerfileValueProblem | undefined {
  const text = unrepresentableText(path);
  if (text) return { problem: text, fix: "remove that character from the path" };
  if (path.startsWith("/")) {
    return {
      problem: `"${path}" is absolute, but COPY reads its sources inside the build context (the project root)`,
      fix: "use a path relative to the project root, e.g. config/litestream.yml",
    };
  }
  if (path.split("/").includes("..")) {
    return {
      problem: `"${path}" has a ".." component; COPY cannot read outside the build context (the project root)`,
      fix: "use a path inside the project, e.g. config/litestream.yml",
    };
  }
  if (GLOB.test(path)) {
    return {
      problem: `"${path}" contains a glob character (* ? [ ]): COPY reads its sources as patterns`,
      fix: "rename the file without * ? [ ], e.g. config/litestream.yml",
    };
  }
  return undefined;
}

/** Why `path` cannot be a COPY destination inside the image, or undefined. */
export function copyDestinationProblem(path: string): DockerfileValueProblem | undefined {
  const text = unrepresentableText(path);
  if (text) return { problem: text, fix: "remove that character from the path" };
  if (!path.startsWith("/"))
    return {
      problem: `"${path}" is not absolute: COPY would resolve it against the image's WORKDIR`,
      fix: `start it with "/", e.g. /etc/litestream.yml`,
    };
  if (path.endsWith("/"))
    return {
      problem: `"${path}" ends with "/": COPY would copy into that directory under the source's name`,
      fix: "name the file, e.g. /etc/litestream.yml",
    };
  return undefined;
}

/** One word of a JSON-array instruction: escaped for BuildKit's word expansion, then JSON-encoded. */
function jsonWord(word: string): string {
  return JSON.stringify(word.replace(/[\\$'"]/g, "\\$&").replace(/^</, "\\<"));
}

/**
 * A COPY instruction for checked values (see copySourceProblem, copyDestinationProblem): the plain
 * form when every word is plain, else the JSON-array form. Flags are generator-made words.
 */
export function copyInstruction(flags: readonly string[], sources: readonly string[], destination: string): string {
  const words = [...sources, destination];
  const plain = words.every((w) => PLAIN_WORD.test(w) && !w.startsWith("-"));
  const operands = plain ? words.join(" ") : `[${words.map(jsonWord).join(", ")}]`;
  return ["COPY", ...flags, operands].join(" ");
}

/**
 * A JSON value on one comment line: JSON escapes C0 controls and lone surrogates; the rest of what
 * a line cannot hold (DEL, C1, U+2028/9) is escaped here.
 */
export function jsonOnOneLine(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

// Docker's image reference grammar (github.com/distribution/reference, regexp.go).
const ALNUM = "[a-z0-9]+";
const SEPARATOR = "(?:[._]|__|[-]+)";
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);
const NAME_MAX = 255;

/** Why `image` is not an image reference Docker accepts (name[:tag][@digest]), or undefined. */
export function imageReferenceProblem(image: string): DockerfileValueProblem | undefined {
  const text = unrepresentableText(image);
  const fix = "write an image reference such as litestream/litestream:0.5.17 (lower-case name, then :tag and/or @sha256:digest)";
  if (text) return { problem: text, fix };
  const match = REFERENCE.exec(image);
  if (!match) {
    const lower = image.toLowerCase();
    const hint = lower !== image && REFERENCE.test(lower) ? " (repository names are lower-case)" : "";
    return { problem: `"${image}" is not a Docker image reference${hint}`, fix };
  }
  if (match[1]!.length > NAME_MAX) return { problem: `the image name is longer than ${NAME_MAX} characters`, fix };
  return undefined;
}
