package main

import (
	"flag"
	"fmt"
	"strconv"

	"vigie"
	"vigie/models/loaded"
)

// modelFlags choose a sentence model: --sentences for the one that ships
// with Vigie, --model DIR for a transformer of your own.
type modelFlags struct {
	sentences bool
	dir       string
	threshold float64
	set       bool // whether --threshold was given
}

func (m *modelFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&m.sentences, "sentences", false, "also score each sentence with Vigie's sentence model and mark those it finds loaded")
	fs.StringVar(&m.dir, "model", "", "score each sentence with a Hugging Face text-classification model exported to ONNX in `DIR` (model.onnx, tokenizer.json, config.json) instead")
	fs.Func("threshold", "mark sentences from this `score`, 0 to 1 (default: the model's own, or 0.5 for --model)", func(v string) error {
		t, err := strconv.ParseFloat(v, 64)
		if err != nil || t < 0 || t > 1 {
			return fmt.Errorf("want a score from 0 to 1")
		}
		m.threshold, m.set = t, true
		return nil
	})
}

// load returns the chosen scorer (nil when none) and a function that
// releases it.
func (m *modelFlags) load() (vigie.SentenceScorer, func(), error) {
	noop := func() {}
	if m.dir != "" {
		if m.sentences {
			return nil, noop, fmt.Errorf("--sentences and --model choose different models; give one")
		}
		t := 0.5
		if m.set {
			t = m.threshold
		}
		return loadTransformer(m.dir, t)
	}
	if !m.sentences {
		if m.set {
			return nil, noop, fmt.Errorf("--threshold needs --sentences or --model")
		}
		return nil, noop, nil
	}
	sm, err := loaded.Model()
	if err != nil {
		return nil, noop, err
	}
	if !m.set {
		return sm, noop, nil
	}
	return vigie.WithThreshold(sm, m.threshold), noop, nil
}
