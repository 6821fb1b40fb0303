// Package rulepack reads and validates rule packs: the YAML (or JSON) files
// in which Vigie's rules are written. See lexicons/SCHEMA.md for the format.
package rulepack

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"vigie/lang"
)

// Severity says how strongly a finding asks for the reader's attention.
type Severity int

// Severities, from the mildest.
const (
	Info Severity = iota + 1
	Suggestion
	Warning
)

var severityNames = []string{Info: "info", Suggestion: "suggestion", Warning: "warning"}

func (s Severity) String() string {
	if s < Info || s > Warning {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads "info", "suggestion" or "warning".
func ParseSeverity(name string) (Severity, error) {
	for s := Info; s <= Warning; s++ {
		if severityNames[s] == name {
			return s, nil
		}
	}
	return 0, fmt.Errorf("unknown severity %q (want info, suggestion or warning)", name)
}

// Lower returns the severity one step down, Info staying Info.
func (s Severity) Lower() Severity {
	if s > Info {
		return s - 1
	}
	return s
}

// MarshalJSON writes the severity's name.
func (s Severity) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads a severity's name.
func (s *Severity) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return err
	}
	v, err := ParseSeverity(name)
	*s = v
	return err
}

// Families lists the rule families, in the order the reports show them.
var Families = []string{"epistemic", "framing", "stereotype", "generalisation", "toxicity", "inclusive-writing"}

// IsFamily reports whether name is one of Families.
func IsFamily(name string) bool { return slices.Contains(Families, name) }

// Languages lists the languages a pack may be written in.
var Languages = lang.Supported

// Text is a piece of text in both user-interface languages.
type Text struct {
	FR string `json:"fr"`
	EN string `json:"en"`
}

// In returns the text in lang, falling back to English.
func (t Text) In(lang string) string {
	if lang == "fr" && t.FR != "" {
		return t.FR
	}
	return t.EN
}

// Source is a reference a reader can look up.
type Source struct {
	Title   string `json:"title"`
	URL     string `json:"url,omitempty"`
	Locator string `json:"locator,omitempty"`
}

// Examples are sentences a rule must and must not fire on.
type Examples struct {
	Fire []string `json:"fire"`
	Pass []string `json:"pass"`
}

// Rule is one rule as written in a pack.
type Rule struct {
	ID              string   `json:"id"`
	Lang            string   `json:"lang"`
	Family          string   `json:"family"`
	Category        string   `json:"category"`
	Severity        Severity `json:"severity"`
	Patterns        []string `json:"patterns"`
	Exceptions      []string `json:"exceptions,omitempty"`
	ExceptionScope  string   `json:"exception_scope,omitempty"`
	NegationWindow  int      `json:"negation_window,omitempty"`
	CaseSensitive   bool     `json:"case_sensitive,omitempty"`
	AccentSensitive bool     `json:"accent_sensitive,omitempty"`
	Message         Text     `json:"message"`
	Explanation     Text     `json:"explanation"`
	Suggestions     []string `json:"suggestions,omitempty"`
	Sources         []Source `json:"sources"`
	Tags            []string `json:"tags,omitempty"`
	Conventions     []string `json:"conventions,omitempty"`
	Examples        Examples `json:"examples"`

	// Where the rule was written, for error messages.
	File           string `json:"-"`
	Line           int    `json:"-"`
	PatternLines   []int  `json:"-"`
	ExceptionLines []int  `json:"-"`
	FireLines      []int  `json:"-"`
	PassLines      []int  `json:"-"`
}

// Class is a named list of words that patterns refer to as {name}.
type Class struct {
	Name  string   `json:"name"`
	Lang  string   `json:"lang"`
	Words []string `json:"words"`
	File  string   `json:"-"`
	Line  int      `json:"-"`
	Lines []int    `json:"-"`
}

// Convention is a writing convention that a reader may choose to follow,
// such as one of the French guides on inclusive writing. Rules that name a
// convention are off unless the reader selects it: the question such rules
// answer is a matter of choice, not of bias.
type Convention struct {
	ID          string   `json:"id"`
	Lang        string   `json:"lang"`
	Name        Text     `json:"name"`
	Explanation Text     `json:"explanation"`
	Sources     []Source `json:"sources"`
	File        string   `json:"-"`
	Line        int      `json:"-"`
}

// Pack is one rule-pack file.
type Pack struct {
	File        string
	Lang        string
	Family      string
	Classes     []*Class
	Conventions []*Convention
	Rules       []*Rule
}

// Error is one problem in a pack, at a line of its file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Errors is every problem found in one or more packs.
type Errors []Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Err returns es as an error, or nil when it is empty.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}
