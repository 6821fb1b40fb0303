package transformer

import (
	"math"
	"strings"
	"testing"

	"vigie"
)

// TestEngineWithTransformer checks a text through the engine with the tiny
// BERT as its sentence scorer: every sentence is scored (threshold 0), the
// marks' offsets cut the input back into those sentences, and each score is
// what the classifier gives that sentence alone.
func TestEngineWithTransformer(t *testing.T) {
	c := loadTiny(t, tinyConfig(), Options{BatchSize: 2})
	rs, err := vigie.Default()
	if err != nil {
		t.Fatal(err)
	}
	sentences := []string{"The nurse is very good.", "Every old man is crazy!", "Le médecin est dans l'équipe.", "This is not normal, they talk and walk."}
	text := "  " + strings.Join(sentences, " ") + "\n"
	rep, err := rs.Check(text, vigie.Options{Lang: "en", Sentences: c.Scorer(0)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.SentenceModel != c.Name() || len(rep.Sentences) != len(sentences) {
		t.Fatalf("model %q, %d marks, want %d: %+v", rep.SentenceModel, len(rep.Sentences), len(sentences), rep.Sentences)
	}
	alone, err := c.Classify(sentences)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range rep.Sentences {
		if text[m.Start:m.End] != sentences[i] || m.Text != sentences[i] {
			t.Errorf("mark %d: offsets %d-%d give %q, want %q", i, m.Start, m.End, text[m.Start:m.End], sentences[i])
		}
		if math.Abs(m.Score-float64(alone[i].Loaded)) > 1e-6 {
			t.Errorf("mark %d: score %v in the report, %v alone", i, m.Score, alone[i].Loaded)
		}
	}
	// With a threshold, only the sentences that reach it are marked.
	th := float64(alone[0].Loaded) + 1e-6
	rep, err = rs.Check(text, vigie.Options{Lang: "en", Sentences: c.Scorer(th)})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for _, p := range alone {
		if float64(p.Loaded) >= th {
			want++
		}
	}
	if len(rep.Sentences) != want {
		t.Errorf("threshold %v: %d marks, want %d", th, len(rep.Sentences), want)
	}
}
