package text

import (
	"reflect"
	"strings"
	"testing"
)

func wordsOf(d *Doc) []string {
	var out []string
	for i := range d.Tokens {
		out = append(out, d.Word(i))
	}
	return out
}

func keys(d *Doc) []string {
	var out []string
	for _, t := range d.Tokens {
		out = append(out, t.Key)
	}
	return out
}

func TestSegmentWords(t *testing.T) {
	tests := []struct {
		name, lang, in string
		want           []string
	}{
		{"elision straight", "fr", "l'élite d'abord qu'il jusqu'au bout", []string{"l'", "élite", "d'", "abord", "qu'", "il", "jusqu'", "au", "bout"}},
		{"elision curly", "fr", "L’État s’en prend à l’opposition", []string{"L’", "État", "s’", "en", "prend", "à", "l’", "opposition"}},
		{"elision upper", "fr", "QU'ON DIT", []string{"QU'", "ON", "DIT"}},
		{"no elision inside words", "fr", "aujourd'hui prud'hommes", []string{"aujourd'hui", "prud'hommes"}},
		{"hyphenated compounds", "fr", "l'islamo-gauchisme, peut-être, c'est-à-dire", []string{"l'", "islamo-gauchisme", "peut-être", "c'", "est-à-dire"}},
		{"english clitics", "en", "Don't say it's the people’s choice", []string{"Do", "n't", "say", "it", "'s", "the", "people", "’s", "choice"}},
		{"english compounds", "en", "the so-called pro-life movement", []string{"the", "so-called", "pro-life", "movement"}},
		{"emoji are not words", "fr", "Bravo 👏🏽 les élus 🇫🇷 !", []string{"Bravo", "les", "élus"}},
		{"numbers", "en", "In 2021, 3.5% of 1,000 voters", []string{"In", "2021", "3.5", "of", "1,000", "voters"}},
		{"inclusive forms", "fr", "Les étudiant·e·s, élu.e.s, candidat(e)s, salarié-e-s et agent(e) (voir annexe) puis fonction(s).",
			[]string{"Les", "étudiant·e·s", "élu.e.s", "candidat(e)s", "salarié-e-s", "et", "agent(e)", "voir", "annexe", "puis", "fonction(s)"}},
		{"parentheses stay apart in english", "en", "the candidate(s) (see below)", []string{"the", "candidate", "s", "see", "below"}},
		{"rtl text", "en", "The word سلام means peace; שלום too.", []string{"The", "word", "سلام", "means", "peace", "שלום", "too"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Segment(tt.in, tt.lang)
			if got := wordsOf(d); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("words = %q, want %q", got, tt.want)
			}
			for _, tok := range d.Tokens {
				if tok.Start < 0 || tok.End > len(tt.in) || tok.Start >= tok.End {
					t.Errorf("token %+v out of bounds", tok)
				}
			}
		})
	}
}

func TestSegmentKeysFoldCaseAccentsApostrophes(t *testing.T) {
	d := Segment("ÉLITE élite Elite L’Œuvre", "fr")
	want := []string{"elite", "elite", "elite", "l'", "oeuvre"}
	if got := keys(d); !reflect.DeepEqual(got, want) {
		t.Errorf("keys = %q, want %q", got, want)
	}
}

func TestSegmentCombiningAccents(t *testing.T) {
	// "élite" written with a combining acute accent (NFD), as macOS file names are.
	in := "Une e\u0301lite."
	n := Normalize(in)
	d := Segment(n.Text, "fr")
	if got := keys(d); !reflect.DeepEqual(got, []string{"une", "elite"}) {
		t.Fatalf("keys = %q", got)
	}
	tok := d.Tokens[1]
	start, end := n.Original(tok.Start, false), n.Original(tok.End, true)
	if got := in[start:end]; got != "e\u0301lite" {
		t.Errorf("original span = %q, want the decomposed word", got)
	}
}

func TestSegmentSentences(t *testing.T) {
	tests := []struct {
		name, lang, in string
		want           []string
	}{
		{"plain", "fr", "Il pleut. Elle sort ! Et lui ?", []string{"Il pleut. ", "Elle sort ! ", "Et lui ?"}},
		{"abbreviation fr", "fr", "M. Dupont est venu. Mme Durand aussi.", []string{"M. Dupont est venu. ", "Mme Durand aussi."}},
		{"abbreviation en", "en", "Mr. Smith met Dr. Jones in the U.S. Senate. Then he left.", []string{"Mr. Smith met Dr. Jones in the U.S. Senate. ", "Then he left."}},
		{"initial", "en", "J. Smith spoke. Nobody listened.", []string{"J. Smith spoke. ", "Nobody listened."}},
		{"paragraphs", "en", "A title\n\nThe text goes on", []string{"A title\n\n", "The text goes on"}},
		{"hard wrap", "en", "Some people say that\nthe tax is a burden.", []string{"Some people say that\nthe tax is a burden."}},
		{"line of a list", "en", "Jobs\nThe economy grew.", []string{"Jobs\n", "The economy grew."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Segment(tt.in, tt.lang)
			var got []string
			for _, s := range d.Sentences {
				got = append(got, tt.in[s.Start:s.End])
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("sentences = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSegmentGaps(t *testing.T) {
	d := Segment("Les jeunes, sont « là » aujourd'hui.", "fr")
	var gaps []string
	for i, tok := range d.Tokens {
		if tok.Gap {
			gaps = append(gaps, d.Word(i))
		}
	}
	// The comma stops a pattern; quotation marks do not.
	if !reflect.DeepEqual(gaps, []string{"sont"}) {
		t.Errorf("words after a gap = %q, want [sont]", gaps)
	}
}

func quoted(d *Doc) []string {
	var out []string
	for i, tok := range d.Tokens {
		if tok.Quote >= 0 {
			out = append(out, d.Word(i))
		}
	}
	return out
}

func TestQuotes(t *testing.T) {
	tests := []struct {
		name, lang, in string
		quoted         []string
		speakers       []string
	}{
		{"guillemets before", "fr", "Jean Dupont a déclaré : « C'est une honte. » Puis il est parti.",
			[]string{"C'", "est", "une", "honte"}, []string{"Jean Dupont"}},
		{"guillemets after inverted", "fr", "« Nous ne céderons pas », a affirmé la ministre.",
			[]string{"Nous", "ne", "céderons", "pas"}, []string{"la ministre"}},
		{"guillemets after name", "fr", "« Tout va bien », assure Marie Curie-Durand.",
			[]string{"Tout", "va", "bien"}, []string{"Marie Curie-Durand"}},
		{"selon", "fr", "Selon Charles de Gaulle, « la France » est éternelle.",
			[]string{"la", "France"}, []string{"Charles de Gaulle"}},
		{"nested", "fr", "« Il a dit “jamais” hier », raconte-t-elle.",
			[]string{"Il", "a", "dit", "jamais", "hier"}, []string{"", "Il"}},
		{"curly after", "en", "“We will win,” said Senator Smith.",
			[]string{"We", "will", "win"}, []string{"Senator Smith"}},
		{"straight before", "en", `The senator said: "This is a disaster." Then silence.`,
			[]string{"This", "is", "a", "disaster"}, []string{"The senator"}},
		{"name then verb after", "en", `"It works," John Smith said.`,
			[]string{"It", "works"}, []string{"John Smith"}},
		{"according to", "en", `According to the mayor, "nothing happened".`,
			[]string{"nothing", "happened"}, []string{"the mayor"}},
		{"scare quotes, no speaker", "en", `These "experts" know nothing.`,
			[]string{"experts"}, []string{""}},
		{"unclosed guillemet ends at paragraph", "fr", "« Je pars.\n\nIl est resté.",
			[]string{"Je", "pars"}, []string{""}},
		{"lone straight quote is not a quotation", "en", "A 5\" screen\n\nis small.",
			nil, nil},
		{"apostrophes are not quotes", "en", "The voters’ choice and the workers' rights.",
			nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Segment(Normalize(tt.in).Text, tt.lang)
			if got := quoted(d); !reflect.DeepEqual(got, tt.quoted) {
				t.Errorf("quoted words = %q, want %q", got, tt.quoted)
			}
			var speakers []string
			for _, q := range d.Quotes {
				speakers = append(speakers, q.Speaker)
			}
			if !reflect.DeepEqual(speakers, tt.speakers) {
				t.Errorf("speakers = %q, want %q", speakers, tt.speakers)
			}
		})
	}
}

func TestNormalizeOffsets(t *testing.T) {
	// Decomposed accents everywhere: every normalised offset maps into the
	// original, on a character boundary, in order.
	in := strings.Repeat("Cafe\u0301 de\u0301ja\u0300 vu. ", 3)
	n := Normalize(in)
	if n.Text == in {
		t.Fatal("input should have changed")
	}
	prev := 0
	for off := 0; off <= len(n.Text); off++ {
		o := n.Original(off, false)
		if o < prev || o > len(in) {
			t.Fatalf("Original(%d) = %d, not in order", off, o)
		}
		prev = o
	}
	if got := n.Original(len(n.Text), true); got != len(in) {
		t.Errorf("end maps to %d, want %d", got, len(in))
	}
	// Identity when nothing changes.
	id := Normalize("déjà")
	if id.Original(3, false) != 3 {
		t.Error("NFC input should map offsets to themselves")
	}
}

func TestFold(t *testing.T) {
	tests := []struct {
		in   string
		mode int
		want string
	}{
		{"ÉLITE", FoldAll, "elite"},
		{"Élite", FoldCase, "élite"},
		{"Élite", FoldAccents, "Elite"},
		{"Cœur Æther straße", FoldAll, "coeur aether strasse"},
		{"l’État", FoldAll, "l'etat"},
		{"ÇA", FoldAll, "ca"},
		{"Ελλάδα", FoldCase, "ελλάδα"},
	}
	for _, tt := range tests {
		if got := Fold(tt.in, tt.mode); got != tt.want {
			t.Errorf("Fold(%q, %d) = %q, want %q", tt.in, tt.mode, got, tt.want)
		}
	}
}

func TestStemKey(t *testing.T) {
	same := [][]string{
		{"fr", "révéler", "révèle", "révélé", "révélaient", "RÉVÉLAIT"},
		{"en", "claim", "claims", "claimed", "claiming"},
		{"en", "admit", "admits", "admitted"},
	}
	for _, g := range same {
		want := StemKey(g[0], g[1])
		for _, w := range g[2:] {
			if got := StemKey(g[0], w); got != want {
				t.Errorf("StemKey(%s, %q) = %q, want %q", g[0], w, got, want)
			}
		}
	}
}
