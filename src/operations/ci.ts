/**
 * The restore drill as a scheduled GitHub Actions job (docs/operations.md, "Restore drill"): the
 * pinned Litestream image runs the generated drill script against the generated config, with the
 * storage credentials from the repository's secrets (by reference: `${{ secrets.NAME }}`).
 */
import { stringify } from "yaml";
import { envBindings } from "../env-mapping.js";
import { hashHeader } from "../header.js";
import type { EnvironmentPlan, Plan } from "../plan.js";
import { shellWord } from "../render/quote/sh.js";
import { containerPrelude } from "./drill.js";
import type { VerificationSettings } from "./settings.js";

/** Where the config and the script are inside the job's container (the checkout, read-only). */
const CHECKOUT = "/src";

/** systemd calendar → cron (UTC), for the forms that have an exact equivalent. */
export function cronOf(schedule: string): string | undefined {
  const named: Record<string, string> = { hourly: "0 * * * *", daily: "0 0 * * *", weekly: "0 0 * * 1", monthly: "0 0 1 * *" };
  if (named[schedule]) return named[schedule];
  const m = /^\*-\*-\* (\d{1,2}):(\d{2})(?::00)?$/.exec(schedule);
  if (m && Number(m[1]) < 24 && Number(m[2]) < 60) return `${Number(m[2])} ${Number(m[1])} * * *`;
  return undefined;
}

export type CiDrill = { path: string; content: string } | { skipped: string };

export function ciDrill(
  plan: Plan,
  env: EnvironmentPlan,
  verification: VerificationSettings,
  scriptPath: string,
  dir: string,
  several: boolean,
): CiDrill {
  if (env.databases.some((db) => db.replicas.some((r) => r.type === "file")))
    return { skipped: "a file replica lives on the host's disk, which a CI job cannot read" };
  const cron = cronOf(verification.schedule);
  if (!cron)
    return {
      skipped: `verification.schedule "${verification.schedule}" has no exact cron form (use daily, hourly, weekly, monthly or "*-*-* HH:MM:SS")`,
    };
  const names = [
    ...envBindings(env).map((b) => ({ name: b.name, secret: b.secretName })),
    ...(verification.heartbeatEnv ? [{ name: verification.heartbeatEnv, secret: verification.heartbeatEnv }] : []),
  ];
  const script = `${CHECKOUT}/${scriptPath}`;
  const prelude = containerPrelude(plan, verification);
  const inner = [...(prelude ? [prelude] : []), `exec sh ${shellWord(script)}`].join("; ");
  const run = [
    "docker run --rm",
    `-v "$PWD:${CHECKOUT}:ro"`,
    `-e LITESTREAM_CONFIG=${shellWord(`${CHECKOUT}/${env.configFile}`)}`,
    ...names.map((n) => `-e ${n.name}`),
    "--entrypoint /bin/sh",
    shellWord(plan.litestream.image),
    `-c ${shellWord(inner)}`,
  ].join(" ");
  const workflow = {
    name: `Litestream restore drill (${plan.name}, ${env.name})`,
    on: { schedule: [{ cron }], workflow_dispatch: {} },
    permissions: { contents: "read" },
    jobs: {
      drill: {
        "runs-on": "ubuntu-latest",
        "timeout-minutes": 120,
        steps: [
          { uses: "actions/checkout@v4" },
          {
            name: `Restore drill (Litestream ${plan.litestream.release})`,
            env: Object.fromEntries(names.map((n) => [n.name, `\${{ secrets.${n.secret} }}`])),
            run,
          },
        ],
      },
    },
  };
  const head = [
    hashHeader(`restore drill as a GitHub Actions workflow, environment ${env.name}`),
    `# Copy to .github/workflows/${several ? `litestream-drill-${env.name}` : "litestream-drill"}.yml. Repository secrets it reads: ${names.map((n) => n.secret).join(", ") || "none"}.`,
    `# Schedule: "${verification.schedule}" as cron ${cron} (UTC). A failed or inconclusive drill fails the job.`,
  ];
  return { path: `${dir}/github-actions-drill.yml`, content: `${head.join("\n")}\n${stringify(workflow, { lineWidth: 0 })}` };
}
