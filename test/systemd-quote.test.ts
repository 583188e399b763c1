// src/render/quote/systemd.ts and the generated units, read back by systemd itself (`systemd --test`
// dumps every parsed setting, test/harness/systemd.ts) and by a faithful splitter of its rules.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate, type ProjectInput } from "../src/index.js";
import { systemdCommandLine, systemdExecWord, systemdListPath, systemdPathValue } from "../src/render/quote/systemd.js";
import { litestreamBinary } from "./harness/litestream.js";
import { dumpSetting, parseCommandLines, systemdDump } from "./harness/systemd.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

afterAll(cleanupTempDirs);

const HOSTILE_WORDS = [
  "a b",
  "x;y",
  ";",
  "it's",
  "'",
  '"',
  'say "hi"',
  "100%",
  "%n",
  "$HOME",
  "${HOME}",
  "$$",
  "back\\slash",
  "\\",
  "\\n",
  "",
  "-rf",
  "é ü",
  "a:b",
  "#hash",
  "`cmd`",
  "$(touch CANARY)",
];

/** Words as systemd passes them to the program: the dump shows them before its $$ → $ expansion. */
function atRunTime(words: string[]): string[] {
  return words.map((w) => {
    expect(w.replace(/\$\$/g, "")).not.toContain("$"); // a lone $ would be expanded
    return w.replace(/\$\$/g, "$");
  });
}

async function dumpOf(unitText: string, name = "probe.service") {
  const dir = makeTempDir("systemd-dump");
  writeFileSync(join(dir, name), unitText);
  return { dir, dump: await systemdDump(dir, name) };
}

describe("systemd command lines", () => {
  it("every hostile word arrives as one intact argument (systemd itself, and the splitter)", async () => {
    const line = systemdCommandLine(["/bin/echo", ...HOSTILE_WORDS]);
    expect(parseCommandLines(line)).toEqual([["/bin/echo", ...HOSTILE_WORDS]]);
    const { dump } = await dumpOf(`[Service]\nExecStart=${line}\n`);
    expect(dump.warnings).toEqual([]);
    expect(dump.commands.ExecStart!.map(atRunTime)).toEqual([["/bin/echo", ...HOSTILE_WORDS]]);
  });

  it("the same words pasted bare are mangled: the check can fail", async () => {
    const split = await dumpOf("[Service]\nType=oneshot\nExecStart=/bin/echo a b ; /bin/touch CANARY\n");
    expect(split.dump.commands.ExecStart).toEqual([
      ["/bin/echo", "a", "b"],
      ["/bin/touch", "CANARY"],
    ]);
    const dropped = await dumpOf("[Service]\nExecStart=/bin/echo it's\n");
    expect(dropped.dump.warnings.join("\n")).toMatch(/Unbalanced quoting|Invalid/);
    expect(dropped.dump.commands.ExecStart).toBeUndefined();
    expect(() => parseCommandLines("/bin/echo it's")).toThrow(/Unbalanced quoting/);
    expect(() => parseCommandLines("/bin/echo 100%n")).toThrow(/expanded/);
  });

  it("a first word that looks like a prefix (-, @, +, !) is quoted, so that systemd reads no prefix", () => {
    for (const first of ["-x", "@x", "+x", "!x", ":x"]) {
      const line = systemdCommandLine([first, "y"]);
      expect(line.startsWith('"'), line).toBe(true);
      expect(parseCommandLines(line)).toEqual([[first, "y"]]);
    }
    expect(() => parseCommandLines("-/bin/false")).toThrow(/prefix/);
  });

  it("plain words stay bare", () => {
    expect(systemdCommandLine(["/usr/bin/litestream", "replicate", "-config", "/etc/litestream/litestream.yml"])).toBe(
      "/usr/bin/litestream replicate -config /etc/litestream/litestream.yml",
    );
    expect(systemdExecWord("a b")).toBe('"a b"');
    expect(systemdExecWord("5%")).toBe('"5%%"');
    expect(systemdExecWord("$X")).toBe('"$$X"');
  });
});

describe("systemd path values", () => {
  const paths = ["/srv/a b", "/srv/it's", '/srv/q"r', "/srv/100%", "/srv/$x", "/srv/back\\slash", "/srv/a:b", "/srv/é;ü"];

  for (const p of paths) {
    it(`ReadWritePaths= and BindPaths= hold ${JSON.stringify(p)} exactly`, async () => {
      const { dump } = await dumpOf(
        `[Service]\nExecStart=/bin/true\nReadWritePaths=${systemdListPath(p)}\nBindPaths=${systemdListPath(p)}\n`,
      );
      expect(dump.warnings).toEqual([]);
      expect(dumpSetting(dump, "ReadWritePaths")).toEqual([p]);
      expect(dumpSetting(dump, "BindPaths")).toEqual([`${p}:${p}:rbind`]);
    });
  }

  it("several paths in one list stay apart", async () => {
    const { dump } = await dumpOf(`[Service]\nExecStart=/bin/true\nBindPaths=${paths.map(systemdListPath).join(" ")}\n`);
    expect(dumpSetting(dump, "BindPaths")).toEqual(paths.map((p) => `${p}:${p}:rbind`));
  });

  it("WorkingDirectory= and EnvironmentFile= take the whole value, only % escaped", async () => {
    const p = '/srv/a b/it\'s "q" 100%';
    const { dump } = await dumpOf(
      `[Service]\nExecStart=/bin/true\nWorkingDirectory=${systemdPathValue(p)}\nEnvironmentFile=${systemdPathValue(p)}\n`,
    );
    expect(dump.warnings).toEqual([]);
    expect(dumpSetting(dump, "WorkingDirectory")).toEqual([p]);
    expect(dumpSetting(dump, "EnvironmentFile")).toEqual([p]);
  });
});

describe("generated units with hostile paths", () => {
  const dir = "/srv/sh op;x'y\"z%w\\v";
  const db = `${dir}/main db;'%.db`;
  const hostile = (over: Record<string, unknown> = {}): ProjectInput =>
    ({
      name: "shop",
      litestream: { version: "0.3" },
      storage: { provider: "file", path: "/var/backups/a b'c" },
      databases: [{ name: "main", path: db }],
      targets: {
        systemd: {
          binary: litestreamBinary,
          appUnits: ["web.service", "app@blue.service"],
          beforeApp: [["/bin/echo", "it's", "100%", "$HOME", "a;b", 'q"'], ["/bin/true"]],
          ...over,
        },
      },
    }) as ProjectInput;

  it("systemd reads every ExecStartPre=/ExecStart= word and every path exactly as intended", async () => {
    const files = new Map(generate(hostile()).files.map((f) => [f.path, f.content]));
    const out = makeTempDir("systemd-hostile");
    for (const name of ["litestream.service", "litestream-before-app.service"])
      writeFileSync(join(out, name), files.get(`deploy/systemd/${name}`)!);

    const unit = await systemdDump(out, "litestream.service");
    expect(unit.warnings).toEqual([]);
    expect(unit.commands.ExecStartPre!.map(atRunTime)).toEqual([["/bin/sh", "/etc/litestream/litestream-restore.sh", db]]);
    expect(unit.commands.ExecStart!.map(atRunTime)).toEqual([[litestreamBinary, "replicate", "-config", "/etc/litestream/litestream.yml"]]);
    expect(dumpSetting(unit, "ReadWritePaths")).toEqual([`${dir} /var/backups/a b'c/main`]); // the dump joins with spaces
    const line = (key: string) =>
      files
        .get("deploy/systemd/litestream.service")!
        .split("\n")
        .filter((l) => l.startsWith(`${key}=`))
        .map((l) => l.slice(key.length + 1));
    expect(line("ExecStartPre").map(parseCommandLines)).toEqual([[["/bin/sh", "/etc/litestream/litestream-restore.sh", db]]]);

    const before = await systemdDump(out, "litestream-before-app.service");
    expect(before.warnings).toEqual([]);
    expect(before.commands.ExecStart!.map(atRunTime)).toEqual([["/bin/echo", "it's", "100%", "$HOME", "a;b", 'q"'], ["/bin/true"]]);
  });

  it("a database under /root: BindPaths= holds the hostile directory exactly", async () => {
    const project = hostile();
    (project as { databases: unknown }).databases = [{ name: "main", path: "/root/my app;'x/main.db" }];
    const files = new Map(generate(project).files.map((f) => [f.path, f.content]));
    const out = makeTempDir("systemd-hostile-home");
    writeFileSync(join(out, "litestream.service"), files.get("deploy/systemd/litestream.service")!);
    const unit = await systemdDump(out, "litestream.service");
    expect(unit.warnings).toEqual([]);
    expect(dumpSetting(unit, "BindPaths")).toEqual(["/root/my app;'x:/root/my app;'x:rbind"]);
  });

  it("refuses a newline in a database path, and in a beforeApp word", () => {
    const withNewline = hostile();
    (withNewline as { databases: unknown }).databases = [{ name: "main", path: "/srv/a\nExecStartPost=touch CANARY\nUser=root/main.db" }];
    expect(() => generate(withNewline)).toThrow(/contains a newline \(U\+000A\)/);
    expect(() => generate(hostile({ beforeApp: [["/bin/echo", "a\nUser=root"]] }))).toThrow(
      /targets\.systemd\.beforeApp\[0\]\[1\]: .*contains a newline/,
    );
  });
});
