//go:build ignore

// gen writes packs.bin from the YAML packs: `go generate ./lexicons`.
package main

import (
	"fmt"
	"os"

	"vigie/lexicons"
	"vigie/rulepack"
)

func main() {
	packs, err := lexicons.FromYAML(os.DirFS("."))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := os.WriteFile("packs.bin", rulepack.Encode(packs), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
