package host

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"vigie"
	"vigie/wasm/api"
)

// moduleBytes returns the shipped module: the file named by $VIGIE_WASM
// (make test builds it with `make wasm`), or a fresh build with the same
// recipe.
var moduleBytes = sync.OnceValues(func() ([]byte, error) {
	if p := os.Getenv("VIGIE_WASM"); p != "" {
		return os.ReadFile(p)
	}
	out := filepath.Join(os.TempDir(), "vigie-test.wasm")
	if err := buildModule(out, nil); err != nil {
		return nil, err
	}
	return os.ReadFile(out)
})

func buildModule(out string, env []string) error {
	cmd := exec.Command("bash", "../../scripts/build-wasm.sh", out)
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		return &buildError{err, string(b)}
	}
	return nil
}

type buildError struct {
	err error
	out string
}

func (e *buildError) Error() string { return e.err.Error() + ": " + e.out }

var shared = sync.OnceValues(func() (*Runtime, error) {
	wasm, err := moduleBytes()
	if err != nil {
		return nil, err
	}
	return Compile(context.Background(), wasm, filepath.Join(os.TempDir(), "vigie-wazero-cache"))
})

func instance(t testing.TB) *Module {
	t.Helper()
	rt, err := shared()
	if err != nil {
		t.Fatal(err)
	}
	m, err := rt.Instantiate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close(context.Background()) })
	return m
}

func corpus(t testing.TB, name string) []byte {
	b, err := os.ReadFile("../../testdata/corpus/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The JS shim must provide every function the module imports.
func TestImportsAreInTheShim(t *testing.T) {
	rt, err := shared()
	if err != nil {
		t.Fatal(err)
	}
	shim, err := os.ReadFile("../web/wasi.mjs")
	if err != nil {
		t.Fatal(err)
	}
	imports := rt.Imports()
	if len(imports) == 0 {
		t.Fatal("no imports read")
	}
	for _, imp := range imports {
		mod, name, _ := strings.Cut(imp, ".")
		if mod != "wasi_snapshot_preview1" {
			t.Errorf("import %s is not from WASI", imp)
			continue
		}
		if !regexp.MustCompile(`(?m)^\s*` + name + `\s*\(`).Match(shim) {
			t.Errorf("wasm/web/wasi.mjs does not implement %s", name)
		}
	}
	t.Logf("imports: %s", strings.Join(imports, " "))
}

func TestVersion(t *testing.T) {
	m := instance(t)
	got, err := m.Version(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := api.Version(); !bytes.Equal(got, want) {
		t.Errorf("module says %s, native %s", got, want)
	}
}

// TestParity checks that the module's answers are byte-identical to the
// native engine's, on the corpora and with several options.
func TestParity(t *testing.T) {
	m := instance(t)
	ctx := context.Background()
	texts := map[string][]byte{
		"udhr-fr": corpus(t, "udhr-fr.txt"),
		"udhr-en": corpus(t, "udhr-en.txt"),
		"sotu":    corpus(t, "sotu-2002-2021.txt"),
		"mixed":   []byte("« Le ministre aurait menti », selon des experts. 🇫🇷 Cafe\u0301 — l’élite prétend que les immigrés sont tous des profiteurs."),
	}
	optionSets := []string{"", `{"min_severity":"info"}`, `{"lang":"fr","ui_lang":"en","families":["epistemic","framing"]}`, `{"lang":"en","min_severity":"warning"}`}
	for name, text := range texts {
		for _, opts := range optionSets {
			got, err := m.Check(ctx, text, []byte(opts))
			if err != nil {
				t.Fatal(err)
			}
			if want := api.Check(text, []byte(opts)); !bytes.Equal(got, want) {
				t.Errorf("%s with %s: the module and the native engine differ\nmodule: %.300s\nnative: %.300s", name, opts, got, want)
			}
		}
	}
}

// TestParityExamples runs every rule's examples through the module.
func TestParityExamples(t *testing.T) {
	m := instance(t)
	ctx := context.Background()
	rs, err := vigie.Default()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range rs.Rules() {
		opts := []byte(`{"lang":"` + r.Lang + `","min_severity":"info"}`)
		for _, ex := range append(append([]string{}, r.Examples.Fire...), r.Examples.Pass...) {
			text := []byte(strings.NewReplacer("[", "", "]", "").Replace(ex))
			got, err := m.Check(ctx, text, opts)
			if err != nil {
				t.Fatal(err)
			}
			if want := api.Check(text, opts); !bytes.Equal(got, want) {
				t.Errorf("%s: %q: module %s, native %s", r.ID, ex, got, want)
			}
			n++
		}
	}
	t.Logf("%d examples of %d rules, identical", n, len(rs.Rules()))
}

func errorCode(t *testing.T, b []byte) string {
	t.Helper()
	var e api.Error
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return e.Code
}

// TestBadInput sends what a careless host might send: each gets a clear
// error, and the instance keeps working.
func TestBadInput(t *testing.T) {
	m := instance(t)
	ctx := context.Background()
	big := bytes.Repeat([]byte("La réforme avance lentement dans les régions, selon le ministère. "), 20<<20/66)
	tests := []struct {
		name       string
		text, opts string
		code       string
	}{
		{"invalid UTF-8", "Le rapport \xff révèle", "", "invalid-utf8"},
		{"empty", "", "", "empty"},
		{"blank", " \n ", "", "empty"},
		{"options not JSON", "texte", "{lang:fr", "request"},
		{"unknown option", "texte", `{"colour":"red"}`, "request"},
		{"unknown language", "texte", `{"lang":"de"}`, "option"},
		{"unknown family", "texte", `{"families":["bias"]}`, "option"},
		{"unknown severity", "texte", `{"min_severity":"loud"}`, "option"},
		{"malformed pack", "texte", `{"pack":"lang: fr\nfamily: framing\nrules:\n  - id: x\n","pack_name":"mine.yaml"}`, "pack"},
		{"too large", string(bytes.Repeat([]byte("a "), vigie.MaxInputBytes/2+1)), "", "too-large"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.Check(ctx, []byte(tt.text), []byte(tt.opts))
			if err != nil {
				t.Fatal(err)
			}
			if code := errorCode(t, got); code != tt.code {
				t.Errorf("code %q, want %q: %s", code, tt.code, got)
			}
			if want := api.Check([]byte(tt.text), []byte(tt.opts)); !bytes.Equal(got, want) {
				t.Errorf("module %s, native %s", got, want)
			}
			ok, err := m.Check(ctx, []byte("Le ministre prétend que tout va bien."), nil)
			if err != nil || !bytes.Contains(ok, []byte(`"rule":"fr.epistemic.pretendre"`)) {
				t.Errorf("after %s the module no longer works: %v %s", tt.name, err, ok)
			}
		})
	}
	t.Run("malformed pack names its line", func(t *testing.T) {
		got, _ := m.Check(ctx, []byte("x"), []byte(`{"pack":"lang: fr\nfamily: framing\nrules:\n  - id: fr.framing.x\n    severity: loud\n","pack_name":"mine.yaml"}`))
		if !bytes.Contains(got, []byte(`mine.yaml:5: rule fr.framing.x: unknown severity \"loud\"`)) {
			t.Errorf("%s", got)
		}
	})
	t.Run("20 MB", func(t *testing.T) {
		got, err := m.Check(ctx, big, nil)
		if err != nil {
			t.Fatal(err)
		}
		var rep vigie.Report
		if err := json.Unmarshal(got, &rep); err != nil || rep.Stats.Words < 3_000_000 {
			t.Errorf("20 MB: %v, %d words", err, rep.Stats.Words)
		}
	})
}

// TestWrongOrder calls the exports as a buggy host would.
func TestWrongOrder(t *testing.T) {
	m := instance(t)
	ctx := context.Background()
	// check on buffers that were never allocated, or are too small.
	res, err := m.Call(ctx, "check", 12345, 10, 0, 0)
	if err != nil {
		t.Fatalf("check on a stray pointer trapped: %v", err)
	}
	b, _ := m.Read(uint32(res[0]>>32), uint32(res[0]))
	if code := errorCode(t, b); code != "request" {
		t.Errorf("stray pointer: %s", b)
	}
	p, _ := m.Call(ctx, "alloc", 4)
	if res, err = m.Call(ctx, "check", p[0], 400, 0, 0); err != nil {
		t.Fatal(err)
	}
	b, _ = m.Read(uint32(res[0]>>32), uint32(res[0]))
	if code := errorCode(t, b); code != "request" {
		t.Errorf("length past the buffer: %s", b)
	}
	// free twice, free what was never allocated, use after free.
	for _, ptr := range []uint64{p[0], p[0], 999999, 0} {
		if _, err := m.Call(ctx, "free", ptr); err != nil {
			t.Errorf("free(%d) trapped: %v", ptr, err)
		}
	}
	if res, err = m.Call(ctx, "check", p[0], 4, 0, 0); err != nil {
		t.Fatal(err)
	}
	b, _ = m.Read(uint32(res[0]>>32), uint32(res[0]))
	if code := errorCode(t, b); code != "request" {
		t.Errorf("use after free: %s", b)
	}
	if got, err := m.Check(ctx, []byte("Le ministre prétend que tout va bien."), nil); err != nil || errorCode(t, got) != "" {
		t.Errorf("the module no longer works: %v %s", err, got)
	}
}

// TestMemoryIsStable makes 20,000 calls. The module collects the garbage of
// compiling its rules at start, so the Go heap sizes itself on what checks
// keep; linear memory grows for some thousands of calls while the collector
// settles (with 1,500 rules, until about call 8,000), then stays flat. A
// leak of even 100 bytes a call (a request, a report: each is larger) would
// add a megabyte over the 10,000 calls after call 10,000.
func TestMemoryIsStable(t *testing.T) {
	if testing.Short() {
		t.Skip("20,000 calls")
	}
	m := instance(t)
	ctx := context.Background()
	text := []byte("Selon des experts, le ministre prétend que les charges sociales sont trop lourdes.")
	var settled uint32
	for i := 1; i <= 20_000; i++ {
		if _, err := m.Check(ctx, text, nil); err != nil {
			t.Fatal(err)
		}
		if i == 10_000 {
			settled = m.MemoryBytes()
		}
	}
	if end := m.MemoryBytes(); end > settled+1<<20 {
		t.Errorf("memory grew from %d to %d bytes between call 10,000 and call 20,000", settled, end)
	}
	t.Logf("linear memory after 10,000 and 20,000 calls: %d and %d bytes", settled, m.MemoryBytes())
}

// TestReproducibleBuild builds the module again with an empty build cache:
// the same sources must give the same bytes.
func TestReproducibleBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("a full build of the module")
	}
	first, err := moduleBytes()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "again.wasm")
	if err := buildModule(out, []string{"GOCACHE=" + t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	again, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if sha256.Sum256(first) != sha256.Sum256(again) {
		t.Errorf("two builds differ: %d and %d bytes", len(first), len(again))
	}
}
