package text

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Folding options: which differences between two words are ignored.
const (
	FoldCase    = 1 << iota // Élite = élite
	FoldAccents             // élite = elite
	FoldAll     = FoldCase | FoldAccents
)

// stripLimit bounds the Latin letters that folding strips of diacritics:
// Latin-1 Supplement and Latin Extended-A and -B.
const stripLimit = 0x250

// stripTable maps a Latin letter with diacritics to its base letters ("" for
// the others). It is derived from Unicode decompositions, plus the ligatures
// and letters French and its neighbours use that do not decompose.
var stripTable = func() (t [stripLimit]string) {
	for r, base := range map[rune]string{
		'œ': "oe", 'Œ': "OE", 'æ': "ae", 'Æ': "AE", 'ß': "ss",
		'ø': "o", 'Ø': "O", 'đ': "d", 'Đ': "D", 'ł': "l", 'Ł': "L",
	} {
		t[r] = base
	}
	for r := rune(0xC0); r < stripLimit; r++ {
		d := norm.NFD.String(string(r))
		base, size := utf8.DecodeRuneInString(d)
		if size == len(d) || !unicode.IsLetter(base) {
			continue
		}
		rest := d[size:]
		allMarks := true
		for _, m := range rest {
			if !unicode.Is(unicode.Mn, m) {
				allMarks = false
			}
		}
		if allMarks {
			t[r] = string(base)
		}
	}
	return t
}()

// isApostrophe reports the characters that French and English use as an
// apostrophe; folding turns them all into '.
func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || r == '‘' || r == '′'
}

// AppendFold appends s to dst with the differences that mode ignores removed.
// Apostrophes are always unified, since ' and ’ never tell two words apart.
func AppendFold(dst []byte, s string, mode int) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if mode&FoldCase != 0 && 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case isApostrophe(r):
			dst = append(dst, '\'')
			continue
		case mode&FoldAccents != 0 && r < stripLimit && stripTable[r] != "":
			base := stripTable[r]
			for j := 0; j < len(base); j++ {
				b := base[j]
				if mode&FoldCase != 0 && 'A' <= b && b <= 'Z' {
					b += 'a' - 'A'
				}
				dst = append(dst, b)
			}
			continue
		}
		if mode&FoldCase != 0 {
			r = unicode.ToLower(r)
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// Fold returns s folded with mode.
func Fold(s string, mode int) string {
	return string(AppendFold(make([]byte, 0, len(s)), s, mode))
}
