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

// TestAgainstFullRuntime runs the shipped model file in a full ONNX runtime,
// onnx-gomlx (GoMLX's pure-Go backend, the one hugot uses), and checks that
// our evaluator gives the same probabilities, to 1e-5, on held-out pairs
// padded into batches as a caller would.
func TestAgainstFullRuntime(t *testing.T) {
	m, err := loaded.Model()
	if err != nil {
		t.Fatal(err)
	}
	full, err := onnx.Parse(loaded.ONNX)
	if err != nil {
		t.Fatalf("onnx-gomlx cannot read the model: %v", err)
	}
	ctx := context.New()
	if err := full.VariablesToContext(ctx); err != nil {
		t.Fatal(err)
	}
	// One op at a time: simplego's parallel ops can deadlock on one CPU.
	backend, err := simplego.New("ops_sequential")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := pairs.Load(os.DirFS("../pairs"), ".")
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, p := range ps {
		if p.Split() == "test" && len(texts) < 128 {
			texts = append(texts, p.Loaded, p.Neutral)
		}
	}
	ours, err := m.Score(texts)
	if err != nil {
		t.Fatal(err)
	}
	worst := 0.0
	for start := 0; start < len(texts); start += 64 {
		batch := texts[start:min(start+64, len(texts))]
		rows := make([][]int64, len(batch))
		width := 0
		for i, s := range batch {
			rows[i] = m.Features().Rows(sentence.Words(s))
			width = max(width, len(rows[i]))
		}
		ids := make([][]int64, len(batch))
		weights := make([][]float32, len(batch))
		for i, r := range rows {
			ids[i] = make([]int64, width)
			weights[i] = make([]float32, width)
			copy(ids[i], r)
			for j := range r {
				weights[i][j] = 1 / float32(len(r))
			}
		}
		out, err := context.ExecOnce(backend, ctx, func(ctx *context.Context, ids, weights *graph.Node) *graph.Node {
			return full.CallGraph(ctx, ids.Graph(), map[string]*graph.Node{sentence.InputRows: ids, sentence.InputWeights: weights})[0]
		}, ids, weights)
		if err != nil {
			t.Fatalf("onnx-gomlx: %v", err)
		}
		probs := tensors.MustCopyFlatData[float32](out)
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

// BenchmarkRuntimes scores the same 256 held-out sentences (one padded batch)
// with our evaluator and with onnx-gomlx, whose graph is compiled once
// before the loop.
func BenchmarkRuntimes(b *testing.B) {
	m, err := loaded.Model()
	if err != nil {
		b.Fatal(err)
	}
	ps, err := pairs.Load(os.DirFS("../pairs"), ".")
	if err != nil {
		b.Fatal(err)
	}
	var texts []string
	for _, p := range ps {
		if p.Split() == "test" && len(texts) < 256 {
			texts = append(texts, p.Loaded, p.Neutral)
		}
	}
	b.Run("ours", func(b *testing.B) {
		for b.Loop() {
			if _, err := m.Score(texts); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("onnx-gomlx", func(b *testing.B) {
		full, err := onnx.Parse(loaded.ONNX)
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.New()
		if err := full.VariablesToContext(ctx); err != nil {
			b.Fatal(err)
		}
		backend, err := simplego.New("ops_sequential")
		if err != nil {
			b.Fatal(err)
		}
		exec, err := context.NewExec(backend, ctx, func(ctx *context.Context, ids, weights *graph.Node) *graph.Node {
			return full.CallGraph(ctx, ids.Graph(), map[string]*graph.Node{sentence.InputRows: ids, sentence.InputWeights: weights})[0]
		})
		if err != nil {
			b.Fatal(err)
		}
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
		if _, err := exec.Exec(ids, weights); err != nil { // compiles the graph
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := exec.Exec(ids, weights); err != nil {
				b.Fatal(err)
			}
		}
	})
}
