//go:build ignore

// gen writes packs.bin and compiled.bin from the YAML packs:
// `go generate ./lexicons`.
package main

import (
	"fmt"
	"os"

	"vigie"
	"vigie/lexicons"
	"vigie/rulepack"
)

func main() {
	packs, err := lexicons.FromYAML(os.DirFS("."))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin := rulepack.Encode(packs)
	// Compile what packs.bin holds, as the engine will read it.
	decoded, err := rulepack.Decode(bin)
	if err == nil {
		var rs *vigie.Ruleset
		if rs, err = vigie.Compile(decoded...); err == nil {
			var compiled []byte
			if compiled, err = rs.MarshalBinary(); err == nil {
				err = os.WriteFile("packs.bin", bin, 0o644)
				if err == nil {
					err = os.WriteFile("compiled.bin", compiled, 0o644)
				}
			}
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
