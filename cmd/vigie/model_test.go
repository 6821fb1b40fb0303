package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestCheckSentences(t *testing.T) {
	text := "The city council voted on Tuesday to extend the opening hours of the public library. These greedy corporations are shamelessly robbing hard-working families while their cronies in government look away."
	out, errOut, status := runVigie(t, text, "check", "--sentences")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errOut)
	}
	for _, want := range []string{
		`<stdin>:1:86: sentence: "These greedy corporations`,
		"loaded wording, score ",
		"1 marked sentence(s)",
		"model vigie-sentence-1)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out, errOut, status = runVigie(t, text, "check", "--sentences", "--threshold", "0", "--format", "json")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errOut)
	}
	var rep struct {
		SentenceModel string `json:"sentence_model"`
		Sentences     []struct {
			Start, End int
			Text       string
			Score      float64
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.SentenceModel != "vigie-sentence-1" || len(rep.Sentences) != 2 || rep.Sentences[0].Score >= rep.Sentences[1].Score {
		t.Errorf("with threshold 0, want both sentences, the second higher: %s", out)
	}
	for _, s := range rep.Sentences {
		if text[s.Start:s.End] != s.Text {
			t.Errorf("offsets %d-%d give %q, not %q", s.Start, s.End, text[s.Start:s.End], s.Text)
		}
	}
	// Without the flag, reports do not change.
	if out, _, _ := runVigie(t, text, "check", "--format", "json"); strings.Contains(out, "sentence_model") || strings.Contains(out, "\"sentences\": [") {
		t.Errorf("sentence fields without --sentences: %s", out)
	}
}

func TestModelFlagErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--threshold", "0.7"}, "--threshold needs --sentences or --model"},
		{[]string{"--sentences", "--threshold", "1.5"}, "want a score from 0 to 1"},
		{[]string{"--sentences", "--model", "x"}, "give one"},
		{[]string{"--model", "/nonexistent/model-dir"}, "/nonexistent/model-dir"},
	} {
		_, errOut, status := runVigie(t, "Some text to check here.", append([]string{"check"}, tt.args...)...)
		if status != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("%v: status %d, stderr %q, want %q", tt.args, status, errOut, tt.want)
		}
	}
}

func TestSentencesInSARIF(t *testing.T) {
	text := "The city council voted on Tuesday to extend the opening hours of the public library.\nThese greedy corporations are shamelessly robbing hard-working families while their cronies in government look away."
	out, errOut, status := runVigie(t, text, "check", "--sentences", "--format", "sarif")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errOut)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					Physical struct {
						Region struct{ StartLine, StartColumn, ByteOffset int }
					} `json:"physicalLocation"`
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range log.Runs[0].Results {
		if r.RuleID == "vigie.sentence-model" {
			found = true
			if reg := r.Locations[0].Physical.Region; reg.StartLine != 2 || reg.StartColumn != 1 || reg.ByteOffset != 85 {
				t.Errorf("region %+v", reg)
			}
		}
	}
	if !found || !strings.Contains(out, `"id": "vigie.sentence-model"`) {
		t.Errorf("no sentence-model result or rule:\n%s", out)
	}
}

func TestAuditWithSentenceModel(t *testing.T) {
	html := t.TempDir() + "/report.html"
	out, errOut, status := runVigie(t, "", "audit", "--sentences", "--html", html, "--resamples", "100", "../../probe/examples/illustrative-en.jsonl")
	if status != 0 {
		t.Fatalf("status %d: %s", status, errOut)
	}
	var res struct {
		SentenceModel string `json:"sentence_model"`
		Models        []struct {
			Axes []struct {
				Groups []struct {
					Model *struct{ Sentences, Marked int } `json:"sentence_model"`
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if res.SentenceModel != "vigie-sentence-1" || len(res.Models) == 0 {
		t.Fatalf("audit JSON: %.400s", out)
	}
	for _, m := range res.Models {
		for _, a := range m.Axes {
			for _, g := range a.Groups {
				if g.Model == nil || g.Model.Sentences == 0 {
					t.Fatalf("a group without sentence-model figures: %.400s", out)
				}
			}
		}
	}
	page, err := os.ReadFile(html)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "Sentences the model marks (vigie-sentence-1)") {
		t.Error("the HTML report has no sentence-model column")
	}
}
