package transformer

import "vigie"

// Scorer returns c as a vigie.SentenceScorer that marks sentences whose
// loaded score reaches threshold: `vigie check --model DIR` checks with it.
func (c *Classifier) Scorer(threshold float64) vigie.SentenceScorer {
	return scorer{c, threshold}
}

type scorer struct {
	c         *Classifier
	threshold float64
}

func (s scorer) Name() string       { return s.c.Name() }
func (s scorer) Threshold() float64 { return s.threshold }

func (s scorer) Score(sentences []string) ([]float64, error) {
	preds, err := s.c.Classify(sentences)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(preds))
	for i, p := range preds {
		out[i] = float64(p.Loaded)
	}
	return out, nil
}
