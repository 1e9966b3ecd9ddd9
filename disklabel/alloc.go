package disklabel

import (
	"fmt"
	"sort"
	"strings"
)

// Label geometry constants (sys/sys/disklabel.h, sys/sys/param.h).
const (
	maxPartitions = 16    // MAXPARTITIONS
	rawPart       = 2     // RAW_PART, 'c'
	maxBSize      = 65536 // MAXBSIZE
)

// Partition is one partition of a label.
type Partition struct {
	Letter   byte   // 'a'..'p'
	Mount    string // mount point of 4.2BSD partitions; "swap" or "raid" for the others; "" for Existing ones
	FSType   string // "4.2BSD", "swap", "RAID", "MSDOS", ...
	Offset   uint64 // sectors
	Size     uint64 // sectors
	FSize    uint32 // fragment size in bytes (4.2BSD only)
	BSize    uint32 // block size in bytes (4.2BSD only)
	Line     int    // template line that made it, 0 for built-in tables
	Existing bool   // in the label before allocation (e.g. the spoofed EFI System partition)
}

// End is the sector after the partition.
func (p Partition) End() uint64 { return p.Offset + p.Size }

// Disk is what disklabel -A starts from: the OpenBSD area (the label's
// boundstart and boundend) and the partitions already in the label.
type Disk struct {
	SectorSize int    // bytes per sector, a multiple of 512
	Start, End uint64 // OpenBSD area [Start, End), in sectors
	Existing   []Partition
}

// Request asks for one auto-allocation.
type Request struct {
	Disk     Disk
	PhysMem  int64     // hw.physmem in bytes; only the built-in big table uses it
	Release  string    // e.g. "7.8"; "" means CurrentRelease
	Template *Template // nil: the release's built-in tables
}

// Layout is the label disklabel -A would write.
type Layout struct {
	Release    string // normalised release
	Editor     string // editor.c revision simulated
	Table      string // "big", "medium", "small", "stupid" or "template"
	SectorSize int
	Start, End uint64      // OpenBSD area
	Partitions []Partition // existing and new partitions, by letter
	Free       uint64      // sectors of the area left unallocated
	// Skipped lists the built-in tables tried first and why they did not
	// fit (empty for templates).
	Skipped []TableFailure
	// Unverified repeats the release's UNVERIFIED note, if any.
	Unverified string
}

// TableFailure says why one allocation table was not used.
type TableFailure struct {
	Table  string
	Reason string
}

// AllocError is an allocation that disklabel -A would refuse: the installer
// then stops with "Autopartitioning failed.".
type AllocError struct {
	Template string // template name; "" for the built-in tables
	Line     int    // template line that does not fit, 0 if none in particular
	Mount    string
	Short    uint64 // sectors missing, 0 when the problem is not size
	Reason   string
	Tried    []TableFailure // built-in tables tried, in order
}

func (e *AllocError) Error() string {
	var b strings.Builder
	b.WriteString("disklabel: ")
	if e.Template != "" {
		b.WriteString(e.Template)
		if e.Line > 0 {
			fmt.Fprintf(&b, ":%d", e.Line)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Reason)
	for _, t := range e.Tried {
		fmt.Fprintf(&b, "; %s table: %s", t.Table, t.Reason)
	}
	return b.String()
}

// slot is one entry of the in-memory label.
type slot struct {
	size, offset uint64
	fstype       string // "" is FS_UNUSED
	fsize, frag  uint32
	mount        string
	line         int
	existing     bool
}

type label struct {
	p          [maxPartitions]slot
	secsize    uint64
	start, end uint64 // starting_sector, ending_sector
}

type chunk struct{ start, stop uint64 }

// freeChunks is editor.c free_chunks(): the gaps between in-use partitions
// (fstype not unused and size not 0), clamped to the OpenBSD area, skipping
// partition ignore.
func (lp *label) freeChunks(ignore int) []chunk {
	var used []int
	for i := range lp.p {
		if i != ignore && lp.p[i].fstype != "" && lp.p[i].size != 0 && i != rawPart {
			used = append(used, i)
		}
	}
	sort.SliceStable(used, func(a, b int) bool { return lp.p[used[a]].offset < lp.p[used[b]].offset })
	if len(used) == 0 {
		if lp.start < lp.end {
			return []chunk{{lp.start, lp.end}}
		}
		return nil
	}
	var out []chunk
	if first := lp.p[used[0]].offset; first > lp.start {
		// Not clamped to ending_sector in editor.c either.
		out = append(out, chunk{lp.start, first})
	}
	for k, i := range used {
		start := lp.p[i].offset + lp.p[i].size
		if start < lp.start {
			start = lp.start
		} else if start > lp.end {
			start = lp.end
		}
		stop := lp.end
		if k+1 < len(used) {
			stop = lp.p[used[k+1]].offset
		}
		if stop < lp.start {
			stop = lp.start
		} else if stop > lp.end {
			stop = lp.end
		}
		if start < stop {
			out = append(out, chunk{start, stop})
		}
	}
	return out
}

func (lp *label) countFree() uint64 {
	var n uint64
	for _, c := range lp.freeChunks(-1) {
		n += c.stop - c.start
	}
	return n
}

// largest is the first free chunk of the greatest size, or ok == false.
func (lp *label) largest() (chunk, bool) {
	var best chunk
	found := false
	for _, c := range lp.freeChunks(-1) {
		if c.stop-c.start > best.stop-best.start {
			best, found = c, true
		}
	}
	return best, found
}

// blocksPerSector is DL_BLKSPERSEC.
func (lp *label) blocksPerSector() uint64 { return lp.secsize / blockSize }

// setFragblock picks fsize and frag for a new 4.2BSD partition the way
// editor.c 1.422 set_fragblock() and 1.3xx get_fsize() do: 2048-byte
// fragments, 8 per block, doubled above 128 GiB and again above 512 GiB,
// at least one sector, at most MAXBSIZE/frag.
func (lp *label) setFragblock(i int) {
	s := &lp.p[i]
	fsize, frag := uint64(2048), uint64(8)
	bytes := s.size * lp.secsize
	if bytes > 128<<30 {
		fsize *= 2
	}
	if bytes > 512<<30 {
		fsize *= 2
	}
	if fsize < lp.secsize {
		fsize = lp.secsize
	}
	if fsize > maxBSize/frag {
		fsize = maxBSize / frag
	}
	s.fsize, s.frag = uint32(fsize), uint32(frag)
}

// alignBlock is the automatic part of set_fragblock() (1.422) and
// get_bsize() (1.3xx): round the offset up and the end down to the block
// size, the offset only if it is not the start of the OpenBSD area. overlap
// selects ROUND_SIZE_OVERLAP (the end is capped at the area's end rounded
// down rather than the free chunk's end). It reports whether alignpartition()
// succeeded; on failure the partition is left as it was.
func (lp *label) alignBlock(i int, overlap bool) bool {
	s := &lp.p[i]
	sizeAlign := uint64(s.frag) * uint64(s.fsize) / lp.secsize
	if sizeAlign == 0 {
		return false
	}
	offAlign := uint64(1)
	if s.offset != lp.start {
		offAlign = sizeAlign
	}
	start := roundUp(s.offset, offAlign)
	var in *chunk
	chunks := lp.freeChunks(i)
	for k := range chunks {
		if start >= chunks[k].start && start < chunks[k].stop {
			in = &chunks[k]
			break
		}
	}
	if in == nil {
		return false
	}
	maxstop := roundDown(in.stop, sizeAlign)
	if overlap {
		maxstop = roundDown(lp.end, sizeAlign)
	}
	stop := roundDown(s.offset+s.size, sizeAlign)
	if stop > maxstop {
		stop = maxstop
	}
	if stop <= start {
		return false
	}
	s.offset, s.size = start, stop-start
	return true
}

func roundUp(x, a uint64) uint64 {
	if r := x % a; r != 0 {
		return x + (a - r)
	}
	return x
}
func roundDown(x, a uint64) uint64 { return x - x%a }

// firstFree is the first letter (not c) a new partition may use. editor.c
// 1.422 takes a slot whose size is 0 or whose fstype is unused; 1.3xx only
// one whose size is 0.
func (lp *label) firstFree(algo algorithm) int {
	for i := range lp.p {
		if i == rawPart {
			continue
		}
		if lp.p[i].size == 0 || (algo == algoChunks && lp.p[i].fstype == "") {
			return i
		}
	}
	return -1
}

func fstypeOf(algo algorithm, mount string) string {
	if algo == algoSectors {
		// editor.c 1.3xx: anything not starting with '/' is swap.
		if strings.HasPrefix(mount, "/") {
			return "4.2BSD"
		}
		return "swap"
	}
	switch {
	case strings.EqualFold(mount, "raid"):
		return "RAID"
	case strings.EqualFold(mount, "swap"):
		return "swap"
	}
	return "4.2BSD"
}

// physmemIncrements applies allocate_physmemincr() (1.422) or the
// equivalent code of 1.3xx to the built-in big table: swap gets RAM on top
// of its maximum (below 256 MiB of RAM: min = max = 2 x RAM) and /var gets
// twice the RAM for crash dumps.
func physmemIncrements(rows []allocation, physmem int64, rev *revision) {
	if physmem < 0 {
		physmem = 0
	}
	if physmem == 0 && rev.physmemZeroGuard {
		return
	}
	memblks := uint64(physmem) / blockSize
	for k := range rows {
		switch {
		case rows[k].mount == "swap":
			if memblks < mb(256) {
				rows[k].min, rows[k].max = 2*memblks, 2*memblks
			} else {
				rows[k].max += memblks
			}
		case rows[k].mount == "/var":
			rows[k].max += 2 * memblks
		}
	}
}

// Allocate simulates "disklabel -A" (with "-T template" when req.Template is
// set) on req.Disk for the release, and returns the label it would write or
// an *AllocError saying why it would fail.
func Allocate(req Request) (*Layout, error) {
	rel, data, err := lookupRelease(req.Release)
	if err != nil {
		return nil, err
	}
	rev := data.rev
	d := req.Disk
	if d.SectorSize < blockSize || d.SectorSize%blockSize != 0 {
		return nil, fmt.Errorf("disklabel: sector size %d is not a multiple of %d", d.SectorSize, blockSize)
	}
	if d.Start >= d.End {
		return nil, fmt.Errorf("disklabel: empty OpenBSD area [%d, %d)", d.Start, d.End)
	}
	var base label
	base.secsize, base.start, base.end = uint64(d.SectorSize), d.Start, d.End
	for _, p := range d.Existing {
		i := int(p.Letter) - 'a'
		if i < 0 || i >= maxPartitions || i == rawPart {
			return nil, fmt.Errorf("disklabel: existing partition letter %q is not one of a-p without c", p.Letter)
		}
		if base.p[i].size != 0 {
			return nil, fmt.Errorf("disklabel: existing partition %c given twice", p.Letter)
		}
		if p.Size == 0 || p.Offset+p.Size < p.Offset {
			return nil, fmt.Errorf("disklabel: existing partition %c has an invalid size", p.Letter)
		}
		fstype := p.FSType
		if fstype == "" || strings.EqualFold(fstype, "unused") {
			fstype = "" // kept as a slot that is not free for 1.3xx
		}
		base.p[i] = slot{size: p.Size, offset: p.Offset, fstype: fstype, fsize: p.FSize, mount: p.Mount, existing: true}
	}

	var tables []table
	builtin := req.Template == nil
	if builtin {
		tables = rev.tables
	} else {
		if len(req.Template.Entries) == 0 {
			return nil, &AllocError{Template: req.Template.Name, Reason: "empty template"}
		}
		rows := make([]allocation, len(req.Template.Entries))
		for k, e := range req.Template.Entries {
			rows[k] = allocation{mount: e.Mount, min: e.Min, max: e.Max, percent: e.Percent}
		}
		tables = []table{{"template", rows}}
	}

	var tried []TableFailure
	for ti, tb := range tables {
		rows := append([]allocation(nil), tb.rows...)
		if builtin && ti == 0 {
			physmemIncrements(rows, req.PhysMem, rev)
		}
		lp := base
		var f *tableFailure
		if rev.algo == algoChunks {
			f = allocateChunks(&lp, rows)
		} else {
			f = allocateSectors(&lp, rows, rev)
		}
		if f == nil {
			return lp.layout(rel, rev, data, tb.name, tried), nil
		}
		if !builtin {
			return nil, f.allocError(req.Template, &lp)
		}
		tried = append(tried, TableFailure{Table: tb.name, Reason: f.reason(&lp, rows, false)})
		if f.fatal {
			return nil, &AllocError{Reason: "disklabel -A gives up without trying smaller tables (editor.c " + rev.editor + ")", Tried: tried}
		}
	}
	return nil, &AllocError{Reason: "no built-in allocation table fits the OpenBSD area of " + humanSectors(base.countFree(), base.secsize), Tried: tried}
}

// tableFailure records where one table failed.
type tableFailure struct {
	row   int    // index of the failing row, -1 for the whole table
	kind  string // "sum", "letters", "chunk", "align"
	need  uint64 // sectors
	have  uint64 // sectors
	fatal bool   // 1.3xx alignment failure: no further tables are tried
}

func (f *tableFailure) reason(lp *label, rows []allocation, withLine bool) string {
	what := ""
	if f.row >= 0 && f.row < len(rows) {
		what = rows[f.row].mount + " "
	}
	switch f.kind {
	case "sum":
		return fmt.Sprintf("the minimums need %s but the OpenBSD area has %s free (%s short; %sis the first that does not fit)",
			humanSectors(f.need, lp.secsize), humanSectors(f.have, lp.secsize), humanSectors(f.need-f.have, lp.secsize), what)
	case "letters":
		return fmt.Sprintf("%sgets no partition letter: a-p without c are all taken", what)
	case "chunk":
		return fmt.Sprintf("%sneeds at least %s but the largest free chunk left is %s (%s short)",
			what, humanSectors(f.need, lp.secsize), humanSectors(f.have, lp.secsize), humanSectors(f.need-f.have, lp.secsize))
	case "align":
		return fmt.Sprintf("%sleaves no space once rounded to its block size", what)
	}
	return "does not fit"
}

func (f *tableFailure) allocError(t *Template, lp *label) *AllocError {
	rows := make([]allocation, len(t.Entries))
	for k, e := range t.Entries {
		rows[k] = allocation{mount: e.Mount, min: e.Min, max: e.Max, percent: e.Percent}
	}
	e := &AllocError{Template: t.Name, Reason: f.reason(lp, rows, true)}
	if f.row >= 0 && f.row < len(t.Entries) {
		e.Line = t.Entries[f.row].Line
		e.Mount = t.Entries[f.row].Mount
	}
	if f.need > f.have {
		e.Short = f.need - f.have
	}
	return e
}

// sumCheck subtracts each minimum from the free space, as both algorithms
// do first, and returns the extra space in the caller's unit.
func sumCheck(free uint64, mins []uint64) (uint64, *tableFailure) {
	x := free
	for k, m := range mins {
		if x < m {
			var need uint64
			for _, m2 := range mins {
				need += m2
				if need < m2 { // overflow
					need = ^uint64(0)
					break
				}
			}
			return 0, &tableFailure{row: k, kind: "sum", need: need, have: free}
		}
		x -= m
	}
	return x, nil
}

// allocateChunks is editor.c 1.422 allocate_space().
func allocateChunks(lp *label, rows []allocation) *tableFailure {
	bps := lp.blocksPerSector()
	mins := make([]uint64, len(rows))
	for k, r := range rows {
		mins[k] = r.min
	}
	freeBlocks := lp.countFree() * bps
	xtra, f := sumCheck(freeBlocks, mins)
	if f != nil {
		f.need /= bps
		f.have /= bps
		return f
	}
	rows[len(rows)-1].percent = 100 // last allocation is greedy
	for k := range rows {
		r := &rows[k]
		var cap uint64
		if r.percent == 100 {
			cap = r.min + xtra
		} else {
			cap = r.min + (xtra/100)*uint64(r.percent)
		}
		if cap < r.max {
			r.max = cap
		}
		i := lp.firstFree(algoChunks)
		if i < 0 {
			return &tableFailure{row: k, kind: "letters"}
		}
		// allocate_diskchunk()
		c, _ := lp.largest()
		maxstop := c.start + r.max/bps
		if maxstop < c.start { // cannot happen: max is capped by the free space
			maxstop = c.stop
		}
		if maxstop > c.stop {
			maxstop = c.stop
		}
		if maxstop < c.stop {
			c.stop = maxstop
		}
		if c.stop-c.start < r.min/bps {
			return &tableFailure{row: k, kind: "chunk", need: r.min / bps, have: c.stop - c.start}
		}
		fstype := fstypeOf(algoChunks, r.mount)
		lp.p[i] = slot{size: c.stop - c.start, offset: c.start, fstype: fstype, mount: r.mount, line: k + 1}
		if fstype == "4.2BSD" && lp.p[i].size > 0 {
			lp.setFragblock(i)
			if !lp.alignBlock(i, true) {
				return &tableFailure{row: k, kind: "align"}
			}
		}
	}
	return nil
}

// allocateSectors is editor_allocspace() of editor.c 1.334 .. 1.372.
func allocateSectors(lp *label, rows []allocation, rev *revision) *tableFailure {
	bps := lp.blocksPerSector()
	freeparts := 0
	for i := range lp.p {
		if i != rawPart && lp.p[i].size == 0 {
			freeparts++
		}
	}
	if len(rows) > freeparts {
		return &tableFailure{row: freeparts, kind: "letters"}
	}
	mins := make([]uint64, len(rows))
	maxs := make([]uint64, len(rows))
	for k, r := range rows {
		mins[k], maxs[k] = r.min/bps, r.max/bps
	}
	xtra, f := sumCheck(lp.countFree(), mins)
	if f != nil {
		return f
	}
	var lastStart uint64 // chunkstart keeps its value when no chunk is found
	for k, r := range rows {
		i := lp.firstFree(algoSectors)
		if i < 0 {
			return &tableFailure{row: k, kind: "letters"}
		}
		c, ok := lp.largest()
		if ok {
			lastStart = c.start
		}
		size := c.stop - c.start
		var secs uint64
		if k == len(rows)-1 {
			secs = size
			if secs > maxs[k] {
				secs = maxs[k]
			}
		} else {
			secs = mins[k] + (xtra/100)*uint64(r.percent)
			if secs > maxs[k] {
				secs = maxs[k]
			}
		}
		if secs > size {
			secs = size
		}
		if secs < mins[k] {
			return &tableFailure{row: k, kind: "chunk", need: mins[k], have: size}
		}
		fstype := fstypeOf(algoSectors, r.mount)
		lp.p[i] = slot{size: secs, offset: lastStart, fstype: fstype, mount: r.mount, line: k + 1}
		if fstype == "4.2BSD" {
			lp.setFragblock(i)
			// 1.334 has no ROUND_SIZE_OVERLAP and ignores a failed
			// get_bsize(); 1.352 and later have both. The two
			// properties came together in the revisions read.
			if !lp.alignBlock(i, rev.alignFailFatal) && rev.alignFailFatal {
				return &tableFailure{row: k, kind: "align", fatal: true}
			}
		}
	}
	return nil
}

func (lp *label) layout(rel string, rev *revision, data releaseData, table string, tried []TableFailure) *Layout {
	l := &Layout{Release: rel, Editor: rev.editor, Table: table, SectorSize: int(lp.secsize),
		Start: lp.start, End: lp.end, Free: lp.countFree(), Skipped: tried, Unverified: data.unverified}
	for i, s := range lp.p {
		if i == rawPart || s.size == 0 {
			continue
		}
		p := Partition{Letter: byte('a' + i), FSType: s.fstype, Offset: s.offset, Size: s.size, Existing: s.existing}
		if p.FSType == "" {
			p.FSType = "unused"
		}
		if !s.existing {
			p.Mount = s.mount
			if table == "template" {
				p.Line = s.line
			}
			if s.fstype == "4.2BSD" {
				p.FSize = s.fsize
				p.BSize = s.fsize * s.frag
			}
		} else {
			p.Mount = s.mount
		}
		l.Partitions = append(l.Partitions, p)
	}
	return l
}
