//go:build js && wasm

package main

import (
	"bytes"
	"net/http/httptest"
	"syscall/js"

	"vigie/edgeapi"
)

// main registers globalThis.vigieServe(method, url, headers, body) for
// worker.mjs, calls globalThis.vigieReady, and stays alive: the rules are
// compiled once per isolate, not once per request.
func main() {
	settings := js.Global().Get("vigieSettings")
	getenv := func(name string) string {
		if settings.IsUndefined() || settings.Get(name).IsUndefined() {
			return ""
		}
		return settings.Get(name).String()
	}
	cfg, err := config(getenv)
	if err != nil {
		js.Global().Get("vigieReady").Invoke(err.Error())
		return
	}
	h := edgeapi.New(cfg)
	js.Global().Set("vigieServe", js.FuncOf(func(_ js.Value, args []js.Value) any {
		method, url, headers, body := args[0].String(), args[1].String(), args[2], args[3]
		buf := make([]byte, body.Get("length").Int())
		js.CopyBytesToGo(buf, body)
		req := httptest.NewRequest(method, url, bytes.NewReader(buf))
		keys := js.Global().Get("Object").Call("keys", headers)
		for i := range keys.Length() {
			k := keys.Index(i).String()
			req.Header.Set(k, headers.Get(k).String())
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		out := js.Global().Get("Object").New()
		out.Set("status", rec.Code)
		hdrs := js.Global().Get("Object").New()
		for k := range rec.Header() {
			hdrs.Set(k, rec.Header().Get(k))
		}
		out.Set("headers", hdrs)
		b := js.Global().Get("Uint8Array").New(rec.Body.Len())
		js.CopyBytesToJS(b, rec.Body.Bytes())
		out.Set("body", b)
		return out
	}))
	js.Global().Get("vigieReady").Invoke(js.Null())
	select {}
}
