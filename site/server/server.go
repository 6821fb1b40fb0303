// Package server serves the built portal (the public/ folder) for local use:
// static files with the right types and the headers a privacy-minded host
// should send. Any static host can serve the same folder.
package server

import (
	"io/fs"
	"mime"
	"net/http"
)

// ContentSecurityPolicy is what the pages need and nothing more: their own
// scripts, WebAssembly compilation, workers, and no connection to anywhere
// but their own origin. It sets no frame-ancestors: other sites may frame
// vigie/frame.html, and no page here has an action worth hijacking.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; " +
	"connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; font-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'none'"

func init() {
	// Older mime tables lack these, and browsers insist on them; the file
	// server reads the types from this table.
	mime.AddExtensionType(".wasm", "application/wasm")
	mime.AddExtensionType(".onnx", "application/octet-stream")
	mime.AddExtensionType(".jsonl", "application/jsonl; charset=utf-8")
	mime.AddExtensionType(".yaml", "application/yaml; charset=utf-8")
	mime.AddExtensionType(".mjs", "text/javascript; charset=utf-8")
	mime.AddExtensionType(".js", "text/javascript; charset=utf-8")
}

// Handler serves root. The bare root redirects to the checker while the
// portal has no home page.
func Handler(root fs.FS) http.Handler {
	files := http.FileServerFS(root)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", ContentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		h.Set("Cache-Control", "no-cache") // revalidate: the service worker keeps offline copies
		// Public files, no cookies: other sites may load the widget and the
		// module from here.
		h.Set("Access-Control-Allow-Origin", "*")
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		if r.URL.Path == "/" {
			if _, err := fs.Stat(root, "index.html"); err != nil {
				http.Redirect(w, r, "checker/", http.StatusFound)
				return
			}
		}
		files.ServeHTTP(w, r)
	})
}
