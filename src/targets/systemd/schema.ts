/** systemd target: a `litestream.service` unit, its environment file and an install script. */
import { z } from "zod";

export const SystemdTarget = z.strictObject({
  user: z.string().min(1).optional(),
});
