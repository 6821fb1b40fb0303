// Package loaded holds Vigie's sentence model, trained by `make model`
// (cmd/train-model): model.onnx, its sidecar features.json, and
// metrics.json, the figures its model card shows. The browser module does
// not import this package: the checker page fetches model.onnx from the
// site when the reader turns the model on.
package loaded

import (
	_ "embed"
	"sync"

	"vigie/models/sentence"
)

// ONNX is the model file.
//
//go:embed model.onnx
var ONNX []byte

// MetricsJSON is metrics.json.
//
//go:embed metrics.json
var MetricsJSON []byte

// Features is features.json.
//
//go:embed features.json
var Features []byte

var model = sync.OnceValues(func() (*sentence.Model, error) { return sentence.Load(ONNX) })

// Model returns the model, loaded once.
func Model() (*sentence.Model, error) { return model() }
