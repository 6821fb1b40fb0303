package transformer

// A plain-Go forward pass of the tiny BERT, written from the textbook
// formulas rather than from the ONNX graph, in float64. The tests compare it
// with what hugot computes from model.onnx: if they agree, the graph is the
// model we think it is.

import "math"

// logits runs the tiny BERT on one text's token ids (with [CLS] and [SEP],
// no padding) and returns the classifier's logits.
func (m *tinyBERT) logits(ids []int) []float64 {
	S, H, dh := len(ids), tinyHidden, tinyHidden/tinyHeads

	// Embeddings: word + position + token type 0, then LayerNorm.
	x := make([][]float64, S)
	for s, id := range ids {
		x[s] = make([]float64, H)
		for j := range H {
			x[s][j] = float64(m.wordEmb.data[id*H+j]) + float64(m.posEmb.data[s*H+j]) + float64(m.typeEmb.data[j])
		}
		x[s] = layerNorm(x[s], m.embLNScale, m.embLNBias)
	}

	// Self-attention, head by head.
	q, k, v := denseRows(x, m.q, m.qBias), denseRows(x, m.k, m.kBias), denseRows(x, m.v, m.vBias)
	ctx := make([][]float64, S)
	for s := range ctx {
		ctx[s] = make([]float64, H)
	}
	for head := range tinyHeads {
		lo := head * dh
		for i := range S {
			weights := make([]float64, S)
			for j := range S {
				dot := 0.0
				for d := range dh {
					dot += q[i][lo+d] * k[j][lo+d]
				}
				weights[j] = dot / math.Sqrt(float64(dh))
			}
			weights = softmax64(weights)
			for j := range S {
				for d := range dh {
					ctx[i][lo+d] += weights[j] * v[j][lo+d]
				}
			}
		}
	}
	attn := denseRows(ctx, m.o, m.oBias)
	for s := range x {
		x[s] = layerNorm(addVec(attn[s], x[s]), m.attnLNScale, m.attnLNBias)
	}

	// Feed-forward with exact GELU.
	h := denseRows(x, m.ff1, m.ff1Bias)
	for _, row := range h {
		for j, val := range row {
			row[j] = val * 0.5 * (1 + math.Erf(val/math.Sqrt2))
		}
	}
	ff := denseRows(h, m.ff2, m.ff2Bias)
	for s := range x {
		x[s] = layerNorm(addVec(ff[s], x[s]), m.ffLNScale, m.ffLNBias)
	}

	// Pooler on [CLS], then the classifier.
	pooled := dense(x[0], m.pool, m.poolBias)
	for j := range pooled {
		pooled[j] = math.Tanh(pooled[j])
	}
	return dense(pooled, m.cls, m.clsBias)
}

// dense computes in @ w + b for w shaped [len(in), out].
func dense(in []float64, w, b tensor) []float64 {
	outDim := int(w.dims[1])
	out := make([]float64, outDim)
	for j := range outDim {
		sum := float64(b.data[j])
		for i, val := range in {
			sum += val * float64(w.data[i*outDim+j])
		}
		out[j] = sum
	}
	return out
}

func denseRows(rows [][]float64, w, b tensor) [][]float64 {
	out := make([][]float64, len(rows))
	for i, row := range rows {
		out[i] = dense(row, w, b)
	}
	return out
}

func addVec(a, b []float64) []float64 {
	out := make([]float64, len(a))
	for i := range a {
		out[i] = a[i] + b[i]
	}
	return out
}

func layerNorm(x []float64, scale, bias tensor) []float64 {
	mean, variance := 0.0, 0.0
	for _, val := range x {
		mean += val
	}
	mean /= float64(len(x))
	for _, val := range x {
		variance += (val - mean) * (val - mean)
	}
	variance /= float64(len(x))
	out := make([]float64, len(x))
	for i, val := range x {
		out[i] = (val-mean)/math.Sqrt(variance+tinyLayerEps)*float64(scale.data[i]) + float64(bias.data[i])
	}
	return out
}

func softmax64(x []float64) []float64 {
	maxVal := math.Inf(-1)
	for _, val := range x {
		maxVal = max(maxVal, val)
	}
	out := make([]float64, len(x))
	sum := 0.0
	for i, val := range x {
		out[i] = math.Exp(val - maxVal)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}
