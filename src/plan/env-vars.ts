/**
 * The environment variables Litestream needs for one environment, and the references they come from.
 */
import { formatPath, type IssueList, type IssuePath } from "../errors.js";
import { isEnvSetting, toSecretReference } from "../schema/common.js";
import type { EncryptionConfig, ProjectConfig, ReplicaPathConfig } from "../schema/project.js";
import type { StorageConfig } from "../schema/storage.js";
import { storageAt, type EnvVarPlan } from "./model.js";

/** Variables Litestream reads natively or that we expand in the config (docs/storage.md). */
export const ENV = {
  accessKeyId: "LITESTREAM_ACCESS_KEY_ID",
  secretAccessKey: "LITESTREAM_SECRET_ACCESS_KEY",
  azureAccountKey: "LITESTREAM_AZURE_ACCOUNT_KEY",
  sftpPassword: "LITESTREAM_SFTP_PASSWORD",
  ageIdentity: "LITESTREAM_AGE_IDENTITY",
  heartbeatUrl: "LITESTREAM_HEARTBEAT_URL",
  sseCustomerKey: "LITESTREAM_SSE_CUSTOMER_KEY",
} as const;

/** Other names Litestream reads natively for the same value (AWS_* take precedence over LITESTREAM_*). */
const NATIVE_ALIASES: Record<string, string[]> = {
  [ENV.accessKeyId]: ["AWS_ACCESS_KEY_ID"],
  [ENV.secretAccessKey]: ["AWS_SECRET_ACCESS_KEY"],
};

export function planEnvVars(
  storages: StorageConfig[],
  storagePath: IssuePath,
  encryption: EncryptionConfig | undefined,
  heartbeat: ProjectConfig["heartbeat"],
  issues: IssueList,
): EnvVarPlan[] {
  const vars = new Map<string, EnvVarPlan & { where: IssuePath }>();
  const need = (
    canonical: string,
    ref: Parameters<typeof toSecretReference>[0],
    purpose: string,
    where: IssuePath,
    expandedInConfig = false,
  ) => {
    const source = toSecretReference(ref);
    // A variable Litestream already reads under the user's own name needs no renaming.
    const name = source.kind === "env" && NATIVE_ALIASES[canonical]?.includes(source.name) ? source.name : canonical;
    const existing = vars.get(name);
    if (existing && JSON.stringify(existing.source) !== JSON.stringify(source)) {
      issues.add(
        where,
        `two different credentials would both have to be ${name}; Litestream reads one set per process`,
        `use the same reference as ${formatPath(existing.where)}, or split the databases into separate projects`,
        "secret.conflict",
      );
      return;
    }
    vars.set(name, { name, source, purpose, expandedInConfig, where });
  };
  storages.forEach((s, i) => {
    if ("credentials" in s && s.credentials) {
      if ("accessKeyId" in s.credentials) {
        need(ENV.accessKeyId, s.credentials.accessKeyId, "S3 access key id", [...storageAt(storagePath, i), "credentials", "accessKeyId"]);
        need(ENV.secretAccessKey, s.credentials.secretAccessKey, "S3 secret access key", [
          ...storageAt(storagePath, i),
          "credentials",
          "secretAccessKey",
        ]);
      } else {
        need(ENV.azureAccountKey, s.credentials.accountKey, "Azure storage account key", [
          ...storageAt(storagePath, i),
          "credentials",
          "accountKey",
        ]);
      }
    }
    if (s.provider === "sftp" && s.password) {
      need(ENV.sftpPassword, s.password, "SFTP password", [...storageAt(storagePath, i), "password"], true);
    }
  });
  if (encryption && "age" in encryption && encryption.age.identity) {
    need(ENV.ageIdentity, encryption.age.identity, "age identity (private key) for restores", ["encryption", "age", "identity"], true);
  }
  if (encryption && "sse" in encryption && "customerKey" in encryption.sse) {
    need(ENV.sseCustomerKey, encryption.sse.customerKey, "S3 SSE-C customer key", ["encryption", "sse", "customerKey"], true);
  }
  if (heartbeat) need(ENV.heartbeatUrl, heartbeat.url, "heartbeat URL", ["heartbeat", "url"], true);
  return [...vars.values()].map(({ where: _where, ...v }) => v);
}

/** The storage fields that may be given as { env: "NAME" }, and what they are called in messages. */
const SETTING_FIELDS = [
  ["bucket", "bucket"],
  ["endpoint", "endpoint"],
  ["region", "region"],
  ["prefix", "prefix"],
] as const;

/** Providers whose endpoint must be https (R2 and Tigris refuse http): checked at start-up when it is a variable. */
const HTTPS_ONLY = new Set(["r2", "tigris"]);

/**
 * Non-secret settings known only at run time ({ env: "NAME" }): each is passed to Litestream under
 * the user's own name and written as ${NAME} in litestream.yml (docs/storage.md).
 */
export function planRuntimeSettings(
  storages: StorageConfig[],
  storagePath: IssuePath,
  replicaPaths: Array<{ value: ReplicaPathConfig | undefined; where: IssuePath }>,
  taken: EnvVarPlan[],
  issues: IssueList,
): EnvVarPlan[] {
  const vars = new Map<string, EnvVarPlan>();
  const need = (name: string, where: IssuePath, mustBe?: "https") => {
    const credential = taken.find((v) => v.name === name);
    if (credential) {
      issues.add(
        where,
        `${name} is also the variable of the ${credential.purpose}: one variable cannot hold both`,
        "read this setting from a variable of its own",
        "setting.conflict",
      );
      return;
    }
    const setting = formatPath(where);
    const existing = vars.get(name);
    if (existing) {
      if (mustBe) existing.mustBe = mustBe;
      return;
    }
    vars.set(name, {
      name,
      source: { kind: "env", name },
      purpose: `${setting} (a setting read at start-up)`,
      expandedInConfig: true,
      setting,
      ...(mustBe ? { mustBe } : {}),
    });
  };
  storages.forEach((s, i) => {
    for (const [field] of SETTING_FIELDS) {
      const value = (s as Partial<Record<string, unknown>>)[field];
      if (isEnvSetting(value))
        need(value.env, [...storageAt(storagePath, i), field], field === "endpoint" && HTTPS_ONLY.has(s.provider) ? "https" : undefined);
    }
  });
  for (const { value, where } of replicaPaths) {
    if (isEnvSetting(value)) need(value.env, where);
    else if (value && typeof value === "object")
      for (const [replica, one] of Object.entries(value)) if (isEnvSetting(one)) need(one.env, [...where, replica]);
  }
  return [...vars.values()];
}
