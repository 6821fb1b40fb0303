//go:build wasip1

// Command wasm is Vigie's browser module: the engine built with
// GOOS=wasip1 GOARCH=wasm -buildmode=c-shared, as a reactor whose exports are
// described in wasm/README.md. It only moves bytes between linear memory and
// package api.
package main

import (
	"runtime"
	"unsafe"

	"vigie/wasm/api"
)

// pinned keeps every buffer handed to the host alive until it frees it.
var pinned = map[uint32][]byte{}

// alloc returns the address of a new buffer of size bytes, owned by the
// host until it calls free.
//
//go:wasmexport alloc
func alloc(size uint32) uint32 {
	buf := make([]byte, max(size, 1))
	ptr := uint32(uintptr(unsafe.Pointer(&buf[0])))
	pinned[ptr] = buf
	return ptr
}

// free releases a buffer returned by alloc or by a call. Unknown or already
// freed addresses are ignored.
//
//go:wasmexport free
func free(ptr uint32) { delete(pinned, ptr) }

// input returns the first n bytes of the buffer at ptr, if the host
// allocated one that large.
func input(ptr, n uint32) ([]byte, bool) {
	if n == 0 {
		return nil, true
	}
	buf, ok := pinned[ptr]
	if !ok || uint32(len(buf)) < n {
		return nil, false
	}
	return buf[:n], true
}

// output hands b to the host as (address << 32 | length).
func output(b []byte) uint64 {
	ptr := alloc(uint32(len(b)))
	copy(pinned[ptr], b)
	return uint64(ptr)<<32 | uint64(len(b))
}

var badBuffer = []byte(`{"error":"a buffer passed to the module was not allocated with alloc, or is smaller than its length","code":"request"}`)

// check checks the text in (textPtr, textLen) with the JSON options in
// (optsPtr, optsLen) and returns a report or an error, as JSON.
//
//go:wasmexport check
func check(textPtr, textLen, optsPtr, optsLen uint32) uint64 {
	text, ok1 := input(textPtr, textLen)
	opts, ok2 := input(optsPtr, optsLen)
	if !ok1 || !ok2 {
		return output(badBuffer)
	}
	return output(api.Check(text, opts))
}

// rules returns the rules a check with these JSON options would use.
//
//go:wasmexport rules
func rules(optsPtr, optsLen uint32) uint64 {
	opts, ok := input(optsPtr, optsLen)
	if !ok {
		return output(badBuffer)
	}
	return output(api.Rules(opts))
}

// load_model loads the sentence model file in (ptr, len), for checks with
// the option "sentences", and returns the module's info or an error, as JSON.
// An empty buffer (len 0) unloads it.
//
//go:wasmexport load_model
func loadModel(ptr, n uint32) uint64 {
	data, ok := input(ptr, n)
	if !ok {
		return output(badBuffer)
	}
	return output(api.LoadModel(data))
}

// version returns the engine version and the default ruleset's hash.
//
//go:wasmexport version
func version() uint64 { return output(api.Version()) }

// Compile the default rules at start, then collect what compiling them left
// behind: the Go heap then sizes itself on what checks keep, not on the
// compiler's peak, and linear memory (which never shrinks) stays small.
func init() {
	api.Version()
	runtime.GC()
}

func main() {}
