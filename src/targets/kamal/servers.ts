/**
 * Where the app runs for one environment: the `servers` of config/deploy.yml, with a destination's
 * config/deploy.<destination>.yml merged over it (Kamal deep-merges hashes, a list replaces a list).
 * The accessory's named volume is local to its host, so it must boot on hosts that run the app.
 */
import { parseDocument } from "yaml";
import type { HostSelector } from "./settings.js";

type Yaml = unknown;
const isHash = (v: Yaml): v is Record<string, Yaml> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Kamal's deep_merge: hashes merge key by key, anything else is replaced. */
function deepMerge(base: Yaml, over: Yaml): Yaml {
  if (!isHash(base) || !isHash(over)) return over === undefined ? base : over;
  const out: Record<string, Yaml> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
}

export function deployServers(text: string | undefined): Yaml {
  if (text === undefined) return undefined;
  const doc = parseDocument(text, { version: "1.1" });
  if (doc.errors.length) return undefined;
  const root = doc.toJS({ maxAliasCount: -1 }) as Yaml;
  return isHash(root) ? root.servers : undefined;
}

export interface AppHost {
  host: string;
  role: string;
  tags: string[];
}

/** Every (host, role) the app is deployed to; `servers: [a, b]` is the web role. */
export function appHosts(base: Yaml, destination: Yaml): AppHost[] {
  const servers = deepMerge(base, destination);
  const roles: Record<string, Yaml> = Array.isArray(servers) ? { web: servers } : isHash(servers) ? servers : {};
  return Object.entries(roles).flatMap(([role, value]) => {
    const hosts = Array.isArray(value) ? value : isHash(value) && Array.isArray(value.hosts) ? value.hosts : [];
    return hosts.flatMap((entry): AppHost[] => {
      if (typeof entry === "string") return [{ host: entry, role, tags: [] }];
      if (!isHash(entry)) return [];
      return Object.entries(entry).map(([host, tags]) => ({ host, role, tags: Array.isArray(tags) ? tags.map(String) : [String(tags)] }));
    });
  });
}

/** The hosts a selector picks among the app's hosts (host/hosts are taken literally). */
export function selectedHosts([selector, value]: [HostSelector, string | string[]], hosts: AppHost[]): string[] {
  const wanted = Array.isArray(value) ? value : [value];
  if (selector === "host" || selector === "hosts") return wanted;
  const picks = hosts.filter((h) =>
    selector === "role" || selector === "roles" ? wanted.includes(h.role) : h.tags.some((t) => wanted.includes(t)),
  );
  return [...new Set(picks.map((h) => h.host))];
}

/** `servers:` lines for a destination file, for a fix message. */
export function serversSnippet(hosts: string[]): string {
  return ["servers:", "  web:", ...hosts.map((h) => `    - ${h}`)].join("\n");
}
