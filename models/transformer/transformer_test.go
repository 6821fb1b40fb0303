package transformer

import (
	"bytes"
	"context"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// loadTiny writes the tiny model with the given config and loads it.
func loadTiny(t *testing.T, config map[string]any, opts Options) *Classifier {
	t.Helper()
	dir := t.TempDir()
	writeTinyBERTTo(t, dir, config)
	c, err := Load(dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Error(err)
		}
	})
	return c
}

// sampleTexts returns n distinct texts of 1 to 40 words drawn from the
// vocabulary, with some accents, capitals and unknown words.
func sampleTexts(n int) []string {
	r := rand.New(rand.NewPCG(7, 11))
	words := append(slices.Clone(tinyVocab[5:]), "Élève", "très", "École", "Nurse", "zebra", "walked", "quickly")
	var texts []string
	seen := map[string]bool{}
	for len(texts) < n {
		count := 1 + r.IntN(40)
		var b strings.Builder
		for i := range count {
			w := words[r.IntN(len(words))]
			if strings.HasPrefix(w, "##") {
				w = "work" + w[2:]
			}
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
		if text := b.String(); !seen[text] {
			seen[text] = true
			texts = append(texts, text)
		}
	}
	return texts
}

// The tokenizer as the model uses it: sugarme reading tokenizer.json, with
// Load's fixes.
func TestTokenizer(t *testing.T) {
	c := loadTiny(t, tinyConfig(), Options{})
	tests := []struct {
		text   string
		tokens []string
	}{
		{"Hello, World!", []string{"hello", ",", "world", "!"}},
		{"walked quickly", []string{"walk", "##ed", "quick", "##ly"}},
		{"Élève très INFIRMIÈRE", []string{"eleve", "tres", "infirmiere"}},
		{"l'école", []string{"[UNK]", "'", "ecole"}},
		{"xyzzy", []string{"[UNK]"}},
		{"", nil},
	}
	for _, tt := range tests {
		enc, err := c.tokenizer.EncodeSingle(tt.text, true)
		if err != nil {
			t.Fatalf("%q: %v", tt.text, err)
		}
		wantTokens := append(append([]string{"[CLS]"}, tt.tokens...), "[SEP]")
		var wantIDs []int
		for _, tok := range wantTokens {
			wantIDs = append(wantIDs, slices.Index(tinyVocab, tok))
		}
		if !slices.Equal(enc.Tokens, wantTokens) || !slices.Equal(enc.Ids, wantIDs) {
			t.Errorf("%q: got %v %v, want %v %v", tt.text, enc.Tokens, enc.Ids, wantTokens, wantIDs)
		}
	}
}

// Uncased BERT tokenizers write "strip_accents": null, which means "strip
// when lowercasing" in Hugging Face's tokenizers.
func TestTokenizerStripAccentsNull(t *testing.T) {
	dir := writeTinyBERT(t)
	tok := tinyTokenizer()
	tok["normalizer"].(map[string]any)["strip_accents"] = nil
	if err := os.WriteFile(filepath.Join(dir, "tokenizer.json"), mustJSON(t, tok), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	enc, err := c.tokenizer.EncodeSingle("Élève", true)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"[CLS]", "eleve", "[SEP]"}; !slices.Equal(enc.Tokens, want) {
		t.Errorf("got %v, want %v", enc.Tokens, want)
	}
}

func TestLabelsAndName(t *testing.T) {
	c := loadTiny(t, tinyConfig(), Options{})
	if got, want := c.Labels(), []string{"neutral", "loaded"}; !slices.Equal(got, want) {
		t.Errorf("Labels() = %v, want %v", got, want)
	}
	if got, want := c.LoadedLabels(), []string{"loaded"}; !slices.Equal(got, want) {
		t.Errorf("LoadedLabels() = %v, want %v", got, want)
	}
	if got, want := c.Name(), "vigie/tiny-bert-test"; got != want {
		t.Errorf("Name() = %q, want %q", got, want)
	}

	// A local path in _name_or_path gives way to the folder's name.
	config := tinyConfig()
	config["_name_or_path"] = "/home/someone/checkpoints/run-3"
	dir := filepath.Join(t.TempDir(), "my-model")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	writeTinyBERTTo(t, dir, config)
	c2, err := Load(dir, Options{Loaded: []string{"neutral"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close()
	if got := c2.Name(); got != "my-model" {
		t.Errorf("Name() = %q, want my-model", got)
	}
	if got := c2.LoadedLabels(); !slices.Equal(got, []string{"neutral"}) {
		t.Errorf("LoadedLabels() = %v, want [neutral]", got)
	}
}

func TestPredictions(t *testing.T) {
	c := loadTiny(t, tinyConfig(), Options{})
	preds, err := c.Classify(sampleTexts(40))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, p := range preds {
		if len(p.Scores) != 2 {
			t.Fatalf("text %d: %d scores", i, len(p.Scores))
		}
		sum := p.Scores[0] + p.Scores[1]
		if math.Abs(float64(sum)-1) > 1e-5 {
			t.Errorf("text %d: scores %v add up to %v", i, p.Scores, sum)
		}
		want := "neutral"
		if p.Scores[1] > p.Scores[0] {
			want = "loaded"
		}
		if p.Label != want {
			t.Errorf("text %d: label %q for scores %v", i, p.Label, p.Scores)
		}
		if p.Loaded != p.Scores[1] {
			t.Errorf("text %d: Loaded %v, want the loaded score %v", i, p.Loaded, p.Scores[1])
		}
		seen[p.Label] = true
	}
	// The weights are drawn so that both labels occur; otherwise the
	// argmax check above would prove little.
	if !seen["neutral"] || !seen["loaded"] {
		t.Errorf("labels seen: %v; want both", seen)
	}
}

func TestEmptyInput(t *testing.T) {
	c := loadTiny(t, tinyConfig(), Options{})
	preds, err := c.Classify(nil)
	if err != nil || len(preds) != 0 {
		t.Errorf("Classify(nil) = %v, %v; want no predictions, no error", preds, err)
	}
	preds, err = c.Classify([]string{"", "   ", "\xff\xfe not utf-8"})
	if err != nil || len(preds) != 3 {
		t.Errorf("Classify(empty and odd texts) = %v, %v", preds, err)
	}
}

// Padding must not change a text's scores: each text of a batch is padded
// to the batch's longest and to the shape buckets, and the attention mask
// has to hide the padding. Distinct texts have distinct scores, so results
// out of order would show.
func TestBatchingMatchesOneByOne(t *testing.T) {
	texts := sampleTexts(70)
	c := loadTiny(t, tinyConfig(), Options{BatchSize: 8})
	batched, err := c.Classify(texts)
	if err != nil {
		t.Fatal(err)
	}
	if len(batched) != len(texts) {
		t.Fatalf("%d predictions for %d texts", len(batched), len(texts))
	}
	for i, text := range texts {
		alone, err := c.Classify([]string{text})
		if err != nil {
			t.Fatal(err)
		}
		for j := range alone[0].Scores {
			if d := math.Abs(float64(alone[0].Scores[j] - batched[i].Scores[j])); d > 1e-5 {
				t.Errorf("text %d: batched scores %v, alone %v", i, batched[i].Scores, alone[0].Scores)
				break
			}
		}
	}
	loaded := make([]float64, len(batched))
	for i, p := range batched {
		loaded[i] = float64(p.Loaded)
	}
	slices.Sort(loaded)
	for i := 1; i < len(loaded); i++ {
		if loaded[i]-loaded[i-1] < 1e-6 {
			t.Fatalf("two texts have the same score %v: the order check proves nothing", loaded[i])
		}
	}
}

// hugot's scores must be those of the textbook BERT computed in Go from the
// same weights, one text at a time without padding. The second config names
// an eos_token_id, which made hugot pad input_ids on the left (see open).
func TestMatchesReference(t *testing.T) {
	withEOS := tinyConfig()
	withEOS["eos_token_id"] = tinySepID
	multi := tinyConfig()
	multi["problem_type"] = "multi_label_classification"
	for name, config := range map[string]map[string]any{"plain": tinyConfig(), "eos_token_id": withEOS, "multi-label": multi} {
		t.Run(name, func(t *testing.T) {
			texts := sampleTexts(12)
			c := loadTiny(t, config, Options{BatchSize: 5})
			preds, err := c.Classify(texts)
			if err != nil {
				t.Fatal(err)
			}
			m := newTinyBERT()
			for i, text := range texts {
				enc, err := c.tokenizer.EncodeSingle(text, true)
				if err != nil {
					t.Fatal(err)
				}
				logits := m.logits(enc.Ids)
				var want []float64
				if name == "multi-label" {
					for _, l := range logits {
						want = append(want, 1/(1+math.Exp(-l)))
					}
				} else {
					want = softmax64(logits)
				}
				for j := range want {
					if d := math.Abs(want[j] - float64(preds[i].Scores[j])); d > 1e-4 {
						t.Errorf("text %d %q: scores %v, reference %v", i, text, preds[i].Scores, want)
						break
					}
				}
				wantLoaded := float32(want[1])
				if math.Abs(float64(preds[i].Loaded-wantLoaded)) > 1e-4 {
					t.Errorf("text %d: Loaded %v, want %v", i, preds[i].Loaded, wantLoaded)
				}
			}
		})
	}
}

// A text past the model's 64 positions is cut to its first 62 tokens plus
// [CLS] and [SEP], as Hugging Face's tokenizer does, whether tokenizer.json
// asks for truncation or not (exports often leave it out).
func TestTruncation(t *testing.T) {
	words := []string{"the", "nurse", "and", "doctor", "talk", "to", "old", "people"}
	var long []string
	for i := range 5000 {
		long = append(long, words[i%len(words)])
	}
	texts := []string{strings.Join(long, " "), strings.Join(long[:tinyMaxPos-2], " ")}
	for _, truncation := range []bool{true, false} {
		dir := writeTinyBERT(t)
		if !truncation {
			tok := tinyTokenizer()
			tok["truncation"] = nil
			write(t, dir, "tokenizer.json", mustJSON(t, tok))
		}
		c, err := Load(dir, Options{})
		if err != nil {
			t.Fatal(err)
		}
		preds, err := c.Classify(texts)
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		for j := range preds[0].Scores {
			if d := math.Abs(float64(preds[0].Scores[j] - preds[1].Scores[j])); d > 1e-5 {
				t.Errorf("truncation in tokenizer.json %v: 5,000 words: scores %v; first %d words: %v",
					truncation, preds[0].Scores, tinyMaxPos-2, preds[1].Scores)
			}
		}
	}
}

// Without max_position_embeddings the limit is a guess (512 tokens), too
// many for the tiny model's 64 positions: the result may be wrong, but it
// must be an answer or an error, not a crash.
func TestUnknownLimitDoesNotCrash(t *testing.T) {
	dir := writeTinyBERT(t)
	config := tinyConfig()
	delete(config, "max_position_embeddings")
	write(t, dir, "config.json", mustJSON(t, config))
	tok := tinyTokenizer()
	tok["truncation"] = nil
	write(t, dir, "tokenizer.json", mustJSON(t, tok))
	c, err := Load(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Classify([]string{strings.Repeat("the nurse ", 300)})
	t.Logf("300 words past 64 positions: error %v", err)
}

func TestLoadErrors(t *testing.T) {
	// Each case gets a fresh, valid model folder and breaks it.
	tests := []struct {
		name    string
		opts    Options
		breakIt func(t *testing.T, dir string) string // returns the folder to load
		want    string
	}{
		{name: "missing folder", want: "no such file", breakIt: func(t *testing.T, dir string) string {
			return filepath.Join(dir, "absent")
		}},
		{name: "a file, not a folder", want: "not a folder", breakIt: func(t *testing.T, dir string) string {
			return filepath.Join(dir, "config.json")
		}},
		{name: "no model.onnx", want: "no model.onnx", breakIt: func(t *testing.T, dir string) string {
			remove(t, dir, "model.onnx")
			return dir
		}},
		{name: "two onnx files, no model.onnx", want: "several .onnx files", breakIt: func(t *testing.T, dir string) string {
			rename(t, dir, "model.onnx", "a.onnx")
			write(t, dir, "b.onnx", []byte("x"))
			return dir
		}},
		{name: "no tokenizer.json", want: "missing tokenizer.json", breakIt: func(t *testing.T, dir string) string {
			remove(t, dir, "tokenizer.json")
			return dir
		}},
		{name: "no config.json", want: "missing config.json", breakIt: func(t *testing.T, dir string) string {
			remove(t, dir, "config.json")
			return dir
		}},
		{name: "config.json not JSON", want: "config.json is not valid", breakIt: func(t *testing.T, dir string) string {
			write(t, dir, "config.json", []byte("{"))
			return dir
		}},
		{name: "config.json without id2label", want: "no id2label", breakIt: func(t *testing.T, dir string) string {
			config := tinyConfig()
			delete(config, "id2label")
			write(t, dir, "config.json", mustJSON(t, config))
			return dir
		}},
		{name: "id2label with a gap", want: "not one of 0 to 1", breakIt: func(t *testing.T, dir string) string {
			config := tinyConfig()
			config["id2label"] = map[string]string{"0": "neutral", "2": "loaded"}
			write(t, dir, "config.json", mustJSON(t, config))
			return dir
		}},
		{name: "more labels than logits", opts: Options{Loaded: []string{"loaded"}}, want: "id2label", breakIt: func(t *testing.T, dir string) string {
			config := tinyConfig()
			config["id2label"] = map[string]string{"0": "neutral", "1": "loaded", "2": "other"}
			write(t, dir, "config.json", mustJSON(t, config))
			return dir
		}},
		{name: "three labels, none named loaded", want: "name the loaded ones", breakIt: func(t *testing.T, dir string) string {
			config := tinyConfig()
			config["id2label"] = map[string]string{"0": "neutral", "1": "loaded", "2": "other"}
			write(t, dir, "config.json", mustJSON(t, config))
			return dir
		}},
		{name: "unknown loaded label", opts: Options{Loaded: []string{"biased"}}, want: `"biased" is not a label`,
			breakIt: func(t *testing.T, dir string) string { return dir }},
		{name: "negative batch size", opts: Options{BatchSize: -1}, want: "BatchSize",
			breakIt: func(t *testing.T, dir string) string { return dir }},
		{name: "model.onnx random bytes", want: "loading model.onnx", breakIt: func(t *testing.T, dir string) string {
			r := rand.New(rand.NewPCG(1, 2))
			junk := make([]byte, 4096)
			for i := range junk {
				junk[i] = byte(r.UintN(256))
			}
			write(t, dir, "model.onnx", junk)
			return dir
		}},
		{name: "model.onnx cut short", want: "loading model.onnx", breakIt: func(t *testing.T, dir string) string {
			data, err := os.ReadFile(filepath.Join(dir, "model.onnx"))
			if err != nil {
				t.Fatal(err)
			}
			write(t, dir, "model.onnx", data[:len(data)/2])
			return dir
		}},
		{name: "model.onnx empty", want: "model.onnx is empty", breakIt: func(t *testing.T, dir string) string {
			write(t, dir, "model.onnx", nil)
			return dir
		}},
		{name: "model.onnx without a graph", want: "loading model.onnx", breakIt: func(t *testing.T, dir string) string {
			write(t, dir, "model.onnx", appendVarintField(nil, 1, 7)) // ir_version only
			return dir
		}},
		{name: "an operator GoMLX lacks", want: "Sigmoid", breakIt: func(t *testing.T, dir string) string {
			write(t, dir, "model.onnx", sigmoidModel())
			return dir
		}},
		{name: "tokenizer.json not a tokenizer", want: "tokenizer.json:", breakIt: func(t *testing.T, dir string) string {
			write(t, dir, "tokenizer.json", []byte(`{"model": {"type": "WordPiece"}}`))
			return dir
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := writeTinyBERT(t)
			c, err := Load(tt.breakIt(t, dir), tt.opts)
			if err == nil {
				c.Close()
				t.Fatalf("Load succeeded; want an error containing %q", tt.want)
			}
			t.Log(err) // go test -v shows the messages a user would see
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q; want it to contain %q", err, tt.want)
			}
		})
	}
}

func remove(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, name)); err != nil {
		t.Fatal(err)
	}
}

func rename(t *testing.T, dir, from, to string) {
	t.Helper()
	if err := os.Rename(filepath.Join(dir, from), filepath.Join(dir, to)); err != nil {
		t.Fatal(err)
	}
}

func write(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestClose(t *testing.T) {
	c, err := Load(writeTinyBERT(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := c.Classify([]string{"hello"}); err == nil {
		t.Error("Classify after Close succeeded")
	}
}

func TestTinyModelIsDeterministic(t *testing.T) {
	a, b := writeTinyBERT(t), writeTinyBERT(t)
	for _, name := range []string{"model.onnx", "tokenizer.json", "config.json"} {
		da, err := os.ReadFile(filepath.Join(a, name))
		if err != nil {
			t.Fatal(err)
		}
		db, err := os.ReadFile(filepath.Join(b, name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(da, db) {
			t.Errorf("%s differs between two writes", name)
		}
	}
}

// The stock simplego backend deadlocks when the process may use one CPU
// (init explains why). Run the batching test again pinned to one CPU, in a
// child process, where taskset exists and is allowed.
func TestOneCPUDoesNotHang(t *testing.T) {
	if os.Getenv("VIGIE_TRANSFORMER_CHILD") != "" {
		t.Skip("already in the child process")
	}
	taskset, err := exec.LookPath("taskset")
	if err != nil {
		t.Skip("taskset not installed")
	}
	if testing.Short() {
		t.Skip("short mode")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, taskset, "-c", "0", os.Args[0],
		"-test.run=^(TestBatchingMatchesOneByOne|TestMatchesReference)$", "-test.count=1")
	cmd.Env = append(os.Environ(), "VIGIE_TRANSFORMER_CHILD=1")
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("pinned to one CPU, the model hung (killed after 2 minutes):\n%s", out)
	}
	if err != nil {
		if strings.Contains(string(out), "sched_setaffinity") {
			t.Skipf("taskset not allowed here: %s", out)
		}
		t.Fatalf("pinned to one CPU: %v\n%s", err, out)
	}
}

// sigmoidModel is a small valid ONNX classifier that ends in Sigmoid, an
// operator onnx-gomlx v0.3.4 does not convert.
func sigmoidModel() []byte {
	g := &onnxGraph{}
	r := rand.New(rand.NewPCG(3, 4))
	w := tensor{dims: []int64{int64(len(tinyVocab)), 2}, data: make([]float32, 2*len(tinyVocab))}
	for i := range w.data {
		w.data[i] = float32(r.NormFloat64())
	}
	g.initializers = append(g.initializers, floatTensorProto("w", w))
	emb := g.node("Gather", []string{"w", "input_ids"})
	first := g.node("Gather", []string{emb, g.constInt64s(nil, 0)}, intAttr("axis", 1))
	out := g.node("Sigmoid", []string{first})
	g.nodes = append(g.nodes, nodeProto("Identity", "out", []string{out}, []string{"logits"}))
	return modelProto(graphProto("sigmoid", g.nodes, g.initializers,
		[][]byte{valueInfo("input_ids", onnxInt64, "batch", "sequence")},
		[][]byte{valueInfo("logits", onnxFloat, "batch", 2)}))
}

// BenchmarkLoad measures Load on the tiny model, the first model call
// (the graph's compilation) included.
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	writeTinyBERTTo(b, dir, tinyConfig())
	for b.Loop() {
		c, err := Load(dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

// BenchmarkClassify32 classifies a batch of 32 texts of 1 to 40 words; the
// shapes are compiled before the timer starts.
func BenchmarkClassify32(b *testing.B) {
	dir := b.TempDir()
	writeTinyBERTTo(b, dir, tinyConfig())
	c, err := Load(dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	texts := sampleTexts(32)
	if _, err := c.Classify(texts); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := c.Classify(texts); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(texts)), "µs/text")
}
