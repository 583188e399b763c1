// Dockerfile.litestream read by BuildKit's own parser (test/harness/buildkit.ts): every hostile
// configFile, image or app command is either represented exactly (BuildKit reads back the same
// value, and no instruction is added) or refused with its path, the reason and a fix that works.
import { beforeAll, describe, expect, it } from "vitest";
import { generate, ProjectError, type ProjectInput } from "../src/index.js";
import { imageReferenceProblem } from "../src/render/quote/dockerfile.js";
import { checkImageReference, dockerfileChecker, parseDockerfile } from "./harness/buildkit.js";

beforeAll(() => void dockerfileChecker(), 900_000);

function project(opts: { configFile?: string; image?: string; appCommand?: string[] } = {}): ProjectInput {
  return {
    name: "app",
    litestream: { version: "0.3", ...(opts.image !== undefined ? { image: opts.image } : {}) },
    storage: { provider: "file", path: "/backups" },
    databases: [{ name: "app", path: "/data/app.db" }],
    environments: { production: opts.configFile !== undefined ? { configFile: opts.configFile } : {} },
    targets: { entrypoint: { appCommand: opts.appCommand ?? ["/app/server"] } },
  };
}

type Outcome = { dockerfile: string; configFile: string } | { refused: Array<{ path: string; message: string; fix?: string }> };

function attempt(input: ProjectInput): Outcome {
  try {
    const files = generate(input).files;
    const dockerfile = files.find((f) => f.path === "Dockerfile.litestream")!.content;
    const configFile = files.find((f) => f.kind === "litestream-config")!.path;
    return { dockerfile, configFile };
  } catch (e) {
    if (!(e instanceof ProjectError)) throw e;
    return { refused: e.issues.map((i) => ({ path: i.path.join("."), message: i.message, fix: (i as { fix?: string }).fix })) };
  }
}

const INSTRUCTIONS = ["COPY", "COPY", "COPY", "ENTRYPOINT", "CMD"];

async function expectExact(dockerfile: string, want: { configFile: string; image: string }): Promise<void> {
  const parsed = await parseDockerfile(dockerfile);
  expect(parsed.map((i) => i.cmd.toUpperCase())).toEqual(INSTRUCTIONS);
  expect(parsed.filter((i) => i.error)).toEqual([]);
  const [binary, config, entrypoint] = parsed;
  expect(binary).toMatchObject({ from: want.image, sources: ["/usr/local/bin/litestream"], dest: "/usr/local/bin/litestream" });
  expect(config).toMatchObject({ sources: [want.configFile], dest: "/etc/litestream.yml" });
  expect(entrypoint).toMatchObject({ chmod: "0755", sources: ["bin/litestream-entrypoint"], dest: "/usr/local/bin/litestream-entrypoint" });
  expect(parsed[3]!.args).toEqual(["/usr/local/bin/litestream-entrypoint"]);
  expect(parsed[4]!.args).toEqual([]);
}

/** The example a fix suggests ("e.g. X"), which must itself be accepted. */
function suggestedExample(fix: string | undefined): string | undefined {
  return /e\.g\. (\S+)$/.exec(fix ?? "")?.[1];
}

describe("configFile in Dockerfile.litestream, read by BuildKit", () => {
  const represented = [
    "config/litestream.yml",
    "config/a b.yml",
    "config/it's.yml",
    'config/"q".yml',
    "config/back\\slash.yml",
    "--from=evil.yml",
    "<<EOF",
    "config/#not-a-comment.yml",
    "config/é 🙂.yml",
    "config/trailing\\",
  ];
  for (const configFile of represented) {
    it(`represented exactly: ${JSON.stringify(configFile)}`, async () => {
      const out = attempt(project({ configFile }));
      if ("refused" in out) throw new Error(JSON.stringify(out.refused));
      expect(out.configFile).toBe(configFile);
      await expectExact(out.dockerfile, { configFile, image: "litestream/litestream:0.3.14" });
    });
  }

  const refused = [
    "config/a\nRUN touch /pwned\n.yml",
    "config/a\rRUN x.yml",
    "config/a\u2028b.yml",
    "config/a\u0085b.yml",
    "config/*.yml",
    "config/[ab].yml",
    "/etc/litestream.yml",
    "../litestream.yml",
    "config/$HOME.yml",
  ];
  for (const configFile of refused) {
    it(`refused with its path, a reason and a working fix: ${JSON.stringify(configFile)}`, async () => {
      const out = attempt(project({ configFile }));
      expect("refused" in out).toBe(true);
      if (!("refused" in out)) return;
      expect(out.refused.map((r) => r.path)).toContain("environments.production.configFile");
      const issue = out.refused.find((r) => r.path === "environments.production.configFile")!;
      expect(issue.message.length).toBeGreaterThan(10);
      const example = suggestedExample(issue.fix);
      if (example) {
        const fixed = attempt(project({ configFile: example }));
        if ("refused" in fixed) throw new Error(`the suggested fix is refused too: ${JSON.stringify(fixed.refused)}`);
        await expectExact(fixed.dockerfile, { configFile: example, image: "litestream/litestream:0.3.14" });
      }
    });
  }
});

describe("litestream.image in COPY --from, checked with Docker's reference grammar", () => {
  const images = [
    "litestream/litestream:0.3.13",
    "ghcr.io/acme/litestream:0.3.13",
    "localhost:5000/litestream:0.3.13",
    "registry.example.com:5000/a/b/c:v1.2-rc_3",
    `litestream/litestream:0.3.13@sha256:${"a".repeat(64)}`,
    "Litestream/litestream:0.3.13",
    "litestream/litestream:0.3.13\nRUN touch /pwned",
    "litestream/litestream:0.3.13 --chmod=777",
    "litestream//litestream:0.3.13",
    "litestream/litestream:-bad",
    "litestream/litestream:0.3.13@sha256:short",
    "a__b/c:1",
    "a___b/c:1",
    "-x/y:1",
  ];
  it("agrees with Docker's parser on every reference", async () => {
    for (const image of images) {
      const docker = await checkImageReference(image);
      const ours = imageReferenceProblem(image);
      expect({ image, accepted: ours === undefined }).toEqual({ image, accepted: docker === "ok" });
    }
  });

  for (const image of images) {
    it(`represented exactly or refused: ${JSON.stringify(image)}`, async () => {
      const out = attempt(project({ image }));
      if ("refused" in out) {
        const issue = out.refused.find((r) => r.path === "litestream.image");
        expect(issue, JSON.stringify(out.refused)).toBeDefined();
        expect(imageReferenceProblem(image) !== undefined || /not pinned/.test(issue!.message)).toBe(true);
        expect(await checkImageReference("litestream/litestream:0.5.17")).toBe("ok"); // the fix's example
      } else {
        expect(await checkImageReference(image)).toBe("ok");
        await expectExact(out.dockerfile, { configFile: "config/litestream.yml", image });
      }
    });
  }
});

describe("the app command in the Dockerfile comment", () => {
  it("refuses a word with a control character, NEL or a line separator (it could start a new instruction)", () => {
    for (const word of ["x\nRUN touch /pwned", "a\rb", "\u2028RUN y", "\u0085", "\t"]) {
      const out = attempt(project({ appCommand: ["/app/server", word] }));
      expect("refused" in out, JSON.stringify(word)).toBe(true);
    }
  });

  it("stays one comment line whatever printable words it holds", async () => {
    const appCommand = ["/app/server", "x RUN touch /pwned", "\\", "#", "'\"$`"];
    const out = attempt(project({ appCommand }));
    if ("refused" in out) throw new Error(JSON.stringify(out.refused));
    await expectExact(out.dockerfile, { configFile: "config/litestream.yml", image: "litestream/litestream:0.3.14" });
    const comment = out.dockerfile.split("\n").find((l) => l.startsWith("#   ["))!;
    expect(JSON.parse(comment.slice(4))).toEqual(appCommand);
  });
});
