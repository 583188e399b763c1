/** Docker Compose target: a `litestream` sidecar plus a run-once restore service the app waits for. */
import { z } from "zod";
import { Text } from "../../schema/common.js";

export const CONFIG_DELIVERIES = ["heredoc", "configs", "bind"] as const;
export const COMPOSE_OUTPUTS = ["override", "in-place"] as const;
export const RESTORE_STEPS = ["service", "pre_start"] as const;

export const ComposeTarget = z.strictObject({
  appService: Text.regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, "a Compose service name is letters, digits, '_', '.' and '-'").meta({
    description: "The service that runs the app; it waits for the restore and must run as a single copy.",
  }),
  volume: Text.min(1).meta({
    description:
      'The app\'s data volume exactly as the app mounts it, "source:target", e.g. "app_data:/app/data". Mounted read-write into the Litestream services.',
  }),
  configDelivery: z.enum(CONFIG_DELIVERIES).optional().meta({
    description:
      'How litestream.yml reaches the container. "heredoc" (default, Portainer-safe): a shell script writes it inside the container. "configs": top-level configs.content (Compose >= 2.23.1, not Swarm; set `version`). "bind": the generated file is bind-mounted read-only.',
  }),
  version: Text.regex(/^\d+\.\d+(\.\d+)?$/, 'the Docker Compose version you run (`docker compose version`), e.g. "2.29.1"')
    .optional()
    .meta({
      description:
        'The Docker Compose version you run; required for configDelivery "configs" (needs 2.23.1+) and restoreStep "pre_start" (needs 5.3+).',
    }),
  restoreStep: z.enum(RESTORE_STEPS).optional().meta({
    description:
      '"service" (default): a run-once litestream-restore service that every service mounting the database volume waits for. "pre_start" (Compose 5.3+, set `version`; heredoc delivery): the restore is a pre_start step of the litestream service, and those services wait for it to start.',
  }),
  output: z.enum(COMPOSE_OUTPUTS).optional().meta({
    description:
      '"override" (default): write compose.litestream.yaml, used as `docker compose -f compose.yaml -f compose.litestream.yaml`. "in-place": add the services to your compose file, keeping its comments and services.',
  }),
  file: Text.regex(/^[^/].*\.ya?ml$/, "a relative path to a .yaml or .yml file")
    .optional()
    .meta({
      description:
        'Your compose file, relative to the project root (default: the first of compose.yaml, compose.yml, docker-compose.yaml, docker-compose.yml that exists). Read to check the app service; updated when output is "in-place".',
    }),
  overrideFile: Text.regex(/^[^/].*\.ya?ml$/, "a relative path to a .yaml or .yml file")
    .optional()
    .meta({
      description:
        "Where the override is written (default compose.litestream.yaml, or compose.litestream.<environment>.yaml with several environments).",
    }),
  user: Text.regex(/^[a-zA-Z0-9_-]+(:[a-zA-Z0-9_-]+)?$/, 'a user or "uid:gid", e.g. "1000:1000"')
    .optional()
    .meta({
      description:
        'Run the Litestream services as this user ("uid:gid"). It must be able to write the database files, and a restore creates them as this user: use the app\'s uid:gid when the app does not run as root.',
    }),
});

/** The settings after an environment's overrides are merged and defaults applied. */
export type ComposeTargetConfig = Required<Pick<z.output<typeof ComposeTarget>, "appService" | "volume" | "configDelivery" | "output">> &
  z.output<typeof ComposeTarget>;

/** Defaults are applied after merging, so an environment override never resets a project-level value. */
export function withComposeDefaults(settings: Partial<z.output<typeof ComposeTarget>>): ComposeTargetConfig | undefined {
  if (!settings.appService || !settings.volume) return undefined;
  return {
    ...settings,
    appService: settings.appService,
    volume: settings.volume,
    configDelivery: settings.configDelivery ?? "heredoc",
    output: settings.output ?? "override",
  };
}
