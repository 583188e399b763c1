// A real S3 HTTP server (s3rver 3.7.1) on loopback, for Litestream `type: s3` replicas.
// Credentials: access key S3RVER, secret S3RVER (s3rver's built-in dummy account).
import { createRequire } from "node:module";
import { readdir, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { join, relative, sep } from "node:path";
import { makeTempDir } from "./tmp.js";

const require = createRequire(import.meta.url);

export const S3_ACCESS_KEY_ID = "S3RVER";
export const S3_SECRET_ACCESS_KEY = "S3RVER";
/** Suffix s3rver gives the file holding an object's bytes: "<key>._S3rver_object". */
const OBJECT_SUFFIX = "._S3rver_object";

interface S3ObjectLike {
  key: string;
}
interface ListResult {
  objects: S3ObjectLike[];
  commonPrefixes: string[];
  isTruncated: boolean;
}
interface ListOptions {
  delimiter?: string;
  prefix?: string;
  startAfter?: string;
  maxKeys?: number;
  [k: string]: unknown;
}
type ListObjectsFn = (this: unknown, bucket: string, options: ListOptions) => Promise<ListResult>;
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverCtor = new (opts: Record<string, unknown>) => S3rverInstance;

const PATCHED = Symbol.for("litestream-deploy.s3rver-listObjects-patched");

/**
 * See /work/shared/reference/kamal-compose-facts.md, "Test doubles that are real servers":
 * s3rver's FilesystemStore.listObjects prunes directories below a common prefix, so a delimited
 * listing of keys nested >1 level down returns no CommonPrefixes and `litestream restore` finds
 * "no matching backups". Fix at runtime (node_modules untouched): list without a delimiter (no
 * pruning; prefix/startAfter still applied by the original) and group the keys ourselves.
 */
function patchS3rverListing(): void {
  const store = require("s3rver/lib/stores/filesystem") as { prototype: Record<PropertyKey, unknown> };
  const proto = store.prototype;
  if (proto[PATCHED]) return;
  const original = proto.listObjects as ListObjectsFn;
  proto.listObjects = async function (this: unknown, bucket: string, options: ListOptions = {}) {
    const { delimiter = "", prefix = "", maxKeys = Infinity } = options;
    if (!delimiter) return original.call(this, bucket, options);
    const all = await original.call(this, bucket, { ...options, delimiter: "", maxKeys: Infinity });
    const sorted = [...all.objects].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const objects: S3ObjectLike[] = [];
    const commonPrefixes = new Set<string>();
    let isTruncated = false;
    for (const obj of sorted) {
      const idx = obj.key.indexOf(delimiter, prefix.length);
      if (idx !== -1) {
        commonPrefixes.add(obj.key.slice(0, idx + delimiter.length));
        continue;
      }
      // like the original store, maxKeys counts objects only
      if (objects.length >= maxKeys) {
        isTruncated = true;
        break;
      }
      objects.push(obj);
    }
    return { objects, commonPrefixes: [...commonPrefixes].sort(), isTruncated };
  } satisfies ListObjectsFn;
  proto[PATCHED] = true;
}

const ATOMIC_PUT = Symbol.for("litestream-deploy.s3rver-atomic-put");

interface PutObjectArg {
  bucket: string;
  key: string;
  size: number;
  /** The request body (an IncomingMessage), or a Buffer. */
  content: { complete?: boolean; once?(event: "close", listener: () => void): void };
}
type PutObjectFn = (
  this: { getResourcePath(bucket: string, key: string, resource: string): string },
  object: PutObjectArg,
) => Promise<{ size: number }>;

/**
 * S3 stores an object only when its whole body arrived. s3rver's FilesystemStore.putObject creates
 * the file first and streams into it, so a PUT cut off by a killed client (the SIGKILL tests in
 * test/shutdown.test.ts) left an empty object, and the next `litestream restore` failed on it
 * ("invalid ltx file … has size 0 bytes"). Fix at runtime: an upload that fails or comes short of
 * its Content-Length leaves nothing behind.
 */
function patchS3rverAtomicPut(): void {
  const store = require("s3rver/lib/stores/filesystem") as { prototype: Record<PropertyKey, unknown> };
  const proto = store.prototype;
  if (proto[ATOMIC_PUT]) return;
  const original = proto.putObject as PutObjectFn;
  proto.putObject = async function (this: ThisParameterType<PutObjectFn>, object: PutObjectArg) {
    const remove = () =>
      Promise.all(["object", "metadata.json"].map((r) => rm(this.getResourcePath(object.bucket, object.key, r), { force: true })));
    // A request cut off mid-body neither ends nor fails the store's stream: the file it started stays.
    object.content.once?.("close", () => {
      if (object.content.complete === false) void remove();
    });
    let written: { size: number };
    try {
      written = await original.call(this, object);
    } catch (error) {
      await remove();
      throw error;
    }
    if (Number.isFinite(object.size) && written.size !== object.size) {
      await remove();
      throw new Error(`incomplete upload of ${object.key}: ${written.size} of ${object.size} bytes`);
    }
    return written;
  } satisfies PutObjectFn;
  proto[ATOMIC_PUT] = true;
}

export interface S3Server {
  /** e.g. "http://127.0.0.1:41234" — use as a Litestream replica `endpoint:`. */
  endpoint: string;
  port: number;
  /** s3rver's storage directory: <dir>/<bucket>/<key>._S3rver_object */
  dir: string;
  /** Stops the HTTP server (idempotent). The directory is removed by cleanupTempDirs(). */
  close(): Promise<void>;
  /**
   * Object keys in `bucket` starting with `prefix`, sorted. Implemented by WALKING THE STORE
   * DIRECTORY (not over HTTP), so it does not depend on s3rver's listing code or the patch above.
   */
  listKeys(bucket: string, prefix?: string): Promise<string[]>;
  /**
   * Anonymous ListObjectsV2 over HTTP (s3rver accepts unsigned requests), i.e. through the
   * patched listing. Returns keys and CommonPrefixes of the first page.
   */
  listHttp(bucket: string, opts?: { prefix?: string; delimiter?: string }): Promise<{ keys: string[]; commonPrefixes: string[] }>;
}

const servers = new Set<S3Server>();

/** Starts s3rver on 127.0.0.1 with an ephemeral port and a fresh temp directory. */
export async function startS3(opts: { buckets?: string[] } = {}): Promise<S3Server> {
  patchS3rverListing();
  patchS3rverAtomicPut();
  const S3rver = require("s3rver") as S3rverCtor;
  const dir = makeTempDir("s3rver");
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    directory: dir,
    silent: true,
    configureBuckets: (opts.buckets ?? []).map((name) => ({ name })),
  });
  const addr = await server.run();
  const port = addr.port;
  const endpoint = `http://127.0.0.1:${port}`;
  let closed: Promise<void> | undefined;

  const handle: S3Server = {
    endpoint,
    port,
    dir,
    close() {
      closed ??= server.close().finally(() => servers.delete(handle));
      return closed;
    },
    async listKeys(bucket, prefix = "") {
      const root = join(dir, bucket);
      const keys: string[] = [];
      const walk = async (d: string): Promise<void> => {
        for (const ent of await readdir(d, { withFileTypes: true })) {
          const p = join(d, ent.name);
          if (ent.isDirectory()) await walk(p);
          else if (ent.name.endsWith(OBJECT_SUFFIX)) {
            keys.push(relative(root, p).split(sep).join("/").slice(0, -OBJECT_SUFFIX.length));
          }
        }
      };
      await walk(root);
      return keys.filter((k) => k.startsWith(prefix)).sort();
    },
    async listHttp(bucket, o = {}) {
      const q = new URLSearchParams({ "list-type": "2" });
      if (o.prefix) q.set("prefix", o.prefix);
      if (o.delimiter) q.set("delimiter", o.delimiter);
      const res = await fetch(`${endpoint}/${encodeURIComponent(bucket)}?${q}`);
      const xml = await res.text();
      if (!res.ok) throw new Error(`ListObjectsV2 ${res.status}: ${xml}`);
      const unescape = (s: string) =>
        s
          .replace(/&lt;/g, "<")
          .replace(/&gt;/g, ">")
          .replace(/&quot;/g, '"')
          .replace(/&#x27;|&#39;/g, "'")
          .replace(/&amp;/g, "&");
      const keys = [...xml.matchAll(/<Contents>[\s\S]*?<Key>([\s\S]*?)<\/Key>/g)].map((m) => unescape(m[1]!));
      const commonPrefixes = [...xml.matchAll(/<CommonPrefixes>\s*<Prefix>([\s\S]*?)<\/Prefix>/g)].map((m) => unescape(m[1]!));
      return { keys, commonPrefixes };
    },
  };
  servers.add(handle);
  return handle;
}

/** Closes every s3rver started by startS3() that is still open. */
export async function closeAllS3(): Promise<void> {
  await Promise.all([...servers].map((s) => s.close().catch(() => undefined)));
}
