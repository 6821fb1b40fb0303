package vigie

import (
	"fmt"
	"math"
	"strings"

	"vigie/text"
)

// SentenceScorer scores whole sentences: for each, the probability that
// its wording is loaded rather than neutral, or NaN when it cannot say (a
// sentence too short, for instance). The engine marks the sentences whose
// score reaches Threshold. models/sentence (the small model that ships with
// Vigie) and models/transformer (a model of your own) implement it.
type SentenceScorer interface {
	// Name names the model and its version, as shown with its marks.
	Name() string
	// Threshold is the score from which a sentence is marked.
	Threshold() float64
	// Score scores the sentences, in order.
	Score(sentences []string) ([]float64, error)
}

// WithThreshold returns sc with another threshold.
func WithThreshold(sc SentenceScorer, t float64) SentenceScorer { return thresholded{sc, t} }

type thresholded struct {
	SentenceScorer
	t float64
}

func (t thresholded) Threshold() float64 { return t.t }

// SentenceMark is a sentence that a SentenceScorer judged loaded. It is a
// claim about the sentence as a whole, never about one of its words.
type SentenceMark struct {
	Start   int     `json:"start"` // byte offset in the input
	End     int     `json:"end"`   // byte offset in the input, exclusive
	Start16 int     `json:"start16"`
	End16   int     `json:"end16"`
	Text    string  `json:"text"`
	Score   float64 `json:"score"` // from Threshold to 1
	// Quoted is true when most words of the sentence are inside quotation
	// marks: the wording may be the speaker's, as with quoted findings.
	// Speaker names who is quoted, when the text says so.
	Quoted  bool   `json:"quoted"`
	Speaker string `json:"speaker,omitempty"`
}

// markSentences scores every sentence of doc and returns those at or above
// the scorer's threshold, with offsets into the original input.
func markSentences(sc SentenceScorer, doc *text.Doc, norm text.Normalized, input string) ([]SentenceMark, error) {
	spans := make([]text.Span, 0, len(doc.Sentences))
	texts := make([]string, 0, len(doc.Sentences))
	index := make([]int, 0, len(doc.Sentences)) // in doc.Sentences
	// quote[i] is the quotation holding most words of sentence i, or -1.
	quote := make([]int, len(doc.Sentences))
	words := make([]int, len(doc.Sentences))
	inQuote := make([]int, len(doc.Sentences))
	for i := range quote {
		quote[i] = -1
	}
	for _, t := range doc.Tokens {
		words[t.Sentence]++
		if t.Quote >= 0 {
			inQuote[t.Sentence]++
			quote[t.Sentence] = t.Quote
		}
	}
	for i := range quote {
		if 2*inQuote[i] <= words[i] {
			quote[i] = -1
		}
	}
	for i, sp := range doc.Sentences {
		start := norm.Original(sp.Start, false)
		end := norm.Original(sp.End, true)
		// Trim the spaces and line breaks a sentence span ends with.
		s := input[start:end]
		trimmed := strings.TrimRight(s, " \t\r\n\u00a0")
		lead := len(trimmed) - len(strings.TrimLeft(trimmed, " \t\r\n\u00a0"))
		if strings.TrimSpace(trimmed) == "" {
			continue
		}
		spans = append(spans, text.Span{Start: start + lead, End: start + len(trimmed)})
		texts = append(texts, trimmed[lead:])
		index = append(index, i)
	}
	scores, err := sc.Score(texts)
	if err != nil {
		return nil, fmt.Errorf("%w %s: %v", ErrModel, sc.Name(), err)
	}
	if len(scores) != len(texts) {
		return nil, fmt.Errorf("%w %s: %d scores for %d sentences", ErrModel, sc.Name(), len(scores), len(texts))
	}
	var marks []SentenceMark
	var offsets []int
	for i, s := range scores {
		if math.IsNaN(s) || s < sc.Threshold() {
			continue
		}
		m := SentenceMark{Start: spans[i].Start, End: spans[i].End, Text: texts[i], Score: s}
		if q := quote[index[i]]; q >= 0 {
			m.Quoted, m.Speaker = true, doc.Quotes[q].Speaker
		}
		marks = append(marks, m)
		offsets = append(offsets, spans[i].Start, spans[i].End)
	}
	u16 := utf16Offsets(input, offsets)
	for i := range marks {
		marks[i].Start16, marks[i].End16 = u16[marks[i].Start], u16[marks[i].End]
	}
	return marks, nil
}
