/**
 * Where backups go: one strict object per provider preset, discriminated by `provider`.
 * `providers.ts` turns each preset into endpoint, region and path style.
 */
import { z } from "zod";
import {
  dollarProblem,
  EnvSetting,
  formatMessage,
  FsPath,
  LiteralString,
  orEnv,
  portInRange,
  Replication,
  SecretRef,
  Slug,
  Text,
} from "./common.js";

const S3Credentials = z
  .strictObject({ accessKeyId: SecretRef, secretAccessKey: SecretRef })
  .meta({ description: "References to the access key pair; passed to Litestream as environment variables." });

/** S3 bucket naming rules, which every S3-compatible provider here follows (docs/storage.md). */
const Bucket = Text.regex(
  /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  formatMessage(
    "a bucket name is 3-63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit",
    'e.g. "my-app-backups"',
    "bucket.invalid",
  ),
).superRefine((value, ctx) => {
  const problem = /\.\.|\.-|-\./.test(value)
    ? "has two adjacent periods or a period next to a hyphen"
    : /^\d+\.\d+\.\d+\.\d+$/.test(value)
      ? "is formatted as an IP address"
      : /^xn--|^sthree-|-s3alias$|--ol-s3$/.test(value)
        ? "uses a prefix or suffix reserved by S3 (xn--, sthree-, -s3alias, --ol-s3)"
        : undefined;
  if (problem) {
    ctx.addIssue({
      code: "custom",
      message: `bucket name "${value}" ${problem}, which S3 refuses`,
      params: { fix: 'use letters, digits and single hyphens, e.g. "my-app-backups"', code: "bucket.invalid" },
    });
  }
});

/** Azure container names: 3-63 lower-case letters, digits and single hyphens, no periods. */
const AzureContainer = Text.regex(
  /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/,
  formatMessage(
    "an Azure container name is 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit",
    'e.g. "my-app-backups"',
    "bucket.invalid",
  ),
);

/** "" puts each database at the bucket root (`<database name>`), as many existing deployments do. */
export const Prefix = z
  .union([
    Text.superRefine((value, ctx) => {
      const problem = dollarProblem(value);
      if (problem)
        ctx.addIssue({ code: "custom", message: problem.problem, params: { fix: problem.fix, code: "text.dollar" }, continue: false });
    }).regex(
      /^(?:[^/](?:.*[^/])?)?$/,
      formatMessage(
        "write the prefix without leading or trailing '/'",
        'e.g. "my-app" or "my-app/production" ("" for the bucket root)',
        "prefix.slash",
      ),
    ),
    EnvSetting,
  ])
  .meta({
    description:
      'Path prefix inside the bucket; each database replicates to <prefix>/<database name> ("" = the bucket root; a database\'s replicaPath replaces both).',
  });

const HttpsUrl = LiteralString.regex(
  /^https:\/\/[^/\s]+\/?$/,
  formatMessage(
    "this provider only accepts https: write https://host (no path)",
    'e.g. "https://<account id>.r2.cloudflarestorage.com"',
    "endpoint.invalid",
  ),
);
const HttpUrl = LiteralString.regex(
  /^https?:\/\/[^/\s]+\/?$/,
  formatMessage(
    "the endpoint must be http(s)://host[:port] (no path)",
    'e.g. "https://s3.example.com" or "http://127.0.0.1:9000"',
    "endpoint.invalid",
  ),
);

/** A region pattern with its example; `$` and control characters are refused before it. */
const Region = (pattern: RegExp, message: string, example: string) =>
  LiteralString.regex(pattern, formatMessage(message, `e.g. "${example}"`, "region.invalid"));

/** Fields shared by every replica destination. */
const replicaCommon = {
  name: Slug.optional().meta({ description: "Replica name, unique per database (defaults to the provider)." }),
  replication: Replication.optional(),
};

const objectStoreCommon = {
  ...replicaCommon,
  bucket: orEnv(Bucket),
  prefix: Prefix.optional(),
};

const SIZE_UNITS: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
const MIN_PART_BYTES = 5 * 1024 ** 2;

/** Litestream reads sizes with SI (MB = 10^6) and IEC (MiB = 2^20) units; S3 parts are at least 5 MiB. */
const PartSize = Text.regex(
  /^[1-9]\d*(B|KB|MB|GB|KiB|MiB|GiB)$/,
  formatMessage('a size such as "5MiB" or "64MB"', 'e.g. "16MiB"', "size.invalid"),
).superRefine((value, ctx) => {
  const [, n, unit] = /^(\d+)(\w+)$/.exec(value) ?? [];
  const bytes = Number(n) * (SIZE_UNITS[unit ?? ""] ?? 0);
  if (bytes > 0 && bytes < MIN_PART_BYTES) {
    ctx.addIssue({
      code: "custom",
      message: `part size ${value} is ${bytes} bytes; S3 refuses every upload with parts under 5 MiB (5242880 bytes), measured on Litestream 0.5.8`,
      params: { fix: 'use "5MiB" or more, e.g. "16MiB"', code: "size.part-too-small" },
    });
  }
});

/** 0.5 S3 upload settings (docs/versions.md has the release each needs). */
const s3Tuning = {
  storageClass: LiteralString.regex(
    /^[A-Z_]+$/,
    formatMessage("an S3 storage class is upper-case letters and '_'", 'e.g. "STANDARD_IA"', "storage-class.invalid"),
  )
    .optional()
    .meta({ description: "0.5.14+: S3 storage class of uploaded files (storage-class)." }),
  partSize: PartSize.optional().meta({
    description: '0.5.3+: multipart upload part size (part-size), at least "5MiB" (5 MB = 5,000,000 bytes is too small).',
  }),
  concurrency: z.int().min(1).max(64).optional().meta({ description: "0.5.3+: parallel part uploads (concurrency)." }),
  signPayload: z.boolean().optional().meta({ description: "0.5.3+: sign request payloads (sign-payload; default true from 0.5.5)." }),
};

const s3Common = {
  ...objectStoreCommon,
  credentials: S3Credentials,
  skipVerify: z.boolean().optional().meta({ description: "Skip TLS verification (self-signed endpoints only)." }),
  ...s3Tuning,
};

export const Storage = z.discriminatedUnion("provider", [
  z.strictObject({
    provider: z.literal("aws"),
    ...objectStoreCommon,
    region: orEnv(Region(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as "eu-central-1"', "eu-central-1")),
    ...s3Tuning,
    credentials: S3Credentials.optional().meta({ description: "Omit to use the instance/task role." }),
  }),
  z.strictObject({
    provider: z.literal("r2"),
    ...s3Common,
    accountId: Text.regex(
      /^[0-9a-f]{32}$/,
      formatMessage(
        "the Cloudflare account id is 32 hex characters",
        "copy it from the R2 page of the Cloudflare dashboard (32 characters 0-9, a-f)",
        "r2.account-id",
      ),
    ),
    jurisdiction: z.enum(["eu", "fedramp"]).optional(),
    endpoint: orEnv(HttpsUrl).optional().meta({ description: "Override; R2 only accepts https." }),
  }),
  z.strictObject({
    provider: z.literal("b2"),
    ...s3Common,
    region: Region(/^[a-z]{2}-[a-z]+-\d{3}$/, 'a B2 region such as "us-west-002"', "us-west-002"),
  }),
  z.strictObject({
    provider: z.literal("hetzner"),
    ...s3Common,
    location: z.enum(["fsn1", "nbg1", "hel1"]),
  }),
  z.strictObject({
    provider: z.literal("digitalocean"),
    ...s3Common,
    region: Region(/^[a-z]{3}\d$/, 'a Spaces region such as "nyc3" or "fra1"', "fra1"),
  }),
  z.strictObject({
    provider: z.literal("scaleway"),
    ...s3Common,
    region: z.enum(["fr-par", "nl-ams", "pl-waw"]),
  }),
  z.strictObject({
    provider: z.literal("wasabi"),
    ...s3Common,
    region: Region(/^[a-z]{2}-[a-z]+-\d$/, 'a Wasabi region such as "eu-central-1"', "eu-central-1"),
  }),
  z.strictObject({
    provider: z.literal("tigris"),
    ...s3Common,
    endpoint: orEnv(HttpsUrl).optional().meta({ description: "Defaults to https://fly.storage.tigris.dev." }),
  }),
  z.strictObject({
    provider: z.literal("minio"),
    ...s3Common,
    endpoint: orEnv(HttpUrl),
    region: orEnv(LiteralString).optional(),
  }),
  z.strictObject({
    provider: z.literal("s3"),
    ...s3Common,
    endpoint: orEnv(HttpUrl),
    region: orEnv(LiteralString),
    forcePathStyle: z.boolean().optional().meta({ description: "Defaults to true when an endpoint is set." }),
  }),
  z.strictObject({
    provider: z.literal("gcs"),
    ...objectStoreCommon,
  }),
  z.strictObject({
    provider: z.literal("azure"),
    ...objectStoreCommon,
    bucket: orEnv(AzureContainer).meta({ description: "The blob container." }),
    accountName: Text.regex(
      /^[a-z0-9]{3,24}$/,
      formatMessage("an Azure storage account name is 3-24 lower-case letters and digits", 'e.g. "myappbackups"', "azure.account-name"),
    ),
    credentials: z.strictObject({ accountKey: SecretRef }),
  }),
  z.strictObject({
    provider: z.literal("sftp"),
    ...replicaCommon,
    host: LiteralString.regex(
      /^[^\s:]+:\d+$/,
      formatMessage('write host:port, e.g. "backup.example.com:22"', 'e.g. "backup.example.com:22"', "sftp.host"),
    ).superRefine(portInRange(22)),
    user: LiteralString,
    path: FsPath.meta({ description: "Directory on the SFTP server; each database goes in <path>/<database name>." }),
    keyPath: FsPath.optional().meta({ description: "Private key file on the machine that runs Litestream." }),
    password: SecretRef.optional(),
  }),
  z.strictObject({
    provider: z.literal("file"),
    ...replicaCommon,
    path: FsPath.meta({ description: "Directory; each database goes in <path>/<database name>." }),
  }),
]);

export type StorageInput = z.input<typeof Storage>;
export type StorageConfig = z.output<typeof Storage>;
export type ProviderName = StorageConfig["provider"];
