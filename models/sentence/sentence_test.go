package sentence

import (
	"bytes"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func TestWords(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"L'immigration  coûte 12,5 milliards !", []string{"l", "immigration", "coûte", "00", "0", "milliards"}},
		{"So-called EXPERTS say…", []string{"so", "called", "experts", "say"}},
		{"Cafe\u0301 au lait", []string{"cafe\u0301", "au", "lait"}},
		{"!!! …", nil},
	} {
		if got := Words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRows(t *testing.T) {
	f := Features{Buckets: 1 << 10, WordNgrams: 2, CharMin: 3, CharMax: 4}
	rows := f.Rows([]string{"ab", "cd"})
	// per word: 1 word + "<ab>" has 2 trigrams and 1 four-gram; then 1 pair
	if len(rows) != 2*(1+2+1)+1 {
		t.Fatalf("%d rows: %v", len(rows), rows)
	}
	for _, r := range rows {
		if r < 0 || r >= 1<<10 {
			t.Fatalf("row %d out of range", r)
		}
	}
	if !slices.Equal(rows, f.Rows([]string{"ab", "cd"})) {
		t.Error("rows are not deterministic")
	}
	// The hash is FNV-1a 64 of "w ab", as features.json says.
	if want := int64(fnv64a("w ab") % (1 << 10)); rows[0] != want {
		t.Errorf("first row %d, want %d", rows[0], want)
	}
}

func fnv64a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// tiny trains a small model on a toy task, quickly.
func tiny(t testing.TB) (*Params, []Example) {
	t.Helper()
	loaded := []string{"those corrupt elites always lie to us", "the so-called experts are clueless frauds", "this disastrous policy is a total scam",
		"everyone knows the regime is rotten", "ces élites corrompues nous mentent toujours", "cette politique désastreuse est une arnaque"}
	neutral := []string{"the council met on tuesday to vote the budget", "the report gives figures for the last five years", "the minister answered questions from members",
		"the agency published its annual statistics", "le conseil s'est réuni mardi pour voter le budget", "le rapport donne les chiffres des cinq dernières années"}
	var ex []Example
	for i := range loaded {
		ex = append(ex, Example{Text: loaded[i], Loaded: true}, Example{Text: neutral[i]})
	}
	cfg := Config{Features: Features{Buckets: 1 << 12, WordNgrams: 2, CharMin: 3, CharMax: 5, MinWords: 3}, Dim: 8, Epochs: 30, Rate: 0.3, Seed: 7}
	return Train(ex, cfg), ex
}

func TestTrainLoadScore(t *testing.T) {
	p, ex := tiny(t)
	data := Encode(p.File("test-model", "a test", 0.6))
	m, err := Load(data)
	if err != nil {
		t.Fatal(err)
	}
	if m.Name() != "test-model" || m.Threshold() != 0.6 || m.Features() != p.Features {
		t.Errorf("metadata: %q %v %+v", m.Name(), m.Threshold(), m.Features())
	}
	texts := make([]string, len(ex))
	for i, e := range ex {
		texts[i] = e.Text
	}
	scores, err := m.Score(append(texts, "too short"))
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range ex {
		if (scores[i] >= 0.5) != e.Loaded {
			t.Errorf("%q: score %.3f, loaded %v", e.Text, scores[i], e.Loaded)
		}
		// The quantised file must agree with the float weights it came from.
		h := make([]float32, p.Dim)
		p.pool(p.Features.Rows(Words(e.Text)), h)
		want := softmax2(p.logits(h))[1]
		if d := math.Abs(scores[i] - float64(want)); d > 0.02 {
			t.Errorf("%q: file scores %.4f, float weights %.4f", e.Text, scores[i], want)
		}
	}
	if !math.IsNaN(scores[len(ex)]) {
		t.Errorf("a two-word sentence scored %v, want NaN", scores[len(ex)])
	}
}

func TestTrainingIsReproducible(t *testing.T) {
	a, _ := tiny(t)
	b, _ := tiny(t)
	if !bytes.Equal(Encode(a.File("m", "", 0.5)), Encode(b.File("m", "", 0.5))) {
		t.Error("two trainings on the same data gave different files")
	}
}

func TestDecodeRoundTrip(t *testing.T) {
	p, _ := tiny(t)
	f := p.File("m", "doc", 0.5)
	g, err := Decode(Encode(f))
	if err != nil {
		t.Fatal(err)
	}
	// Encode drops zero-valued fields, as protobuf does; compare what matters.
	if g.IRVersion != f.IRVersion || g.Opset != f.Opset || g.Doc != f.Doc || !reflect.DeepEqual(g.Metadata, f.Metadata) {
		t.Errorf("header differs: %+v", g)
	}
	if len(g.Graph.Nodes) != len(f.Graph.Nodes) || len(g.Graph.Initializers) != len(f.Graph.Initializers) {
		t.Fatalf("graph differs")
	}
	for i, n := range g.Graph.Nodes {
		w := f.Graph.Nodes[i]
		if n.Op != w.Op || !slices.Equal(n.Inputs, w.Inputs) || !slices.Equal(n.Outputs, w.Outputs) || n.Attrs["axis"] != w.Attrs["axis"] || n.Attrs["to"] != w.Attrs["to"] {
			t.Errorf("node %d: %+v, want %+v", i, n, w)
		}
	}
	for i, x := range g.Graph.Initializers {
		w := f.Graph.Initializers[i]
		if x.Name != w.Name || !slices.Equal(x.Shape, w.Shape) || !slices.Equal(x.F, w.F) || !slices.Equal(x.I8, w.I8) || !slices.Equal(x.I64, w.I64) {
			t.Errorf("initializer %s differs", w.Name)
		}
	}
	if !bytes.Equal(Encode(g), Encode(f)) {
		t.Error("decoding and encoding again changes the bytes")
	}
}

// TestLoadBadFiles: a damaged or foreign file gives an error, never a
// panic or a hang.
func TestLoadBadFiles(t *testing.T) {
	p, _ := tiny(t)
	good := Encode(p.File("m", "", 0.5))
	cases := map[string][]byte{
		"empty":   {},
		"text":    []byte("this is not a model"),
		"half":    good[:len(good)/2],
		"no meta": Encode(&File{IRVersion: 7, Opset: 13, Graph: p.File("m", "", 0.5).Graph}),
	}
	bad := p.File("m", "", 0.5)
	bad.Graph.Nodes[0].Op = "Conv"
	cases["unknown operator"] = Encode(bad)
	old := p.File("m", "", 0.5)
	old.Opset = 9
	cases["old opset"] = Encode(old)
	th := p.File("m", "", 0.5)
	th.Metadata[2][1] = "high"
	cases["bad threshold"] = Encode(th)
	for name, data := range cases {
		if _, err := Load(data); err == nil {
			t.Errorf("%s: no error", name)
		} else if !errors.Is(err, ErrFormat) {
			t.Errorf("%s: error %v does not wrap ErrFormat", name, err)
		}
	}
	// Random damage anywhere in the file.
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 300; i++ {
		d := bytes.Clone(good)
		for j := 0; j < 1+rng.IntN(8); j++ {
			d[rng.IntN(len(d))] = byte(rng.IntN(256))
		}
		if m, err := Load(d); err == nil {
			// A file that still loads must score or fail cleanly.
			m.Score([]string{"the so-called experts are clueless frauds again"})
		}
	}
}

func TestEvaluatorOperators(t *testing.T) {
	f := func(shape []int, v ...float32) *Tensor { return &Tensor{Type: Float, Shape: shape, F: v} }
	node := func(op string, attrs map[string]int64) *Node { return &Node{Op: op, Attrs: attrs} }
	// [2,1,2] × [2,2,1] batched
	got, err := matmul(node("MatMul", nil), []*Tensor{f([]int{2, 1, 2}, 1, 2, 3, 4), f([]int{2, 2, 1}, 5, 6, 7, 8)})
	if err != nil || !slices.Equal(got.F, []float32{17, 53}) || !slices.Equal(got.Shape, []int{2, 1, 1}) {
		t.Errorf("matmul: %v %v", got, err)
	}
	got, err = broadcast(nil, []*Tensor{f([]int{2, 2}, 1, 2, 3, 4), f([]int{2}, 10, 20)}, func(a, b float32) float32 { return a + b })
	if err != nil || !slices.Equal(got.F, []float32{11, 22, 13, 24}) {
		t.Errorf("add: %v %v", got, err)
	}
	got, err = reshape(node("Reshape", nil), []*Tensor{f([]int{2, 3}, 1, 2, 3, 4, 5, 6), {Type: Int64, Shape: []int{3}, I64: []int64{0, 1, -1}}})
	if err != nil || !slices.Equal(got.Shape, []int{2, 1, 3}) {
		t.Errorf("reshape: %v %v", got, err)
	}
	got, err = softmax(node("Softmax", map[string]int64{"axis": -1}), []*Tensor{f([]int{1, 2}, 0, 0)})
	if err != nil || got.F[0] != 0.5 {
		t.Errorf("softmax: %v %v", got, err)
	}
	if _, err := gather(node("Gather", nil), []*Tensor{f([]int{2, 1}, 1, 2), {Type: Int64, Shape: []int{1}, I64: []int64{5}}}); err == nil {
		t.Error("gather out of range: no error")
	}
	if _, err := matmul(node("MatMul", nil), []*Tensor{f([]int{1, 2}, 1, 2), f([]int{3, 1}, 1, 2, 3)}); err == nil {
		t.Error("matmul of mismatched shapes: no error")
	}
}
