// Package api is what the browser module does, as plain Go: it reads a
// request (a text and its options as JSON), checks it, and writes the answer
// as JSON. The wasm module (package main in wasm/) only moves bytes in and
// out of linear memory and calls this package, so native tests and the
// module give byte-identical answers.
package api

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"vigie"
	"vigie/models/sentence"
	"vigie/rulepack"
)

// Options are the options of one check, as the page or the widget sends
// them. Every field is optional.
type Options struct {
	Lang        string   `json:"lang,omitempty"`         // fr, en or auto
	Families    []string `json:"families,omitempty"`     // keep only these families
	MinSeverity string   `json:"min_severity,omitempty"` // info, suggestion or warning
	UILang      string   `json:"ui_lang,omitempty"`      // language of the messages
	Conventions []string `json:"conventions,omitempty"`  // writing conventions to apply (off by default)
	// Sentences also scores every sentence with the sentence model, which
	// LoadModel must have loaded.
	Sentences bool `json:"sentences,omitempty"`
	// SentenceThreshold, from 0 to 1, marks sentences from this score
	// instead of the model's own threshold.
	SentenceThreshold *float64 `json:"sentence_threshold,omitempty"`
	// Pack is an extra rule pack, YAML or JSON, checked with the default
	// rules; PackName names it in error messages.
	Pack     string `json:"pack,omitempty"`
	PackName string `json:"pack_name,omitempty"`
}

// Error is the answer when a request cannot be served.
type Error struct {
	Error string `json:"error"`
	// Code says what went wrong: empty, invalid-utf8, too-large, option,
	// pack or request.
	Code string `json:"code"`
}

// Info describes the module.
type Info struct {
	Version string `json:"version"`
	Ruleset string `json:"ruleset"`
	Rules   int    `json:"rules"`
	// Conventions are the writing conventions a check may select.
	Conventions []*rulepack.Convention `json:"conventions"`
	// Model is the loaded sentence model, if any.
	Model *ModelInfo `json:"model,omitempty"`
}

// ModelInfo describes the loaded sentence model.
type ModelInfo struct {
	Name      string  `json:"name"`
	Threshold float64 `json:"threshold"`
}

// The sentence model, once LoadModel has loaded it.
var model struct {
	sync.Mutex
	m *sentence.Model
}

// LoadModel loads a sentence model file (see models/sentence) for the
// checks that ask for it, and returns the module's Info or an Error. Empty
// data unloads the model.
func LoadModel(data []byte) []byte {
	if len(data) == 0 {
		model.Lock()
		model.m = nil
		model.Unlock()
		return Version()
	}
	m, err := sentence.Load(data)
	if err != nil {
		return encode(Error{Error: err.Error(), Code: "model"})
	}
	model.Lock()
	model.m = m
	model.Unlock()
	return Version()
}

func loadedModel() *sentence.Model {
	model.Lock()
	defer model.Unlock()
	return model.m
}

// Check checks text with the options encoded in opts (empty means the
// defaults) and returns a vigie.Report or an Error, as JSON.
func Check(text, opts []byte) []byte {
	o, rs, err := parse(opts)
	if err != nil {
		return encodeError(err)
	}
	min := rulepack.Severity(0)
	if o.MinSeverity != "" {
		if min, err = rulepack.ParseSeverity(o.MinSeverity); err != nil {
			return encode(Error{Error: err.Error(), Code: "option"})
		}
	}
	vo := vigie.Options{Lang: o.Lang, Families: o.Families, MinSeverity: min, UILang: o.UILang, Conventions: o.Conventions}
	if o.Sentences {
		m := loadedModel()
		if m == nil {
			return encode(Error{Error: "the sentence model is not loaded: call load_model with the model file first", Code: "model"})
		}
		vo.Sentences = m
		if t := o.SentenceThreshold; t != nil {
			vo.Sentences = vigie.WithThreshold(m, *t) // the engine checks its range
		}
	} else if o.SentenceThreshold != nil {
		return encode(Error{Error: "sentence_threshold needs sentences: true", Code: "option"})
	}
	rep, err := rs.Check(string(text), vo)
	if err != nil {
		return encodeError(err)
	}
	return encode(rep)
}

// Rules returns every rule that a check with these options would use, with
// all their fields (explanations, sources, examples), as a JSON array.
func Rules(opts []byte) []byte {
	_, rs, err := parse(opts)
	if err != nil {
		return encodeError(err)
	}
	return encode(rs.Rules())
}

// Version returns the module's Info as JSON.
func Version() []byte {
	rs, err := vigie.Default()
	if err != nil {
		return encodeError(err)
	}
	conventions := rs.Conventions()
	if conventions == nil {
		conventions = []*rulepack.Convention{}
	}
	info := Info{Version: vigie.Version, Ruleset: rs.Hash(), Rules: len(rs.Rules()), Conventions: conventions}
	if m := loadedModel(); m != nil {
		info.Model = &ModelInfo{Name: m.Name(), Threshold: m.Threshold()}
	}
	return encode(info)
}

type packError struct{ error }

func parse(opts []byte) (Options, *vigie.Ruleset, error) {
	var o Options
	if len(bytes.TrimSpace(opts)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(opts))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&o); err != nil {
			return o, nil, fmt.Errorf("%w: options: %v", errRequest, err)
		}
	}
	if o.Pack == "" {
		rs, err := vigie.Default()
		return o, rs, err
	}
	rs, err := withPack(o.PackName, o.Pack)
	return o, rs, err
}

var errRequest = errors.New("bad request")

// The last extra pack compiled, kept while the page sends the same one.
var packCache struct {
	sync.Mutex
	sum [32]byte
	rs  *vigie.Ruleset
	err error
}

func withPack(name, src string) (*vigie.Ruleset, error) {
	if name == "" {
		name = "pack.yaml"
	}
	sum := sha256.Sum256([]byte(name + "\x00" + src))
	packCache.Lock()
	defer packCache.Unlock()
	if packCache.sum == sum && (packCache.rs != nil || packCache.err != nil) {
		return packCache.rs, packCache.err
	}
	p, err := rulepack.Parse(name, []byte(src))
	var rs *vigie.Ruleset
	if err == nil {
		rs, err = vigie.WithPacks(p)
	}
	if err != nil {
		err = packError{err}
	}
	packCache.sum, packCache.rs, packCache.err = sum, rs, err
	return rs, err
}

func encodeError(err error) []byte {
	var pe packError
	code := vigie.ErrorCode(err)
	switch {
	case errors.As(err, &pe):
		code = "pack"
	case code == "":
		code = "request"
	}
	return encode(Error{Error: err.Error(), Code: code})
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(Error{Error: err.Error(), Code: "request"})
	}
	return b
}
