/** `schema`: the description's JSON Schema, for editor completion. */
import { projectJsonSchema } from "../generate.js";
import type { Command } from "./context.js";

export const schemaCommand: Command = {
  summary: "print the JSON Schema (draft-7) of the description, for editor completion",
  usage:
    "Usage: litestream-deploy schema\n\nPrint the JSON Schema (draft-7, input side) of the description, for editor completion (already JSON).",
  options: {},
  run: async ({ io }) => {
    io.out(JSON.stringify(projectJsonSchema(), null, 2));
    return 0;
  },
};
