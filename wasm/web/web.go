// Package web holds the JavaScript that runs Vigie's module in a page: the
// loader pages import (vigie.mjs), the engine and its Web Worker, and the
// WASI functions the module needs. The site generator copies them next to
// the module.
package web

import "embed"

// Files are the loader's files (vigie.mjs, engine.mjs, worker.mjs,
// wasi.mjs, dom.mjs), the widget (vigie-widget.js) and its iframe fallback
// (frame.html, vigie-frame.js, frame.css).
//
//go:embed *.mjs *.js *.html *.css
var Files embed.FS
