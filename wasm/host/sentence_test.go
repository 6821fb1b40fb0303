package host

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"testing"

	"vigie"
	"vigie/models/loaded"
	"vigie/wasm/api"
)

// TestSentenceScores checks that the module scores sentences as the native
// code does, to 1e-5, on the corpora: every sentence is marked (threshold 0)
// so that every score is compared.
func TestSentenceScores(t *testing.T) {
	m := instance(t)
	ctx := context.Background()
	// Natively, the same model through the same API; unloaded afterwards so
	// other tests see the module as it starts.
	api.LoadModel(loaded.ONNX)
	t.Cleanup(func() { api.LoadModel(nil) })
	got, err := m.LoadModel(ctx, loaded.ONNX)
	if err != nil {
		t.Fatal(err)
	}
	if want := api.Version(); !bytes.Equal(got, want) {
		t.Fatalf("after load_model the module says %s, native %s", got, want)
	}
	opts := []byte(`{"sentences":true,"sentence_threshold":0}`)
	total := 0
	for _, name := range []string{"udhr-fr.txt", "udhr-en.txt", "sotu-2002-2021.txt"} {
		text := corpus(t, name)
		var mod, native vigie.Report
		out, err := m.Check(ctx, text, opts)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(out, &mod); err != nil {
			t.Fatalf("%s: %v: %.300s", name, err, out)
		}
		if err := json.Unmarshal(api.Check(text, opts), &native); err != nil {
			t.Fatal(err)
		}
		if len(mod.Sentences) != len(native.Sentences) || len(mod.Sentences) == 0 {
			t.Fatalf("%s: module marked %d sentences, native %d", name, len(mod.Sentences), len(native.Sentences))
		}
		worst := 0.0
		for i, a := range mod.Sentences {
			b := native.Sentences[i]
			if a.Start != b.Start || a.End != b.End || a.Start16 != b.Start16 {
				t.Fatalf("%s: sentence %d at %d-%d in the module, %d-%d natively", name, i, a.Start, a.End, b.Start, b.End)
			}
			worst = max(worst, math.Abs(a.Score-b.Score))
		}
		if worst > 1e-5 {
			t.Errorf("%s: scores differ by up to %g", name, worst)
		}
		total += len(mod.Sentences)
		t.Logf("%s: %d sentences, largest difference %g", name, len(mod.Sentences), worst)
	}
	if total < 1000 {
		t.Errorf("only %d sentences compared", total)
	}
}

// TestSentenceModelErrors: checks that ask for the model before it is
// loaded, bad model files and bad thresholds get clear errors.
func TestSentenceModelErrors(t *testing.T) {
	m := instance(t)
	ctx := context.Background()
	out, err := m.Check(ctx, []byte("Un texte assez long pour être noté par le modèle."), []byte(`{"sentences":true}`))
	if err != nil {
		t.Fatal(err)
	}
	if c := errorCode(t, out); c != "model" {
		t.Errorf("check before load_model: code %q in %s", c, out)
	}
	for name, data := range map[string][]byte{
		"garbage":   []byte("not an onnx file at all"),
		"truncated": loaded.ONNX[:len(loaded.ONNX)/2],
	} {
		out, err := m.LoadModel(ctx, data)
		if err != nil {
			t.Fatal(err)
		}
		if c := errorCode(t, out); c != "model" {
			t.Errorf("%s: code %q in %s", name, c, out)
		}
	}
	if _, err := m.LoadModel(ctx, loaded.ONNX); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []string{`{"sentences":true,"sentence_threshold":1.5}`, `{"sentence_threshold":0.5}`} {
		out, err := m.Check(ctx, []byte("Un texte assez long pour être noté par le modèle."), []byte(opts))
		if err != nil {
			t.Fatal(err)
		}
		if c := errorCode(t, out); c != "option" {
			t.Errorf("%s: code %q in %s", opts, c, out)
		}
	}
}
