package site

import (
	"fmt"
	"html/template"
	"path/filepath"
	"strings"

	"vigie/evaluation"
)

// bar is one row of a bar chart: a share with its interval.
type bar struct {
	Label string
	Share evaluation.Share
	Class string // "vigie" or "other", for the colour
}

// barChart draws shares from 0 to 100% as horizontal bars with their 95%
// intervals as whiskers: a plain SVG, no script. The numbers are also in
// the table next to it, for screen readers and for copying.
func barChart(title string, bars []bar) template.HTML { return scaledChart(title, bars, 0) }

// scaledChart is barChart for values that are not shares: bars hold value
// divided by scale, and the axis and labels show values (0 means shares,
// shown as percentages).
func scaledChart(title string, bars []bar, scale float64) template.HTML {
	format := func(v float64) string {
		if scale == 0 {
			return fmt.Sprintf("%.0f%%", 100*v)
		}
		return fmt.Sprintf("%.1f", v*scale)
	}
	const (
		labelW, plotW, rowH, top = 260.0, 360.0, 26.0, 8.0
	)
	h := top*2 + rowH*float64(len(bars)) + 18
	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s"><title>%s</title>`, labelW+plotW+70, h, esc(title), esc(title))
	for _, tick := range []float64{0, 0.25, 0.5, 0.75, 1} {
		x := labelW + tick*plotW
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f"/><text class="tick" x="%.1f" y="%.1f">%s</text>`,
			x, x, top, h-18, x, h-4, format(tick))
	}
	for i, r := range bars {
		y := top + rowH*float64(i)
		w := r.Share.Value * plotW
		lo, hi := labelW+r.Share.CI.Lo*plotW, labelW+r.Share.CI.Hi*plotW
		mid := y + rowH/2
		fmt.Fprintf(&b, `<text class="label" x="%.1f" y="%.1f">%s</text>`, labelW-8, mid+4, esc(r.Label))
		fmt.Fprintf(&b, `<rect class="bar %s" x="%.1f" y="%.1f" width="%.1f" height="%.1f"/>`, r.Class, labelW, y+5, w, rowH-10)
		fmt.Fprintf(&b, `<path class="ci" d="M%.1f %.1fH%.1fM%.1f %.1fv8M%.1f %.1fv8"/>`, lo, mid, hi, lo, mid-4, hi, mid-4)
		value := fmt.Sprintf("%.1f%%", 100*r.Share.Value)
		if scale != 0 {
			value = fmt.Sprintf("%.2f", r.Share.Value*scale)
		}
		fmt.Fprintf(&b, `<text class="value" x="%.1f" y="%.1f">%s</text>`, labelW+plotW+6, mid+4, value)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// evalView is what the evaluation template shows.
type evalView struct {
	R       *evaluation.Results
	Current string // hash of the rules the site documents
	Charts  map[string]template.HTML
	Corpora []corpusView
}

type corpusView struct {
	Name, Lang   string
	Vigie, Other *evaluation.Rate
}

// corpusNames are the evaluation corpora as the page names them.
var corpusNames = map[string]string{
	"udhr-fr.txt": "UDHR (fr)", "udhr-en.txt": "UDHR (en)", "sotu-2002-2021.txt": "State of the Union 2002–2021",
	"tagged-fr-wikinews.txt": "Wikinews (fr)",
}

func (b *builder) evaluationView(lang string) evalView {
	r := b.opts.Results
	s := chrome[lang]
	v := evalView{R: r, Current: b.opts.Rules.Hash(), Charts: map[string]template.HTML{}}
	for i := range r.Rates {
		c := &r.Rates[i]
		cv := corpusView{Name: corpusNames[filepath.Base(c.File)], Lang: c.Lang, Vigie: &c.Rate}
		if cv.Name == "" {
			cv.Name = filepath.Base(c.File)
		}
		if r.Compare != nil {
			for k := range r.Compare.Rates {
				if r.Compare.Rates[k].File == c.File {
					cv.Other = &r.Compare.Rates[k].Rate
				}
			}
		}
		v.Corpora = append(v.Corpora, cv)
	}
	if w := r.WNC; w != nil {
		bars := []bar{
			{s["evalFound"] + " — Vigie", w.Detected, "vigie"},
			{s["evalPre"] + " — Vigie", w.PreFlagged, "vigie"},
			{s["evalPost"] + " — Vigie", w.PostFlagged, "vigie"},
		}
		if r.Compare != nil && r.Compare.WNC != nil {
			o, t := r.Compare.WNC, r.Compare.Tool
			bars = append(bars,
				bar{s["evalFound"] + " — " + t, o.Detected, "other"},
				bar{s["evalPre"] + " — " + t, o.PreFlagged, "other"},
				bar{s["evalPost"] + " — " + t, o.PostFlagged, "other"})
		}
		v.Charts["wnc"] = barChart(s["evalWNC"], bars)
	}
	if p := r.Precision; p != nil && p.Judged > 0 {
		var bars []bar
		for _, f := range p.ByFamily {
			lg, fam, _ := strings.Cut(f.Name, "/")
			bars = append(bars, bar{fmt.Sprintf("%s (%s), n=%d", s[fam], lg, f.N), f.Share, "vigie"})
		}
		v.Charts["precision"] = barChart(s["evalPrecision"], bars)
	}
	return v
}

// precisionByRule indexes the judged precision of each rule, for the
// rule pages.
func precisionByRule(r *evaluation.Results) map[string]evaluation.Share {
	out := map[string]evaluation.Share{}
	if r != nil && r.Precision != nil {
		for _, p := range r.Precision.ByRule {
			out[p.Name] = p.Share
		}
	}
	return out
}
