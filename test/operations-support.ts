// Shared by the operations tests: a generated project on real storage (file or s3rver behind a
// TCP proxy), its files written to a temp directory, and /metrics scrapes of the real binary.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { generate, type ProjectInput } from "../src/index.js";
import type { Artifact } from "../src/artifact.js";
import { S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, startS3, type S3Server } from "./harness/s3.js";
import { startTcpProxy, type TcpProxy } from "./harness/proxy.js";
import { makeTempDir } from "./harness/tmp.js";

export type Line = "0.3" | "0.5";
export const RELEASE = { "0.3": "0.3.13", "0.5": "0.5.17" } as const;
export const S3_ENV = { LITESTREAM_ACCESS_KEY_ID: S3_ACCESS_KEY_ID, LITESTREAM_SECRET_ACCESS_KEY: S3_SECRET_ACCESS_KEY };

export interface Storage {
  storage: ProjectInput["storage"];
  env: Record<string, string>;
  s3?: S3Server;
  proxy?: TcpProxy;
}

export async function fileStorage(dir: string): Promise<Storage> {
  return { storage: { provider: "file", path: join(dir, "backups") }, env: {} };
}

export async function s3Storage(): Promise<Storage> {
  const s3 = await startS3({ buckets: ["backups"] });
  const proxy = await startTcpProxy(s3.port);
  return {
    storage: {
      provider: "minio",
      endpoint: proxy.endpoint,
      bucket: "backups",
      credentials: { accessKeyId: { env: "S3_KEY" }, secretAccessKey: { env: "S3_SECRET" } },
    },
    env: S3_ENV,
    s3,
    proxy,
  };
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Generates `project` and writes every generated file under `dir` (relative paths as given). */
/** Generates into `dir`; `existing` are the user's files the shared artifacts are merged into. */
export function writeProject(dir: string, project: ProjectInput, existing: Record<string, string> = {}): Artifact[] {
  const { files } = generate(project, { existing: (path) => existing[path] });
  for (const file of files) {
    const target = join(dir, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    if (file.mode) chmodSync(target, file.mode);
  }
  return files;
}

export function fileOf(files: Artifact[], kind: Artifact["kind"]): Artifact {
  const file = files.find((f) => f.kind === kind);
  if (!file) throw new Error(`no ${kind} among ${files.map((f) => f.path).join(", ")}`);
  return file;
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format (the lines Litestream serves). */
export function parseScrape(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[3] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    samples.push({ name: m[1]!, labels, value: Number(m[4]) });
  }
  return samples;
}

export async function scrape(port: number): Promise<Sample[]> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  return parseScrape(await response.text());
}

/** Scrapes until `ready` holds (Litestream serves /metrics shortly after start-up). */
export async function scrapeUntil(port: number, ready: (samples: Sample[]) => boolean, what: string, tries = 120): Promise<Sample[]> {
  let last: Sample[] = [];
  for (let i = 0; i < tries; i++) {
    try {
      last = await scrape(port);
      if (ready(last)) return last;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`gave up waiting for ${what}; last scrape: ${last.map((s) => `${s.name} ${s.value}`).join(", ")}`);
}

export const valueOf = (samples: Sample[], name: string, labels: Record<string, string> = {}): number =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);

/** Every `litestream_*` metric name a rule expression uses. */
export function metricNames(expr: string): string[] {
  return [...new Set(expr.match(/\blitestream_[a-z0-9_]+/g) ?? [])];
}

export const tempProject = (prefix: string) => makeTempDir(prefix);

/** The non-comment lines of every ```sh block under a runbook's `## <title>` section. */
export function commandsOf(runbook: string, title: string): string[] {
  const section = runbook.split(/^## /m).find((s) => s.startsWith(`${title}\n`));
  if (!section) throw new Error(`no section ${title}`);
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split("\n")).filter((l) => l.trim() && !l.startsWith("#"));
}
