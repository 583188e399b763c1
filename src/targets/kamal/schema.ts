/**
 * Kamal 2 target: the `litestream` accessory (config/deploy.yml, or a destination's
 * config/deploy.<destination>.yml) and its `.kamal/secrets` lines.
 *
 * Every field is optional here because an environment may override single fields of the
 * project-level `targets.kamal` (they are merged key by key); `version`, `volume` and one host
 * selector are required once merged, which the renderer checks. For the same reason defaults are
 * applied by the renderer, not here (an environment's default would override the project's value).
 */
import { z } from "zod";
import { EnvVarName, Text } from "../../schema/common.js";

export const HOST_SELECTORS = ["host", "hosts", "role", "roles", "tag", "tags"] as const;

const KamalVersion = Text.regex(
  /^2\.\d+(\.\d+)?$/,
  'the Kamal 2 version you deploy with, e.g. "2.10" (features such as secret aliases and read-only files depend on it)',
);

const HostName = Text.regex(/^[A-Za-z0-9][A-Za-z0-9_.:@[\]-]*$/, "a host name or IP address (no spaces or shell characters)");
const RoleOrTag = Text.regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, "a Kamal role or tag name");

/** `name:/abs/mount[:options]`: a named volume (or an absolute host path) and where the app mounts it. */
const DataVolume = Text.superRefine((value, ctx) => {
  const parts = value.split(":");
  const [source = "", mount = "", options] = parts;
  if (parts.length < 2 || parts.length > 3 || !/^(\/[^\s:]*|[A-Za-z0-9][A-Za-z0-9_.-]*)$/.test(source) || !/^\/[^\s:]*$/.test(mount)) {
    ctx.addIssue({
      code: "custom",
      message: `"${value}" is not a volume mount: write the app's named volume and the directory it is mounted at, e.g. "myapp_storage:/rails/storage"`,
      params: {
        fix: 'copy the entry from the app\'s volumes in config/deploy.yml, e.g. "myapp_storage:/rails/storage"',
        code: "kamal.volume.invalid",
      },
    });
    return;
  }
  const flags = options?.split(",") ?? [];
  // A read-only data volume breaks replication (docs/kamal.md).
  if (flags.includes("ro")) {
    ctx.addIssue({
      code: "custom",
      message: `"${value}" mounts the data volume read-only: Litestream must write next to each database (it switches it to WAL mode, creates its _litestream_seq/_litestream_lock tables, checkpoints and writes -wal, -shm and its meta directory), so replication would fail with "attempt to write a readonly database"`,
      params: {
        fix: `remove "ro": write "${[source, mount, flags.filter((f) => f !== "ro").join(",")].filter(Boolean).join(":")}"`,
        code: "kamal.volume.read-only",
      },
    });
  }
  const unknown = flags.filter((f) => !["rw", "z", "Z", "ro"].includes(f));
  if (unknown.length)
    ctx.addIssue({
      code: "custom",
      message: `unknown volume option ${unknown.map((f) => `"${f}"`).join(", ")}: use rw, z or Z`,
      params: { fix: "remove the option", code: "kamal.volume.option" },
    });
}).meta({
  description:
    "The app's named volume and the directory it is mounted at, exactly as in the app's `volumes`, e.g. \"myapp_storage:/rails/storage\". Shared read-write: Litestream writes next to each database.",
});

/** Kamal's secrets adapters (`kamal secrets fetch --adapter …`), with their `--account` rule (docs/kamal.md). */
export const KAMAL_ADAPTERS = {
  "1password": { account: "required", what: "the 1Password account (sign-in address, email or id)" },
  bitwarden: { account: "required", what: "the Bitwarden account email" },
  "bitwarden-sm": { account: "none", what: "" },
  lastpass: { account: "required", what: "the LastPass account email" },
  aws_secrets_manager: { account: "optional", what: "the AWS CLI profile (--profile)" },
  gcp_secret_manager: { account: "required", what: "the gcloud account (or `default`)" },
  doppler: { account: "none", what: "" },
  enpass: { account: "none", what: "" },
  passbolt: { account: "none", what: "" },
} as const;
export type KamalAdapter = keyof typeof KAMAL_ADAPTERS;

/** Kamal 2.0–2.12 abort on a missing --account for these adapters (measured; docs/kamal.md). */
const MISSING_ACCOUNT = "Kamal aborts `kamal secrets fetch` with `ERROR (NoMethodError): undefined method 'chomp' for nil:NilClass`";

const SecretWord = Text.regex(
  /^[A-Za-z0-9][A-Za-z0-9@._/+-]*$/,
  "letters, digits and @ . _ / + - (dotenv would expand or cut anything else)",
);
const Account = Text.regex(/^[A-Za-z0-9][A-Za-z0-9@._-]*$/, "an account: its sign-in address, email or id (no spaces or shell characters)");

const AdapterSource = z
  .strictObject({
    adapter: z.enum(Object.keys(KAMAL_ADAPTERS) as [KamalAdapter, ...KamalAdapter[]]),
    account: Account.optional(),
    from: SecretWord.optional().meta({ description: "`--from`: the vault, folder or prefix (Doppler: project/config)." }),
    secret: SecretWord.meta({
      description: "What `kamal secrets fetch` is given, e.g. Bitwarden `item/field`, AWS `secret-id`, Doppler `NAME`.",
    }),
    key: SecretWord.optional().meta({ description: "A field of a JSON secret (AWS, GCP): extracted as `<secret>/<key>`." }),
  })
  .superRefine((value, ctx) => {
    if (KAMAL_ADAPTERS[value.adapter].account === "required" && !value.account) {
      ctx.addIssue({
        code: "custom",
        path: ["account"],
        message: `the ${value.adapter} adapter needs --account: without it ${MISSING_ACCOUNT}`,
        params: { fix: `set account to ${KAMAL_ADAPTERS[value.adapter].what}`, code: "kamal.secrets.account-missing" },
      });
    }
    if (KAMAL_ADAPTERS[value.adapter].account === "none" && value.account) {
      ctx.addIssue({
        code: "custom",
        path: ["account"],
        message: `the ${value.adapter} adapter takes no --account`,
        params: { fix: "remove account", code: "kamal.secrets.account-unused" },
      });
    }
  })
  .meta({ description: "`NAME=$(kamal secrets extract …)` from one `kamal secrets fetch --adapter …` per adapter, account and from." });

const SecretSource = z.union([
  AdapterSource,
  z
    .strictObject({
      railsCredentials: Text.regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, "a dotted credentials path such as litestream.access_key_id"),
    })
    .meta({ description: "Rails 8: `NAME=$(bin/rails credentials:fetch <path>)`, run on the machine that runs kamal." }),
  z.strictObject({ env: EnvVarName }).meta({ description: "`NAME=$OTHER`: another variable of the machine that runs kamal." }),
]);

const Secrets = z
  .strictObject({
    via: z.enum(["op-read", "kamal-adapter"]).default("op-read").meta({
      description:
        '1Password references become `KEY=$(op read op://…)` ("op-read") or one `kamal secrets fetch --adapter 1password` call per vault plus `kamal secrets extract` ("kamal-adapter", Kamal 2.6+).',
    }),
    account: Account.optional().meta({
      description: 'The 1Password account for via: "kamal-adapter" (`--account`), e.g. "my-team.1password.com".',
    }),
    sources: z.record(EnvVarName, SecretSource).optional().meta({
      description:
        'Where each { env: "NAME" } credential comes from in .kamal/secrets. Default: the environment of the machine that runs kamal (`NAME=$NAME`).',
    }),
  })
  .superRefine((value, ctx) => {
    if (value.via === "kamal-adapter" && !value.account) {
      ctx.addIssue({
        code: "custom",
        path: ["account"],
        message: `the Kamal 1Password adapter needs --account: without it ${MISSING_ACCOUNT}`,
        params: {
          fix: 'set account to your 1Password account, e.g. "my-team.1password.com", or use via: "op-read"',
          code: "kamal.secrets.account-missing",
        },
      });
    }
  })
  .meta({ description: "How `.kamal/secrets` obtains the credentials Litestream needs." });

const OptionValue = z.union([Text, z.number(), z.boolean()]);

export const KamalTarget = z
  .strictObject({
    version: KamalVersion.optional().meta({ description: 'The Kamal version you deploy with, e.g. "2.10". Required.' }),
    volume: DataVolume.optional(),
    host: HostName.optional().meta({ description: "Boot the accessory on this host (the app's host: the volume is local)." }),
    hosts: z.array(HostName).min(1).optional().meta({ description: "Boot it on these hosts." }),
    role: RoleOrTag.optional().meta({ description: "Boot it on the hosts of this role (Kamal 2.6+)." }),
    roles: z.array(RoleOrTag).min(1).optional().meta({ description: "Boot it on the hosts of these roles." }),
    tag: RoleOrTag.optional().meta({ description: "Boot it on the hosts with this tag (Kamal 2.6+)." }),
    tags: z.array(RoleOrTag).min(1).optional().meta({ description: "Boot it on the hosts with these tags (Kamal 2.6+)." }),
    destination: z
      .union([Text.regex(/^[a-z0-9][a-z0-9_-]*$/, "a Kamal destination name: lower-case letters, digits, '-' and '_'"), z.literal(false)])
      .optional()
      .meta({
        description:
          "The Kamal destination (`kamal … -d <destination>`) this environment deploys with: config/deploy.<destination>.yml and .kamal/secrets.<destination>. false: config/deploy.yml and .kamal/secrets. Default: none for a single environment, else the environment's name.",
      }),
    appUser: Text.regex(/^\d+(:\d+)?$/, 'a numeric uid:gid such as "1000:1000"')
      .optional()
      .meta({
        description:
          'uid:gid the app container runs as (Rails 8 images: "1000:1000"). Databases restored on boot are handed to it; without it they stay owned by root and a non-root app cannot write them.',
      }),
    appEntrypoint: z
      .union([
        z.string().regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]+$/, "a path relative to the project, e.g. bin/docker-entrypoint"),
        z.literal(false),
      ])
      .optional()
      .meta({
        description:
          "The app image's entrypoint script, relative to the project (default bin/docker-entrypoint, Rails 8's). When it exists, a marked block that runs bin/litestream-wait is added after its shebang and `set` lines. false: leave it alone (start the app through bin/litestream-wait yourself).",
      }),
    beforeApp: z.array(z.array(z.string()).min(1)).optional().meta({
      description:
        'Commands bin/litestream-wait runs after the restore, before the app, each as an argv, e.g. [["bin/rails", "db:prepare"]]. Rails 8\'s bin/docker-entrypoint already runs db:prepare after our block.',
    }),
    healthcheck: z.boolean().optional().meta({ description: "Add docker health options that work in the pinned image (default true)." }),
    env: z.record(EnvVarName, Text).optional().meta({ description: "Extra clear (non-secret) environment variables for the accessory." }),
    options: z
      .record(
        Text.regex(/^[a-z][a-z0-9-]*$/, "a docker run flag name without dashes, e.g. memory"),
        z.union([OptionValue, z.array(OptionValue)]),
      )
      .optional()
      .meta({
        description: 'Extra `docker run` flags (`memory: 256m` → --memory "256m").',
      }),
    // Keys are checked with the docker run words (accessory.ts), where the refusal carries a fix.
    labels: z.record(z.string().min(1), Text).optional().meta({ description: "Extra container labels (reverse-DNS keys)." }),
    updateDeployFile: z.boolean().optional().meta({
      description:
        "Also set `accessories.litestream` in your existing config/deploy.yml (or config/deploy.<destination>.yml), keeping every other key and comment (default true).",
    }),
    secrets: Secrets.optional(),
  })
  .superRefine((value, ctx) => {
    const selectors = HOST_SELECTORS.filter((key) => value[key] !== undefined);
    if (selectors.length > 1) {
      for (const key of selectors.slice(1)) {
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `an accessory takes exactly one host selector, ${selectors.join(" and ")} are set: Kamal refuses it ("specify one of \`host\`, \`hosts\` or \`roles\`" before 2.6, which also lists \`role\`, \`tag\` and \`tags\`)`,
          params: { fix: `keep ${selectors[0]} and remove ${key}`, code: "kamal.host.selectors" },
        });
      }
    }
  })
  .meta({ description: "Kamal 2: Litestream as the `litestream` accessory, plus its .kamal/secrets lines." });

export type KamalTargetInput = z.input<typeof KamalTarget>;
export type KamalTargetConfig = z.output<typeof KamalTarget>;
