// The engine: instantiates Vigie's module and speaks its ABI (see
// wasm/README.md). It runs wherever it is imported; vigie.mjs runs it in a
// Web Worker so that checking never blocks the page.

import { wasiImports } from "./wasi.mjs";

/** An error answered by the module: code is empty, invalid-utf8, too-large, option, pack, model or request. */
export class VigieError extends Error {
  constructor(message, code) {
    super(message);
    this.name = "VigieError";
    this.code = code;
  }
}

/**
 * Compiles and starts the module. source is a URL, a Response or the bytes
 * of vigie.wasm. Returns { check, rules, loadModel, version }, each synchronous.
 */
export async function instantiate(source) {
  let exports;
  const imports = { wasi_snapshot_preview1: wasiImports(() => exports.memory) };
  let result;
  if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
    result = await WebAssembly.instantiate(source, imports);
  } else {
    const response = source instanceof Response ? source : await fetch(source);
    if (!response.ok) throw new Error(`cannot load the module: ${response.status} ${response.url}`);
    result = await WebAssembly.instantiateStreaming(response, imports);
  }
  exports = result.instance.exports;
  exports._initialize();

  const encoder = new TextEncoder();
  const decoder = new TextDecoder();

  function put(bytes) {
    const ptr = exports.alloc(bytes.length);
    new Uint8Array(exports.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  }

  function take(packed) {
    const ptr = Number(packed >> 32n);
    const len = Number(packed & 0xffffffffn);
    // Decode before free: the module may reuse the memory.
    const text = decoder.decode(new Uint8Array(exports.memory.buffer, ptr, len));
    exports.free(ptr);
    const value = JSON.parse(text);
    if (value && !Array.isArray(value) && typeof value.error === "string") throw new VigieError(value.error, value.code);
    return value;
  }

  function withBuffers(buffers, fn) {
    const ptrs = buffers.map(put);
    try {
      return fn(...ptrs);
    } finally {
      ptrs.forEach((p) => exports.free(p));
    }
  }

  return {
    /** Checks text; options as in wasm/README.md. Returns the report. */
    check(text, options = {}) {
      const t = encoder.encode(text);
      const o = encoder.encode(JSON.stringify(options));
      return withBuffers([t, o], (tp, op) => take(exports.check(tp, t.length, op, o.length)));
    },
    /** Every rule a check with these options would use, with all its fields. */
    rules(options = {}) {
      const o = encoder.encode(JSON.stringify(options));
      return withBuffers([o], (op) => take(exports.rules(op, o.length)));
    },
    /** Loads the sentence model from the bytes of its file; returns the module's info. */
    loadModel(bytes) {
      const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
      return withBuffers([b], (p) => take(exports.load_model(p, b.length)));
    },
    /** { version, ruleset, rules, conventions, model? } */
    version() {
      return take(exports.version());
    },
  };
}
