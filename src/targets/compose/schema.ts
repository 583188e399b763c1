/** Docker Compose target: a `litestream` sidecar plus a run-once restore service. */
import { z } from "zod";

export const ComposeTarget = z.strictObject({
  appService: z.string().min(1).meta({ description: "The service that runs the app (it waits for the restore)." }),
  volume: z.string().min(1).meta({ description: 'The app\'s named volume and its mount, e.g. "app_data:/app/data".' }),
});
