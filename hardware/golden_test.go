package hardware

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	goldenfile "github.com/fugu-tool/fugu/internal/golden"
)

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
			goldenfile.Check(t, golden, got.Bytes())
		})
	}
	if !*goldenfile.Update {
		// A golden file without its dmesg is stale.
		goldens, _ := filepath.Glob(filepath.Join(goldenDir, "*.json"))
		for _, g := range goldens {
			if !want[filepath.Base(g)] {
				t.Errorf("%s has no dmesg in %s", g, corpusDir)
			}
		}
	}
}
