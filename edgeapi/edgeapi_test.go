package edgeapi

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"vigie"
)

func server(t *testing.T, cfg Config) *httptest.Server {
	t.Helper()
	rs, err := vigie.Default()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Rules = rs
	srv := httptest.NewServer(New(cfg))
	t.Cleanup(srv.Close)
	return srv
}

func do(t *testing.T, srv *httptest.Server, method, path, body string, header ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// The API's report is the engine's, byte for byte.
func TestCheckMatchesEngine(t *testing.T) {
	srv := server(t, Config{})
	text := "Selon des experts, le ministre prétend que les charges sociales tuent l'emploi."
	code, h, body := do(t, srv, "POST", "/v1/check", `{"text": "`+text+`", "lang": "fr", "ui_lang": "en"}`)
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Fatalf("%d %s", code, body)
	}
	rs, _ := vigie.Default()
	rep, err := rs.Check(text, vigie.Options{Lang: "fr", UILang: "en"})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(rep)
	if strings.TrimSpace(body) != string(want) {
		t.Errorf("API report\n%s\nengine report\n%s", body, want)
	}
}

func TestBatch(t *testing.T) {
	srv := server(t, Config{MaxBatch: 3})
	code, _, body := do(t, srv, "POST", "/v1/batch", `{"texts": [{"id": 1, "text": "The senator insisted that the death tax must go."},
		{"id": "b", "text": "Le ministre prétend tout.", "lang": "fr"}, {"id": 3, "text": "  "}], "min_severity": "info"}`)
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	var out struct {
		Results []struct {
			ID     json.RawMessage
			Report *vigie.Report
			Error  *Error
		}
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	r := out.Results
	if len(r) != 3 || string(r[0].ID) != "1" || r[0].Report == nil || len(r[0].Report.Findings) == 0 || r[1].Report.Lang != "fr" ||
		r[2].Error == nil || r[2].Error.Code != "empty" {
		t.Errorf("results: %s", body)
	}
	code, _, body = do(t, srv, "POST", "/v1/batch", `{"texts": [{"text": "a"}, {"text": "b"}, {"text": "c"}, {"text": "d"}]}`)
	if code != 413 || !strings.Contains(body, `"too-many-texts"`) {
		t.Errorf("4 texts past a limit of 3: %d %s", code, body)
	}
}

func TestBadRequests(t *testing.T) {
	srv := server(t, Config{MaxBodyBytes: 200})
	for _, c := range []struct {
		method, path, body string
		code               int
		want               string
	}{
		{"POST", "/v1/check", `{"text": "x",`, 400, "the JSON ends too early"},
		{"POST", "/v1/check", "{\n  \"text\": 42\n}", 400, "line 2, column"},
		{"POST", "/v1/check", `{"text": "x", "langue": "fr"}`, 400, `unknown field \"langue\"`},
		{"POST", "/v1/check", `{"text": "x"} {"text": "y"}`, 400, "more than one JSON value"},
		{"POST", "/v1/check", `{"text": ""}`, 400, `"empty"`},
		{"POST", "/v1/check", `{"text": "x", "lang": "de"}`, 400, `unknown language \"de\"`},
		{"POST", "/v1/check", `{"text": "x", "min_severity": "loud"}`, 400, `"option"`},
		{"POST", "/v1/check", `{"text": "x", "conventions": ["nope"]}`, 400, `unknown convention \"nope\"`},
		{"POST", "/v1/check", `{"text": "` + strings.Repeat("a ", 200) + `"}`, 413, "over the limit of 200 bytes"},
		{"POST", "/v1/batch", `{"texts": []}`, 400, "no texts"},
		{"GET", "/v1/check", ``, 405, "/v1/check takes POST, not GET"},
		{"POST", "/v1/version", ``, 405, "takes GET"},
		{"GET", "/v2/check", ``, 404, "no endpoint /v2/check"},
		{"GET", "/v1/rules?lang=de", ``, 400, `unknown lang \"de\"`},
	} {
		code, _, body := do(t, srv, c.method, c.path, c.body)
		if code != c.code || !strings.Contains(body, c.want) || !strings.Contains(body, `"code":`) {
			t.Errorf("%s %s %q: %d %s; want %d and %q", c.method, c.path, c.body, code, body, c.code, c.want)
		}
	}
}

func TestRulesAndVersion(t *testing.T) {
	srv := server(t, Config{})
	rs, _ := vigie.Default()
	_, _, body := do(t, srv, "GET", "/v1/version", "")
	var v Version
	if err := json.Unmarshal([]byte(body), &v); err != nil || v.Ruleset != rs.Hash() || v.Rules != len(rs.Rules()) || v.Version != vigie.Version {
		t.Errorf("version: %s", body)
	}
	_, _, body = do(t, srv, "GET", "/v1/rules?lang=fr", "")
	var rules []struct{ ID, Lang string }
	if err := json.Unmarshal([]byte(body), &rules); err != nil || len(rules) == 0 {
		t.Fatalf("rules: %v", err)
	}
	for _, r := range rules {
		if r.Lang != "fr" {
			t.Errorf("?lang=fr returned %s", r.ID)
		}
	}
}

func TestCORS(t *testing.T) {
	srv := server(t, Config{AllowOrigins: []string{"https://civic.example"}})
	_, h, _ := do(t, srv, "GET", "/v1/version", "", "Origin", "https://civic.example")
	if h.Get("Access-Control-Allow-Origin") != "https://civic.example" {
		t.Errorf("allowed origin: %v", h)
	}
	_, h, _ = do(t, srv, "GET", "/v1/version", "", "Origin", "https://other.example")
	if h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("another origin was allowed: %v", h)
	}
	code, h, _ := do(t, srv, "OPTIONS", "/v1/check", "", "Origin", "https://civic.example", "Access-Control-Request-Method", "POST")
	if code != 204 || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight: %d %v", code, h)
	}
	any := server(t, Config{AllowOrigins: []string{"*"}})
	if _, h, _ := do(t, any, "GET", "/v1/version", "", "Origin", "https://x.example"); h.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("any origin: %v", h)
	}
}
