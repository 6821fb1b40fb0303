package vigie

import (
	"sync"

	"vigie/lexicons"
	"vigie/rulepack"
)

// The default packs' examples are run by the tests (lexicons_test.go), so
// starting the command line or the browser module does not run them again.
var noExamples = func(*rulepack.Rule) bool { return false }

var defaultRules = sync.OnceValues(func() (*Ruleset, error) {
	packs, err := lexicons.Packs()
	if err != nil {
		return nil, err
	}
	// The compiled form is generated with the packs; a test checks that it
	// is up to date. Were it unreadable, compiling gives the same rules.
	if rs, err := fromCompiled(packs, lexicons.Compiled()); err == nil {
		return rs, nil
	}
	return compile(packs, noExamples)
})

// Default returns the ruleset compiled from the embedded default packs. It
// is compiled once, on first use.
func Default() (*Ruleset, error) { return defaultRules() }

// WithPacks compiles the default packs together with extra ones (a user's
// own pack, for instance), so that ids and classes are checked across all.
// The examples of the extra packs' rules are run.
func WithPacks(extra ...*rulepack.Pack) (*Ruleset, error) {
	packs, err := lexicons.Packs()
	if err != nil {
		return nil, err
	}
	fromExtra := map[*rulepack.Rule]bool{}
	for _, p := range extra {
		for _, r := range p.Rules {
			fromExtra[r] = true
		}
	}
	return compile(append(packs, extra...), func(r *rulepack.Rule) bool { return fromExtra[r] })
}
