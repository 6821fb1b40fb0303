// The Web Worker that runs the engine off the page's thread. Messages:
// { id, method: "init" | "check" | "rules" | "loadModel" | "version", args } → { id, result } or
// { id, error: { message, code } }.

import { instantiate } from "./engine.mjs";

let engine;

self.onmessage = async (event) => {
  const { id, method, args = [] } = event.data;
  try {
    if (method === "init") {
      engine = await instantiate(new URL(args[0], self.location.href));
      self.postMessage({ id, result: engine.version() });
      return;
    }
    if (!engine) throw new Error("the engine is not loaded yet");
    if (method === "loadModel") {
      // The model file comes from where the page says, which is Vigie's own
      // host (see vigie.mjs); nothing else is fetched.
      const response = await fetch(new URL(args[0], self.location.href));
      if (!response.ok) throw new Error(`cannot load the sentence model: ${response.status} ${response.url}`);
      self.postMessage({ id, result: engine.loadModel(await response.arrayBuffer()) });
      return;
    }
    if (!["check", "rules", "version"].includes(method)) throw new Error(`unknown method ${method}`);
    self.postMessage({ id, result: engine[method](...args) });
  } catch (err) {
    self.postMessage({ id, error: { message: String(err.message || err), code: err.code || "" } });
  }
};
