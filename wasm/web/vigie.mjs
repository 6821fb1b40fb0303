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
  const modelUrl = new URL("./sentence.onnx", new URL(wasmUrl, self.location.href));
  let worker;
  try {
    worker = startWorker(new URL("./worker.mjs", import.meta.url));
  } catch (err) {
    // The page's Content-Security-Policy forbids this worker: run in the page.
    console.warn(`vigie: no Web Worker (${err.message}); checking on the page's thread`);
    return inPage(wasmUrl, modelUrl);
  }
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

  let info;
  try {
    info = await call("init", String(wasmUrl));
  } catch (err) {
    // The worker could not start (a policy forbids it, or its script could
    // not load): try once more on the page's thread, which reports the
    // real error if there is one.
    worker.terminate();
    console.warn(`vigie: the worker failed (${err.message}); checking on the page's thread`);
    return inPage(wasmUrl, modelUrl);
  }
  return {
    /** The engine version and ruleset hash: { version, ruleset, rules }. */
    info,
    /** Checks text. options: { lang, families, min_severity, ui_lang, conventions, sentences, pack, pack_name }. */
    check: (text, options = {}) => call("check", text, options),
    /**
     * Loads the sentence model (sentence.onnx next to this file, from the same
     * host as the module) so that checks with { sentences: true } mark loaded
     * sentences. Resolves to the module's info, with its model.
     */
    loadModel: (url = modelUrl) => call("loadModel", String(url)),
    /** Every rule with its fields (message, explanation, sources, examples). */
    rules: (options = {}) => call("rules", options),
    version: () => call("version"),
    terminate: () => worker.terminate(),
  };
}

// startWorker starts the engine's worker. A page may only start workers from
// its own origin, so when Vigie is loaded from another one (a CDN, the
// widget), a tiny same-origin module made from a Blob imports the worker
// from there (the host must then allow blob: in worker-src, and Vigie's host
// must send CORS headers, as CDNs do).
function startWorker(url) {
  if (url.origin === self.location.origin) return new Worker(url, { type: "module" });
  const boot = new Blob([`import ${JSON.stringify(url.href)};`], { type: "text/javascript" });
  return new Worker(URL.createObjectURL(boot), { type: "module" });
}

// inPage runs the engine on the page's own thread, with the same interface.
async function inPage(wasmUrl, modelUrl) {
  const { instantiate } = await import("./engine.mjs");
  const engine = await instantiate(new URL(wasmUrl, self.location.href));
  const wrap = (fn) => (...args) => new Promise((resolve, reject) => { try { resolve(fn(...args)); } catch (e) { reject(e); } });
  return {
    info: engine.version(),
    check: wrap((text, options = {}) => engine.check(text, options)),
    rules: wrap((options = {}) => engine.rules(options)),
    loadModel: async (url = modelUrl) => {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`cannot load the sentence model: ${response.status} ${response.url}`);
      return engine.loadModel(await response.arrayBuffer());
    },
    version: wrap(() => engine.version()),
    terminate: () => {},
  };
}
