// The writer against every file-system situation it meets: each refusal is a report with the path,
// the reason and a fix (never a crash, never a write outside the project root), modes survive,
// shared files round-trip byte for byte.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Artifact } from "../src/artifact.js";
import { runCli } from "../src/cli.js";
import { MARKER } from "../src/header.js";
import { existingFileReader, LOCK_FILE, planWrites, WriteError, writeArtifacts, type FileReport } from "../src/writer.js";
import { cleanupTempDirs, makeTempDir } from "./harness/tmp.js";

const generated = (p: string, body = "a: 1\n", extra: Partial<Artifact> = {}): Artifact => ({
  path: p,
  content: `# ${MARKER}: test.\n${body}`,
  kind: "litestream-config",
  ownership: "generated",
  ...extra,
});
const shared = (p: string, content: string): Artifact => ({ path: p, content, kind: "kamal-deploy", ownership: "shared" });

let base: string; // base/a/project is the root, so ../../x lands in base
let root: string;
let outside: string;
beforeEach(() => {
  base = makeTempDir("ld-writer");
  root = path.join(base, "a/project");
  outside = path.join(base, "outside");
  fs.mkdirSync(root, { recursive: true });
  fs.mkdirSync(outside);
});
afterEach(async () => {
  vi.restoreAllMocks();
  await cleanupTempDirs();
});

const at = (...p: string[]) => path.join(root, ...p);
const read = (file: string) => fs.readFileSync(file, "utf8");
/** Every entry below a directory (relative paths, with type), to prove nothing else changed. */
function tree(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .map((e) => `${path.relative(dir, path.join(e.parentPath, e.name))}${e.isDirectory() ? "/" : e.isSymbolicLink() ? "@" : ""}`)
    .sort();
}

/** Writes `bad` next to a good file and checks: bad refused with reason+fix, the good one not written either. */
function expectRefused(bad: Artifact, reason: RegExp): FileReport {
  const before = tree(root);
  const outsideBefore = tree(outside);
  const reports = writeArtifacts([generated("good.yml"), bad], root);
  const report = reports[1]!;
  expect(report).toMatchObject({ path: bad.path, status: "conflict" });
  expect(report.reason).toMatch(reason);
  expect(report.fix).toBeTruthy();
  expect(reports[0]!.status).toBe("created"); // planned, but nothing is written while one file is refused
  expect(tree(root)).toEqual(before);
  expect(tree(outside)).toEqual(outsideBefore);
  return report;
}

describe("paths stay inside the project root", () => {
  it("refuses a `..` path", () => {
    expectRefused(generated("../../x.yml"), /has a `\.\.` segment, which leaves the project root/);
    expectRefused(generated("config/../../x.yml"), /`\.\.` segment/);
  });

  it("refuses an absolute path", () => {
    expectRefused(generated(path.join(outside, "x.yml")), /is an absolute path/);
  });

  it("refuses backslashes, NUL, control characters, empty and `.` segments", () => {
    expect(expectRefused(generated("config\\x.yml"), /backslash/).fix).toBe("write it as config/x.yml");
    expectRefused(generated("config/x\0.yml"), /NUL byte/);
    expectRefused(generated("config/x\n.yml"), /a newline/);
    expect(expectRefused(generated("./config//x.yml"), /empty or `\.` segment/).fix).toBe("write it as config/x.yml");
  });

  it("refuses a symlink at the target path that points out of the root", () => {
    fs.writeFileSync(path.join(outside, "victim.yml"), `# ${MARKER}\nold\n`);
    fs.mkdirSync(at("config"));
    fs.symlinkSync(path.join(outside, "victim.yml"), at("config/litestream.yml"));
    const report = expectRefused(
      generated("config/litestream.yml"),
      /config\/litestream\.yml is a symlink to .*victim\.yml, outside the project root/,
    );
    expect(report.fix).toMatch(/replace the symlink config\/litestream\.yml with a real file/);
    expect(read(path.join(outside, "victim.yml"))).toBe(`# ${MARKER}\nold\n`);
  });

  it("refuses a symlinked parent directory that points out of the root (relative link too)", () => {
    fs.symlinkSync(path.relative(root, outside), at("config"));
    expectRefused(generated("config/litestream.yml"), /^config is a symlink to .*, outside the project root/);
    fs.unlinkSync(at("config"));
    fs.mkdirSync(at("deep"));
    fs.symlinkSync("../..", at("deep/up"));
    expectRefused(generated("deep/up/x.yml"), /^deep\/up is a symlink to .*, outside the project root/);
  });

  it("refuses a dangling symlink (writing would create a file wherever it points)", () => {
    fs.symlinkSync(path.join(outside, "nothing-yet.yml"), at("x.yml"));
    expectRefused(generated("x.yml"), /is a symlink to a path that does not exist/);
    expect(fs.existsSync(path.join(outside, "nothing-yet.yml"))).toBe(false);
  });

  it("follows a symlink that stays inside the root and keeps the link", () => {
    fs.mkdirSync(at("real"));
    fs.symlinkSync("real", at("config")); // a symlinked directory inside the root
    fs.writeFileSync(at("real/shared.yml"), "old: 1\n");
    fs.symlinkSync("../real/shared.yml", at("real/link.yml")); // a symlinked file inside the root
    const reports = writeArtifacts([generated("config/litestream.yml"), shared("real/link.yml", "new: 2\n")], root);
    expect(reports.map((r) => r.status)).toEqual(["created", "updated"]);
    expect(read(at("real/litestream.yml"))).toContain("a: 1");
    expect(fs.lstatSync(at("real/link.yml")).isSymbolicLink()).toBe(true);
    expect(read(at("real/shared.yml"))).toBe("new: 2\n");
  });

  it("refuses two paths that are one file through a symlink", () => {
    fs.writeFileSync(at("a.yml"), "x\n");
    fs.symlinkSync("a.yml", at("b.yml"));
    const reports = writeArtifacts([shared("a.yml", "one\n"), shared("b.yml", "two\n")], root);
    expect(reports[1]).toMatchObject({ status: "conflict", reason: "is the same file on disk as a.yml (through a symlink)" });
    expect(read(at("a.yml"))).toBe("x\n");
  });

  it("resolves the root itself through a symlink (e.g. a symlinked checkout)", () => {
    const link = path.join(outside, "project");
    fs.symlinkSync(root, link);
    expect(writeArtifacts([generated("config/x.yml")], link).map((r) => r.status)).toEqual(["created"]);
    expect(read(at("config/x.yml"))).toContain("a: 1");
  });
});

describe("something other than a regular file in the way", () => {
  it("a directory where a file must go", () => {
    fs.mkdirSync(at("config/litestream.yml"), { recursive: true });
    expectRefused(generated("config/litestream.yml"), /^is a directory, not a regular file$/);
  });

  it("a FIFO where a file must go (never opened: that would block)", () => {
    execFileSync("mkfifo", [at("pipe.yml")]);
    expectRefused(generated("pipe.yml"), /^is a FIFO \(named pipe\), not a regular file$/);
    expect(() => existingFileReader(root)("pipe.yml")).toThrow(/pipe\.yml: is a FIFO/);
  });

  it("a file where a directory must go", () => {
    fs.writeFileSync(at("config"), "I am a file\n");
    expectRefused(generated("config/litestream.yml"), /^config exists and is not a directory, but a file has to be written below it$/);
  });

  it("--out pointing at a file", () => {
    fs.writeFileSync(at("file"), "x");
    const reports = writeArtifacts([generated("x.yml")], at("file"));
    expect(reports[0]).toMatchObject({ status: "conflict", reason: expect.stringMatching(/is not a directory/) });
  });
});

describe("permissions", () => {
  it("a read-only directory (EACCES) is a clear error and the other files are untouched", () => {
    // Root ignores permission bits: drop to nobody (euid 65534) for the write, as a normal user would run it.
    for (const dir of [base, path.dirname(root)]) fs.chmodSync(dir, 0o755);
    fs.chownSync(root, 65534, 65534);
    fs.writeFileSync(at("a.yml"), `# ${MARKER}\nold a\n`);
    fs.chownSync(at("a.yml"), 65534, 65534);
    fs.mkdirSync(at("ro"), { mode: 0o555 });
    fs.writeFileSync(at("ro/b.yml"), `# ${MARKER}\nold b\n`);
    const before = tree(root);
    process.seteuid!(65534);
    let error: unknown;
    try {
      writeArtifacts([generated("a.yml", "new a\n"), generated("ro/b.yml", "new b\n"), generated("new/c.yml")], root);
    } catch (e) {
      error = e;
    } finally {
      process.seteuid!(0);
    }
    expect(error).toBeInstanceOf(WriteError);
    expect((error as WriteError).message).toMatch(
      /^ro\/b\.yml: permission denied \(EACCES\) writing in .*\/ro\n {2}→ make that directory writable/,
    );
    expect(read(at("a.yml"))).toBe(`# ${MARKER}\nold a\n`);
    expect(tree(root)).toEqual(before); // no temp file, no new/ directory, no lock left behind
  });

  it("keeps an existing file's mode on update; a new file gets 0666 minus the umask", () => {
    fs.writeFileSync(at("secrets"), "old\n");
    fs.chmodSync(at("secrets"), 0o640);
    writeArtifacts([shared("secrets", "new\n"), generated("fresh.yml")], root);
    expect(fs.statSync(at("secrets")).mode & 0o7777).toBe(0o640);
    expect(fs.statSync(at("fresh.yml")).mode & 0o7777).toBe(0o666 & ~process.umask());
  });

  it("sets a declared mode, and restores a lost executable bit when the content is unchanged", () => {
    const script = generated("bin/run", "echo hi\n", { mode: 0o755 });
    writeArtifacts([script], root);
    expect(fs.statSync(at("bin/run")).mode & 0o777).toBe(0o755);
    fs.chmodSync(at("bin/run"), 0o644);
    expect(planWrites([script], root, { diff: true })[0]).toMatchObject({ status: "updated", diff: "mode 644 → 755" });
    expect(writeArtifacts([script], root)[0]!.status).toBe("updated");
    expect(fs.statSync(at("bin/run")).mode & 0o777).toBe(0o755);
    expect(writeArtifacts([script], root)[0]!.status).toBe("unchanged");
  });

  it("keeps the owner of a file it replaces", () => {
    fs.writeFileSync(at("owned.yml"), `# ${MARKER}\nold\n`);
    fs.chownSync(at("owned.yml"), 1234, 5678);
    writeArtifacts([generated("owned.yml", "new\n")], root);
    expect(fs.statSync(at("owned.yml"))).toMatchObject({ uid: 1234, gid: 5678 });
  });
});

describe("existing files: bytes exactly", () => {
  it("never overwrites a generated-kind file without our header", () => {
    fs.writeFileSync(at("litestream.yml"), "# mine\n");
    const report = expectRefused(generated("litestream.yml"), /^exists and was not generated by litestream-deploy$/);
    expect(report.fix).toMatch(/move it away/);
  });

  it("hands a BOM and CRLF through as text; writing it back changes no byte", () => {
    const bytes = Buffer.from("\uFEFFservice: app\r\n# café — ünïcode\r\n", "utf8");
    fs.writeFileSync(at("deploy.yml"), bytes);
    const text = existingFileReader(root)("deploy.yml")!;
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toBe("\uFEFFservice: app\r\n# café — ünïcode\r\n");
    expect(writeArtifacts([shared("deploy.yml", text)], root)[0]!.status).toBe("unchanged");
    expect(fs.readFileSync(at("deploy.yml")).equals(bytes)).toBe(true);
  });

  it("refuses to edit a shared file that is not valid UTF-8 (it would come back with U+FFFD)", () => {
    const latin1 = Buffer.from("service: app\n# caf\xe9\n", "latin1");
    fs.writeFileSync(at("deploy.yml"), latin1);
    expect(() => existingFileReader(root)("deploy.yml")).toThrow(
      /^deploy\.yml: is not valid UTF-8 \(byte 0xe9 at offset 18, line 2\); editing it in place would change bytes[^\n]*\n {2}→ re-encode it as UTF-8 \(e\.g\. iconv/,
    );
    // A caller with its own reader still cannot make the writer replace it.
    expect(writeArtifacts([shared("deploy.yml", "service: app\n")], root)[0]).toMatchObject({
      status: "conflict",
      reason: expect.stringMatching(/not valid UTF-8/),
    });
    expect(fs.readFileSync(at("deploy.yml")).equals(latin1)).toBe(true);
  });

  it("the reader refuses paths outside the root too (a target asking for ../../x gets an error, not a file)", () => {
    fs.writeFileSync(path.join(outside, "x"), "secret\n");
    const reader = existingFileReader(root);
    expect(() => reader(path.relative(root, path.join(outside, "x")))).toThrow(WriteError);
    fs.symlinkSync(outside, at("out"));
    expect(() => reader("out/x")).toThrow(/out is a symlink to .*, outside the project root/);
    expect(reader("absent.yml")).toBeUndefined();
  });

  it("writes nothing when nothing changed (mtime kept), and leaves no lock behind", () => {
    writeArtifacts([generated("a.yml")], root);
    const mtime = fs.statSync(at("a.yml")).mtimeMs;
    expect(writeArtifacts([generated("a.yml")], root)[0]!.status).toBe("unchanged");
    expect(fs.statSync(at("a.yml")).mtimeMs).toBe(mtime);
    expect(fs.existsSync(at(LOCK_FILE))).toBe(false);
  });
});

describe("all or nothing", () => {
  it("a rename failing half-way puts back the files already renamed and removes the new ones", () => {
    fs.writeFileSync(at("a.yml"), `# ${MARKER}\nold a\n`);
    fs.writeFileSync(at("b.yml"), `# ${MARKER}\nold b\n`);
    const before = tree(root);
    const rename = fs.renameSync;
    let calls = 0;
    vi.spyOn(fs, "renameSync").mockImplementation((from, to) => {
      if (++calls === 3) throw Object.assign(new Error("EIO: i/o error, rename"), { code: "EIO" });
      rename(from, to);
    });
    expect(() => writeArtifacts([generated("new/c.yml"), generated("a.yml", "new a\n"), generated("b.yml", "new b\n")], root)).toThrow(
      /^b\.yml: EIO writing in/,
    );
    vi.restoreAllMocks();
    expect(read(at("a.yml"))).toBe(`# ${MARKER}\nold a\n`);
    expect(read(at("b.yml"))).toBe(`# ${MARKER}\nold b\n`);
    expect(tree(root)).toEqual(before);
  });

  it("a file edited by someone else between planning and renaming is not clobbered", () => {
    fs.writeFileSync(at("a.yml"), `# ${MARKER}\nold\n`);
    const fsync = fs.fsyncSync;
    vi.spyOn(fs, "fsyncSync").mockImplementationOnce((fd) => {
      fs.writeFileSync(at("a.yml"), `# ${MARKER}\nedited by hand meanwhile\n`);
      fsync(fd);
    });
    expect(() => writeArtifacts([generated("a.yml", "new\n")], root)).toThrow(/^a\.yml: changed on disk while this run was writing/);
    expect(read(at("a.yml"))).toBe(`# ${MARKER}\nedited by hand meanwhile\n`);
    expect(tree(root)).toEqual(["a.yml"]);
  });
});

describe("the CLI", () => {
  const description = (configFile: string) => ({
    name: "app",
    litestream: { version: "0.3" },
    storage: { provider: "file", path: "/var/backups/litestream" },
    databases: [{ name: "main", path: "/data/app.db", role: "primary" }],
    environments: { production: { configFile } },
  });
  async function cli(configFile: string, ...args: string[]) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(["generate", ...args], { out: (t) => out.push(t), err: (t) => err.push(t), cwd: root });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it('configFile: "../../x" and an absolute path are refused with exit 1; nothing is written anywhere', async () => {
    for (const configFile of ["../../x", path.join(outside, "x.yml")]) {
      fs.writeFileSync(at("litestream.config.json"), JSON.stringify(description(configFile)));
      const before = tree(base);
      const run = await cli(configFile);
      expect(run.code).toBe(1);
      expect(run.out).toMatch(
        /^refused {4}(\.\.\/\.\.\/x|\/.*x\.yml) — (has a `\.\.` segment, which leaves|is an absolute path)[^\n]*\n {11}→ use a relative path inside the project root/,
      );
      expect(tree(base)).toEqual(before);
    }
  });

  it("a directory in the way exits 1 with the path, the reason and the fix", async () => {
    fs.mkdirSync(at("config/litestream.yml"), { recursive: true });
    fs.writeFileSync(at("litestream.config.json"), JSON.stringify(description("config/litestream.yml")));
    const run = await cli("config/litestream.yml");
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/^refused {4}config\/litestream\.yml — is a directory, not a regular file\n {11}→ move it away/);
  });

  it("a shared config/deploy.yml that is not UTF-8 stops the run with exit 1 before anything is written", async () => {
    const kamal = {
      name: "myapp",
      litestream: { version: "0.3" },
      storage: {
        provider: "hetzner",
        location: "fsn1",
        bucket: "myapp-backups",
        credentials: { accessKeyId: { env: "K" }, secretAccessKey: { env: "S" } },
      },
      databases: [{ path: "/rails/storage/production.sqlite3" }],
      targets: { kamal: { version: "2.10.1", volume: "myapp_storage:/rails/storage", host: "203.0.113.10", appUser: "1000:1000" } },
    };
    fs.writeFileSync(at("litestream.config.json"), JSON.stringify(kamal));
    fs.mkdirSync(at("config"));
    const latin1 = Buffer.from("service: myapp\n# Fran\xe7ois\n", "latin1");
    fs.writeFileSync(at("config/deploy.yml"), latin1);
    const before = tree(base);
    const run = await cli("unused");
    expect(run.code).toBe(1);
    expect(run.err).toMatch(
      /^litestream-deploy: config\/deploy\.yml: is not valid UTF-8 \(byte 0xe7 at offset 21, line 2\)[^\n]*\n {2}→ re-encode it as UTF-8[^\n]*\nNothing was written: every file is as it was\.$/m,
    );
    expect(tree(base)).toEqual(before);
    expect(fs.readFileSync(at("config/deploy.yml")).equals(latin1)).toBe(true);
  });
});
