import { spawnSync } from "node:child_process";
const med = (x: number[]) => x.sort((a, b) => a - b)[Math.floor(x.length / 2)]!;
const a: number[] = [], b: number[] = [];
for (let i = 0; i < 9; i++) {
  let t = performance.now(); spawnSync("node", ["-e", "import('yaml')"]); a.push(performance.now() - t);
  t = performance.now(); spawnSync("node", [process.argv[2] ?? "dist/cli.js", "generate", "--check", "--config", "/tmp/tkcli/litestream.config.json"]); b.push(performance.now() - t);
}
console.log("floor", med(a).toFixed(0), "check", med(b).toFixed(0), "ratio", (med(b) / med(a)).toFixed(2));
