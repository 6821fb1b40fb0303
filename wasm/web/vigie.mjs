// Vigie in a page: import this module, create a checker, check texts.
//
//   import { createChecker } from "./vigie.mjs";
//   const vigie = await createChecker();
//   const report = await vigie.check("Le ministre prétend que…", { lang: "auto" });
//   for (const f of report.findings) console.log(f.start16, f.end16, f.message);
//
// The engine runs in a Web Worker, so typing never waits for it; nothing is
// sent anywhere: the module and the rules are loaded once, from next to this
// file, and every check happens in the browser. Offsets start16/end16 count
// UTF-16 code units, as JavaScript strings and the DOM do.

export { VigieError } from "./engine.mjs";
import { VigieError } from "./engine.mjs";

/**
 * Loads the module in a Web Worker. wasmUrl defaults to vigie.wasm next to
 * this file. Resolves to { check, rules, version, info, terminate }.
 */
export async function createChecker({ wasmUrl = new URL("./vigie.wasm", import.meta.url) } = {}) {
  const worker = new Worker(new URL("./worker.mjs", import.meta.url), { type: "module" });
  let next = 0;
  const waiting = new Map();
  worker.onmessage = ({ data }) => {
    const w = waiting.get(data.id);
    if (!w) return;
    waiting.delete(data.id);
    if (data.error) w.reject(new VigieError(data.error.message, data.error.code));
    else w.resolve(data.result);
  };
  worker.onerror = (event) => {
    for (const w of waiting.values()) w.reject(new Error(event.message || "the worker failed"));
    waiting.clear();
  };
  const call = (method, ...args) =>
    new Promise((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, method, args });
    });

  const info = await call("init", String(wasmUrl));
  return {
    /** The engine version and ruleset hash: { version, ruleset, rules }. */
    info,
    /** Checks text. options: { lang, families, min_severity, ui_lang, pack, pack_name }. */
    check: (text, options = {}) => call("check", text, options),
    /** Every rule with its fields (message, explanation, sources, examples). */
    rules: (options = {}) => call("rules", options),
    version: () => call("version"),
    terminate: () => worker.terminate(),
  };
}
