package evaluation

import (
	"math"
	"sort"
)

// Scored is a classifier's score for one sentence and whether the sentence
// is loaded.
type Scored struct {
	Score  float64
	Loaded bool
	Rules  bool // whether the rules flag it, for comparisons
}

// Binary describes a classifier at one decision threshold.
type Binary struct {
	N         int     `json:"n"`
	Loaded    int     `json:"loaded"`
	Threshold float64 `json:"threshold"`
	Accuracy  Share   `json:"accuracy"`
	Precision Share   `json:"precision"`
	Recall    Share   `json:"recall"`
	F1        float64 `json:"f1"`
	// AUC is the area under the ROC curve: the chance that a loaded
	// sentence scores above a neutral one, whatever the threshold.
	AUC         float64 `json:"auc"`
	Calibration []Bin   `json:"calibration"`
}

// Bin is one tenth of the score range: how many sentences fell in it, their
// mean score and the share of them that are loaded. A calibrated model has
// Share close to MeanScore.
type Bin struct {
	Lo        float64 `json:"lo"`
	Hi        float64 `json:"hi"`
	N         int     `json:"n"`
	MeanScore float64 `json:"mean_score"`
	Share     float64 `json:"share_loaded"`
}

// Classify measures ss at threshold t (a sentence is called loaded when its
// score is at least t). Sentences with a NaN score are called neutral.
func Classify(ss []Scored, t float64) Binary {
	var tp, fp, tn, fn int
	bins := make([]Bin, 10)
	for i := range bins {
		bins[i].Lo, bins[i].Hi = float64(i)/10, float64(i+1)/10
	}
	for _, s := range ss {
		called := s.Score >= t
		switch {
		case called && s.Loaded:
			tp++
		case called:
			fp++
		case s.Loaded:
			fn++
		default:
			tn++
		}
		if math.IsNaN(s.Score) {
			continue
		}
		b := &bins[min(int(s.Score*10), 9)]
		b.N++
		b.MeanScore += s.Score
		if s.Loaded {
			b.Share++
		}
	}
	for i := range bins {
		if bins[i].N > 0 {
			bins[i].MeanScore /= float64(bins[i].N)
			bins[i].Share /= float64(bins[i].N)
		}
	}
	r := Binary{N: len(ss), Loaded: tp + fn, Threshold: t,
		Accuracy: NewShare(tp+tn, len(ss)), Precision: NewShare(tp, tp+fp), Recall: NewShare(tp, tp+fn),
		AUC: AUC(ss), Calibration: bins}
	if 2*tp+fp+fn > 0 {
		r.F1 = float64(2*tp) / float64(2*tp+fp+fn)
	}
	return r
}

// AUC is the area under the ROC curve of ss, counting ties as half.
func AUC(ss []Scored) float64 {
	sorted := make([]Scored, 0, len(ss))
	for _, s := range ss {
		if math.IsNaN(s.Score) {
			s.Score = -1
		}
		sorted = append(sorted, s)
	}
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Score < sorted[j].Score })
	var pos, neg, below float64 // below: neutral sentences scored lower so far
	var sum float64
	for i := 0; i < len(sorted); {
		j := i
		var p, n float64
		for ; j < len(sorted) && sorted[j].Score == sorted[i].Score; j++ {
			if sorted[j].Loaded {
				p++
			} else {
				n++
			}
		}
		sum += p * (below + n/2)
		below += n
		pos += p
		neg += n
		i = j
	}
	if pos == 0 || neg == 0 {
		return math.NaN()
	}
	return sum / (pos * neg)
}

// ThresholdFor returns the lowest threshold at which the sentences called
// loaded (by the model, or by the rules or the model when withRules is set)
// have a precision of at least target, and the recall there. ok is false
// when no threshold reaches it.
func ThresholdFor(ss []Scored, target float64, withRules bool) (t, recall float64, ok bool) {
	cands := make([]float64, 0, len(ss))
	for _, s := range ss {
		if !math.IsNaN(s.Score) {
			cands = append(cands, s.Score)
		}
	}
	sort.Float64s(cands)
	loaded := 0
	for _, s := range ss {
		if s.Loaded {
			loaded++
		}
	}
	for _, c := range cands { // ascending: the first that reaches target recalls most
		var tp, fp int
		for _, s := range ss {
			if s.Score >= c || withRules && s.Rules {
				if s.Loaded {
					tp++
				} else {
					fp++
				}
			}
		}
		if tp+fp > 0 && float64(tp)/float64(tp+fp) >= target {
			return c, float64(tp) / float64(max(loaded, 1)), true
		}
	}
	return 1, 0, false
}
