# Runs the built Worker in workerd, Cloudflare's open-source Workers
# runtime: copy this file next to the files `make worker` writes to
# bin/worker, then `workerd serve workerd.capnp [--socket-addr http=HOST:PORT]`.
# The tests and scripts/bench-worker.sh do just that.
using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [ (name = "main", worker = .vigie) ],
  sockets = [ (name = "http", address = "127.0.0.1:8787", http = (), service = "main") ],
);

const vigie :Workerd.Worker = (
  modules = [
    (name = "worker.mjs", esModule = embed "worker.mjs"),
    (name = "wasm_exec.js", esModule = embed "wasm_exec.js"),
    (name = "vigie-api.wasm", wasm = embed "vigie-api.wasm"),
  ],
  compatibilityDate = "2024-09-23",
  # The portal served by `make run` may call the API from the browser.
  bindings = [ (name = "ALLOW_ORIGINS", text = "http://127.0.0.1:8080") ],
);
