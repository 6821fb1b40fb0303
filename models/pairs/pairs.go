// Package pairs reads Vigie's parallel corpus: sentences with loaded
// wording, each with a neutral rewrite, tagged with a rule family, a civic
// topic, the political side the loaded wording comes from and a register.
// The corpus lives in models/pairs/{fr,en}/<topic>.jsonl; its data card is
// models/pairs/README.md.
package pairs

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"io/fs"
	"path"
	"slices"
	"strings"

	"vigie/rulepack"
)

// Pair is one line of the corpus.
type Pair struct {
	ID       string `json:"id"`
	Lang     string `json:"lang"`
	Topic    string `json:"topic"`
	Family   string `json:"family"`
	Lean     string `json:"lean"`
	Register string `json:"register"`
	Loaded   string `json:"loaded"`
	Neutral  string `json:"neutral"`
}

// The values a pair's tags may take.
var (
	Topics    = []string{"immigration", "economy-work", "security", "environment", "gender", "religion", "europe", "elections", "health", "institutions"}
	Families  = rulepack.Families
	Leans     = []string{"left", "right", "none"}
	Registers = []string{"news", "opinion", "statement", "proposal", "chatbot", "social"}
)

// Split names the part of the corpus a pair belongs to, from a hash of its
// ID so that it never changes: "train" (70%), "dev" (10%, to choose the
// model's threshold) or "test" (20%, held out for the figures).
func (p Pair) Split() string {
	h := fnv.New32a()
	h.Write([]byte(p.ID))
	switch n := h.Sum32() % 10; {
	case n < 7:
		return "train"
	case n == 7:
		return "dev"
	}
	return "test"
}

// Parse reads one corpus file; name is used in error messages, as
// name:line: problem.
func Parse(name string, data []byte) ([]Pair, error) {
	var out []Pair
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var p Pair
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", name, n, err)
		}
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("%s:%d: %s: %v", name, n, p.ID, err)
		}
		out = append(out, p)
	}
	return out, sc.Err()
}

func (p Pair) check() error {
	for _, f := range []struct {
		name, val string
		allowed   []string
	}{
		{"lang", p.Lang, []string{"fr", "en"}},
		{"topic", p.Topic, Topics},
		{"family", p.Family, Families},
		{"lean", p.Lean, Leans},
		{"register", p.Register, Registers},
	} {
		if !slices.Contains(f.allowed, f.val) {
			return fmt.Errorf("%s %q is not one of %s", f.name, f.val, strings.Join(f.allowed, ", "))
		}
	}
	if !strings.HasPrefix(p.ID, p.Lang+"-"+p.Topic+"-") {
		return fmt.Errorf("id must start with %s-%s-", p.Lang, p.Topic)
	}
	if strings.TrimSpace(p.Loaded) == "" || strings.TrimSpace(p.Neutral) == "" {
		return fmt.Errorf("loaded and neutral must both be written")
	}
	if p.Loaded == p.Neutral {
		return fmt.Errorf("loaded and neutral are the same")
	}
	return nil
}

// Load reads every *.jsonl file under dir in fsys (dir/fr/*.jsonl,
// dir/en/*.jsonl), in name order, and checks that IDs are unique.
func Load(fsys fs.FS, dir string) ([]Pair, error) {
	var all []Pair
	seen := map[string]string{}
	for _, lang := range []string{"en", "fr"} {
		names, err := fs.Glob(fsys, path.Join(dir, lang, "*.jsonl"))
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, err
			}
			ps, err := Parse(name, data)
			if err != nil {
				return nil, err
			}
			for _, p := range ps {
				if p.Lang != lang {
					return nil, fmt.Errorf("%s: %s: lang %q in the %s folder", name, p.ID, p.Lang, lang)
				}
				if prev, dup := seen[p.ID]; dup {
					return nil, fmt.Errorf("%s: id %s is also in %s", name, p.ID, prev)
				}
				seen[p.ID] = name
			}
			all = append(all, ps...)
		}
	}
	return all, nil
}
