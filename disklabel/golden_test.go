package disklabel

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/disklabel/golden")

// TestGolden prints the layout of every valid corpus template and of the
// built-in tables on a few disks and releases, and compares it with
// testdata/disklabel/golden/layouts.txt (go test -update rewrites it). The
// exact values are asserted elsewhere; this file shows a reviewer what
// "fugu plan" will print and catches any change.
func TestGolden(t *testing.T) {
	disks := []struct {
		name    string
		sectors int64
		scheme  Scheme
	}{
		{"20G MBR", 20 << 21, MBR},
		{"20G GPT", 20 << 21, GPT},
		{"500G GPT", 500 << 21, GPT},
	}
	var b strings.Builder
	templates := []string{""}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "disklabel", "corpus", "*"))
	for _, f := range files {
		if strings.HasSuffix(f, ".md") {
			continue
		}
		templates = append(templates, filepath.Base(f))
	}
	for _, rel := range []string{"7.8", "6.4"} {
		for _, tf := range templates {
			var tp *Template
			if tf != "" {
				data, err := os.ReadFile(filepath.Join("..", "testdata", "disklabel", "corpus", tf))
				if err != nil {
					t.Fatal(err)
				}
				tp, err = ParseTemplateFor(tf, strings.NewReader(string(data)), rel)
				if err != nil {
					continue
				}
			}
			for _, d := range disks {
				g, err := WholeDisk(d.sectors, 512, d.scheme, rel)
				if err != nil {
					t.Fatal(err)
				}
				name := tf
				if name == "" {
					name = "built-in tables"
				}
				fmt.Fprintf(&b, "== %s, %s, release %s, 8G RAM\n", name, d.name, rel)
				l, err := Allocate(Request{Disk: g.Disk(), PhysMem: 8 << 30, Release: rel, Template: tp})
				if err != nil {
					fmt.Fprintf(&b, "%v\n\n", err)
					continue
				}
				b.WriteString(l.TableString())
				b.WriteString("\n")
			}
		}
	}
	path := filepath.Join("..", "testdata", "disklabel", "golden", "layouts.txt")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update once)", err)
	}
	if string(want) != b.String() {
		t.Errorf("layouts differ from %s; run go test ./disklabel -update and review the diff", path)
	}
}
