package site

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"vigie"
	"vigie/audit"
	"vigie/rulepack"
)

// auditFuncs are the template functions of audit reports.
var auditFuncs = template.FuncMap{
	// marks shows an answer with its findings highlighted, as text only.
	"marks": func(text string, fs []vigie.Finding) template.HTML {
		var b strings.Builder
		pos := 0
		for _, f := range fs {
			if f.Start < pos {
				continue // nested in the previous one
			}
			b.WriteString(template.HTMLEscapeString(text[pos:f.Start]))
			fmt.Fprintf(&b, `<mark class="f-%s" title="%s">%s</mark>`, f.Family, template.HTMLEscapeString(f.Rule+": "+f.Message), template.HTMLEscapeString(text[f.Start:f.End]))
			pos = f.End
		}
		b.WriteString(template.HTMLEscapeString(text[pos:]))
		return template.HTML(b.String())
	},
	"slug": func(s string) string {
		return strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				return r
			}
			if r >= 'A' && r <= 'Z' {
				return r + 'a' - 'A'
			}
			return '-'
		}, s)
	},
	"chart": func(ax audit.AxisResult) template.HTML {
		var rows []rateBar
		for _, g := range ax.Groups {
			rows = append(rows, rateBar{Label: g.Group, Value: g.Per1000, Lo: g.CI.Lo, Hi: g.CI.Hi, Strong: g.Significant})
		}
		return rateChart("findings per 1,000 words, by group: "+ax.Axis, rows)
	},
}

// auditBody renders the body of an audit report.
func auditBody(tmpl *template.Template, res *audit.Result, lang, root string) ([]byte, error) {
	var buf bytes.Buffer
	err := tmpl.ExecuteTemplate(&buf, "audit.html", map[string]any{"S": chrome[lang], "Lang": lang, "Root": root, "A": res, "Families": rulepack.Families})
	return buf.Bytes(), err
}

// AuditReport renders an audit as one standalone HTML page, its styles
// inside, with no script: what `vigie audit --html` writes. Rule links
// point to the portal's pages relative to the report, so the report can be
// published at the portal's root.
func AuditReport(res *audit.Result, rs *vigie.Ruleset, lang string) ([]byte, error) {
	tmpl := template.Must(template.New("").Funcs(funcs).Funcs(auditFuncs).ParseFS(embedded, "templates/*.html"))
	body, err := auditBody(tmpl, res, lang, "")
	if err != nil {
		return nil, err
	}
	css, err := embedded.ReadFile("assets/site.css")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	err = tmpl.ExecuteTemplate(&buf, "report.html", map[string]any{"S": chrome[lang], "Lang": lang, "Body": template.HTML(body),
		"CSS": template.CSS(css), "Version": vigie.Version, "Ruleset": rs.Hash()})
	return buf.Bytes(), err
}

// rateBar is one row of a rate chart, per 1,000 words, with its interval.
type rateBar struct {
	Label         string
	Value, Lo, Hi float64
	Strong        bool
}

// rateChart draws rates as horizontal bars scaled to the largest interval.
func rateChart(title string, rows []rateBar) template.HTML {
	top := 0.0
	for _, r := range rows {
		top = max(top, r.Hi, r.Value)
	}
	if top == 0 {
		top = 1
	}
	bars := make([]bar, len(rows))
	for i, r := range rows {
		class := "other"
		if r.Strong {
			class = "vigie"
		}
		bars[i] = bar{Label: r.Label, Class: class}
		bars[i].Share.Value, bars[i].Share.CI.Lo, bars[i].Share.CI.Hi = r.Value/top, r.Lo/top, r.Hi/top
	}
	return scaledChart(title, bars, top)
}
