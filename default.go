package vigie

import (
	"sync"

	"vigie/lexicons"
	"vigie/rulepack"
)

var defaultRules = sync.OnceValues(func() (*Ruleset, error) {
	packs, err := lexicons.Packs()
	if err != nil {
		return nil, err
	}
	return Compile(packs...)
})

// Default returns the ruleset compiled from the embedded default packs. It
// is compiled once, on first use.
func Default() (*Ruleset, error) { return defaultRules() }

// WithPacks compiles the default packs together with extra ones (a user's
// own pack, for instance), so that ids and classes are checked across all.
func WithPacks(extra ...*rulepack.Pack) (*Ruleset, error) {
	packs, err := lexicons.Packs()
	if err != nil {
		return nil, err
	}
	return Compile(append(packs, extra...)...)
}
