package vigie

import (
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"

	"vigie/rulepack"
)

// corpusText returns about n words of a corpus in testdata/corpus, repeated
// as often as needed and cut at a word boundary.
func corpusText(tb testing.TB, file string, n int) string {
	tb.Helper()
	data, err := os.ReadFile("testdata/corpus/" + file)
	if err != nil {
		tb.Fatal(err)
	}
	words := strings.Fields(string(data))
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(words[i%len(words)])
	}
	return b.String()
}

func wordsPerSecond(b *testing.B, words int) {
	b.ReportMetric(float64(words)*float64(b.N)/b.Elapsed().Seconds(), "words/s")
}

// BenchmarkCheck measures the default rules on 1k to 1M words of State of
// the Union addresses, and on 10k words of the French UDHR. The budget is
// 5 ms for 10,000 words.
func BenchmarkCheck(b *testing.B) {
	rs, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		lang, file string
		words      int
	}{
		{"en", "sotu-2002-2021.txt", 1_000},
		{"en", "sotu-2002-2021.txt", 10_000},
		{"en", "sotu-2002-2021.txt", 100_000},
		{"en", "sotu-2002-2021.txt", 1_000_000},
		{"fr", "udhr-fr.txt", 10_000},
	}
	for _, c := range cases {
		text := corpusText(b, c.file, c.words)
		b.Run(fmt.Sprintf("%s/words=%d", c.lang, c.words), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if _, err := rs.Check(text, Options{Lang: c.lang}); err != nil {
					b.Fatal(err)
				}
			}
			wordsPerSecond(b, c.words)
		})
	}
}

// syntheticRules builds n rules from the vocabulary of a corpus. Ten of them
// fire on common words, at every size, so that every size gives the same
// report; the others are shaped to make the matcher work without firing:
// phrases whose first word is common, and inflected words that share a stem
// head with real ones. They exist only to measure how the cost grows with
// the number of rules.
func syntheticRules(tb testing.TB, n int) *Ruleset {
	data, err := os.ReadFile("testdata/corpus/sotu-2002-2021.txt")
	if err != nil {
		tb.Fatal(err)
	}
	freq := map[string]int{}
	for _, w := range strings.Fields(strings.ToLower(string(data))) {
		w = strings.Trim(w, ".,;:!?\"'()—-")
		if len(w) > 3 && strings.IndexFunc(w, func(r rune) bool { return r < 'a' || r > 'z' }) < 0 {
			freq[w]++
		}
	}
	vocab := make([]string, 0, len(freq))
	for w := range freq {
		vocab = append(vocab, w)
	}
	sort.Slice(vocab, func(i, j int) bool {
		return freq[vocab[i]] > freq[vocab[j]] || freq[vocab[i]] == freq[vocab[j]] && vocab[i] < vocab[j]
	})
	var b strings.Builder
	b.WriteString("lang: en\nfamily: framing\nrules:\n")
	for i := 0; i < n; i++ {
		w := vocab[i%len(vocab)]
		var pattern, fire string
		switch {
		case i < 10: // the same ten firing rules at every size: common words
			w = vocab[100+i]
			pattern, fire = w, "["+w+"]"
		case i%2 == 0: // a phrase that starts with a common word and never completes
			pattern = fmt.Sprintf("%s zz%d", w, i)
			fire = fmt.Sprintf("[%s zz%d]", w, i)
		default: // an inflected word that cannot occur, sharing a stem head with a real one
			pattern = fmt.Sprintf("%sq%d~", w, i)
			fire = fmt.Sprintf("[%sq%d]", w, i)
		}
		fmt.Fprintf(&b, "  - id: en.framing.r%d\n    category: synthetic\n    severity: warning\n    patterns: [%q]\n", i, pattern)
		b.WriteString("    message: {fr: m, en: m}\n    explanation: {fr: e, en: e}\n    sources: [{title: benchmark}]\n")
		fmt.Fprintf(&b, "    examples: {fire: [%q], pass: [\"Zyxw vut.\"]}\n", fire)
	}
	p, err := rulepack.Parse("synthetic.yaml", []byte(b.String()))
	if err != nil {
		tb.Fatal(err)
	}
	rs, err := Compile(p)
	if err != nil {
		tb.Fatal(err)
	}
	return rs
}

// BenchmarkRuleCount checks the same 10,000 words with 10, 1,000 and 10,000
// rules. The cost should stay flat: "x10rules" is the time per check as a
// multiple of the 10-rule run, measured in the same process.
func BenchmarkRuleCount(b *testing.B) {
	text := corpusText(b, "sotu-2002-2021.txt", 10_000)
	var baseline float64
	for _, n := range []int{10, 1_000, 10_000} {
		rs := syntheticRules(b, n)
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := rs.Check(text, Options{Lang: "en"}); err != nil {
					b.Fatal(err)
				}
			}
			perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if n == 10 {
				baseline = perOp
			}
			if baseline > 0 {
				b.ReportMetric(perOp/baseline, "x10rules")
			}
			wordsPerSecond(b, 10_000)
		})
	}
}
