/** Container entrypoint target: restore, then `litestream replicate -exec <app>` inside the app image. */
import { z } from "zod";

export const EntrypointTarget = z.strictObject({
  appCommand: z.array(z.string().min(1)).min(1).meta({ description: 'The app\'s command, e.g. ["bin/rails", "server"].' }),
});
