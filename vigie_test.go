package vigie

import (
	"errors"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"vigie/lexicons"
	"vigie/rulepack"
)

// rule writes a one-rule pack; extra is YAML added to the rule.
func rule(lang, family, name, severity, patterns, extra, fire, pass string) string {
	return "lang: " + lang + "\nfamily: " + family + "\nrules:\n" +
		"  - id: " + lang + "." + family + "." + name + "\n" +
		"    category: test\n    severity: " + severity + "\n" +
		"    patterns: " + patterns + "\n" + extra +
		"    message: {fr: Message " + name + ", en: Message " + name + "}\n" +
		"    explanation: {fr: Explication, en: Explanation}\n" +
		"    suggestions: [neutre]\n" +
		"    sources: [{title: Engine test pack}]\n" +
		"    examples:\n      fire: [" + fire + "]\n      pass: [" + pass + "]\n"
}

func compilePacks(t testing.TB, packs ...string) *Ruleset {
	t.Helper()
	var ps []*rulepack.Pack
	for i, src := range packs {
		p, err := rulepack.Parse("pack"+string(rune('0'+i))+".yaml", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		ps = append(ps, p)
	}
	rs, err := Compile(ps...)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func testRules(t testing.TB) *Ruleset {
	data, err := os.ReadFile("testdata/test-fr.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return compilePacks(t, string(data),
		rule("fr", "framing", "charges", "warning", "[charges sociales, charges]", "", `"Les [charges sociales] augmentent."`, `"Les cotisations augmentent."`),
		rule("fr", "stereotype", "charges", "suggestion", "[charges sociales]", "", `"Les [charges sociales] augmentent."`, `"Les cotisations augmentent."`),
		rule("en", "epistemic", "claim", "suggestion", "[claim~]", "    negation_window: 2\n", `"He [claimed] victory."`, `"He did not claim victory."`),
		rule("en", "framing", "elite", "warning", "[élite]", "    accent_sensitive: true\n", `"The [élite] decided."`, `"The elite decided."`),
		rule("en", "generalisation", "nato", "warning", "[NATO]", "    case_sensitive: true\n", `"[NATO] said no."`, `"The nato said no."`),
	)
}

type brief struct {
	text, rule, severity string
	quoted               bool
	speaker              string
}

func briefs(r *Report) []brief {
	var out []brief
	for _, f := range r.Findings {
		out = append(out, brief{f.Text, f.Rule, f.Severity.String(), f.Quoted, f.Speaker})
	}
	return out
}

func TestCheck(t *testing.T) {
	rs := testRules(t)
	tests := []struct {
		name string
		in   string
		opts Options
		want []brief
	}{
		{"factive verb", "Le rapport révèle des failles.", Options{Lang: "fr"},
			[]brief{{"révèle", "fr.epistemic.test-reveler", "suggestion", false, ""}}},
		{"exception cancels", "Ce concours a révélé un talent.", Options{Lang: "fr"}, nil},
		{"quoted is lowered and dropped at the default minimum", "Il a déclaré : « Le rapport révèle tout. »", Options{Lang: "fr"}, nil},
		{"quoted, with speaker", "Marie Durand a déclaré : « Le rapport révèle tout. »", Options{Lang: "fr", MinSeverity: rulepack.Info},
			[]brief{{"révèle", "fr.epistemic.test-reveler", "info", true, "Marie Durand"}}},
		{"negation window", "Il n'est pas clair que tout aille bien.", Options{Lang: "fr"}, nil},
		{"outside the negation window", "Il est clair que tout va bien.", Options{Lang: "fr"},
			[]brief{{"Il est clair que", "fr.epistemic.test-clair", "suggestion", false, ""}}},
		{"same family: longest wins; other family kept", "Les charges sociales et les charges.", Options{Lang: "fr"},
			[]brief{
				{"charges sociales", "fr.framing.charges", "warning", false, ""},
				{"charges sociales", "fr.stereotype.charges", "suggestion", false, ""},
				{"charges", "fr.framing.charges", "warning", false, ""},
			}},
		{"family filter", "Les charges sociales.", Options{Lang: "fr", Families: []string{"stereotype"}},
			[]brief{{"charges sociales", "fr.stereotype.charges", "suggestion", false, ""}}},
		{"min severity", "Les charges sociales.", Options{Lang: "fr", MinSeverity: rulepack.Warning},
			[]brief{{"charges sociales", "fr.framing.charges", "warning", false, ""}}},
		{"patterns stop at punctuation", "Les charges, sociales.", Options{Lang: "fr", Families: []string{"stereotype"}}, nil},
		{"patterns stop at sentence end", "Les charges. Sociales ou pas.", Options{Lang: "fr", Families: []string{"stereotype"}}, nil},
		{"stem and negation", "They claim it. They never claimed it. They don't claim it.", Options{Lang: "en"},
			[]brief{{"claim", "en.epistemic.claim", "suggestion", false, ""}}},
		{"accent sensitive", "The élite and the elite.", Options{Lang: "en"},
			[]brief{{"élite", "en.framing.elite", "warning", false, ""}}},
		{"case sensitive", "NATO and nato.", Options{Lang: "en"},
			[]brief{{"NATO", "en.generalisation.nato", "warning", false, ""}}},
		{"language detected", "The government claims victory.", Options{},
			[]brief{{"claims", "en.epistemic.claim", "suggestion", false, ""}}},
		{"rules of the other language do not apply", "Les charges sociales.", Options{Lang: "en"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := rs.Check(tt.in, tt.opts)
			if err != nil {
				t.Fatal(err)
			}
			got := briefs(rep)
			if len(got) != len(tt.want) {
				t.Fatalf("findings = %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("finding %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestReportFields(t *testing.T) {
	rs := testRules(t)
	rep, err := rs.Check("Le rapport révèle des failles.", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Version != Version || rep.Ruleset != rs.Hash() || len(rep.Ruleset) != 16 || rep.Lang != "fr" {
		t.Errorf("report header = %q %q %q", rep.Version, rep.Ruleset, rep.Lang)
	}
	f := rep.Findings[0]
	if f.Family != "epistemic" || f.Category != "factive-verb" || f.Page != "fr/rules/fr.epistemic.test-reveler.html" ||
		f.Message != "« Révéler » présente la suite comme un fait." || len(f.Suggestions) != 1 {
		t.Errorf("finding = %+v", f)
	}
	rep, _ = rs.Check("Le rapport révèle des failles.", Options{UILang: "en"})
	if rep.Findings[0].Message != `"Révéler" presents what follows as a fact.` {
		t.Errorf("English message = %q", rep.Findings[0].Message)
	}
	s := rep.Stats
	if s.Words != 5 || s.Sentences != 1 || s.Findings != 1 || s.Per1000 != 200 || s.ByFamily["epistemic"] != 1 || s.BySeverity["suggestion"] != 1 || !s.LangDetected {
		t.Errorf("stats = %+v", s)
	}
}

func TestOffsets(t *testing.T) {
	rs := testRules(t)
	inputs := []string{
		"🇫🇷 Le rapport 👏🏽 révèle — déjà — que l’élite ment.",
		"Le rappo\u0301rt re\u0301ve\u0300le que l'e\u0301lite ment. 𝕏 révèle.",
		"مرحبا. Le rapport révèle que l'élite ment.",
	}
	for _, in := range inputs {
		rep, err := rs.Check(in, Options{Lang: "fr", MinSeverity: rulepack.Info})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) < 2 {
			t.Fatalf("%q: findings = %+v", in, briefs(rep))
		}
		for _, f := range rep.Findings {
			if !utf8.ValidString(in[f.Start:f.End]) || f.Text != in[f.Start:f.End] {
				t.Errorf("%q: span %d:%d = %q, text %q", in, f.Start, f.End, in[f.Start:f.End], f.Text)
			}
			// The reference: encode the prefix in UTF-16 and count.
			if want := len(utf16.Encode([]rune(in[:f.Start]))); f.Start16 != want {
				t.Errorf("%q: start16 = %d, want %d", f.Text, f.Start16, want)
			}
			if want := len(utf16.Encode([]rune(in[:f.End]))); f.End16 != want {
				t.Errorf("%q: end16 = %d, want %d", f.Text, f.End16, want)
			}
		}
	}
}

func TestCheckBadInput(t *testing.T) {
	rs := testRules(t)
	tests := []struct {
		name string
		in   string
		opts Options
		want error
		msg  string
	}{
		{"invalid UTF-8", "Le rapport \xff révèle", Options{}, ErrInvalidUTF8, "first bad byte at offset 11"},
		{"empty", "", Options{}, ErrEmpty, "empty text"},
		{"blank", " \n\t ", Options{}, ErrEmpty, "empty text"},
		{"too large", strings.Repeat("a ", MaxInputBytes/2+1), Options{}, ErrTooLarge, "the limit is"},
		{"unknown language", "texte", Options{Lang: "de"}, ErrOption, `unknown language "de"`},
		{"unknown family", "texte", Options{Families: []string{"bias"}}, ErrOption, `unknown family "bias"`},
		{"unknown ui language", "texte", Options{UILang: "es"}, ErrOption, `unknown interface language "es"`},
		{"unknown severity", "texte", Options{MinSeverity: 7}, ErrOption, "unknown minimum severity"},
		{"sentence threshold above 1", "Une phrase assez longue ici.", Options{Sentences: WithThreshold(testScorer{}, 1.5)}, ErrOption, "sentence threshold 1.5"},
		{"sentence threshold NaN", "Une phrase assez longue ici.", Options{Sentences: WithThreshold(testScorer{}, math.NaN())}, ErrOption, "sentence threshold NaN"},
		{"scorer error", "Une phrase assez longue ici.", Options{Sentences: testScorer{fail: true}}, ErrModel, "test scorer: broken"},
		{"scorer miscount", "Une phrase. Une autre.", Options{Sentences: testScorer{short: true}}, ErrModel, "1 scores for 2 sentences"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rs.Check(tt.in, tt.opts)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want %v containing %q", err, tt.want, tt.msg)
			}
		})
	}
	// The ruleset still works afterwards.
	if rep, err := rs.Check("Le rapport révèle tout.", Options{}); err != nil || len(rep.Findings) != 1 {
		t.Errorf("after bad input: %v, %+v", err, rep)
	}
}

func TestCompileErrors(t *testing.T) {
	good := rule("fr", "framing", "a", "info", "[mot]", "", `"Un [mot]."`, `"Une phrase."`)
	inConvention := rule("fr", "inclusive-writing", "a", "info", "[mot]", "    conventions: [maison]\n", `"Un [mot]."`, `"Une phrase."`)
	tests := []struct {
		name  string
		packs []string
		want  string
	}{
		{"bad pattern", []string{rule("fr", "framing", "a", "info", "[\"bien sûr,\"]", "", `"x"`, `"y"`)},
			`pack0.yaml:7: rule fr.framing.a: bad pattern: "sûr,": punctuation`},
		{"unknown class", []string{rule("fr", "framing", "a", "info", "[\"les {groupe} sont\"]", "", `"x"`, `"y"`)},
			"pack0.yaml:7: rule fr.framing.a: bad pattern: unknown class {groupe}"},
		{"example does not fire", []string{rule("fr", "framing", "a", "info", "[mot]", "", `"Une phrase."`, `"Une autre."`)},
			`pack0.yaml:13: rule fr.framing.a: example should fire but does not: "Une phrase."`},
		{"pass example fires", []string{rule("fr", "framing", "a", "info", "[mot]", "", `"Un [mot]."`, `"Un mot."`)},
			`pack0.yaml:14: rule fr.framing.a: example should not fire but fires on "mot": "Un mot."`},
		{"wrong span", []string{rule("fr", "framing", "a", "info", "[mot]", "", `"[Un mot]."`, `"Une phrase."`)},
			`pack0.yaml:13: rule fr.framing.a: example fires on "mot", not on the marked "Un mot"`},
		{"duplicate id across packs", []string{good, good}, `pack1.yaml:4: duplicate rule id "fr.framing.a" (first at pack0.yaml:4)`},
		{"duplicate class", []string{"lang: fr\nclasses:\n  g: [a]\n", "lang: fr\nclasses:\n  g: [b]\n"},
			`pack1.yaml:3: class "g" already defined at pack0.yaml:3`},
		{"bad class entry", []string{"lang: fr\nclasses:\n  g: [\"l'élite\"]\n"},
			`pack0.yaml:3: class "g": class entry "l'élite" is 2 words`},
		{"undefined convention", []string{inConvention}, `pack0.yaml:4: rule fr.inclusive-writing.a: unknown convention "maison" (define it under conventions: in a fr pack)`},
		{"duplicate convention", []string{conventionPack, conventionPack, inConvention}, `pack1.yaml:3: convention "maison" already defined at pack0.yaml:3`},
		{"convention of the other language", []string{strings.Replace(conventionPack, "lang: fr", "lang: en", 1), inConvention}, `unknown convention "maison"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ps []*rulepack.Pack
			for i, src := range tt.packs {
				p, err := rulepack.Parse("pack"+string(rune('0'+i))+".yaml", []byte(src))
				if err != nil {
					t.Fatal(err)
				}
				ps = append(ps, p)
			}
			_, err := Compile(ps...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant %q", err, tt.want)
			}
		})
	}
}

func TestHash(t *testing.T) {
	a := rule("fr", "framing", "a", "info", "[mot]", "", `"Un [mot]."`, `"Une phrase."`)
	b := strings.Replace(a, "Message a", "Autre message", 1)
	if compilePacks(t, a).Hash() != compilePacks(t, a).Hash() {
		t.Error("same packs, different hashes")
	}
	if compilePacks(t, a).Hash() == compilePacks(t, b).Hash() {
		t.Error("a changed message should change the hash")
	}
}

// WithPacks runs the examples of the extra packs (the default ones run in
// the lexicons tests).
func TestWithPacksChecksExtraExamples(t *testing.T) {
	src := rule("fr", "framing", "mine", "info", "[zorglub]", "", `"Une phrase sans le mot."`, `"Rien."`)
	p, err := rulepack.Parse("mine.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = WithPacks(p)
	if err == nil || !strings.Contains(err.Error(), `mine.yaml:13: rule fr.framing.mine: example should fire but does not`) {
		t.Errorf("err = %v", err)
	}
}

const conventionPack = `lang: fr
conventions:
  - id: maison
    name: {fr: Convention maison, en: House convention}
    explanation: {fr: Une convention de test., en: A test convention.}
    sources: [{title: Engine test pack}]
  - id: autre
    name: {fr: Autre, en: Other}
    explanation: {fr: Une autre., en: Another.}
    sources: [{title: Engine test pack}]
`

// A rule that belongs to a convention is off unless the caller selects it
// (or another of its conventions); other rules are not affected.
func TestConventions(t *testing.T) {
	rs := compilePacks(t, conventionPack,
		rule("fr", "inclusive-writing", "citoyens", "suggestion", "[les citoyens]", "    conventions: [maison]\n", `"Tous [les citoyens] votent."`, `"La population vote."`),
		rule("fr", "framing", "charges", "suggestion", "[charges sociales]", "", `"Les [charges sociales]."`, `"Les cotisations."`))
	const txt = "Les citoyens paient des charges sociales."
	tests := []struct {
		conventions []string
		want        []string
	}{
		{nil, []string{"fr.framing.charges"}},
		{[]string{"autre"}, []string{"fr.framing.charges"}},
		{[]string{"maison"}, []string{"fr.inclusive-writing.citoyens", "fr.framing.charges"}},
		{[]string{"autre", "maison"}, []string{"fr.inclusive-writing.citoyens", "fr.framing.charges"}},
	}
	for _, tt := range tests {
		rep, err := rs.Check(txt, Options{Lang: "fr", Conventions: tt.conventions})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Findings {
			got = append(got, f.Rule)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("conventions %v: rules %v, want %v", tt.conventions, got, tt.want)
		}
		if strings.Join(rep.Conventions, " ") != strings.Join(tt.conventions, " ") {
			t.Errorf("report conventions %v, want %v", rep.Conventions, tt.conventions)
		}
	}
	if got := rs.Conventions(); len(got) != 2 || got[0].ID != "autre" || got[1].ID != "maison" {
		t.Errorf("Conventions() = %v", got)
	}
	_, err := rs.Check(txt, Options{Lang: "fr", Conventions: []string{"hce"}})
	if !errors.Is(err, ErrOption) || !strings.Contains(err.Error(), `unknown convention "hce" (want autre, maison)`) {
		t.Errorf("unknown convention: err = %v", err)
	}
}

// The default ruleset, read from its compiled form, finds exactly what the
// same packs compiled afresh find: on the corpora, and on every rule's
// examples.
func TestCompiledDefaultMatchesCompile(t *testing.T) {
	packs, err := lexicons.Packs()
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := compile(packs, noExamples)
	if err != nil {
		t.Fatal(err)
	}
	read, err := fromCompiled(packs, lexicons.Compiled())
	if err != nil {
		t.Fatalf("lexicons/compiled.bin: %v", err)
	}
	if read.Hash() != fresh.Hash() {
		t.Fatalf("hash %s, compiled afresh %s", read.Hash(), fresh.Hash())
	}
	var texts []struct{ text, lang string }
	for _, c := range []struct{ file, lang string }{{"udhr-fr.txt", "fr"}, {"udhr-en.txt", "en"}, {"sotu-2002-2021.txt", "en"}} {
		b, err := os.ReadFile("testdata/corpus/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, struct{ text, lang string }{string(b), c.lang})
	}
	for _, r := range fresh.Rules() {
		for _, ex := range append(append([]string{}, r.Examples.Fire...), r.Examples.Pass...) {
			plain, _, _ := stripMarks(ex)
			texts = append(texts, struct{ text, lang string }{plain, r.Lang})
		}
	}
	var conventions []string
	for _, c := range fresh.Conventions() {
		conventions = append(conventions, c.ID)
	}
	for _, tt := range texts {
		opts := Options{Lang: tt.lang, MinSeverity: rulepack.Info, Conventions: conventions}
		a, errA := fresh.Check(tt.text, opts)
		b, errB := read.Check(tt.text, opts)
		if errA != nil || errB != nil {
			t.Fatalf("%v %v", errA, errB)
		}
		if fmt.Sprint(a.Findings) != fmt.Sprint(b.Findings) {
			t.Fatalf("on %.80q: compiled afresh %v\nread %v", tt.text, a.Findings, b.Findings)
		}
	}
	for _, bad := range [][]byte{nil, []byte(compiledMagic), lexicons.Compiled()[:len(lexicons.Compiled())/2]} {
		if _, err := fromCompiled(packs, bad); err == nil {
			t.Errorf("%d bytes of a compiled ruleset were accepted", len(bad))
		}
	}
}

func TestErrorCode(t *testing.T) {
	rs := testRules(t)
	for _, c := range []struct {
		text string
		opts Options
		want string
	}{{"", Options{}, "empty"}, {"a\xffb", Options{}, "invalid-utf8"}, {"x", Options{Lang: "de"}, "option"}} {
		_, err := rs.Check(c.text, c.opts)
		if got := ErrorCode(err); got != c.want {
			t.Errorf("%q %+v: %q, want %q", c.text, c.opts, got, c.want)
		}
	}
	if ErrorCode(errors.New("other")) != "" {
		t.Error("an unknown error has a code")
	}
}

// testScorer scores every sentence 0.5, or fails as told.
type testScorer struct{ fail, short bool }

func (testScorer) Name() string       { return "test scorer" }
func (testScorer) Threshold() float64 { return 0.5 }
func (s testScorer) Score(ss []string) ([]float64, error) {
	if s.fail {
		return nil, errors.New("broken")
	}
	out := make([]float64, len(ss))
	for i := range out {
		out[i] = 0.5
	}
	if s.short {
		out = out[1:]
	}
	return out, nil
}
