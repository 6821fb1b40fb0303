package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestModelIsUpToDate retrains the model from the committed data and
// checks that it gives the committed files byte for byte: training is
// reproducible, and nobody changed the data or the code without running
// `make model`.
func TestModelIsUpToDate(t *testing.T) {
	t.Chdir("../..")
	out := t.TempDir()
	if err := run(out, "models/pairs", "", io.Discard); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"model.onnx", "features.json"} {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("models/loaded", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("models/loaded/%s differs from a fresh training (%d bytes, committed %d): run `make model`", name, len(got), len(want))
		}
	}
}
