// No generated file ever contains a secret value. Sentinels go where a leak could come from:
// - the description: a literal secret in place of every secret reference is refused, and the
//   refusal does not repeat it;
// - the user's existing files (config/deploy.yml, .kamal/secrets, compose.yaml): a secret outside
//   our block is never copied into a file we own;
// - the environment: process.env holds a sentinel under every variable name the plan uses.
// test/no-secrets-detector.test.ts proves these checks fail on a target that leaks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate, ProjectError, type ProjectInput } from "../src/index.js";
import type { Plan } from "../src/plan.js";
import { exampleNames, loadExample } from "./support/examples.js";
import {
  existingWithSentinels,
  leaksIn,
  poisonEnvironment,
  secretReferences,
  SENTINEL,
  sentinelFor,
  withValueAt,
} from "./support/secret-sentinels.js";

const examples = new Map<string, ProjectInput>();
const sentinels = new Map<string, string | undefined>();
let restoreEnvironment = () => {};

beforeAll(async () => {
  for (const name of exampleNames()) examples.set(name, await loadExample(name));
  const plans: Plan[] = [...examples.values()].map((example) => generate(example).plan);
  restoreEnvironment = poisonEnvironment(plans, sentinels);
});
afterAll(() => restoreEnvironment());

function composeOf(example: ProjectInput): { appService: string; volume: string } | undefined {
  return (example as { targets?: { compose?: { appService: string; volume: string } } }).targets?.compose;
}

/** The Kamal host of each environment, by the deploy file that describes its servers. */
function kamalHostsOf(example: ProjectInput): Record<string, string> {
  type Kamal = { host?: string; destination?: string | false };
  const top = (example as { targets?: { kamal?: Kamal } }).targets?.kamal;
  const environments = (example as { environments?: Record<string, { targets?: { kamal?: Kamal } }> }).environments ?? {};
  const hosts: Record<string, string> = {};
  for (const [name, env] of Object.entries(environments)) {
    const kamal = { ...top, ...env.targets?.kamal };
    if (!kamal.host) continue;
    const destination = kamal.destination ?? (name === "production" ? false : name);
    hosts[destination === false ? "config/deploy.yml" : `config/deploy.${destination}.yml`] = kamal.host;
  }
  return hosts;
}

describe("secret values", () => {
  it.each(exampleNames())("from the environment or the user's files appear in no file we own for %s", (name) => {
    const example = examples.get(name)!;
    const { files } = generate(example, { existing: existingWithSentinels(sentinels, composeOf(example), kamalHostsOf(example)) });
    expect(files.length).toBeGreaterThan(1);
    expect(leaksIn(files, sentinels)).toEqual([]);
    for (const file of files) if (file.ownership === "generated") expect(file.content, file.path).not.toContain(SENTINEL);
  });

  it("were placed in the environment and in the user's files", () => {
    const fromFiles = [...sentinels.values()].filter(Boolean);
    expect(new Set(fromFiles)).toEqual(
      new Set(["config/deploy.yml", "config/deploy.staging.yml", ".kamal/secrets", ".kamal/secrets.staging", "compose.yaml"]),
    );
    expect([...sentinels.values()].filter((origin) => origin === undefined).length).toBeGreaterThan(3);
  });

  it.each(exampleNames())("written literally in the description of %s are refused where written, and not repeated", (name) => {
    const example = examples.get(name)!;
    const references = secretReferences(example);
    expect(references.length, "the example references secrets").toBeGreaterThan(0);
    for (const path of references) {
      const secret = sentinelFor(path.join("."));
      let refusal: unknown;
      try {
        generate(withValueAt(example, path, secret));
      } catch (error) {
        refusal = error;
      }
      expect(refusal, path.join(".")).toBeInstanceOf(ProjectError);
      const issues = (refusal as ProjectError).issues;
      expect(issues.filter((i) => i.code === "secret.literal").map((i) => i.path)).toContainEqual(path);
      expect((refusal as ProjectError).message).not.toContain(SENTINEL);
      expect(JSON.stringify(issues)).not.toContain(SENTINEL);
    }
  });
});
