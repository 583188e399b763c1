/**
 * Where backups go: one strict object per provider preset, discriminated by `provider`.
 * `providers.ts` turns each preset into endpoint, region and path style.
 */
import { z } from "zod";
import { FsPath, LiteralString, Replication, SecretRef, Slug } from "./common.js";

const S3Credentials = z
  .strictObject({ accessKeyId: SecretRef, secretAccessKey: SecretRef })
  .meta({ description: "References to the access key pair; passed to Litestream as environment variables." });

const Bucket = z
  .string()
  .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "a bucket name is 3-63 lower-case letters, digits, '.' and '-'");

const Prefix = LiteralString.regex(/^[^/].*[^/]$|^[^/]$/, "write the prefix without leading or trailing '/'")
  .optional()
  .meta({ description: "Path prefix inside the bucket; each database replicates to <prefix>/<database name>." });

const HttpsUrl = LiteralString.regex(/^https:\/\/[^/\s]+\/?$/, "this provider only accepts https: write https://host (no path)");
const HttpUrl = LiteralString.regex(/^https?:\/\/[^/\s]+\/?$/, "the endpoint must be http(s)://host[:port] (no path)");

/** Fields shared by every replica destination. */
const replicaCommon = {
  name: Slug.optional().meta({ description: "Replica name, unique per database (defaults to the provider)." }),
  replication: Replication.optional(),
};

const objectStoreCommon = {
  ...replicaCommon,
  bucket: Bucket,
  prefix: Prefix,
};

const s3Common = {
  ...objectStoreCommon,
  credentials: S3Credentials,
  skipVerify: z.boolean().optional().meta({ description: "Skip TLS verification (self-signed endpoints only)." }),
};

export const Storage = z.discriminatedUnion("provider", [
  z.strictObject({
    provider: z.literal("aws"),
    ...objectStoreCommon,
    region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'an AWS region such as "eu-central-1"'),
    credentials: S3Credentials.optional().meta({ description: "Omit to use the instance/task role." }),
  }),
  z.strictObject({
    provider: z.literal("r2"),
    ...s3Common,
    accountId: z.string().regex(/^[0-9a-f]{32}$/, "the Cloudflare account id is 32 hex characters"),
    jurisdiction: z.enum(["eu", "fedramp"]).optional(),
    endpoint: HttpsUrl.optional().meta({ description: "Override; R2 only accepts https." }),
  }),
  z.strictObject({
    provider: z.literal("b2"),
    ...s3Common,
    region: z.string().regex(/^[a-z]{2}-[a-z]+-\d{3}$/, 'a B2 region such as "us-west-002"'),
  }),
  z.strictObject({
    provider: z.literal("hetzner"),
    ...s3Common,
    location: z.enum(["fsn1", "nbg1", "hel1"]),
  }),
  z.strictObject({
    provider: z.literal("digitalocean"),
    ...s3Common,
    region: z.string().regex(/^[a-z]{3}\d$/, 'a Spaces region such as "nyc3" or "fra1"'),
  }),
  z.strictObject({
    provider: z.literal("scaleway"),
    ...s3Common,
    region: z.enum(["fr-par", "nl-ams", "pl-waw"]),
  }),
  z.strictObject({
    provider: z.literal("wasabi"),
    ...s3Common,
    region: z.string().regex(/^[a-z]{2}-[a-z]+-\d$/, 'a Wasabi region such as "eu-central-1"'),
  }),
  z.strictObject({
    provider: z.literal("tigris"),
    ...s3Common,
    endpoint: HttpsUrl.optional().meta({ description: "Defaults to https://fly.storage.tigris.dev." }),
  }),
  z.strictObject({
    provider: z.literal("minio"),
    ...s3Common,
    endpoint: HttpUrl,
    region: z.string().optional(),
  }),
  z.strictObject({
    provider: z.literal("s3"),
    ...s3Common,
    endpoint: HttpUrl,
    region: z.string().min(1),
    forcePathStyle: z.boolean().optional().meta({ description: "Defaults to true when an endpoint is set." }),
  }),
  z.strictObject({
    provider: z.literal("gcs"),
    ...objectStoreCommon,
  }),
  z.strictObject({
    provider: z.literal("azure"),
    ...objectStoreCommon,
    accountName: z.string().regex(/^[a-z0-9]{3,24}$/, "an Azure storage account name is 3-24 lower-case letters and digits"),
    credentials: z.strictObject({ accountKey: SecretRef }),
  }),
  z.strictObject({
    provider: z.literal("sftp"),
    ...replicaCommon,
    host: LiteralString.regex(/^[^\s:]+:\d+$/, 'write host:port, e.g. "backup.example.com:22"'),
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
