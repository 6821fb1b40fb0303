package match

import (
	"reflect"
	"testing"

	"vigie/rulepack"
	"vigie/text"
)

func compile(t *testing.T, lang string, classes map[string][]string, srcs ...string) *Matcher {
	t.Helper()
	parsed := map[string][]rulepack.Alt{}
	for name, words := range classes {
		for _, w := range words {
			a, err := rulepack.ParseClassWord(w, lang)
			if err != nil {
				t.Fatal(err)
			}
			parsed[name] = append(parsed[name], a)
		}
	}
	var ps []Pattern
	for i, src := range srcs {
		els, err := rulepack.ParsePattern(src, lang)
		if err != nil {
			t.Fatal(err)
		}
		if err := rulepack.CheckClasses(els, parsed); err != nil {
			t.Fatal(err)
		}
		ps = append(ps, Pattern{Elements: els, Mode: text.FoldAll, Payload: i})
	}
	return Compile(lang, ps, parsed)
}

type found struct {
	text    string
	pattern int
}

func find(m *Matcher, lang, in string) []found {
	d := text.Segment(in, lang)
	var out []found
	m.Find(d, func(mt Match) {
		out = append(out, found{in[d.Tokens[mt.First].Start:d.Tokens[mt.End-1].End], mt.Payload})
	})
	return out
}

func TestFind(t *testing.T) {
	classes := map[string][]string{
		"groupe":    {"immigrés", "femmes", "jeune~"},
		"participe": {"*é", "*i", "*u"},
	}
	m := compile(t, "fr", classes,
		"charges sociales",       // 0
		"charges",                // 1
		"révéler~",               // 2
		"les {groupe} sont",      // 3
		"aurait {participe}",     // 4
		"l'élite",                // 5
		"s'en prend|prenaient à", // 6: irregular forms are listed
		"ne {*} jamais",          // 7
		"islamo-gauchisme",       // 8
	)
	tests := []struct {
		in   string
		want []found
	}{
		{"Les charges sociales.", []found{{"charges", 1}, {"charges sociales", 0}}},
		{"Il révélait, elle RÉVÈLE.", []found{{"révélait", 2}, {"RÉVÈLE", 2}}},
		{"Les immigrés sont là. Les jeunes sont là. Les hommes sont là.", []found{{"Les immigrés sont", 3}, {"Les jeunes sont", 3}}},
		{"Il aurait menti, aurait vendu, aurait été, aurait dit.", []found{{"aurait menti", 4}, {"aurait vendu", 4}, {"aurait été", 4}}},
		{"Selon L’ÉLITE et l'elite.", []found{{"L’ÉLITE", 5}, {"l'elite", 5}}},
		{"Il s’en prend à elle ; ils s'en prenaient à nous.", []found{{"s’en prend à", 6}, {"s'en prenaient à", 6}}},
		{"Il ne ment jamais. Il ne, jamais.", []found{{"ne ment jamais", 7}}},
		{"L'islamo-gauchisme et l'islamo gauchisme.", []found{{"islamo-gauchisme", 8}}},
		{"Les charges. Sociales.", []found{{"charges", 1}}},
		{"Rien à signaler.", nil},
	}
	for _, tt := range tests {
		if got := find(m, "fr", tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%q: found %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestFindCaseSensitive(t *testing.T) {
	els, _ := rulepack.ParsePattern("NATO", "en")
	m := Compile("en", []Pattern{{Elements: els, Mode: text.FoldAccents}}, nil)
	if got := find(m, "en", "NATO, Nato and nato."); !reflect.DeepEqual(got, []found{{"NATO", 0}}) {
		t.Errorf("found %v", got)
	}
}

func TestMayStem(t *testing.T) {
	m := compile(t, "en", nil, "happy~", "claim~")
	for w, want := range map[string]bool{"happiest": true, "happily": true, "claims": true, "cla": false, "hat": false, "clean": false} {
		if got := m.mayStem(w); got != want {
			t.Errorf("mayStem(%q) = %v, want %v", w, got, want)
		}
	}
	if got := find(m, "en", "The happiness claim, happily claimed."); len(got) != 3 {
		t.Errorf("found %v", got)
	}
}
