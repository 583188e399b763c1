/**
 * The one place where the user's variable names meet the names Litestream reads. Every target
 * (Kamal secrets, Compose environment, systemd EnvironmentFile, entrypoint) uses these bindings.
 */
import type { SecretReference } from "./schema/common.js";
import type { EnvironmentPlan } from "./plan.js";

export interface EnvBinding {
  /** The variable as the Litestream process sees it, e.g. LITESTREAM_ACCESS_KEY_ID. */
  name: string;
  /**
   * Where the value lives outside: the user's own variable for { env } references (R2_ACCESS_KEY_ID),
   * or `name` itself for 1Password references (the secret is stored under that name).
   */
  secretName: string;
  source: SecretReference;
  purpose: string;
  /** True when secretName differs from name and a target must map one to the other. */
  renamed: boolean;
  /** Also written as ${NAME} inside litestream.yml. */
  expandedInConfig: boolean;
  /** A non-secret setting read at start-up (e.g. "storage.bucket"), checked by src/render/startup-checks.ts. */
  setting?: string;
}

export function envBindings(env: EnvironmentPlan): EnvBinding[] {
  return env.env.map((v) => {
    const secretName = v.source.kind === "env" ? v.source.name : v.name;
    return {
      name: v.name,
      secretName,
      source: v.source,
      purpose: v.purpose,
      renamed: secretName !== v.name,
      expandedInConfig: v.expandedInConfig,
      ...(v.setting ? { setting: v.setting } : {}),
    };
  });
}
