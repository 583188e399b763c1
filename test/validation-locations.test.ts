// The replica-location check: same issues, in the same order, as the pairwise check it replaced
// (kept below as the reference), and linear enough for 10,000 databases.
import { describe, expect, it } from "vitest";
import { IssueList, type IssuePath } from "../src/errors.js";
import { planProjectCollecting, type EnvironmentPlan } from "../src/plan.js";
import { checkLocations } from "../src/plan/checks.js";
import type { ProjectConfig } from "../src/schema/project.js";

/** The former O(n²) check, with the one change made on purpose: two same-named databases of one environment are left to the name check. */
function referenceCheck(environments: EnvironmentPlan[], project: Pick<ProjectConfig, "environments" | "name">, issues: IssueList): void {
  const seen = new Map<string, { owner: string; label: string; env: string; db: string }>();
  const objectStores = new Set<string>();
  for (const env of environments) {
    for (const db of env.databases) {
      for (const replica of db.replicas) {
        if (replica.bucket !== undefined) objectStores.add(replica.locationKey);
        const owner = `environment ${env.name}, database ${db.name}`;
        const where: IssuePath = project.environments ? ["environments", env.name] : ["databases"];
        const previous = seen.get(replica.locationKey);
        if (previous) {
          if (!(previous.env === env.name && previous.db === db.name)) {
            issues.add(
              where,
              `${owner} replicates to ${replica.location}, which ${previous.owner} already uses: two writers on one replica path lose data with no error`,
              previous.env === env.name
                ? "give each replica its own path (or name)"
                : replica.bucket !== undefined
                  ? `set environments.${env.name}.prefix to one of its own, e.g. "${project.name}-${env.name}" (or give it its own storage)`
                  : `give environments.${env.name} its own storage, e.g. a path ending in "/${env.name}"`,
              "replica.shared",
            );
          }
        } else seen.set(replica.locationKey, { owner, label: replica.location, env: env.name, db: db.name });
        for (const [other, first] of seen) {
          if (
            other !== replica.locationKey &&
            (other.startsWith(`${replica.locationKey}/`) || replica.locationKey.startsWith(`${other}/`))
          ) {
            issues.add(
              where,
              `${owner} replicates to ${replica.location}, nested with ${first.label} (${first.owner})`,
              "use sibling prefixes, not nested ones",
              "replica.nested",
            );
          }
        }
      }
    }
  }
}

const s3 = (prefix: string, bucket = "backups") => ({
  provider: "s3" as const,
  endpoint: "https://s3.example.com",
  region: "r",
  bucket,
  prefix,
  credentials: { accessKeyId: { env: "K" }, secretAccessKey: { env: "S" } },
});

/** Environments whose replica locations clash in every way: equal, nested both ways, across and within environments. */
function clashSuite(): Array<{ name: string; project: ProjectConfig; environments: EnvironmentPlan[] }> {
  const projects: Array<[string, Record<string, unknown>]> = [
    ["shared across three environments", { storage: s3("app"), environments: { production: {}, staging: {}, dev: {} } }],
    [
      "nested prefixes",
      { storage: s3("app"), environments: { production: {}, staging: { prefix: "app/main" }, dev: { prefix: "app/main/x" } } },
    ],
    [
      "outer planned after inner",
      { storage: s3("app/main/deep"), environments: { a: {}, b: { prefix: "app/main" }, c: { prefix: "app" } } },
    ],
    [
      "file replicas, nested and equal",
      {
        storage: { provider: "file", path: "/b" },
        environments: { a: {}, b: { storage: { provider: "file", path: "/b/main" } }, c: { storage: { provider: "file", path: "/b" } } },
      },
    ],
    ["several replicas on 0.3", { replicas: [s3("app"), { ...s3("app"), name: "second" }, { ...s3("app/main"), name: "third" }] }],
    [
      "same bucket name on another endpoint is no clash",
      { storage: s3("app"), environments: { a: {}, b: { storage: { ...s3("app"), endpoint: "https://other.example.com" } } } },
    ],
  ];
  return projects.map(([name, extra]) => {
    const description = {
      name: "app",
      litestream: { version: "0.3" as const },
      databases: [
        { name: "main", path: "/data/main.db" },
        { name: "main-archive", path: "/data/archive.db" },
        { name: "x", path: "/data/x.db" },
      ],
      ...extra,
    } as unknown as ProjectConfig;
    // The plan of a description with clashes is still built in full; only the two checks are compared.
    return { name, project: description, environments: planProjectCollecting(description).plan.environments };
  });
}

describe("checkLocations", () => {
  for (const { name, project, environments } of clashSuite()) {
    it(`same issues as the pairwise check: ${name}`, () => {
      const fast = new IssueList();
      const reference = new IssueList();
      checkLocations(environments, project, fast);
      referenceCheck(environments, project, reference);
      expect(fast.items).toEqual(reference.items);
      if (!name.includes("no clash")) expect(fast.items.length).toBeGreaterThan(0);
      else expect(fast.items).toEqual([]);
    });
  }

  it("reports a clash once, with a well-formed location", () => {
    const { environments, project } = clashSuite()[0]!;
    const issues = new IssueList();
    checkLocations(environments, project, issues);
    const shared = issues.items.filter((i) => i.code === "replica.shared").map((i) => i.message);
    expect(shared).toEqual([...new Set(shared)]);
    expect(shared.join("\n")).not.toMatch(/s3:\/\/https?:/);
    expect(shared[0]).toContain("s3://backups/app/main (endpoint https://s3.example.com)");
  });

  it("10,000 databases in one environment", () => {
    const count = 10_000;
    const description = {
      name: "many",
      litestream: { version: "0.3" as const },
      storage: s3("tenants"),
      databases: Array.from({ length: count }, (_, i) => ({ name: `tenant-${i}`, path: `/data/tenants/${i}.db` })),
    } as unknown as ProjectConfig;
    const { plan, issues } = planProjectCollecting(description);
    expect(issues).toEqual([]);
    const fast = new IssueList();
    checkLocations(plan.environments, description, fast);
    expect(fast.items).toEqual([]);
    // One nested pair among them is still found.
    const nested = [...plan.environments];
    nested[0]!.databases[9_999]!.replicas[0]!.locationKey = `${nested[0]!.databases[5]!.replicas[0]!.locationKey}/inner`;
    const again = new IssueList();
    checkLocations(nested, description, again);
    expect(again.items.map((i) => i.code)).toEqual(["replica.nested"]);
  });
});
