/**
 * Timing layers (preset → … → replica) resolved into Go durations with their sources, and the
 * checks that compare them.
 */
import { formatGoDuration, parseDuration } from "../duration.js";
import type { IssueList, IssuePath } from "../errors.js";
import { LITESTREAM_DEFAULTS_MS } from "../presets.js";
import type { ReplicationInput } from "../schema/common.js";
import type { ProjectConfig } from "../schema/project.js";
import { REPLICATION_KEYS, type EnvironmentPlan, type LitestreamLine, type ReplicationKey, type Setting, type Warning } from "./model.js";

export interface Layer {
  source: string;
  reason?: string | undefined;
  values: ReplicationInput | undefined;
  path: IssuePath;
  /** Presets: the path names the preset itself, not one key under it. */
  preset?: boolean;
}

export type Settings = Partial<Record<ReplicationKey, Setting>>;

/**
 * `layers` over `base`, the most specific last. Settings are shared, never changed: databases
 * and replicas that add nothing hold the same objects.
 */
export function layerSettings(layers: Layer[], warnings: Warning[], base?: Settings): Settings {
  let settings: Settings | undefined;
  for (const layer of layers) {
    if (layer.values === undefined) continue;
    for (const key of REPLICATION_KEYS) {
      const value = layer.values?.[key];
      if (value === undefined) continue;
      const setting = toSetting(value, layer.source, warnings, layer.preset ? layer.path : [...layer.path, key], layer.reason);
      if (!setting) continue;
      settings ??= { ...base };
      settings[key] = setting;
    }
  }
  return settings ?? base ?? {};
}

/** A duration value read once: the same few values ("1s", "24h" …) repeat for every database. */
interface ParsedSetting {
  ms: number;
  go: string;
  converted: boolean;
}

// Keyed on the primitive value, and the entries are frozen: nothing one description does can change another's answer.
const PARSED = new Map<string | number, Readonly<ParsedSetting> | null>();
const PARSED_LIMIT = 10_000;

function parsedSetting(value: string | number): Readonly<ParsedSetting> | null {
  let parsed = PARSED.get(value);
  if (parsed !== undefined) return parsed;
  const result = parseDuration(value);
  parsed = result.ok ? Object.freeze({ ms: result.ms, go: formatGoDuration(result.ms), converted: !!result.converted }) : null;
  if (PARSED.size >= PARSED_LIMIT) PARSED.clear();
  PARSED.set(value, parsed);
  return parsed;
}

/** The paths already warned about in a warnings list (a set, not a search of the list: 10,000 databases may each say "30d"). */
const convertedWarnings = new WeakMap<Warning[], Set<string>>();

export function toSetting(
  value: string | number,
  source: string,
  warnings: Warning[],
  where: IssuePath,
  reason?: string,
): Setting | undefined {
  const parsed = parsedSetting(value);
  if (!parsed) return undefined; // the schema already reported it
  const go = parsed.go;
  const setting: Setting = { ms: parsed.ms, go, source, path: where };
  if (parsed.converted) {
    setting.converted = String(value);
    const key = where.join(".");
    let warned = convertedWarnings.get(warnings);
    if (!warned) convertedWarnings.set(warnings, (warned = new Set()));
    if (!warned.has(key)) {
      warned.add(key);
      warnings.push({ path: where, message: `"${value}" converted to "${go}": Go durations have no day or week unit` });
    }
  }
  if (reason) setting.reason = reason;
  return setting;
}

export function checkTimings(
  settings: Partial<Record<ReplicationKey, Setting>>,
  version: LitestreamLine,
  what: string,
  issues: IssueList,
): void {
  const retention = settings.retention?.ms ?? LITESTREAM_DEFAULTS_MS[version].retention;
  const snapshot = settings.snapshotInterval;
  if (snapshot && snapshot.ms > retention) {
    issues.add(
      snapshot.path,
      `${what}: snapshot interval ${snapshot.go} (${snapshot.source}) is longer than retention ${formatGoDuration(retention)}${settings.retention ? ` (${settings.retention.source})` : " (Litestream default)"}; restores would find no snapshot`,
      `make retention at least as long as the snapshot interval, e.g. retention: "${snapshot.go}"`,
      "timing.snapshot-exceeds-retention",
    );
  }
}

/**
 * 0.5 keeps snapshot interval and retention global (docs/durations.md): use the shortest
 * interval and the longest retention any database asked for, and say so when they differ.
 */
export function globalTimings05(
  plan: EnvironmentPlan,
  project: ProjectConfig,
  warnings: Warning[],
  at: (...rest: Array<string | number>) => IssuePath,
): Partial<EnvironmentPlan> {
  const replicas = plan.databases.flatMap((db) => db.replicas.map((r) => ({ db, r })));
  const pick = (key: ReplicationKey, better: (a: number, b: number) => boolean): Setting | undefined => {
    let chosen: Setting | undefined;
    const distinct = new Set<string>();
    for (const { r } of replicas) {
      const s = r.settings[key];
      if (!s) continue;
      distinct.add(s.go);
      if (!chosen || better(s.ms, chosen.ms)) chosen = s;
    }
    if (chosen && distinct.size > 1) {
      warnings.push({
        path: at("databases"),
        message: `Litestream 0.5 has one global ${key === "retention" ? "snapshot retention" : key === "snapshotInterval" ? "snapshot interval" : "validation interval"}; the databases ask for ${[...distinct].join(", ")}, so ${chosen.go} applies to all of them`,
      });
      return { ...chosen, source: `${chosen.source}; global in 0.5` };
    }
    return chosen;
  };
  const out: Partial<EnvironmentPlan> = {};
  const interval = pick("snapshotInterval", (a, b) => a < b);
  const retention = pick("retention", (a, b) => a > b);
  if (interval || retention) out.snapshot = { ...(interval ? { interval } : {}), ...(retention ? { retention } : {}) };
  const validation = pick("validationInterval", (a, b) => a < b);
  if (validation) out.validation = { interval: validation };
  if (project.compaction) {
    const levels = project.compaction.levels
      ?.map((l, i) => toSetting(l, "compaction", warnings, ["compaction", "levels", i]))
      .filter((s): s is Setting => !!s);
    const l0 = project.compaction.l0Retention
      ? toSetting(project.compaction.l0Retention, "compaction", warnings, ["compaction", "l0Retention"])
      : undefined;
    const enabled = project.compaction.retentionEnabled;
    out.compaction = {
      ...(levels ? { levels } : {}),
      ...(l0 ? { l0Retention: l0 } : {}),
      ...(enabled !== undefined ? { retentionEnabled: enabled } : {}),
    };
  }
  return out;
}
