// Generated files written under a directory, as a checkout holds them (modes included).
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export function writeFiles(root: string, files: Array<{ path: string; content: string; mode?: number }>): Map<string, string> {
  for (const f of files) {
    mkdirSync(dirname(join(root, f.path)), { recursive: true });
    writeFileSync(join(root, f.path), f.content);
    if (f.mode) chmodSync(join(root, f.path), f.mode);
  }
  return new Map(files.map((f) => [f.path, f.content]));
}
