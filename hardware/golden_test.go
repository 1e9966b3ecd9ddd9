package hardware

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/hardware/golden")

const goldenDir = "../testdata/hardware/golden"

// TestGolden compares the JSON facts ("fugu hw --json") of every corpus
// dmesg with testdata/hardware/golden/NAME.json. Run with -update to
// rewrite them, then review the diff.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus files: %v", err)
	}
	want := map[string]bool{}
	for _, p := range files {
		base := filepath.Base(p)
		golden := filepath.Join(goldenDir, strings.TrimSuffix(base, ".txt")+".json")
		want[filepath.Base(golden)] = true
		t.Run(base, func(t *testing.T) {
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(base, bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			if err := WriteJSON(&got, f); err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := os.MkdirAll(goldenDir, 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			exp, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./hardware -run TestGolden -update)", err)
			}
			if !bytes.Equal(got.Bytes(), exp) {
				t.Errorf("%s differs from %s:\n%s", base, golden, firstDiff(got.String(), string(exp)))
			}
		})
	}
	if !*update {
		// A golden file without its dmesg is stale.
		goldens, _ := filepath.Glob(filepath.Join(goldenDir, "*.json"))
		for _, g := range goldens {
			if !want[filepath.Base(g)] {
				t.Errorf("%s has no dmesg in %s", g, corpusDir)
			}
		}
	}
}

// firstDiff shows the first line where two texts differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n  got:  " + gl + "\n  want: " + wl
		}
	}
	return "(no line differs)"
}
