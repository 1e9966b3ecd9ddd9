package disklabel

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Sizes in the allocation tables are in 512-byte blocks (DEV_BSIZE), as in
// editor.c: MEG(x) is x*2048 blocks and GIG(x) is MEG(x)*1024
// (sbin/disklabel/extern.h).
const (
	blockSize = 512 // DEV_BSIZE, sys/sys/param.h
	kib       = 2   // blocks per KiB
	mib       = 1024 * kib
	gib       = 1024 * mib
	tib       = 1024 * gib
)

// algorithm names the generation of editor_allocspace() a revision ships.
type algorithm int

const (
	// algoSectors is editor_allocspace() of editor.c 1.33x to 1.37x: sizes
	// are computed in sectors, the last entry takes the largest free chunk
	// up to its maximum, and 4.2BSD partitions are aligned by get_bsize().
	algoSectors algorithm = iota + 1
	// algoChunks is allocate_space(), allocate_partition(),
	// allocate_diskchunk() and set_fragblock() of editor.c 1.422: sizes are
	// computed in blocks, every entry (the last one with 100%) is capped at
	// min + its share of the extra space, and the chunk is cut to that cap.
	algoChunks
)

// dialect is what parse_autotable() of a revision accepts.
type dialect struct {
	// anyCaseSwapRaid: "swap" and "raid" are matched with strcasecmp and
	// "raid" exists at all (editor.c 1.422; 1.3xx accept exactly "swap").
	anyCaseSwapRaid bool
	// bareStar: a size of "*" alone means 0 to unlimited (editor.c 1.422;
	// in 1.3xx it is a parse error, only "MIN-*" works).
	bareStar bool
}

// allocation is one row of an allocation table (struct space_allocation).
type allocation struct {
	mount    string
	min, max uint64 // blocks
	percent  int
}

type table struct {
	name string
	rows []allocation
}

// revision is one editor.c revision that was read, with everything the
// simulation needs from it.
type revision struct {
	editor string // editor.c revision, e.g. "1.422"
	date   string // its $OpenBSD$ date
	source string // where it was read
	algo   algorithm
	// alignFailFatal: a failed get_bsize() alignment aborts the whole
	// auto-allocation (1.352 .. 1.372) instead of being ignored (1.334,
	// where the return value of get_bsize() is not checked).
	alignFailFatal bool
	// physmemZeroGuard: hw.physmem == 0 leaves swap alone (1.372 and later);
	// before, swap became min = max = 0. Only matters for PhysMem 0.
	physmemZeroGuard bool
	dialect          dialect
	tables           []table // big, medium, small, stupid
}

func mb(x uint64) uint64 { return x * mib }
func gb(x uint64) uint64 { return x * gib }

// The tables common to all revisions read (editor.c 1.334 .. 1.422).
var (
	smallTable  = table{"small", []allocation{{"/", mb(700), gb(4), 95}, {"swap", mb(1), mb(256), 5}}}
	stupidTable = table{"stupid", []allocation{{"/", mb(1), mb(2048), 100}}}
)

func mediumTable(usrMin uint64) table {
	return table{"medium", []allocation{
		{"/", mb(800), gb(2), 5},
		{"swap", mb(80), mb(256), 10},
		{"/usr", usrMin, gb(3), 78},
		{"/home", mb(256), gb(2), 7},
	}}
}

// Revisions read. Sources: "openbsd/src" is the stored openbsd/src history
// in the code index; the 1.334 copy comes from the mirror
// NCommander/openbsd-src-with-branches; editor.c 1.422 and the matching
// regress files come from an OpenBSD source tree that the code index stores
// under the name "torvalds/linux" (commit c5f58598cf05d09f1ac81c3897a133e7853b3eb0).
var (
	rev1334 = &revision{
		editor: "1.334", date: "2018-04-27",
		source: "sbin/disklabel/editor.c 1.334 (NCommander/openbsd-src-with-branches 0097cebf)",
		algo:   algoSectors, alignFailFatal: false,
		tables: []table{
			{"big", []allocation{
				{"/", mb(150), gb(1), 5},
				{"swap", mb(80), mb(256), 10},
				{"/tmp", mb(120), gb(4), 8},
				{"/var", mb(80), gb(4), 13},
				{"/usr", mb(900), gb(2), 5},
				{"/usr/X11R6", mb(384), gb(1), 3},
				{"/usr/local", gb(1), gb(10), 15},
				{"/usr/src", mb(1300), gb(2), 2},
				{"/usr/obj", gb(3), gb(6), 4},
				{"/home", gb(1), gb(300), 35},
			}},
			mediumTable(mb(900)), smallTable, stupidTable,
		},
	}
	rev1352 = &revision{
		editor: "1.352", date: "2018-11-25",
		source: "sbin/disklabel/editor.c 1.352 (code index copy)",
		algo:   algoSectors, alignFailFatal: true,
		tables: []table{
			{"big", []allocation{
				{"/", mb(150), gb(1), 5},
				{"swap", mb(80), mb(256), 10},
				{"/tmp", mb(120), gb(4), 8},
				{"/var", mb(80), gb(4), 13},
				{"/usr", mb(900), gb(2), 5},
				{"/usr/X11R6", mb(384), gb(1), 3},
				{"/usr/local", gb(1), gb(20), 15},
				{"/usr/src", mb(1300), gb(2), 2},
				{"/usr/obj", gb(5), gb(6), 4},
				{"/home", gb(1), gb(300), 35},
			}},
			mediumTable(mb(900)), smallTable, stupidTable,
		},
	}
	rev1360 = &revision{
		editor: "1.360", date: "2019-04-29",
		source: "sbin/disklabel/editor.c 1.360 (openbsd/src 149d084c)",
		algo:   algoSectors, alignFailFatal: true,
		tables: []table{
			{"big", []allocation{
				{"/", mb(150), gb(1), 5},
				{"swap", mb(80), mb(256), 10},
				{"/tmp", mb(120), gb(4), 8},
				{"/var", mb(80), gb(4), 13},
				{"/usr", mb(1300), gb(2), 5},
				{"/usr/X11R6", mb(384), gb(1), 3},
				{"/usr/local", gb(1), gb(20), 15},
				{"/usr/src", mb(1300), gb(2), 2},
				{"/usr/obj", gb(5), gb(6), 4},
				{"/home", gb(1), gb(300), 35},
			}},
			mediumTable(mb(1300)), smallTable, stupidTable,
		},
	}
	rev1372 = &revision{
		editor: "1.372", date: "2022-06-25",
		source: "sbin/disklabel/editor.c 1.372 (openbsd/src cc2b79a5)",
		algo:   algoSectors, alignFailFatal: true, physmemZeroGuard: true,
		tables: []table{
			{"big", []allocation{
				{"/", mb(150), gb(1), 5},
				{"swap", mb(80), mb(256), 10},
				{"/tmp", mb(120), gb(4), 8},
				{"/var", mb(80), gb(4), 13},
				{"/usr", mb(1500), gb(30), 10},
				{"/usr/X11R6", mb(384), gb(1), 3},
				{"/usr/local", gb(1), gb(20), 15},
				{"/usr/src", mb(1500), gb(3), 2},
				{"/usr/obj", gb(5), gb(6), 4},
				{"/home", gb(1), gb(300), 30},
			}},
			mediumTable(mb(1300)), smallTable, stupidTable,
		},
	}
	rev1422 = &revision{
		editor: "1.422", date: "2025-09-19",
		source: "sbin/disklabel/editor.c 1.422 (OpenBSD tree c5f58598 in the code index)",
		algo:   algoChunks, alignFailFatal: true, physmemZeroGuard: true,
		dialect: dialect{anyCaseSwapRaid: true, bareStar: true},
		tables: []table{
			{"big", []allocation{
				{"/", mb(150), gb(1), 5},
				{"swap", mb(80), mb(256), 10},
				{"/tmp", mb(120), gb(4), 8},
				{"/var", mb(80), gb(4), 13},
				{"/usr", mb(1500), gb(30), 10},
				{"/usr/X11R6", mb(384), gb(1), 3},
				{"/usr/local", gb(1), gb(20), 15},
				{"/usr/src", gb(2), gb(5), 2},
				{"/usr/obj", gb(5), gb(6), 4},
				{"/home", gb(1), gb(300), 30},
			}},
			mediumTable(mb(1300)), smallTable, stupidTable,
		},
	}
)

// ESP sizes given to "fdisk -gy -b" by the amd64 installer, in 512-byte
// blocks.
const (
	// espCurrent: install.md 1.66 (2025-03-29) and 1.67 md_prep_fdisk.
	espCurrent = 532480
	// espOld: the 960-sector EFI partition of fdisk.8 1.92 (2016) and of the
	// install image (distrib/amd64/iso/Makefile MSDOSSIZE). UNVERIFIED as the
	// installer's "-b" value for 6.x and early 7.x.
	espOld = 960
)

// releaseData is what one OpenBSD release ships, as far as this package is
// concerned.
type releaseData struct {
	rev      *revision
	espBlock uint64 // fdisk -gy -b value for a whole-disk GPT
	// mbrCHS: "fdisk -iy" ends the OpenBSD partition on the last whole
	// cylinder and starts it after the first track (mbr.c 1.105, 2021-11,
	// MBR_init with PRT_fix_BN); later mbr.c (1.125) uses the whole disk.
	mbrCHS bool
	// unverified explains which parts of the mapping were not read from the
	// release itself. Empty when the release's own sources were read.
	unverified string
}

// CurrentRelease is the release whose sources (editor.c 1.422, install.md
// 1.66/1.67, gpt.c 1.108, mbr.c 1.125, subr_disk.c 1.282) were read.
const CurrentRelease = "7.8"

// releases maps a release to its data. Only editor.c 1.334, 1.352, 1.360,
// 1.372 and 1.422 were read; each release uses the nearest revision read,
// and every such choice is marked UNVERIFIED.
var releases = map[string]releaseData{ // release: {editor.c, ESP blocks, MBR on cylinders, note}
	"6.1": {rev1334, espOld, true, "UNVERIFIED: 6.1 (2017-04) is assumed to ship the tables and algorithm of editor.c 1.334 (2018-04-27); revisions 1.290-1.333 were not read; ESP size 960 not read from the 6.1 installer"},
	"6.2": {rev1334, espOld, true, "UNVERIFIED: 6.2 (2017-10) is assumed to ship editor.c 1.334 (2018-04-27); ESP size 960 not read from the 6.2 installer"},
	"6.3": {rev1334, espOld, true, "UNVERIFIED: editor.c 1.334 is dated 12 days after 6.3 (2018-04-15); ESP size 960 not read from the 6.3 installer"},
	"6.4": {rev1352, espOld, true, "UNVERIFIED: editor.c 1.352 is dated 5 weeks after 6.4 (2018-10-18); ESP size 960 not read from the 6.4 installer"},
	"6.5": {rev1360, espOld, true, "UNVERIFIED: editor.c 1.360 (2019-04-29) is assumed to be the 6.5 revision; ESP size 960 not read from the 6.5 installer"},
	"6.6": {rev1372, espOld, true, "UNVERIFIED: editor.c 1.361-1.371 were not read; 1.372 (2022-06) assumed; ESP size 960 assumed"},
	"6.7": {rev1372, espOld, true, "UNVERIFIED: editor.c 1.372 (2022-06) assumed; ESP size 960 assumed"},
	"6.8": {rev1372, espOld, true, "UNVERIFIED: editor.c 1.372 (2022-06) assumed; ESP size 960 assumed"},
	"6.9": {rev1372, espOld, true, "UNVERIFIED: editor.c 1.372 (2022-06) assumed; ESP size 960 assumed"},
	"7.0": {rev1372, espOld, true, "UNVERIFIED: editor.c 1.372 (2022-06) assumed; ESP size 960 assumed"},
	"7.1": {rev1372, espOld, true, "UNVERIFIED: editor.c 1.372 (2022-06-25) assumed; ESP size 960 assumed; MBR partition ending on a cylinder boundary assumed (mbr.c 1.105 of 2021-11 does, the 2022-06 regress output does not)"},
	"7.2": {rev1372, espOld, false, "UNVERIFIED: editor.c 1.372 (2022-06-25) assumed; ESP size 960 assumed"},
	"7.3": {rev1372, espOld, false, "UNVERIFIED: editor.c 1.373-1.421 were not read; 1.372 assumed; ESP size 960 assumed"},
	"7.4": {rev1422, espCurrent, false, "UNVERIFIED: editor.c 1.422 (2025-09) and the 532480-block ESP assumed"},
	"7.5": {rev1422, espCurrent, false, "UNVERIFIED: editor.c 1.422 (2025-09) and the 532480-block ESP assumed"},
	"7.6": {rev1422, espCurrent, false, "UNVERIFIED: editor.c 1.422 (2025-09) and the 532480-block ESP assumed"},
	"7.7": {rev1422, espCurrent, false, "UNVERIFIED: editor.c 1.422 (2025-09) assumed; ESP 532480 read from install.md 1.66 (2025-03)"},
	"7.8": {rev1422, espCurrent, false, ""},
	"7.9": {rev1422, espCurrent, false, "UNVERIFIED: 7.9 (2026-05) is assumed to ship editor.c 1.422 (2025-09-19) and the 532480-block ESP of install.md 1.67; later editor.c revisions were not read"},
}

// Releases lists the releases this package has data for, oldest first.
func Releases() []string {
	out := make([]string, 0, len(releases))
	for r := range releases {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return releaseLess(out[i], out[j]) })
	return out
}

func releaseLess(a, b string) bool {
	am, an := splitRelease(a)
	bm, bn := splitRelease(b)
	if am != bm {
		return am < bm
	}
	return an < bn
}

func splitRelease(r string) (int, int) {
	maj, min, _ := strings.Cut(r, ".")
	x, _ := strconv.Atoi(maj)
	y, _ := strconv.Atoi(min)
	return x, y
}

// lookupRelease accepts "7.8", "current" and "snapshots"; a "-current",
// "-beta" or "-stable" suffix (as dmesg prints it) maps to the release named.
func lookupRelease(release string) (string, releaseData, error) {
	r := strings.TrimSpace(release)
	switch r {
	case "", "current", "snapshots", "-current":
		r = CurrentRelease
	}
	for _, suffix := range []string{"-current", "-beta", "-stable"} {
		r = strings.TrimSuffix(r, suffix)
	}
	d, ok := releases[r]
	if !ok {
		return "", releaseData{}, fmt.Errorf("disklabel: no allocation data for OpenBSD release %q (known: %s)", release, strings.Join(Releases(), ", "))
	}
	return r, d, nil
}

// ReleaseInfo describes the data used for one release, for people.
type ReleaseInfo struct {
	Release    string // normalised, e.g. "7.8"
	Editor     string // editor.c revision whose behaviour is simulated
	Source     string // where that revision was read
	ESPBlocks  uint64 // "fdisk -gy -b" value, 512-byte blocks
	Unverified string // empty when the release's own sources were read
}

// LookupRelease returns what this package assumes about a release.
func LookupRelease(release string) (ReleaseInfo, error) {
	r, d, err := lookupRelease(release)
	if err != nil {
		return ReleaseInfo{}, err
	}
	return ReleaseInfo{Release: r, Editor: d.rev.editor, Source: d.rev.source, ESPBlocks: d.espBlock, Unverified: d.unverified}, nil
}
