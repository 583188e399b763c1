/**
 * Building blocks of the project description: durations, paths, names and secret references.
 * Every check that a single value can fail lives here, so all of them are reported at once.
 */
import { z } from "zod";
import { parseDuration } from "../duration.js";
import { registerFormatHint } from "../errors.js";
import { unrepresentableText } from "../render/quote/text.js";

/**
 * Free text that may reach a generated file: control characters, NEL, line/paragraph separators
 * and lone surrogates are refused (docs/validation.md). Later checks are skipped for such a value.
 */
export const Text = z.string().superRefine((value, ctx) => {
  const problem = unrepresentableText(value);
  if (problem) {
    ctx.addIssue({
      code: "custom",
      message: problem,
      params: { fix: "remove the character (write the value on one line, printable characters only)", code: "text.unrepresentable" },
      continue: false,
    });
  }
});
/** Same as Text; the name says the value is the user's free text, not a constrained name. */
export const FreeText = Text;

/** A `.regex()` message that also carries a fix and a code (kept as a regex for the JSON Schema). */
export function formatMessage(message: string, fix: string, code = "format.invalid"): string {
  return registerFormatHint(message, fix, code);
}

/** A port after the last ":" must be 1-65535 (shared by sftp.host and monitoring.addr). */
export const portInRange =
  (usualPort: number) =>
  (value: string, ctx: z.core.$RefinementCtx<string>): void => {
    const port = Number(/:(\d+)$/.exec(value)?.[1]);
    if (Number.isNaN(port) || (port >= 1 && port <= 65535)) return;
    const host = value.slice(0, value.lastIndexOf(":"));
    ctx.addIssue({
      code: "custom",
      message: `port ${port} is out of range: a TCP port is 1-65535`,
      params: { fix: `e.g. "${host}:${usualPort}"`, code: "port.range" },
    });
  };

/** A duration as typed ("10s", "7d"); parsed later by `parseDuration`, checked here. */
export const Duration = z
  .union([Text, z.number()])
  .superRefine((value, ctx) => {
    const dollar = typeof value === "string" ? dollarProblem(value) : undefined;
    if (dollar) return void ctx.addIssue({ code: "custom", message: dollar.problem, params: { fix: dollar.fix, code: "text.dollar" } });
    const parsed = parseDuration(value);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.problem, params: { fix: parsed.fix, code: parsed.code } });
  })
  .meta({ description: 'A duration with a unit: "500ms", "10s", "1h30m", "7d" (converted to "168h").' });

/**
 * Litestream expands environment variables over the raw config text and a `$` cannot be escaped
 * (docs/validation.md), so a literal value must never contain one.
 */
export function dollarProblem(value: string): { problem: string; fix: string } | undefined {
  if (!value.includes("$")) return undefined;
  if (value.includes("$(")) {
    return {
      problem: `"${value}" contains a shell command substitution "$(…)": no shell ever runs it, Litestream would use the text literally`,
      fix: "write the final value, without $(…)",
    };
  }
  if (/\$\{[A-Za-z_][A-Za-z0-9_]*:?[-=?+]/.test(value)) {
    return {
      problem: `"${value}" uses a shell default "\${VAR:-…}": Litestream has no defaults and expands it to an empty string`,
      fix: "write the final value, without ${…}",
    };
  }
  return {
    problem: `"${value}" contains "$": Litestream expands environment variables in its config and a literal "$" cannot be escaped`,
    fix: 'write the final value (secrets go in credentials as { env: "NAME" })',
  };
}

/** Text that Litestream reads from its config: also refuses `$` (expanded, cannot be escaped). */
export const LiteralString = Text.min(1).superRefine((value, ctx) => {
  const problem = dollarProblem(value);
  if (problem)
    ctx.addIssue({ code: "custom", message: problem.problem, params: { fix: problem.fix, code: "text.dollar" }, continue: false });
});

/** A filesystem path. Relative paths are resolved against an environment's `baseDir` or refused later. */
export const FsPath = LiteralString.meta({ description: "An absolute path (or relative to the environment's baseDir)." });

/** Lower-case identifier used in replica paths, file names and service names. */
/** At most 63 characters: it becomes a DNS label (Compose service and Kamal accessory names, docs/validation.md). */
export const Slug = Text.regex(
  /^[a-z0-9][a-z0-9_-]*$/,
  formatMessage(
    "use lower-case letters, digits, '-' and '_' (it becomes part of paths and names)",
    'e.g. "main" or "my-app"',
    "name.invalid",
  ),
).max(63);

export const EnvVarName = Text.regex(
  /^[A-Za-z_][A-Za-z0-9_]*$/,
  formatMessage(
    "an environment variable name is letters, digits and '_', not starting with a digit",
    'e.g. "AWS_ACCESS_KEY_ID"',
    "name.invalid",
  ),
);

const OP_REFERENCE_MESSAGE = formatMessage(
  'a 1Password reference looks like "op://Vault/Item/field" or "op://Vault/Item/section/field"',
  'write "op://Vault/Item/field" with your vault, item and field names (no spaces or extra "/")',
  "secret.reference",
);
const OpReference = Text.regex(/^op:\/\/[^/\s]+\/[^/\s]+(\/[^/\s]+){1,2}$/, OP_REFERENCE_MESSAGE);

/**
 * A reference to a secret, resolved at run time. A literal secret value is deliberately not representable.
 */
export const SecretRef = z
  .union([
    z.strictObject({ env: EnvVarName }).meta({ description: "Read from this environment variable at run time." }),
    z.strictObject({ op: OpReference }).meta({ description: "A 1Password secret reference, op://Vault/Item/field." }),
    Text.superRefine((value, ctx) => {
      if (!value.startsWith("op://")) {
        ctx.addIssue({
          code: "custom",
          message: "a secret must be a reference, never a value (it would end up in generated files)",
          params: { fix: 'write { env: "NAME" } or "op://Vault/Item/field"; the value is resolved at run time', code: "secret.literal" },
        });
        return;
      }
      const parsed = OpReference.safeParse(value);
      if (!parsed.success)
        ctx.addIssue({
          code: "custom",
          message: OP_REFERENCE_MESSAGE,
          params: {
            fix: 'write "op://Vault/Item/field" with your vault, item and field names (no spaces or extra "/")',
            code: "secret.reference",
          },
        });
    }),
  ])
  .meta({ description: 'A secret reference: { env: "NAME" }, { op: "op://Vault/Item/field" } or the string "op://Vault/Item/field".' });

export type SecretRefInput = z.input<typeof SecretRef>;
export type SecretReference = { kind: "env"; name: string } | { kind: "op"; ref: string };

export function toSecretReference(ref: z.output<typeof SecretRef>): SecretReference {
  if (typeof ref === "string") return { kind: "op", ref };
  if ("env" in ref) return { kind: "env", name: ref.env };
  return { kind: "op", ref: ref.op };
}

/** Timing of one replica; every field is optional and layered (preset → role → database → replica). */
export const Replication = z
  .strictObject({
    syncInterval: Duration.optional().meta({ description: "How often WAL changes are shipped (Litestream default 1s)." }),
    snapshotInterval: Duration.optional().meta({ description: "How often a full snapshot is taken." }),
    retention: Duration.optional().meta({ description: "How long snapshots and WAL are kept (point-in-time window)." }),
    retentionCheckInterval: Duration.optional().meta({ description: "0.3 only: how often old data is removed." }),
    validationInterval: Duration.optional().meta({ description: "How often a restore is checked against the live DB (costly)." }),
  })
  .meta({ description: "Replication timing." });

export type ReplicationInput = z.input<typeof Replication>;

/**
 * A non-secret setting known only at run time: written as `${NAME}` into litestream.yml for
 * Litestream's own expansion, and checked at start-up by every target (docs/storage.md).
 */
export const EnvSetting = z.strictObject({ env: EnvVarName }).meta({
  description:
    "Read at start-up from this environment variable: written as ${NAME} in litestream.yml, and every target refuses to start while it is unset or empty.",
});

export type EnvSettingConfig = z.output<typeof EnvSetting>;

/** A literal value, or `{ env: "NAME" }` for one known only at run time. */
export const orEnv = <T extends z.ZodType>(literal: T) => z.union([literal, EnvSetting]);

export const isEnvSetting = (value: unknown): value is EnvSettingConfig => typeof value === "object" && value !== null && "env" in value;

/** The text Litestream reads: the literal itself, or `${NAME}` for an environment setting. */
export function settingText(value: string | EnvSettingConfig): string {
  return typeof value === "string" ? value : `\${${value.env}}`;
}

/** Database name: a Slug that may also hold dots ("production.sqlite3"), which stays a label only. */
export const DatabaseName = Text.regex(
  /^[a-z0-9](?:[a-z0-9_-]|\.(?!\.))*(?<!\.)$/,
  formatMessage(
    "use lower-case letters, digits, '-', '_' and single dots inside the name",
    'e.g. "main" or "production.sqlite3"',
    "name.invalid",
  ),
).max(63);

/**
 * An exact replica path, used as written instead of `<prefix>/<database name>`: the key in the
 * bucket (no leading "/"), or the directory for file and SFTP replicas.
 */
export const ReplicaPathText = LiteralString.regex(
  /^(?!.*\/\/)(?!.*\/$)(?!(?:.*\/)?\.\.?(?:\/|$))/,
  formatMessage(
    "write the replica path without a trailing '/', '//' or '.'/'..' segments",
    'e.g. "production.sqlite3" or "litestream/pb_data.db"',
    "replica-path.invalid",
  ),
);
