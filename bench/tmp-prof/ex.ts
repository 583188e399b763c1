import { generate } from "../../src/index.js";
for (const n of ["000-rails-kamal-hetzner","002-compose-r2"]) {
  const m = (await import(`../../examples/${n}/litestream.config.ts`)).default;
  console.log(n, generate(m).files.map(f => `${f.path} ${f.ownership}`));
  console.log(JSON.stringify(m.targets), JSON.stringify(m.environments?.production?.targets));
}
