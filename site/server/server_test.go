package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/fstest"
)

func TestHandler(t *testing.T) {
	root := fstest.MapFS{
		"checker/index.html": {Data: []byte("<!doctype html><title>x</title>")},
		"vigie/vigie.wasm":   {Data: []byte("\x00asm\x01\x00\x00\x00")},
		"vigie/vigie.mjs":    {Data: []byte("export {}")},
	}
	srv := httptest.NewServer(Handler(root))
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	tests := []struct {
		path, method string
		status       int
		contentType  string
	}{
		{"/vigie/vigie.wasm", "GET", 200, "application/wasm"},
		{"/vigie/vigie.mjs", "GET", 200, "text/javascript; charset=utf-8"},
		{"/checker/", "GET", 200, "text/html; charset=utf-8"},
		{"/", "GET", 302, ""},
		{"/missing.js", "GET", 404, ""},
		{"/checker/", "POST", 405, ""},
	}
	for _, tt := range tests {
		req, _ := http.NewRequest(tt.method, srv.URL+tt.path, nil)
		res, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != tt.status {
			t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, res.StatusCode, tt.status)
		}
		if tt.contentType != "" && res.Header.Get("Content-Type") != tt.contentType {
			t.Errorf("%s: Content-Type %q, want %q", tt.path, res.Header.Get("Content-Type"), tt.contentType)
		}
		if res.Header.Get("Content-Security-Policy") != ContentSecurityPolicy || res.Header.Get("Set-Cookie") != "" {
			t.Errorf("%s: headers %v", tt.path, res.Header)
		}
		if tt.status == 302 && res.Header.Get("Location") != "/checker/" {
			t.Errorf("/ redirects to %q", res.Header.Get("Location"))
		}
	}
}
