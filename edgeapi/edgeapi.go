// Package edgeapi is Vigie's HTTP API, for platforms that check at scale:
// POST /v1/check, POST /v1/batch, GET /v1/rules and GET /v1/version, as a
// plain http.Handler. cmd/worker serves it on Cloudflare Workers (and, for
// comparison and self-hosting, natively). It logs nothing: submitted text
// never leaves the request.
package edgeapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"

	"vigie"
	"vigie/rulepack"
)

// Defaults of Config.
const (
	DefaultMaxBodyBytes = 1 << 20
	DefaultMaxBatch     = 100
)

// Config says how the API behaves.
type Config struct {
	Rules *vigie.Ruleset
	// AllowOrigins lists the origins that browsers may call the API from
	// ("*" for any); empty sends no CORS headers.
	AllowOrigins []string
	// MaxBodyBytes bounds a request body (413 past it); 0 means 1 MiB.
	MaxBodyBytes int64
	// MaxBatch bounds the texts of one /v1/batch request; 0 means 100.
	MaxBatch int
}

// Options are a check's options, as JSON. Every field is optional.
type Options struct {
	Lang        string   `json:"lang,omitempty"`
	Families    []string `json:"families,omitempty"`
	MinSeverity string   `json:"min_severity,omitempty"`
	UILang      string   `json:"ui_lang,omitempty"`
	Conventions []string `json:"conventions,omitempty"`
}

// CheckRequest is the body of POST /v1/check.
type CheckRequest struct {
	Text string `json:"text"`
	Options
}

// BatchRequest is the body of POST /v1/batch: texts checked with the same
// options, each with an id of the caller's choosing and, if it likes, its
// own language.
type BatchRequest struct {
	Texts []BatchText `json:"texts"`
	Options
}

// BatchText is one text of a batch.
type BatchText struct {
	ID   json.RawMessage `json:"id,omitempty"`
	Text string          `json:"text"`
	Lang string          `json:"lang,omitempty"`
}

// BatchResult is one text's answer: its report, or its error.
type BatchResult struct {
	ID     json.RawMessage `json:"id,omitempty"`
	Report *vigie.Report   `json:"report,omitempty"`
	Error  *Error          `json:"error,omitempty"`
}

// Error is the body of every error answer.
type Error struct {
	Error string `json:"error"`
	// Code: bad-request, empty, invalid-utf8, too-large, option,
	// too-many-texts, not-found or method.
	Code string `json:"code"`
}

// Version is the body of GET /v1/version.
type Version struct {
	Version string `json:"version"`
	Ruleset string `json:"ruleset"`
	Rules   int    `json:"rules"`
}

type api struct{ cfg Config }

// New returns the API's handler.
func New(cfg Config) http.Handler {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = DefaultMaxBatch
	}
	return &api{cfg}
}

func (a *api) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.cors(w, r)
	if r.Method == http.MethodOptions {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	route := map[string]struct {
		method string
		serve  func(http.ResponseWriter, *http.Request)
	}{
		"/v1/check":   {http.MethodPost, a.check},
		"/v1/batch":   {http.MethodPost, a.batch},
		"/v1/rules":   {http.MethodGet, a.rules},
		"/v1/version": {http.MethodGet, a.version},
	}[r.URL.Path]
	switch {
	case route.serve == nil:
		fail(w, http.StatusNotFound, "not-found", fmt.Sprintf("no endpoint %s (see /v1/check, /v1/batch, /v1/rules, /v1/version)", r.URL.Path))
	case r.Method != route.method:
		w.Header().Set("Allow", route.method+", OPTIONS")
		fail(w, http.StatusMethodNotAllowed, "method", fmt.Sprintf("%s takes %s, not %s", r.URL.Path, route.method, r.Method))
	default:
		route.serve(w, r)
	}
}

func (a *api) cors(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin == "" || len(a.cfg.AllowOrigins) == 0 {
		return
	}
	switch {
	case slices.Contains(a.cfg.AllowOrigins, "*"):
		w.Header().Set("Access-Control-Allow-Origin", "*")
	case slices.Contains(a.cfg.AllowOrigins, origin):
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Add("Vary", "Origin")
	default:
		return
	}
	w.Header().Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
	w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
	w.Header().Set("Access-Control-Max-Age", "86400")
}

// decode reads a JSON body into v, answering 413 or 400 itself when it
// cannot.
func (a *api) decode(w http.ResponseWriter, r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, a.cfg.MaxBodyBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		fail(w, http.StatusRequestEntityTooLarge, "too-large", fmt.Sprintf("the body is over the limit of %d bytes; split the text or use several requests", a.cfg.MaxBodyBytes))
		return false
	case err != nil:
		fail(w, http.StatusBadRequest, "bad-request", "reading the body: "+err.Error())
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		fail(w, http.StatusBadRequest, "bad-request", "the body is not the JSON this endpoint takes: "+jsonError(body, err))
		return false
	}
	if dec.More() {
		fail(w, http.StatusBadRequest, "bad-request", "the body holds more than one JSON value")
		return false
	}
	return true
}

// jsonError says where a JSON error is, in line and column.
func jsonError(body []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	offset := int64(-1)
	switch {
	case errors.As(err, &syn):
		offset = syn.Offset
	case errors.As(err, &typ):
		offset = typ.Offset
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return "the JSON ends too early (an unclosed object, array or string?)"
	}
	if offset < 0 || offset > int64(len(body)) {
		return err.Error()
	}
	before := body[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("%v (line %d, column %d)", err, line, col)
}

func (a *api) options(o Options, lang string) (vigie.Options, error) {
	opts := vigie.Options{Lang: o.Lang, Families: o.Families, UILang: o.UILang, Conventions: o.Conventions}
	if lang != "" {
		opts.Lang = lang
	}
	if o.MinSeverity != "" {
		sev, err := rulepack.ParseSeverity(o.MinSeverity)
		if err != nil {
			return opts, fmt.Errorf("%w: %v", vigie.ErrOption, err)
		}
		opts.MinSeverity = sev
	}
	return opts, a.cfg.Rules.ValidateOptions(opts)
}

func (a *api) check(w http.ResponseWriter, r *http.Request) {
	var req CheckRequest
	if !a.decode(w, r, &req) {
		return
	}
	opts, err := a.options(req.Options, "")
	if err != nil {
		failCheck(w, err)
		return
	}
	rep, err := a.cfg.Rules.Check(req.Text, opts)
	if err != nil {
		failCheck(w, err)
		return
	}
	reply(w, http.StatusOK, rep)
}

func (a *api) batch(w http.ResponseWriter, r *http.Request) {
	var req BatchRequest
	if !a.decode(w, r, &req) {
		return
	}
	if len(req.Texts) == 0 {
		fail(w, http.StatusBadRequest, "empty", `no texts: give "texts": [{"id": ..., "text": ...}, ...]`)
		return
	}
	if len(req.Texts) > a.cfg.MaxBatch {
		fail(w, http.StatusRequestEntityTooLarge, "too-many-texts", fmt.Sprintf("%d texts, the limit is %d per batch", len(req.Texts), a.cfg.MaxBatch))
		return
	}
	if _, err := a.options(req.Options, ""); err != nil {
		failCheck(w, err)
		return
	}
	out := struct {
		Results []BatchResult `json:"results"`
	}{Results: make([]BatchResult, len(req.Texts))}
	for i, t := range req.Texts {
		res := BatchResult{ID: t.ID}
		opts, err := a.options(req.Options, t.Lang)
		var rep *vigie.Report
		if err == nil {
			rep, err = a.cfg.Rules.Check(t.Text, opts)
		}
		if err != nil {
			_, code := status(err)
			res.Error = &Error{Error: err.Error(), Code: code}
		} else {
			res.Report = rep
		}
		out.Results[i] = res
	}
	reply(w, http.StatusOK, out)
}

func (a *api) rules(w http.ResponseWriter, r *http.Request) {
	lang := r.URL.Query().Get("lang")
	if lang != "" && lang != "fr" && lang != "en" {
		fail(w, http.StatusBadRequest, "option", fmt.Sprintf("unknown lang %q (want fr or en)", lang))
		return
	}
	out := []*rulepack.Rule{}
	for _, rule := range a.cfg.Rules.Rules() {
		if lang == "" || rule.Lang == lang {
			out = append(out, rule)
		}
	}
	reply(w, http.StatusOK, out)
}

func (a *api) version(w http.ResponseWriter, r *http.Request) {
	reply(w, http.StatusOK, Version{Version: vigie.Version, Ruleset: a.cfg.Rules.Hash(), Rules: len(a.cfg.Rules.Rules())})
}

// status maps an engine error to an HTTP status and an error code.
func status(err error) (int, string) {
	switch code := vigie.ErrorCode(err); code {
	case "too-large":
		return http.StatusRequestEntityTooLarge, code
	case "":
		return http.StatusInternalServerError, "internal"
	default:
		return http.StatusBadRequest, code
	}
}

func failCheck(w http.ResponseWriter, err error) {
	code, name := status(err)
	fail(w, code, name, err.Error())
}

func fail(w http.ResponseWriter, status int, code, msg string) {
	reply(w, status, Error{Error: strings.TrimSpace(msg), Code: code})
}

func reply(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":"encoding the answer failed","code":"internal"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}
