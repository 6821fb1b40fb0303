// Package binform writes and reads the plain binary forms Vigie embeds
// (rule packs, compiled rulesets): varints and length-prefixed strings, in
// an order that the writer and the reader of each form agree on.
package binform

import (
	"encoding/binary"
	"errors"
)

// ErrCorrupt is returned for data that ends early or holds impossible
// lengths.
var ErrCorrupt = errors.New("truncated or corrupt")

// Writer appends values to Buf.
type Writer struct{ Buf []byte }

// Int writes a non-negative number.
func (w *Writer) Int(n int) { w.Buf = binary.AppendUvarint(w.Buf, uint64(n)) }

// Str writes a string.
func (w *Writer) Str(s string) {
	w.Int(len(s))
	w.Buf = append(w.Buf, s...)
}

// Bool writes a boolean.
func (w *Writer) Bool(b bool) {
	if b {
		w.Int(1)
	} else {
		w.Int(0)
	}
}

// Strs writes a list of strings.
func (w *Writer) Strs(ss []string) {
	w.Int(len(ss))
	for _, s := range ss {
		w.Str(s)
	}
}

// Ints writes a list of non-negative numbers.
func (w *Writer) Ints(ns []int) {
	w.Int(len(ns))
	for _, n := range ns {
		w.Int(n)
	}
}

// Reader reads what Writer wrote. After the first error every read returns
// a zero value, and Err says what went wrong.
type Reader struct {
	Buf []byte
	Err error
}

// Int reads a number.
func (r *Reader) Int() int {
	if r.Err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.Buf)
	if n <= 0 || v > 1<<31 {
		r.Err = ErrCorrupt
		return 0
	}
	r.Buf = r.Buf[n:]
	return int(v)
}

// Count reads a length, refusing one larger than the bytes left.
func (r *Reader) Count() int {
	n := r.Int()
	if n > len(r.Buf) {
		r.Err = ErrCorrupt
		return 0
	}
	return n
}

// Str reads a string.
func (r *Reader) Str() string {
	n := r.Count()
	if r.Err != nil {
		return ""
	}
	s := string(r.Buf[:n])
	r.Buf = r.Buf[n:]
	return s
}

// Bool reads a boolean.
func (r *Reader) Bool() bool { return r.Int() != 0 }

// Strs reads a list of strings; an empty list is nil.
func (r *Reader) Strs() []string {
	n := r.Count()
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.Str()
	}
	return out
}

// Ints reads a list of numbers; an empty list is nil.
func (r *Reader) Ints() []int {
	n := r.Count()
	if n == 0 {
		return nil
	}
	out := make([]int, n)
	for i := range out {
		out[i] = r.Int()
	}
	return out
}
