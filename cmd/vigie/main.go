// Command vigie checks French and English text for loaded, one-sided,
// stereotyping or unsupported wording.
//
//	vigie check [flags] [FILE ...]   check files, or standard input
//	vigie rules [flags] [QUERY]      list and search the rules
//	vigie eval [flags] [FILE:LANG]   false-alarm rates on the test corpora
//	vigie site build [flags]         build the portal into public/
//	vigie serve [flags]              serve the built portal and checker locally
//	vigie version                    print the engine and ruleset versions
//
// Run "vigie COMMAND -h" for the flags of a command.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"vigie"
	"vigie/rulepack"
)

// Exit statuses.
const (
	exitOK       = 0 // no finding at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitUsage    = 2 // bad usage or bad input
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run is main without the process: tests call it directly.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	var err error
	status := exitOK
	switch args[0] {
	case "check":
		status, err = runCheck(args[1:], stdin, stdout, stderr)
	case "rules":
		err = runRules(args[1:], stdout, stderr)
	case "version":
		err = runVersion(args[1:], stdout)
	case "serve":
		err = runServe(args[1:], stdout, stderr)
	case "site":
		err = runSite(args[1:], stdout, stderr)
	case "eval":
		err = runEval(args[1:], stdout, stderr)
	case "probe":
		err = runProbe(args[1:], stdout, stderr)
	case "audit":
		err = runAudit(args[1:], stdin, stdout, stderr)
	case "diff":
		err = runDiff(args[1:], stdin, stdout, stderr)
	case "help", "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	default:
		fmt.Fprintf(stderr, "vigie: unknown command %q\n", args[0])
		usage(stderr)
		return exitUsage
	}
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "vigie %s: %v\n", args[0], err)
		return exitUsage
	}
	return status
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Vigie checks French and English text for loaded, one-sided, stereotyping
or unsupported wording, and says why, with sources and neutral alternatives.

Usage:
  vigie check [flags] [FILE ...]   check files (or standard input, or - )
  vigie rules [flags] [QUERY]      list and search the rules
  vigie eval [flags] [FILE:LANG]   measure the rules: examples, false alarms, WNC, judged precision
  vigie eval sample [flags]        draw findings to judge by hand (eval/README.md)
  vigie probe --lang fr|en         write counterfactual prompts to audit a language model (JSONL)
  vigie audit [flags] [FILE ...]   compare a model's answers group against group (JSON, HTML report)
  vigie diff [flags] A B           compare the findings of two texts (two chatbots' answers, say)
  vigie site build [flags]         build the portal (rule catalogue, checker) into public/
  vigie serve [flags]              serve the built portal locally (after make public)
  vigie version                    print the engine and ruleset versions

Run "vigie COMMAND -h" for the flags of a command.
`)
}

// parseInterspersed parses flags that may come before or after the
// positional arguments ("vigie check a.txt --lang fr").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// listFlag is a flag that may be repeated or given as a comma-separated list.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

// severityFlag is a --min-severity value, checked as the flag is parsed.
type severityFlag rulepack.Severity

func (s *severityFlag) String() string {
	if *s == 0 {
		return ""
	}
	return rulepack.Severity(*s).String()
}

func (s *severityFlag) Set(v string) error {
	sev, err := rulepack.ParseSeverity(v)
	*s = severityFlag(sev)
	return err
}

// minSeverityFlag registers --min-severity on fs, with the engine's default.
func minSeverityFlag(fs *flag.FlagSet, usage string) *rulepack.Severity {
	sev := vigie.DefaultMinSeverity
	fs.Var((*severityFlag)(&sev), "min-severity", usage)
	return &sev
}
