/** systemd target: a `litestream.service` unit, its environment file and an install script. */
import { z } from "zod";
import { Text } from "../../schema/common.js";

// Defaults are applied by the renderer, not here: an environment's `targets.systemd` is merged over
// the top-level one key by key, and a zod default would silently override the top-level value.
const UnixName = Text.regex(/^[a-z_][a-z0-9_-]{0,31}$/, "a user or group name: lower-case letters, digits, '_' and '-', at most 32");

export const SystemdTarget = z.strictObject({
  user: UnixName.optional().meta({ description: "System user Litestream runs as (default litestream; created by the install script)." }),
  group: UnixName.optional().meta({
    description: "Group shared by Litestream and the app for the database files (default: the user's own group).",
  }),
  appUser: UnixName.optional().meta({
    description: "The app's user, added to the shared group by the install script (root needs nothing).",
  }),
  serviceName: Text.regex(/^[a-z0-9][a-z0-9_.-]*$/, "a unit name without .service")
    .optional()
    .meta({ description: "Name of the unit (default litestream, i.e. litestream.service)." }),
  appUnit: Text.optional().meta({
    description: "The app's unit, ordered after Litestream by a drop-in (default <project name>.service); shorthand for appUnits: [name].",
  }),
  appUnits: z.array(Text).min(1).optional().meta({
    description:
      'The app\'s units, e.g. ["web.service", "worker.service", "app@blue.service"]: each gets a drop-in that starts it after the restore.',
  }),
  beforeApp: z.array(z.array(Text).min(1)).optional().meta({
    description:
      'Commands run after the restore and before every app unit, in order, e.g. [["/srv/app/venv/bin/python", "manage.py", "migrate"]]: one oneshot unit, as appUser (root when unset); a failing step keeps the apps from starting.',
  }),
  appWorkingDirectory: Text.optional().meta({ description: "Working directory of the beforeApp steps (as in your app's unit)." }),
  appEnvironmentFile: Text.optional().meta({ description: "EnvironmentFile= of the beforeApp steps (as in your app's unit)." }),
  binary: Text.regex(/^\/[A-Za-z0-9._@+/-]+$/, "an absolute path of letters, digits and . _ @ + - /")
    .optional()
    .meta({
      description:
        "Litestream binary (default /usr/bin/litestream, where the release .deb puts it; the install script installs it only there).",
    }),
});

export type SystemdTargetConfig = z.output<typeof SystemdTarget>;
