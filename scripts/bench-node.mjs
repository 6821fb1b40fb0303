// Times Vigie's browser module in Node (the engine.mjs loader and the same
// .wasm as the browser) and, when given its folder, alex 11.0.1 on the same
// English text, and prints the ratio per word.
//
//   node scripts/bench-node.mjs bin/vigie.wasm testdata/corpus/sotu-2002-2021.txt [ALEX-DIR]
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { instantiate } from "../wasm/web/engine.mjs";

const [wasmPath, corpusPath, alexDir] = process.argv.slice(2);
const words = readFileSync(corpusPath, "utf8").split(/\s+/).filter(Boolean);
const textOf = (n) => Array.from({ length: n }, (_, i) => words[i % words.length]).join(" ");

function median(fn, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const t0 = performance.now();
const engine = await instantiate(readFileSync(wasmPath));
console.log(`vigie (wasm in Node ${process.version}): instantiate ${(performance.now() - t0).toFixed(1)} ms`);

let alex;
if (alexDir) {
  const mod = await import(pathToFileURL(join(resolve(alexDir), "node_modules/alex/index.js")).href);
  alex = mod.text;
}

console.log("words      vigie ms   alex ms   vigie words/s   alex words/s   alex/vigie per word");
for (const n of [1_000, 10_000, 100_000]) {
  const text = textOf(n);
  const runs = n >= 100_000 ? 5 : 21;
  // Warm up: V8 compiles the module's hot functions again, optimised, after
  // a few calls.
  for (let i = 0; i < 20; i++) engine.check(text, { lang: "en" });
  const v = median(() => engine.check(text, { lang: "en" }), runs);
  let a = NaN;
  if (alex) {
    alex(text);
    a = median(() => alex(text), n >= 100_000 ? 1 : 3);
  }
  const wps = (ms) => (ms ? Math.round((n * 1000) / ms).toLocaleString("en") : "-");
  console.log(
    `${String(n).padEnd(10)} ${v.toFixed(2).padStart(8)} ${(alex ? a.toFixed(1) : "-").padStart(9)} ${wps(v).padStart(15)} ${(alex ? wps(a) : "-").padStart(14)} ${(alex ? (a / v).toFixed(1) + "x" : "-").padStart(20)}`,
  );
}
