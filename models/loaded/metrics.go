package loaded

import (
	"encoding/json"

	"vigie/evaluation"
	"vigie/models/sentence"
)

// Metrics is metrics.json, which the model card on the portal shows.
type Metrics struct {
	Model           string          `json:"model"`
	Threshold       float64         `json:"threshold"`
	TargetPrecision float64         `json:"target_precision"`
	Config          sentence.Config `json:"config"`
	Bytes           int             `json:"bytes"`
	RuleWeight      float64         `json:"rule_weight"` // of a rule example against a corpus sentence
	Data            struct {
		Train map[string]int `json:"train"` // examples by source
		Pairs map[string]int `json:"pairs"` // by language/split
	} `json:"data"`
	Langs []LangMetrics `json:"langs"`
}

// LangMetrics are one language's figures.
type LangMetrics struct {
	Lang     string            `json:"lang"`
	Pairs    evaluation.Binary `json:"pairs"` // held-out (test) pairs, both sentences of each
	Added    Added             `json:"added"`
	External []External        `json:"external,omitempty"`
	// FalseAlarms are the shares of sentences the model marks in texts that
	// should be (nearly) free of loaded wording.
	FalseAlarms []FalseAlarm `json:"false_alarms"`
}

// Added compares the rules alone with the rules and the model together on
// the held-out pairs: at the rules' precision, how much more is found.
type Added struct {
	Rules     evaluation.Binary `json:"rules"`
	Threshold float64           `json:"threshold"` // the model's, combined with the rules
	Recall    float64           `json:"recall"`    // of rules or model, at the rules' precision
	Reached   bool              `json:"reached"`
	// Both is rules or model, at the model's own threshold: what the
	// checker page shows.
	Both evaluation.Binary `json:"rules_or_model"`
}

// FalseAlarm is the share of a neutral text's sentences the model marks.
type FalseAlarm struct {
	Name   string           `json:"name"`
	Marked evaluation.Share `json:"marked"`
}

// External is a held-out external set.
type External struct {
	Name   string            `json:"name"`
	Result evaluation.Binary `json:"result"`
}

// ReadMetrics parses metrics.json.
func ReadMetrics() (*Metrics, error) {
	var m Metrics
	if err := json.Unmarshal(MetricsJSON, &m); err != nil {
		return nil, err
	}
	return &m, nil
}
