// Package transformer runs a researcher's own text classifier: a Hugging Face
// model exported to ONNX, in pure Go, with no Python, no cgo and no network.
//
// The model is a folder as Hugging Face's exporters write it (for example
// `optimum-cli export onnx --task text-classification`):
//
//	model.onnx      the graph and its weights (the folder's one *.onnx file)
//	tokenizer.json  a tokenizers file (WordPiece, BPE or Unigram)
//	config.json     with id2label, one label per logit
//
// The graph takes input_ids and, if it wants them, attention_mask and
// token_type_ids (int64, [batch, sequence]) and gives logits [batch, labels]
// as its first output. It runs on hugot's Go backend: GoMLX's simplego
// executor and the sugarme tokenizer.
//
// Importing this package replaces GoMLX's "go" backend constructor (see
// init): the stock one can deadlock on a machine with a single CPU.
package transformer

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/knights-analytics/hugot"
	hugotoptions "github.com/knights-analytics/hugot/options"
	"github.com/knights-analytics/hugot/pipelines"
	"github.com/sugarme/tokenizer"
	"github.com/sugarme/tokenizer/normalizer"
	"github.com/sugarme/tokenizer/pretrained"
)

// DefaultBatchSize is the number of texts per model call when
// Options.BatchSize is 0.
const DefaultBatchSize = 32

// defaultMaxTokens bounds a text's tokens when config.json does not give
// max_position_embeddings (BERT's usual length).
const defaultMaxTokens = 512

// hugot always asks GoMLX for the "go" backend with an empty configuration.
// The stock constructor lets simplego run a graph's ops in parallel on its
// worker pool, and an op that itself waits for pool workers (a large matrix
// product) can then wait forever when the pool is small: with one CPU the
// pool holds two workers, and two such ops fill it. Running the ops one
// after the other (each op still splits its own work across the CPUs)
// removes the nested wait. Register replaces the map entry that simplego's
// own init made, which ran first since this package imports simplego.
func init() {
	backends.Register(simplego.BackendName, func(config string) (backends.Backend, error) {
		if config == "" {
			return simplego.New("ops_sequential")
		}
		return simplego.New("ops_sequential," + config)
	})
}

// Options tune Load.
type Options struct {
	// BatchSize is the number of texts given to the model in one call;
	// 0 means DefaultBatchSize. Larger batches are faster per text but
	// pad every text to the batch's longest.
	BatchSize int

	// Loaded names the labels whose scores add up to Prediction.Loaded.
	// Empty means: for a model with exactly two labels, the label at
	// index 1 (usually the positive class, e.g. "biased" against
	// "neutral"; check Labels, some models put it first); a model with
	// more labels needs them named. Every name must be one of the
	// model's labels.
	Loaded []string
}

// Prediction is the model's verdict on one text.
type Prediction struct {
	// Label is the label with the highest score (the first one on a tie).
	Label string

	// Scores holds one score per label, in the order of Classifier.Labels.
	// For a single-label model they are the softmax of the logits and
	// add up to 1; for a model whose config.json says problem_type
	// "multi_label_classification" each is the sigmoid of its logit.
	Scores []float32

	// Loaded is how much the text belongs to the loaded labels: for a
	// single-label model, the sum of their scores (a probability); for a
	// multi-label model, the largest of their scores, since independent
	// sigmoid scores can add up to more than 1.
	Loaded float32
}

// Classifier runs one model. Its methods are safe for concurrent use; calls
// to Classify run one at a time.
type Classifier struct {
	mu         sync.Mutex
	name       string
	labels     []string
	loaded     []int // indices into labels
	multiLabel bool
	batchSize  int
	session    *hugot.Session
	pipeline   *pipelines.TextClassificationPipeline
	tokenizer  *tokenizer.Tokenizer
}

// modelConfig is the part of config.json that Load reads.
type modelConfig struct {
	NameOrPath            string            `json:"_name_or_path"`
	ModelType             string            `json:"model_type"`
	ID2Label              map[string]string `json:"id2label"`
	ProblemType           string            `json:"problem_type"`
	MaxPositionEmbeddings int               `json:"max_position_embeddings"`
	PadTokenID            *int              `json:"pad_token_id"`
}

// tokenizerFile is the part of tokenizer.json that Load reads.
type tokenizerFile struct {
	Normalizer *struct {
		Type               string `json:"type"`
		CleanText          bool   `json:"clean_text"`
		HandleChineseChars bool   `json:"handle_chinese_chars"`
		StripAccents       *bool  `json:"strip_accents"`
		Lowercase          bool   `json:"lowercase"`
	} `json:"normalizer"`
	Truncation *struct {
		MaxLength int `json:"max_length"`
	} `json:"truncation"`
}

// Load checks the model folder dir and loads the model. The errors name the
// file that is missing or wrong.
func Load(dir string, opts Options) (*Classifier, error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("transformer: %s: %s", dir, fmt.Sprintf(format, args...))
	}

	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("transformer: %w", err)
	}
	if !info.IsDir() {
		return nil, fail("not a folder (give the folder holding model.onnx, tokenizer.json and config.json)")
	}
	onnxFile, err := findONNX(dir)
	if err != nil {
		return nil, fmt.Errorf("transformer: %s: %w", dir, err)
	}

	var tok tokenizerFile
	if err := readJSON(dir, "tokenizer.json", &tok); err != nil {
		return nil, fmt.Errorf("transformer: %s: %w", dir, err)
	}
	var cfg modelConfig
	if err := readJSON(dir, "config.json", &cfg); err != nil {
		return nil, fmt.Errorf("transformer: %s: %w", dir, err)
	}
	labels, err := labelsInOrder(cfg.ID2Label)
	if err != nil {
		return nil, fail("config.json: %v", err)
	}
	loaded, err := loadedIndices(labels, opts.Loaded)
	if err != nil {
		return nil, fail("%v", err)
	}
	batchSize := opts.BatchSize
	if batchSize < 0 {
		return nil, fail("Options.BatchSize is %d; want 0 (default %d) or more", batchSize, DefaultBatchSize)
	}
	if batchSize == 0 {
		batchSize = DefaultBatchSize
	}
	maxTokens := tokenLimit(dir, cfg, tok)

	// hugot's own errors for these two files are panics or say nothing of
	// the file, so check them first.
	if info, err := os.Stat(filepath.Join(dir, onnxFile)); err != nil {
		return nil, fmt.Errorf("transformer: %w", err)
	} else if info.Size() == 0 {
		return nil, fail("%s is empty", onnxFile)
	}
	if err := checkTokenizer(dir); err != nil {
		return nil, fmt.Errorf("transformer: %s: tokenizer.json: %w", dir, err)
	}

	c := &Classifier{
		name:       modelName(dir, cfg),
		labels:     labels,
		loaded:     loaded,
		multiLabel: cfg.ProblemType == "multi_label_classification",
		batchSize:  batchSize,
	}
	err = catchPanic(func() error { return c.open(dir, onnxFile, maxTokens) })
	if err != nil {
		if c.session != nil {
			_ = catchPanic(c.session.Destroy)
		}
		return nil, fmt.Errorf("transformer: %s: %w", dir, err)
	}
	c.fixTokenizer(tok, maxTokens)

	// GoMLX builds the graph at the first call, so a graph it cannot run
	// (an operator it lacks, a wrong output) shows only then: make that
	// first call now, to fail here rather than in the middle of a job.
	if _, err := c.classify([]string{"Hello."}); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("transformer: %s: %s does not run: %w", dir, onnxFile, err)
	}
	return c, nil
}

// open starts the hugot session and pipeline.
func (c *Classifier) open(dir, onnxFile string, maxTokens int) error {
	// Pad each batch to one of a few shapes: simplego compiles the graph
	// anew for every input shape (tens of milliseconds per layer), so a
	// document's batches should share shapes. Padding is masked out and
	// does not change the scores.
	session, err := hugot.NewGoSession(
		hugotoptions.WithGoMLXBatchBuckets(batchBuckets(c.batchSize)),
		hugotoptions.WithGoMLXSequenceBuckets(sequenceBuckets(maxTokens)),
	)
	if err != nil {
		return err
	}
	c.session = session

	// Multi-label mode makes hugot return every label's score (single-label
	// mode keeps only the best one); the aggregation is chosen here.
	aggregate := pipelines.WithSoftmax()
	if c.multiLabel {
		aggregate = pipelines.WithSigmoid()
	}
	var p *pipelines.TextClassificationPipeline
	err = catchPanic(func() error {
		p, err = hugot.NewPipeline(session, hugot.TextClassificationConfig{
			ModelPath:    dir,
			OnnxFilename: onnxFile,
			Name:         "vigie",
			Options:      []hugot.TextClassificationOption{pipelines.WithMultiLabel(), aggregate},
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("loading %s: %w", onnxFile, err)
	}
	c.pipeline = p

	model := p.Model
	hasInputIDs := false
	for _, in := range model.InputsMeta {
		switch in.Name {
		case "input_ids":
			hasInputIDs = true
		case "attention_mask", "token_type_ids":
		default:
			// hugot would fail on other inputs at the first call, or, for
			// position_ids, count positions from 1.
			return fmt.Errorf("%s: model input %q is not supported (only input_ids, attention_mask and token_type_ids)", onnxFile, in.Name)
		}
	}
	if !hasInputIDs {
		return fmt.Errorf("%s: the model has no input_ids input", onnxFile)
	}
	// hugot pads input_ids on the left when config.json names an
	// eos_token_id (it has generative models in mind) but always pads
	// attention_mask and token_type_ids on the right, which scrambles
	// every text shorter than its batch's longest. A classifier reads
	// only the logits, so forget the end-of-sequence ids.
	model.EosTokenIDs = nil
	if model.Tokenizer == nil || model.Tokenizer.GoTokenizer == nil {
		return errors.New("tokenizer.json was not loaded")
	}
	c.tokenizer = model.Tokenizer.GoTokenizer.Tokenizer
	// Backstop: hugot cuts longer token lists (fixTokenizer makes the
	// tokenizer itself truncate first, keeping the final [SEP]).
	model.Tokenizer.MaxAllowedTokens = maxTokens
	return nil
}

// fixTokenizer makes the Go tokenizer behave as the Python one that the
// model was trained with, where sugarme differs.
func (c *Classifier) fixTokenizer(tok tokenizerFile, maxTokens int) {
	// Truncate as Hugging Face does: keep the special tokens and cut the
	// text. Exports often leave truncation out of tokenizer.json, since
	// Python passes it per call.
	if t := c.tokenizer.GetTruncation(); t == nil || t.MaxLength == 0 || t.MaxLength > maxTokens {
		c.tokenizer.WithTruncation(&tokenizer.TruncationParams{MaxLength: maxTokens, Strategy: tokenizer.LongestFirst})
	}

	// sugarme's BertNormalizer strips accents only from text that is
	// already decomposed (NFD), and reads "strip_accents": null as false,
	// where Hugging Face decomposes first and reads null as "same as
	// lowercase". Uncased BERT models (strip_accents null) would turn
	// every "é" into [UNK]. Rebuild the normalizer the Hugging Face way.
	n := tok.Normalizer
	if n == nil || n.Type != "BertNormalizer" {
		return
	}
	strip := n.Lowercase
	if n.StripAccents != nil {
		strip = *n.StripAccents
	}
	steps := []normalizer.Normalizer{normalizer.NewBertNormalizer(n.CleanText, false, n.HandleChineseChars, false)}
	if strip {
		steps = append(steps, normalizer.NewNFD(), normalizer.NewStripAccents())
	}
	if n.Lowercase {
		steps = append(steps, normalizer.Lowercase())
	}
	c.tokenizer.WithNormalizer(normalizer.NewSequence(steps))
}

// Labels returns the model's labels in id order (the order of
// Prediction.Scores).
func (c *Classifier) Labels() []string { return slices.Clone(c.labels) }

// LoadedLabels returns the labels that count for Prediction.Loaded, in id
// order.
func (c *Classifier) LoadedLabels() []string {
	out := make([]string, len(c.loaded))
	for i, idx := range c.loaded {
		out[i] = c.labels[idx]
	}
	return out
}

// Name returns the model's name: config.json's _name_or_path when it is a
// Hub name such as "org/model", otherwise the folder's name.
func (c *Classifier) Name() string { return c.name }

// Classify returns one prediction per text, in input order. Texts longer
// than the model's limit are truncated (their first tokens are kept).
// No texts give an empty result.
//
// Texts are run BatchSize at a time, grouped by length: the model pads every
// text of a batch to the batch's longest, so mixing short and long texts
// wastes work. Padding does not change a text's scores.
func (c *Classifier) Classify(texts []string) ([]Prediction, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pipeline == nil {
		return nil, errors.New("transformer: Classify after Close")
	}
	preds, err := c.classify(texts)
	if err != nil {
		return nil, fmt.Errorf("transformer: %s: %w", c.name, err)
	}
	return preds, nil
}

// classify does Classify's work, for Classify and Load.
func (c *Classifier) classify(texts []string) ([]Prediction, error) {
	// Tokenize every text first: hugot stops the program (log.Fatal) when
	// the tokenizer fails, and the lengths are needed to group the texts.
	lengths := make([]int, len(texts))
	for i, text := range texts {
		err := catchPanic(func() error {
			enc, err := c.tokenizer.EncodeSingle(text, true)
			if err == nil {
				lengths[i] = len(enc.Ids)
			}
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("tokenizing text %d: %w", i+1, err)
		}
	}
	order := make([]int, len(texts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(lengths[a], lengths[b]) })

	out := make([]Prediction, len(texts))
	for start := 0; start < len(order); start += c.batchSize {
		batch := order[start:min(start+c.batchSize, len(order))]
		batchTexts := make([]string, len(batch))
		for k, i := range batch {
			batchTexts[k] = texts[i]
		}
		preds, err := c.runBatch(batchTexts)
		if err != nil {
			return nil, err
		}
		for k, i := range batch {
			out[i] = preds[k]
		}
	}
	return out, nil
}

// runBatch runs the model once, on texts the tokenizer accepts.
func (c *Classifier) runBatch(texts []string) ([]Prediction, error) {
	var result *pipelines.TextClassificationOutput
	err := catchPanic(func() error {
		var err error
		result, err = c.pipeline.RunPipeline(texts)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(result.ClassificationOutputs) != len(texts) {
		return nil, fmt.Errorf("model gave %d results for %d texts", len(result.ClassificationOutputs), len(texts))
	}

	preds := make([]Prediction, len(texts))
	for i, outputs := range result.ClassificationOutputs {
		if len(outputs) != len(c.labels) {
			return nil, fmt.Errorf("model gave %d scores for %d labels", len(outputs), len(c.labels))
		}
		scores := make([]float32, len(outputs))
		best := 0
		for j, o := range outputs {
			scores[j] = o.Score
			if scores[j] > scores[best] {
				best = j
			}
		}
		var loaded float32
		for _, idx := range c.loaded {
			if c.multiLabel {
				loaded = max(loaded, scores[idx])
			} else {
				loaded += scores[idx]
			}
		}
		preds[i] = Prediction{Label: c.labels[best], Scores: scores, Loaded: loaded}
	}
	return preds, nil
}

// Close frees the model. The Classifier cannot be used afterwards; closing
// twice is harmless.
func (c *Classifier) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.session == nil {
		return nil
	}
	err := catchPanic(c.session.Destroy)
	c.session, c.pipeline, c.tokenizer = nil, nil, nil
	if err != nil {
		return fmt.Errorf("transformer: %s: closing: %w", c.name, err)
	}
	return nil
}

// findONNX returns the name of the folder's model file: its only *.onnx
// file, or model.onnx when there are several.
func findONNX(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	var found []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".onnx") {
			found = append(found, e.Name())
		}
	}
	switch {
	case len(found) == 1:
		return found[0], nil
	case slices.Contains(found, "model.onnx"):
		return "model.onnx", nil
	case len(found) == 0:
		return "", errors.New("no model.onnx (no *.onnx file in the folder)")
	default:
		return "", fmt.Errorf("several .onnx files (%s) and none is model.onnx: keep one", strings.Join(found, ", "))
	}
}

// checkTokenizer loads tokenizer.json with the tokenizer library, as hugot
// will, to report a file it cannot use.
func checkTokenizer(dir string) error {
	f, err := os.Open(filepath.Join(dir, "tokenizer.json"))
	if err != nil {
		return err
	}
	defer f.Close()
	err = catchPanic(func() error {
		_, err := pretrained.FromReader(f)
		return err
	})
	if err != nil {
		return fmt.Errorf("the Go tokenizer cannot read it: %w", err)
	}
	return nil
}

// readJSON decodes the folder's file name into v.
func readJSON(dir, name string, v any) error {
	data, err := os.ReadFile(filepath.Join(dir, name))
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("missing %s", name)
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s is not valid: %w", name, err)
	}
	return nil
}

// labelsInOrder turns id2label into a slice. The ids must be 0..n-1 and
// the labels distinct, since Options.Loaded names them.
func labelsInOrder(id2label map[string]string) ([]string, error) {
	if len(id2label) == 0 {
		return nil, errors.New("no id2label (the labels of the model's outputs)")
	}
	labels := make([]string, len(id2label))
	for key, label := range id2label {
		id, err := strconv.Atoi(key)
		if err != nil || id < 0 || id >= len(labels) {
			return nil, fmt.Errorf("id2label: id %q is not one of 0 to %d", key, len(labels)-1)
		}
		labels[id] = label
	}
	for i, label := range labels {
		if label == "" {
			return nil, fmt.Errorf("id2label: label %d is empty", i)
		}
		if slices.Index(labels, label) != i {
			return nil, fmt.Errorf("id2label: label %q appears twice", label)
		}
	}
	return labels, nil
}

// loadedIndices resolves Options.Loaded against the labels.
func loadedIndices(labels, names []string) ([]int, error) {
	if len(names) == 0 {
		if len(labels) == 2 {
			return []int{1}, nil
		}
		return nil, fmt.Errorf("the model has %d labels (%s): name the loaded ones in Options.Loaded",
			len(labels), strings.Join(labels, ", "))
	}
	var out []int
	for _, name := range names {
		idx := slices.Index(labels, name)
		if idx < 0 {
			return nil, fmt.Errorf("Options.Loaded: %q is not a label of the model (%s)", name, strings.Join(labels, ", "))
		}
		if slices.Contains(out, idx) {
			return nil, fmt.Errorf("Options.Loaded: %q is named twice", name)
		}
		out = append(out, idx)
	}
	slices.Sort(out)
	return out, nil
}

// tokenLimit is the most tokens (special tokens included) the model takes:
// max_position_embeddings, less the offset RoBERTa-style models give their
// positions, and no more than tokenizer.json or tokenizer_config.json allow.
func tokenLimit(dir string, cfg modelConfig, tok tokenizerFile) int {
	limit := cfg.MaxPositionEmbeddings
	if limit <= 0 {
		limit = defaultMaxTokens
	}
	switch cfg.ModelType {
	case "roberta", "xlm-roberta", "camembert":
		// Positions start after the padding id: 514 positions hold 512 tokens.
		if cfg.PadTokenID != nil && *cfg.PadTokenID >= 0 && *cfg.PadTokenID+1 < limit {
			limit -= *cfg.PadTokenID + 1
		}
	}
	if tok.Truncation != nil && tok.Truncation.MaxLength > 0 {
		limit = min(limit, tok.Truncation.MaxLength)
	}
	// tokenizer_config.json is optional; Hugging Face writes a huge
	// model_max_length when it does not know, which min ignores.
	var tc struct {
		ModelMaxLength float64 `json:"model_max_length"`
	}
	if readJSON(dir, "tokenizer_config.json", &tc) == nil && tc.ModelMaxLength >= 1 && tc.ModelMaxLength < float64(limit) {
		limit = int(tc.ModelMaxLength)
	}
	return limit
}

// batchBuckets returns the batch sizes a batch is padded to: powers of two
// up to the batch size. Only a call's last batch can be smaller than the
// batch size, so padding it at most doubles its work.
func batchBuckets(batchSize int) []int {
	var out []int
	for b := 1; b < batchSize; b *= 2 {
		out = append(out, b)
	}
	return append(out, batchSize)
}

// sequenceBuckets returns the lengths a batch is padded to: multiples of 8
// up to the token limit. Steps of 8 waste little work (a large model's run
// costs far more than a compilation) yet keep the number of compiled
// shapes small.
func sequenceBuckets(maxTokens int) []int {
	var out []int
	for n := 8; n < maxTokens; n += 8 {
		out = append(out, n)
	}
	return append(out, maxTokens)
}

// modelName prefers a Hub name from config.json; a local path there (as
// exports from a folder write it) says less than the folder's own name.
func modelName(dir string, cfg modelConfig) string {
	name := cfg.NameOrPath
	if name != "" && !filepath.IsAbs(name) && !strings.HasPrefix(name, ".") && !strings.Contains(name, `\`) {
		return name
	}
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	return filepath.Base(dir)
}

// catchPanic runs fn and turns a panic into an error: GoMLX reports graph
// errors by panicking, and the tokenizer library panics on some malformed
// files.
func catchPanic(fn func() error) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = fmt.Errorf("internal error: %w", e)
			} else {
				err = fmt.Errorf("internal error: %v", r)
			}
		}
	}()
	return fn()
}
