// No generated file ever contains a secret value: put sentinel values in the environment under every
// name any example references, generate everything, and search every file for them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../src/index.js";
import { envBindings } from "../src/env-mapping.js";
import { exampleNames, loadExample } from "./support/examples.js";

const sentinels = new Map<string, string>();
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  for (const name of exampleNames()) {
    const { plan } = generate(await loadExample(name));
    for (const env of plan.environments) {
      for (const b of envBindings(env)) for (const v of [b.name, b.secretName]) sentinels.set(v, `SENTINEL-${v}-9f3c1e`);
    }
  }
  for (const [name, value] of sentinels) {
    saved[name] = process.env[name];
    process.env[name] = value;
  }
});
afterAll(() => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe("secret values", () => {
  it.each(exampleNames())("appear in no file generated for %s", async (name) => {
    expect(sentinels.size).toBeGreaterThan(3);
    const { files } = generate(await loadExample(name));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      for (const value of sentinels.values()) expect(file.content.includes(value), `${file.path} contains ${value}`).toBe(false);
      expect(file.content, file.path).not.toContain("SENTINEL-");
    }
  });
});
