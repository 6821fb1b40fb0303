// Runs alex 11.0.1 (installed by scripts/eval-alex.sh into a temporary
// folder; never a dependency of Vigie) on the evaluation corpora, and writes
// its messages as byte spans, for `vigie eval --compare` to score exactly as
// it scores Vigie's findings.
//
//   node scripts/eval-alex.mjs ALEX-DIR OUT.json
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [alexDir, out] = process.argv.slice(2);
const { text } = await import(pathToFileURL(join(resolve(alexDir), "node_modules/alex/index.js")).href);
const version = JSON.parse(readFileSync(join(alexDir, "node_modules/alex/package.json"), "utf8")).version;

// hits returns alex's messages on s as byte spans (alex counts UTF-16 code
// units; Vigie counts bytes).
function hits(s) {
  return text(s).messages.map((m) => {
    const p = m.place || m.position;
    const bytes = (i) => Buffer.byteLength(s.slice(0, i));
    return { start: bytes(p.start.offset), end: bytes(p.end.offset), rule: `${m.source}/${m.ruleId}` };
  });
}

const lines = (f) => readFileSync(f, "utf8").replace(/\n$/, "").split("\n");
const result = { tool: `alex ${version}`, wnc: { pre: [], post: [] }, corpora: {} };
for (const split of ["train", "test"]) {
  for (const side of ["pre", "post"]) {
    for (const l of lines(`testdata/corpus/wnc-sample/${side}.${split}`)) result.wnc[side].push(hits(l));
  }
}
for (const f of ["testdata/corpus/udhr-en.txt", "testdata/corpus/sotu-2002-2021.txt"]) {
  result.corpora[f] = hits(readFileSync(f, "utf8"));
}
writeFileSync(out, JSON.stringify(result));
console.log(`${result.tool}: ${result.wnc.pre.length} WNC pairs, ${Object.keys(result.corpora).length} corpora -> ${out}`);
