package sentence

import (
	"fmt"
	"math"
	"slices"
)

// Program is an ONNX graph ready to run with the operators below: Gather
// (axis 0), Cast (to float), Reshape, MatMul (rank 2 or 3), Add, Mul and
// Softmax (last axis). These are exactly the operators of our model;
// any other makes NewProgram fail.
type Program struct {
	graph *Graph
	// constant holds the initializers and the outputs of the nodes that
	// depend on nothing else, computed once by NewProgram; nodes lists the
	// nodes left to run.
	constant map[string]*Tensor
	nodes    []*Node
}

var operators = map[string]func(n *Node, in []*Tensor) (*Tensor, error){
	"Gather":  gather,
	"Cast":    cast,
	"Reshape": reshape,
	"MatMul":  matmul,
	"Add": func(n *Node, in []*Tensor) (*Tensor, error) {
		return broadcast(n, in, func(a, b float32) float32 { return a + b })
	},
	"Mul": func(n *Node, in []*Tensor) (*Tensor, error) {
		return broadcast(n, in, func(a, b float32) float32 { return a * b })
	},
	"Softmax": softmax,
}

// arity is the number of inputs each operator takes.
var arity = map[string]int{"Gather": 2, "Cast": 1, "Reshape": 2, "MatMul": 2, "Add": 2, "Mul": 2, "Softmax": 1}

// NewProgram checks that g uses only supported operators, that every node's
// inputs are produced before it, and that the outputs are produced.
func NewProgram(g *Graph) (*Program, error) {
	p := &Program{graph: g, constant: map[string]*Tensor{}}
	known := map[string]bool{}
	for _, t := range g.Initializers {
		p.constant[t.Name] = t
		known[t.Name] = true
	}
	for _, v := range g.Inputs {
		known[v.Name] = true
	}
	for _, n := range g.Nodes {
		if operators[n.Op] == nil {
			return nil, fmt.Errorf("%w: node %q: operator %q is not supported", ErrFormat, n.Name, n.Op)
		}
		if len(n.Inputs) != arity[n.Op] || len(n.Outputs) != 1 {
			return nil, fmt.Errorf("%w: node %q: %s takes %d inputs and gives 1 output, not %d and %d", ErrFormat, n.Name, n.Op, arity[n.Op], len(n.Inputs), len(n.Outputs))
		}
		for _, in := range n.Inputs {
			if !known[in] {
				return nil, fmt.Errorf("%w: node %q: input %q is not produced before it", ErrFormat, n.Name, in)
			}
		}
		known[n.Outputs[0]] = true
	}
	for i := range g.Nodes {
		n := &g.Nodes[i]
		in := make([]*Tensor, len(n.Inputs))
		for j, name := range n.Inputs {
			in[j] = p.constant[name]
		}
		if slices.Contains(in, nil) {
			p.nodes = append(p.nodes, n)
			continue
		}
		out, err := operators[n.Op](n, in)
		if err != nil {
			return nil, fmt.Errorf("%w: node %q (%s): %v", ErrFormat, n.Name, n.Op, err)
		}
		p.constant[n.Outputs[0]] = out
	}
	for _, v := range g.Outputs {
		if !known[v.Name] {
			return nil, fmt.Errorf("%w: output %q is never produced", ErrFormat, v.Name)
		}
	}
	return p, nil
}

// Run evaluates the graph on the named inputs and returns its outputs.
func (p *Program) Run(inputs map[string]*Tensor) (map[string]*Tensor, error) {
	vals := make(map[string]*Tensor, len(p.graph.Inputs)+len(p.nodes))
	for _, v := range p.graph.Inputs {
		t, ok := inputs[v.Name]
		if !ok {
			if _, isInit := p.constant[v.Name]; isInit {
				continue
			}
			return nil, fmt.Errorf("input %q is missing", v.Name)
		}
		vals[v.Name] = t
	}
	value := func(name string) *Tensor {
		if t, ok := vals[name]; ok {
			return t
		}
		return p.constant[name]
	}
	for _, n := range p.nodes {
		in := make([]*Tensor, len(n.Inputs))
		for j, name := range n.Inputs {
			in[j] = value(name)
		}
		out, err := operators[n.Op](n, in)
		if err != nil {
			return nil, fmt.Errorf("node %q (%s): %w", n.Name, n.Op, err)
		}
		vals[n.Outputs[0]] = out
	}
	outs := make(map[string]*Tensor, len(p.graph.Outputs))
	for _, v := range p.graph.Outputs {
		outs[v.Name] = value(v.Name)
	}
	return outs, nil
}

func gather(n *Node, in []*Tensor) (*Tensor, error) {
	data, idx := in[0], in[1]
	if n.Attrs["axis"] != 0 {
		return nil, fmt.Errorf("only axis 0 is supported")
	}
	if idx.Type != Int64 || len(data.Shape) == 0 {
		return nil, fmt.Errorf("want int64 indices into a tensor of rank 1 or more")
	}
	rows := data.Shape[0]
	width := data.Len() / max(rows, 1)
	out := &Tensor{Type: data.Type, Shape: append(append([]int{}, idx.Shape...), data.Shape[1:]...)}
	switch data.Type {
	case Int8:
		out.I8 = make([]int8, len(idx.I64)*width)
	case Float:
		out.F = make([]float32, len(idx.I64)*width)
	default:
		return nil, fmt.Errorf("gathering from element type %d is not supported", data.Type)
	}
	for j, k := range idx.I64 {
		if k < 0 {
			k += int64(rows)
		}
		if k < 0 || k >= int64(rows) {
			return nil, fmt.Errorf("index %d out of range [0, %d)", k, rows)
		}
		from, to := int(k)*width, j*width
		if data.Type == Int8 {
			copy(out.I8[to:to+width], data.I8[from:from+width])
			continue
		}
		// A loop, not copy: rows are short, and memmove's set-up costs more.
		dst, src := out.F[to:to+width], data.F[from:from+width]
		for c := range dst {
			dst[c] = src[c]
		}
	}
	return out, nil
}

func cast(n *Node, in []*Tensor) (*Tensor, error) {
	if n.Attrs["to"] != Float {
		return nil, fmt.Errorf("only casts to float are supported")
	}
	t := in[0]
	out := &Tensor{Type: Float, Shape: t.Shape, F: make([]float32, t.Len())}
	switch t.Type {
	case Float:
		copy(out.F, t.F)
	case Int8:
		for i, v := range t.I8 {
			out.F[i] = float32(v)
		}
	case Int64:
		for i, v := range t.I64 {
			out.F[i] = float32(v)
		}
	default:
		return nil, fmt.Errorf("casting element type %d is not supported", t.Type)
	}
	return out, nil
}

func reshape(n *Node, in []*Tensor) (*Tensor, error) {
	t, spec := in[0], in[1]
	if spec.Type != Int64 {
		return nil, fmt.Errorf("the shape must be int64")
	}
	if n.Attrs["allowzero"] != 0 {
		return nil, fmt.Errorf("allowzero is not supported")
	}
	shape := make([]int, len(spec.I64))
	infer, known := -1, 1
	for i, d := range spec.I64 {
		switch {
		case d == 0 && i < len(t.Shape):
			shape[i] = t.Shape[i]
		case d == -1 && infer < 0:
			infer = i
			continue
		case d > 0:
			shape[i] = int(d)
		default:
			return nil, fmt.Errorf("bad shape %v for %v", spec.I64, t.Shape)
		}
		known *= shape[i]
	}
	if infer >= 0 {
		if known == 0 || t.Len()%known != 0 {
			return nil, fmt.Errorf("cannot reshape %v to %v", t.Shape, spec.I64)
		}
		shape[infer] = t.Len() / known
		known *= shape[infer]
	}
	if known != t.Len() {
		return nil, fmt.Errorf("cannot reshape %v to %v", t.Shape, spec.I64)
	}
	out := *t
	out.Shape = shape
	return &out, nil
}

// matmul multiplies [M,K]×[K,N], or batches of them: [B,M,K]×[B,K,N] where
// either side may have a batch of 1 or no batch dimension.
func matmul(_ *Node, in []*Tensor) (*Tensor, error) {
	a, b := in[0], in[1]
	if a.Type != Float || b.Type != Float {
		return nil, fmt.Errorf("only float matrices are supported")
	}
	ra, rb := len(a.Shape), len(b.Shape)
	if ra < 2 || ra > 3 || rb < 2 || rb > 3 {
		return nil, fmt.Errorf("only ranks 2 and 3 are supported, not %v × %v", a.Shape, b.Shape)
	}
	m, k := a.Shape[ra-2], a.Shape[ra-1]
	k2, nn := b.Shape[rb-2], b.Shape[rb-1]
	if k != k2 {
		return nil, fmt.Errorf("shapes %v and %v do not match", a.Shape, b.Shape)
	}
	ba, bb := 1, 1
	if ra == 3 {
		ba = a.Shape[0]
	}
	if rb == 3 {
		bb = b.Shape[0]
	}
	if ba != bb && ba != 1 && bb != 1 {
		return nil, fmt.Errorf("batches of %d and %d do not broadcast", ba, bb)
	}
	batch := max(ba, bb)
	shape := []int{m, nn}
	if ra == 3 || rb == 3 {
		shape = []int{batch, m, nn}
	}
	out := &Tensor{Type: Float, Shape: shape, F: make([]float32, batch*m*nn)}
	for p := 0; p < batch; p++ {
		am := a.F[(p%ba)*m*k:]
		bm := b.F[(p%bb)*k*nn:]
		om := out.F[p*m*nn:]
		for i := 0; i < m; i++ {
			row := om[i*nn : (i+1)*nn]
			for j := 0; j < k; j++ {
				x := am[i*k+j]
				if x == 0 {
					continue
				}
				for c, y := range bm[j*nn : (j+1)*nn] {
					row[c] += x * y
				}
			}
		}
	}
	return out, nil
}

// broadcast applies op elementwise with numpy broadcasting.
func broadcast(_ *Node, in []*Tensor, op func(a, b float32) float32) (*Tensor, error) {
	a, b := in[0], in[1]
	if a.Type != Float || b.Type != Float {
		return nil, fmt.Errorf("only float tensors are supported")
	}
	rank := max(len(a.Shape), len(b.Shape))
	pad := func(s []int) []int {
		p := make([]int, rank)
		for i := range p {
			p[i] = 1
		}
		copy(p[rank-len(s):], s)
		return p
	}
	sa, sb := pad(a.Shape), pad(b.Shape)
	shape := make([]int, rank)
	for i := range shape {
		switch {
		case sa[i] == sb[i] || sb[i] == 1:
			shape[i] = sa[i]
		case sa[i] == 1:
			shape[i] = sb[i]
		default:
			return nil, fmt.Errorf("shapes %v and %v do not broadcast", a.Shape, b.Shape)
		}
	}
	// strides, 0 along broadcast dimensions
	strides := func(s []int) []int {
		st := make([]int, rank)
		acc := 1
		for i := rank - 1; i >= 0; i-- {
			if s[i] != 1 {
				st[i] = acc
			}
			acc *= s[i]
		}
		return st
	}
	ta, tb := strides(sa), strides(sb)
	out := &Tensor{Type: Float, Shape: shape}
	out.F = make([]float32, out.Len())
	idx := make([]int, rank)
	for o := range out.F {
		ia, ib := 0, 0
		for d := 0; d < rank; d++ {
			ia += idx[d] * ta[d]
			ib += idx[d] * tb[d]
		}
		out.F[o] = op(a.F[ia], b.F[ib])
		for d := rank - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < shape[d] {
				break
			}
			idx[d] = 0
		}
	}
	return out, nil
}

func softmax(n *Node, in []*Tensor) (*Tensor, error) {
	t := in[0]
	axis, ok := n.Attrs["axis"]
	if !ok {
		axis = -1 // the default since opset 13
	}
	if t.Type != Float || len(t.Shape) == 0 || (axis != -1 && axis != int64(len(t.Shape)-1)) {
		return nil, fmt.Errorf("only float tensors along the last axis are supported")
	}
	w := t.Shape[len(t.Shape)-1]
	out := &Tensor{Type: Float, Shape: t.Shape, F: make([]float32, len(t.F))}
	for r := 0; r+w <= len(t.F) && w > 0; r += w {
		row := t.F[r : r+w]
		m := row[0]
		for _, v := range row {
			m = max(m, v)
		}
		var sum float64
		for i, v := range row {
			e := math.Exp(float64(v - m))
			out.F[r+i] = float32(e)
			sum += e
		}
		for i := range row {
			out.F[r+i] = float32(float64(out.F[r+i]) / sum)
		}
	}
	return out, nil
}
