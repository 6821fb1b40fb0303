// Package checker holds the checker page (index.html, checker.mjs, ...) and
// its browser tests, which drive Debian's Chromium through chromedp.
package checker

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"vigie/site/server"
)

// publicDir returns the built site: $VIGIE_PUBLIC (make test builds it), or
// a fresh build.
func publicDir(t testing.TB) string {
	if p := os.Getenv("VIGIE_PUBLIC"); p != "" {
		return p
	}
	dir := filepath.Join(t.TempDir(), "public")
	cmd := exec.Command("bash", "../../scripts/build-public.sh", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building public/: %v\n%s", err, out)
	}
	return dir
}

func chromiumPath(t testing.TB) string {
	for _, p := range []string{os.Getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser"} {
		if p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium is missing: .ci/run installs Debian's chromium package")
	}
	t.Skip("Chromium is not installed (apt-get install chromium)")
	return ""
}

// requestLog records the requests the local server receives.
type requestLog struct {
	mu   sync.Mutex
	seen []string
}

func (l *requestLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		l.seen = append(l.seen, r.URL.Path)
		l.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

func (l *requestLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.seen
	l.seen = nil
	return out
}

type browser struct {
	ctx    context.Context
	origin string
	server *requestLog
	mu     sync.Mutex
	urls   []string // every URL the page asked for, as Chromium reports it
}

func (b *browser) takeURLs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.urls
	b.urls = nil
	return out
}

func start(t testing.TB) (*browser, *httptest.Server) {
	exe := chromiumPath(t)
	log := &requestLog{}
	srv := httptest.NewServer(log.wrap(server.Handler(os.DirFS(publicDir(t)))))
	t.Cleanup(srv.Close)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	b := &browser{ctx: ctx, origin: srv.URL, server: log}
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			b.mu.Lock()
			b.urls = append(b.urls, e.Request.URL)
			b.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return b, srv
}

// do runs actions that return nothing, and fails the test on an error.
func (b *browser) do(t testing.TB, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, actions...); err != nil {
		t.Fatal(err)
	}
}

// get runs one action and returns its value.
func get[T any](t testing.TB, b *browser, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func void[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}

// waitReady waits for the engine and the sentence model.
func waitReady() chromedp.Action[chromedp.Void] {
	return void(chromedp.Evaluate[bool](`window.vigieReady.then(() => window.vigieModel).then(() => true)`, chromedp.EvalAwaitPromise))
}

// poll waits until a JavaScript expression is true.
func poll(expr string) chromedp.Action[chromedp.Void] {
	return void(chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(20*time.Second)))
}

// setText puts text in the text area as a paste would, and waits for the
// check that follows it.
func setText(text string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		void(chromedp.Evaluate[chromedp.Void](`(() => { const t = document.getElementById("text"); t.value = `+jsString(text)+`;
			t.dispatchEvent(new Event("input", { bubbles: true })); })()`)),
		waitChecked(text),
	)
}

// waitChecked waits until the page shows a report for exactly this text.
func waitChecked(text string) chromedp.Action[chromedp.Void] {
	return poll(`window.vigieChecked === ` + jsString(text))
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "<", `\u003c`, ">", `\u003e`)
	return `"` + r.Replace(s) + `"`
}

func marks(b *browser, t testing.TB) []string {
	return get(t, b, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#backdrop mark")].map(m => m.className + ":" + m.textContent)`))
}

func TestCheckerPage(t *testing.T) {
	b, srv := start(t)
	b.do(t, chromedp.Navigate(b.origin+"/checker/"), waitReady(),
		void(chromedp.Evaluate[bool](`window.vigieOffline.then(() => true)`, chromedp.EvalAwaitPromise)))
	loaded := b.server.take()
	if !slices.Contains(loaded, "/vigie/vigie.wasm") {
		t.Fatalf("the page did not load the module: %v", loaded)
	}
	b.takeURLs()

	// French, typed key by key.
	fr := "Selon des experts, le ministre prétend que les charges sociales tuent l'emploi."
	b.do(t, chromedp.SendKeys(chromedp.ID("text"), fr), waitChecked(fr))
	got := marks(b, t)
	for _, want := range []string{"fam-epistemic:Selon des experts", "fam-epistemic:prétend"} {
		if !slices.Contains(got, want) {
			t.Errorf("French: marks %q lack %q", got, want)
		}
	}
	detected := get(t, b, chromedp.Text(chromedp.ID("detected")))
	if !strings.Contains(detected, "fr") && !strings.Contains(detected, "French") {
		t.Errorf("detected language: %q", detected)
	}

	// Apply a suggestion, then undo it.
	b.do(t,
		chromedp.Click(chromedp.CSS(`li[data-rule="fr.epistemic.pretendre"] button.apply`)),
		poll(`!document.getElementById("text").value.includes("prétend")`),
	)
	value := get(t, b, chromedp.Value(chromedp.ID("text")))
	if want := strings.Replace(fr, "prétend", "affirme", 1); value != want {
		t.Errorf("after the suggestion: %q, want %q", value, want)
	}
	b.do(t, waitChecked(value), chromedp.Click(chromedp.ID("undo")), waitChecked(fr))
	if value = get(t, b, chromedp.Value(chromedp.ID("text"))); value != fr {
		t.Errorf("after undo: %q", value)
	}

	// Toggle a family off: its highlights go.
	b.do(t, chromedp.Click(chromedp.ID("fam-epistemic")),
		poll(`document.querySelectorAll("#backdrop mark.fam-epistemic").length === 0`),
		chromedp.Click(chromedp.ID("fam-epistemic")),
		poll(`document.querySelectorAll("#backdrop mark.fam-epistemic").length > 0`))

	// English, pasted.
	en := "Critics say the death tax punishes families, and the senator insisted that illegal aliens were to blame."
	b.do(t, setText(en))
	got = marks(b, t)
	for _, want := range []string{"fam-framing:death tax", "fam-framing:illegal aliens"} {
		if !slices.Contains(got, want) {
			t.Errorf("English: marks %q lack %q", got, want)
		}
	}

	// Markup in the text is shown as text, never run.
	evil := `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script> Le ministre prétend <b onclick="x">tout</b>.`
	b.do(t, setText(evil))
	pwned := get(t, b, chromedp.Evaluate[bool](`window.__pwned !== undefined`))
	elements := get(t, b, chromedp.Evaluate[int](`document.querySelectorAll("#backdrop img, #backdrop script, #backdrop b, #findings img, #findings script").length`))
	if pwned || elements > 0 {
		t.Errorf("markup in the text ran or was rendered: pwned=%v, elements=%d", pwned, elements)
	}

	// Compare two texts: what each has that the other has not.
	b.do(t, setText(en), chromedp.Click(chromedp.CSS("#compare summary")),
		chromedp.SendKeys(chromedp.ID("text-b"), "The estate tax affects some families, and the senator said undocumented immigrants were to blame."),
		poll(`window.vigieCompared && window.vigieCompared.startsWith("The estate tax") && document.getElementById("only-a") !== null`))
	onlyA := get(t, b, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#only-a li")].map(li => li.dataset.rule)`))
	for _, want := range []string{"en.framing.death-tax", "en.framing.illegal-aliens"} {
		if !slices.Contains(onlyA, want) {
			t.Errorf("comparison: only in A %q lacks %s", onlyA, want)
		}
	}
	b.do(t, void(chromedp.Evaluate[chromedp.Void](`(() => { const t = document.getElementById("text-b"); t.value = ""; t.dispatchEvent(new Event("input")); })()`)),
		poll(`document.getElementById("comparison").children.length === 0`))

	// Writing conventions: their rules stay off until the reader ticks one.
	generic := "Les citoyens votent dimanche."
	b.do(t, setText(generic))
	if got := marks(b, t); len(got) > 0 {
		t.Errorf("no convention ticked, but marks %q", got)
	}
	b.do(t, chromedp.Click(chromedp.ID("conv-hce-2015")),
		poll(`[...document.querySelectorAll("#backdrop mark.fam-inclusive-writing")].some(m => m.textContent === "Les citoyens")`),
		chromedp.Click(chromedp.ID("conv-hce-2015")),
		poll(`document.querySelectorAll("#backdrop mark").length === 0`))

	// No request while checking, to anyone.
	if seen := b.server.take(); len(seen) > 0 {
		t.Errorf("the server saw requests while the page was checking: %v", seen)
	}
	for _, u := range b.takeURLs() {
		if !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			t.Errorf("the page made a request while checking: %s", u)
		}
	}

	// A screenshot, for people to look at.
	b.do(t, setText(fr+"\n\n"+en))
	png := get(t, b, chromedp.FullScreenshot(100))
	dir := os.Getenv("VIGIE_ARTIFACTS")
	if dir == "" {
		dir = os.TempDir()
	}
	shot := filepath.Join(dir, "checker.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", shot)

	// Offline: with the server gone, a reload still gives a working checker.
	b.do(t, void(chromedp.Evaluate[bool](`window.vigieOffline.then(() => true)`, chromedp.EvalAwaitPromise)))
	srv.Close()
	b.do(t, chromedp.Reload(), waitReady(), setText(fr))
	if got := marks(b, t); !slices.Contains(got, "fam-epistemic:prétend") {
		t.Errorf("offline: marks %q", got)
	}
}

// Every URL the page ever asks for stays on its own origin.
func TestNoThirdPartyRequests(t *testing.T) {
	b, _ := start(t)
	b.do(t, chromedp.Navigate(b.origin+"/checker/"), waitReady(), setText("Le ministre prétend que tout va bien."))
	origin, _ := url.Parse(b.origin)
	for _, u := range b.takeURLs() {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "data" && p.Scheme != "blob" && p.Host != origin.Host) {
			t.Errorf("request off the local origin: %s", u)
		}
	}
	if cookies := get(t, b, chromedp.Evaluate[string](`document.cookie`)); cookies != "" {
		t.Errorf("cookies: %q", cookies)
	}
}

// BenchmarkBrowserCheck times checks of 1k, 10k and 100k words of English
// in headless Chromium, through the page's loader and its Web Worker, as the
// page itself measures them, with and without the sentence model. The
// budgets are 20 ms for 10,000 words, and 30 ms more with the model.
func BenchmarkBrowserCheck(b *testing.B) {
	br, _ := start(b)
	br.do(b, chromedp.Navigate(br.origin+"/checker/"), waitReady())
	data, err := os.ReadFile("../../testdata/corpus/sotu-2002-2021.txt")
	if err != nil {
		b.Fatal(err)
	}
	words := strings.Fields(string(data))
	for _, n := range []int{1_000, 10_000, 100_000} {
		var sb strings.Builder
		for i := range n {
			sb.WriteString(words[i%len(words)] + " ")
		}
		text := sb.String()
		// Rules alone, then rules and the sentence model: the difference is
		// what the model costs.
		for _, model := range []bool{false, true} {
			b.Run(fmt.Sprintf("words=%d/sentences=%v", n, model), func(b *testing.B) {
				ms := get(b, br, chromedp.Evaluate[float64](fmt.Sprintf(`(async () => {
				const { createChecker } = await import("../vigie/vigie.mjs");
				window.__bench ??= await createChecker();
				window.__model ??= await window.__bench.loadModel();
				const text = %s, opts = { lang: "en", sentences: %v };
				for (let i = 0; i < 20; i++) await window.__bench.check(text, opts); // V8 tiers up
				const t0 = performance.now();
				for (let i = 0; i < %d; i++) await window.__bench.check(text, opts);
				return (performance.now() - t0) / %d;
			})()`, jsString(text), model, b.N, b.N), chromedp.EvalAwaitPromise))
				b.ReportMetric(ms, "ms/check")
				b.ReportMetric(float64(n)/ms*1000, "words/s")
			})
		}
	}
}

// TestPortal screenshots the home page, a rule page, the catalogue, the
// evaluation page, the audits page, the model card and the data card at
// desktop and phone widths, and checks that the catalogue's search finds a
// rule by a word of one of its patterns.
func TestPortal(t *testing.T) {
	b, _ := start(t)
	dir := os.Getenv("VIGIE_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	pages := map[string]string{
		"home":       "/fr/index.html",
		"rule":       "/fr/rules/fr.epistemic.pretendre.html",
		"catalogue":  "/en/rules/index.html",
		"evaluation": "/en/evaluation.html",
		"audits":     "/fr/audits.html",
		"model":      "/en/model.html",
		"pairs":      "/fr/pairs.html",
	}
	for _, width := range []struct {
		name string
		w, h int64
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		b.do(t, chromedp.EmulateViewport(width.w, width.h))
		for name, p := range pages {
			b.do(t, chromedp.Navigate(b.origin+p), chromedp.WaitReady(chromedp.CSS("footer")))
			// The catalogue lists some 1,500 rules: its first screen is what
			// a reader sees, and a full page is past Chromium's limit.
			shot := chromedp.FullScreenshot(100)
			if name == "catalogue" {
				shot = chromedp.CaptureScreenshot()
			}
			png := get(t, b, shot)
			if err := os.WriteFile(filepath.Join(dir, name+"-"+width.name+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	// Search by a word of a pattern ("death" in "death tax"): the rule is
	// shown, a rule without it is hidden.
	b.do(t, chromedp.Navigate(b.origin+"/en/rules/index.html"),
		poll(`!document.getElementById("filters").hidden`),
		chromedp.SendKeys(chromedp.ID("q"), "death"),
		poll(`document.getElementById("count").value !== "" && Number(document.getElementById("count").value) < 10`))
	shown := get(t, b, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#catalogue tbody tr:not([hidden]) code")].map(c => c.textContent)`))
	if !slices.Contains(shown, "en.framing.death-tax") || slices.Contains(shown, "fr.epistemic.pretendre") {
		t.Errorf("search for \"death\" shows %v", shown)
	}
}

// widgetHost serves pages of another site that embed the widget from
// widgetOrigin, under a strict policy of their own, with CSS that tries to
// restyle everything. Forms posted to /submitted are recorded in posted.
func widgetHost(widgetOrigin string, posted chan<- string) http.Handler {
	head := `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Une association</title>
<link rel="stylesheet" href="host.css">
<script type="module" src="` + widgetOrigin + `/vigie/vigie-widget.js"></script>
<script type="module" src="host.js"></script>
</head><body>
<h1>Déposer une proposition</h1>
`
	csp := "default-src 'self'; script-src 'self' " + widgetOrigin + " 'wasm-unsafe-eval'; worker-src blob:; connect-src 'self' " + widgetOrigin +
		"; style-src 'self'; frame-src " + widgetOrigin
	files := map[string]string{
		"/host.html": head + `<vigie-checker id="w" lang="fr" ui-lang="fr"></vigie-checker>
<vigie-checker id="bad" lang="fr" pack="bad-pack.yaml"></vigie-checker>
<form id="form" action="/submitted" method="post">
<label for="proposal">Votre proposition</label>
<textarea id="proposal" name="proposal" required></textarea>
<vigie-checker id="attached" for="proposal" lang="fr" ui-lang="fr"></vigie-checker>
<button id="send">Envoyer</button>
</form>
<div id="ce" contenteditable="true"><p>Premier paragraphe.</p><p>Le ministre <b>prétend</b> que tout va bien.</p></div>
<vigie-checker id="ce-checker" for="ce" lang="fr" ui-lang="fr"></vigie-checker>
</body></html>`,
		"/sentences.html": head + `<vigie-checker id="w" lang="en" ui-lang="en" sentences></vigie-checker>
</body></html>`,
		"/lazy.html": head + `<div class="tall">Plus bas</div>
<vigie-checker id="w" lang="fr"></vigie-checker>
</body></html>`,
		"/frames.html": `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Cadres</title>
<script type="module" src="frames.js"></script></head><body>
<iframe id="good" title="Vigie" src="` + widgetOrigin + `/vigie/frame.html?origin=ORIGIN&amp;lang=fr&amp;ui-lang=fr"></iframe>
<iframe id="other" title="Vigie" src="` + widgetOrigin + `/vigie/frame.html?origin=http://other.invalid&amp;lang=fr"></iframe>
</body></html>`,
		"/host.css":      ".tall { height: 4000px; } textarea, li, p, button { background: rgb(255, 0, 0) !important; font-size: 40px !important; color: rgb(0, 128, 0) !important; }",
		"/host.js":       `window.vigieEvents = []; document.addEventListener("vigie-findings", (e) => window.vigieEvents.push(e.detail.findings.length));`,
		"/frames.js":     `window.frameMessages = []; addEventListener("message", (e) => { if (e.origin === "` + widgetOrigin + `") window.frameMessages.push(e.data); });`,
		"/bad-pack.yaml": "lang: fr\nfamily: framing\nrules:\n  - id: fr.framing.mine\n    severity: loud\n",
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/submitted" && r.Method == http.MethodPost {
			posted <- r.FormValue("proposal")
			fmt.Fprint(w, "<!doctype html><title>Merci</title><p>Merci.</p>")
			return
		}
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		body = strings.ReplaceAll(body, "ORIGIN", "http://"+r.Host)
		w.Header().Set("Content-Security-Policy", csp)
		switch filepath.Ext(r.URL.Path) {
		case ".html":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		case ".css":
			w.Header().Set("Content-Type", "text/css")
		case ".js":
			w.Header().Set("Content-Type", "text/javascript")
		}
		fmt.Fprint(w, body)
	})
}

// TestWidget embeds <vigie-checker> in a page of another origin: findings
// appear, suggestions apply, a malformed pack shows its error, the page's
// CSS stays out, and no request goes anywhere but the two origins.
func TestWidget(t *testing.T) {
	b, _ := start(t) // b.origin serves Vigie
	posted := make(chan string, 1)
	host := httptest.NewServer(widgetHost(b.origin, posted))
	t.Cleanup(host.Close)
	b.do(t, chromedp.Navigate(host.URL+"/host.html"),
		poll(`customElements.get("vigie-checker") !== undefined`))
	text := "Selon des experts, le ministre prétend que tout va bien."
	b.do(t,
		void(chromedp.Evaluate[chromedp.Void](`(() => { const w = document.getElementById("w"); w.scrollIntoView(); w.value = `+jsString(text)+`; })()`)),
		poll(`(document.getElementById("w").shadowRoot.querySelectorAll("mark").length > 0)`))
	marks := get(t, b, chromedp.Evaluate[[]string](`[...document.getElementById("w").shadowRoot.querySelectorAll("mark")].map(m => m.className + ":" + m.textContent)`))
	if !slices.Contains(marks, "f-epistemic:prétend") {
		t.Errorf("widget marks: %v", marks)
	}
	if n := get(t, b, chromedp.Evaluate[int](`window.vigieEvents.length`)); n == 0 {
		t.Error("no vigie-findings event reached the page")
	}

	// Apply a suggestion: the text changes and the page hears an input event.
	b.do(t,
		void(chromedp.Evaluate[chromedp.Void](`(() => { const w = document.getElementById("w"); window.inputs = 0;
			w.shadowRoot.querySelector("textarea").addEventListener("input", () => window.inputs++);
			[...w.shadowRoot.querySelectorAll("button")].find(b => b.textContent.includes("affirme")).click(); })()`)),
		poll(`document.getElementById("w").value.includes("affirme")`))
	if n := get(t, b, chromedp.Evaluate[int](`window.inputs`)); n == 0 {
		t.Error("applying a suggestion fired no input event")
	}

	// The malformed pack: a clear error naming its line, and the defaults still work.
	b.do(t,
		void(chromedp.Evaluate[chromedp.Void](`(() => { const w = document.getElementById("bad"); w.scrollIntoView(); w.value = "Le ministre prétend tout."; })()`)),
		poll(`!document.getElementById("bad").shadowRoot.querySelector(".alert").hidden`),
		poll(`document.getElementById("bad").shadowRoot.querySelectorAll("mark").length > 0`))
	alert := get(t, b, chromedp.Evaluate[string](`document.getElementById("bad").shadowRoot.querySelector(".alert").textContent`))
	if !strings.Contains(alert, `bad-pack.yaml:5: rule fr.framing.mine: unknown severity "loud"`) {
		t.Errorf("pack error: %q", alert)
	}

	// The page's CSS does not reach inside the widget.
	style := get(t, b, chromedp.Evaluate[[]string](`(() => { const s = getComputedStyle(document.getElementById("w").shadowRoot.querySelector("textarea")); return [s.backgroundColor, s.fontSize, s.color]; })()`))
	if style[0] == "rgb(255, 0, 0)" || style[1] == "40px" || style[2] == "rgb(0, 128, 0)" {
		t.Errorf("the host's CSS restyled the widget: %v", style)
	}

	// Requests: only to the host and to Vigie's origin.
	for _, u := range b.takeURLs() {
		if !strings.HasPrefix(u, host.URL) && !strings.HasPrefix(u, b.origin) && !strings.HasPrefix(u, "blob:") && !strings.HasPrefix(u, "data:") {
			t.Errorf("request off the two origins: %s", u)
		}
	}
}

// TestWidgetAttached watches a field of the host's form: findings show, a
// suggestion edits the field (with its input event), and the form still
// validates and submits as before.
func TestWidgetAttached(t *testing.T) {
	b, _ := start(t)
	posted := make(chan string, 1)
	host := httptest.NewServer(widgetHost(b.origin, posted))
	t.Cleanup(host.Close)
	b.do(t, chromedp.Navigate(host.URL+"/host.html"), poll(`customElements.get("vigie-checker") !== undefined`))
	// The field is required: the empty form does not submit.
	b.do(t, chromedp.Click(chromedp.ID("send")))
	time.Sleep(300 * time.Millisecond)
	select {
	case v := <-posted:
		t.Fatalf("an empty required field was submitted: %q", v)
	default:
	}
	text := "Le ministre prétend que tout va bien."
	b.do(t,
		void(chromedp.Evaluate[chromedp.Void](`window.hostInputs = 0; document.getElementById("proposal").addEventListener("input", () => window.hostInputs++)`)),
		chromedp.SendKeys(chromedp.ID("proposal"), text),
		poll(`document.getElementById("attached").shadowRoot.querySelectorAll(".overlay mark").length > 0`))
	typed := get(t, b, chromedp.Evaluate[int](`window.hostInputs`))
	b.do(t,
		void(chromedp.Evaluate[chromedp.Void](`[...document.getElementById("attached").shadowRoot.querySelectorAll("button")].find(b => b.textContent.includes("affirme")).click()`)),
		poll(`document.getElementById("proposal").value.includes("affirme")`))
	if get(t, b, chromedp.Evaluate[int](`window.hostInputs`)) <= typed {
		t.Error("applying a suggestion fired no input event on the host's field")
	}
	// A contenteditable field: the span is highlighted without touching the
	// page's markup, and a suggestion edits it in place.
	b.do(t,
		void(chromedp.Evaluate[chromedp.Void](`document.getElementById("ce-checker").scrollIntoView()`)),
		poll(`CSS.highlights.has("vigie-epistemic") && String(CSS.highlights.get("vigie-epistemic").values().next().value) === "prétend"`),
		void(chromedp.Evaluate[chromedp.Void](`[...document.getElementById("ce-checker").shadowRoot.querySelectorAll("button")].find(b => b.textContent.includes("affirme")).click()`)),
		poll(`document.getElementById("ce").textContent.includes("affirme")`))
	b.do(t, chromedp.Click(chromedp.ID("send")))
	select {
	case v := <-posted:
		if v != strings.Replace(text, "prétend", "affirme", 1) {
			t.Errorf("the form posted %q", v)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the host's form did not submit")
	}
}

// TestWidgetFrame talks to the iframe fallback with postMessage; a frame
// told to listen to another origin stays silent.
func TestWidgetFrame(t *testing.T) {
	b, _ := start(t)
	host := httptest.NewServer(widgetHost(b.origin, nil))
	t.Cleanup(host.Close)
	b.do(t, chromedp.Navigate(host.URL+"/frames.html"),
		poll(`document.getElementById("good").contentWindow !== null`))
	send := `(() => { for (const id of ["good", "other"]) document.getElementById(id).contentWindow.postMessage({ type: "vigie-check", id: id, text: "Le ministre prétend que tout va bien." }, "` + b.origin + `"); })()`
	// The frames load their script asynchronously: send until the good one answers.
	b.do(t, void(chromedp.Evaluate[chromedp.Void](`window.retry = setInterval(() => `+send+`, 500)`)),
		poll(`window.frameMessages.some(m => m.type === "vigie-report")`),
		void(chromedp.Evaluate[chromedp.Void](`clearInterval(window.retry)`)))
	reports := get(t, b, chromedp.Evaluate[[]string](`window.frameMessages.filter(m => m.type === "vigie-report").map(m => m.id + ":" + m.report.findings.map(f => f.text).join(","))`))
	for _, r := range reports {
		if !strings.HasPrefix(r, "good:") || !strings.Contains(r, "prétend") {
			t.Errorf("report %q", r)
		}
	}
}

// TestWidgetLoadsLazily: a widget below the fold loads nothing until it is
// scrolled into view.
func TestWidgetLoadsLazily(t *testing.T) {
	b, _ := start(t)
	host := httptest.NewServer(widgetHost(b.origin, nil))
	t.Cleanup(host.Close)
	b.do(t, chromedp.Navigate(host.URL+"/lazy.html"), poll(`customElements.get("vigie-checker") !== undefined`))
	time.Sleep(time.Second)
	if seen := b.server.take(); slices.Contains(seen, "/vigie/vigie.wasm") {
		t.Fatalf("the module loaded before the widget was on screen: %v", seen)
	}
	b.do(t, void(chromedp.Evaluate[chromedp.Void](`document.getElementById("w").scrollIntoView()`)),
		poll(`document.getElementById("w").shadowRoot.querySelector(".status").textContent !== ""`))
	time.Sleep(2 * time.Second)
	if seen := b.server.take(); !slices.Contains(seen, "/vigie/vigie.wasm") {
		t.Errorf("the module did not load once the widget was on screen: %v", seen)
	}
}

// BenchmarkCheckerReady loads the checker page with the browser's cache
// off, as a first visit does, and reports the time from navigation to the
// engine being ready (the page's vigie-ready mark).
func BenchmarkCheckerReady(b *testing.B) {
	br, _ := start(b)
	br.do(b, chromedp.Navigate("about:blank"))
	if _, err := chromedp.Call(br.ctx, network.Enable, network.EnableParams{}); err != nil {
		b.Fatal(err)
	}
	if _, err := chromedp.Call(br.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		b.Fatal(err)
	}
	var total float64
	for b.Loop() {
		br.do(b, chromedp.Navigate(br.origin+"/checker/"), waitReady())
		total += get(b, br, chromedp.Evaluate[float64](`performance.getEntriesByName("vigie-ready")[0].startTime`))
	}
	b.ReportMetric(total/float64(b.N), "ms-to-ready")
}

// TestSentenceMarks: the sentence model, fetched from the page's own origin,
// marks a loaded sentence as a whole and leaves a neutral one alone; the
// reader can turn it off.
func TestSentenceMarks(t *testing.T) {
	b, _ := start(t)
	b.do(t, chromedp.Navigate(b.origin+"/checker/"), waitReady())
	// Off by default: the model is not fetched until the reader asks.
	if loaded := b.server.take(); slices.Contains(loaded, "/vigie/sentence.onnx") {
		t.Errorf("the page fetched the model before the box was ticked: %v", loaded)
	}
	b.do(t, chromedp.Click(chromedp.ID("sentences")), waitReady())
	if loaded := b.server.take(); !slices.Contains(loaded, "/vigie/sentence.onnx") {
		t.Fatalf("the page did not load the model from its own origin: %v", loaded)
	}
	origin, _ := url.Parse(b.origin)
	for _, u := range b.takeURLs() {
		if p, err := url.Parse(u); err != nil || (p.Scheme != "data" && p.Scheme != "blob" && p.Host != origin.Host) {
			t.Errorf("request off the local origin: %s", u)
		}
	}
	neutral := "The city council voted on Tuesday to extend the opening hours of the public library."
	loaded := "These greedy corporations are shamelessly robbing hard-working families while their cronies in government look away."
	b.do(t, setText(neutral+" "+loaded))
	got := get(t, b, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#backdrop .sentence-mark")].map(s => s.textContent)`))
	if !slices.Equal(got, []string{loaded}) {
		t.Errorf("sentence marks %q, want only the loaded sentence", got)
	}
	items := get(t, b, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#sentence-marks .sentence-item")].map(li => li.textContent)`))
	if len(items) != 1 || !strings.Contains(items[0], loaded) || !strings.Contains(items[0], "score") {
		t.Errorf("sentence list %q", items)
	}
	// Findings inside a marked sentence keep their own marks.
	if m := marks(b, t); len(m) == 0 {
		t.Logf("no rule finding in the loaded sentence (marks %q)", m)
	}
	// Turned off: the marks go, and no request is made.
	b.do(t, chromedp.Click(chromedp.ID("sentences")),
		poll(`document.querySelectorAll("#backdrop .sentence-mark").length === 0 && document.querySelectorAll("#sentence-marks li").length === 0`))
	if seen := b.server.take(); len(seen) > 0 {
		t.Errorf("requests after the model was loaded: %v", seen)
	}
}

// TestWidgetSentences: with the sentences attribute, the element lists the
// sentences the model finds loaded, with the model fetched from Vigie's
// origin and nothing sent anywhere else.
func TestWidgetSentences(t *testing.T) {
	b, _ := start(t)
	host := httptest.NewServer(widgetHost(b.origin, nil))
	t.Cleanup(host.Close)
	b.do(t, chromedp.Navigate(host.URL+"/sentences.html"), poll(`customElements.get("vigie-checker") !== undefined`))
	loaded := "These greedy corporations are shamelessly robbing hard-working families while their cronies in government look away."
	text := "The city council voted on Tuesday to extend the opening hours of the public library. " + loaded
	b.do(t,
		void(chromedp.Evaluate[chromedp.Void](`(() => { const w = document.getElementById("w"); w.scrollIntoView(); w.value = `+jsString(text)+`; })()`)),
		poll(`document.getElementById("w").shadowRoot.querySelectorAll("li.sentence").length > 0`))
	items := get(t, b, chromedp.Evaluate[[]string](`[...document.getElementById("w").shadowRoot.querySelectorAll("li.sentence .span")].map(s => s.textContent)`))
	if !slices.Equal(items, []string{loaded}) {
		t.Errorf("sentences listed: %q", items)
	}
	if !slices.Contains(b.server.take(), "/vigie/sentence.onnx") {
		t.Error("the model was not fetched from Vigie's origin")
	}
	for _, u := range b.takeURLs() {
		if !strings.HasPrefix(u, host.URL) && !strings.HasPrefix(u, b.origin) && !strings.HasPrefix(u, "blob:") && !strings.HasPrefix(u, "data:") {
			t.Errorf("request off the two origins: %s", u)
		}
	}
}
