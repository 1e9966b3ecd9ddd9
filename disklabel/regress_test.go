package disklabel

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// regressPhysmem is the physmem the regress Makefile compiles into its
// disklabel ("physmem = 16844521472ULL", regress/sbin/disklabel/Makefile).
const regressPhysmem = 16844521472

// regressSets are the expected outputs of regress/sbin/disklabel, one
// directory per source (see testdata/disklabel/regress/README.md), with the
// release whose editor.c revision produced them.
var regressSets = []struct {
	dir     string
	release string
	editor  string
}{
	{"editor-1.422", "7.8", "1.422"},
	{"editor-1.372", "7.2", "1.372"},
	{"editor-1.360", "6.5", "1.360"},
	// editor.c revision unknown; the medium table and algorithm are those
	// of 1.360 .. 1.372.
	{"openbsd-src-4ee9d481", "7.0", "1.372"},
}

type okFile struct {
	sizeMB int
	parts  []Partition // from the sector lines; Mount from the fstab
	fstab  string
}

var (
	okSectorLine = regexp.MustCompile(`^  ([a-p]):\s+(\d+)\s+(\d+)\s+(4\.2BSD|swap|RAID)(?:\s+(\d+)\s+(\d+)\s+(\d+))?\s*$`)
	okFstabLine  = regexp.MustCompile(`^/dev/vnd0([a-p]) (\S+) (ffs|swap) `)
)

func readOK(t *testing.T, path string) okFile {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ok okFile
	ok.sizeMB, err = strconv.Atoi(strings.TrimSuffix(filepath.Base(path), ".ok"))
	if err != nil {
		t.Fatalf("%s: file name is not a size: %v", path, err)
	}
	mounts := map[byte]string{}
	var fstab strings.Builder
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if m := okSectorLine.FindStringSubmatch(line); m != nil {
			size, _ := strconv.ParseUint(m[2], 10, 64)
			off, _ := strconv.ParseUint(m[3], 10, 64)
			p := Partition{Letter: m[1][0], Size: size, Offset: off, FSType: m[4]}
			if m[5] != "" {
				fs, _ := strconv.ParseUint(m[5], 10, 32)
				bs, _ := strconv.ParseUint(m[6], 10, 32)
				p.FSize, p.BSize = uint32(fs), uint32(bs)
			}
			ok.parts = append(ok.parts, p)
		}
		if m := okFstabLine.FindStringSubmatch(line); m != nil {
			mounts[m[1][0]] = m[2]
			fstab.WriteString(line + "\n")
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for k := range ok.parts {
		p := &ok.parts[k]
		p.Mount = mounts[p.Letter]
		if p.FSType == "swap" {
			p.Mount = "swap"
		}
	}
	sort.Slice(ok.parts, func(i, j int) bool { return ok.parts[i].Letter < ok.parts[j].Letter })
	ok.fstab = fstab.String()
	return ok
}

// TestRegress reproduces every regress/sbin/disklabel *.ok layout sector for
// sector: a vnd disk of (size+1) MiB (dd bs=1m count=1 seek=size), "fdisk
// -iy" (vnd reports 100 sectors per track, so the OpenBSD area starts at
// 128), "disklabel -A" with physmem faked to 16844521472 bytes.
func TestRegress(t *testing.T) {
	total := 0
	for _, set := range regressSets {
		files, err := filepath.Glob(filepath.Join("..", "testdata", "disklabel", "regress", set.dir, "*.ok"))
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: no .ok files (%v)", set.dir, err)
		}
		for _, path := range files {
			ok := readOK(t, path)
			name := set.dir + "/" + filepath.Base(path)
			t.Run(name, func(t *testing.T) {
				total++
				if len(ok.parts) == 0 {
					t.Fatal("no partitions read from the .ok file")
				}
				sectors := int64(ok.sizeMB+1) * 2048
				g, err := WholeDiskCHS(sectors, 512, 100, 1, MBR, set.release)
				if err != nil {
					t.Fatal(err)
				}
				if want := regressEnd(sectors, set.release); g.Area.Start != 128 || g.Area.End() != want {
					t.Fatalf("area = [%d,%d), want [128,%d)", g.Area.Start, g.Area.End(), want)
				}
				l, err := Allocate(Request{Disk: g.Disk(), PhysMem: regressPhysmem, Release: set.release})
				if err != nil {
					t.Fatal(err)
				}
				if l.Editor != set.editor {
					t.Errorf("editor.c %s simulated, want %s", l.Editor, set.editor)
				}
				got := make([]Partition, len(l.Partitions))
				for k, p := range l.Partitions {
					p.Line, p.Existing = 0, false
					got[k] = p
				}
				if len(got) != len(ok.parts) {
					t.Fatalf("%d partitions, want %d:\n%s", len(got), len(ok.parts), l.TableString())
				}
				for k := range got {
					if got[k] != ok.parts[k] {
						t.Errorf("partition %c:\n got  %+v\n want %+v", ok.parts[k].Letter, got[k], ok.parts[k])
					}
				}
				if fs := l.Fstab("vnd0"); fs != ok.fstab {
					t.Errorf("fstab:\n%s\nwant:\n%s", fs, ok.fstab)
				}
			})
		}
	}
}

// regressEnd is where "fdisk -iy" on the vnd disk ends the OpenBSD partition:
// the last whole 100-sector cylinder up to mbr.c 1.105, the disk's end later.
func regressEnd(sectors int64, release string) uint64 {
	if _, d, _ := lookupRelease(release); d.mbrCHS {
		return uint64(sectors) / 100 * 100
	}
	return uint64(sectors)
}
