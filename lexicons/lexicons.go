// Package lexicons embeds Vigie's default rule packs: one YAML file per
// family and language in fr/ and en/, written as lexicons/SCHEMA.md says.
package lexicons

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"

	"vigie/rulepack"
)

//go:embed fr en
var files embed.FS

// FS returns the embedded packs, as fr/*.yaml and en/*.yaml.
func FS() fs.FS { return files }

// Files lists the embedded pack files, sorted.
func Files() []string {
	var out []string
	fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && isPack(p) {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func isPack(p string) bool {
	ext := path.Ext(p)
	return (ext == ".yaml" || ext == ".yml" || ext == ".json") && !strings.HasPrefix(path.Base(p), ".")
}

// Packs parses every embedded pack. Errors name files as lexicons/<path>.
func Packs() ([]*rulepack.Pack, error) {
	var packs []*rulepack.Pack
	var errs rulepack.Errors
	for _, p := range Files() {
		data, err := files.ReadFile(p)
		if err != nil {
			return nil, err
		}
		pack, err := rulepack.Parse("lexicons/"+p, data)
		if err != nil {
			if es, ok := err.(rulepack.Errors); ok {
				errs = append(errs, es...)
				continue
			}
			return nil, err
		}
		packs = append(packs, pack)
	}
	return packs, errs.Err()
}
