//go:build !js

package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"vigie/edgeapi"
)

// settings are the Worker's variables in workerd.capnp; the native API is
// given the same.
var settings = map[string]string{"ALLOW_ORIGINS": "http://127.0.0.1:8080"}

// workerDir is the built Worker: $VIGIE_WORKER (make test sets it) or a
// fresh build.
func workerDir(t *testing.T) string {
	if p := os.Getenv("VIGIE_WORKER"); p != "" {
		return p
	}
	dir := filepath.Join(t.TempDir(), "worker")
	if out, err := exec.Command("sh", "../../scripts/build-worker.sh", dir).CombinedOutput(); err != nil {
		t.Fatalf("building the Worker: %v\n%s", err, out)
	}
	return dir
}

// workerdPath is Cloudflare's workerd: $VIGIE_WORKERD, or installed from
// npm by scripts/fetch-workerd.sh.
func workerdPath(t *testing.T) string {
	if p := os.Getenv("VIGIE_WORKERD"); p != "" {
		return p
	}
	out, err := exec.Command("sh", "../../scripts/fetch-workerd.sh").Output()
	if err != nil {
		t.Fatalf("installing workerd from npm: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// startWorkerd runs the built Worker in workerd on a free loopback port
// and returns its address and what it printed.
func startWorkerd(t *testing.T) (string, *bytes.Buffer) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	// workerd embeds files from the config's folder only: the config goes
	// next to a copy of the built Worker.
	dir, built := t.TempDir(), workerDir(t)
	for _, src := range []string{filepath.Join(built, "worker.mjs"), filepath.Join(built, "wasm_exec.js"), filepath.Join(built, "vigie-api.wasm"), "workerd.capnp"} {
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(src)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var log bytes.Buffer
	cmd := exec.Command(workerdPath(t), "serve", filepath.Join(dir, "workerd.capnp"), "--socket-addr", "http="+addr)
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/v1/version")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return "http://" + addr, &log
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("workerd did not answer within a minute: %v\n%s", err, log.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
}

type call struct {
	method, path, body string
	header             []string
}

func send(t *testing.T, base string, c call) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(c.header); i += 2 {
		req.Header.Set(c.header[i], c.header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, string(b)
}

// The Worker, run for real in workerd, answers exactly as the native API:
// valid, malformed, oversized and concurrent requests alike, and prints
// nothing of the texts it checks.
func TestWorkerInWorkerd(t *testing.T) {
	base, log := startWorkerd(t)
	cfg, err := config(func(k string) string { return settings[k] })
	if err != nil {
		t.Fatal(err)
	}
	native := httptest.NewServer(edgeapi.New(cfg))
	defer native.Close()

	const marker = "Zorglubovitch"
	calls := []call{
		{"POST", "/v1/check", `{"text": "Selon des experts, ` + marker + ` prétend que les charges sociales tuent l'emploi.", "lang": "fr"}`, nil},
		{"POST", "/v1/check", `{"text": "The senator insisted that the death tax must go.", "min_severity": "info", "ui_lang": "fr", "families": ["framing"]}`, nil},
		{"POST", "/v1/check", `{"text": "Les citoyens votent.", "conventions": ["hce-2015"]}`, nil},
		{"POST", "/v1/batch", `{"texts": [{"id": 1, "text": "Le ministre prétend tout."}, {"id": "x", "text": ""}]}`, nil},
		{"GET", "/v1/version", ``, nil},
		{"GET", "/v1/rules?lang=fr", ``, nil},
		{"POST", "/v1/check", `{"text": "x",`, nil},
		{"POST", "/v1/check", `{"text": "x", "langue": "fr"}`, nil},
		{"POST", "/v1/check", `{"text": "` + strings.Repeat("mot ", 300_000) + `"}`, nil},
		{"POST", "/v1/batch", `{"texts": [` + strings.Repeat(`{"text": "a"}, `, 100) + `{"text": "b"}]}`, nil},
		{"GET", "/v1/check", ``, nil},
		{"GET", "/nowhere", ``, nil},
		{"GET", "/v1/version", ``, []string{"Origin", "http://127.0.0.1:8080"}},
		{"OPTIONS", "/v1/check", ``, []string{"Origin", "http://127.0.0.1:8080", "Access-Control-Request-Method", "POST"}},
		{"GET", "/v1/version", ``, []string{"Origin", "https://elsewhere.example"}},
	}
	for _, c := range calls {
		code, h, body := send(t, base, c)
		wantCode, wantH, wantBody := send(t, native.URL, c)
		if code != wantCode || body != wantBody {
			t.Errorf("%s %s %.60q: workerd %d %.200s\nnative %d %.200s", c.method, c.path, c.body, code, body, wantCode, wantBody)
		}
		for _, k := range []string{"Content-Type", "Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Allow"} {
			if h.Get(k) != wantH.Get(k) {
				t.Errorf("%s %s: header %s %q, native %q", c.method, c.path, k, h.Get(k), wantH.Get(k))
			}
		}
	}

	// Concurrent requests, each with its own text.
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := call{"POST", "/v1/check", fmt.Sprintf(`{"text": "Rapport %d : le ministre prétend que %d experts ont tort."}`, i, i), nil}
			_, _, got := send(t, base, c)
			_, _, want := send(t, native.URL, c)
			if got != want {
				t.Errorf("concurrent request %d: workerd %.100s, native %.100s", i, got, want)
			}
		}()
	}
	wg.Wait()
	if strings.Contains(log.String(), marker) {
		t.Errorf("workerd printed a submitted text:\n%s", log.String())
	}
}
