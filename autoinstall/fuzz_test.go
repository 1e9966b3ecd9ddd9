package autoinstall

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seedCorpus adds every response file of testdata/installconf and the
// rendered goldens to a fuzz corpus.
func seedCorpus(f *testing.F) {
	f.Helper()
	for _, pat := range []string{corpusDir + "*.conf", goldenDir + "render/*.conf"} {
		files, err := filepath.Glob(pat)
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Add([]byte(base + "Setup a user = no # x\r\nWhich disk do you wish to initialize = sd1"))
}

// FuzzParseResponse: never fails on content, one Line per physical line,
// keys and answers as the installer splits them.
func FuzzParseResponse(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseResponse("f", data)
		if len(data) > MaxResponseSize {
			if err == nil {
				t.Fatal("no error for an oversized file")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		n := strings.Count(string(data), "\n")
		if len(data) > 0 && data[len(data)-1] != '\n' {
			n++
		}
		if len(r.Lines) != n {
			t.Fatalf("%d lines, want %d", len(r.Lines), n)
		}
		for i, l := range r.Lines {
			if l.N != i+1 {
				t.Fatalf("line %d numbered %d", i+1, l.N)
			}
			if l.Kind != Answer {
				continue
			}
			if l.Key == "" || l.Value == "" || strings.ContainsAny(l.Key, "=") ||
				l.Key[0] == '#' || isBlank(l.Key[len(l.Key)-1]) || isBlank(l.Value[0]) {
				t.Fatalf("bad split of %q: %q = %q", l.Text, l.Key, l.Value)
			}
			if !Match(l.Key, l.Key) {
				t.Fatalf("key %q does not match itself", l.Key)
			}
		}
	})
}

// FuzzMatch: case does not matter, a key matches a question that is the
// key, and a match is a word-bounded occurrence.
func FuzzMatch(f *testing.F) {
	f.Add("Use (W)hole disk MBR", "Use (W)hole disk MBR, whole disk (G)PT or (E)dit?")
	f.Add("continue anyway", "Checksum test for site79.tgz failed. Continue anyway?")
	f.Add("disk?", "Which disk is the root disk? ('?' for details)")
	f.Fuzz(func(t *testing.T, key, q string) {
		got := Match(key, q)
		if got != Match(strings.ToUpper(key), q) && !strings.ContainsFunc(key, func(r rune) bool { return r > 0x7f }) {
			t.Fatalf("case changes Match(%q, %q)", key, q)
		}
		if got && !strings.Contains(lowerASCII(q), lowerASCII(key)) {
			t.Fatalf("Match(%q, %q) without an occurrence", key, q)
		}
		if key != "" && !Match(key, key) {
			t.Fatalf("%q does not match itself", key)
		}
		if key != "" && !Match(key, key+"? x") {
			t.Fatalf("%q does not match %q", key, key+"? x")
		}
	})
}

// FuzzLint: any file, on the default machine of both catalogues and on
// the machine ScenarioForFile builds for it, gives a report that either
// completes or says why it stopped; never a panic, never a hang.
func FuzzLint(f *testing.F) {
	seedCorpus(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseResponse("f", data)
		if err != nil {
			return
		}
		if len(r.Answers()) > MaxAnswerLines {
			return
		}
		for _, rel := range []string{"6.1", "7.9"} {
			sc, err := NewScenario(rel)
			if err != nil {
				t.Fatal(err)
			}
			fsc, err := ScenarioForFile(rel, r)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []Scenario{sc, fsc} {
				rep, err := Simulate(r, s)
				if err != nil {
					t.Fatal(err)
				}
				if !rep.Completed && rep.Stopped == "" {
					t.Fatal("stopped without a reason")
				}
				if len(rep.Steps) > maxAsks+1 {
					t.Fatalf("%d steps", len(rep.Steps))
				}
				for _, st := range rep.Steps {
					if st.How == HowAnswered && (st.Line < 1 || st.Line > len(r.Lines)) {
						t.Fatalf("answered by line %d of %d", st.Line, len(r.Lines))
					}
				}
			}
		}
	})
}
