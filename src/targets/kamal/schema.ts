/** Kamal 2 target: the `litestream` accessory and its `.kamal/secrets` lines. */
import { z } from "zod";

export const KamalTarget = z.strictObject({
  version: z.string().regex(/^2\.\d+(\.\d+)?$/, 'the Kamal 2 version you deploy with, e.g. "2.8"'),
  volume: z.string().min(1).meta({ description: 'The app\'s named volume and its mount, e.g. "myapp_storage:/rails/storage".' }),
  host: z.string().min(1).optional(),
});
