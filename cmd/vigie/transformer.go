package main

import (
	"vigie"
	"vigie/models/transformer"
)

// loadTransformer loads a Hugging Face text-classification model from dir;
// its scores mark sentences from threshold.
func loadTransformer(dir string, threshold float64) (vigie.SentenceScorer, func(), error) {
	c, err := transformer.Load(dir, transformer.Options{})
	if err != nil {
		return nil, func() {}, err
	}
	return c.Scorer(threshold), func() { c.Close() }, nil
}
