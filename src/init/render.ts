/** Writes the description `init` built as a typed, commented litestream.config.ts. */
import type { DescriptionDraft } from "./answers.js";

export function renderConfigFile(draft: DescriptionDraft, detected: string[]): string {
  const header = [
    "// The project description for litestream-deploy, written by `litestream-deploy init`.",
    ...(detected.length ? ["// Detected:", ...detected.map((line) => `//   ${line}`)] : []),
    "// Reference: the README of litestream-deploy; editor completion comes from the types.",
    "// After a change run: npx litestream-deploy generate",
  ];
  return `${header.join("\n")}\nimport { defineProject } from "litestream-deploy";\n\nexport default defineProject(${tsValue(draft.value, "", "", draft.comments)});\n`;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A TypeScript literal: JSON strings (valid TS), unquoted identifier keys, a comment line above a key that has one. */
function tsValue(value: unknown, indent: string, at: string, comments: Record<string, string>): string {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((v) => tsValue(v, inner, `${at}[]`, comments));
    const oneLine = `[${items.join(", ")}]`;
    if (!oneLine.includes("\n") && oneLine.length + indent.length < 90) return oneLine;
    return `[\n${items.map((i) => `${inner}${i},`).join("\n")}\n${indent}]`;
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const path = (k: string) => (at ? `${at}.${k}` : k);
    if (at && isFlat(value) && !entries.some(([k]) => comments[path(k)])) {
      const oneLine = `{ ${entries.map(([k, v]) => `${key(k)}: ${tsValue(v, indent, path(k), comments)}`).join(", ")} }`;
      if (oneLine.length + indent.length < 90) return oneLine;
    }
    const lines = entries.map(
      ([k, v]) =>
        `${comments[path(k)] ? `${inner}// ${comments[path(k)]}\n` : ""}${inner}${key(k)}: ${tsValue(v, inner, path(k), comments)},`,
    );
    return `{\n${lines.join("\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** An object whose values are all scalars or one-key objects ({ env: "X" }). */
function isFlat(value: unknown): boolean {
  return (
    !!value &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    Object.values(value).every(
      (v) => typeof v !== "object" || v === null || (Object.keys(v).length === 1 && typeof Object.values(v)[0] !== "object"),
    )
  );
}

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}
