package loaded

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"vigie"
	"vigie/models/sentence"
)

// TestFilesAgree: the model file, its sidecar and its metrics describe the
// same model.
func TestFilesAgree(t *testing.T) {
	m, err := Model()
	if err != nil {
		t.Fatal(err)
	}
	var side struct {
		Model    string            `json:"model"`
		Features sentence.Features `json:"features"`
	}
	if err := json.Unmarshal(Features, &side); err != nil {
		t.Fatalf("features.json: %v", err)
	}
	if side.Model != m.Name() || side.Features != m.Features() {
		t.Errorf("features.json says %s %+v, the model %s %+v", side.Model, side.Features, m.Name(), m.Features())
	}
	met, err := ReadMetrics()
	if err != nil {
		t.Fatalf("metrics.json: %v", err)
	}
	if met.Model != m.Name() || met.Threshold != m.Threshold() || met.Bytes != len(ONNX) {
		t.Errorf("metrics.json is for %s (threshold %v, %d bytes), the model is %s (%v, %d bytes): run make model",
			met.Model, met.Threshold, met.Bytes, m.Name(), m.Threshold(), len(ONNX))
	}
	if m.Threshold() <= 0.5 || m.Threshold() >= 1 {
		t.Errorf("threshold %v", m.Threshold())
	}
	if len(ONNX) > 1<<20 {
		t.Errorf("the model is %d bytes, over 1 MB", len(ONNX))
	}
}

// TestEngineMarks checks a text through the engine with the model: marks
// cover whole sentences, with offsets into the input.
func TestEngineMarks(t *testing.T) {
	m, rs := modelAndRules(t)
	text := "  Le conseil municipal s'est réuni mardi soir.\n\nCes élites arrogantes méprisent les gens ordinaires et se gavent sur leur dos. Bref."
	rep, err := rs.Check(text, vigie.Options{Sentences: vigie.WithThreshold(m, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.SentenceModel != m.Name() || len(rep.Sentences) != 2 {
		t.Fatalf("model %q, %d marks (want 2: the short one is not scored): %+v", rep.SentenceModel, len(rep.Sentences), rep.Sentences)
	}
	for _, s := range rep.Sentences {
		if text[s.Start:s.End] != s.Text || strings.TrimSpace(s.Text) != s.Text {
			t.Errorf("mark %d-%d: %q vs %q", s.Start, s.End, text[s.Start:s.End], s.Text)
		}
	}
	if rep.Sentences[1].Score <= rep.Sentences[0].Score {
		t.Errorf("the loaded sentence scores %.3f, the neutral one %.3f", rep.Sentences[1].Score, rep.Sentences[0].Score)
	}
}

func BenchmarkScore10k(b *testing.B) {
	data, err := os.ReadFile("../../testdata/corpus/sotu-2002-2021.txt")
	if err != nil {
		b.Fatal(err)
	}
	words := strings.Fields(string(data))[:10_000]
	m, rs := modelAndRules(b)
	text := strings.Join(words, " ")
	for _, model := range []bool{false, true} {
		name := "rules"
		opts := vigie.Options{Lang: "en"}
		if model {
			name, opts.Sentences = "rules+sentences", m
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := rs.Check(text, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkModelOnly scores the sentences of 10,000 words, without the rules.
func BenchmarkModelOnly(b *testing.B) {
	data, err := os.ReadFile("../../testdata/corpus/sotu-2002-2021.txt")
	if err != nil {
		b.Fatal(err)
	}
	words := strings.Fields(string(data))[:10_000]
	var sentences []string
	start := 0
	for i, w := range words {
		if strings.HasSuffix(w, ".") || i == len(words)-1 {
			sentences = append(sentences, strings.Join(words[start:i+1], " "))
			start = i + 1
		}
	}
	m, err := Model()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(len(sentences)), "sentences")
	for b.Loop() {
		if _, err := m.Score(sentences); err != nil {
			b.Fatal(err)
		}
	}
}

// TestQuotedSentence: a sentence mostly inside quotation marks is marked as
// quoted, as findings are; the others are not.
func TestQuotedSentence(t *testing.T) {
	m, rs := modelAndRules(t)
	text := `The senator said: "These greedy corporations are shamelessly robbing hard-working families." The council met on Tuesday to vote on the budget.`
	rep, err := rs.Check(text, vigie.Options{Lang: "en", Sentences: vigie.WithThreshold(m, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Sentences) != 2 || !rep.Sentences[0].Quoted || rep.Sentences[1].Quoted {
		t.Fatalf("marks: %+v", rep.Sentences)
	}
}

// modelAndRules loads the model and the default rules.
func modelAndRules(tb testing.TB) (*sentence.Model, *vigie.Ruleset) {
	tb.Helper()
	m, err := Model()
	if err != nil {
		tb.Fatal(err)
	}
	rs, err := vigie.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return m, rs
}
