/**
 * Places the Litestream services in a compose file: either a generated override file
 * (compose.litestream.yaml, for `-f`) or an in-place structural edit of the user's compose file
 * that keeps their comments, anchors and services and is idempotent.
 */
import { Document, isMap, isScalar, isSeq, parseDocument, Scalar, YAMLMap, type Pair } from "yaml";
import { headerLines } from "../../header.js";
import { isOurService } from "./existing.js";
import { CONFIG_NAME, commentText, map, type ComposeServices, type VolumeSpec } from "./sidecar.js";

const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;
const DEPENDS_ON_RESTORE = "service_completed_successfully";

export interface OverrideFileInput {
  what: string;
  /** Comment lines under the generated-file header (usage, required variables). */
  notes: string[];
  appService: string;
  services: ComposeServices;
  volume: VolumeSpec;
}

/** The fully generated compose.litestream.yaml. */
export function renderOverrideFile(input: OverrideFileInput): string {
  const { services } = input;
  const serviceEntries: Array<[string, YAMLMap, string?]> = [];
  if (services.restoreServices.length) {
    serviceEntries.push([
      input.appService,
      map([["depends_on", appDependsOn(services.restoreServices)]]),
      `Your "${input.appService}" service, extended (-f merges this into it): it starts only after the restore.`,
    ]);
  }
  for (const service of services.services) serviceEntries.push([service.name, service.node, service.comment]);
  const top = topLevel(serviceEntries, input.volume, services, true);
  spaceOut(top);
  spaceOut(top.get("services") as YAMLMap);
  const doc = new Document(top, { version: "1.1" });
  doc.commentBefore = commentText([...headerLines(input.what), "", ...input.notes].join("\n"));
  return doc.toString(TO_STRING);
}

function topLevel(serviceEntries: Array<[string, YAMLMap, string?]>, volume: VolumeSpec, services: ComposeServices, override: boolean): YAMLMap {
  const top: Array<[string, YAMLMap | undefined, string?]> = [["services", map(serviceEntries)]];
  if (volume.named) {
    top.push([
      "volumes",
      map([[volume.source, new YAMLMap()]]),
      override ? "Your app's volume, declared here too so this file stands on its own (-f merges both)." : undefined,
    ]);
  }
  if (services.configs.length) top.push(["configs", map(services.configs.map((c): [string, YAMLMap, string] => [c.name, c.node, c.comment]))]);
  return map(top);
}

/** A blank line between the entries of a map, for a reader scanning services. */
function spaceOut(node: YAMLMap): void {
  node.items.forEach((pair, i) => {
    if (i > 0 && isScalar(pair.key)) pair.key.spaceBefore = true;
  });
}

function appDependsOn(restoreServices: string[]): YAMLMap {
  return map(restoreServices.map((name): [string, YAMLMap] => [name, map([["condition", DEPENDS_ON_RESTORE]])]));
}

export interface InPlaceInput {
  /** The user's compose file as it is now. */
  text: string;
  appService: string;
  services: ComposeServices;
  volume: VolumeSpec;
  /** Comment put above the Litestream services when they are first added. */
  marker: string;
}

export type InPlaceResult = { ok: true; content: string } | { ok: false; problem: string; fix: string };

/**
 * Adds or updates the Litestream services, the app's depends_on, the named volume declaration and
 * the config, through the yaml Document API: everything else in the file is left as it was.
 */
export function updateComposeFile(input: InPlaceInput): InPlaceResult {
  // Failsafe schema: every scalar of the user's file stays the exact text they wrote (0644, 1_000, on).
  const doc = parseDocument(input.text, { schema: "failsafe" });
  const services = doc.get("services", true);
  if (!isMap(services)) return { ok: false, problem: "its top-level `services` is not a mapping", fix: "fix the compose file" };
  const app = services.get(input.appService, true);
  if (!isMap(app)) {
    return {
      ok: false,
      problem: `service "${input.appService}" is not written as a plain mapping (an alias or merge of another node), so depends_on cannot be added to it alone`,
      fix: `write the "${input.appService}" service out as a mapping, or use output "override"`,
    };
  }
  const ours = generatedNodes(input);

  // Our services are replaced as a whole (their comments too) and kept together, restore first,
  // where the first of them was; new ones go to the end.
  const firstOurs = services.items.findIndex((pair) => isOurService(scalarText(pair.key) ?? ""));
  services.items = services.items.filter((pair) => !isOurService(scalarText(pair.key) ?? ""));
  const at = firstOurs < 0 ? services.items.length : firstOurs;
  ours.services.forEach((pair, i) => {
    const key = pair.key as Scalar;
    if (at + i > 0) key.spaceBefore = true;
    if (i === 0) key.commentBefore = commentText(input.marker) + (key.commentBefore ? `\n\n${key.commentBefore}` : "");
  });
  services.items.splice(at, 0, ...ours.services);
  updateAppDependsOn(doc, app, input.services.restoreServices);
  if (input.volume.named) declareVolume(doc, input.volume.source);
  updateConfigs(doc, ours.configs);
  const content = doc.toString(TO_STRING);
  // The yaml library writes LF; keep the user's CRLF file CRLF.
  return { ok: true, content: input.text.includes("\r\n") ? content.replace(/\n/g, "\r\n") : content };
}

/**
 * Our services and configs as nodes of a failsafe document: rendered once with YAML 1.1 rules (so
 * "no" and friends are quoted) and read back, their quoting kept as node styles.
 */
function generatedNodes(input: InPlaceInput): { services: Pair[]; configs: Pair[] } {
  const serviceEntries = input.services.services.map((s): [string, YAMLMap, string] => [s.name, s.node, s.comment]);
  const text = new Document(topLevel(serviceEntries, input.volume, input.services, false), { version: "1.1" }).toString(TO_STRING);
  const reread = parseDocument(text, { schema: "failsafe" });
  const pairsOf = (key: string): Pair[] => {
    const node = reread.get(key, true);
    if (!isMap(node)) return [];
    // The parser hangs a comment above the first entry on the map itself; it belongs to the entry.
    const first = node.items[0]?.key;
    if (node.commentBefore && isScalar(first)) first.commentBefore = node.commentBefore;
    return node.items as Pair[];
  };
  return { services: pairsOf("services"), configs: pairsOf("configs") };
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) ? String(node.value) : undefined;
}

function updateAppDependsOn(doc: Document, app: YAMLMap, restoreServices: string[]): void {
  let dependsOn: unknown = app.get("depends_on", true);
  if (isSeq(dependsOn)) {
    // Short syntax means condition service_started; the long form is needed to add a condition.
    const long = new YAMLMap();
    for (const item of dependsOn.items) {
      const name = scalarText(item);
      if (name !== undefined) long.set(doc.createNode(name), doc.createNode({ condition: "service_started" }));
    }
    long.commentBefore = dependsOn.commentBefore;
    app.set("depends_on", long);
    dependsOn = long;
  }
  if (!isMap(dependsOn)) {
    if (!restoreServices.length) return;
    dependsOn = new YAMLMap();
    app.set("depends_on", dependsOn);
  }
  const map = dependsOn as YAMLMap;
  for (const pair of [...map.items]) {
    const name = scalarText(pair.key);
    if (name !== undefined && isOurService(name) && !restoreServices.includes(name)) map.delete(pair.key);
  }
  for (const name of restoreServices) {
    const current = map.items.find((pair) => scalarText(pair.key) === name);
    const value = doc.createNode({ condition: DEPENDS_ON_RESTORE });
    if (current) current.value = value;
    else map.set(doc.createNode(name), value);
  }
  if (!map.items.length) app.delete("depends_on");
}

function declareVolume(doc: Document, name: string): void {
  let volumes: unknown = doc.get("volumes", true);
  if (!isMap(volumes)) {
    volumes = new YAMLMap();
    doc.set("volumes", volumes);
  }
  const declared = volumes as YAMLMap;
  if (!declared.items.some((pair) => scalarText(pair.key) === name)) declared.set(doc.createNode(name), new YAMLMap());
}

function updateConfigs(doc: Document, configs: Pair[]): void {
  let top: unknown = doc.get("configs", true);
  if (!configs.length) {
    if (!isMap(top)) return;
    for (const pair of [...top.items]) if (scalarText(pair.key) === CONFIG_NAME) top.delete(pair.key);
    if (!top.items.length) doc.delete("configs");
    return;
  }
  if (!isMap(top)) {
    top = new YAMLMap();
    doc.set("configs", top);
  }
  const target = top as YAMLMap;
  for (const pair of configs) {
    const current = target.items.find((item) => scalarText(item.key) === scalarText(pair.key));
    if (current) current.value = pair.value;
    else target.items.push(pair);
  }
}
