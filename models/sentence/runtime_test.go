package sentence_test

import (
	"math"
	"os"
	"testing"

	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/onnx-gomlx/onnx"

	"vigie/models/loaded"
	"vigie/models/pairs"
	"vigie/models/sentence"
)

// fullRuntime compiles the shipped model in onnx-gomlx (GoMLX's pure-Go
// backend, the one hugot uses); run scores padded batches with it.
func fullRuntime(tb testing.TB) (run func(ids [][]int64, weights [][]float32) []float32) {
	tb.Helper()
	full, err := onnx.Parse(loaded.ONNX)
	if err != nil {
		tb.Fatalf("onnx-gomlx cannot read the model: %v", err)
	}
	ctx := context.New()
	if err := full.VariablesToContext(ctx); err != nil {
		tb.Fatal(err)
	}
	// One op at a time: simplego's parallel ops can deadlock on one CPU.
	backend, err := simplego.New("ops_sequential")
	if err != nil {
		tb.Fatal(err)
	}
	exec, err := context.NewExec(backend, ctx, func(ctx *context.Context, ids, weights *graph.Node) *graph.Node {
		return full.CallGraph(ctx, ids.Graph(), map[string]*graph.Node{sentence.InputRows: ids, sentence.InputWeights: weights})[0]
	})
	if err != nil {
		tb.Fatal(err)
	}
	return func(ids [][]int64, weights [][]float32) []float32 {
		out, err := exec.Exec(ids, weights)
		if err != nil {
			tb.Fatalf("onnx-gomlx: %v", err)
		}
		return tensors.MustCopyFlatData[float32](out[0])
	}
}

// padded builds the model's two inputs for texts, as a caller would: each
// sentence's rows, padded to the longest, with weights 1/n and 0 for padding.
func padded(m *sentence.Model, texts []string) ([][]int64, [][]float32) {
	rows := make([][]int64, len(texts))
	width := 0
	for i, s := range texts {
		rows[i] = m.Features().Rows(sentence.Words(s))
		width = max(width, len(rows[i]))
	}
	ids := make([][]int64, len(texts))
	weights := make([][]float32, len(texts))
	for i, r := range rows {
		ids[i], weights[i] = make([]int64, width), make([]float32, width)
		copy(ids[i], r)
		for j := range r {
			weights[i][j] = 1 / float32(len(r))
		}
	}
	return ids, weights
}

// heldOut returns up to n held-out sentences of the parallel corpus.
func heldOut(tb testing.TB, n int) []string {
	tb.Helper()
	ps, err := pairs.Load(os.DirFS("../pairs"), ".")
	if err != nil {
		tb.Fatal(err)
	}
	var texts []string
	for _, p := range ps {
		if p.Split() == "test" && len(texts) < n {
			texts = append(texts, p.Loaded, p.Neutral)
		}
	}
	return texts
}

// TestAgainstFullRuntime runs the shipped model file in a full ONNX runtime,
// onnx-gomlx, and checks that our evaluator gives the same probabilities,
// to 1e-5, on held-out pairs padded into batches as a caller would.
func TestAgainstFullRuntime(t *testing.T) {
	m, err := loaded.Model()
	if err != nil {
		t.Fatal(err)
	}
	run := fullRuntime(t)
	texts := heldOut(t, 128)
	ours, err := m.Score(texts)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for start := 0; start < len(texts); start += 64 {
		batch := texts[start:min(start+64, len(texts))]
		probs := run(padded(m, batch))
		if len(probs) != 2*len(batch) {
			t.Fatalf("onnx-gomlx gave %d values for %d sentences", len(probs), len(batch))
		}
		for i := range batch {
			if math.IsNaN(ours[start+i]) {
				continue // too short for us to score
			}
			worst = max(worst, math.Abs(float64(probs[2*i+1])-ours[start+i]))
		}
	}
	if worst > 1e-5 {
		t.Errorf("our evaluator and onnx-gomlx differ by up to %g", worst)
	}
	t.Logf("%d sentences, largest difference %g", len(texts), worst)
}

// BenchmarkRuntimes scores the same 256 held-out sentences with our
// evaluator (features included) and with onnx-gomlx (one padded batch, its
// graph compiled before the loop).
func BenchmarkRuntimes(b *testing.B) {
	m, err := loaded.Model()
	if err != nil {
		b.Fatal(err)
	}
	texts := heldOut(b, 256)
	b.Run("ours", func(b *testing.B) {
		for b.Loop() {
			if _, err := m.Score(texts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("onnx-gomlx", func(b *testing.B) {
		run := fullRuntime(b)
		ids, weights := padded(m, texts)
		run(ids, weights) // compiles the graph for this shape
		for b.Loop() {
			run(ids, weights)
		}
	})
}
