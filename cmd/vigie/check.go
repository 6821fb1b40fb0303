package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"vigie"
	"vigie/rulepack"
)

// input is one document to check.
type input struct {
	name string // file name, "<stdin>", or the JSONL id
	id   json.RawMessage
	text string
	lang string
}

func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		langFlag = fs.String("lang", "auto", "language of the text: fr, en or auto")
		format   = fs.String("format", "text", "output: text, json, jsonl or sarif")
		minSev   = minSeverityFlag(fs, "report findings of at least this `severity`: info, suggestion or warning")
		failOn   = fs.String("fail-on", "never", "exit with status 1 when a finding has at least this severity: info, suggestion, warning or never")
		uiLang   = fs.String("ui-lang", "", "language of the messages: fr or en (default: the text's)")
		rules    ruleFlags
		conv     listFlag
		model    modelFlags
	)
	model.register(fs)
	rules.register(fs)
	fs.Var(&conv, "convention", conventionUsage)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: vigie check [flags] [FILE ...]\n\nChecks each FILE (standard input when none, or -). With --format jsonl,\nreads lines {\"id\",\"text\",\"lang\"?} and writes one result line per input.\n\nFlags:")
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return exitUsage, err
	}
	opts := vigie.Options{Lang: *langFlag, Families: rules.families, UILang: *uiLang, Conventions: conv}
	opts.MinSeverity = *minSev
	var failLevel rulepack.Severity // 0: never
	if *failOn != "never" {
		if failLevel, err = rulepack.ParseSeverity(*failOn); err != nil {
			return exitUsage, fmt.Errorf("--fail-on: %v (or never)", err)
		}
	}
	var out reporter
	switch *format {
	case "text":
		out = &textReporter{w: stdout}
	case "json":
		out = &jsonReporter{w: stdout}
	case "jsonl":
		out = &jsonlReporter{w: stdout}
	case "sarif":
		out = &sarifReporter{w: stdout}
	default:
		return exitUsage, fmt.Errorf("unknown --format %q (want text, json, jsonl or sarif)", *format)
	}
	if err := opts.Validate(); err != nil {
		return exitUsage, err
	}
	rs, err := rules.load()
	if err != nil {
		return exitUsage, err
	}
	if err := rs.ValidateOptions(opts); err != nil {
		return exitUsage, err
	}
	scorer, closeModel, err := model.load()
	if err != nil {
		return exitUsage, err
	}
	defer closeModel()
	if scorer != nil {
		opts.Sentences = scorer
	}

	status := exitOK
	// check checks one input; inErr is a problem found while reading it.
	check := func(in input, inErr error) {
		o := opts
		if in.lang != "" {
			o.Lang = in.lang
		}
		var rep *vigie.Report
		err := inErr
		if err == nil {
			rep, err = rs.Check(in.text, o)
		}
		if err != nil {
			fmt.Fprintf(stderr, "vigie check: %s: %v\n", in.name, err)
			out.fail(in, err)
			status = exitUsage
			return
		}
		out.report(in, rep, rs)
		if failLevel != 0 && status == exitOK {
			for _, f := range rep.Findings {
				if f.Severity >= failLevel {
					status = exitFindings
					break
				}
			}
		}
	}
	if *format == "jsonl" {
		if err := readJSONL(files, stdin, check); err != nil {
			return exitUsage, err
		}
	} else {
		if len(files) == 0 {
			files = []string{"-"}
		}
		for _, f := range files {
			in, err := readInput(f, stdin)
			if err != nil {
				fmt.Fprintf(stderr, "vigie check: %v\n", err)
				status = exitUsage
				continue
			}
			check(in, nil)
		}
	}
	if err := out.finish(rs); err != nil {
		return exitUsage, err
	}
	return status, nil
}

// ruleFlags are the flags that choose the rules: --pack, --no-defaults and
// --family, shared by check and rules.
const conventionUsage = "apply this writing convention too (repeat or separate with commas); vigie rules lists them. Their rules are off by default"

type ruleFlags struct {
	packs, families listFlag
	noDefaults      bool
}

func (r *ruleFlags) register(fs *flag.FlagSet) {
	fs.Var(&r.families, "family", "only these families (repeat or separate with commas)")
	fs.Var(&r.packs, "pack", "an extra rule pack file (YAML or JSON) to load with the default ones; may be repeated")
	fs.BoolVar(&r.noDefaults, "no-defaults", false, "load only the --pack files, not the default rules")
}

// load compiles the default packs (unless --no-defaults) with the extra ones.
func (r *ruleFlags) load() (*vigie.Ruleset, error) {
	if len(r.packs) == 0 && !r.noDefaults {
		return vigie.Default()
	}
	if len(r.packs) == 0 {
		return nil, errors.New("--no-defaults needs at least one --pack")
	}
	var extra []*rulepack.Pack
	for _, f := range r.packs {
		data, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		p, err := rulepack.Parse(f, data)
		if err != nil {
			return nil, fmt.Errorf("invalid rule pack:\n%w", err)
		}
		extra = append(extra, p)
	}
	var rs *vigie.Ruleset
	var err error
	if r.noDefaults {
		rs, err = vigie.Compile(extra...)
	} else {
		rs, err = vigie.WithPacks(extra...)
	}
	if err != nil {
		return nil, fmt.Errorf("invalid rule pack:\n%w", err)
	}
	return rs, nil
}

func readInput(name string, stdin io.Reader) (input, error) {
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(stdin)
		name = "<stdin>"
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return input{}, err
	}
	return input{name: name, text: string(data)}, nil
}

// readJSONL reads one JSON object per line from the files, or stdin.
func readJSONL(files []string, stdin io.Reader, check func(input, error)) error {
	if len(files) == 0 {
		files = []string{"-"}
	}
	for _, f := range files {
		var r io.Reader = stdin
		name := "<stdin>"
		if f != "-" {
			file, err := os.Open(f)
			if err != nil {
				return err
			}
			defer file.Close()
			r, name = file, f
		}
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 1<<20), vigie.MaxInputBytes+1<<20)
		for n := 1; sc.Scan(); n++ {
			line := sc.Bytes()
			if len(bytes.TrimSpace(line)) == 0 {
				continue
			}
			var rec struct {
				ID   json.RawMessage `json:"id"`
				Text *string         `json:"text"`
				Lang string          `json:"lang"`
			}
			in := input{name: fmt.Sprintf("%s:%d", name, n)}
			dec := json.NewDecoder(bytes.NewReader(line))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&rec); err != nil {
				check(in, fmt.Errorf("invalid JSON line: %v", err))
				continue
			}
			in.id = rec.ID
			if rec.Text == nil {
				check(in, errors.New(`missing field "text"`))
				continue
			}
			in.text, in.lang = *rec.Text, rec.Lang
			check(in, nil)
		}
		if err := sc.Err(); err != nil {
			return fmt.Errorf("%s: %v", name, err)
		}
	}
	return nil
}
