/** Container entrypoint target: restore, then `litestream replicate -exec <app>` inside the app image. */
import { z } from "zod";
import { Text } from "../../schema/common.js";
import { PLATFORMS } from "./platform.js";

// Defaults are applied by the renderer, not here: an environment's `targets.entrypoint` is merged over
// the top-level one key by key, and a zod default would silently override the top-level value.
const AbsolutePath = Text.regex(
  /^\/[A-Za-z0-9._/-]*$/,
  "an absolute path of letters, digits and . _ - / (it is written into a Dockerfile and a shell script)",
);

export const EntrypointTarget = z.strictObject({
  appCommand: z.array(Text).min(1).optional().meta({
    description:
      'The app\'s command as a list of words; no shell runs it. Your image\'s former ENTRYPOINT + CMD, e.g. ["/rails/bin/docker-entrypoint", "./bin/thrust", "./bin/rails", "server"]. Required.',
  }),
  beforeApp: z.array(z.array(Text).min(1)).optional().meta({
    description:
      'The app\'s own start-up steps, each a list of words run after the restore and before the app, with or without Litestream, e.g. [["bin/rails", "db:prepare"]]. A failing step stops the container.',
  }),
  configPath: AbsolutePath.optional().meta({
    description:
      "Where the image holds the generated litestream.yml (default /etc/litestream.yml); LITESTREAM_CONFIG overrides it at run time.",
  }),
  platform: z.enum(PLATFORMS).optional().meta({
    description:
      'Where the image runs when that platform can start more copies on its own: "fly", "cloud-run" or "kubernetes". The generated files then say how to keep it at one writer.',
  }),
  installPath: AbsolutePath.optional().meta({
    description: "Where the image holds the entrypoint script (default /usr/local/bin/litestream-entrypoint).",
  }),
});

export type EntrypointTargetConfig = z.output<typeof EntrypointTarget>;
