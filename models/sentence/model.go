package sentence

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
)

// Metadata keys of a model file.
const (
	MetadataFeatures  = "vigie.features"  // Features as JSON
	MetadataThreshold = "vigie.threshold" // the score from which a sentence is marked
	MetadataName      = "vigie.name"      // the model's name and version
)

// Names of the graph's inputs and output. Input "rows" holds the embedding
// rows of each sentence's features, padded; "weights" holds 1/n for each of
// a sentence's n rows and 0 for padding, so that a matrix product averages
// them. Output "probabilities" is [neutral, loaded] per sentence.
const (
	InputRows     = "rows"
	InputWeights  = "weights"
	OutputProbs   = "probabilities"
	MinOpset      = 13
	maxOpsetKnown = 21
)

// Model scores sentences with a model file. It implements
// vigie.SentenceScorer.
type Model struct {
	name      string
	features  Features
	threshold float64
	program   *Program
}

// Name is the model's name and version, from its metadata.
func (m *Model) Name() string { return m.name }

// Threshold is the score from which a sentence is marked, from the model's
// metadata: the lowest score that reached the target precision on the
// development pairs.
func (m *Model) Threshold() float64 { return m.threshold }

// Features says how sentences become the model's input.
func (m *Model) Features() Features { return m.features }

// Load reads a model file written by File.Encode (or any ONNX file with the
// same inputs, output, operators and metadata).
func Load(data []byte) (*Model, error) {
	f, err := Decode(data)
	if err != nil {
		return nil, err
	}
	if f.Opset < MinOpset || f.Opset > maxOpsetKnown {
		return nil, fmt.Errorf("%w: opset %d (want %d to %d)", ErrFormat, f.Opset, MinOpset, maxOpsetKnown)
	}
	m := &Model{}
	meta := map[string]string{}
	for _, kv := range f.Metadata {
		meta[kv[0]] = kv[1]
	}
	if err := json.Unmarshal([]byte(meta[MetadataFeatures]), &m.features); err != nil {
		return nil, fmt.Errorf("%w: metadata %s: %v", ErrFormat, MetadataFeatures, err)
	}
	if f := m.features; f.Buckets <= 0 || f.WordNgrams < 1 || f.WordNgrams > 2 || f.MinWords < 0 ||
		f.CharMax < 0 || f.CharMax > 10 || f.CharMax > 0 && (f.CharMin < 1 || f.CharMin > f.CharMax) {
		return nil, fmt.Errorf("%w: metadata %s: bad values %+v", ErrFormat, MetadataFeatures, m.features)
	}
	if m.threshold, err = strconv.ParseFloat(meta[MetadataThreshold], 64); err != nil || m.threshold < 0 || m.threshold > 1 {
		return nil, fmt.Errorf("%w: metadata %s: want a number from 0 to 1, got %q", ErrFormat, MetadataThreshold, meta[MetadataThreshold])
	}
	m.name = meta[MetadataName]
	in := map[string]bool{}
	for _, v := range f.Graph.Inputs {
		in[v.Name] = true
	}
	if !in[InputRows] || !in[InputWeights] || len(f.Graph.Outputs) != 1 || f.Graph.Outputs[0].Name != OutputProbs {
		return nil, fmt.Errorf("%w: want inputs %q and %q and output %q", ErrFormat, InputRows, InputWeights, OutputProbs)
	}
	for _, t := range f.Graph.Initializers {
		if t.Name == "embedding" && (len(t.Shape) != 2 || t.Shape[0] != m.features.Buckets) {
			return nil, fmt.Errorf("%w: embedding shape %v does not have %d rows", ErrFormat, t.Shape, m.features.Buckets)
		}
	}
	if m.program, err = NewProgram(&f.Graph); err != nil {
		return nil, err
	}
	return m, nil
}

// Score returns, for each sentence, the probability that its wording is
// loaded, or NaN for a sentence shorter than Features.MinWords. Sentences
// are run in batches of similar length; padding has weight 0, so a
// sentence's score does not depend on its batch.
func (m *Model) Score(sentences []string) ([]float64, error) {
	scores := make([]float64, len(sentences))
	rows := make([][]int64, len(sentences))
	var order []int
	for i, s := range sentences {
		words := Words(s)
		if len(words) < max(m.features.MinWords, 1) {
			scores[i] = math.NaN()
			continue
		}
		rows[i] = m.features.Rows(words)
		order = append(order, i)
	}
	sort.SliceStable(order, func(a, b int) bool { return len(rows[order[a]]) < len(rows[order[b]]) })
	// One pair of input buffers, as large as the widest batch (the last).
	var ids []int64
	var weights []float32
	if n := len(order); n > 0 {
		size := min(batchSize, n) * len(rows[order[n-1]])
		ids, weights = make([]int64, size), make([]float32, size)
	}
	for len(order) > 0 {
		batch := order[:min(batchSize, len(order))]
		order = order[len(batch):]
		probs, err := m.run(batch, rows, ids, weights)
		if err != nil {
			return nil, err
		}
		for k, i := range batch {
			scores[i] = float64(probs[2*k+1])
		}
	}
	return scores, nil
}

// batchSize is how many sentences run together.
const batchSize = 32

// run scores the sentences of batch, given their rows, in the buffers ids
// and w; it returns the two probabilities of each.
func (m *Model) run(batch []int, rows [][]int64, ids []int64, w []float32) ([]float32, error) {
	width := 0
	for _, i := range batch {
		width = max(width, len(rows[i]))
	}
	ids, w = ids[:len(batch)*width], w[:len(batch)*width]
	clear(ids)
	clear(w)
	for k, i := range batch {
		copy(ids[k*width:], rows[i])
		for j := range rows[i] {
			w[k*width+j] = 1 / float32(len(rows[i]))
		}
	}
	out, err := m.program.Run(map[string]*Tensor{
		InputRows:    {Type: Int64, Shape: []int{len(batch), width}, I64: ids},
		InputWeights: {Type: Float, Shape: []int{len(batch), width}, F: w},
	})
	if err != nil {
		return nil, err
	}
	p := out[OutputProbs]
	if p == nil || p.Type != Float || len(p.F) != 2*len(batch) {
		return nil, fmt.Errorf("%w: output %q is not two probabilities per sentence", ErrFormat, OutputProbs)
	}
	return p.F, nil
}
