package sentence

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
)

// Example is one training sentence.
type Example struct {
	Text   string
	Loaded bool
	// Weight scales the example's gradient; 0 means 1.
	Weight float32
}

// Config sets the model's size and its training.
type Config struct {
	Features Features
	Dim      int     // embedding width
	Epochs   int     // passes over the examples
	Rate     float64 // learning rate at the start; it falls linearly to 0
	Seed     uint64  // for the initial weights and the order of examples
}

// Params are a trained model's weights, in float32 before quantisation.
type Params struct {
	Config
	Embed []float32 // Buckets × Dim
	OutW  []float32 // Dim × 2
	OutB  [2]float32
}

// Train fits a model by stochastic gradient descent on the cross-entropy
// loss, one example at a time, on one goroutine: the same examples and
// Config give the same weights, bit for bit. Products are rounded explicitly
// (float32(…)) so that no compiler may fuse them into a different result.
func Train(examples []Example, cfg Config) *Params {
	p := &Params{Config: cfg, Embed: make([]float32, cfg.Features.Buckets*cfg.Dim), OutW: make([]float32, cfg.Dim*2)}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5167_6965))
	// Embeddings start at zero, so rows no example uses stay zero (and the
	// file compresses); the output layer starts small and random.
	bound := 1 / math.Sqrt(float64(cfg.Dim))
	for i := range p.OutW {
		p.OutW[i] = float32((rng.Float64()*2 - 1) * bound)
	}
	rows := make([][]int64, len(examples))
	for i, e := range examples {
		rows[i] = cfg.Features.Rows(Words(e.Text))
	}
	order := make([]int, len(examples))
	for i := range order {
		order[i] = i
	}
	h := make([]float32, cfg.Dim)
	dh := make([]float32, cfg.Dim)
	total := float64(cfg.Epochs * len(examples))
	step := 0
	for epoch := 0; epoch < cfg.Epochs; epoch++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for _, k := range order {
			lr := float32(cfg.Rate * (1 - float64(step)/total))
			step++
			if w := examples[k].Weight; w != 0 {
				lr = float32(lr * w)
			}
			r := rows[k]
			if len(r) == 0 {
				continue
			}
			p.pool(r, h)
			z := p.logits(h)
			pr := softmax2(z)
			y := [2]float32{1, 0}
			if examples[k].Loaded {
				y = [2]float32{0, 1}
			}
			dz := [2]float32{pr[0] - y[0], pr[1] - y[1]}
			for j := range dh {
				dh[j] = float32(p.OutW[2*j]*dz[0]) + float32(p.OutW[2*j+1]*dz[1])
			}
			for j := range h {
				p.OutW[2*j] -= float32(lr * float32(h[j]*dz[0]))
				p.OutW[2*j+1] -= float32(lr * float32(h[j]*dz[1]))
			}
			p.OutB[0] -= float32(lr * dz[0])
			p.OutB[1] -= float32(lr * dz[1])
			scale := lr / float32(len(r))
			for _, row := range r {
				e := p.Embed[int(row)*cfg.Dim : int(row+1)*cfg.Dim]
				for j := range e {
					e[j] -= float32(scale * dh[j])
				}
			}
		}
	}
	return p
}

// pool averages the embedding rows into h.
func (p *Params) pool(rows []int64, h []float32) {
	clear(h)
	for _, row := range rows {
		for j, v := range p.Embed[int(row)*p.Dim : int(row+1)*p.Dim] {
			h[j] += v
		}
	}
	for j := range h {
		h[j] /= float32(len(rows))
	}
}

func (p *Params) logits(h []float32) [2]float32 {
	z := p.OutB
	for j, v := range h {
		z[0] += float32(v * p.OutW[2*j])
		z[1] += float32(v * p.OutW[2*j+1])
	}
	return z
}

func softmax2(z [2]float32) [2]float32 {
	m := max(z[0], z[1])
	a, b := math.Exp(float64(z[0]-m)), math.Exp(float64(z[1]-m))
	return [2]float32{float32(a / (a + b)), float32(b / (a + b))}
}

// File quantises the embeddings to int8 with one scale and writes the model
// as an ONNX graph (opset 13): the embedding bag (Cast, Mul by the scale,
// Gather the rows, average them by a matrix product with the weights), the
// dense layer (MatMul, Add) and Softmax.
func (p *Params) File(name, doc string, threshold float64) *File {
	var peak float32
	for _, v := range p.Embed {
		peak = max(peak, float32(math.Abs(float64(v))))
	}
	scale := peak / 127
	if scale == 0 {
		scale = 1
	}
	q := make([]int8, len(p.Embed))
	for i, v := range p.Embed {
		q[i] = int8(math.Round(float64(v / scale)))
	}
	features, _ := json.Marshal(p.Features)
	batchN := []string{"batch", "features"}
	g := Graph{
		Name: "vigie_sentence",
		Initializers: []*Tensor{
			{Name: "embedding", Type: Int8, Shape: []int{p.Features.Buckets, p.Dim}, I8: q},
			{Name: "scale", Type: Float, Shape: []int{1}, F: []float32{scale}},
			{Name: "pool_shape", Type: Int64, Shape: []int{3}, I64: []int64{0, 1, -1}},
			{Name: "flat_shape", Type: Int64, Shape: []int{2}, I64: []int64{0, -1}},
			{Name: "out_w", Type: Float, Shape: []int{p.Dim, 2}, F: p.OutW},
			{Name: "out_b", Type: Float, Shape: []int{2}, F: p.OutB[:]},
		},
		// The dense layer is linear, so averaging rows then applying it
		// equals applying it to each row then averaging: the graph projects
		// the whole table first. That part depends only on the weights, so a
		// runtime computes it once when it loads the model, and each sentence
		// then averages rows of two numbers rather than of Dim.
		Nodes: []Node{
			{Name: "cast", Op: "Cast", Inputs: []string{"embedding"}, Outputs: []string{"embedding_int"}, Attrs: map[string]int64{"to": Float}},
			{Name: "dequantize", Op: "Mul", Inputs: []string{"embedding_int", "scale"}, Outputs: []string{"embedding_float"}},
			{Name: "dense", Op: "MatMul", Inputs: []string{"embedding_float", "out_w"}, Outputs: []string{"row_logits"}},
			{Name: "gather", Op: "Gather", Inputs: []string{"row_logits", InputRows}, Outputs: []string{"rows_logits"}, Attrs: map[string]int64{"axis": 0}},
			{Name: "weights_row", Op: "Reshape", Inputs: []string{InputWeights, "pool_shape"}, Outputs: []string{"weights_3d"}},
			{Name: "pool", Op: "MatMul", Inputs: []string{"weights_3d", "rows_logits"}, Outputs: []string{"pooled_3d"}},
			{Name: "flatten", Op: "Reshape", Inputs: []string{"pooled_3d", "flat_shape"}, Outputs: []string{"pooled"}},
			{Name: "bias", Op: "Add", Inputs: []string{"pooled", "out_b"}, Outputs: []string{"logits"}},
			{Name: "softmax", Op: "Softmax", Inputs: []string{"logits"}, Outputs: []string{OutputProbs}, Attrs: map[string]int64{"axis": -1}},
		},
		Inputs: []Value{
			{Name: InputRows, Type: Int64, Dims: []int64{0, 0}, Params: batchN},
			{Name: InputWeights, Type: Float, Dims: []int64{0, 0}, Params: batchN},
		},
		Outputs: []Value{{Name: OutputProbs, Type: Float, Dims: []int64{0, 2}, Params: []string{"batch", ""}}},
	}
	return &File{
		IRVersion: 7, Opset: 13, Producer: "vigie", ProducerVersion: "1", Doc: doc, Graph: g,
		Metadata: [][2]string{
			{MetadataName, name},
			{MetadataFeatures, string(features)},
			{MetadataThreshold, strconv.FormatFloat(threshold, 'f', -1, 64)},
		},
	}
}
