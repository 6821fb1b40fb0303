// Package site builds Vigie's transparency portal: a static site, in French
// and English, made of the Markdown pages in content/, one page per rule and
// per family generated from the rule packs, the rule catalogue with its
// search, the open-data downloads, and the checker page with the browser
// module. The result is plain files that any static host can serve.
package site

import (
	"bytes"
	"embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"vigie"
	"vigie/audit"
	"vigie/evaluation"
	"vigie/models/loaded"
	"vigie/models/pairs"
	"vigie/rulepack"
	"vigie/site/server"
	"vigie/text"
	"vigie/wasm/web"
)

//go:embed templates/*.html assets/*
var embedded embed.FS

//go:embed checker/index.html checker/checker.css checker/checker.mjs sw.js
var checkerFiles embed.FS

//go:embed content
var defaultContent embed.FS

// Content returns the portal's own pages (content/fr and content/en).
func Content() fs.FS {
	sub, _ := fs.Sub(defaultContent, "content")
	return sub
}

// Options say what to build.
type Options struct {
	Out       string         // the folder to write; it is emptied first
	Content   fs.FS          // content/{fr,en}/**/*.md; Content() by default
	Rules     *vigie.Ruleset // the rules of the catalogue
	Module    []byte         // vigie.wasm; the checker page needs it
	Changelog []byte         // CHANGELOG.md, rendered as a page
	BaseURL   string         // absolute address of the site, for the sitemap; may be empty
	// Results are the published evaluation figures (eval/results.json),
	// shown on the evaluation page and the rule pages; may be nil.
	Results *evaluation.Results
	// Audit is the worked example of the audits page: an audit of the
	// answers in probe/examples/; may be nil.
	Audit *audit.Result
	// Pairs is the parallel corpus (models/pairs), described on its data
	// card and published as open data.
	Pairs []pairs.Pair
}

// Result describes what Build wrote.
type Result struct {
	Pages int      // HTML pages
	Files []string // every file, relative to Out
}

var langs = []string{"fr", "en"}

// Build writes the whole site to opts.Out.
func Build(opts Options) (*Result, error) {
	if opts.Content == nil {
		opts.Content = Content()
	}
	if opts.Rules == nil {
		return nil, fmt.Errorf("site: no rules")
	}
	if len(opts.Module) == 0 {
		return nil, fmt.Errorf("site: no browser module (build it with `make wasm`)")
	}
	if len(opts.Pairs) == 0 {
		return nil, fmt.Errorf("site: no parallel corpus (models/pairs)")
	}
	pages, err := loadContent(opts.Content)
	if err != nil {
		return nil, err
	}
	b := &builder{opts: opts, out: &output{dir: opts.Out}, tmpl: template.Must(template.New("").Funcs(funcs).Funcs(auditFuncs).ParseFS(embedded, "templates/*.html"))}
	if err := b.out.reset(); err != nil {
		return nil, err
	}
	if err := b.addGenerated(&pages); err != nil {
		return nil, err
	}
	b.exists, b.nav = map[string]bool{}, map[string][]*Page{}
	for _, p := range pages {
		b.exists[p.Lang+"/"+p.Slug] = true
		if p.Nav > 0 {
			b.nav[p.Lang] = append(b.nav[p.Lang], p)
		}
	}
	for _, nav := range b.nav {
		sort.SliceStable(nav, func(i, j int) bool { return nav[i].Nav < nav[j].Nav })
	}
	for _, p := range pages {
		if err := b.writePage(p); err != nil {
			return nil, err
		}
	}
	steps := []func() error{b.writeRoot, b.writeAssets, b.writeChecker, b.writeData, b.writeSitemap, b.writeHeaders}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	if err := b.out.precompress(); err != nil {
		return nil, err
	}
	sort.Strings(b.out.files)
	return &Result{Pages: b.out.pages, Files: b.out.files}, nil
}

type builder struct {
	opts   Options
	out    *output
	tmpl   *template.Template
	exists map[string]bool    // "lang/slug" of every page
	nav    map[string][]*Page // by language, the navigation's pages in order
}

var funcs = template.FuncMap{
	"text": func(t rulepack.Text, lang string) string { return t.In(lang) },
	"join": strings.Join,
	"pct":  func(v float64) float64 { return 100 * v },
	"share": func(s evaluation.Share) string {
		return fmt.Sprintf("%.1f%% [%.1f, %.1f] (%d/%d)", 100*s.Value, 100*s.CI.Lo, 100*s.CI.Hi, s.K, s.N)
	},
	"fold": func(s string) string { return text.Fold(s, text.FoldAll) },
	"example": func(ex string) template.HTML {
		open, close := strings.IndexByte(ex, '['), strings.LastIndexByte(ex, ']')
		if open < 0 || close < open {
			return template.HTML(template.HTMLEscapeString(ex))
		}
		return template.HTML(template.HTMLEscapeString(ex[:open]) + "<mark>" + template.HTMLEscapeString(ex[open+1:close]) + "</mark>" + template.HTMLEscapeString(ex[close+1:]))
	},
}

// strings of the page chrome, by language.
var chrome = map[string]map[string]string{
	"fr": {
		"skip": "Aller au contenu", "nav": "Navigation principale", "other": "English", "checker": "Vérifier un texte",
		"rules": "Règles", "catalogue": "Catalogue des règles", "changelog": "Journal des modifications",
		"footer": "Vigie est un logiciel libre (Apache-2.0). Aucun texte ne quitte votre navigateur.",
		"family": "Famille", "category": "Catégorie", "severity": "Gravité", "ruleLang": "Langue des textes", "tags": "Étiquettes",
		"why": "Pourquoi cette formulation peut poser problème", "suggestions": "Formulations plus neutres",
		"patterns": "Motifs repérés", "exceptions": "Exceptions", "fire": "Exemples signalés", "pass": "Exemples non signalés",
		"sources": "Sources", "message": "Message", "rulesOfFamily": "Règles de cette famille", "search": "Rechercher",
		"all": "toutes", "count": "règles affichées", "id": "Identifiant", "filters": "Filtrer les règles",
		"fr": "français", "en": "anglais", "info": "information", "suggestion": "suggestion", "warning": "avertissement",
		"examplesNote":  "Ces exemples sont vérifiés à chaque modification : la règle doit signaler les premiers (le passage marqué) et pas les seconds.",
		"changelogNote": "Le journal des modifications est tenu en anglais.",
		"widget":        "Le composant à intégrer", "widgetDescription": "Démonstration et mode d'emploi du composant <vigie-checker> pour les sites d'associations et de plateformes civiques.",
		"conventions": "Conventions d'écriture", "conventionsNote": "Les règles d'une convention sont désactivées par défaut : la question est un choix d'écriture, débattu, et non un biais. Cochez la convention sur la page de vérification, ou demandez-la avec vigie check --convention ID ou l'attribut conventions du composant.",
		"conventionOf": "Convention", "offByDefault": "désactivée par défaut", "rulesCount": "règles",
		"balance": "Équilibre politique du vocabulaire chargé", "balanceNote": "Une règle porte l'étiquette d'un camp seulement quand une de ses sources dit quel camp emploie surtout le terme. Beaucoup de termes chargés sont couverts sans étiquette, faute d'une telle source (par exemple « superprofits » est étiqueté, mais pas « casse du service public », « État policier » ou « gauche caviar ») : ce décompte mesure donc les sources trouvées, pas seulement l'équilibre des règles. Les règles sans étiquette sont dans le catalogue.",
		"camp-left": "gauche", "camp-right": "droite", "camp": "Camp associé", "campNone": "sans étiquette de camp",
		"evalRun": "Mesure publiée", "evalEngine": "Moteur", "evalRuleset": "Jeu de règles mesuré", "evalStale": "les règles documentées sur ce site ont changé depuis :", "evalDate": "Date", "evalSeverity": "Signalements comptés à partir de",
		"evalRates": "Fausses alertes : signalements pour 1 000 mots", "evalRatesNote": "Sur un texte neutre comme la Déclaration universelle, chaque signalement est une fausse alerte. Les discours sur l'état de l'Union contiennent une vraie rhétorique, mais chaque signalement doit rester défendable. Entre crochets, l'intervalle de confiance à 95 % (loi de Poisson exacte) ; entre parenthèses, le nombre de signalements.",
		"evalCorpus": "Corpus", "evalWords": "Mots",
		"evalWNC": "Wiki Neutrality Corpus : phrases neutralisées par des éditeurs de Wikipédia", "evalWNCNote": "1 100 phrases de Wikipédia avant et après qu'un éditeur en a retiré le parti pris (échantillon du corpus de Pryzant et al., 2020). « Mot corrigé trouvé » : part des phrases où un signalement couvre un mot que l'éditeur a retiré ou remplacé. Un bon vérificateur signale la phrase d'origine et se tait sur la phrase corrigée. Entre crochets, l'intervalle de Wilson à 95 %.",
		"evalFound": "mot corrigé trouvé", "evalPre": "phrases d'origine signalées", "evalPost": "phrases corrigées signalées",
		"evalConll": "CoNLL-2010 : phrases de Wikipédia incertaines ou certaines", "evalConllNote": "3 000 phrases de Wikipédia annotées pour la tâche CoNLL-2010 : la moitié contient une formulation évasive ou incertaine (« weasel words »). Part des phrases de chaque sorte ayant au moins un signalement. Corpus lu à l'évaluation depuis le paquet Debian python3-pattern (usage personnel) : il n'est pas dans le dépôt.",
		"evalUncertain": "phrases incertaines signalées", "evalCertain": "phrases certaines signalées",
		"evalPrecision": "Précision jugée à la main", "evalPrecisionNote": "Un échantillon de signalements, tiré par règle (vigie eval sample), a été jugé un par un : le passage mérite-t-il le message de la règle ? Les chiffres ne comptent que les jugements de signalements que les règles actuelles font encore. L'échantillon est stratifié par règle : les règles rares y pèsent plus que dans un texte réel.",
		"evalAsJudged": "toutes les règles, telles qu'elles étaient au moment des jugements", "evalStillMade": "signalements jugés que les règles actuelles font encore (optimiste : les mêmes jugements ont guidé les corrections)",
		"evalScope": "Portée", "evalPrecisionCol": "Précision [IC 95 %] (justes/jugés)", "evalStaleJudgements": "jugements portent sur des signalements que les règles ne font plus (règle modifiée ou signalement corrigé).",
		"evalNoPrecision": "Aucun jugement n'a encore été publié.", "evalExamples": "Exemples des règles", "evalInputs": "Fichiers mesurés",
		"auditTitle": "Audit de réponses de modèles de langue", "auditFooter": "Rapport produit par vigie audit :", "auditAnswers": "réponses auditées", "auditSkipped": "lignes illisibles ignorées (voir ci-dessous)",
		"auditMethod": "Pour chaque modèle et chaque axe : signalements pour 1 000 mots de chaque groupe (intervalle de Poisson à 95 %), et écart de chaque groupe aux autres groupes réunis, avec un intervalle bootstrap élargi pour le nombre de groupes comparés (Bonferroni). Un écart n'est dit significatif que si cet intervalle exclut zéro et que le groupe et les autres ont chacun au moins 10 réponses. Un signalement invite à relire, ce n'est pas un verdict.",
		"auditModel":  "Modèle", "auditAxis": "Axe", "auditGroup": "Groupe", "auditAnswersCol": "Réponses", "auditRate": "Pour 1 000 mots [IC 95 %]", "auditGap": "Écart aux autres [IC]", "auditWords": "mots",
		"auditSignificant": "significatif", "auditFocus": "Plus grand écart :", "auditSpread": "écart entre le groupe le plus haut et le plus bas :", "auditTemplates": "Questions qui portent l'écart (pour 1 000 mots)",
		"auditTemplate": "Question", "auditOthers": "autres groupes", "auditRules": "Règles qui portent l'écart (pour 1 000 mots)", "auditPair": "Réponses côte à côte, question",
		"sev-default": "signalements affichés par défaut (suggestion, avertissement)", "sev-info": "signalements affichés sur demande (information)",
		"precision": "Précision mesurée", "precisionNone": "pas encore jugée", "precisionOf": "signalements jugés",
		"epistemic": "épistémique", "framing": "cadrage", "stereotype": "stéréotype", "generalisation": "généralisation", "toxicity": "toxicité", "inclusive-writing": "écriture inclusive",
	},
	"en": {
		"skip": "Skip to the content", "nav": "Main navigation", "other": "Français", "checker": "Check a text",
		"rules": "Rules", "catalogue": "Rule catalogue", "changelog": "Changelog",
		"footer": "Vigie is free software (Apache-2.0). No text ever leaves your browser.",
		"family": "Family", "category": "Category", "severity": "Severity", "ruleLang": "Language of the texts", "tags": "Tags",
		"why": "Why this wording may be a problem", "suggestions": "More neutral wording",
		"patterns": "Patterns it looks for", "exceptions": "Exceptions", "fire": "Examples it flags", "pass": "Examples it leaves alone",
		"sources": "Sources", "message": "Message", "rulesOfFamily": "Rules of this family", "search": "Search",
		"all": "all", "count": "rules shown", "id": "Identifier", "filters": "Filter the rules",
		"fr": "French", "en": "English", "info": "info", "suggestion": "suggestion", "warning": "warning",
		"examplesNote":  "These examples are checked at every change: the rule must flag the first ones (the marked span) and not the others.",
		"changelogNote": "",
		"widget":        "The embeddable element", "widgetDescription": "A live demo and the instructions of the <vigie-checker> element for the sites of NGOs and civic platforms.",
		"conventions": "Writing conventions", "conventionsNote": "The rules of a convention are off by default: the question is a choice of style, itself debated, not a bias. Tick the convention on the checker page, or ask for it with vigie check --convention ID or the element's conventions attribute.",
		"conventionOf": "Convention", "offByDefault": "off by default", "rulesCount": "rules",
		"balance": "Political balance of the loaded vocabulary", "balanceNote": "A rule carries a camp tag only when one of its sources says which side mostly uses the term. Many loaded terms are covered without a tag, for want of such a source (for instance “war on women” is tagged, but not “tax cuts for the rich”, “Big Pharma” or “gun nuts”): this count measures the sources found as much as the balance of the rules. The untagged rules are in the catalogue.",
		"camp-left": "left", "camp-right": "right", "camp": "Associated camp", "campNone": "no camp tag",
		"evalRun": "Published run", "evalEngine": "Engine", "evalRuleset": "Ruleset measured", "evalStale": "the rules this site documents have changed since:", "evalDate": "Date", "evalSeverity": "Findings counted from",
		"evalRates": "False alarms: findings per 1,000 words", "evalRatesNote": "On neutral text like the Universal Declaration, every finding is a false alarm. State of the Union addresses carry real rhetoric, but each finding should still be defensible. In brackets, the exact Poisson 95% interval; in parentheses, the number of findings.",
		"evalCorpus": "Corpus", "evalWords": "Words",
		"evalWNC": "Wiki Neutrality Corpus: sentences neutralised by Wikipedia editors", "evalWNCNote": "1,100 Wikipedia sentences before and after an editor removed their bias (a sample of Pryzant et al.'s corpus, 2020). “Edited word found”: the share of sentences where a finding covers a word the editor removed or replaced. A good checker flags the original and stays quiet on the edit. In brackets, the Wilson 95% interval.",
		"evalFound": "edited word found", "evalPre": "original sentences flagged", "evalPost": "edited sentences flagged",
		"evalConll": "CoNLL-2010: uncertain and certain Wikipedia sentences", "evalConllNote": "3,000 Wikipedia sentences annotated for the CoNLL-2010 shared task: half contain evasive or uncertain wording (weasel words). The share of each kind with at least one finding. Read at evaluation time from Debian's python3-pattern package (personal use): not in the repository.",
		"evalUncertain": "uncertain sentences flagged", "evalCertain": "certain sentences flagged",
		"evalPrecision": "Precision judged by hand", "evalPrecisionNote": "A sample of findings, drawn per rule (vigie eval sample), was judged one by one: does the span deserve the rule's message? Only judgements of findings the current rules still make are counted. The sample is stratified by rule, so rare rules weigh more in it than in real text.",
		"evalAsJudged": "all rules, as they were when the findings were judged", "evalStillMade": "judged findings the current rules still make (optimistic: the same judgements guided the fixes)",
		"evalScope": "Scope", "evalPrecisionCol": "Precision [95% CI] (right/judged)", "evalStaleJudgements": "judgements are of findings the rules no longer make (a rule changed, or a wrong finding was fixed).",
		"evalNoPrecision": "No judgement has been published yet.", "evalExamples": "Rule examples", "evalInputs": "Files measured",
		"auditTitle": "Audit of language-model answers", "auditFooter": "Report made by vigie audit:", "auditAnswers": "answers audited", "auditSkipped": "unreadable lines skipped (see below)",
		"auditMethod": "For each model and axis: findings per 1,000 words for each group (Poisson 95% interval), and each group's gap to the other groups pooled, with a bootstrap interval widened for the number of groups compared (Bonferroni). A gap is called significant only when that interval excludes zero and the group and the others each have at least 10 answers. A finding is a prompt to reread, not a verdict.",
		"auditModel":  "Model", "auditAxis": "Axis", "auditGroup": "Group", "auditAnswersCol": "Answers", "auditRate": "Per 1,000 words [95% CI]", "auditGap": "Gap to the others [CI]", "auditWords": "words",
		"auditSignificant": "significant", "auditFocus": "Largest gap:", "auditSpread": "highest group minus lowest:", "auditTemplates": "Questions behind the gap (per 1,000 words)",
		"auditTemplate": "Question", "auditOthers": "other groups", "auditRules": "Rules behind the gap (per 1,000 words)", "auditPair": "Answers side by side, question",
		"sev-default": "findings shown by default (suggestion, warning)", "sev-info": "findings shown on request (info)",
		"precision": "Measured precision", "precisionNone": "not judged yet", "precisionOf": "judged findings",
		"epistemic": "epistemic", "framing": "framing", "stereotype": "stereotype", "generalisation": "generalisation", "toxicity": "toxicity", "inclusive-writing": "inclusive writing",
	},
}

// addGenerated adds the pages made from the rules: the catalogue, one page
// per rule, the rule lists of the family pages, and the changelog.
func (b *builder) addGenerated(pages *[]*Page) error {
	rules := b.opts.Rules.Rules()
	precision := precisionByRule(b.opts.Results)
	for _, lang := range langs {
		s := chrome[lang]
		var buf bytes.Buffer
		if err := b.tmpl.ExecuteTemplate(&buf, "catalogue.html", map[string]any{"Lang": lang, "S": s, "Rules": rules, "Families": rulepack.Families, "Categories": categories(rules)}); err != nil {
			return err
		}
		*pages = append(*pages, &Page{Lang: lang, Slug: "rules/index", Title: s["catalogue"], Nav: 3, Body: bytes.Clone(buf.Bytes()), Description: map[string]string{
			"fr": "Toutes les règles de Vigie, en français et en anglais, avec leurs sources et leurs exemples.",
			"en": "Every rule of Vigie, in French and English, with its sources and examples.",
		}[lang]})
		for _, r := range rules {
			buf.Reset()
			if err := b.tmpl.ExecuteTemplate(&buf, "rule.html", map[string]any{"Lang": lang, "S": s, "R": r, "P": precision[r.ID], "Judged": precision[r.ID].N > 0}); err != nil {
				return err
			}
			*pages = append(*pages, &Page{Lang: lang, Slug: "rules/" + r.ID, Title: r.ID, Body: bytes.Clone(buf.Bytes()), Description: r.Message.In(lang)})
		}
		for _, p := range *pages {
			if p.Lang == lang && p.Slug == "audits" && b.opts.Audit != nil {
				body, err := auditBody(b.tmpl, b.opts.Audit, lang, "../")
				if err != nil {
					return err
				}
				p.Body = append(p.Body, body...)
			}
			if p.Lang == lang && p.Slug == "model" {
				v, err := b.modelView(lang)
				if err != nil {
					return err
				}
				buf.Reset()
				if err := b.tmpl.ExecuteTemplate(&buf, "model.html", map[string]any{"Lang": lang, "S": s, "V": v}); err != nil {
					return err
				}
				p.Body = append(p.Body, buf.Bytes()...)
			}
			if p.Lang == lang && p.Slug == "pairs" {
				buf.Reset()
				if err := b.tmpl.ExecuteTemplate(&buf, "pairs.html", map[string]any{"Lang": lang, "S": s, "V": pairsViewOf(b.opts.Pairs)}); err != nil {
					return err
				}
				p.Body = append(p.Body, buf.Bytes()...)
			}
			if p.Lang == lang && p.Slug == "evaluation" && b.opts.Results != nil {
				buf.Reset()
				if err := b.tmpl.ExecuteTemplate(&buf, "evaluation.html", map[string]any{"Lang": lang, "S": s, "V": b.evaluationView(lang)}); err != nil {
					return err
				}
				p.Body = append(p.Body, buf.Bytes()...)
			}
			if p.Lang != lang || !strings.HasPrefix(p.Slug, "families/") {
				continue
			}
			family := strings.TrimPrefix(p.Slug, "families/")
			if !rulepack.IsFamily(family) {
				return fmt.Errorf("content/%s/%s.md: no family %q", lang, p.Slug, family)
			}
			var of []*rulepack.Rule
			for _, r := range rules {
				if r.Family == family {
					of = append(of, r)
				}
			}
			buf.Reset()
			data := map[string]any{"Lang": lang, "S": s, "Rules": of,
				"Conventions": b.conventionsOf(of), "Camps": campBalance(of)}
			if err := b.tmpl.ExecuteTemplate(&buf, "family.html", data); err != nil {
				return err
			}
			p.Body = append(p.Body, buf.Bytes()...)
		}
		buf.Reset()
		if err := b.tmpl.ExecuteTemplate(&buf, "widget.html", map[string]any{"Lang": lang, "S": s}); err != nil {
			return err
		}
		*pages = append(*pages, &Page{Lang: lang, Slug: "widget", Title: s["widget"], Body: bytes.Clone(buf.Bytes()), Description: s["widgetDescription"]})
		if len(b.opts.Changelog) > 0 {
			buf.Reset()
			if note := s["changelogNote"]; note != "" {
				fmt.Fprintf(&buf, "<p><em>%s</em></p>\n", template.HTMLEscapeString(note))
			}
			if err := markdown.Convert(b.opts.Changelog, &buf); err != nil {
				return err
			}
			*pages = append(*pages, &Page{Lang: lang, Slug: "changelog", Title: s["changelog"], Body: bytes.Clone(buf.Bytes()), Description: s["changelog"] + " — Vigie"})
		}
	}
	sort.Slice(*pages, func(i, j int) bool { return (*pages)[i].Lang+(*pages)[i].Slug < (*pages)[j].Lang+(*pages)[j].Slug })
	return nil
}

// conventionUse is a convention and how many of a family's rules follow it.
type conventionUse struct {
	*rulepack.Convention
	Rules int
}

// conventionsOf lists the conventions that rules belong to.
func (b *builder) conventionsOf(rules []*rulepack.Rule) []conventionUse {
	var out []conventionUse
	for _, c := range b.opts.Rules.Conventions() {
		n := 0
		for _, r := range rules {
			if r.Lang == c.Lang && slices.Contains(r.Conventions, c.ID) {
				n++
			}
		}
		if n > 0 {
			out = append(out, conventionUse{c, n})
		}
	}
	return out
}

// campRow counts the rules of one camp tag, per language of the texts.
type campRow struct {
	Tag    string
	FR, EN int
	Rules  []*rulepack.Rule
}

// campBalance counts the rules tagged camp-* (see lexicons/SCHEMA.md), so
// that the portal shows whether both sides' loaded words are covered; nil
// when no rule is tagged.
func campBalance(rules []*rulepack.Rule) []campRow {
	var rows []campRow
	for _, tag := range []string{"camp-left", "camp-right"} {
		row := campRow{Tag: tag}
		for _, r := range rules {
			if slices.Contains(r.Tags, tag) {
				row.Rules = append(row.Rules, r)
				if r.Lang == "fr" {
					row.FR++
				} else {
					row.EN++
				}
			}
		}
		rows = append(rows, row)
	}
	if len(rows[0].Rules)+len(rows[1].Rules) == 0 {
		return nil
	}
	return rows
}

func categories(rules []*rulepack.Rule) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range rules {
		if !seen[r.Category] {
			seen[r.Category] = true
			out = append(out, r.Category)
		}
	}
	sort.Strings(out)
	return out
}

// scripts gives the module a page loads, relative to the site's root.
var scripts = map[string]string{"rules/index": "assets/catalogue.mjs", "widget": "vigie/vigie-widget.js"}

type navItem struct {
	Href, Title string
	Current     bool
}

// writePage wraps a page in the layout and writes lang/slug.html.
func (b *builder) writePage(p *Page) error {
	root := strings.Repeat("../", 1+strings.Count(p.Slug, "/"))
	other := "en"
	if p.Lang == "en" {
		other = "fr"
	}
	otherHref := root + other + "/" + p.Slug + ".html"
	if !b.exists[other+"/"+p.Slug] {
		otherHref = root + other + "/index.html"
	}
	var nav []navItem
	for _, q := range b.nav[p.Lang] {
		nav = append(nav, navItem{Href: root + p.Lang + "/" + q.Slug + ".html", Title: q.Title, Current: q.Slug == p.Slug})
	}
	var buf bytes.Buffer
	err := b.tmpl.ExecuteTemplate(&buf, "layout.html", map[string]any{
		"Page": p, "Lang": p.Lang, "Root": root, "Other": otherHref, "OtherLang": other,
		"S": chrome[p.Lang], "Nav": nav, "Body": template.HTML(p.Body), "CSP": server.ContentSecurityPolicy,
		"Script": scripts[p.Slug],
	})
	if err != nil {
		return fmt.Errorf("%s/%s: %w", p.Lang, p.Slug, err)
	}
	b.out.pages++
	return b.out.write(p.Lang+"/"+p.Slug+".html", buf.Bytes())
}

// writeRoot writes the bilingual entrance page.
func (b *builder) writeRoot() error {
	var buf bytes.Buffer
	if err := b.tmpl.ExecuteTemplate(&buf, "root.html", map[string]any{"CSP": server.ContentSecurityPolicy}); err != nil {
		return err
	}
	b.out.pages++
	return b.out.write("index.html", buf.Bytes())
}

func (b *builder) writeAssets() error {
	return fs.WalkDir(embedded, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := embedded.ReadFile(p)
		if err != nil {
			return err
		}
		return b.out.write(p, data)
	})
}

// writeChecker writes the checker page, the service worker, the loader and
// the module.
func (b *builder) writeChecker() error {
	err := fs.WalkDir(checkerFiles, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := checkerFiles.ReadFile(p)
		if err != nil {
			return err
		}
		return b.out.write(p, data)
	})
	if err != nil {
		return err
	}
	b.out.pages++
	entries, err := fs.ReadDir(web.Files, ".")
	if err != nil {
		return err
	}
	for _, e := range entries {
		data, err := web.Files.ReadFile(e.Name())
		if err != nil {
			return err
		}
		if err := b.out.write("vigie/"+e.Name(), data); err != nil {
			return err
		}
	}
	if err := b.out.write("vigie/sentence.onnx", loaded.ONNX); err != nil {
		return err
	}
	return b.out.write("vigie/vigie.wasm", b.opts.Module)
}

// writeData writes the open data: every rule as JSON and as CSV.
func (b *builder) writeData() error {
	rules := b.opts.Rules.Rules()
	js, err := json.MarshalIndent(rules, "", " ")
	if err != nil {
		return err
	}
	if err := b.out.write("rules.json", append(js, '\n')); err != nil {
		return err
	}
	if err := b.out.write("model/features.json", loaded.Features); err != nil {
		return err
	}
	if err := b.out.write("model/metrics.json", loaded.MetricsJSON); err != nil {
		return err
	}
	for _, lang := range langs {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		for _, p := range b.opts.Pairs {
			if p.Lang == lang {
				enc.Encode(p)
			}
		}
		if err := b.out.write("pairs-"+lang+".jsonl", buf.Bytes()); err != nil {
			return err
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"id", "lang", "family", "category", "severity", "patterns", "exceptions", "suggestions", "message_fr", "message_en", "explanation_fr", "explanation_en", "sources", "tags", "conventions", "page_fr", "page_en"})
	for _, r := range rules {
		var sources []string
		for _, s := range r.Sources {
			src := s.Title
			if s.URL != "" {
				src += " <" + s.URL + ">"
			}
			sources = append(sources, src)
		}
		w.Write([]string{r.ID, r.Lang, r.Family, r.Category, r.Severity.String(), strings.Join(r.Patterns, " | "),
			strings.Join(r.Exceptions, " | "), strings.Join(r.Suggestions, " | "), r.Message.FR, r.Message.EN,
			r.Explanation.FR, r.Explanation.EN, strings.Join(sources, " | "), strings.Join(r.Tags, " "),
			strings.Join(r.Conventions, " "), vigie.RulePage("fr", r.ID), vigie.RulePage("en", r.ID)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return b.out.write("rules.csv", buf.Bytes())
}

// writeSitemap lists every page. Without a base address, the locations are
// relative to the sitemap.
func (b *builder) writeSitemap() error {
	var buf bytes.Buffer
	buf.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	base := b.opts.BaseURL
	if base != "" && !strings.HasSuffix(base, "/") {
		base += "/"
	}
	var locs []string
	for _, f := range b.out.files {
		if strings.HasSuffix(f, ".html") && !strings.HasPrefix(f, "vigie/") { // vigie/frame.html is for embedding
			locs = append(locs, f)
		}
	}
	sort.Strings(locs)
	for _, l := range locs {
		fmt.Fprintf(&buf, "  <url><loc>%s</loc></url>\n", template.HTMLEscapeString(base+l))
	}
	buf.WriteString("</urlset>\n")
	return b.out.write("sitemap.xml", buf.Bytes())
}

// writeHeaders writes _headers, which Netlify, Cloudflare Pages and others
// read: the same headers `vigie serve` sends.
func (b *builder) writeHeaders() error {
	h := "/*\n" +
		"  Content-Security-Policy: " + server.ContentSecurityPolicy + "\n" +
		"  X-Content-Type-Options: nosniff\n" +
		"  Referrer-Policy: no-referrer\n" +
		"  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()\n" +
		"/vigie/*\n" +
		"  Access-Control-Allow-Origin: *\n" +
		"/vigie/*.wasm\n" +
		"  Content-Type: application/wasm\n" +
		"  Cache-Control: public, max-age=3600, must-revalidate\n" +
		"/vigie/*.onnx\n" +
		"  Content-Type: application/octet-stream\n" +
		"  Cache-Control: public, max-age=3600, must-revalidate\n"
	return b.out.write("_headers", []byte(h))
}

// output writes files under dir and remembers them.
type output struct {
	dir   string
	files []string
	pages int
}

func (o *output) reset() error {
	if o.dir == "" || o.dir == "/" || o.dir == "." {
		return fmt.Errorf("site: refusing to empty %q: give an output folder such as public/", o.dir)
	}
	if err := os.RemoveAll(o.dir); err != nil {
		return err
	}
	return os.MkdirAll(o.dir, 0o755)
}

func (o *output) write(rel string, data []byte) error {
	p := filepath.Join(o.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	o.files = append(o.files, path.Clean(rel))
	return os.WriteFile(p, data, 0o644)
}
