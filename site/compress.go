package site

import (
	"bytes"
	"compress/gzip"
	"os"
	"path"
	"path/filepath"
	"sync"

	"github.com/andybalholm/brotli"
)

// Files at least this large, of these kinds, get .gz and .br copies beside
// them, for hosts that serve precompressed files.
const precompressMin = 32 << 10

var compressible = map[string]bool{".wasm": true, ".onnx": true, ".jsonl": true, ".mjs": true, ".js": true, ".css": true, ".html": true, ".json": true, ".csv": true, ".xml": true}

// The brotli quality: 11 shrinks the module 13% more but takes 15 seconds;
// the site must build in under two.
const brotliQuality = 7

func (o *output) precompress() error {
	var pending []string
	for _, f := range o.files {
		if compressible[path.Ext(f)] {
			if st, err := os.Stat(filepath.Join(o.dir, f)); err == nil && st.Size() >= precompressMin {
				pending = append(pending, f)
			}
		}
	}
	errs := make(chan error, 2*len(pending))
	var wg sync.WaitGroup
	for _, f := range pending {
		data, err := os.ReadFile(filepath.Join(o.dir, f))
		if err != nil {
			return err
		}
		for _, enc := range []string{".gz", ".br"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var buf bytes.Buffer
				var err error
				if enc == ".gz" {
					w, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
					w.Write(data)
					err = w.Close()
				} else {
					w := brotli.NewWriterLevel(&buf, brotliQuality)
					w.Write(data)
					err = w.Close()
				}
				if err == nil {
					err = os.WriteFile(filepath.Join(o.dir, f+enc), buf.Bytes(), 0o644)
				}
				errs <- err
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	for _, f := range pending {
		o.files = append(o.files, f+".gz", f+".br")
	}
	return nil
}
