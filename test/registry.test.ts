// Adding a target is one entry in the registry: with a dummy target added to it (and nothing else
// changed), the description's schema, its JSON Schema, generate and the CLI all know the target.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { z } from "zod";
import type { Artifact, TargetContext } from "../src/artifact.js";

vi.mock("../src/targets/registry.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../src/targets/registry.js")>();
  const { z } = await import("zod");
  const Dummy = z.strictObject({
    note: z.string(),
    nested: z.strictObject({ a: z.string().optional(), b: z.string().optional() }).optional(),
  });
  const dummy = {
    key: "dummy",
    schema: Dummy,
    overrides: Dummy.partial(),
    resolve: (ctx: TargetContext) => (ctx.env.targets as Record<string, z.output<typeof Dummy> | undefined>).dummy,
    render: (ctx: TargetContext, s: z.output<typeof Dummy>): Artifact[] => [
      {
        path: `DUMMY.${ctx.env.name}.txt`,
        content: `note ${s.note}, a ${s.nested?.a}, b ${s.nested?.b}\n`,
        kind: "runbook",
        ownership: "generated",
        environment: ctx.env.name,
      },
    ],
  };
  return { ...original, TARGETS: { ...original.TARGETS, dummy } };
});

const { generate, projectJsonSchema } = await import("../src/generate.js");
const { runCli } = await import("../src/cli.js");

const description = {
  name: "app",
  litestream: { version: "0.3" },
  storage: { provider: "file", path: "/var/backups/litestream" },
  databases: [{ name: "main", path: "/data/app.db" }],
  targets: { dummy: { note: "project", nested: { a: "project-a", b: "project-b" } } },
  environments: {
    production: {},
    staging: { storage: { provider: "file", path: "/var/backups/litestream/staging" }, targets: { dummy: { nested: { b: "staging-b" } } } },
  },
};

describe("a target added to the registry", () => {
  it("appears in the description's JSON Schema, project and environment level", () => {
    const schema = JSON.stringify(projectJsonSchema());
    expect(schema.match(/"dummy"/g)?.length).toBeGreaterThanOrEqual(2); // targets and every environment's override
    const targets = (projectJsonSchema() as { properties: { targets: { properties: Record<string, unknown> } } }).properties.targets;
    expect(Object.keys(targets.properties)).toEqual(["kamal", "compose", "entrypoint", "systemd", "dummy"]);
  });

  it("is validated by the schema like any other target", () => {
    expect(() => generate({ ...description, targets: { dummy: { note: 1 } } })).toThrow(/targets\.dummy\.note/);
    expect(() => generate({ ...description, targets: { dummy: { note: "x", extra: true } } })).toThrow(/extra/);
  });

  it("renders its files, with environment overrides merged deeply", () => {
    const files = generate(description).files.filter((f) => f.path.startsWith("DUMMY"));
    expect(files.map((f) => [f.path, f.content])).toEqual([
      ["DUMMY.production.txt", "note project, a project-a, b project-b\n"],
      ["DUMMY.staging.txt", "note project, a project-a, b staging-b\n"],
    ]);
  });

  it("is written by the CLI", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "ld-registry-"));
    try {
      writeFileSync(path.join(dir, "litestream.config.json"), JSON.stringify(description));
      const out: string[] = [];
      const code = await runCli(["generate"], { out: (t) => out.push(t), err: (t) => out.push(t), cwd: dir });
      expect(code, out.join("\n")).toBe(0);
      expect(out).toContain("created    DUMMY.staging.txt");
      expect(readFileSync(path.join(dir, "DUMMY.staging.txt"), "utf8")).toBe("note project, a project-a, b staging-b\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
