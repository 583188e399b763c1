/**
 * `secrets check`: is every secret the description references resolvable here? `{ env }`
 * references are looked up in the environment, then in .env files (dotenv); `op://` references are
 * resolved with the 1Password SDK (imported only by this command; token from
 * OP_SERVICE_ACCOUNT_TOKEN). Only names and references are printed, never a value.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { generate } from "../generate.js";
import { findConfig, loadConfig } from "../load-config.js";
import type { EnvVarPlan } from "../plan/model.js";
import { printJson, type Command, type CommandContext } from "./context.js";

/** The part of the 1Password SDK client this command uses (`client.secrets.resolveAll`). */
export interface SecretsClient {
  secrets: {
    resolveAll(
      references: string[],
    ): Promise<{ individualResponses: Record<string, { content?: unknown; error?: { type: string; message?: string } }> }>;
  };
}

/** Makes a 1Password client from a service-account token (the real SDK by default). */
export type SecretsClientFactory = (token: string) => Promise<SecretsClient>;

export type SecretStatus = "ok" | "missing" | "unchecked";

export interface SecretCheck {
  environment: string;
  /** The variable Litestream reads. */
  variable: string;
  source: { kind: "env"; name: string } | { kind: "op"; ref: string };
  status: SecretStatus;
  /** For "ok" env references: "environment" or the .env file it was found in. */
  foundIn?: string;
  /** Why it is missing or unchecked. */
  problem?: string;
}

export const TOKEN_VARIABLE = "OP_SERVICE_ACCOUNT_TOKEN";

const realClient: SecretsClientFactory = async (token) => {
  const sdk = await import("@1password/sdk");
  return sdk.createClient({ auth: token, integrationName: "litestream-deploy secrets check", integrationVersion: "1" });
};

export interface CheckSecretsOptions {
  /** The process environment. */
  env: Record<string, string | undefined>;
  /** .env files in the order they are consulted (the first that defines a name wins). */
  envFiles: string[];
  client?: SecretsClientFactory;
}

/** The dotenv files consulted for an environment, most specific first, as dotenv-flow orders them. */
export function defaultEnvFiles(dir: string, environment: string): string[] {
  return [`.env.${environment}.local`, `.env.${environment}`, ".env.local", ".env"].map((name) => path.join(dir, name));
}

export async function checkSecrets(environment: string, vars: EnvVarPlan[], options: CheckSecretsOptions): Promise<SecretCheck[]> {
  const { parse } = await import("dotenv");
  const files = options.envFiles.filter((file) => existsSync(file)).map((file) => ({ file, values: parse(readFileSync(file)) }));
  const checks: SecretCheck[] = [];
  const opRefs: string[] = [];
  for (const v of vars) {
    const base = { environment, variable: v.name };
    if (v.source.kind === "env") {
      const name = v.source.name;
      // The environment wins, then the first file that defines the name (an empty value there is missing).
      const defining = files.find((f) => Object.hasOwn(f.values, name));
      const where = options.env[name] ? "environment" : defining?.values[name] ? defining.file : undefined;
      checks.push(
        where
          ? { ...base, source: v.source, status: "ok", foundIn: where }
          : {
              ...base,
              source: v.source,
              status: "missing",
              problem: `${name} is not set (or empty) in the environment${files.length ? ` or ${files.map((f) => path.basename(f.file)).join(", ")}` : " and no .env file was found"}`,
            },
      );
    } else {
      checks.push({ ...base, source: v.source, status: "unchecked" });
      opRefs.push(v.source.ref);
    }
  }
  if (opRefs.length) await resolveOp(checks, [...new Set(opRefs)], options);
  return checks;
}

async function resolveOp(checks: SecretCheck[], refs: string[], options: CheckSecretsOptions): Promise<void> {
  const pending = checks.filter((c) => c.source.kind === "op");
  const token = options.env[TOKEN_VARIABLE];
  if (!token) {
    for (const c of pending) c.problem = `not checked: set ${TOKEN_VARIABLE} to a 1Password service-account token that can read this vault`;
    return;
  }
  let responses: Awaited<ReturnType<SecretsClient["secrets"]["resolveAll"]>>["individualResponses"];
  try {
    const client = await (options.client ?? realClient)(token);
    responses = (await client.secrets.resolveAll(refs)).individualResponses;
  } catch (error) {
    const message = String((error as Error)?.message ?? error)
      .replaceAll(token, "<token>")
      .split("\n")[0];
    for (const c of pending) c.problem = `not checked: 1Password refused the request (${message})`;
    return;
  }
  for (const c of pending) {
    const response = responses[(c.source as { ref: string }).ref];
    if (response && !response.error && response.content !== undefined) {
      c.status = "ok";
      c.foundIn = "1Password";
    } else {
      c.status = "missing";
      c.problem = response?.error
        ? `1Password: ${response.error.type}${response.error.message ? ` (${response.error.message})` : ""}`
        : "1Password returned nothing for it";
    }
  }
}

export const secretsCommand: Command = {
  summary: "check that every secret reference resolves (environment, .env files, 1Password); never prints a value",
  usage: `Usage: litestream-deploy secrets check [--config FILE] [--env NAME] [--env-file FILE]... [--json]

Resolve every secret the description references, printing which are missing — never a value.
{ env: "NAME" } is looked up in the environment, then in .env.<env>.local, .env.<env>, .env.local, .env
next to the description (or only the --env-file files given). op:// references are resolved with the
1Password SDK using the service-account token in ${TOKEN_VARIABLE}; without it they are reported
as not checked. Exit codes: 0 every secret resolves, 1 one is missing or not checked, 2 a problem in the description.
  -c, --config FILE   the description (default: litestream.config.* in the current directory)
  -e, --env NAME      only this environment's secrets
  --env-file FILE     a dotenv file to read instead of the default ones (repeatable)`,
  options: {
    config: { type: "string", short: "c" },
    env: { type: "string", short: "e" },
    "env-file": { type: "string", multiple: true },
  },
  run: (context) => runSecretsCheck(context),
};

export async function runSecretsCheck({ io, values, json, color }: CommandContext, client?: SecretsClientFactory): Promise<number> {
  const configFile = findConfig(io.cwd, values.config as string | undefined);
  const only = values.env as string | undefined;
  const { plan } = generate(await loadConfig(configFile), only ? { environment: only } : {});
  const envFiles = values["env-file"] as unknown as string[] | undefined;
  const checks: SecretCheck[] = [];
  for (const env of plan.environments) {
    if (only && env.name !== only) continue;
    const files = envFiles?.map((f) => path.resolve(io.cwd, f)) ?? defaultEnvFiles(path.dirname(configFile), env.name);
    checks.push(...(await checkSecrets(env.name, env.env, { env: io.env ?? process.env, envFiles: files, client })));
  }
  const ok = checks.every((c) => c.status === "ok");
  if (json) {
    printJson(io, {
      command: "secrets check",
      ok,
      secrets: checks.map((c) => ({
        ...c,
        ...(c.foundIn && path.isAbsolute(c.foundIn) ? { foundIn: path.relative(io.cwd, c.foundIn) || c.foundIn } : {}),
      })),
      problems: [],
    });
    return ok ? 0 : 1;
  }
  if (!checks.length) io.out("the description references no secrets");
  const label = { ok: color.green("ok       "), missing: color.red("missing  "), unchecked: color.yellow("unchecked") };
  for (const c of checks) {
    const source = c.source.kind === "env" ? `env ${c.source.name}` : c.source.ref;
    const where = c.foundIn ? ` (${path.isAbsolute(c.foundIn) ? path.relative(io.cwd, c.foundIn) : c.foundIn})` : "";
    io.out(`${label[c.status]}  ${c.environment}: ${c.variable} ← ${source}${where}${c.problem ? ` — ${c.problem}` : ""}`);
  }
  const bad = checks.filter((c) => c.status !== "ok").length;
  if (checks.length) io.out(bad ? `${bad} of ${checks.length} secrets are missing or not checked` : `all ${checks.length} secrets resolve`);
  return ok ? 0 : 1;
}
