package site

import (
	"bytes"
	"fmt"
	"html/template"
	"sort"
	"strings"

	"github.com/andybalholm/brotli"

	"vigie/evaluation"
	"vigie/models/loaded"
	"vigie/models/pairs"
)

// The model card (content/*/model.md) and the data card of the parallel
// corpus (content/*/pairs.md) get their figures from the files the model's
// training wrote (models/loaded) and from the corpus itself.

func init() {
	for lang, m := range map[string]map[string]string{
		"fr": {
			"colon": " : ", "pctSign": " %", "auditModelShare": "Phrases marquées par le modèle", "auditModelGap": "Écart aux autres (points) [IC]",
			"evalParallel": "Corpus parallèle : phrases chargées et leurs réécritures neutres", "evalParallelNote": "Les paires du corpus parallèle de Vigie (voir sa fiche), écrites pour le projet : une bonne règle signale la phrase chargée. Les réécritures neutres que les règles signalaient ont été corrigées : le taux de réécritures signalées est donc nul par construction, et seul le taux de phrases chargées signalées mesure les règles. Par camp : la formulation chargée vient-elle de la gauche ou de la droite ? Un vérificateur équilibré signale les deux aussi souvent. Les règles ne voient que des mots : les paires sans mot chargé leur échappent par construction. Entre crochets, l'intervalle de Wilson à 95 %.",
			"evalLoadedFlagged": "phrases chargées signalées", "evalNeutralFlagged": "réécritures neutres signalées", "evalSuggestionUsed": "Quand un signalement propose une formulation et que la réécriture a changé le passage, part des cas où la réécriture emploie une des formulations proposées :",
			"lean-left": "formulation de gauche", "lean-right": "formulation de droite", "lean-none": "sans camp", "mFigures": "Mesures", "mFiguresNote": "Écrites par make model dans models/loaded/metrics.json ; rien n'est recopié à la main. Entre crochets, l'intervalle de Wilson à 95 %.",
			"mFile": "Fichier", "mBytes": "octets", "mBrotli": "compressé (brotli)", "mThreshold": "Seuil de marquage", "mTarget": "précision visée sur les paires de développement",
			"mShape": "Forme", "mShapeText": "%d lignes × %d dimensions, n-grammes de mots jusqu'à %d, de caractères de %d à %d, phrases d'au moins %d mots",
			"mTraining": "Apprentissage", "mTrainingText": "%d époques, taux initial %g, graine %d ; du corpus, %d phrases chargées et %d neutres ; des exemples des règles, %d chargées et %d neutres, comptant chacune pour %g ; %d phrases neutres du Wiki Neutrality Corpus",
			"mPairsSplit": "Paires (entraînement / développement / test)", "mHeldOut": "Paires tenues à l'écart (test)", "mExternal": "Jeu externe",
			"mSet": "Données", "mN": "Phrases", "mAccuracy": "Exactitude", "mPrecision": "Précision", "mRecall": "Rappel", "mF1": "F1", "mAUC": "AUC ROC",
			"mCalibration": "Calibration", "mCalibrationNote": "Pour chaque tranche de score, la part de phrases réellement chargées (ordonnée) face au score moyen (abscisse). Un modèle bien calibré suit la diagonale. La taille des points suit le nombre de phrases.",
			"mAdded": "Ce que le modèle ajoute aux règles", "mAddedNote": "Sur les paires tenues à l'écart : rappel et précision des règles seules (sévérité par défaut), puis les règles ou le modèle au seuil du modèle (ce que montre la page de vérification), et le rappel des règles ou du modèle au seuil le plus bas qui garde la précision des règles. Les réécritures que les règles signalaient ont été corrigées (voir la fiche du corpus) : sur ces paires, la précision des règles est donc parfaite par construction, et seul leur rappel est informatif.",
			"mFalse": "Fausses alertes sur des textes neutres", "mFalseNote": "Part des phrases que le modèle marque dans des textes qui ne devraient presque rien contenir d'orienté (les discours sur l'état de l'Union, politiques, sont donnés pour comparaison). C'est la mesure qui compte pour un lecteur : sur un texte réel, la plupart des phrases sont neutres. Ces mesures ont guidé deux choix (la précision visée de 95 % et les phrases du Wiki Neutrality Corpus) : elles sont donc un peu optimistes.", "mText": "Texte", "mMarked": "Phrases marquées",
			"mRulesAlone": "Règles seules", "mBoth": "Règles ou modèle, au seuil du modèle", "mCombined": "Règles ou modèle, à précision égale", "mAt": "seuil du modèle", "mNotReached": "aucun seuil ne garde cette précision",
			"mDownloads": "Fichiers", "mPairsLabel": "paires tenues à l'écart", "mExternalLabel": "jeu externe",
			"pContents": "Contenu", "pTotal": "paires", "pTopic": "Thème", "pDownload": "Télécharger",
			"pLeft": "gauche", "pRight": "droite", "pNone": "aucun camp", "pLean": "Camp de la formulation chargée", "pRegister": "Registre", "pExamples": "Une paire par famille",
			"pLoaded": "Formulation chargée", "pNeutral": "Réécriture neutre",
			"t-immigration": "immigration", "t-economy-work": "économie et travail", "t-security": "sécurité", "t-environment": "environnement", "t-gender": "genre",
			"t-religion": "religion", "t-europe": "Europe", "t-elections": "élections", "t-health": "santé", "t-institutions": "institutions",
			"r-news": "dépêche", "r-opinion": "opinion", "r-statement": "déclaration", "r-proposal": "proposition citoyenne", "r-chatbot": "assistant conversationnel", "r-social": "réseau social",
		},
		"en": {
			"colon": ": ", "pctSign": "%", "auditModelShare": "Sentences the model marks", "auditModelGap": "Gap to the others (points) [CI]",
			"evalParallel": "Parallel corpus: loaded sentences and their neutral rewrites", "evalParallelNote": "The pairs of Vigie's parallel corpus (see its data card), written for the project: a good rule flags the loaded sentence. The neutral rewrites the rules flagged were corrected, so the share of rewrites flagged is zero by construction, and only the share of loaded sentences flagged measures the rules. By side: does the loaded wording come from the left or the right? A balanced checker flags both as often. Rules only see words: pairs with no loaded word escape them by design. In brackets, the Wilson 95% interval.",
			"evalLoadedFlagged": "loaded sentences flagged", "evalNeutralFlagged": "neutral rewrites flagged", "evalSuggestionUsed": "When a finding offers a wording and the rewrite changed the span, the share of cases where the rewrite uses one of the offered wordings:",
			"lean-left": "wording from the left", "lean-right": "wording from the right", "lean-none": "no side", "mFigures": "Measured figures", "mFiguresNote": "Written by make model into models/loaded/metrics.json; nothing is copied by hand. In brackets, the Wilson 95% interval.",
			"mFile": "File", "mBytes": "bytes", "mBrotli": "compressed (brotli)", "mThreshold": "Marking threshold", "mTarget": "target precision on the development pairs",
			"mShape": "Shape", "mShapeText": "%d rows × %d dimensions, word n-grams up to %d, character n-grams of %d to %d, sentences of at least %d words",
			"mTraining": "Training", "mTrainingText": "%d epochs, initial rate %g, seed %d; from the corpus, %d loaded and %d neutral sentences; from the rules' examples, %d loaded and %d neutral, each counting %g; %d neutral sentences of the Wiki Neutrality Corpus",
			"mPairsSplit": "Pairs (train / development / test)", "mHeldOut": "Held-out pairs (test)", "mExternal": "External set",
			"mSet": "Data", "mN": "Sentences", "mAccuracy": "Accuracy", "mPrecision": "Precision", "mRecall": "Recall", "mF1": "F1", "mAUC": "ROC AUC",
			"mCalibration": "Calibration", "mCalibrationNote": "For each score band, the share of sentences that really are loaded (vertical) against the mean score (horizontal). A well-calibrated model follows the diagonal. Dot sizes follow the number of sentences.",
			"mAdded": "What the model adds to the rules", "mAddedNote": "On the held-out pairs: recall and precision of the rules alone (default severity), then rules or model at the model's threshold (what the checker page shows), and the recall of rules or model at the lowest model threshold that keeps the rules' precision. The rewrites the rules flagged were corrected (see the corpus's data card): on these pairs the rules' precision is therefore perfect by construction, and only their recall is informative.",
			"mFalse": "False alarms on neutral text", "mFalseNote": "The share of sentences the model marks in texts that should hold almost no loaded wording (the State of the Union addresses, political speeches, are given for comparison). This is the figure that matters to a reader: in real text, most sentences are neutral. These figures guided two choices (the 95% target precision and the Wiki Neutrality Corpus sentences), so they are somewhat optimistic.", "mText": "Text", "mMarked": "Sentences marked",
			"mRulesAlone": "Rules alone", "mBoth": "Rules or model, at the model's threshold", "mCombined": "Rules or model, at equal precision", "mAt": "model threshold", "mNotReached": "no threshold keeps that precision",
			"mDownloads": "Files", "mPairsLabel": "held-out pairs", "mExternalLabel": "external set",
			"pContents": "Contents", "pTotal": "pairs", "pTopic": "Topic", "pDownload": "Download",
			"pLeft": "left", "pRight": "right", "pNone": "no camp", "pLean": "Camp of the loaded wording", "pRegister": "Register", "pExamples": "One pair per family",
			"pLoaded": "Loaded wording", "pNeutral": "Neutral rewrite",
			"t-immigration": "immigration", "t-economy-work": "economy and work", "t-security": "security", "t-environment": "environment", "t-gender": "gender",
			"t-religion": "religion", "t-europe": "Europe", "t-elections": "elections", "t-health": "health", "t-institutions": "institutions",
			"r-news": "news", "r-opinion": "opinion", "r-statement": "statement", "r-proposal": "citizen proposal", "r-chatbot": "chatbot answer", "r-social": "social media",
		},
	} {
		for k, v := range m {
			chrome[lang][k] = v
		}
	}
}

// modelView is what the model card's generated part shows.
type modelView struct {
	M            *loaded.Metrics
	Bytes        int
	Brotli       int
	Shape        string
	Training     string
	Splits       string
	Calibrations map[string]template.HTML // by language
}

func (b *builder) modelView(lang string) (modelView, error) {
	m, err := loaded.ReadMetrics()
	if err != nil {
		return modelView{}, fmt.Errorf("models/loaded/metrics.json: %v", err)
	}
	s := chrome[lang]
	c, f := m.Config, m.Config.Features
	v := modelView{M: m, Bytes: len(loaded.ONNX), Brotli: brotliSize(loaded.ONNX), Calibrations: map[string]template.HTML{},
		Shape: fmt.Sprintf(s["mShapeText"], f.Buckets, c.Dim, f.WordNgrams, f.CharMin, f.CharMax, f.MinWords),
		Training: fmt.Sprintf(s["mTrainingText"], c.Epochs, c.Rate, c.Seed, m.Data.Train["pairs_loaded"], m.Data.Train["pairs_neutral"],
			m.Data.Train["rule_examples_loaded"], m.Data.Train["rule_examples_neutral"], m.RuleWeight, m.Data.Train["wnc_neutral"]),
	}
	var splits []string
	for _, l := range []string{"fr", "en"} {
		splits = append(splits, fmt.Sprintf("%s %d / %d / %d", s[l], m.Data.Pairs[l+"/train"], m.Data.Pairs[l+"/dev"], m.Data.Pairs[l+"/test"]))
	}
	v.Splits = strings.Join(splits, " ; ")
	for _, lm := range m.Langs {
		series := []calSeries{{s["mPairsLabel"], "vigie", lm.Pairs.Calibration}}
		if len(lm.External) > 0 {
			series = append(series, calSeries{s["mExternalLabel"], "other", lm.External[0].Result.Calibration})
		}
		v.Calibrations[lm.Lang] = calibrationChart(s["mCalibration"]+" — "+s[lm.Lang], series)
	}
	return v, nil
}

func brotliSize(data []byte) int {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, 11)
	w.Write(data)
	w.Close()
	return buf.Len()
}

type calSeries struct {
	Label, Class string
	Bins         []evaluation.Bin
}

// calibrationChart draws a reliability diagram: mean score against the
// share of loaded sentences, per score band, as an SVG with no script.
func calibrationChart(title string, series []calSeries) template.HTML {
	const size, pad = 260.0, 36.0
	esc := template.HTMLEscapeString
	x := func(v float64) float64 { return pad + v*size }
	y := func(v float64) float64 { return pad + (1-v)*size }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart calibration" viewBox="0 0 %.0f %.0f" role="img" aria-label="%s"><title>%s</title>`, size+2*pad+150, size+2*pad, esc(title), esc(title))
	for _, t := range []float64{0, 0.5, 1} {
		fmt.Fprintf(&b, `<line class="grid" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f"/><line class="grid" x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f"/>`, x(t), x(t), y(0), y(1), x(0), x(1), y(t), y(t))
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%.1f">%.1f</text><text class="tick" x="%.1f" y="%.1f">%.1f</text>`, x(t), y(0)+14, t, x(0)-22, y(t)+4, t)
	}
	fmt.Fprintf(&b, `<path class="diagonal" d="M%.1f %.1fL%.1f %.1f"/>`, x(0), y(0), x(1), y(1))
	for i, s := range series {
		total := 0
		for _, bin := range s.Bins {
			total += bin.N
		}
		var path []string
		for _, bin := range s.Bins {
			if bin.N == 0 {
				continue
			}
			path = append(path, fmt.Sprintf("%.1f %.1f", x(bin.MeanScore), y(bin.Share)))
			r := 2 + 8*float64(bin.N)/float64(max(total, 1))
			fmt.Fprintf(&b, `<circle class="dot %s" cx="%.1f" cy="%.1f" r="%.1f"><title>%s: %.2f → %.2f (n=%d)</title></circle>`, s.Class, x(bin.MeanScore), y(bin.Share), r, esc(s.Label), bin.MeanScore, bin.Share, bin.N)
		}
		if len(path) > 1 {
			fmt.Fprintf(&b, `<path class="line %s" d="M%s"/>`, s.Class, strings.Join(path, "L"))
		}
		fmt.Fprintf(&b, `<rect class="bar %s" x="%.1f" y="%.1f" width="12" height="12"/><text class="label-left" x="%.1f" y="%.1f">%s</text>`, s.Class, x(1)+16, pad+float64(i)*20, x(1)+32, pad+float64(i)*20+10, esc(s.Label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// pairsView is what the data card's generated part shows.
type pairsView struct {
	Langs []pairsLang
}

type pairsLang struct {
	Lang      string
	Total     int
	Families  []string
	Topics    []pairsRow
	Leans     map[string]int
	Registers []kv
	Examples  []pairs.Pair
}

type pairsRow struct {
	Topic    string
	ByFamily []int
	Left     int
	Right    int
	None     int
	Total    int
}

type kv struct {
	Key   string
	Count int
}

func pairsViewOf(ps []pairs.Pair) pairsView {
	var v pairsView
	for _, lang := range []string{"fr", "en"} {
		pl := pairsLang{Lang: lang, Families: pairs.Families, Leans: map[string]int{}}
		rows := map[string]*pairsRow{}
		regs := map[string]int{}
		seen := map[string]bool{}
		for _, p := range ps {
			if p.Lang != lang {
				continue
			}
			pl.Total++
			r := rows[p.Topic]
			if r == nil {
				r = &pairsRow{Topic: p.Topic, ByFamily: make([]int, len(pairs.Families))}
				rows[p.Topic] = r
			}
			r.Total++
			for i, f := range pairs.Families {
				if f == p.Family {
					r.ByFamily[i]++
				}
			}
			switch p.Lean {
			case "left":
				r.Left++
			case "right":
				r.Right++
			default:
				r.None++
			}
			pl.Leans[p.Lean]++
			regs[p.Register]++
			if !seen[p.Family] && p.Split() == "train" {
				seen[p.Family] = true
				pl.Examples = append(pl.Examples, p)
			}
		}
		for _, t := range pairs.Topics {
			if r := rows[t]; r != nil {
				pl.Topics = append(pl.Topics, *r)
			}
		}
		for _, r := range pairs.Registers {
			pl.Registers = append(pl.Registers, kv{r, regs[r]})
		}
		sort.SliceStable(pl.Examples, func(i, j int) bool {
			return index(pairs.Families, pl.Examples[i].Family) < index(pairs.Families, pl.Examples[j].Family)
		})
		v.Langs = append(v.Langs, pl)
	}
	return v
}

func index(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return len(list)
}
