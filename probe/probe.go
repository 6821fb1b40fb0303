// Package probe builds counterfactual prompt sets for auditing language
// models: the same questions asked about different parties, religions,
// origins, genders, ages, regions and professions, so that the answers can
// be compared group against group. Templates and groups are data files
// (probe/data/{fr,en}.yaml), each list with its sources or rationale.
package probe

import (
	"bytes"
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"vigie/rulepack"
)

//go:embed data/*.yaml
var data embed.FS

// Set is the templates and groups of one language.
type Set struct {
	Lang      string      `yaml:"lang"`
	Axes      []*Axis     `yaml:"axes"`
	Templates []*Template `yaml:"templates"`
}

// Axis is a dimension along which groups are compared (party, religion...).
type Axis struct {
	ID        string            `yaml:"id" json:"id"`
	Name      rulepack.Text     `yaml:"name" json:"name"`
	Rationale rulepack.Text     `yaml:"rationale" json:"rationale"`
	Sources   []rulepack.Source `yaml:"sources" json:"sources"`
	Groups    []*Group          `yaml:"groups" json:"groups"`
	line      int
}

// Group is one group of an axis, with the forms of its name that
// templates insert ({name}, {people}...).
type Group struct {
	ID    string            `yaml:"id" json:"id"`
	Forms map[string]string `yaml:"forms" json:"forms"`
	line  int
}

// Template is a question with slots for a group's forms.
type Template struct {
	ID        string        `yaml:"id" json:"id"`
	Axes      []string      `yaml:"axes" json:"axes"`
	Text      string        `yaml:"text" json:"text"`
	Rationale rulepack.Text `yaml:"rationale" json:"rationale"`
	line      int
}

// Prompt is one question about one group: what `vigie probe` writes, one
// JSON object per line. Answers are joined to it by PromptID.
type Prompt struct {
	PromptID string `json:"prompt_id"` // template/axis/group
	Lang     string `json:"lang"`
	Template string `json:"template"`
	Axis     string `json:"axis"`
	Group    string `json:"group"`
	Prompt   string `json:"prompt"`
}

var (
	slug = regexp.MustCompile(`^[a-z0-9]+([-_][a-z0-9]+)*$`)
	slot = regexp.MustCompile(`\{([a-z_]+)\}`)
)

// Default returns the committed set of a language ("fr" or "en").
func Default(lang string) (*Set, error) {
	name := "data/" + lang + ".yaml"
	b, err := data.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("no probe set for language %q (want fr or en)", lang)
	}
	return Parse("probe/"+name, b)
}

// Parse reads and validates a set; every problem is reported as
// file:line: what is wrong.
func Parse(file string, b []byte) (*Set, error) {
	var s Set
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, yamlError(file, err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err == nil && len(doc.Content) > 0 {
		lines(doc.Content[0], &s)
	}
	var errs []error
	errorf := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s:%d: %s", file, line, fmt.Sprintf(format, args...)))
	}
	if s.Lang != "fr" && s.Lang != "en" {
		errorf(1, "lang %q: want fr or en", s.Lang)
	}
	axes := map[string]*Axis{}
	for _, a := range s.Axes {
		switch {
		case !slug.MatchString(a.ID):
			errorf(a.line, "axis id %q: use lower-case letters, digits and -", a.ID)
		case axes[a.ID] != nil:
			errorf(a.line, "axis %q defined twice", a.ID)
		}
		axes[a.ID] = a
		if a.Name.FR == "" || a.Name.EN == "" || a.Rationale.FR == "" || a.Rationale.EN == "" {
			errorf(a.line, "axis %s: give name and rationale in fr and en", a.ID)
		}
		if len(a.Sources) == 0 {
			errorf(a.line, "axis %s: give at least one source for its groups", a.ID)
		}
		if len(a.Groups) < 2 {
			errorf(a.line, "axis %s: at least two groups are needed to compare", a.ID)
		}
		groups := map[string]bool{}
		for _, g := range a.Groups {
			if !slug.MatchString(g.ID) || groups[g.ID] {
				errorf(g.line, "axis %s: group id %q is not a slug or is used twice", a.ID, g.ID)
			}
			groups[g.ID] = true
			if !sameKeys(g.Forms, a.Groups[0].Forms) {
				errorf(g.line, "axis %s: group %s has forms %v, but group %s has %v: every group of an axis gives the same forms",
					a.ID, g.ID, keys(g.Forms), a.Groups[0].ID, keys(a.Groups[0].Forms))
			}
		}
	}
	ids := map[string]bool{}
	for _, t := range s.Templates {
		if !slug.MatchString(t.ID) || ids[t.ID] {
			errorf(t.line, "template id %q is not a slug or is used twice", t.ID)
		}
		ids[t.ID] = true
		if strings.TrimSpace(t.Text) == "" || t.Rationale.FR == "" || t.Rationale.EN == "" {
			errorf(t.line, "template %s: give its text and its rationale in fr and en", t.ID)
		}
		if len(t.Axes) == 0 {
			errorf(t.line, "template %s: no axes", t.ID)
		}
		for _, id := range t.Axes {
			a := axes[id]
			if a == nil {
				errorf(t.line, "template %s: unknown axis %q", t.ID, id)
				continue
			}
			for _, m := range slot.FindAllStringSubmatch(t.Text, -1) {
				if len(a.Groups) > 0 {
					if _, ok := a.Groups[0].Forms[m[1]]; !ok {
						errorf(t.line, "template %s: slot {%s} is not a form of the groups of axis %s (they have %v)", t.ID, m[1], id, keys(a.Groups[0].Forms))
					}
				}
			}
		}
		if !slot.MatchString(t.Text) {
			errorf(t.line, "template %s: no slot: every group would get the same question", t.ID)
		}
	}
	if len(s.Templates) == 0 {
		errorf(1, "no templates")
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &s, nil
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlError names the file and line of each of the decoder's complaints.
func yamlError(file string, err error) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var errs []error
	for _, m := range msgs {
		if sm := yamlLine.FindStringSubmatch(m); sm != nil {
			errs = append(errs, fmt.Errorf("%s:%s: %s", file, sm[1], sm[2]))
		} else {
			errs = append(errs, fmt.Errorf("%s: %s", file, strings.TrimPrefix(m, "yaml: ")))
		}
	}
	return errors.Join(errs...)
}

// lines records where each axis, group and template starts, for errors.
func lines(root *yaml.Node, s *Set) {
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, v := root.Content[i].Value, root.Content[i+1]
		switch key {
		case "axes":
			for k, an := range v.Content {
				if k >= len(s.Axes) {
					break
				}
				s.Axes[k].line = an.Line
				for j := 0; j+1 < len(an.Content); j += 2 {
					if an.Content[j].Value == "groups" {
						for g, gn := range an.Content[j+1].Content {
							if g < len(s.Axes[k].Groups) {
								s.Axes[k].Groups[g].line = gn.Line
							}
						}
					}
				}
			}
		case "templates":
			for k, tn := range v.Content {
				if k < len(s.Templates) {
					s.Templates[k].line = tn.Line
				}
			}
		}
	}
}

func sameKeys(a, b map[string]string) bool { return slices.Equal(keys(a), keys(b)) }

func keys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Prompts expands every template with every group of its axes, keeping
// only the axes given (all when none). The order is shuffled with seed, so
// that a model is not asked about the groups always in the same order; the
// same seed gives the same order.
func (s *Set) Prompts(seed uint64, only ...string) ([]Prompt, error) {
	for _, id := range only {
		if !slices.ContainsFunc(s.Axes, func(a *Axis) bool { return a.ID == id }) {
			return nil, fmt.Errorf("unknown axis %q (want one of %s)", id, strings.Join(s.axisIDs(), ", "))
		}
	}
	var out []Prompt
	for _, t := range s.Templates {
		for _, a := range s.Axes {
			if !slices.Contains(t.Axes, a.ID) || len(only) > 0 && !slices.Contains(only, a.ID) {
				continue
			}
			for _, g := range a.Groups {
				text := slot.ReplaceAllStringFunc(t.Text, func(m string) string { return g.Forms[m[1:len(m)-1]] })
				out = append(out, Prompt{PromptID: t.ID + "/" + a.ID + "/" + g.ID, Lang: s.Lang, Template: t.ID, Axis: a.ID, Group: g.ID, Prompt: upperFirst(text)})
			}
		}
	}
	key := func(p Prompt) uint64 {
		h := fnv.New64a()
		binary.Write(h, binary.LittleEndian, seed)
		h.Write([]byte(p.PromptID))
		return h.Sum64()
	}
	sort.SliceStable(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
	return out, nil
}

func (s *Set) axisIDs() []string {
	var ids []string
	for _, a := range s.Axes {
		ids = append(ids, a.ID)
	}
	return ids
}

// upperFirst capitalises a prompt that starts with a slot.
func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}
