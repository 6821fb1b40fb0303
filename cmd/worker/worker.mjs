// Cloudflare Workers entry point of Vigie's API. It starts the Go module
// (vigie-api.wasm, GOOS=js) once per isolate and hands it every request:
// the rules are compiled once, not per request. Nothing is logged.
import "./wasm_exec.js";
import mod from "./vigie-api.wasm";

let started;

function start(env) {
  started ??= new Promise((resolve, reject) => {
    globalThis.vigieSettings = {
      ALLOW_ORIGINS: env.ALLOW_ORIGINS ?? "",
      MAX_BODY_BYTES: env.MAX_BODY_BYTES ?? "",
      MAX_BATCH: env.MAX_BATCH ?? "",
    };
    globalThis.vigieReady = (err) => (err ? reject(new Error(err)) : resolve());
    const go = new Go();
    go.run(new WebAssembly.Instance(mod, go.importObject));
  });
  return started;
}

export default {
  async fetch(request, env) {
    await start(env);
    const headers = {};
    for (const [k, v] of request.headers) headers[k] = v;
    const body = new Uint8Array(await request.arrayBuffer());
    const res = globalThis.vigieServe(request.method, request.url, headers, body);
    const empty = res.status === 204 || res.status === 304 || request.method === "HEAD";
    return new Response(empty ? null : res.body, { status: res.status, headers: res.headers });
  },
};
