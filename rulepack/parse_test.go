package rulepack

import (
	"reflect"
	"strings"
	"testing"
)

// A valid rule; tests replace parts of it to break it.
const goodRule = `lang: fr
family: framing
rules:
  - id: fr.framing.test
    category: loaded-term
    severity: suggestion
    patterns: [charges sociales]
    message: {fr: Terme chargé., en: Loaded term.}
    explanation: {fr: Explication., en: Explanation.}
    suggestions: [cotisations sociales]
    sources:
      - title: Urssaf, glossaire
    examples:
      fire: ["Les [charges sociales] pèsent."]
      pass: ["Les cotisations sociales financent la protection sociale."]
`

func TestParseValid(t *testing.T) {
	p, err := Parse("good.yaml", []byte(goodRule))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Rules) != 1 {
		t.Fatalf("got %d rules", len(p.Rules))
	}
	r := p.Rules[0]
	if r.ID != "fr.framing.test" || r.Severity != Suggestion || r.Lang != "fr" || r.Family != "framing" {
		t.Errorf("rule = %+v", r)
	}
	if r.Line != 4 || r.PatternLines[0] != 7 || r.FireLines[0] != 14 || r.PassLines[0] != 15 {
		t.Errorf("lines: rule %d, pattern %v, fire %v, pass %v", r.Line, r.PatternLines, r.FireLines, r.PassLines)
	}
}

func TestParseJSON(t *testing.T) {
	js := `{"lang": "en", "family": "epistemic", "rules": [{"id": "en.epistemic.x", "category": "c",
  "severity": "info", "patterns": ["so-called"], "message": {"fr": "a", "en": "b"},
  "explanation": {"fr": "a", "en": "b"}, "sources": [{"title": "t"}],
  "examples": {"fire": ["the [so-called] plan"], "pass": ["the plan"]}}]}`
	if _, err := Parse("pack.json", []byte(js)); err != nil {
		t.Fatal(err)
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           []string // each must appear in the error, as file:line: message
	}{
		{"unknown field", "    suggestions:", "    sugestions:",
			[]string{`bad.yaml:10: rule fr.framing.test: unknown field "sugestions"`}},
		{"missing source", "    sources:\n      - title: Urssaf, glossaire\n", "",
			[]string{`bad.yaml:4: rule fr.framing.test: missing field "sources"`}},
		{"empty sources", "    sources:\n      - title: Urssaf, glossaire\n", "    sources: []\n",
			[]string{`bad.yaml:4: rule fr.framing.test: missing source`}},
		{"source without title", "      - title: Urssaf, glossaire", "      - url: https://example.org/",
			[]string{`bad.yaml:12: rule fr.framing.test: source without a title`}},
		{"bad url", "      - title: Urssaf, glossaire", "      - {title: Urssaf, url: www.urssaf.fr}",
			[]string{`bad.yaml:12: rule fr.framing.test: source url "www.urssaf.fr" must start with https://`}},
		{"bad severity", "severity: suggestion", "severity: error",
			[]string{`bad.yaml:6: rule fr.framing.test: unknown severity "error"`}},
		{"bad id", "id: fr.framing.test", "id: Framing Test",
			[]string{`bad.yaml:4: rule id "Framing Test"`}},
		{"id of another family", "id: fr.framing.test", "id: fr.epistemic.test",
			[]string{`bad.yaml:4: rule id "fr.epistemic.test": must start with "fr.framing."`}},
		{"missing english message", "message: {fr: Terme chargé., en: Loaded term.}", "message: {fr: Terme chargé.}",
			[]string{`bad.yaml:8: rule fr.framing.test: message: missing English text (en)`}},
		{"no pass example", "      pass: [\"Les cotisations sociales financent la protection sociale.\"]\n", "",
			[]string{`bad.yaml:14: rule fr.framing.test: examples: give at least one sentence under pass`}},
		{"unknown lang", "lang: fr", "lang: de",
			[]string{`bad.yaml:1: pack: unknown lang "de"`}},
		{"unknown family", "family: framing", "family: bias",
			[]string{`bad.yaml:1: pack: unknown family "bias"`}},
		{"unquoted bracket example", `      fire: ["Les [charges sociales] pèsent."]`, "      fire:\n        - [charges sociales] pèsent.",
			[]string{`bad.yaml:14: invalid YAML`}},
		{"list where a string is expected", "category: loaded-term", "category: [a, b]",
			[]string{`bad.yaml:5: category must be a string`}},
		{"negation window", "    patterns:", "    negation_window: 99\n    patterns:",
			[]string{`bad.yaml:7: rule fr.framing.test: negation_window must be a number of words from 0 to 10`}},
		{"tabs and syntax", "rules:\n", "rules:\n\t- bad\n",
			[]string{`bad.yaml:4: invalid YAML`}},
		{"empty conventions", "    patterns:", "    conventions: []\n    patterns:",
			[]string{`bad.yaml:7: rule fr.framing.test: conventions is empty`}},
		{"convention without explanation", "rules:\n", "conventions:\n  - {id: maison, name: {fr: M, en: H}, sources: [{title: T}]}\nrules:\n",
			[]string{`bad.yaml:4: convention at line 4: missing field "explanation"`}},
		{"bad convention id", "rules:\n", "conventions:\n  - {id: Maison, name: {fr: M, en: H}, explanation: {fr: E, en: E}, sources: [{title: T}]}\nrules:\n",
			[]string{`bad.yaml:4: convention id "Maison"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := strings.Replace(goodRule, tt.old, tt.new, 1)
			if src == goodRule {
				t.Fatal("test does not change the pack")
			}
			_, err := Parse("bad.yaml", []byte(src))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not contain %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestParseDuplicateID(t *testing.T) {
	src := goodRule + strings.SplitN(goodRule, "rules:\n", 2)[1]
	_, err := Parse("dup.yaml", []byte(src))
	if err == nil || !strings.Contains(err.Error(), `dup.yaml:16: duplicate rule id "fr.framing.test" (first at line 4)`) {
		t.Errorf("err = %v", err)
	}
}

func TestParseReportsEveryProblem(t *testing.T) {
	src := strings.NewReplacer("severity: suggestion", "severity: loud", "    suggestions:", "    sugestions:").Replace(goodRule)
	_, err := Parse("bad.yaml", []byte(src))
	es, ok := err.(Errors)
	if !ok || len(es) != 2 {
		t.Fatalf("want 2 errors, got %v", err)
	}
}

func TestParseEmpty(t *testing.T) {
	for _, src := range []string{"", "# only a comment\n"} {
		if _, err := Parse("empty.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), "empty.yaml: empty pack") {
			t.Errorf("Parse(%q) err = %v", src, err)
		}
	}
}

func TestParsePattern(t *testing.T) {
	tests := []struct {
		lang, src string
		want      string // kinds and keys, or an error substring after "!"
	}{
		{"fr", "charges sociales", "L:charges L:sociales"},
		{"fr", "l'élite", "L:l' L:elite"},
		{"fr", "L’Élite", "L:l' L:elite"},
		{"fr", "révéler~", "S:revel"},
		{"fr", "qu'|l'|jusqu’ on", "L:qu',L:l',L:jusqu' L:on"},
		{"fr", "aurait|auraient {participe}", "L:aurait,L:auraient C:participe"},
		{"fr", "les {groupe} sont", "L:les C:groupe L:sont"},
		{"en", "so-called", "L:so-called"},
		{"en", "don't", "L:do L:n't"},
		{"en", "government 's claims", "L:government L:'s L:claims"},
		{"en", "’s", "L:'s"},
		{"en", "make {*} great", "L:make A L:great"},
		{"en", "{*} great", "!first or last"},
		{"fr", "bien sûr,", "!punctuation"},
		{"fr", "{Bad}", "!bad class reference"},
		{"fr", "*isme", "!only allowed in a class"},
		{"fr", "a~", "!too short"},
		{"fr", "a||b", "!empty alternative"},
		{"fr", "l'élite|peuple", "!2 words"},
	}
	for _, tt := range tests {
		els, err := ParsePattern(tt.src, tt.lang)
		if strings.HasPrefix(tt.want, "!") {
			if err == nil || !strings.Contains(err.Error(), tt.want[1:]) {
				t.Errorf("ParsePattern(%q) err = %v, want %q", tt.src, err, tt.want[1:])
			}
			continue
		}
		if err != nil {
			t.Errorf("ParsePattern(%q): %v", tt.src, err)
			continue
		}
		var parts []string
		for _, el := range els {
			var alts []string
			for _, a := range el {
				alts = append(alts, strings.TrimSuffix(string("?LSCAX"[a.Kind])+":"+a.Key, ":"))
			}
			parts = append(parts, strings.Join(alts, ","))
		}
		if got := strings.Join(parts, " "); got != tt.want {
			t.Errorf("ParsePattern(%q) = %s, want %s", tt.src, got, tt.want)
		}
	}
}

func TestBinaryRoundTrip(t *testing.T) {
	p, err := Parse("good.yaml", []byte(goodRule))
	if err != nil {
		t.Fatal(err)
	}
	classes, err := Parse("classes.yaml", []byte("lang: fr\nclasses:\n  g: [a, b~, \"*é\"]\n"+
		"conventions:\n  - {id: maison, name: {fr: M, en: H}, explanation: {fr: E, en: E}, sources: [{title: T, url: \"https://example.org/\"}]}\n"))
	if err != nil {
		t.Fatal(err)
	}
	p.Rules[0].Conventions = []string{"maison"}
	packs := []*Pack{p, classes}
	got, err := Decode(Encode(packs))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, packs) {
		t.Errorf("round trip changed the packs:\n%+v\n%+v", got[0].Rules[0], packs[0].Rules[0])
	}
	data := Encode(packs)
	for _, bad := range [][]byte{nil, []byte(binaryMagic), data[:len(data)/2], append(append([]byte{}, data...), 1)} {
		if _, err := Decode(bad); err == nil {
			t.Errorf("Decode accepted %d bad bytes", len(bad))
		}
	}
}
