// The target contract: environment overrides merge deeply; every Compose, entrypoint and systemd
// problem carries a code (tests and tools assert codes, not wording).
import { describe, expect, it } from "vitest";
import { generate, ProjectError, type ProjectInput } from "../src/index.js";
import { mergeTargets } from "../src/targets/merge.js";

const base = {
  name: "app",
  litestream: { version: "0.3" },
  storage: { provider: "file", path: "/var/backups/litestream" },
  databases: [{ name: "main", path: "/data/app.db" }],
} satisfies ProjectInput;

describe("mergeTargets", () => {
  it("merges objects key by key, recursively; arrays and scalars replace; undefined unsets; unmentioned keys stay", () => {
    const merged = mergeTargets(
      {
        kamal: { host: "a", options: { memory: "1g", cpus: "1" }, env: { A: "1" }, labels: { l: "1" } },
        entrypoint: { appCommand: ["a", "b"] },
      },
      {
        kamal: { options: { memory: "2g" }, host: undefined, hosts: ["b"], labels: undefined },
        entrypoint: { appCommand: ["c"] },
        systemd: {},
      },
    );
    expect(merged).toStrictEqual({
      kamal: { host: undefined, hosts: ["b"], options: { memory: "2g", cpus: "1" }, env: { A: "1" }, labels: undefined },
      entrypoint: { appCommand: ["c"] },
      systemd: {},
    });
  });

  it("leaves both inputs untouched", () => {
    const project = { kamal: { options: { memory: "1g" } } };
    mergeTargets(project, { kamal: { options: { cpus: "2" } } });
    expect(project).toEqual({ kamal: { options: { memory: "1g" } } });
  });

  it("is what the plan uses: an environment's Kamal options add to the project's", () => {
    const { plan } = generate({
      ...base,
      targets: { kamal: { version: "2.12", volume: "app_data:/data", host: "203.0.113.10", options: { memory: "1g" } } },
      environments: { production: { targets: { kamal: { options: { cpus: "2" } } } } },
    });
    expect(plan.environments[0]!.targets.kamal?.options).toEqual({ memory: "1g", cpus: "2" });
  });
});

function codesOf(input: unknown): string[] {
  try {
    generate(input);
  } catch (error) {
    if (error instanceof ProjectError) return error.issues.map((i) => i.code ?? `(no code) ${i.message}`);
    throw error;
  }
  return [];
}

describe("target problems carry codes", () => {
  it.each([
    ["compose volume read-only", { compose: { appService: "app", volume: "d:/data:ro" } }, "compose.volume-read-only"],
    ["compose volume with a variable", { compose: { appService: "app", volume: "${V}:/data" } }, "compose.volume-variable"],
    ["compose database outside the volume", { compose: { appService: "app", volume: "d:/elsewhere" } }, "compose.database-outside-volume"],
    ["compose app named like ours", { compose: { appService: "litestream", volume: "d:/data" } }, "compose.service-name"],
    [
      "compose configs without a version",
      { compose: { appService: "app", volume: "d:/data", configDelivery: "configs" } },
      "compose.version-missing",
    ],
    [
      "compose pre_start on an old Compose",
      { compose: { appService: "app", volume: "d:/data", restoreStep: "pre_start", version: "2.29.1" } },
      "compose.version-feature",
    ],
    ["compose in-place without a file", { compose: { appService: "app", volume: "d:/data", output: "in-place" } }, "compose.file-missing"],
    ["entrypoint without appCommand", { entrypoint: {} }, "entrypoint.app-command-missing"],
    ["entrypoint shell operator", { entrypoint: { appCommand: ["run", "&&", "x"] } }, "entrypoint.argv-operator"],
    ["entrypoint spaced program", { entrypoint: { appCommand: ["bin/rails server"] } }, "entrypoint.argv-program"],
    ["systemd appUnit and appUnits", { systemd: { appUnit: "a.service", appUnits: ["b.service"] } }, "systemd.app-units-both"],
    ["systemd app unit listed twice", { systemd: { appUnits: ["a.service", "a.service"] } }, "systemd.app-unit-twice"],
    ["systemd app unit is ours", { systemd: { appUnits: ["litestream.service"] } }, "systemd.app-unit-ours"],
    ["systemd relative beforeApp", { systemd: { beforeApp: [["manage.py", "migrate"]] } }, "systemd.before-app-relative"],
    ["systemd working directory without steps", { systemd: { appWorkingDirectory: "/srv/app" } }, "systemd.before-app-unused"],
  ])("%s", (_, targets, code) => {
    const codes = codesOf({ ...base, databases: [{ name: "main", path: "/data/app.db" }], targets });
    expect(codes).toContain(code);
    expect(codes.filter((c) => c.startsWith("(no code)"))).toEqual([]);
  });

  it("compose settings incomplete after merging", () => {
    expect(codesOf({ ...base, environments: { production: { targets: { compose: { volume: "d:/data" } } } } })).toEqual([
      "compose.required",
    ]);
  });
});
