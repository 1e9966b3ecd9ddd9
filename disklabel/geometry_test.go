package disklabel

import (
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

func TestWholeDisk(t *testing.T) {
	tests := []struct {
		name       string
		sectors    int64
		ss, spt, h int
		scheme     Scheme
		release    string
		area       Extent
		esp        *Extent
		notes      int
	}{
		// mbr.c 1.125: after the first 63-sector track, power of two: 64.
		{"MBR current", 41943040, 512, 63, 255, MBR, "7.8", Extent{64, 41943040 - 64}, nil, 0},
		// mbr.c 1.105: ends on the last whole cylinder (the corpus wd0:
		// 60801 cylinders of 16065 sectors).
		{"MBR cylinders", 976773168, 512, 63, 255, MBR, "6.5", Extent{64, 60801*16065 - 64}, nil, 1},
		// vnd: 100 sectors, 1 head: start after cylinder 0, 128.
		{"MBR vnd", 2099200, 512, 100, 1, MBR, "7.8", Extent{128, 2099200 - 128}, nil, 0},
		// Capped at 2^32-1 sectors.
		{"MBR 3TB", 3 << 31, 512, 63, 255, MBR, "7.8", Extent{64, 1<<32 - 1}, nil, 1},
		// gpt.c 1.108: usable 34 .. n-34, ESP 532480 at 64, OpenBSD at 532544.
		{"GPT current", 41943040, 512, 63, 255, GPT, "7.8", Extent{532544, 41943040 - 33 - 532544}, &Extent{64, 532480}, 0},
		// 960-block ESP assumed for 6.x: OpenBSD at 1024.
		{"GPT 6.4", 41943040, 512, 63, 255, GPT, "6.4", Extent{1024, 41943040 - 33 - 1024}, &Extent{64, 960}, 2},
		// 4K sectors: 16384/4096+2 = 6 reserved at each end; ESP 66560
		// sectors (532480 blocks) at 64, OpenBSD at 66624.
		{"GPT 4K", 1 << 28, 4096, 63, 255, GPT, "7.8", Extent{66624, 1<<28 - 5 - 66624}, &Extent{64, 66560}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := WholeDiskCHS(tc.sectors, tc.ss, tc.spt, tc.h, tc.scheme, tc.release)
			if err != nil {
				t.Fatal(err)
			}
			if g.Area != tc.area {
				t.Errorf("area = %+v, want %+v", g.Area, tc.area)
			}
			if !reflect.DeepEqual(g.ESP, tc.esp) {
				t.Errorf("ESP = %+v, want %+v", g.ESP, tc.esp)
			}
			if len(g.Notes) != tc.notes {
				t.Errorf("notes = %q, want %d", g.Notes, tc.notes)
			}
			if tc.esp != nil {
				want := []Partition{{Letter: 'i', FSType: "MSDOS", Offset: tc.esp.Start, Size: tc.esp.Size, Existing: true}}
				if !reflect.DeepEqual(g.Spoofed, want) {
					t.Errorf("spoofed = %+v", g.Spoofed)
				}
			}
		})
	}
}

func TestWholeDiskErrors(t *testing.T) {
	for _, tc := range []struct {
		sectors int64
		ss      int
		scheme  Scheme
		err     string
	}{
		{60, 512, GPT, "disklabel: disk of 60 sectors is too small for a GPT"},
		{500000, 512, GPT, "disklabel: disk of 500000 sectors is too small for a 532480-block EFI System partition"},
		{64, 512, MBR, "disklabel: disk of 64 sectors has no room for an OpenBSD MBR partition at 64"},
		{0, 512, MBR, "disklabel: disk of 0 sectors"},
		{1000, 520, MBR, "disklabel: sector size 520 is not a multiple of 512"},
		{1000, 512, Scheme(9), "disklabel: unknown partitioning scheme Scheme(9)"},
	} {
		_, err := WholeDisk(tc.sectors, tc.ss, tc.scheme, "7.8")
		if errString(err) != tc.err {
			t.Errorf("WholeDisk(%d, %d, %v) error = %v, want %s", tc.sectors, tc.ss, tc.scheme, err, tc.err)
		}
	}
}

// TestOldTemplate runs a template through the editor.c 1.352 algorithm
// (6.4): the last line takes the largest free chunk up to its maximum.
func TestOldTemplate(t *testing.T) {
	tp, err := ParseTemplateFor("t", strings.NewReader("/ 1G-* 100%\nswap 1G-*\n"), "6.4")
	if err != nil {
		t.Fatal(err)
	}
	d := Disk{SectorSize: 512, Start: 64, End: 64 + 10<<21} // 10 GiB
	l, err := Allocate(Request{Disk: d, Release: "6.4", Template: tp})
	if err != nil {
		t.Fatal(err)
	}
	// xtra = 10G - 2G = 16777216; / = 1G + 100 * 167772 = 18874352 from
	// 64 (not rounded, area start), end 18874416 rounded down to 32 is
	// 18874400: size 18874336. swap: all the rest.
	checkLayout(t, l, []want{{'a', "/", 64, 18874336}, {'b', "swap", 18874400, 64 + 10<<21 - 18874400}})
	if l.Editor != "1.352" || l.Free != 0 {
		t.Errorf("editor %s free %d", l.Editor, l.Free)
	}
}

func TestReleases(t *testing.T) {
	rs := Releases()
	if rs[0] != "6.1" || !sort.SliceIsSorted(rs, func(i, j int) bool { return releaseLess(rs[i], rs[j]) }) {
		t.Errorf("releases = %v", rs)
	}
	for _, r := range []string{"6.1", "6.4", "6.5", "7.2", "7.8"} {
		if !slices.Contains(rs, r) {
			t.Errorf("release %s missing from %v", r, rs)
		}
	}
	for in, want := range map[string]string{"7.8": "1.422", "snapshots": "1.422", "6.5-current": "1.360", "6.4": "1.352", "6.1": "1.334", "7.2": "1.372"} {
		ri, err := LookupRelease(in)
		if err != nil || ri.Editor != want {
			t.Errorf("LookupRelease(%q) = %+v, %v; want editor %s", in, ri, err, want)
		}
	}
	if ri, _ := LookupRelease("7.8"); ri.Unverified != "" || ri.ESPBlocks != 532480 {
		t.Errorf("7.8 = %+v", ri)
	}
}
