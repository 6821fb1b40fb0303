// Package text turns raw input into what the matcher reads: NFC text with a
// map back to the original offsets, sentences, words with their folded keys,
// and quotations with their speakers.
package text

import (
	"sort"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Normalized is a text in Unicode NFC together with a map from its byte
// offsets back to the byte offsets of the original input.
type Normalized struct {
	Text string
	orig string
	// At each normalisation segment start, the offset in Text and in orig.
	// Both are nil when the input was already in NFC.
	normAt []int
	origAt []int
}

// Normalize returns s in NFC. Already-normalised input (the common case) is
// returned as is, with an identity offset map.
func Normalize(s string) Normalized {
	if norm.NFC.IsNormalString(s) {
		return Normalized{Text: s, orig: s}
	}
	var b strings.Builder
	b.Grow(len(s))
	n := Normalized{orig: s}
	for i := 0; i < len(s); {
		j := i + norm.NFC.NextBoundaryInString(s[i:], true)
		if j <= i {
			j = len(s)
		}
		n.normAt = append(n.normAt, b.Len())
		n.origAt = append(n.origAt, i)
		// Segments between boundaries normalise independently of each other.
		b.WriteString(norm.NFC.String(s[i:j]))
		i = j
	}
	n.Text = b.String()
	return n
}

// Original maps a byte offset in the normalised text to the original input.
// An offset inside a segment that normalisation rewrote maps to the segment's
// start, or to its end when end is true, so that a span always covers every
// original byte that produced it.
func (n Normalized) Original(off int, end bool) int {
	if n.normAt == nil {
		return off
	}
	if off >= len(n.Text) {
		return len(n.orig)
	}
	// Last segment starting at or before off.
	k := sort.SearchInts(n.normAt, off+1) - 1
	if k < 0 {
		return 0
	}
	if n.normAt[k] == off || !end {
		return n.origAt[k]
	}
	if k+1 < len(n.origAt) {
		return n.origAt[k+1]
	}
	return len(n.orig)
}
