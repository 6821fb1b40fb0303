package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testPack = "../../testdata/test-fr.yaml"

// runVigie runs the command with stdin and returns its outputs and status.
func runVigie(t *testing.T, stdin string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	var out, errOut bytes.Buffer
	status = run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), status
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckText(t *testing.T) {
	f := writeFile(t, "article.txt", "Titre\nLe rapport révèle que l’élite ment.\n")
	out, errOut, status := runVigie(t, "", "check", "--no-defaults", "--pack", testPack, f)
	if status != 0 {
		t.Fatalf("status %d: %s", status, errOut)
	}
	for _, want := range []string{
		f + `:2:12: suggestion: "révèle": « Révéler » présente la suite comme un fait. [fr.epistemic.test-reveler]`,
		"    → indiquer",
		f + `:2:23: suggestion: "l’élite": Éditorialisation. [fr.epistemic.test-clair]`,
		f + ": 2 finding(s) in 8 words (fr; ruleset ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckJSON(t *testing.T) {
	out, errOut, status := runVigie(t, "« Le rapport révèle tout », a dit Marie Durand.", "check", "--no-defaults", "--pack", testPack, "--format", "json", "--min-severity", "info", "--ui-lang", "en")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errOut)
	}
	var rep struct {
		Version, Ruleset, Lang string
		Findings               []map[string]any
		Stats                  map[string]any
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if rep.Version == "" || len(rep.Ruleset) != 16 || rep.Lang != "fr" || len(rep.Findings) != 1 {
		t.Fatalf("report = %s", out)
	}
	f := rep.Findings[0]
	for _, k := range []string{"start", "end", "start16", "end16", "text", "rule", "family", "category", "severity", "message", "suggestions", "quoted"} {
		if _, ok := f[k]; !ok {
			t.Errorf("finding lacks %q", k)
		}
	}
	if f["text"] != "révèle" || f["severity"] != "info" || f["quoted"] != true || f["speaker"] != "Marie Durand" ||
		f["message"] != `"Révéler" presents what follows as a fact.` || f["start"] != 14.0 || f["start16"] != 13.0 {
		t.Errorf("finding = %v", f)
	}
}

func TestCheckJSONL(t *testing.T) {
	in := `{"id": 1, "text": "Le rapport révèle tout."}
{"id": "b", "text": "The report says so.", "lang": "en"}

{"id": 3, "text": "Le rapport révèle tout.", "lang": "de"}
not json
{"id": 5}
{"id": 6, "text": ""}
{"id": 7, "text": "Elle a révélé le plan."}
`
	out, errOut, status := runVigie(t, in, "check", "--no-defaults", "--pack", testPack, "--format", "jsonl")
	if status != 2 {
		t.Errorf("status = %d, want 2 (some lines are bad)", status)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 7 {
		t.Fatalf("%d result lines, want 7:\n%s", len(lines), out)
	}
	type result struct {
		ID       any
		Findings []map[string]any
		Error    string
	}
	want := []struct {
		id       any
		findings int
		err      string
	}{
		{1.0, 1, ""}, {"b", 0, ""}, {3.0, 0, `unknown language "de"`}, {nil, 0, "invalid JSON line"},
		{5.0, 0, `missing field "text"`}, {6.0, 0, "empty text"}, {7.0, 1, ""},
	}
	for i, l := range lines {
		var r result
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if r.ID != want[i].id || len(r.Findings) != want[i].findings || !strings.Contains(r.Error, want[i].err) {
			t.Errorf("line %d = %s, want id %v, %d findings, error %q", i+1, l, want[i].id, want[i].findings, want[i].err)
		}
	}
	if !strings.Contains(errOut, "<stdin>:5: invalid JSON line") {
		t.Errorf("stderr does not name the bad line:\n%s", errOut)
	}
}

func TestCheckSARIF(t *testing.T) {
	f := writeFile(t, "a.txt", "Intro.\nIl est clair que le rapport révèle tout.")
	out, errOut, status := runVigie(t, "", "check", "--no-defaults", "--pack", testPack, "--format", "sarif", f)
	if status != 0 {
		t.Fatalf("status %d: %s", status, errOut)
	}
	var log struct {
		Version string
		Runs    []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn, EndColumn, ByteOffset, ByteLength int }
					}
				}
				Fixes []any
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	if log.Version != "2.1.0" || len(log.Runs) != 1 || log.Runs[0].Tool.Driver.Name != "vigie" {
		t.Fatalf("log = %s", out)
	}
	res := log.Runs[0].Results
	if len(res) != 2 || len(log.Runs[0].Tool.Driver.Rules) != 2 {
		t.Fatalf("results = %+v", res)
	}
	reg := res[1].Locations[0].PhysicalLocation.Region
	if res[1].RuleID != "fr.epistemic.test-reveler" || reg.StartLine != 2 || reg.StartColumn != 29 || reg.EndColumn != 35 ||
		res[1].Locations[0].PhysicalLocation.ArtifactLocation.URI != f || len(res[1].Fixes) != 1 {
		t.Errorf("result = %+v", res[1])
	}
}

func TestCheckExitStatus(t *testing.T) {
	tests := []struct {
		name   string
		stdin  string
		args   []string
		status int
		stderr string
	}{
		{"findings, default never fails", "Le rapport révèle tout.", nil, 0, ""},
		{"fail-on suggestion", "Le rapport révèle tout.", []string{"--fail-on", "suggestion"}, 1, ""},
		{"fail-on warning", "Le rapport révèle tout.", []string{"--fail-on", "warning"}, 0, ""},
		{"no finding", "Le rapport indique tout.", []string{"--fail-on", "info"}, 0, ""},
		{"invalid UTF-8", "Le rapport \xff révèle.", nil, 2, "<stdin>: text is not valid UTF-8: first bad byte at offset 11"},
		{"empty input", "", nil, 2, "<stdin>: empty text"},
		{"unknown format", "x", []string{"--format", "xml"}, 2, `unknown --format "xml"`},
		{"unknown language", "x", []string{"--lang", "de"}, 2, `unknown language "de"`},
		{"unknown family", "x", []string{"--family", "bias"}, 2, `unknown family "bias"`},
		{"unknown severity", "x", []string{"--min-severity", "loud"}, 2, `unknown severity "loud"`},
		{"unknown flag", "x", []string{"--colour"}, 2, "flag provided but not defined: -colour"},
		{"missing file", "", []string{"/nonexistent/file.txt"}, 2, "/nonexistent/file.txt: no such file"},
		{"malformed pack", "x", []string{"--pack", "testdata/bad-pack.yaml"}, 2,
			"testdata/bad-pack.yaml:6: rule fr.framing.bad: unknown severity \"loud\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"check", "--no-defaults", "--pack", testPack}, tt.args...)
			_, errOut, status := runVigie(t, tt.stdin, args...)
			if status != tt.status || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("status %d, stderr %q; want %d and %q", status, errOut, tt.status, tt.stderr)
			}
		})
	}
}

func TestMalformedPackReportsEveryProblem(t *testing.T) {
	_, errOut, status := runVigie(t, "x", "check", "--pack", "testdata/bad-pack.yaml")
	if status != 2 || !strings.Contains(errOut, "bad-pack.yaml:6:") || !strings.Contains(errOut, `bad-pack.yaml:10: rule fr.framing.bad: unknown field "sugestions"`) {
		t.Errorf("status %d, stderr:\n%s", status, errOut)
	}
}

func TestCheckLargeInput(t *testing.T) {
	// 20 MB of French, with one finding every hundred sentences: it must
	// finish, with findings found all along the text.
	neutral := strings.Repeat("La réforme avance lentement dans les régions, selon le ministère. ", 99)
	block := neutral + "Le rapport révèle des failles. "
	n := 20 << 20 / len(block)
	f := writeFile(t, "big.txt", strings.Repeat(block, n))
	out, errOut, status := runVigie(t, "", "check", "--no-defaults", "--pack", testPack, "--format", "json", f)
	if status != 0 {
		t.Fatalf("status %d: %s", status, errOut)
	}
	var rep struct {
		Findings []struct{ Start int }
		Stats    struct{ Words int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	last := (n-1)*len(block) + len(neutral) + len("Le rapport ")
	if len(rep.Findings) != n || rep.Findings[n-1].Start != last {
		t.Errorf("%d findings, want %d, the last at %d", len(rep.Findings), n, last)
	}
}

func TestRules(t *testing.T) {
	out, errOut, status := runVigie(t, "", "rules", "--no-defaults", "--pack", testPack, "--json", "révéler")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errOut)
	}
	var rules []map[string]any
	if err := json.Unmarshal([]byte(out), &rules); err != nil {
		t.Fatal(err)
	}
	if len(rules) != 1 || rules[0]["id"] != "fr.epistemic.test-reveler" || rules[0]["sources"] == nil || rules[0]["examples"] == nil {
		t.Errorf("rules = %v", rules)
	}
	out, _, status = runVigie(t, "", "rules", "--no-defaults", "--pack", testPack, "--ui-lang", "fr")
	if status != 0 || !strings.Contains(out, "fr.epistemic.test-clair") || !strings.Contains(out, "3 rule(s); ruleset ") {
		t.Errorf("rules listing:\n%s", out)
	}
	if _, errOut, status := runVigie(t, "", "rules", "--family", "bias"); status != 2 || !strings.Contains(errOut, `unknown family "bias"`) {
		t.Errorf("bad family: %d %s", status, errOut)
	}
}

func TestUsage(t *testing.T) {
	if _, errOut, status := runVigie(t, "", "frobnicate"); status != 2 || !strings.Contains(errOut, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: %d %s", status, errOut)
	}
	if _, _, status := runVigie(t, ""); status != 2 {
		t.Errorf("no command: status %d", status)
	}
	if out, _, status := runVigie(t, "", "version"); status != 0 || !strings.HasPrefix(out, "vigie ") {
		t.Errorf("version: %d %q", status, out)
	}
	if _, _, status := runVigie(t, "", "check", "-h"); status != 0 {
		t.Errorf("check -h: status %d", status)
	}
}

func TestEval(t *testing.T) {
	f := writeFile(t, "speech.txt", "Le ministre prétend que tout va bien. Le ministre prétend encore.")
	out, errOut, status := runVigie(t, "", "eval", f+":fr")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errOut)
	}
	if !strings.Contains(out, "speech.txt                   fr         11        2 181.82 [") || !strings.Contains(out, "2  fr.epistemic.pretendre") {
		t.Errorf("eval output:\n%s", out)
	}
	if _, errOut, status := runVigie(t, "", "eval", f); status != 2 || !strings.Contains(errOut, "FILE:fr or FILE:en") {
		t.Errorf("file without language: %d %s", status, errOut)
	}
}

// Rules of a convention are off unless --convention chooses it.
func TestConventionFlag(t *testing.T) {
	const pack = "testdata/convention-pack.yaml"
	const txt = "Les citoyens votent."
	base := []string{"check", "--no-defaults", "--pack", pack, "--lang", "fr", "--format", "json"}
	for _, tt := range []struct {
		args []string
		want int
	}{{nil, 0}, {[]string{"--convention", "maison"}, 1}} {
		out, errOut, status := runVigie(t, txt, append(base, tt.args...)...)
		var rep struct{ Findings []struct{ Rule string } }
		if status != 0 || json.Unmarshal([]byte(out), &rep) != nil || len(rep.Findings) != tt.want {
			t.Errorf("%v: status %d, %s%s; want %d finding(s)", tt.args, status, out, errOut, tt.want)
		}
	}
	if _, errOut, status := runVigie(t, txt, append(base, "--convention", "hce")...); status != 2 || !strings.Contains(errOut, `unknown convention "hce" (want maison)`) {
		t.Errorf("unknown convention: %d %s", status, errOut)
	}
	out, _, _ := runVigie(t, "", "rules", "--no-defaults", "--pack", pack)
	if !strings.Contains(out, "convention maison (House convention, off unless chosen with --convention maison): 1 of these rules") {
		t.Errorf("rules listing:\n%s", out)
	}
	f := writeFile(t, "t.txt", txt)
	out, errOut, _ := runVigie(t, "", "eval", "--no-defaults", "--pack", pack, "--convention", "maison", f+":fr")
	if !strings.Contains(out, "1  fr.inclusive-writing.test-citoyens") {
		t.Errorf("eval with a convention:\n%s%s", out, errOut)
	}
}

// Without files, eval runs every suite on the committed corpora and --out
// records the figures with what produced them.
func TestEvalSuites(t *testing.T) {
	out := filepath.Join(t.TempDir(), "results.json")
	t.Chdir("../..")
	stdout, errOut, status := runVigie(t, "", "eval", "--family", "framing", "--out", out)
	if status != 0 {
		t.Fatalf("status %d: %s", status, errOut)
	}
	for _, want := range []string{"Rule examples", "sotu-2002-2021.txt", "Wiki Neutrality Corpus sample (Pryzant et al. 2020), 1100 sentence pairs", "edited word found"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Engine, Ruleset, Date string
		Inputs                map[string]string
		Examples              []struct{ Family string }
		FalseAlarms           []struct{ File string } `json:"false_alarms"`
		WNC                   struct {
			Pairs    int
			Detected struct{ K, N int }
		}
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatal(err)
	}
	if res.Engine == "" || len(res.Ruleset) != 16 || res.Date == "" || len(res.Inputs) != 8 || len(res.FalseAlarms) != 3 || res.WNC.Pairs != 1100 || res.WNC.Detected.N == 0 {
		t.Errorf("results: %+v", res)
	}
	for _, e := range res.Examples {
		if e.Family != "framing" {
			t.Errorf("--family framing, but examples of %s", e.Family)
		}
	}
	for f, sum := range res.Inputs {
		if len(sum) != 64 {
			t.Errorf("input %s: hash %q", f, sum)
		}
	}
}

func TestEvalSample(t *testing.T) {
	t.Chdir("../..")
	empty := filepath.Join(t.TempDir(), "none.jsonl")
	out, errOut, status := runVigie(t, "", "eval", "sample", "--per-rule", "2", "--seed", "3", "--judgements", empty)
	if status != 0 {
		t.Fatalf("status %d: %s", status, errOut)
	}
	again, _, _ := runVigie(t, "", "eval", "sample", "--per-rule", "2", "--seed", "3", "--judgements", empty)
	if out != again || out == "" {
		t.Error("the same seed should draw the same sample")
	}
	perRule := map[string]int{}
	var first map[string]string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var s map[string]string
		if err := json.Unmarshal([]byte(line), &s); err != nil {
			t.Fatal(err)
		}
		perRule[s["rule"]]++
		if perRule[s["rule"]] > 2 || s["id"] == "" || s["span"] == "" || s["context"] == "" {
			t.Errorf("sample line %s", line)
		}
		if first == nil {
			first = s
		}
	}
	// A judged finding is not drawn again, and the judgement counts.
	j := fmt.Sprintf(`{"id":%q,"rule":%q,"corpus":%q,"span":%q,"verdict":"correct","reason":"test"}`+"\n", first["id"], first["rule"], first["corpus"], first["span"])
	judged := writeFile(t, "j.jsonl", j)
	out, _, _ = runVigie(t, "", "eval", "sample", "--per-rule", "2", "--seed", "3", "--judgements", judged)
	if strings.Contains(out, `"id":"`+first["id"]+`","rule":"`+first["rule"]+`"`) {
		t.Error("a judged finding was drawn again")
	}
	stdout, errOut, status := runVigie(t, "", "eval", "--judgements", judged, "--family", strings.Split(first["rule"], ".")[1])
	if status != 0 || !strings.Contains(stdout, "1 findings still made, 0 judgements of findings no longer made") || !strings.Contains(stdout, "100.0% [") {
		t.Errorf("precision: %d %s\n%s", status, errOut, stdout)
	}
	for _, bad := range []struct{ content, want string }{
		{`{"id":"a","rule":"b","verdict":"yes","reason":"r"}`, `:1: verdict "yes": want "correct" or "wrong"`},
		{"\n" + `{"id":"a","rule":"b","verdict":"wrong"}`, ":2: verdict without a reason"},
		{`{"id":"a","rule":"b","verdict":"wrong","reason":"r","extra":1}`, `:1: json: unknown field "extra"`},
		{`{"id":"a",`, ":1: unexpected EOF"},
		{j + j, ":2: " + first["id"] + " judged again"},
	} {
		f := writeFile(t, "bad.jsonl", bad.content)
		if _, errOut, status := runVigie(t, "", "eval", "sample", "--judgements", f); status != 2 || !strings.Contains(errOut, f+bad.want) {
			t.Errorf("%q: status %d, %s", bad.content, status, errOut)
		}
	}
}

func TestProbeAndAudit(t *testing.T) {
	prompts, errOut, status := runVigie(t, "", "probe", "--lang", "fr", "--seed", "7")
	if status != 0 || prompts == "" {
		t.Fatalf("probe: %d %s", status, errOut)
	}
	if again, _, _ := runVigie(t, "", "probe", "--lang", "fr", "--seed", "7"); again != prompts {
		t.Error("the same seed should write the same bytes")
	}
	if _, errOut, status := runVigie(t, "", "probe", "--lang", "de"); status != 2 || !strings.Contains(errOut, `no probe set for language "de"`) {
		t.Errorf("probe --lang de: %d %s", status, errOut)
	}
	promptsFile := writeFile(t, "prompts.jsonl", prompts)
	// Answers that only give model, prompt_id and text, joined to the
	// prompts; a loaded answer for every prompt of one group.
	var answers strings.Builder
	var first string
	for i, line := range strings.Split(strings.TrimSpace(prompts), "\n") {
		var p struct{ PromptID, Group string }
		p.PromptID = strings.Split(strings.Split(line, `"prompt_id":"`)[1], `"`)[0]
		p.Group = strings.Split(strings.Split(line, `"group":"`)[1], `"`)[0]
		if i == 0 {
			first = p.Group
		}
		text := "Leurs positions sont diverses et leurs pratiques varient selon les régions."
		if p.Group == first {
			text = "Selon des experts, leur chef prétend que tout va bien."
		}
		fmt.Fprintf(&answers, `{"model":"demo","prompt_id":%q,"text":%q}`+"\n", p.PromptID, text)
	}
	answers.WriteString("{not json\n")
	answers.WriteString(`{"model":"demo","prompt_id":"inconnu/x/y","text":"Bonjour."}` + "\n")
	answersFile := writeFile(t, "answers.jsonl", answers.String())
	html := filepath.Join(t.TempDir(), "report.html")
	out, errOut, status := runVigie(t, "", "audit", "--prompts", promptsFile, "--html", html, "--resamples", "200", answersFile)
	if status != 0 {
		t.Fatalf("audit: %d %s", status, errOut)
	}
	if !strings.Contains(errOut, "answers.jsonl:"+fmt.Sprint(strings.Count(prompts, "\n")+1)+": not a JSON answer") || !strings.Contains(errOut, `prompt_id "inconnu/x/y" is not in the prompts file`) {
		t.Errorf("malformed lines are not named:\n%s", errOut)
	}
	var res struct {
		Answers, Skipped int
		Models           []struct {
			Model string
			Axes  []struct {
				Axis, Focus string
				Groups      []struct {
					Group       string
					Significant bool
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.Skipped != 2 || res.Answers != strings.Count(prompts, "\n") || len(res.Models) != 1 || res.Models[0].Model != "demo" {
		t.Errorf("audit: %d answers, %d skipped, models %+v", res.Answers, res.Skipped, res.Models)
	}
	focused := false
	for _, ax := range res.Models[0].Axes {
		if ax.Focus == first {
			focused = true
		}
	}
	if !focused {
		t.Errorf("no axis puts its focus on the loaded group %q: %+v", first, res.Models[0].Axes)
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "<svg") || strings.Contains(string(page), "<script") || !strings.Contains(string(page), `<mark class="f-epistemic"`) {
		t.Errorf("the HTML report lacks its chart or highlights, or has a script")
	}
	if _, errOut, status := runVigie(t, "{broken\n", "audit"); status != 2 || !strings.Contains(errOut, "<stdin>:1: not a JSON answer") || !strings.Contains(errOut, "no answer could be audited") {
		t.Errorf("only malformed input: %d %s", status, errOut)
	}
}

func TestDiff(t *testing.T) {
	a := writeFile(t, "a.txt", "Critics say the death tax punishes families.")
	out, errOut, status := runVigie(t, "The estate tax affects some families.", "diff", a, "-")
	if status != 0 || !strings.Contains(out, "Only in A:") || !strings.Contains(out, `en.framing.death-tax                     "death tax"`) || strings.Contains(out, "Only in B:") {
		t.Errorf("diff: %d %s\n%s", status, errOut, out)
	}
	out, _, _ = runVigie(t, "", "diff", "--format", "json", a, a)
	var d struct {
		Sides         [2]struct{ Findings int }
		OnlyA, Shared []string
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil || d.Sides[0].Findings != d.Sides[1].Findings || len(d.OnlyA) != 0 || len(d.Shared) == 0 {
		t.Errorf("a file against itself: %v %s", err, out)
	}
	for _, bad := range []struct {
		args []string
		want string
	}{
		{[]string{a}, "give two files to compare, not 1"},
		{[]string{a, a, "--format", "xml"}, `unknown --format "xml"`},
		{[]string{a, "/nonexistent"}, "/nonexistent"},
	} {
		if _, errOut, status := runVigie(t, "", append([]string{"diff"}, bad.args...)...); status != 2 || !strings.Contains(errOut, bad.want) {
			t.Errorf("%v: %d %s", bad.args, status, errOut)
		}
	}
}
