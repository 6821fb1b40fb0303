package web

import (
	"bytes"
	"compress/gzip"
	"io/fs"
	"strings"
	"testing"
)

// The widget and the loader it imports stay under 30 KB compressed, the
// module and the rules aside.
func TestWidgetWeight(t *testing.T) {
	var total int
	err := fs.WalkDir(Files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".js") || strings.HasSuffix(p, ".mjs")) || strings.Contains(p, "frame") {
			return err
		}
		data, err := Files.ReadFile(p)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		w.Write(data)
		w.Close()
		t.Logf("%s: %d bytes, %d gzipped", p, len(data), buf.Len())
		total += buf.Len()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if total >= 30<<10 {
		t.Errorf("widget and loader: %d bytes gzipped, the budget is 30 KB", total)
	}
}
