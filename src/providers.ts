/**
 * Provider presets → the replica fields Litestream needs (type, endpoint, region, path style).
 * Endpoint forms and quirks: docs/storage.md.
 */
import { settingText } from "./schema/common.js";
import type { StorageConfig } from "./schema/storage.js";

export type ReplicaType = Destination["type"];

/** 0.5 S3 upload settings, written only on the releases that read them (docs/versions.md). */
export interface S3Upload {
  storageClass?: string;
  partSize?: string;
  concurrency?: number;
  signPayload?: boolean;
}

interface DestinationCommon {
  provider: StorageConfig["provider"];
  /** Prefix in the bucket, or the directory for file/sftp replicas. */
  base: string;
  /** One-line reasons for derived values, emitted as comments. */
  notes: Partial<Record<"endpoint" | "region" | "forcePathStyle", string>>;
}

export interface S3Destination extends DestinationCommon {
  type: "s3";
  bucket: string;
  endpoint?: string;
  region: string;
  forcePathStyle?: boolean;
  skipVerify?: boolean;
  upload: S3Upload;
}
export interface GcsDestination extends DestinationCommon {
  type: "gcs";
  bucket: string;
}
export interface AbsDestination extends DestinationCommon {
  type: "abs";
  bucket: string;
  accountName: string;
}
export interface SftpDestination extends DestinationCommon {
  type: "sftp";
  bucket?: undefined;
  host: string;
  user: string;
  keyPath?: string;
}
export interface FileDestination extends DestinationCommon {
  type: "file";
  bucket?: undefined;
}

/** The provider-independent shape of one replica destination, before per-database paths: one variant per replica type. */
export type Destination = S3Destination | GcsDestination | AbsDestination | SftpDestination | FileDestination;

function s3Upload(storage: StorageConfig): S3Upload {
  const upload: S3Upload = {};
  if (!("bucket" in storage) || storage.provider === "gcs" || storage.provider === "azure") return upload;
  if (storage.storageClass !== undefined) upload.storageClass = storage.storageClass;
  if (storage.partSize !== undefined) upload.partSize = storage.partSize;
  if (storage.concurrency !== undefined) upload.concurrency = storage.concurrency;
  if (storage.signPayload !== undefined) upload.signPayload = storage.signPayload;
  return upload;
}

export function resolveDestination(storage: StorageConfig, defaultPrefix: string): Destination {
  // Object stores default to a prefix named after the project; file and sftp use their directory.
  // Settings given as { env: "NAME" } become ${NAME}, which Litestream expands at start-up (docs/storage.md).
  const prefix = "bucket" in storage ? storage.prefix : undefined;
  const base = "bucket" in storage ? (prefix === undefined ? defaultPrefix : settingText(prefix)) : "";
  const bucket = "bucket" in storage ? settingText(storage.bucket) : "";
  const text = <T extends Parameters<typeof settingText>[0] | undefined>(value: T) =>
    value === undefined ? undefined : settingText(value);
  const s3 = (endpoint: string | undefined, region: string, notes: Destination["notes"] = {}): S3Destination => ({
    provider: storage.provider,
    type: "s3",
    bucket,
    base,
    ...(endpoint ? { endpoint } : {}),
    region,
    ...("skipVerify" in storage && storage.skipVerify ? { skipVerify: true } : {}),
    upload: s3Upload(storage),
    notes,
  });

  switch (storage.provider) {
    case "aws":
      // With no endpoint and no region Litestream calls GetBucketLocation, which needs its own permission.
      return s3(undefined, settingText(storage.region), { region: "explicit region: no GetBucketLocation call needed" });
    case "r2": {
      const host = storage.jurisdiction
        ? `${storage.accountId}.${storage.jurisdiction}.r2.cloudflarestorage.com`
        : `${storage.accountId}.r2.cloudflarestorage.com`;
      return s3(text(storage.endpoint) ?? `https://${host}`, "auto", {
        endpoint: "Cloudflare R2 (https only)",
        region: "R2 requires region auto",
      });
    }
    case "b2":
      // Explicit endpoint + region avoids 0.3's "no snapshot available" loop seen with B2.
      return s3(`https://s3.${storage.region}.backblazeb2.com`, storage.region, {
        endpoint: "Backblaze B2: explicit endpoint and region",
      });
    case "hetzner":
      return s3(`https://${storage.location}.your-objectstorage.com`, storage.location, {
        endpoint: "Hetzner Object Storage: explicit endpoint and region",
      });
    case "digitalocean":
      return s3(`https://${storage.region}.digitaloceanspaces.com`, storage.region, {
        endpoint: "DigitalOcean Spaces",
      });
    case "scaleway":
      return s3(`https://s3.${storage.region}.scw.cloud`, storage.region, { endpoint: "Scaleway Object Storage" });
    case "wasabi":
      return s3(`https://s3.${storage.region}.wasabisys.com`, storage.region, { endpoint: "Wasabi" });
    case "tigris":
      return s3(text(storage.endpoint) ?? "https://fly.storage.tigris.dev", "auto", { endpoint: "Tigris" });
    case "minio":
      return s3(settingText(storage.endpoint).replace(/\/$/, ""), text(storage.region) ?? "us-east-1", { endpoint: "MinIO" });
    case "s3": {
      const destination = s3(settingText(storage.endpoint).replace(/\/$/, ""), settingText(storage.region));
      // An endpoint already implies path style; only an explicit `false` needs writing.
      if (storage.forcePathStyle === false) destination.forcePathStyle = false;
      return destination;
    }
    case "gcs":
      return { provider: "gcs", type: "gcs", bucket, base, notes: {} };
    case "azure":
      return { provider: "azure", type: "abs", bucket, base, accountName: storage.accountName, notes: {} };
    case "sftp":
      return {
        provider: "sftp",
        type: "sftp",
        base: storage.path,
        host: storage.host,
        user: storage.user,
        ...(storage.keyPath ? { keyPath: storage.keyPath } : {}),
        notes: {},
      };
    case "file":
      return { provider: "file", type: "file", base: storage.path, notes: {} };
  }
}
