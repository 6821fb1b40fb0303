// Package lexicons holds Vigie's default rule packs: one YAML file per
// family and language in fr/ and en/, written as lexicons/SCHEMA.md says.
//
// The YAML files are the source. What the engine embeds is packs.bin, the
// same packs in rulepack's binary form, and compiled.bin, the ruleset
// compiled from them, which start fast everywhere (a browser compiling the
// YAML parser, or 1,500 rules' patterns, takes more than a second). After
// changing a pack, run `go generate ./lexicons`; a test fails while either
// file is stale.
package lexicons

//go:generate go run gen.go

import (
	_ "embed"
	"io/fs"
	"path"
	"sort"
	"strings"

	"vigie/rulepack"
)

//go:embed packs.bin
var packsBin []byte

//go:embed compiled.bin
var compiledBin []byte

// Packs returns the default packs.
func Packs() ([]*rulepack.Pack, error) { return rulepack.Decode(packsBin) }

// Compiled returns the default ruleset compiled (see vigie's
// Ruleset.MarshalBinary), generated with packs.bin.
func Compiled() []byte { return compiledBin }

// FromYAML parses the packs fr/*.yaml and en/*.yaml of fsys (the lexicons
// folder), naming files lexicons/<path> in errors.
func FromYAML(fsys fs.FS) ([]*rulepack.Pack, error) {
	var files []string
	for _, lang := range rulepack.Languages {
		entries, err := fs.ReadDir(fsys, lang)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if ext := path.Ext(e.Name()); !e.IsDir() && (ext == ".yaml" || ext == ".yml" || ext == ".json") && !strings.HasPrefix(e.Name(), ".") {
				files = append(files, lang+"/"+e.Name())
			}
		}
	}
	sort.Strings(files)
	var packs []*rulepack.Pack
	var errs rulepack.Errors
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		p, err := rulepack.Parse("lexicons/"+f, data)
		if err != nil {
			if es, ok := err.(rulepack.Errors); ok {
				errs = append(errs, es...)
				continue
			}
			return nil, err
		}
		packs = append(packs, p)
	}
	return packs, errs.Err()
}
