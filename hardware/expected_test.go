package hardware

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// corpusDir holds real dmesgs and EXPECTED.tsv, facts read from them by eye
// (see its header and README.md there).
const corpusDir = "../testdata/dmesg"

// deviation is a value of EXPECTED.tsv this package deliberately does not
// reproduce. Both values are asserted, so a change on either side shows.
type deviation struct {
	file, column string
	got, want    string
	reason       string
}

var deviations = []deviation{{
	file:   "xeon-e2278g-softraid-raid5-6.7-amd64.txt",
	column: "disks",
	got:    "sd0:1907729:hdd,sd1:1907729:hdd,sd2:1907729:hdd,sd3:122104:ssd,sd4:3815452:unknown",
	want:   "sd0:1907729:ssd,sd1:1907729:ssd,sd2:1907729:ssd,sd3:122104:ssd,sd4:3815452:unknown",
	reason: `the WD20EFAX is a rotating SMR disk (WD Red) that reports "thin"; EXPECTED.tsv applies "thin => ssd" and its own note says "really HDD". A known rotating model family wins over "thin" (disks.go classify), so the plan never takes it for an SSD.`,
}}

// expectedColumns renders Facts the way EXPECTED.tsv writes each column.
func expectedColumns(f *Facts) map[string]string {
	var disks, nics []string
	for _, d := range f.Disks {
		mb := fmt.Sprint(d.SizeMB)
		if d.SizeMB == 0 && d.Sectors == 0 {
			mb = "-"
		}
		disks = append(disks, fmt.Sprintf("%s:%s:%s", d.Name, mb, d.Type))
	}
	for _, n := range f.NICs {
		nics = append(nics, n.Name)
	}
	vmm := "no"
	if f.VMM {
		vmm = "yes"
	}
	return map[string]string{
		"version":       f.Release,
		"kernel":        f.Kernel,
		"arch":          f.Arch,
		"realmem_bytes": fmt.Sprint(f.PhysMem),
		"disks":         strings.Join(disks, ","),
		"netifs":        strings.Join(nics, ","),
		"firmware":      strings.Join(f.Firmware, ","),
		"cpu_vendor":    f.CPUVendor,
		"vmm":           vmm,
		"graphics":      f.Graphics,
		"boots":         fmt.Sprint(f.Boots),
	}
}

// TestExpected reproduces every row and column of EXPECTED.tsv.
func TestExpected(t *testing.T) {
	fh, err := os.Open(filepath.Join(corpusDir, "EXPECTED.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	used := map[int]bool{}
	seen := map[string]bool{}
	var header []string
	sc := bufio.NewScanner(fh)
	for ln := 1; sc.Scan(); ln++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if header == nil {
			header = cols
			continue
		}
		if len(cols) != len(header) {
			t.Fatalf("EXPECTED.tsv:%d: %d columns, header has %d", ln, len(cols), len(header))
		}
		file := cols[0]
		seen[file] = true
		f, err := ParseFile(filepath.Join(corpusDir, file))
		if err != nil {
			t.Errorf("%s: %v", file, err)
			continue
		}
		got := expectedColumns(f)
		for i, name := range header {
			if name == "file" || name == "notes" {
				continue
			}
			g, ok := got[name]
			if !ok {
				t.Fatalf("EXPECTED.tsv: unknown column %q", name)
			}
			want := cols[i]
			if di := findDeviation(file, name); di >= 0 {
				used[di] = true
				dv := deviations[di]
				if want != dv.want {
					t.Errorf("%s %s: EXPECTED.tsv now says %q, the deviation was recorded against %q", file, name, want, dv.want)
				}
				if g != dv.got {
					t.Errorf("%s %s: got %q, the deviation records %q", file, name, g, dv.got)
				}
				continue
			}
			if g != want {
				t.Errorf("%s %s: got %q, want %q", file, name, g, want)
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for i, dv := range deviations {
		if !used[i] {
			t.Errorf("deviation for %s %s is not used", dv.file, dv.column)
		}
	}
	// Every dmesg beside EXPECTED.tsv has its row.
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	if len(files) != 39 || len(seen) != 39 {
		t.Errorf("%d dmesg files, %d rows; want 39 of each", len(files), len(seen))
	}
	for _, p := range files {
		if !seen[filepath.Base(p)] {
			t.Errorf("%s has no row in EXPECTED.tsv", filepath.Base(p))
		}
	}
}

func findDeviation(file, column string) int {
	for i, dv := range deviations {
		if dv.file == file && dv.column == column {
			return i
		}
	}
	return -1
}
