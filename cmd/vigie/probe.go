package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"vigie/probe"
)

func runProbe(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("probe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	langFlag := fs.String("lang", "", "language of the prompts: fr or en (required)")
	seed := fs.Uint64("seed", 1, "shuffles the prompts' order; the same seed writes the same bytes")
	var axes listFlag
	fs.Var(&axes, "axis", "only these axes (repeat or separate with commas); all by default")
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: vigie probe --lang fr|en [--seed N] [--axis A,B] > prompts.jsonl

Writes counterfactual prompts, one JSON object per line: every template of
probe/data/LANG.yaml asked about every group of its axes (parties, religions,
origins, genders, ages, regions, professions), each with its prompt_id,
template, axis, group and language, so that a model's answers can be
compared group against group with vigie audit.

Flags:`)
		fs.PrintDefaults()
	}
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return fmt.Errorf("unexpected argument %q", pos[0])
	}
	if *langFlag == "" {
		return fmt.Errorf("--lang is required: fr or en")
	}
	set, err := probe.Default(*langFlag)
	if err != nil {
		return err
	}
	prompts, err := set.Prompts(*seed, axes...)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	for _, p := range prompts {
		if err := enc.Encode(p); err != nil {
			return err
		}
	}
	return nil
}
