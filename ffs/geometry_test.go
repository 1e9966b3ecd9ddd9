package ffs

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// newfsRecord is one file system in testdata/ffs/newfs-output.txt.
type newfsRecord struct {
	line       int
	format     Format
	fsize      int64
	bsize      int64
	sectors    int64
	sizeLine   string   // "/dev/...: N.NMB in S sectors of 512 bytes"
	cgLine     string   // "C cylinder groups of ..."
	warnings   []string // "newfs: ..." lines before it
	backupsPfx []int64  // the first super-block backups, when listed
}

func readNewfsOutput(t *testing.T) []*newfsRecord {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "testdata", "ffs", "newfs-output.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var recs []*newfsRecord
	var cur *newfsRecord
	format, fsize, bsize := Format(0), int64(0), int64(0)
	var pending []string
	backups := false
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := sc.Text()
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "@ "):
			var fm string
			if _, err := fmt.Sscanf(l, "@ %s %d %d", &fm, &fsize, &bsize); err != nil {
				t.Fatalf("newfs-output.txt:%d: %v", n, err)
			}
			format = map[string]Format{"FFS1": FFS1, "FFS2": FFS2}[fm]
		case strings.HasPrefix(l, "newfs: "):
			pending = append(pending, strings.TrimPrefix(l, "newfs: "))
		case strings.HasPrefix(l, "/dev/"):
			cur = &newfsRecord{line: n, format: format, fsize: fsize, bsize: bsize, sizeLine: l, warnings: pending}
			pending = nil
			i := strings.Index(l, " in ")
			if _, err := fmt.Sscanf(l[i:], " in %d sectors", &cur.sectors); err != nil {
				t.Fatalf("newfs-output.txt:%d: %v", n, err)
			}
			recs = append(recs, cur)
		case strings.Contains(l, "cylinder groups of"):
			cur.cgLine = l
		case strings.HasPrefix(l, "super-block backups"):
			backups = true
		case backups:
			for _, f := range strings.Split(l, ",") {
				if f = strings.TrimSpace(f); f != "" {
					v, err := strconv.ParseInt(f, 10, 64)
					if err != nil {
						t.Fatalf("newfs-output.txt:%d: %v", n, err)
					}
					cur.backupsPfx = append(cur.backupsPfx, v)
				}
			}
			backups = false
		default:
			t.Fatalf("newfs-output.txt:%d: unexpected line %q", n, l)
		}
	}
	return recs
}

// TestGeometryMatchesNewfs recomputes real newfs output: the size line,
// the cylinder group line, the "reduced number of fragments" warnings
// and the super-block backup addresses, printed as newfs prints them.
func TestGeometryMatchesNewfs(t *testing.T) {
	recs := readNewfsOutput(t)
	if len(recs) < 20 {
		t.Fatalf("only %d records in newfs-output.txt", len(recs))
	}
	for _, r := range recs {
		t.Run(fmt.Sprintf("line%d", r.line), func(t *testing.T) {
			s, err := newGeometry(geomParams{format: r.format, size: r.sectors * devBSize, fsize: r.fsize, bsize: r.bsize, minfree: -1})
			if err != nil {
				t.Fatal(err)
			}
			// mkfs.c prints (float)size * fsize * B2MBFACTOR.
			mb := func(frags int64) float64 {
				return float64(float32(frags)*float32(s.fsize)) * (1 / (1024.0 * 1024.0))
			}
			dev := r.sizeLine[:strings.Index(r.sizeLine, ":")]
			gotSize := fmt.Sprintf("%s: %.1fMB in %d sectors of 512 bytes", dev, mb(s.size), s.size<<s.fsbtodb)
			if gotSize != r.sizeLine {
				t.Errorf("got  %q\nwant %q", gotSize, r.sizeLine)
			}
			gotCG := fmt.Sprintf("%d cylinder groups of %.2fMB, %d blocks, %d inodes each", s.ncg, mb(int64(s.fpg)), s.fpg/s.frag, s.ipg)
			if gotCG != r.cgLine {
				t.Errorf("got  %q\nwant %q", gotCG, r.cgLine)
			}
			if strings.Join(s.warnings, "|") != strings.Join(r.warnings, "|") {
				t.Errorf("warnings %q, want %q", s.warnings, r.warnings)
			}
			for c, want := range r.backupsPfx {
				if got := s.cgsblock(int64(c)) << s.fsbtodb; got != want {
					t.Errorf("super-block backup %d at sector %d, want %d", c, got, want)
				}
			}
		})
	}
}

// TestGeometryErrors checks newfs's refusals.
func TestGeometryErrors(t *testing.T) {
	for _, tc := range []struct {
		p    geomParams
		want string
	}{
		{geomParams{format: FFS1, size: 1 << 20, bsize: 3000, fsize: 1000, minfree: -1}, "block size must be a power of 2, not 3000"},
		{geomParams{format: FFS1, size: 1 << 20, bsize: 16384, fsize: 1000, minfree: -1}, "fragment size must be a power of 2, not 1000"},
		{geomParams{format: FFS1, size: 1 << 20, bsize: 16384, fsize: 256, minfree: -1}, "fragment size 256 is too small, minimum is 512"},
		{geomParams{format: FFS1, size: 1 << 20, bsize: 2048, fsize: 512, minfree: -1}, "block size 2048 is too small, minimum is 4096"},
		{geomParams{format: FFS1, size: 1 << 20, bsize: 131072, fsize: 16384, minfree: -1}, "block size 131072 is too large, maximum is 65536"},
		{geomParams{format: FFS1, size: 1 << 20, bsize: 16384, fsize: 32768, minfree: -1}, "block size (16384) cannot be smaller than fragment size (32768)"},
		{geomParams{format: FFS1, size: 1 << 20, bsize: 16384, fsize: 1024, minfree: -1}, "fragment size 1024 is too small, minimum with block size 16384 is 2048"},
		{geomParams{format: FFS1, size: 1 << 20, bsize: 16384, fsize: 2048, minfree: 100}, "free space % must be 0..99, not 100"},
		{geomParams{format: FFS1, size: 32 << 10, bsize: 16384, fsize: 2048, minfree: -1}, "< minimum size of"},
		{geomParams{format: FFS1, size: 2 << 40, bsize: 16384, fsize: 2048, minfree: -1}, "too large for FFS1"},
		{geomParams{format: FFS2, size: 800 * 512, bsize: 4096, fsize: 512, minfree: -1}, "summary info is too large to fit"},
		// Kept cylinder groups (Rebuild) that cannot be.
		{geomParams{format: FFS1, size: 8 << 20, bsize: 16384, fsize: 2048, minfree: -1, keepFpg: 1001, keepIpg: 128},
			"cylinder groups of 1001 fragments and 128 inodes do not suit 16384-byte blocks"},
		{geomParams{format: FFS1, size: 8 << 20, bsize: 16384, fsize: 2048, minfree: -1, keepFpg: 1024, keepIpg: 100},
			"cylinder groups of 1024 fragments and 100 inodes do not suit 16384-byte blocks"},
		{geomParams{format: FFS1, size: 8 << 20, bsize: 4096, fsize: 512, minfree: -1, keepFpg: 32768, keepIpg: 32},
			"the map of a cylinder group of 32768 fragments and 32 inodes does not fit a 4096-byte block"},
		{geomParams{format: FFS2, size: 8<<20 + 4096, bsize: 4096, fsize: 512, minfree: -1, keepFpg: 4096, keepIpg: 512},
			"cylinder groups of 4096 fragments cannot hold 512 inodes after a superblock at 65536"},
	} {
		_, err := newGeometry(tc.p)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: got %v, want %q", tc.p, err, tc.want)
		}
	}
}

// TestDefaults checks the defaults newfs takes for a partition of each
// size (newfs.c 1.120; disklabel's set_fragblock for the label).
func TestDefaults(t *testing.T) {
	for _, tc := range []struct {
		size                                 int64
		format                               Format
		fsize, bsize, minfree, optim, maxbpg int32
		sblkloc                              int64
	}{
		{1 << 30, FFS2, 2048, 16384, 5, fsOptTime, 2048, 65536},
		{1 << 30, FFS1, 2048, 16384, 5, fsOptTime, 4096, 8192},
		{200 << 30, FFS2, 4096, 32768, 5, fsOptTime, 4096, 65536},
		{600 << 30, FFS2, 8192, 65536, 5, fsOptTime, 8192, 65536},
	} {
		s, err := newGeometry(geomParams{format: tc.format, size: tc.size, minfree: -1})
		if err != nil {
			t.Fatal(err)
		}
		if s.fsize != tc.fsize || s.bsize != tc.bsize || s.minfree != tc.minfree || s.optim != tc.optim ||
			s.maxbpg != tc.maxbpg || s.sblkloc != tc.sblkloc || s.maxcont != 1 ||
			int64(s.ipg) != roundup(howmany(int64(s.fpg), nfpi), int64(s.inopb)) {
			t.Errorf("%d bytes %v: fsize %d bsize %d minfree %d optim %d maxbpg %d sblkloc %d maxcontig %d",
				tc.size, tc.format, s.fsize, s.bsize, s.minfree, s.optim, s.maxbpg, s.sblkloc, s.maxcont)
		}
	}
	// minfree below 5% switches to space optimization unless -o says.
	s, _ := newGeometry(geomParams{format: FFS1, size: 1 << 30, minfree: 0})
	if s.optim != fsOptSpace {
		t.Errorf("minfree 0: optimization %d, want space", s.optim)
	}
	s, _ = newGeometry(geomParams{format: FFS1, size: 1 << 30, minfree: 0, opt: OptTime})
	if s.optim != fsOptTime {
		t.Errorf("minfree 0 -o time: optimization %d, want time", s.optim)
	}
}
