package site

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"vigie"
	"vigie/audit"
	"vigie/evaluation"
	"vigie/models/pairs"
	"vigie/site/server"
)

// build builds the site into a temporary folder, with the module named by
// $VIGIE_WASM (make test sets it) or a stand-in: its bytes do not matter to
// these tests, and the browser tests run the real one.
func build(tb testing.TB) (string, *Result) {
	tb.Helper()
	rs, err := vigie.Default()
	if err != nil {
		tb.Fatal(err)
	}
	changelog, err := os.ReadFile("../CHANGELOG.md")
	if err != nil {
		tb.Fatal(err)
	}
	module := []byte("\x00asm\x01\x00\x00\x00")
	if p := os.Getenv("VIGIE_WASM"); p != "" {
		if module, err = os.ReadFile(p); err != nil {
			tb.Fatal(err)
		}
	}
	data, err := os.ReadFile("../eval/results.json")
	if err != nil {
		tb.Fatal(err)
	}
	results, err := evaluation.ReadResults(data)
	if err != nil {
		tb.Fatal(err)
	}
	out := filepath.Join(tb.TempDir(), "public")
	corpus, err := pairs.Load(os.DirFS("../models/pairs"), ".")
	if err != nil {
		tb.Fatal(err)
	}
	res, err := Build(Options{Out: out, Rules: rs, Module: module, Changelog: changelog, Results: results, Audit: auditExample(tb, rs), Pairs: corpus})
	if err != nil {
		tb.Fatal(err)
	}
	return out, res
}

var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// Elements whose end tag HTML lets an author leave out.
var optionalEnd = map[string]bool{"li": true, "p": true, "dt": true, "dd": true, "tr": true, "td": true, "th": true, "option": true, "thead": true, "tbody": true}

type pageInfo struct {
	ids   map[string]bool
	links []string // href and src values
}

// checkPage parses one page strictly: tags balanced, ids unique, lang,
// title and description present, no inline script or style (the
// Content-Security-Policy forbids them).
func checkPage(t *testing.T, name string, data []byte) pageInfo {
	info := pageInfo{ids: map[string]bool{}}
	z := html.NewTokenizer(bytes.NewReader(data))
	var stack []string
	var title, description, lang bool
	inTitle := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				if _, dup := attrs[a.Key]; dup {
					t.Errorf("%s: <%s> has attribute %s twice", name, tok.Data, a.Key)
				}
				attrs[a.Key] = a.Val
			}
			if id, ok := attrs["id"]; ok {
				if info.ids[id] {
					t.Errorf("%s: duplicate id %q", name, id)
				}
				info.ids[id] = true
			}
			if _, ok := attrs["style"]; ok {
				t.Errorf("%s: inline style on <%s>", name, tok.Data)
			}
			for _, k := range []string{"href", "src"} {
				if v, ok := attrs[k]; ok {
					info.links = append(info.links, v)
				}
			}
			switch tok.Data {
			case "html":
				lang = attrs["lang"] != ""
			case "meta":
				if attrs["name"] == "description" && strings.TrimSpace(attrs["content"]) != "" {
					description = true
				}
				// Static pages (the checker, the frame) carry a copy of the
				// policy: it must not drift from what the server sends.
				if attrs["http-equiv"] == "Content-Security-Policy" && attrs["content"] != server.ContentSecurityPolicy {
					t.Errorf("%s: its Content-Security-Policy differs from server.ContentSecurityPolicy", name)
				}
			case "script":
				if attrs["src"] == "" {
					t.Errorf("%s: inline script", name)
				}
			case "style":
				t.Errorf("%s: <style> element", name)
			case "img":
				if _, ok := attrs["alt"]; !ok {
					t.Errorf("%s: image without alt text", name)
				}
			case "title":
				inTitle = true
			}
			if tt == html.StartTagToken && !voidElements[tok.Data] {
				stack = append(stack, tok.Data)
			}
		case html.TextToken:
			if inTitle && strings.TrimSpace(tok.Data) != "" {
				title = true
			}
		case html.EndTagToken:
			inTitle = false
			for len(stack) > 0 && stack[len(stack)-1] != tok.Data && optionalEnd[stack[len(stack)-1]] {
				stack = stack[:len(stack)-1]
			}
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				t.Errorf("%s: </%s> closes <%s>", name, tok.Data, strings.Join(stack, "> <"))
				return info
			}
			stack = stack[:len(stack)-1]
		}
	}
	for len(stack) > 0 && optionalEnd[stack[len(stack)-1]] {
		stack = stack[:len(stack)-1]
	}
	if len(stack) > 0 {
		t.Errorf("%s: unclosed <%s>", name, strings.Join(stack, "> <"))
	}
	if !lang || !title || !description {
		t.Errorf("%s: lang %v, title %v, description %v", name, lang, title, description)
	}
	return info
}

// TestPages checks every page, then every internal link and anchor.
func TestPages(t *testing.T) {
	out, res := build(t)
	pages := map[string]pageInfo{}
	for _, f := range res.Files {
		if strings.HasSuffix(f, ".html") {
			data, err := os.ReadFile(filepath.Join(out, f))
			if err != nil {
				t.Fatal(err)
			}
			pages[f] = checkPage(t, f, data)
		}
	}
	if len(pages) < 100 {
		t.Fatalf("only %d pages", len(pages))
	}
	exists := map[string]bool{}
	for _, f := range res.Files {
		exists[f] = true
	}
	for name, info := range pages {
		for _, link := range info.links {
			if strings.HasPrefix(link, "https://") || strings.HasPrefix(link, "http://") || strings.HasPrefix(link, "mailto:") {
				continue
			}
			if strings.HasPrefix(link, "/") || strings.Contains(link, "://") {
				t.Errorf("%s: link %q is not relative: the site must work under any sub-path", name, link)
				continue
			}
			target, frag, _ := strings.Cut(link, "#")
			target, _, _ = strings.Cut(target, "?")
			if target == "" {
				target = name
			} else {
				target = path.Join(path.Dir(name), target)
				if strings.HasSuffix(link, "/") || exists[target+"/index.html"] {
					target = path.Join(target, "index.html")
				}
			}
			if !exists[target] {
				t.Errorf("%s: broken link %q", name, link)
				continue
			}
			if frag != "" {
				if p, ok := pages[target]; ok && !p.ids[frag] {
					t.Errorf("%s: link %q: no id %q in %s", name, link, frag, target)
				}
			}
		}
	}
}

// Every rule has a page in both languages, and each page links its sources.
func TestRulePages(t *testing.T) {
	out, _ := build(t)
	rs, _ := vigie.Default()
	for _, r := range rs.Rules() {
		for _, lang := range langs {
			data, err := os.ReadFile(filepath.Join(out, vigie.RulePage(lang, r.ID)))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(data, []byte(html.EscapeString(r.Sources[0].Title))) {
				t.Errorf("%s page (%s) lacks its source %q", r.ID, lang, r.Sources[0].Title)
			}
		}
	}
}

// The files a static host needs besides the pages.
func TestStaticFiles(t *testing.T) {
	out, res := build(t)
	for _, f := range []string{"index.html", "sitemap.xml", "_headers", "rules.json", "rules.csv", "sw.js", "checker/index.html",
		"vigie/vigie.mjs", "vigie/engine.mjs", "vigie/worker.mjs", "vigie/wasi.mjs", "vigie/vigie.wasm", "rules.json.gz", "rules.json.br"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	headers, _ := os.ReadFile(filepath.Join(out, "_headers"))
	if !bytes.Contains(headers, []byte("script-src 'self' 'wasm-unsafe-eval'")) || !bytes.Contains(headers, []byte("application/wasm")) {
		t.Errorf("_headers:\n%s", headers)
	}
	sitemap, _ := os.ReadFile(filepath.Join(out, "sitemap.xml"))
	if n := bytes.Count(sitemap, []byte("<loc>")); n != res.Pages {
		t.Errorf("sitemap lists %d pages, the site has %d", n, res.Pages)
	}
}

// The highlight colours keep dark text readable: WCAG AA asks for a
// contrast of at least 4.5:1.
func TestHighlightContrast(t *testing.T) {
	css, err := os.ReadFile("checker/checker.css")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-f]{6})`).FindAllStringSubmatch(string(css), -1) {
		vars[m[1]] = m[2]
	}
	fg := rgb(vars["fg"])
	for _, fam := range []string{"epistemic", "framing", "stereotype", "generalisation", "toxicity", "inclusive-writing"} {
		c, ok := vars[fam]
		if !ok {
			t.Fatalf("no colour for %s", fam)
		}
		// The mark is the family colour at 45% over the white text area.
		bg := mix(rgb(c), [3]float64{255, 255, 255}, 0.45)
		if r := contrast(fg, bg); r < 4.5 {
			t.Errorf("%s: contrast %.2f:1 under 4.5:1", fam, r)
		}
	}
}

func rgb(hex string) [3]float64 {
	var c [3]float64
	for i := range 3 {
		var v int
		for _, ch := range hex[1+2*i : 3+2*i] {
			v = v*16 + strings.IndexRune("0123456789abcdef", ch)
		}
		c[i] = float64(v)
	}
	return c
}

func mix(a, b [3]float64, wa float64) [3]float64 {
	return [3]float64{a[0]*wa + b[0]*(1-wa), a[1]*wa + b[1]*(1-wa), a[2]*wa + b[2]*(1-wa)}
}

func luminance(c [3]float64) float64 {
	var l [3]float64
	for i, v := range c {
		v /= 255
		if v <= 0.04045 {
			l[i] = v / 12.92
		} else {
			l[i] = math.Pow((v+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

func contrast(a, b [3]float64) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// BenchmarkBuild times a full build of the site, precompression of the
// module included when $VIGIE_WASM names it. The budget is 2 seconds.
func BenchmarkBuild(b *testing.B) {
	for b.Loop() {
		build(b)
	}
}

// The documentation quotes the policy the server sends.
func TestPolicyDocumented(t *testing.T) {
	for _, f := range []string{"README.md", "content/fr/embedding.md", "content/en/embedding.md"} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte(server.ContentSecurityPolicy)) {
			t.Errorf("%s does not quote server.ContentSecurityPolicy", f)
		}
	}
}

// auditExample audits the answers of the audits page's worked example.
func auditExample(tb testing.TB, rs *vigie.Ruleset) *audit.Result {
	files, err := filepath.Glob("../probe/examples/*.jsonl")
	if err != nil || len(files) == 0 {
		tb.Fatalf("no example answers: %v", err)
	}
	a := audit.New(rs, audit.Options{Seed: 1})
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			var ans audit.Answer
			if err := json.Unmarshal([]byte(line), &ans); err != nil {
				tb.Fatal(err)
			}
			if err := a.Add(ans); err != nil {
				tb.Fatal(err)
			}
		}
	}
	res, err := a.Result()
	if err != nil {
		tb.Fatal(err)
	}
	return res
}

// The evaluation and audits pages carry the figures built from the data,
// with their charts, and the worked example says its answers are
// illustrative.
func TestGeneratedFigures(t *testing.T) {
	out, _ := build(t)
	for _, c := range []struct {
		page string
		want []string
	}{
		{"en/evaluation.html", []string{"Wiki Neutrality Corpus", `<svg class="chart"`, "alex 11.0.1", "Precision judged by hand", "How to reproduce"}},
		{"fr/evaluation.html", []string{"Wiki Neutrality Corpus", `<svg class="chart"`, "Précision jugée à la main"}},
		{"en/audits.html", []string{"not the output of any real language model", "illustrative-a", `<svg class="chart"`, `<mark class="f-`}},
		{"fr/audits.html", []string{"ne sont la production d'aucun modèle de langue réel", "illustratif-a", `<svg class="chart"`}},
		{"en/rules/en.framing.death-tax.html", []string{"Measured precision</dt><dd>100.0% [", "judged findings</a>"}},
	} {
		data, err := os.ReadFile(filepath.Join(out, c.page))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range c.want {
			if !strings.Contains(string(data), w) {
				t.Errorf("%s lacks %q", c.page, w)
			}
		}
	}
}
