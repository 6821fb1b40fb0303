package lexicons_test

import (
	"bytes"
	"os"
	"reflect"
	"sort"
	"testing"

	"vigie"
	"vigie/lexicons"
	"vigie/rulepack"
)

// TestDefaultPacks parses and compiles every pack of fr/ and en/. Compiling
// runs every rule's examples: each sentence under fire must fire (on the
// marked span), each under pass must not. Every problem is listed as
// file:line.
func TestDefaultPacks(t *testing.T) {
	packs, err := lexicons.FromYAML(os.DirFS("."))
	if err != nil {
		t.Fatalf("parsing the default packs:\n%v", err)
	}
	rs, err := vigie.Compile(packs...)
	if err != nil {
		t.Fatalf("compiling the default packs:\n%v", err)
	}
	// Coverage promised by the foundation issue: at least 60 rules in at
	// least four families, per language.
	rules := map[string]int{}
	families := map[string]map[string]bool{}
	for _, r := range rs.Rules() {
		rules[r.Lang]++
		if families[r.Lang] == nil {
			families[r.Lang] = map[string]bool{}
		}
		families[r.Lang][r.Family] = true
		if len(r.Sources) == 0 || len(r.Examples.Fire) == 0 || len(r.Examples.Pass) == 0 {
			t.Errorf("%s:%d: rule %s lacks a source or examples", r.File, r.Line, r.ID)
		}
	}
	for _, lang := range rulepack.Languages {
		if rules[lang] < 60 || len(families[lang]) < 4 {
			t.Errorf("%s: %d rules in %d families; want at least 60 in 4", lang, rules[lang], len(families[lang]))
		}
		t.Logf("%s: %d rules in %d families", lang, rules[lang], len(families[lang]))
	}
}

// TestPacksBinUpToDate: the embedded packs.bin holds exactly the YAML packs.
func TestPacksBinUpToDate(t *testing.T) {
	fromYAML, err := lexicons.FromYAML(os.DirFS("."))
	if err != nil {
		t.Fatal(err)
	}
	embedded, err := lexicons.Packs()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fromYAML, embedded) {
		t.Fatal("lexicons/packs.bin is stale: run `go generate ./lexicons` and commit it")
	}
	if !reflect.DeepEqual(rulepack.Encode(fromYAML), rulepack.Encode(embedded)) {
		t.Fatal("encoding is not stable")
	}
	rs, err := vigie.Compile(embedded...)
	if err != nil {
		t.Fatal(err)
	}
	compiled, err := rs.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(compiled, lexicons.Compiled()) {
		t.Fatal("lexicons/compiled.bin is stale: run `go generate ./lexicons` and commit it")
	}
}

// TestFalseAlarms checks neutral text: the Universal Declaration of Human
// Rights, formal and even-handed, must raise at most 2 findings per 1,000
// words at the default severity, in each language.
func TestFalseAlarms(t *testing.T) {
	rs, err := vigie.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ file, lang string }{{"udhr-fr.txt", "fr"}, {"udhr-en.txt", "en"}} {
		data, err := os.ReadFile("../testdata/corpus/" + c.file)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := rs.Check(string(data), vigie.Options{Lang: c.lang})
		if err != nil {
			t.Fatal(err)
		}
		byRule := map[string]int{}
		for _, f := range rep.Findings {
			byRule[f.Rule]++
		}
		var ids []string
		for id := range byRule {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return byRule[ids[i]] > byRule[ids[j]] })
		t.Logf("%s: %d findings in %d words (%.2f per 1,000)", c.file, len(rep.Findings), rep.Stats.Words, rep.Stats.Per1000)
		for _, id := range ids {
			t.Logf("  %3d %s", byRule[id], id)
		}
		if rep.Stats.Per1000 > 2 {
			t.Errorf("%s: %.2f findings per 1,000 words, want at most 2", c.file, rep.Stats.Per1000)
		}
	}
}
