package transformer

// This file writes a tiny but real BERT text classifier into a folder, the
// way a Hugging Face export looks: model.onnx, tokenizer.json, config.json.
// The weights are random but seeded, so the bytes are the same on every run
// and the tests need no download.
//
// The ONNX protobuf is written by hand with protowire: the ONNX message types
// inside onnx-gomlx are internal, and another module's copies would register
// the same protobuf names twice. Only the few fields used here are written;
// their numbers come from onnx.proto (onnx-ml.proto in onnx-gomlx).

import (
	"encoding/binary"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"google.golang.org/protobuf/encoding/protowire"
)

// The tiny model's sizes.
const (
	tinyHidden   = 16 // hidden size
	tinyHeads    = 2  // attention heads
	tinyFF       = 32 // feed-forward size
	tinyMaxPos   = 64 // max_position_embeddings
	tinyTypes    = 2  // token types
	tinyLabels   = 2  // neutral, loaded
	tinyLayerEps = 1e-12
	tinySeed     = 20240611
)

// tinyVocab is the WordPiece vocabulary: the special tokens first (their ids
// are the usual BERT ones), punctuation, English and French words (accents
// stripped, as the normalizer strips them) and a few "##" suffix pieces.
var tinyVocab = []string{
	"[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
	".", ",", "!", "?", "'", "-", ":", ";", "(", ")",
	"the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "for", "with",
	"is", "are", "was", "be", "it", "this", "that", "he", "she", "they", "we",
	"you", "i", "not", "no", "all", "every", "man", "woman", "men", "women",
	"people", "old", "young", "crazy", "normal", "just", "really", "very",
	"hello", "world", "good", "bad", "nurse", "doctor", "chairman", "team",
	"work", "walk", "talk", "quick", "slow", "guy", "girl", "boy", "lame",
	"blind", "deaf", "dumb", "hysterical", "bossy", "native", "master",
	"le", "la", "les", "un", "une", "des", "et", "ou", "est", "sont", "de",
	"du", "en", "dans", "pour", "avec", "il", "elle", "ils", "elles", "nous",
	"vous", "je", "pas", "tres", "eleve", "ecole", "femme", "homme", "fou",
	"folle", "infirmiere", "medecin", "equipe", "bonjour", "monde", "tout",
	"##s", "##ed", "##ing", "##ly", "##er", "##e", "##es", "##ment", "##tion",
	"##ent", "##ee", "##x",
}

// Ids of the special tokens in tinyVocab.
const (
	tinyPadID = 0
	tinyUnkID = 1
	tinyClsID = 2
	tinySepID = 3
)

// tensor is a float32 array in row-major order.
type tensor struct {
	dims []int64
	data []float32
}

// tinyBERT holds the weights. Dense weights are [in, out], as ONNX MatMul
// takes them (x @ W).
type tinyBERT struct {
	wordEmb, posEmb, typeEmb tensor
	embLNScale, embLNBias    tensor
	q, k, v, o               tensor // [H, H]
	qBias, kBias, vBias      tensor
	oBias                    tensor
	attnLNScale, attnLNBias  tensor
	ff1, ff1Bias             tensor // [H, FF]
	ff2, ff2Bias             tensor // [FF, H]
	ffLNScale, ffLNBias      tensor
	pool, poolBias           tensor // [H, H]
	cls, clsBias             tensor // [H, labels]
}

// newTinyBERT draws the weights from a fixed seed. The spreads are larger
// than a trained model's so that different texts give clearly different
// scores (the batching test relies on it to catch order mistakes).
func newTinyBERT() *tinyBERT {
	r := rand.New(rand.NewPCG(tinySeed, 1))
	normal := func(std float64, dims ...int64) tensor {
		n := int64(1)
		for _, d := range dims {
			n *= d
		}
		t := tensor{dims: dims, data: make([]float32, n)}
		for i := range t.data {
			t.data[i] = float32(r.NormFloat64() * std)
		}
		return t
	}
	// LayerNorm scales near 1, biases near 0.
	scale := func() tensor {
		t := normal(0.1, tinyHidden)
		for i := range t.data {
			t.data[i]++
		}
		return t
	}
	H, F, V := int64(tinyHidden), int64(tinyFF), int64(len(tinyVocab))
	return &tinyBERT{
		wordEmb: normal(1, V, H), posEmb: normal(0.5, tinyMaxPos, H), typeEmb: normal(0.5, tinyTypes, H),
		embLNScale: scale(), embLNBias: normal(0.1, H),
		q: normal(0.5, H, H), k: normal(0.5, H, H), v: normal(0.5, H, H), o: normal(0.3, H, H),
		qBias: normal(0.1, H), kBias: normal(0.1, H), vBias: normal(0.1, H), oBias: normal(0.1, H),
		attnLNScale: scale(), attnLNBias: normal(0.1, H),
		ff1: normal(0.4, H, F), ff1Bias: normal(0.1, F),
		ff2: normal(0.3, F, H), ff2Bias: normal(0.1, H),
		ffLNScale: scale(), ffLNBias: normal(0.1, H),
		pool: normal(0.5, H, H), poolBias: normal(0.1, H),
		cls: normal(0.3, H, tinyLabels), clsBias: normal(0.1, tinyLabels),
	}
}

// writeTinyBERT writes the three files of the tiny model into a new
// temporary folder and returns the folder.
func writeTinyBERT(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	writeTinyBERTTo(t, dir, tinyConfig())
	return dir
}

// writeTinyBERTTo writes model.onnx, tokenizer.json and the given config
// into dir.
func writeTinyBERTTo(t testing.TB, dir string, config map[string]any) {
	t.Helper()
	files := map[string][]byte{
		"model.onnx":     newTinyBERT().onnx(),
		"tokenizer.json": mustJSON(t, tinyTokenizer()),
		"config.json":    mustJSON(t, config),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// tinyConfig is config.json as transformers writes it for
// BertForSequenceClassification. Tests change fields of a fresh copy.
func tinyConfig() map[string]any {
	return map[string]any{
		"_name_or_path":                "vigie/tiny-bert-test",
		"architectures":                []string{"BertForSequenceClassification"},
		"model_type":                   "bert",
		"attention_probs_dropout_prob": 0.1,
		"hidden_act":                   "gelu",
		"hidden_dropout_prob":          0.1,
		"hidden_size":                  tinyHidden,
		"intermediate_size":            tinyFF,
		"num_attention_heads":          tinyHeads,
		"num_hidden_layers":            1,
		"max_position_embeddings":      tinyMaxPos,
		"type_vocab_size":              tinyTypes,
		"vocab_size":                   len(tinyVocab),
		"layer_norm_eps":               tinyLayerEps,
		"pad_token_id":                 tinyPadID,
		"position_embedding_type":      "absolute",
		"problem_type":                 "single_label_classification",
		"id2label":                     map[string]string{"0": "neutral", "1": "loaded"},
		"label2id":                     map[string]int{"neutral": 0, "loaded": 1},
		"torch_dtype":                  "float32",
		"transformers_version":         "4.44.0",
	}
}

// tinyTokenizer is tokenizer.json as the tokenizers library writes it for a
// BERT WordPiece tokenizer with truncation and padding enabled.
func tinyTokenizer() map[string]any {
	vocab := make(map[string]int, len(tinyVocab))
	for id, tok := range tinyVocab {
		vocab[tok] = id
	}
	var added []map[string]any
	for id, tok := range tinyVocab[:5] {
		added = append(added, map[string]any{
			"id": id, "content": tok, "single_word": false, "lstrip": false,
			"rstrip": false, "normalized": false, "special": true,
		})
	}
	special := func(tok string, typeID int) map[string]any {
		return map[string]any{"SpecialToken": map[string]any{"id": tok, "type_id": typeID}}
	}
	sequence := func(id string, typeID int) map[string]any {
		return map[string]any{"Sequence": map[string]any{"id": id, "type_id": typeID}}
	}
	return map[string]any{
		"version": "1.0",
		"truncation": map[string]any{
			"direction": "Right", "max_length": tinyMaxPos, "strategy": "LongestFirst", "stride": 0,
		},
		"padding": map[string]any{
			"strategy": "BatchLongest", "direction": "Right", "pad_to_multiple_of": nil,
			"pad_id": tinyPadID, "pad_type_id": 0, "pad_token": "[PAD]",
		},
		"added_tokens": added,
		"normalizer": map[string]any{
			"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true,
			"strip_accents": true, "lowercase": true,
		},
		"pre_tokenizer": map[string]any{"type": "BertPreTokenizer"},
		"post_processor": map[string]any{
			"type":   "TemplateProcessing",
			"single": []any{special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0)},
			"pair": []any{special("[CLS]", 0), sequence("A", 0), special("[SEP]", 0),
				sequence("B", 1), special("[SEP]", 1)},
			"special_tokens": map[string]any{
				"[CLS]": map[string]any{"id": "[CLS]", "ids": []int{tinyClsID}, "tokens": []string{"[CLS]"}},
				"[SEP]": map[string]any{"id": "[SEP]", "ids": []int{tinySepID}, "tokens": []string{"[SEP]"}},
			},
		},
		"decoder": map[string]any{"type": "WordPiece", "prefix": "##", "cleanup": true},
		"model": map[string]any{
			"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##",
			"max_input_chars_per_word": 100, "vocab": vocab,
		},
	}
}

// ---- The ONNX graph ----

// ONNX element types (TensorProto.DataType).
const (
	onnxFloat = 1
	onnxInt64 = 7
)

// onnx builds the BERT graph, in the shape torch.onnx.export gives at opset
// 14: LayerNorm spelt out as ReduceMean/Sub/Pow/Sqrt/Div/Mul/Add, GELU with
// Erf, the attention mask turned into an additive -10000 bias.
func (m *tinyBERT) onnx() []byte {
	g := &onnxGraph{}
	weight := func(name string, t tensor) string {
		g.initializers = append(g.initializers, floatTensorProto(name, t))
		return name
	}
	headDim := int64(tinyHidden / tinyHeads)

	// Embeddings: word + position + token type, then LayerNorm.
	words := g.node("Gather", []string{weight("embeddings.word_embeddings.weight", m.wordEmb), "input_ids"})
	types := g.node("Gather", []string{weight("embeddings.token_type_embeddings.weight", m.typeEmb), "token_type_ids"})
	// Positions 0..S-1, S read from the input's shape (static once the
	// sequence length is known).
	seqLen := g.node("Gather", []string{g.node("Shape", []string{"input_ids"}), g.constInt64s(nil, 1)})
	positions := g.node("Range", []string{g.constInt64s(nil, 0), seqLen, g.constInt64s(nil, 1)})
	pos := g.node("Gather", []string{weight("embeddings.position_embeddings.weight", m.posEmb), positions})
	x := g.node("Add", []string{g.node("Add", []string{words, pos}), types})
	x = g.layerNorm(x, weight("embeddings.LayerNorm.weight", m.embLNScale), weight("embeddings.LayerNorm.bias", m.embLNBias))

	// Attention mask [B, S] -> additive bias [B, 1, 1, S]: 0 for tokens,
	// -10000 for padding, so padded keys get no attention weight.
	mask := g.node("Cast", []string{"attention_mask"}, intAttr("to", onnxFloat))
	mask = g.node("Unsqueeze", []string{mask, g.constInt64s([]int64{2}, 1, 2)})
	mask = g.node("Mul", []string{g.node("Sub", []string{g.constFloat(1), mask}), g.constFloat(-10000)})

	// Self-attention with two heads.
	dense := func(in, prefix string, w, b tensor) string {
		return g.node("Add", []string{g.node("MatMul", []string{in, weight(prefix+".weight", w)}), weight(prefix+".bias", b)})
	}
	split := func(t string, perm ...int64) string { // [B,S,H] -> heads
		t = g.node("Reshape", []string{t, g.constInt64s([]int64{4}, 0, 0, tinyHeads, headDim)})
		return g.node("Transpose", []string{t}, intsAttr("perm", perm...))
	}
	q := split(dense(x, "attention.self.query", m.q, m.qBias), 0, 2, 1, 3)
	k := split(dense(x, "attention.self.key", m.k, m.kBias), 0, 2, 3, 1)
	v := split(dense(x, "attention.self.value", m.v, m.vBias), 0, 2, 1, 3)
	scores := g.node("Div", []string{g.node("MatMul", []string{q, k}), g.constFloat(float32(math.Sqrt(float64(headDim))))})
	probs := g.node("Softmax", []string{g.node("Add", []string{scores, mask})}, intAttr("axis", -1))
	ctx := g.node("Transpose", []string{g.node("MatMul", []string{probs, v})}, intsAttr("perm", 0, 2, 1, 3))
	ctx = g.node("Reshape", []string{ctx, g.constInt64s([]int64{3}, 0, 0, tinyHidden)})
	attn := dense(ctx, "attention.output.dense", m.o, m.oBias)
	x = g.layerNorm(g.node("Add", []string{attn, x}),
		weight("attention.output.LayerNorm.weight", m.attnLNScale), weight("attention.output.LayerNorm.bias", m.attnLNBias))

	// Feed-forward with exact GELU: h * 0.5 * (1 + erf(h / sqrt 2)).
	h := dense(x, "intermediate.dense", m.ff1, m.ff1Bias)
	erf := g.node("Erf", []string{g.node("Div", []string{h, g.constFloat(float32(math.Sqrt2))})})
	h = g.node("Mul", []string{g.node("Mul", []string{h, g.node("Add", []string{erf, g.constFloat(1)})}), g.constFloat(0.5)})
	ff := dense(h, "output.dense", m.ff2, m.ff2Bias)
	x = g.layerNorm(g.node("Add", []string{ff, x}),
		weight("output.LayerNorm.weight", m.ffLNScale), weight("output.LayerNorm.bias", m.ffLNBias))

	// Pooler on the first ([CLS]) token, then the classifier.
	first := g.node("Gather", []string{x, g.constInt64s(nil, 0)}, intAttr("axis", 1))
	pooled := g.node("Tanh", []string{dense(first, "pooler.dense", m.pool, m.poolBias)})
	logits := g.node("Add", []string{g.node("MatMul", []string{pooled, weight("classifier.weight", m.cls)}),
		weight("classifier.bias", m.clsBias)})
	g.nodes = append(g.nodes, nodeProto("Identity", "logits_identity", []string{logits}, []string{"logits"}))

	inputs := [][]byte{
		valueInfo("input_ids", onnxInt64, "batch", "sequence"),
		valueInfo("attention_mask", onnxInt64, "batch", "sequence"),
		valueInfo("token_type_ids", onnxInt64, "batch", "sequence"),
	}
	outputs := [][]byte{valueInfo("logits", onnxFloat, "batch", tinyLabels)}
	return modelProto(graphProto("tiny_bert", g.nodes, g.initializers, inputs, outputs))
}

// onnxGraph collects nodes and initializers; node outputs get numbered
// names.
type onnxGraph struct {
	nodes        [][]byte
	initializers [][]byte
	count        int
}

// node adds one node with a single output and returns the output's name.
func (g *onnxGraph) node(op string, inputs []string, attrs ...[]byte) string {
	g.count++
	name := op + "_" + strconv.Itoa(g.count)
	out := name + "_output"
	g.nodes = append(g.nodes, nodeProto(op, name, inputs, []string{out}, attrs...))
	return out
}

// constInt64s adds a Constant node holding int64 values with the given
// dims (nil dims: a scalar).
func (g *onnxGraph) constInt64s(dims []int64, values ...int64) string {
	raw := make([]byte, 0, 8*len(values))
	for _, v := range values {
		raw = binary.LittleEndian.AppendUint64(raw, uint64(v))
	}
	return g.node("Constant", nil, tensorAttr("value", tensorProto("", dims, onnxInt64, raw)))
}

// constFloat adds a Constant node holding one float32 scalar.
func (g *onnxGraph) constFloat(v float32) string {
	return g.node("Constant", nil, tensorAttr("value", floatTensorProto("", tensor{data: []float32{v}})))
}

// layerNorm spells LayerNorm over the last axis out as opset-14 exports do.
func (g *onnxGraph) layerNorm(x, scale, bias string) string {
	axes := intsAttr("axes", -1)
	mean := g.node("ReduceMean", []string{x}, axes)
	centred := g.node("Sub", []string{x, mean})
	variance := g.node("ReduceMean", []string{g.node("Pow", []string{centred, g.constFloat(2)})}, axes)
	std := g.node("Sqrt", []string{g.node("Add", []string{variance, g.constFloat(tinyLayerEps)})})
	normed := g.node("Div", []string{centred, std})
	return g.node("Add", []string{g.node("Mul", []string{normed, scale}), bias})
}

// ---- Protobuf encoding of the ONNX messages used above ----

func appendBytesField(b []byte, field protowire.Number, v []byte) []byte {
	b = protowire.AppendTag(b, field, protowire.BytesType)
	return protowire.AppendBytes(b, v)
}

func appendStringField(b []byte, field protowire.Number, s string) []byte {
	return appendBytesField(b, field, []byte(s))
}

func appendVarintField(b []byte, field protowire.Number, v int64) []byte {
	b = protowire.AppendTag(b, field, protowire.VarintType)
	return protowire.AppendVarint(b, uint64(v))
}

// appendPackedInt64s writes a packed repeated int64 field.
func appendPackedInt64s(b []byte, field protowire.Number, values []int64) []byte {
	var packed []byte
	for _, v := range values {
		packed = protowire.AppendVarint(packed, uint64(v))
	}
	return appendBytesField(b, field, packed)
}

// tensorProto: TensorProto{dims=1, data_type=2, name=8, raw_data=9}.
func tensorProto(name string, dims []int64, dataType int64, raw []byte) []byte {
	var b []byte
	if len(dims) > 0 {
		b = appendPackedInt64s(b, 1, dims)
	}
	b = appendVarintField(b, 2, dataType)
	if name != "" {
		b = appendStringField(b, 8, name)
	}
	return appendBytesField(b, 9, raw)
}

// floatTensorProto stores float32 values as little-endian raw_data.
func floatTensorProto(name string, t tensor) []byte {
	raw := make([]byte, 0, 4*len(t.data))
	for _, v := range t.data {
		raw = binary.LittleEndian.AppendUint32(raw, math.Float32bits(v))
	}
	return tensorProto(name, t.dims, onnxFloat, raw)
}

// AttributeProto{name=1, i=3, t=5, ints=8, type=20}; the type values are
// AttributeProto.AttributeType: INT=2, TENSOR=4, INTS=7.
func intAttr(name string, v int64) []byte {
	b := appendStringField(nil, 1, name)
	b = appendVarintField(b, 3, v)
	return appendVarintField(b, 20, 2)
}

func intsAttr(name string, values ...int64) []byte {
	b := appendStringField(nil, 1, name)
	b = appendPackedInt64s(b, 8, values)
	return appendVarintField(b, 20, 7)
}

func tensorAttr(name string, tensorProto []byte) []byte {
	b := appendStringField(nil, 1, name)
	b = appendBytesField(b, 5, tensorProto)
	return appendVarintField(b, 20, 4)
}

// nodeProto: NodeProto{input=1, output=2, name=3, op_type=4, attribute=5}.
func nodeProto(op, name string, inputs, outputs []string, attrs ...[]byte) []byte {
	var b []byte
	for _, in := range inputs {
		b = appendStringField(b, 1, in)
	}
	for _, out := range outputs {
		b = appendStringField(b, 2, out)
	}
	b = appendStringField(b, 3, name)
	b = appendStringField(b, 4, op)
	for _, a := range attrs {
		b = appendBytesField(b, 5, a)
	}
	return b
}

// valueInfo describes a graph input or output:
// ValueInfoProto{name=1, type=2: TypeProto{tensor_type=1:
// Tensor{elem_type=1, shape=2: TensorShapeProto{dim=1:
// Dimension{dim_value=1 | dim_param=2}}}}}.
// A dim is an int (fixed) or a string (a named dynamic axis).
func valueInfo(name string, elemType int64, dims ...any) []byte {
	var shape []byte
	for _, d := range dims {
		var dim []byte
		switch d := d.(type) {
		case int:
			dim = appendVarintField(nil, 1, int64(d))
		case string:
			dim = appendStringField(nil, 2, d)
		}
		shape = appendBytesField(shape, 1, dim)
	}
	tensorType := appendVarintField(nil, 1, elemType)
	tensorType = appendBytesField(tensorType, 2, shape)
	typeProto := appendBytesField(nil, 1, tensorType)
	b := appendStringField(nil, 1, name)
	return appendBytesField(b, 2, typeProto)
}

// graphProto: GraphProto{node=1, name=2, initializer=5, input=11, output=12}.
func graphProto(name string, nodes, initializers, inputs, outputs [][]byte) []byte {
	var b []byte
	for _, n := range nodes {
		b = appendBytesField(b, 1, n)
	}
	b = appendStringField(b, 2, name)
	for _, t := range initializers {
		b = appendBytesField(b, 5, t)
	}
	for _, in := range inputs {
		b = appendBytesField(b, 11, in)
	}
	for _, out := range outputs {
		b = appendBytesField(b, 12, out)
	}
	return b
}

// modelProto: ModelProto{ir_version=1, producer_name=2, graph=7,
// opset_import=8: OperatorSetIdProto{domain=1, version=2}}. IR version 7
// goes with opset 14 (default domain, so no domain field is written).
func modelProto(graph []byte) []byte {
	b := appendVarintField(nil, 1, 7)
	b = appendStringField(b, 2, "vigie-tinybert-test")
	b = appendBytesField(b, 7, graph)
	opset := appendVarintField(nil, 2, 14)
	return appendBytesField(b, 8, opset)
}
