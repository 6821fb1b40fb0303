package evaluation

import (
	"bytes"
	"encoding/json"
)

// Results is every figure of one evaluation run, with what produced it:
// what `vigie eval --out` writes and the portal's evaluation page shows.
type Results struct {
	Engine      string            `json:"engine"`
	Ruleset     string            `json:"ruleset"`
	Date        string            `json:"date"`
	MinSeverity string            `json:"min_severity"`
	Inputs      map[string]string `json:"inputs"` // file: SHA-256
	Examples    []FamilyExamples  `json:"examples"`
	Rates       []CorpusRate      `json:"false_alarms"`
	WNC         *PairsResult      `json:"wnc,omitempty"`
	Precision   *PrecisionResult  `json:"precision,omitempty"`
	// PrecisionRepo counts only the judgements of findings on the corpora
	// in the repository, which make test can check again.
	PrecisionRepo *PrecisionResult `json:"precision_repo_corpora,omitempty"`
	Conll         *LabelledResult  `json:"conll2010,omitempty"`
	// Parallel is the parallel corpus (models/pairs), per language.
	Parallel []ParallelResult `json:"parallel,omitempty"`
	Compare  *Comparison      `json:"compare,omitempty"`
}

// Comparison is another tool's figures on the same data.
type Comparison struct {
	Tool  string       `json:"tool"`
	Rates []CorpusRate `json:"false_alarms"`
	WNC   *PairsResult `json:"wnc,omitempty"`
}

// FamilyExamples counts the rules of a language and family and their
// examples.
type FamilyExamples struct {
	Lang   string `json:"lang"`
	Family string `json:"family"`
	Rules  int    `json:"rules"`
	Fire   int    `json:"fire"` // examples that must fire
	Pass   int    `json:"pass"` // examples that must not
}

// CorpusRate is the rate of findings on one corpus file.
type CorpusRate struct {
	File string `json:"file"`
	Lang string `json:"lang"`
	Rate
}

// ReadResults decodes what `vigie eval --out` wrote, refusing unknown
// fields so that a renamed figure is an error rather than a blank.
func ReadResults(data []byte) (*Results, error) {
	var r Results
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, err
	}
	return &r, nil
}
