package lang

import (
	"os"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Le gouvernement a présenté sa réforme des retraites.", "fr"},
		{"L'État s'est engagé à réduire le déficit.", "fr"},
		{"The government presented its pension reform.", "en"},
		{"It's the economy, and they know it.", "en"},
		{"Qu'en pensez-vous ?", "fr"},
	}
	for _, tt := range tests {
		if got, _ := Detect(tt.in); got != tt.want {
			t.Errorf("Detect(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
	for file, want := range map[string]string{"udhr-fr.txt": "fr", "udhr-en.txt": "en", "sotu-2002-2021.txt": "en"} {
		data, err := os.ReadFile("../testdata/corpus/" + file)
		if err != nil {
			t.Fatal(err)
		}
		got, conf := Detect(string(data))
		if got != want || conf < 0.9 {
			t.Errorf("%s: Detect = %s (%.2f), want %s with confidence ≥ 0.9", file, got, conf, want)
		}
	}
}

func TestDetectNoEvidence(t *testing.T) {
	if got, conf := Detect("12345 !!! 👍"); got != "en" || conf != 0 {
		t.Errorf("Detect without words = %s (%v), want en with confidence 0", got, conf)
	}
}
