/**
 * RUNBOOK.md for one environment: every command spelled for its release and target
 * (docs/operations.md, "Runbook").
 */
import path from "node:path/posix";
import { headerLines } from "../header.js";
import { configPathText, type DatabasePlan, type EnvironmentPlan, type Plan } from "../plan.js";
import { shellWord } from "../render/quote/sh.js";
import type { AlertMeaning } from "./alerts.js";
import { describeDuration } from "../duration.js";
import { builtinIntegrity, composeDrillCommand, DRILL_INSTALL_DIR, sentinelSql, type DrillFiles } from "./drill.js";
import type { Runner } from "./runner.js";
import type { OperationsSettings } from "./settings.js";

/** What the operator replaces in a point-in-time command (the tests replace it too). */
export const TIMESTAMP_PLACEHOLDER = "2006-01-02T15:04:05Z";
export const TXID_PLACEHOLDER = "0000000000000001";

export interface RunbookInput {
  plan: Plan;
  env: EnvironmentPlan;
  settings: OperationsSettings;
  runner: Runner;
  meanings: AlertMeaning[];
  drill?: DrillFiles;
}

const block = (lines: string[]) => ["```sh", ...lines, "```"];
/** What a database's commands are built from. */
type DatabaseWords = Pick<DatabasePlan, "name" | "path">;
/** One database's part of a section: its name, then a sh block (one string: the runbook repeats it per database). */
const databaseBlock = (db: DatabaseWords, lines: string) => `${db.name}:\n\n\`\`\`sh\n${lines}\n\`\`\`\n`;
/** The restored copy sits next to the live database: same volume, so the swap is a rename. */
export const restoredPath = (db: DatabaseWords) => `${configPathText(db.path)}.restored`;

/** The Litestream arguments of each runbook command (also what the tests run against the real binary). */
export function litestreamCommands(plan: Plan, runner: Runner, db: DatabaseWords) {
  const file = configPathText(db.path);
  const config = ["-config", runner.config];
  const check = builtinIntegrity(plan) ? ["-integrity-check", "full"] : [];
  const v05 = plan.litestream.version === "0.5";
  return {
    databases: ["databases", ...config],
    list: v05
      ? [["ltx", ...config, "-level", "all", file]]
      : [
          ["generations", ...config, file],
          ["snapshots", ...config, file],
        ],
    restoreLatest: ["restore", ...config, ...check, "-o", restoredPath(db), file],
    restoreAt: ["restore", ...config, ...check, "-timestamp", TIMESTAMP_PLACEHOLDER, "-o", restoredPath(db), file],
    restoreTxid: v05 ? ["restore", ...config, ...check, "-txid", TXID_PLACEHOLDER, "-o", restoredPath(db), file] : undefined,
  };
}

export function renderRunbook(input: RunbookInput): string {
  const { plan, env, settings, runner, meanings, drill } = input;
  const v05 = plan.litestream.version === "0.5";
  const ls = runner.litestream;
  const builtin = builtinIntegrity(plan);
  // Every database's part of each section below, as one text per section.
  const texts = perDatabaseTexts(plan, runner, env.databases);
  const out: string[] = [
    `<!-- ${headerLines(`runbook, environment ${env.name}`).join(" ")} -->`,
    "",
    `# Runbook: ${plan.name}, environment ${env.name}`,
    "",
  ];
  out.push(
    `Litestream ${plan.litestream.release} (image ${plan.litestream.image}), commands spelled for the ${runner.target} target. Config: \`${runner.config}\` (generated from \`${env.configFile}\`).`,
    "",
    "| database | path | replica |",
    "|---|---|---|",
    texts.table,
    "",
  );
  if (runner.note) out.push(runner.note, "");
  if (env.restoreFrom)
    out.push(
      `On first boot, a database with no backup of its own yet (${env.restoreFrom.databases.map((db) => db.name).join(", ")}) is seeded from environment ${env.restoreFrom.environment}'s backup, read-only (\`${env.restoreFrom.configFile}\`, docs/lifecycle.md).`,
      "",
    );

  out.push("## Status", "", ...block([...runner.status, ls(litestreamCommands(plan, runner, env.databases[0]!).databases)]), "");
  if (v05)
    out.push(
      "`litestream status` (0.5.6+) shows each database's local transaction id and WAL size:",
      "",
      ...block([ls(["status", "-config", runner.config])]),
      "",
    );

  out.push("## List backups", "");
  out.push(texts.list);
  out.push(
    v05
      ? "Each line is an LTX file: `max_txid` is the newest transaction it holds, `created` its time (UTC)."
      : "`generations` shows each generation's time window (`start`, `end`, UTC); a point-in-time restore must fall inside one.",
    "",
  );

  out.push(
    "## Restore latest",
    "",
    `Restores to a new file next to the database (\`<db>.restored\`), never over the live one; a leftover \`.restored\` file must be removed first. ${builtinIntegrity(plan) ? "`-integrity-check full` checks the copy before the restore succeeds." : "Then check the copy (below)."}`,
    "",
  );
  out.push(texts.restoreLatest);
  if (!builtin)
    out.push(
      `\`PRAGMA integrity_check\` must print \`ok\`. ${plan.litestream.version === "0.3" && runner.target !== "systemd" && runner.target !== "host" ? (runner.target === "entrypoint" ? "The app's image needs sqlite3 for this check; without it, copy the file out and check it with a local sqlite3." : "The 0.3 image (alpine) has no sqlite3: copy the file out and check it with a local sqlite3.") : ""}`.trimEnd(),
      "",
    );

  out.push(
    "## Point-in-time restore",
    "",
    `Replace \`${TIMESTAMP_PLACEHOLDER}\` with the moment to go back to (RFC 3339, UTC)${v05 ? ", or restore up to a transaction id from `ltx` (replace `" + TXID_PLACEHOLDER + "`)" : ""}. ${v05 ? "A time after the newest backup restores the latest; one before the first backup fails." : "The time must fall inside a generation's window (List backups)."}`,
    "",
  );
  out.push(texts.restoreAt);

  out.push(
    "## Restore a single database into service",
    "",
    runner.offline
      ? "In this order: restore to a new file → check it (the container still runs: Litestream is inside it) → stop the app → swap → start. The old files are kept beside the database (`.before-restore`) until you delete them."
      : "In this order: stop the app → restore to a new file → check it → swap → start. The old files are kept beside the database (`.before-restore`) until you delete them.",
    "",
  );
  out.push(texts.intoService);
  out.push(
    "The restored file belongs to the user that ran the restore: if the app runs as another user, give it the file before starting the app.",
    "",
  );

  out.push("## Rehearse (restore drill)", "");
  if (drill) out.push(...rehearse(input, drill));
  else out.push("Set `verification` in the description to generate the restore drill. By hand: Restore latest, then check the copy.", "");

  // Settings read at run time (bucket, endpoint …) are not credentials: they are not rotated.
  const credentials = env.env.filter((v) => v.setting === undefined);
  out.push(
    "## Rotate credentials",
    "",
    "1. Create the new key at the storage provider (keep the old one).",
    `2. Put it where this environment reads it: ${credentials.length ? credentials.map((v) => `\`${v.name}\` from ${v.source.kind === "env" ? `\`${v.source.name}\`` : `\`${v.source.ref}\``}`).join(", ") : "no credentials are configured"}.`,
    "3. Restart Litestream so it reads them, and watch the log for the first sync:",
    "",
    ...block([runner.restart]),
    "",
    "4. Run the drill (or List backups) with the new key, then revoke the old key.",
    "",
  );

  if (meanings.length) {
    out.push("## Alerts", "", `Rules: \`${settings.dir}/litestream-alerts.yml\` (job \`${settings.job}\`).`, "");
    for (const m of meanings) out.push(`## Alert: ${m.alert}`, "", m.means, "", ...m.todo.map((t) => `- ${t}`), "");
  }
  return `${withoutTrailingNewlines(out.join("\n"))}\n`;
}

/** `text.replace(/\n+$/, "")` without a regular-expression scan of the whole (large) text. */
function withoutTrailingNewlines(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
  return text.slice(0, end);
}

/** How to run the drill where this environment's credentials are, and how it is scheduled. */
function rehearse(input: RunbookInput, drill: DrillFiles): string[] {
  const { env, settings } = input;
  const sentinel = settings.verification?.sentinel;
  const script = drill.scriptPath;
  const out: string[] = [
    `\`${script}\` restores every database to a temporary file, checks its integrity and freshness, prints pass / fail / inconclusive with a reason (exit 0 / 1 / 2), and never touches the live databases.`,
    "",
    sentinel
      ? `Freshness: the newest \`${sentinel.table}.${sentinel.column}\` in the restored copy of ${sentinel.databases.join(", ")} must be at most ${describeDuration(sentinel.maxAgeSeconds * 1000)} old${sentinel.databases.length < env.databases.length ? "; the other databases: the newest backup's time" : ""}. The app writes it (never the drill): \`${settings.dir}/litestream-sentinel.sql\`, or this statement from the app's own connection:`
      : `Freshness: the newest backup's time must be at most ${describeDuration((settings.verification?.maxAgeSeconds ?? 0) * 1000)} old (no sentinel configured; docs/operations.md, "Sentinel").`,
    "",
    ...(sentinel ? [...sqlBlock([sentinelSql(sentinel)]), ""] : []),
  ];
  if (drill.schedulers.includes("systemd")) {
    out.push(
      "systemd (on the host):",
      "",
      ...block([
        `sudo install -D -m 0755 ${script} ${DRILL_INSTALL_DIR}/${path.basename(script)}`,
        `sudo install -m 0644 ${drill.servicePath} ${drill.timerPath} /etc/systemd/system/`,
        "sudo systemctl daemon-reload",
        `sudo systemctl enable --now ${drill.unitBase}.timer`,
        `sudo systemctl start ${drill.unitBase}.service && journalctl -u ${drill.unitBase}.service -n 20`,
      ]),
      "",
    );
  }
  if (drill.schedulers.includes("compose"))
    out.push(
      "Docker Compose (the `drill` profile; from the project root; schedule it with cron on the Docker host):",
      "",
      ...block([composeDrillCommand(drill.composePath)]),
      "",
    );
  if (drill.kamal) {
    out.push(
      drill.kamal.copy
        ? `Kamal: the \`litestream-drill\` accessory in \`${drill.kamal.path}\` (copy it into the deploy file beside \`litestream\`: updateDeployFile is off) runs the drill at boot and then on its period, with the same secrets as \`litestream\`:`
        : `Kamal: the \`litestream-drill\` accessory, which generate writes beside \`litestream\` in \`${drill.kamal.path}\` (its heartbeat URL in the secrets block), runs the drill at boot and then on its period, with the same secrets as \`litestream\`:`,
      "",
      ...block([drill.kamal.boot, drill.kamal.logs, drill.kamal.runNow]),
      "",
    );
  }
  if (drill.schedulers.includes("entrypoint")) {
    out.push(
      "The entrypoint container has Litestream, the config and the credentials: pipe the script into it (from the project root; for a schedule, a cron line on the Docker host with absolute paths):",
      "",
      ...block([`docker exec -i "$APP_CONTAINER" sh -s < ${shellWord(script)}`]),
      "",
    );
  }
  out.push(
    drill.ci
      ? `CI: \`${drill.ci}\` is a GitHub Actions workflow (copy it to \`.github/workflows/\`) that runs the drill on the same schedule in the pinned image, with the credentials as repository secrets.`
      : `CI: no workflow is generated: ${drill.ciSkipped ?? "no CI job"}.`,
    "",
  );
  return out;
}

const sqlBlock = (lines: string[]) => ["```sql", ...lines, "```"];

/** One database's part of each section that repeats per database. */
interface DatabaseSections {
  list: string;
  /** The restore, then its check when the restore does not check the copy itself. */
  restoreLatest: string;
  restoreAt: string;
  intoService: string;
}
const SECTIONS = ["list", "restoreLatest", "restoreAt", "intoService"] as const;

/**
 * The table rows and each repeated section, every database's part in order, one line apart (as the
 * runbook's lines join them). The sections are spelled once for a stand-in database, then filled
 * with each database's name and path: for a path that quoting keeps as it is (no runner rewrites a
 * word), that is the database's own spelling, without quoting it all again. Each text is built as an array
 * of pieces, each database's part ending in a newline, joined once (not one string per database).
 */
function perDatabaseTexts(plan: Plan, runner: Runner, databases: DatabasePlan[]): DatabaseSections & { table: string } {
  const steps = serviceSteps(plan, runner);
  const spell = (db: DatabaseWords) => spellSections(plan, runner, steps, db);
  const templates = sectionTemplates(spell);
  const table: string[] = [];
  const pieces: Record<keyof DatabaseSections, string[]> = { list: [], restoreLatest: [], restoreAt: [], intoService: [] };
  for (const db of databases) {
    tableRow(table, db);
    const words = templates && slotWords(db);
    if (templates && words) for (const key of SECTIONS) fillInto(pieces[key], templates[key], words);
    else {
      const own = spell(db);
      for (const key of SECTIONS) pieces[key].push(own[key], "\n");
    }
  }
  return {
    table: withoutLastNewline(table),
    list: withoutLastNewline(pieces.list),
    restoreLatest: withoutLastNewline(pieces.restoreLatest),
    restoreAt: withoutLastNewline(pieces.restoreAt),
    intoService: withoutLastNewline(pieces.intoService),
  };
}

const withoutLastNewline = (pieces: string[]) => pieces.join("").slice(0, -1);

function tableRow(to: string[], db: DatabasePlan): void {
  to.push("| ", db.name, " | `", configPathText(db.path), "` | ");
  if (db.replicas.length === 1) to.push("`", db.replicas[0]!.location, "` |\n");
  else to.push(db.replicas.map((r) => `\`${r.location}\``).join(", "), " |\n");
}

function spellSections(plan: Plan, runner: Runner, steps: ReturnType<typeof serviceSteps>, db: DatabaseWords): DatabaseSections {
  const lines = commandLines(plan, runner, db);
  const latest = databaseBlock(db, lines.restoreLatest);
  return {
    list: databaseBlock(db, lines.list),
    restoreLatest: builtinIntegrity(plan) ? latest : `${latest}\n\`\`\`sh\n${lines.check}\n\`\`\`\n`,
    restoreAt: databaseBlock(db, lines.restoreAt),
    intoService: databaseBlock(db, restoreIntoService(runner, steps, lines, swapScript(db))),
  };
}

/** The words a section is filled with (the path, and its directory and file name: the swap runs in the directory). */
interface SlotWords {
  name: string;
  file: string;
  dir: string;
  base: string;
}
const STAND_IN: DatabaseWords = { name: "%%name%%", path: { kind: "literal", value: "%%dir%%/%%base%%" } };
/** A section as split by its slots, newline-terminated: text, slot, text, …, text. */
type Template = string[];
const SLOT = /%%(name|dir%%\/%%base|dir|base)%%/;

/** The stand-in's sections as templates; undefined when a runner's own text holds a slot (filling would change it). */
function sectionTemplates(spell: (db: DatabaseWords) => DatabaseSections): Record<keyof DatabaseSections, Template> | undefined {
  const stand = spell(STAND_IN);
  const templates = {
    list: templateOf(stand.list),
    restoreLatest: templateOf(stand.restoreLatest),
    restoreAt: templateOf(stand.restoreAt),
    intoService: templateOf(stand.intoService),
  };
  const probe = spell({ name: "n", path: { kind: "literal", value: "/d/b" } });
  const words = { name: "n", file: "/d/b", dir: "/d", base: "b" };
  return SECTIONS.every((key) => withoutLastNewline(fillInto([], templates[key], words)) === probe[key]) ? templates : undefined;
}

function templateOf(section: string): Template {
  const parts = `${section}\n`.split(SLOT);
  // The stand-in path is its dir, a slash and its base: where they stand together, one slot.
  for (let i = 1; i < parts.length; i += 2) if (parts[i] === "dir%%/%%base") parts[i] = "file";
  return parts;
}

/**
 * The database's slot words, when the templates spell its path exactly: `dir/base` with a non-empty
 * `dir` and `base` (so they are path.dirname and path.basename), a word shell quoting keeps as is.
 */
function slotWords(db: DatabasePlan): SlotWords | undefined {
  if (db.path.kind !== "literal") return undefined;
  const file = db.path.value;
  const slash = file.lastIndexOf("/");
  if (slash < 1 || slash === file.length - 1 || shellWord(file) !== file) return undefined;
  return { name: db.name, file, dir: file.slice(0, slash), base: file.slice(slash + 1) };
}

/** Appends the template's pieces, each slot replaced by the database's word. */
function fillInto(to: string[], template: Template, words: SlotWords): string[] {
  to.push(template[0]!);
  for (let i = 1; i < template.length; i += 2) to.push(words[template[i] as keyof SlotWords], template[i + 1]!);
  return to;
}

/** One database's command lines as the runbook shows them (newline-separated where a block holds several). */
interface CommandLines {
  list: string;
  restoreLatest: string;
  /** The point-in-time restores: by time, and (0.5) by transaction id. */
  restoreAt: string;
  /** The integrity check of the restored copy (when the restore does not check it itself). */
  check: string;
}

function commandLines(plan: Plan, runner: Runner, db: DatabaseWords): CommandLines {
  const commands = litestreamCommands(plan, runner, db);
  const ls = runner.litestream;
  return {
    list: commands.list.map(ls).join("\n"),
    restoreLatest: ls(commands.restoreLatest),
    restoreAt: commands.restoreTxid ? `${ls(commands.restoreAt)}\n${ls(commands.restoreTxid)}` : ls(commands.restoreAt),
    check: builtinIntegrity(plan) ? "" : runner.shell(`sqlite3 ${shellWord(restoredPath(db))} 'PRAGMA integrity_check;'`),
  };
}

/** Moves the live files aside and the restored copy in (run in the database's directory). */
function swapScript(db: DatabaseWords): string {
  const file = configPathText(db.path);
  const live = shellWord(path.basename(file));
  const restored = shellWord(`${path.basename(file)}.restored`);
  const before = shellWord(`${path.basename(file)}.before-restore`);
  return [
    `set -e; cd ${shellWord(path.dirname(file))}`,
    `test -s ${restored}`,
    `mv ${live} ${before}`,
    `for s in -wal -shm; do if [ -e ${live}"$s" ]; then mv ${live}"$s" ${before}"$s"; fi; done`,
    `mv ${restored} ${live}`,
  ].join("; ");
}

type Step = "stop" | "restore" | "check" | "swap" | "start";

/** The numbered steps of putting a restored database into service, in the order the target allows; the same for every database. */
function serviceSteps(plan: Plan, runner: Runner): Array<{ step: Step; heading: string; fixed: string[] }> {
  const inside = runner.target === "entrypoint";
  const builtin = builtinIntegrity(plan);
  const steps: Record<Step, { title: string; fixed: string[] }> = {
    stop: {
      title: inside
        ? "stop the app (Litestream stops inside it, after its final sync)"
        : runner.stop.length > 1
          ? "stop the app, then Litestream"
          : "stop the app (Litestream keeps running)",
      fixed: runner.stop,
    },
    restore: { title: "restore the latest backup (or use a point-in-time command above)", fixed: [] },
    check: {
      title: builtin ? "check: -integrity-check full refused a corrupt copy in the restore step" : "check: must print ok",
      fixed: [],
    },
    swap: { title: "swap (the live files are kept as .before-restore)", fixed: [] },
    start: {
      title: inside
        ? "start the app (Litestream starts inside it; the database exists, so nothing is restored)"
        : "start Litestream, then the app",
      fixed: runner.start,
    },
  };
  const order: Step[] = runner.offline ? ["restore", "check", "stop", "swap", "start"] : ["stop", "restore", "check", "swap", "start"];
  return order.map((step, i) => ({ step, heading: `# ${i + 1}. ${steps[step].title}`, fixed: steps[step].fixed }));
}

/** One database's restore into service: each step's heading, then its commands. */
function restoreIntoService(runner: Runner, steps: ReturnType<typeof serviceSteps>, lines: CommandLines, swap: string): string {
  const parts: string[] = [];
  for (const { step, heading, fixed } of steps) {
    parts.push(heading);
    if (step === "restore") parts.push(lines.restoreLatest);
    else if (step === "check") {
      if (lines.check) parts.push(lines.check);
    } else if (step === "swap") parts.push(runner.offline ? runner.offline(swap) : runner.shell(swap));
    else parts.push(...fixed);
  }
  return parts.join("\n");
}
