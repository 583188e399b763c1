/**
 * The `.kamal/secrets` lines for the accessory's credentials, kept inside a marked block of the
 * user's file (which also holds RAILS_MASTER_KEY, the registry password, …): everything outside
 * the block stays byte for byte. Values are never written, only how to obtain them at deploy time.
 *
 * Format (docs/kamal.md, ".kamal/secrets"): dotenv with `$VAR` expansion and `$(command)`
 * substitution run locally. A `#` starts a comment in an unquoted value and `$` is expanded, so
 * references holding either are refused rather than quoted into something else.
 */
import type { EnvBinding } from "../../env-mapping.js";
import { GENERATOR, REGENERATE_COMMAND } from "../../header.js";
import type { KamalSecretsConfig } from "./settings.js";

export const SECRETS_BLOCK_BEGIN = `# >>> ${GENERATOR} >>>`;
export const SECRETS_BLOCK_END = `# <<< ${GENERATOR} <<<`;

export interface SecretsSettings {
  via: "op-read" | "kamal-adapter";
  account?: string;
  /** Where { env: NAME } credentials come from (default: `NAME=$NAME`). */
  sources?: Readonly<Record<string, SecretSource>>;
  /** Kamal 2.6+: the accessory maps NAME:SECRET_NAME, so the file defines the user's own name. */
  aliases: boolean;
}

export type SecretSource = NonNullable<KamalSecretsConfig["sources"]>[string];

export interface SecretsLines {
  lines: string[];
  problems: string[];
  /** Names this block defines. */
  defines: string[];
  /** The block holds `X=$(kamal secrets extract … $VAR)` lines (docs/kamal.md, known-bad releases). */
  adapterLines: boolean;
}

const SAFE_OP_REF = /^op:\/\/[A-Za-z0-9._@+-]+(\/[A-Za-z0-9._@+-]+){2,3}$/;

/** One `kamal secrets fetch` call and the names extracted from it. */
interface FetchGroup {
  adapter: string;
  account?: string;
  from?: string;
  secrets: string[];
  extracts: Array<{ name: string; extract: string }>;
}

/**
 * One line per credential. `definedOutside` are names the user's files already define (outside
 * the block, or in .kamal/secrets-common): a pass-through of such a name is left out, since the
 * user's definition is the value and `NAME=$NAME` after it could only replace it with the
 * environment's (often empty) value.
 */
export function secretsLines(
  bindings: EnvBinding[],
  settings: SecretsSettings,
  definedOutside: ReadonlySet<string> = new Set(),
): SecretsLines {
  const lines: string[] = [];
  const problems: string[] = [];
  const defines: string[] = [];
  const groups: FetchGroup[] = [];
  const ops: Array<{ name: string; vault: string; item: string; field: string }> = [];
  const define = (name: string, value: string) => {
    lines.push(`${name}=${value}`);
    defines.push(name);
  };

  for (const b of bindings) {
    if (b.source.kind === "env") {
      // With aliases the file defines the user's name and the accessory maps it; without, the
      // file must define the name the container receives.
      const fileName = settings.aliases ? b.secretName : b.name;
      const source = settings.sources?.[b.secretName];
      if (!source && definedOutside.has(b.secretName) && fileName === b.secretName) {
        lines.push(`# ${b.secretName}: defined elsewhere${b.renamed && settings.aliases ? ` (mapped to ${b.name} by the accessory)` : ""}`);
        continue;
      }
      if (!source) define(fileName, `$${b.secretName}`);
      else if ("railsCredentials" in source) define(fileName, `$(bin/rails credentials:fetch ${source.railsCredentials})`);
      else if ("env" in source) define(fileName, `$${source.env}`);
      else
        fetchGroup(groups, source).extracts.push({
          name: fileName,
          extract: source.key ? `${source.secret}/${source.key}` : source.secret,
        });
      continue;
    }
    const ref = b.source.ref;
    if (!SAFE_OP_REF.test(ref)) {
      problems.push(
        `the 1Password reference ${ref} holds characters that .kamal/secrets (dotenv) would expand or cut (#, $, quotes, spaces)`,
      );
      continue;
    }
    const [vault, item, ...field] = ref.slice("op://".length).split("/");
    ops.push({ name: b.name, vault: vault!, item: item!, field: field.join("/") });
  }

  if (settings.via === "op-read") {
    for (const op of ops) define(op.name, `$(op read op://${op.vault}/${op.item}/${op.field})`);
  } else {
    // One fetch per vault (`--from Vault/Item` when every field is in one item), before the other adapters' fetches.
    const vaultGroups: FetchGroup[] = [];
    for (const vault of [...new Set(ops.map((o) => o.vault))]) {
      const inVault = ops.filter((o) => o.vault === vault);
      const items = [...new Set(inVault.map((o) => o.item))];
      const keys = inVault.map((o) => fetchedKey(o));
      vaultGroups.push({
        adapter: "1password",
        ...(settings.account ? { account: settings.account } : {}),
        from: items.length === 1 ? `${vault}/${items[0]}` : vault,
        secrets: inVault.map((o) => (items.length === 1 ? o.field : `${o.item}/${o.field}`)),
        extracts: inVault.map((o) => ({ name: o.name, extract: extractName(fetchedKey(o), keys) })),
      });
    }
    groups.unshift(...vaultGroups);
  }
  // The variable is ours, so a SECRETS= line of the user's is never overwritten.
  groups.forEach((group, i) => {
    const variable = i === 0 ? "LITESTREAM_SECRETS" : `LITESTREAM_SECRETS_${i + 1}`;
    const flags = [
      `--adapter ${group.adapter}`,
      ...(group.account ? [`--account ${group.account}`] : []),
      ...(group.from ? [`--from ${group.from}`] : []),
    ];
    lines.push(`${variable}=$(kamal secrets fetch ${flags.join(" ")} ${[...new Set(group.secrets)].join(" ")})`);
    for (const { name, extract } of group.extracts) define(name, `$(kamal secrets extract ${extract} $${variable})`);
  });
  return { lines, problems, defines, adapterLines: groups.length > 0 };
}

function fetchGroup(groups: FetchGroup[], source: Extract<SecretSource, { adapter: string }>): FetchGroup {
  let group = groups.find((g) => g.adapter === source.adapter && g.account === source.account && g.from === source.from);
  if (!group) {
    group = {
      adapter: source.adapter,
      ...(source.account ? { account: source.account } : {}),
      ...(source.from ? { from: source.from } : {}),
      secrets: [],
      extracts: [],
    };
    groups.push(group);
  }
  group.secrets.push(source.secret);
  return group;
}

/**
 * The key `kamal secrets fetch` stores a field under: its reference without op://, and without a
 * trailing /password (Kamal's 1Password adapter strips it).
 */
function fetchedKey(o: { vault: string; item: string; field: string }): string {
  return `${o.vault}/${o.item}/${o.field}`.replace(/\/password$/, "");
}

/** The shortest suffix `kamal secrets extract` finds unambiguously (it matches the key or "…/<name>"). */
function extractName(key: string, keys: string[]): string {
  const parts = key.split("/");
  for (let n = 1; n < parts.length; n++) {
    const name = parts.slice(-n).join("/");
    if (keys.filter((k) => k === name || k.endsWith(`/${name}`)).length === 1) return name;
  }
  return key;
}

export function secretsBlock(lines: string[], what: string): string {
  return (
    [SECRETS_BLOCK_BEGIN, `# ${what}: managed by ${GENERATOR}, regenerate with: ${REGENERATE_COMMAND}`, ...lines, SECRETS_BLOCK_END].join(
      "\n",
    ) + "\n"
  );
}

/** Names a dotenv file defines, by line number (1-based), ignoring comments. */
export function dotenvDefinitions(text: string): Map<string, number[]> {
  const found = new Map<string, number[]>();
  text.split("\n").forEach((line, i) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*[=:]/.exec(line);
    if (m) found.set(m[1]!, [...(found.get(m[1]!) ?? []), i + 1]);
  });
  return found;
}

export type BlockSplit = { before: string; block?: string; after: string } | { problem: string };

/** A marker line, however it is indented and whatever line ending it has. */
const isMarker = (line: string, marker: string) => line.replace(/^\uFEFF/, "").trim() === marker;

/** Splits a file around its marked block (absent block: everything is `before`). A leading BOM stays in `before`. */
export function splitBlock(text: string): BlockSplit {
  const lines = text.split("\n");
  const begins = lines.flatMap((l, i) => (isMarker(l, SECRETS_BLOCK_BEGIN) ? [i] : []));
  const ends = lines.flatMap((l, i) => (isMarker(l, SECRETS_BLOCK_END) ? [i] : []));
  if (begins.length === 0 && ends.length === 0) return { before: text, after: "" };
  if (begins.length !== 1 || ends.length !== 1 || ends[0]! < begins[0]!) {
    return {
      problem: `the file has ${begins.length} "${SECRETS_BLOCK_BEGIN}" and ${ends.length} "${SECRETS_BLOCK_END}" lines; exactly one of each, in that order, delimits the managed block`,
    };
  }
  const bom = begins[0] === 0 && text.startsWith("\uFEFF") ? 1 : 0;
  const start = lines.slice(0, begins[0]).join("\n").length + (begins[0]! > 0 ? 1 : 0) + bom;
  const endLine = ends[0]!;
  const endOffset = lines.slice(0, endLine + 1).join("\n").length;
  const end = endOffset < text.length ? endOffset + 1 : endOffset;
  return { before: text.slice(0, start), block: text.slice(start, end), after: text.slice(end) };
}

/**
 * The file with `block` in place of the old one, or appended after a blank line; the rest untouched.
 * A file with CRLF line endings gets the block with CRLF too.
 */
export function withSecretsBlock(existing: string | undefined, block: string): { content: string } | { problem: string } {
  if (existing === undefined || existing === "") return { content: block };
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const ours = block.replace(/\n/g, eol);
  const split = splitBlock(existing);
  if ("problem" in split) return split;
  if (split.block !== undefined) return { content: split.before + ours + split.after };
  const separator = existing.endsWith(eol + eol) ? "" : existing.endsWith("\n") ? eol : eol + eol;
  return { content: existing + separator + ours };
}
