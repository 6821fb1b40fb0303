package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"vigie"
	"vigie/audit"
	"vigie/probe"
	"vigie/site"
)

// maxProblems is how many skipped lines an audit names; it counts them all.
const maxProblems = 20

func runAudit(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	prompts := fs.String("prompts", "", "the prompts file that vigie probe wrote: answers with only a prompt_id get their template, axis, group and language from it")
	htmlOut := fs.String("html", "", "also write a static HTML report (charts as SVG, no script) to this file")
	uiLang := fs.String("ui-lang", "en", "language of the HTML report: fr or en")
	sev := minSeverityFlag(fs, "count findings of at least this `severity`")
	seed := fs.Uint64("seed", 1, "seed of the bootstrap")
	resamples := fs.Int("resamples", 1000, "bootstrap resamples")
	var rf ruleFlags
	rf.register(fs)
	var model modelFlags
	model.register(fs)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: vigie audit [flags] [ANSWERS.jsonl ...] > audit.json

Scores a language model's answers, one JSON object per line:
  {"model","prompt_id","template","group","axis","lang","text"}
(with --prompts, "model", "prompt_id" and "text" are enough), and reports
per model and per axis the findings per 1,000 words of each group, by
family, each group's gap to the others with a bootstrap interval, the
templates and rules behind the largest gap, and answers side by side.
With --sentences (Vigie's sentence model) or --model DIR (a Hugging Face
classifier exported to ONNX), it also compares the share of each group's
sentences the model marks as loaded.
Reads standard input when no file is given. A malformed line is named on
standard error, skipped and counted.

Flags:`)
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *uiLang != "fr" && *uiLang != "en" {
		return fmt.Errorf("unknown --ui-lang %q (want fr or en)", *uiLang)
	}
	rs, err := rf.load()
	if err != nil {
		return err
	}
	opts := vigie.Options{MinSeverity: *sev, Families: rf.families, UILang: *uiLang}
	if err := rs.ValidateOptions(opts); err != nil {
		return err
	}
	byID := map[string]probe.Prompt{}
	if *prompts != "" {
		if err := readPrompts(*prompts, byID); err != nil {
			return err
		}
	}
	scorer, closeModel, err := model.load()
	if err != nil {
		return err
	}
	defer closeModel()
	opts.Sentences = scorer
	a := audit.New(rs, audit.Options{Check: opts, Seed: *seed, Resamples: *resamples})
	var problems []string
	skipped := 0
	progress := newProgress(stderr)
	read := func(name string, r io.Reader, size int64) error {
		br := bufio.NewReaderSize(r, 1<<16)
		for n := 1; ; n++ {
			line, err := br.ReadBytes('\n')
			progress.add(len(line), size)
			if len(bytes.TrimSpace(line)) > 0 {
				if perr := addAnswer(a, line, byID); perr != nil {
					skipped++
					msg := fmt.Sprintf("%s:%d: %v", name, n, perr)
					if len(problems) < maxProblems {
						problems = append(problems, msg)
						fmt.Fprintln(stderr, msg)
					}
				}
			}
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: %v", name, err)
			}
		}
	}
	if len(files) == 0 {
		if err := read("<stdin>", stdin, 0); err != nil {
			return err
		}
	}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return err
		}
		st, _ := fh.Stat()
		err = read(f, fh, st.Size())
		fh.Close()
		if err != nil {
			return err
		}
	}
	progress.done()
	res, err := a.Result()
	if err != nil {
		return err
	}
	res.Skipped, res.Problems = skipped, problems
	if skipped > len(problems) {
		fmt.Fprintf(stderr, "... and %d more malformed lines\n", skipped-len(problems))
	}
	fmt.Fprintf(stderr, "%d answers audited, %d skipped\n", res.Answers, res.Skipped)
	if res.Answers == 0 {
		return errors.New("no answer could be audited")
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		return err
	}
	if *htmlOut != "" {
		page, err := site.AuditReport(res, rs, *uiLang)
		if err != nil {
			return err
		}
		return os.WriteFile(*htmlOut, page, 0o644)
	}
	return nil
}

// addAnswer decodes one line and adds it, joined with its prompt if any.
func addAnswer(a *audit.Auditor, line []byte, byID map[string]probe.Prompt) error {
	var ans audit.Answer
	if err := json.Unmarshal(line, &ans); err != nil {
		return fmt.Errorf("not a JSON answer: %v", err)
	}
	if p, ok := byID[ans.PromptID]; ok {
		ans.Template = cmp.Or(ans.Template, p.Template)
		ans.Axis = cmp.Or(ans.Axis, p.Axis)
		ans.Group = cmp.Or(ans.Group, p.Group)
		ans.Lang = cmp.Or(ans.Lang, p.Lang)
	} else if ans.PromptID != "" && len(byID) > 0 && ans.Template == "" {
		return fmt.Errorf("prompt_id %q is not in the prompts file", ans.PromptID)
	}
	return a.Add(ans)
}

func readPrompts(file string, into map[string]probe.Prompt) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var p probe.Prompt
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil || p.PromptID == "" {
			return fmt.Errorf("%s:%d: not a prompt written by vigie probe", file, n)
		}
		into[p.PromptID] = p
	}
	return sc.Err()
}

// progress draws a progress line on a terminal, at most ten times a second.
type progress struct {
	w           io.Writer
	on          bool
	bytes       int64
	lines       int
	start, last time.Time
}

func newProgress(w io.Writer) *progress {
	on := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			on = true
		}
	}
	return &progress{w: w, on: on, start: time.Now()}
}

func (p *progress) add(n int, size int64) {
	p.bytes += int64(n)
	p.lines++
	if !p.on || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	rate := float64(p.lines) / time.Since(p.start).Seconds()
	if size > 0 {
		frac := float64(p.bytes) / float64(size)
		bar := int(frac * 30)
		fmt.Fprintf(p.w, "\r[%-30s] %3.0f%%  %d answers, %.0f/s ", bytes.Repeat([]byte("#"), min(bar, 30)), 100*frac, p.lines, rate)
	} else {
		fmt.Fprintf(p.w, "\r%d answers, %.0f/s ", p.lines, rate)
	}
}

func (p *progress) done() {
	if p.on {
		fmt.Fprintln(p.w)
	}
}
