// Package host runs Vigie's browser module (the .wasm built from wasm/) in
// Go, with wazero: the tests use it to check that the module answers exactly
// as the native engine does, and the benchmarks to time it.
package host

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/tetratelabs/wazero"
	wapi "github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
)

// Runtime holds a compiled module, ready to instantiate.
type Runtime struct {
	rt       wazero.Runtime
	compiled wazero.CompiledModule
}

// Compile compiles the module. cacheDir, if not empty, keeps wazero's
// compiled code between runs (compiling takes seconds, loading it does not).
func Compile(ctx context.Context, wasm []byte, cacheDir string) (*Runtime, error) {
	cfg := wazero.NewRuntimeConfig()
	if cacheDir != "" {
		cache, err := wazero.NewCompilationCacheWithDir(cacheDir)
		if err != nil {
			return nil, err
		}
		cfg = cfg.WithCompilationCache(cache)
	}
	rt := wazero.NewRuntimeWithConfig(ctx, cfg)
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		rt.Close(ctx)
		return nil, err
	}
	compiled, err := rt.CompileModule(ctx, wasm)
	if err != nil {
		rt.Close(ctx)
		return nil, fmt.Errorf("compiling the module: %w", err)
	}
	return &Runtime{rt: rt, compiled: compiled}, nil
}

// Close releases the runtime and every module instantiated from it.
func (r *Runtime) Close(ctx context.Context) error { return r.rt.Close(ctx) }

// Imports lists the functions the module imports, as "module.name".
func (r *Runtime) Imports() []string {
	var out []string
	for _, f := range r.compiled.ImportedFunctions() {
		mod, name, _ := f.Import()
		out = append(out, mod+"."+name)
	}
	return out
}

// Module is one instance of the module. An instance is one Go runtime and
// runs one call at a time; Module serialises its calls.
type Module struct {
	mu                                 sync.Mutex
	mod                                wapi.Module
	alloc, free, check, rules, version wapi.Function
}

// Instantiate starts a new instance (it runs the reactor's _initialize).
func (r *Runtime) Instantiate(ctx context.Context) (*Module, error) {
	cfg := wazero.NewModuleConfig().
		WithName("").                        // several instances may coexist
		WithStartFunctions("_initialize").   // a reactor has no _start
		WithArgs("vigie").                   // Go reads os.Args[0] at init
		WithSysWalltime().WithSysNanotime(). // real clocks
		WithRandSource(nil)                  // crypto/rand from the host
	mod, err := r.rt.InstantiateModule(ctx, r.compiled, cfg)
	if err != nil {
		return nil, fmt.Errorf("instantiating the module: %w", err)
	}
	m := &Module{mod: mod}
	for name, fn := range map[string]*wapi.Function{"alloc": &m.alloc, "free": &m.free, "check": &m.check, "rules": &m.rules, "version": &m.version} {
		if *fn = mod.ExportedFunction(name); *fn == nil {
			mod.Close(ctx)
			return nil, fmt.Errorf("the module does not export %q", name)
		}
	}
	return m, nil
}

// Close ends the instance.
func (m *Module) Close(ctx context.Context) error { return m.mod.Close(ctx) }

// MemoryBytes is the size of the instance's linear memory.
func (m *Module) MemoryBytes() uint32 { return m.mod.Memory().Size() }

// Check checks text with JSON options and returns the module's JSON answer.
func (m *Module) Check(ctx context.Context, text, opts []byte) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	tp, err := m.put(ctx, text)
	if err != nil {
		return nil, err
	}
	defer m.free.Call(ctx, uint64(tp))
	op, err := m.put(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer m.free.Call(ctx, uint64(op))
	return m.result(ctx, m.check, uint64(tp), uint64(len(text)), uint64(op), uint64(len(opts)))
}

// Rules returns the module's JSON list of rules for these options.
func (m *Module) Rules(ctx context.Context, opts []byte) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	op, err := m.put(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer m.free.Call(ctx, uint64(op))
	return m.result(ctx, m.rules, uint64(op), uint64(len(opts)))
}

// LoadModel hands the module a sentence model file and returns its JSON
// answer.
func (m *Module) LoadModel(ctx context.Context, data []byte) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, err := m.put(ctx, data)
	if err != nil {
		return nil, err
	}
	defer m.free.Call(ctx, uint64(p))
	return m.result(ctx, m.mod.ExportedFunction("load_model"), uint64(p), uint64(len(data)))
}

// Version returns the module's JSON version information.
func (m *Module) Version(ctx context.Context) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.result(ctx, m.version)
}

// Call calls an export with raw parameters, for tests of misuse.
func (m *Module) Call(ctx context.Context, name string, params ...uint64) ([]uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	fn := m.mod.ExportedFunction(name)
	if fn == nil {
		return nil, fmt.Errorf("no export %q", name)
	}
	return fn.Call(ctx, params...)
}

// Read copies length bytes at ptr out of the instance's memory.
func (m *Module) Read(ptr, length uint32) ([]byte, bool) {
	b, ok := m.mod.Memory().Read(ptr, length)
	return append([]byte(nil), b...), ok
}

// put copies b into a new buffer of the instance.
func (m *Module) put(ctx context.Context, b []byte) (uint32, error) {
	res, err := m.alloc.Call(ctx, uint64(len(b)))
	if err != nil {
		return 0, err
	}
	ptr := uint32(res[0])
	if !m.mod.Memory().Write(ptr, b) {
		return 0, errors.New("alloc returned a buffer outside memory")
	}
	return ptr, nil
}

// result calls fn, copies out the (ptr<<32 | len) buffer it returns, and frees it.
func (m *Module) result(ctx context.Context, fn wapi.Function, params ...uint64) ([]byte, error) {
	res, err := fn.Call(ctx, params...)
	if err != nil {
		return nil, err
	}
	ptr, n := uint32(res[0]>>32), uint32(res[0])
	b, ok := m.mod.Memory().Read(ptr, n)
	if !ok {
		return nil, errors.New("the module returned a buffer outside memory")
	}
	out := append([]byte(nil), b...) // copy before free: memory may be reused
	_, err = m.free.Call(ctx, uint64(ptr))
	return out, err
}
