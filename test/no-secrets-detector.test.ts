// The secrets test can fail: a target that leaks (it copies process.env values and the user's
// existing files into a file it owns) is caught by the same search test/no-secrets.test.ts runs.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Artifact, TargetContext } from "../src/artifact.js";
import { envBindings } from "../src/env-mapping.js";

vi.mock("../src/targets/registry.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../src/targets/registry.js")>();
  const { z } = await import("zod");
  const leaky = {
    key: "leaky",
    schema: z.strictObject({}),
    overrides: z.strictObject({}),
    resolve: (ctx: TargetContext) => (ctx.env.targets as Record<string, object | undefined>).leaky,
    render: (ctx: TargetContext): Artifact[] => {
      const fromEnvironment = envBindings(ctx.env).map((b) => `${b.name}=${process.env[b.name] ?? ""}`);
      const fromFiles = [".kamal/secrets", "compose.yaml"].map((path) => ctx.existing(path) ?? "");
      return [
        {
          path: "LEAK.txt",
          content: [...fromEnvironment, ...fromFiles, ""].join("\n"),
          kind: "runbook",
          ownership: "generated",
          environment: ctx.env.name,
        },
      ];
    },
  };
  return { ...original, TARGETS: { ...original.TARGETS, leaky } };
});

const { generate } = await import("../src/generate.js");
const { existingWithSentinels, leaksIn, poisonEnvironment } = await import("./support/secret-sentinels.js");

const description = {
  name: "app",
  litestream: { version: "0.3" },
  storage: {
    provider: "aws",
    bucket: "app-backups",
    region: "eu-central-1",
    credentials: { accessKeyId: { env: "KEY_ID" }, secretAccessKey: { env: "SECRET" } },
  },
  databases: [{ name: "main", path: "/data/app.db" }],
  targets: { leaky: {}, compose: { appService: "app", volume: "data:/data" } },
};
const sentinels = new Map<string, string | undefined>();
let restore = () => {};
beforeAll(() => {
  restore = poisonEnvironment([generate(description).plan], sentinels);
});
afterAll(() => restore());

describe("the secret search", () => {
  it("catches values copied from the environment and from the user's files", () => {
    const { files } = generate(description, { existing: existingWithSentinels(sentinels, description.targets.compose) });
    const leaks = leaksIn(files, sentinels);
    const origins = leaks.filter((l) => l.file === "LEAK.txt").map((l) => sentinels.get(l.sentinel) ?? "process.env");
    expect(new Set(origins)).toEqual(new Set(["process.env", ".kamal/secrets", "compose.yaml"]));
    expect(leaks.filter((l) => l.file === "LEAK.txt").length).toBeGreaterThanOrEqual(4); // two variables, two files
  });

  it("lets a shared file keep the user's own text, and nothing else", () => {
    const { files } = generate(
      { ...description, targets: { compose: { appService: "app", volume: "data:/data", output: "in-place" as const } } },
      {
        existing: existingWithSentinels(sentinels, description.targets.compose),
      },
    );
    expect(files.find((f) => f.path === "compose.yaml")?.content).toContain("SENTINEL");
    expect(leaksIn(files, sentinels)).toEqual([]);
  });
});
