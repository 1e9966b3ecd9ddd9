package disklabel

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseTemplate: the parsers never panic; whatever ParseTemplate accepts
// prints in a canonical form that parses to the same values and prints the
// same again; the strict parser never accepts what disklabel rejects.
func FuzzParseTemplate(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "disklabel", "corpus", "*[^d]"))
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	for _, s := range []string{"/ 1G-2\n", "/ 1G-0G\n", "swap 0x1p4G-*\n", "/ .5k\n", "RAID 1e2M 100%\n", "/ 1G-2G-3G\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		lax, laxErr := ParseTemplateAsDisklabel("f", strings.NewReader(in), "7.8")
		_, _ = ParseTemplateFor("f", strings.NewReader(in), "6.4")
		tp, err := ParseTemplate("f", strings.NewReader(in))
		if err != nil {
			if _, ok := err.(*ParseError); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		if laxErr != nil {
			t.Fatalf("strict parser accepted what disklabel rejects: %v", laxErr)
		}
		if !sameValues(lax.Entries, tp.Entries) || len(lax.Warnings) != 0 {
			t.Fatalf("strict and disklabel readings differ: %+v vs %+v (%q)", tp.Entries, lax.Entries, lax.Warnings)
		}
		out := tp.String()
		again, err := ParseTemplate("f", strings.NewReader(out))
		if err != nil {
			t.Fatalf("canonical form %q does not parse: %v", out, err)
		}
		if !sameValues(again.Entries, tp.Entries) {
			t.Fatalf("canonical form %q changes the values: %+v -> %+v", out, tp.Entries, again.Entries)
		}
		if again.String() != out {
			t.Fatalf("canonical form is not stable: %q -> %q", out, again.String())
		}
	})
}

// FuzzAllocate: for any disk size, sector size, physmem, scheme, release
// and (fuzzed) template, Allocate never panics, and a layout it returns has
// no overlapping partitions, no new partition outside the OpenBSD area, no
// letter c, and a free count that adds up.
func FuzzAllocate(f *testing.F) {
	f.Add(uint64(41943040), uint8(0), int64(4<<30), true, uint8(0), "")
	f.Add(uint64(184322048), uint8(0), int64(regressPhysmem), false, uint8(3), "")
	f.Add(uint64(2099200), uint8(1), int64(1<<30), true, uint8(1), "/ 1G-* 100%\nswap 1G-*\n")
	f.Add(uint64(976773168), uint8(0), int64(0), false, uint8(2), "/ 4G\nswap 16G\n/home *\n")
	f.Add(uint64(1<<40), uint8(0), int64(1<<40), true, uint8(4), "")
	releases := Releases()
	f.Fuzz(func(t *testing.T, sectors uint64, ss uint8, physmem int64, gpt bool, rel uint8, tmpl string) {
		sectorSize := 512 << (ss % 4) // 512 .. 4096
		release := releases[int(rel)%len(releases)]
		scheme := MBR
		if gpt {
			scheme = GPT
		}
		sectors %= 1 << 42
		g, err := WholeDisk(int64(sectors), sectorSize, scheme, release)
		if err != nil {
			return
		}
		if g.Area.Start == 0 || g.Area.End() > sectors {
			t.Fatalf("area %+v outside a disk of %d sectors", g.Area, sectors)
		}
		req := Request{Disk: g.Disk(), PhysMem: physmem, Release: release}
		if tmpl != "" {
			tp, err := ParseTemplateAsDisklabel("f", strings.NewReader(tmpl), release)
			if err != nil {
				return
			}
			req.Template = tp
		}
		l, err := Allocate(req)
		if err != nil {
			return
		}
		area := g.Area.Size
		var used uint64
		for k, p := range l.Partitions {
			if p.Letter == 'c' || p.Letter < 'a' || p.Letter > 'p' {
				t.Fatalf("letter %c", p.Letter)
			}
			if p.Size == 0 {
				t.Fatalf("empty partition %c", p.Letter)
			}
			if !p.Existing {
				if p.Offset < g.Area.Start || p.End() > g.Area.End() {
					t.Fatalf("%c %d+%d outside the area %+v", p.Letter, p.Offset, p.Size, g.Area)
				}
				used += p.Size
				// editor.c 1.334 ignores a failed alignment and keeps
				// the partition unaligned (testdata/fuzz/FuzzAllocate/f44b2db06f382041).
				if p.FSType == "4.2BSD" && l.Editor != "1.334" {
					a := uint64(p.BSize) / uint64(sectorSize)
					if p.End()%a != 0 || (p.Offset != g.Area.Start && p.Offset%a != 0) {
						t.Fatalf("%c %d+%d not aligned to %d", p.Letter, p.Offset, p.Size, a)
					}
				}
			}
			for _, q := range l.Partitions[k+1:] {
				if p.Offset < q.End() && q.Offset < p.End() {
					t.Fatalf("%c %d+%d overlaps %c %d+%d", p.Letter, p.Offset, p.Size, q.Letter, q.Offset, q.Size)
				}
			}
		}
		if used+l.Free != area {
			t.Fatalf("used %d + free %d != area %d", used, l.Free, area)
		}
	})
}
