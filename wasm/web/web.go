// Package web holds the JavaScript that runs Vigie's module in a page: the
// loader pages import (vigie.mjs), the engine and its Web Worker, and the
// WASI functions the module needs. The site generator copies them next to
// the module.
package web

import "embed"

// Files are the loader's files (vigie.mjs, engine.mjs, worker.mjs,
// wasi.mjs) and the widget (vigie-widget.js).
//
//go:embed *.mjs *.js
var Files embed.FS
