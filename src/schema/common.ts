/**
 * Building blocks of the project description: durations, paths, names and secret references.
 * Every check that a single value can fail lives here, so all of them are reported at once.
 */
import { z } from "zod";
import { parseDuration } from "../duration.js";

/** A duration as typed ("10s", "7d"); parsed later by `parseDuration`, checked here. */
export const Duration = z
  .union([z.string(), z.number()])
  .superRefine((value, ctx) => {
    const dollar = typeof value === "string" ? dollarProblem(value) : undefined;
    if (dollar) return void ctx.addIssue({ code: "custom", message: dollar.problem, params: { fix: dollar.fix } });
    const parsed = parseDuration(value);
    if (!parsed.ok) ctx.addIssue({ code: "custom", message: parsed.problem, params: { fix: parsed.fix } });
  })
  .meta({ description: 'A duration with a unit: "500ms", "10s", "1h30m", "7d" (converted to "168h").' });

/**
 * Litestream expands environment variables over the raw config text and a `$` cannot be escaped
 * (litestream-facts.md §2), so a literal value must never contain one.
 */
export function dollarProblem(value: string): { problem: string; fix: string } | undefined {
  if (!value.includes("$")) return undefined;
  if (value.includes("$(")) {
    return {
      problem: `"${value}" contains a shell command substitution "$(…)": no shell ever runs it, Litestream would use the text literally`,
      fix: "write the final value",
    };
  }
  if (/\$\{[A-Za-z_][A-Za-z0-9_]*:?[-=?+]/.test(value)) {
    return {
      problem: `"${value}" uses a shell default "\${VAR:-…}": Litestream has no defaults and expands it to an empty string`,
      fix: "write the final value",
    };
  }
  return {
    problem: `"${value}" contains "$": Litestream expands environment variables in its config and a literal "$" cannot be escaped`,
    fix: 'write the final value (secrets go in credentials as { env: "NAME" })',
  };
}

export const LiteralString = z.string().min(1).superRefine((value, ctx) => {
  const problem = dollarProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem.problem, params: { fix: problem.fix } });
});

/** A filesystem path. Relative paths are resolved against an environment's `baseDir` or refused later. */
export const FsPath = LiteralString.meta({ description: "An absolute path (or relative to the environment's baseDir)." });

/** Lower-case identifier used in replica paths, file names and service names. */
export const Slug = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, "use lower-case letters, digits, '-' and '_' (it becomes part of paths and names)");

export const EnvVarName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "an environment variable name is letters, digits and '_', not starting with a digit");

const OpReference = z
  .string()
  .regex(/^op:\/\/[^/\s]+\/[^/\s]+(\/[^/\s]+){1,2}$/, 'a 1Password reference looks like "op://Vault/Item/field" or "op://Vault/Item/section/field"');

/**
 * A reference to a secret, resolved at run time. A literal secret value is deliberately not representable.
 */
export const SecretRef = z
  .union([
    z.strictObject({ env: EnvVarName }).meta({ description: "Read from this environment variable at run time." }),
    z.strictObject({ op: OpReference }).meta({ description: "A 1Password secret reference, op://Vault/Item/field." }),
    z.string().superRefine((value, ctx) => {
      if (!value.startsWith("op://")) {
        ctx.addIssue({
          code: "custom",
          message: "a secret must be a reference, never a value (it would end up in generated files)",
          params: { fix: 'write { env: "NAME" } or "op://Vault/Item/field"; the value is resolved at run time' },
        });
        return;
      }
      const parsed = OpReference.safeParse(value);
      if (!parsed.success) ctx.addIssue({ code: "custom", message: parsed.error.issues[0]!.message });
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
