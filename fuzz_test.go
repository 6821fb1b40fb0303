package vigie

import (
	"errors"
	"testing"
	"unicode/utf8"

	"vigie/rulepack"
)

// FuzzCheck feeds arbitrary text through the whole pipeline: it must never
// panic, and every span must lie in bounds, on character boundaries, with
// its text and UTF-16 offsets consistent.
func FuzzCheck(f *testing.F) {
	for _, s := range []string{
		"Le rapport révèle que l’élite « aurait menti ».",
		"They claimed the élite said \"no\".",
		"Cafe\u0301 re\u0301ve\u0300le 🇫🇷👏🏽 « “ » ” ‘ ’ \" '",
		"l'l'l' qu'qu' jusqu' -- - -a- a-",
		"M. Mr. J. \n\n\n« \n»",
		"\xff\xfe",
		"",
		"Il n'est pas clair que les charges sociales révèlent.",
	} {
		f.Add(s, "")
		f.Add(s, "fr")
	}
	rs := testRules(f)
	f.Fuzz(func(t *testing.T, in, lang string) {
		rep, err := rs.Check(in, Options{Lang: lang, MinSeverity: rulepack.Info})
		if err != nil {
			if errors.Is(err, ErrEmpty) || errors.Is(err, ErrInvalidUTF8) || errors.Is(err, ErrOption) {
				return
			}
			t.Fatalf("unexpected error: %v", err)
		}
		last16 := -1
		for _, f := range rep.Findings {
			if f.Start < 0 || f.End > len(in) || f.Start >= f.End {
				t.Fatalf("span %d:%d out of bounds (len %d)", f.Start, f.End, len(in))
			}
			if !utf8.RuneStart(in[f.Start]) || (f.End < len(in) && !utf8.RuneStart(in[f.End])) {
				t.Fatalf("span %d:%d not on character boundaries", f.Start, f.End)
			}
			if f.Text != in[f.Start:f.End] {
				t.Fatalf("text %q, span says %q", f.Text, in[f.Start:f.End])
			}
			if f.Start16 > f.End16 || f.Start16 < last16 {
				t.Fatalf("UTF-16 offsets %d:%d out of order", f.Start16, f.End16)
			}
			last16 = f.Start16
		}
	})
}
