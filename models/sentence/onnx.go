package sentence

import (
	"encoding/binary"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"

	"google.golang.org/protobuf/encoding/protowire"
)

// The subset of the ONNX protobuf schema (onnx/onnx.proto3) that our model
// uses, encoded and decoded with protowire so that the browser module does
// not carry a whole protobuf runtime. Field numbers are those of onnx.proto3.

// ONNX tensor element types (TensorProto.DataType).
const (
	Float = 1
	Int8  = 3
	Int64 = 7
)

// Tensor is a dense tensor: one of F, I8 or I64 holds its elements in
// row-major order, according to Type.
type Tensor struct {
	Name  string
	Type  int32
	Shape []int
	F     []float32
	I8    []int8
	I64   []int64
}

// Len is the number of elements that Shape describes.
func (t *Tensor) Len() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// Node is one operator of a graph. Attrs holds its integer attributes,
// the only kind our operators take.
type Node struct {
	Name    string
	Op      string
	Inputs  []string
	Outputs []string
	Attrs   map[string]int64
}

// Value is a graph input or output: a tensor's name, element type and
// dimensions, where a dimension named in Params (e.g. "batch") may vary.
type Value struct {
	Name   string
	Type   int32
	Dims   []int64
	Params []string // per dimension; "" for a fixed one
}

// Graph is an ONNX graph.
type Graph struct {
	Name         string
	Nodes        []Node
	Initializers []*Tensor
	Inputs       []Value
	Outputs      []Value
}

// File is an ONNX model file (ModelProto).
type File struct {
	IRVersion       int64
	Opset           int64 // of the default domain
	Producer        string
	ProducerVersion string
	Doc             string
	Metadata        [][2]string // key, value
	Graph           Graph
}

// Encode writes f as ONNX protobuf bytes. The same File always gives the
// same bytes.
func Encode(f *File) []byte {
	var b []byte
	b = appendInt(b, 1, f.IRVersion)
	b = appendString(b, 2, f.Producer)
	b = appendString(b, 3, f.ProducerVersion)
	b = appendString(b, 6, f.Doc)
	b = appendMessage(b, 7, encodeGraph(&f.Graph))
	var opset []byte
	opset = appendString(opset, 1, "")
	opset = appendInt(opset, 2, f.Opset)
	b = appendMessage(b, 8, opset)
	for _, kv := range f.Metadata {
		var e []byte
		e = appendString(e, 1, kv[0])
		e = appendString(e, 2, kv[1])
		b = appendMessage(b, 14, e)
	}
	return b
}

func encodeGraph(g *Graph) []byte {
	var b []byte
	for i := range g.Nodes {
		n := &g.Nodes[i]
		var nb []byte
		for _, in := range n.Inputs {
			nb = appendString(nb, 1, in)
		}
		for _, out := range n.Outputs {
			nb = appendString(nb, 2, out)
		}
		nb = appendString(nb, 3, n.Name)
		nb = appendString(nb, 4, n.Op)
		for _, name := range slices.Sorted(maps.Keys(n.Attrs)) {
			var ab []byte
			ab = appendString(ab, 1, name)
			ab = appendInt(ab, 3, n.Attrs[name])
			ab = appendInt(ab, 20, 2) // AttributeType INT
			nb = appendMessage(nb, 5, ab)
		}
		b = appendMessage(b, 1, nb)
	}
	b = appendString(b, 2, g.Name)
	for _, t := range g.Initializers {
		b = appendMessage(b, 5, encodeTensor(t))
	}
	for _, v := range g.Inputs {
		b = appendMessage(b, 11, encodeValue(v))
	}
	for _, v := range g.Outputs {
		b = appendMessage(b, 12, encodeValue(v))
	}
	return b
}

func encodeTensor(t *Tensor) []byte {
	var b []byte
	var dims []byte
	for _, d := range t.Shape {
		dims = protowire.AppendVarint(dims, uint64(d))
	}
	if len(dims) > 0 {
		b = protowire.AppendTag(b, 1, protowire.BytesType)
		b = protowire.AppendBytes(b, dims)
	}
	b = appendInt(b, 2, int64(t.Type))
	b = appendString(b, 8, t.Name)
	var raw []byte
	switch t.Type {
	case Float:
		raw = make([]byte, 4*len(t.F))
		for i, v := range t.F {
			binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(v))
		}
	case Int8:
		raw = make([]byte, len(t.I8))
		for i, v := range t.I8 {
			raw[i] = byte(v)
		}
	case Int64:
		raw = make([]byte, 8*len(t.I64))
		for i, v := range t.I64 {
			binary.LittleEndian.PutUint64(raw[8*i:], uint64(v))
		}
	}
	b = protowire.AppendTag(b, 9, protowire.BytesType)
	return protowire.AppendBytes(b, raw)
}

func encodeValue(v Value) []byte {
	var shape []byte
	for i, d := range v.Dims {
		var db []byte
		if v.Params != nil && v.Params[i] != "" {
			db = appendString(db, 2, v.Params[i])
		} else {
			db = protowire.AppendTag(db, 1, protowire.VarintType)
			db = protowire.AppendVarint(db, uint64(d))
		}
		shape = appendMessage(shape, 1, db)
	}
	var tt []byte
	tt = appendInt(tt, 1, int64(v.Type))
	tt = protowire.AppendTag(tt, 2, protowire.BytesType)
	tt = protowire.AppendBytes(tt, shape)
	var typ []byte
	typ = appendMessage(typ, 1, tt)
	var b []byte
	b = appendString(b, 1, v.Name)
	return appendMessage(b, 2, typ)
}

func appendInt(b []byte, num protowire.Number, v int64) []byte {
	if v == 0 {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.VarintType)
	return protowire.AppendVarint(b, uint64(v))
}

func appendString(b []byte, num protowire.Number, s string) []byte {
	if s == "" {
		return b
	}
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendString(b, s)
}

func appendMessage(b []byte, num protowire.Number, m []byte) []byte {
	b = protowire.AppendTag(b, num, protowire.BytesType)
	return protowire.AppendBytes(b, m)
}

// ErrFormat is wrapped by every error about a malformed model file.
var ErrFormat = errors.New("malformed ONNX model")

// Decode reads ONNX protobuf bytes. It keeps what our evaluator needs and
// skips every other field; it fails on fields of the wrong wire type, on
// truncated data and on tensor data that does not match its shape.
func Decode(data []byte) (*File, error) {
	f := &File{}
	err := fields(data, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error {
		switch num {
		case 1:
			f.IRVersion = int64(v)
		case 2:
			f.Producer = string(b)
		case 3:
			f.ProducerVersion = string(b)
		case 6:
			f.Doc = string(b)
		case 7:
			return decodeGraph(b, &f.Graph)
		case 8:
			var domain string
			var version int64
			err := fields(b, func(num protowire.Number, _ protowire.Type, v uint64, b []byte) error {
				switch num {
				case 1:
					domain = string(b)
				case 2:
					version = int64(v)
				}
				return nil
			})
			if domain == "" || domain == "ai.onnx" {
				f.Opset = version
			}
			return err
		case 14:
			var kv [2]string
			err := fields(b, func(num protowire.Number, _ protowire.Type, _ uint64, b []byte) error {
				if num == 1 || num == 2 {
					kv[num-1] = string(b)
				}
				return nil
			})
			f.Metadata = append(f.Metadata, kv)
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return f, nil
}

func decodeGraph(data []byte, g *Graph) error {
	return fields(data, func(num protowire.Number, _ protowire.Type, _ uint64, b []byte) error {
		switch num {
		case 1:
			n := Node{Attrs: map[string]int64{}}
			if err := decodeNode(b, &n); err != nil {
				return err
			}
			g.Nodes = append(g.Nodes, n)
		case 2:
			g.Name = string(b)
		case 5:
			t, err := decodeTensor(b)
			if err != nil {
				return err
			}
			g.Initializers = append(g.Initializers, t)
		case 11, 12:
			v, err := decodeValue(b)
			if err != nil {
				return err
			}
			if num == 11 {
				g.Inputs = append(g.Inputs, v)
			} else {
				g.Outputs = append(g.Outputs, v)
			}
		}
		return nil
	})
}

func decodeNode(data []byte, n *Node) error {
	return fields(data, func(num protowire.Number, _ protowire.Type, _ uint64, b []byte) error {
		switch num {
		case 1:
			n.Inputs = append(n.Inputs, string(b))
		case 2:
			n.Outputs = append(n.Outputs, string(b))
		case 3:
			n.Name = string(b)
		case 4:
			n.Op = string(b)
		case 7:
			if d := string(b); d != "" && d != "ai.onnx" {
				return fmt.Errorf("node %q: operator domain %q is not supported", n.Name, d)
			}
		case 5:
			var name string
			var val int64
			var kind uint64
			err := fields(b, func(num protowire.Number, _ protowire.Type, v uint64, b []byte) error {
				switch num {
				case 1:
					name = string(b)
				case 3:
					val = int64(v)
				case 20:
					kind = v
				}
				return nil
			})
			if err != nil {
				return err
			}
			if kind != 2 {
				return fmt.Errorf("node %q: attribute %q: only integer attributes are supported", n.Name, name)
			}
			n.Attrs[name] = val
		}
		return nil
	})
}

func decodeTensor(data []byte) (*Tensor, error) {
	t := &Tensor{}
	var raw []byte
	var packedF []float32
	var dims, packedI []int64
	err := fields(data, func(num protowire.Number, typ protowire.Type, v uint64, b []byte) (err error) {
		switch num {
		case 1:
			dims, err = appendVarints(dims, typ, v, b)
		case 2:
			t.Type = int32(v)
		case 4:
			if typ == protowire.Fixed32Type {
				packedF = append(packedF, math.Float32frombits(uint32(v)))
				return nil
			}
			for ; len(b) >= 4; b = b[4:] {
				packedF = append(packedF, math.Float32frombits(binary.LittleEndian.Uint32(b)))
			}
		case 7:
			packedI, err = appendVarints(packedI, typ, v, b)
		case 8:
			t.Name = string(b)
		case 9:
			raw = b
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, d := range dims {
		t.Shape = append(t.Shape, int(d))
	}
	n := t.Len()
	if n < 0 || n > 1<<28 {
		return nil, fmt.Errorf("tensor %q: shape %v is too large", t.Name, t.Shape)
	}
	switch t.Type {
	case Float:
		if raw != nil {
			if len(raw) != 4*n {
				return nil, fmt.Errorf("tensor %q: %d bytes of data for shape %v", t.Name, len(raw), t.Shape)
			}
			t.F = make([]float32, n)
			for i := range t.F {
				t.F[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
			}
		} else {
			t.F = packedF
		}
		if len(t.F) != n {
			return nil, fmt.Errorf("tensor %q: %d values for shape %v", t.Name, len(t.F), t.Shape)
		}
	case Int8:
		if len(raw) != n {
			return nil, fmt.Errorf("tensor %q: %d bytes of data for shape %v", t.Name, len(raw), t.Shape)
		}
		t.I8 = make([]int8, n)
		for i, c := range raw {
			t.I8[i] = int8(c)
		}
	case Int64:
		if raw != nil {
			if len(raw) != 8*n {
				return nil, fmt.Errorf("tensor %q: %d bytes of data for shape %v", t.Name, len(raw), t.Shape)
			}
			t.I64 = make([]int64, n)
			for i := range t.I64 {
				t.I64[i] = int64(binary.LittleEndian.Uint64(raw[8*i:]))
			}
		} else {
			t.I64 = packedI
		}
		if len(t.I64) != n {
			return nil, fmt.Errorf("tensor %q: %d values for shape %v", t.Name, len(t.I64), t.Shape)
		}
	default:
		return nil, fmt.Errorf("tensor %q: element type %d is not supported (float, int8 and int64 are)", t.Name, t.Type)
	}
	return t, nil
}

func decodeValue(data []byte) (Value, error) {
	var v Value
	err := fields(data, func(num protowire.Number, _ protowire.Type, _ uint64, b []byte) error {
		switch num {
		case 1:
			v.Name = string(b)
		case 2: // TypeProto
			return fields(b, func(num protowire.Number, _ protowire.Type, _ uint64, b []byte) error {
				if num != 1 { // only tensor types
					return nil
				}
				return fields(b, func(num protowire.Number, _ protowire.Type, x uint64, b []byte) error {
					switch num {
					case 1:
						v.Type = int32(x)
					case 2:
						return fields(b, func(num protowire.Number, _ protowire.Type, _ uint64, b []byte) error {
							if num != 1 {
								return nil
							}
							var d int64
							var p string
							err := fields(b, func(num protowire.Number, _ protowire.Type, x uint64, b []byte) error {
								switch num {
								case 1:
									d = int64(x)
								case 2:
									p = string(b)
								}
								return nil
							})
							v.Dims = append(v.Dims, d)
							v.Params = append(v.Params, p)
							return err
						})
					}
					return nil
				})
			})
		}
		return nil
	})
	return v, err
}

// fields calls fn for each field of a message: v holds varint and fixed
// values, b the bytes of length-delimited ones. Groups are rejected.
func fields(data []byte, fn func(num protowire.Number, typ protowire.Type, v uint64, b []byte) error) error {
	for len(data) > 0 {
		num, typ, n := protowire.ConsumeTag(data)
		if n < 0 {
			return protowire.ParseError(n)
		}
		data = data[n:]
		var v uint64
		var b []byte
		switch typ {
		case protowire.VarintType:
			v, n = protowire.ConsumeVarint(data)
		case protowire.Fixed32Type:
			var x uint32
			x, n = protowire.ConsumeFixed32(data)
			v = uint64(x)
		case protowire.Fixed64Type:
			v, n = protowire.ConsumeFixed64(data)
		case protowire.BytesType:
			b, n = protowire.ConsumeBytes(data)
		default:
			return fmt.Errorf("field %d: wire type %d is not supported", num, typ)
		}
		if n < 0 {
			return fmt.Errorf("field %d: %w", num, protowire.ParseError(n))
		}
		data = data[n:]
		if err := fn(num, typ, v, b); err != nil {
			return err
		}
	}
	return nil
}

// appendVarints appends a repeated integer field to dst: one value (v) when
// it came unpacked, or every varint of b when packed.
func appendVarints(dst []int64, typ protowire.Type, v uint64, b []byte) ([]int64, error) {
	if typ == protowire.VarintType {
		return append(dst, int64(v)), nil
	}
	for len(b) > 0 {
		d, n := protowire.ConsumeVarint(b)
		if n < 0 {
			return dst, protowire.ParseError(n)
		}
		dst = append(dst, int64(d))
		b = b[n:]
	}
	return dst, nil
}
