/**
 * Evaluated before the rest of the CLI (imported first by cli-main.ts): zod compiles a parser per object
 * schema when the schema is built, which pays only over many parses; one run parses once.
 */
import { z } from "zod";

z.config({ jitless: true });
