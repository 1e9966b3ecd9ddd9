package ffs

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"math"
	"time"
)

// Options are the newfs(8) knobs and the image size. The zero value gives
// an FFS2 image of the smallest size that fits, with newfs's defaults.
type Options struct {
	// Format is FFS1 or FFS2; 0 means FFS2, newfs's default.
	Format Format
	// Size is the image size in bytes, rounded down to whole fragments
	// for the file system (the image keeps the exact size). 0 picks the
	// smallest size that holds the tree, MinFree's reserve, FreeSpace
	// and FreeInodes.
	Size int64
	// FreeSpace and FreeInodes are the margin an automatic size leaves.
	FreeSpace  int64
	FreeInodes int64
	// BlockSize and FragSize are newfs -b and -f. 0 means the defaults:
	// fragments of 2048 bytes (4096 above 128 GiB, 8192 above 512 GiB,
	// as disklabel labels a partition) and blocks of 8 fragments, or
	// min(16384, 8*FragSize) when only FragSize is given.
	BlockSize, FragSize int
	// Density is newfs -i, bytes of data space per inode; 0 means
	// 4*FragSize.
	Density int
	// MinFree is newfs -m, the percentage of blocks reserved for root;
	// nil means 5.
	MinFree *int
	// Optimization is newfs -o.
	Optimization Optimization
	// MaxFragsPerCG is newfs -c; 0 means no limit.
	MaxFragsPerCG int
	// Time stamps the superblock and cylinder groups and is the time of
	// directories the tree implies; zero means now. It also seeds the
	// file system id and inode generation numbers, so the same tree and
	// options give the same bytes.
	Time time.Time
}

// check refuses options no file system could have.
func (o *Options) check() error {
	if o.Format != 0 && o.Format != FFS1 && o.Format != FFS2 {
		return fmt.Errorf("unknown format %d (FFS1 is 1, FFS2 is 2)", int(o.Format))
	}
	if o.Optimization < OptDefault || o.Optimization > OptSpace {
		return fmt.Errorf("unknown optimization %d", int(o.Optimization))
	}
	for _, f := range []struct {
		name string
		v    int64
	}{
		{"Size", o.Size}, {"FreeSpace", o.FreeSpace}, {"FreeInodes", o.FreeInodes}, {"BlockSize", int64(o.BlockSize)},
		{"FragSize", int64(o.FragSize)}, {"Density", int64(o.Density)}, {"MaxFragsPerCG", int64(o.MaxFragsPerCG)},
	} {
		if f.v < 0 {
			return fmt.Errorf("option %s is negative (%d)", f.name, f.v)
		}
	}
	if o.MinFree != nil && (*o.MinFree < 0 || *o.MinFree > 99) {
		return fmt.Errorf("option MinFree: %d is not a percentage from 0 to 99", *o.MinFree)
	}
	return nil
}

// Image is a planned file system: the layout is fixed and every block
// has its place, but no contents have been read. WriteTo and WriteFile
// stream it out, reading each file once.
type Image struct {
	sb         *superblock
	imgSize    int64
	nodes      []*node // nodes[i] has inode number rootIno+i
	events     []event
	cgUsed     [][]frange
	cgCsum     []csum
	cgInodes   []uint32 // inodes in use per cg, counting 0 and 1
	initedIblk []uint32
	csfrags    int64
	// Set by PlanRebuild: bytes before the superblock (boot code, a
	// disklabel) and past the end of the file system, kept from the old
	// image.
	head    []byte
	tail    io.ReaderAt
	tailOff int64
}

// Info describes an image's layout.
type Info struct {
	Format           Format
	Size             int64 // image size in bytes
	BlockSize        int
	FragSize         int
	CylinderGroups   int
	FragsPerGroup    int
	InodesPerGroup   int
	MinFree          int
	Inodes           int64 // in use, counting the two reserved ones
	Directories      int64
	FreeFrags        int64 // free fragments (nbfree*frag + nffree)
	DataFrags        int64 // fs_dsize
	SuperblockOffset int64
	// Warnings are what newfs would have printed about the geometry
	// ("reduced number of fragments per cylinder group ...").
	Warnings []string
}

// Info returns the image's layout figures.
func (im *Image) Info() Info {
	s := im.sb
	var tot csum
	for _, c := range im.cgCsum {
		tot.add(c)
	}
	return Info{
		Format: s.format, Size: im.imgSize, BlockSize: int(s.bsize), FragSize: int(s.fsize),
		CylinderGroups: int(s.ncg), FragsPerGroup: int(s.fpg), InodesPerGroup: int(s.ipg),
		MinFree: int(s.minfree), Inodes: int64(s.ncg)*int64(s.ipg) - tot.nifree, Directories: tot.ndir,
		FreeFrags: tot.nbfree*int64(s.frag) + tot.nffree, DataFrags: s.dsize, SuperblockOffset: s.sblkloc,
		Warnings: s.warnings,
	}
}

// Size is the number of bytes WriteTo writes.
func (im *Image) Size() int64 { return im.imgSize }

// node is one inode to write.
type node struct {
	ino       uint32
	mode      uint16
	nlink     int
	uid, gid  uint32
	mtime     int64
	mtimensec int32
	flags     uint32
	rdev      uint32
	size      int64
	path      string
	open      func() (io.ReadCloser, error) // regular files
	data      []byte                        // long symlink target
	ents      []dirent                      // directories, with . and ..
	// Block plan.
	nfull     int64 // data blocks that are whole blocks
	nslots    int64 // nfull plus indirect blocks
	tailFrags int64 // fragments of the last block, 0 if none
	exts      []extent
	tailPB    *pblock
	tailOff   int64
}

// extent maps n consecutive slots of a node, starting at slot, to
// consecutive blocks starting at fragment addr.
type extent struct{ slot, addr, n int64 }

// pblock is a block shared by the fragment tails of small files.
type pblock struct {
	addr int64 // set when the block is closed
	used int64 // fragments taken
	buf  []byte
}

// frange is a range of fragments [start, end).
type frange struct{ start, end int64 }

type eventKind uint8

const (
	evData eventKind = iota // n slots of a node at addr
	evTail                  // read a node's tail into its pblock
	evPB                    // write a closed pblock at its addr
)

type event struct {
	kind  eventKind
	n     *node
	pb    *pblock
	slot  int64
	addr  int64
	count int64
}

// Build plans an image of the tree. It checks the tree (hard link
// targets, sizes against the format's limits), picks the size if
// opts.Size is 0, and places every inode and block. File contents are
// not read until the image is written.
func Build(t *Tree, opts Options) (*Image, error) { return build(t, opts, geomParams{}) }

// build is Build; keep's keepFpg and keepIpg, when set, fix the
// cylinder groups (Rebuild).
func build(t *Tree, opts Options, keep geomParams) (*Image, error) {
	if err := opts.check(); err != nil {
		return nil, err
	}
	if opts.Format == 0 {
		opts.Format = FFS2
	}
	now := opts.Time
	if now.IsZero() {
		now = time.Now()
	}
	nodes, err := collect(t, now)
	if err != nil {
		return nil, err
	}
	if opts.Format == FFS1 {
		if err := ffs1Times(now, nodes); err != nil {
			return nil, err
		}
	}
	gp := geomParams{format: opts.Format, bsize: int64(opts.BlockSize), fsize: int64(opts.FragSize),
		density: int64(opts.Density), minfree: -1, opt: opts.Optimization, maxFragsPerCG: int64(opts.MaxFragsPerCG),
		keepFpg: keep.keepFpg, keepIpg: keep.keepIpg}
	if opts.MinFree != nil {
		gp.minfree = int64(*opts.MinFree)
	}

	var sb *superblock
	if opts.Size > 0 {
		gp.size = opts.Size
		if sb, err = newGeometry(gp); err != nil {
			return nil, err
		}
		if err := planNodes(nodes, sb); err != nil {
			return nil, err
		}
		if _, err := tryAlloc(nodes, sb); err != nil {
			// Say what would do, with the same block and fragment size.
			gp.bsize, gp.fsize = int64(sb.bsize), int64(sb.fsize)
			if need, serr := smallest(nodes, gp, Options{}, false); serr == nil {
				return nil, fmt.Errorf("the tree does not fit in %d bytes (%w); the smallest size that holds it is %d bytes",
					opts.Size, err, need.size*int64(need.fsize))
			}
			return nil, fmt.Errorf("the tree does not fit in %d bytes: %w", opts.Size, err)
		}
	} else {
		if sb, err = smallest(nodes, gp, opts, true); err != nil {
			return nil, err
		}
	}
	im := &Image{sb: sb, imgSize: opts.Size, nodes: nodes}
	if opts.Size == 0 {
		im.imgSize = sb.size * int64(sb.fsize)
	}
	stamp(sb, now, nodes)
	im.place()
	return im, nil
}

// collect turns the tree into nodes with inode numbers, directory
// entries and link counts. Inode numbers follow a depth-first walk with
// names in byte order, so the same tree always gets the same numbers; a
// file with several names (hard links) gets its number at the first.
func collect(t *Tree, now time.Time) ([]*node, error) {
	sec, nsec := splitTime(now)
	var nodes []*node
	built := map[*tnode]*node{}
	var visit func(tn *tnode, parent *node) (*node, error)
	visit = func(tn *tnode, parent *node) (*node, error) {
		f := tn.file()
		if n := built[f]; n != nil {
			return n, nil // another name of a file already made
		}
		e := f.e
		n := &node{ino: uint32(rootIno + len(nodes)), mode: unixMode(e.Mode), uid: e.UID, gid: e.GID,
			flags: e.Flags, path: tn.e.Path}
		if uint64(n.ino) > math.MaxUint32-1 {
			return nil, fmt.Errorf("too many files")
		}
		n.mtime, n.mtimensec = splitTime(e.ModTime)
		if f.implicit && e.ModTime.IsZero() {
			n.mtime, n.mtimensec = sec, nsec
		}
		nodes = append(nodes, n)
		built[f] = n
		switch e.Mode.Type() {
		case 0:
			n.size, n.open = e.Size, e.Open
		case fs.ModeSymlink:
			n.size = int64(len(e.Target))
			n.data = []byte(e.Target)
		case fs.ModeDevice, fs.ModeDevice | fs.ModeCharDevice:
			n.rdev = Makedev(e.Major, e.Minor)
		case fs.ModeDir:
			n.nlink = 2
			if parent == nil {
				parent = n
			} else {
				parent.nlink++
			}
			n.ents = append(make([]dirent, 0, len(tn.kids)+2),
				dirent{name: ".", ino: n.ino, typ: dtDir}, dirent{name: "..", ino: parent.ino, typ: dtDir})
			for _, k := range sortedNames(tn.kids) {
				kid, err := visit(tn.kids[k], n)
				if err != nil {
					return nil, err
				}
				if kid.mode&ifmt != ifdir {
					kid.nlink++ // a directory is counted by its own "."
				}
				n.ents = append(n.ents, dirent{name: k, ino: kid.ino, typ: dirType(kid.mode)})
			}
			n.size = dirBytesSize(n.ents)
		}
		return n, nil
	}
	if _, err := visit(t.root, nil); err != nil {
		return nil, err
	}
	for _, n := range nodes {
		if n.nlink > math.MaxInt16 {
			return nil, fmt.Errorf("%s: %d links, more than FFS allows (%d)", showPath(n.path), n.nlink, math.MaxInt16)
		}
	}
	return nodes, nil
}

// FFS1 keeps times in signed 32-bit seconds (int32_t di_mtime in struct
// ufs1_dinode, dinode.h 1.19; fs_ffs1_time in fs.h 1.45).
var (
	ffs1MinTime = time.Unix(math.MinInt32, 0).UTC()
	ffs1MaxTime = time.Unix(math.MaxInt32, 999999999).UTC()
)

// ffs1Times refuses times FFS1 cannot hold, rather than let them wrap.
func ffs1Times(now time.Time, nodes []*node) error {
	bad := func(t time.Time) bool { return t.Before(ffs1MinTime) || t.After(ffs1MaxTime) }
	rng := fmt.Sprintf("FFS1 holds %s to %s; use FFS2", ffs1MinTime.Format(time.RFC3339), ffs1MaxTime.Truncate(time.Second).Format(time.RFC3339))
	if bad(now) {
		return fmt.Errorf("file system time %s is out of range: %s", now.UTC().Format(time.RFC3339Nano), rng)
	}
	for _, n := range nodes {
		if t := time.Unix(n.mtime, int64(n.mtimensec)); bad(t) {
			return fmt.Errorf("%s: time %s is out of range: %s", showPath(n.path), t.UTC().Format(time.RFC3339Nano), rng)
		}
	}
	return nil
}

// planNodes computes each node's block needs for the block size.
func planNodes(nodes []*node, sb *superblock) error {
	bsize, fsize, frag := int64(sb.bsize), int64(sb.fsize), int64(sb.frag)
	for _, n := range nodes {
		n.nfull, n.nslots, n.tailFrags = 0, 0, 0
		if n.mode&ifmt == iflnk && n.size < int64(sb.maxsym) {
			continue // inline in the inode
		}
		if n.size <= 0 || n.mode&ifmt == ifchr || n.mode&ifmt == ifblk {
			continue
		}
		if uint64(n.size) > sb.maxfile {
			return fmt.Errorf("%s: %d bytes is more than %v with %d-byte blocks allows (%d)", showPath(n.path), n.size, sb.format, bsize, sb.maxfile)
		}
		nblk := howmany(n.size, bsize)
		if nblk <= nDAddr {
			// The last block may be a run of fragments (blksize in fs.h).
			last := howmany(n.size-(nblk-1)*bsize, fsize)
			if last < frag {
				n.nfull, n.tailFrags = nblk-1, last
			} else {
				n.nfull = nblk
			}
		} else {
			n.nfull = nblk
		}
		n.nslots = n.nfull + indirects(n.nfull, int64(sb.nindir))
	}
	return nil
}

// indirects is the number of indirect blocks n data blocks need.
func indirects(n, nindir int64) int64 {
	m := n - nDAddr
	if m <= 0 {
		return 0
	}
	cnt := int64(1) // single indirect
	m -= nindir
	if m <= 0 {
		return cnt
	}
	d := min(m, nindir*nindir)
	cnt += 1 + howmany(d, nindir) // double indirect and its children
	m -= d
	if m <= 0 {
		return cnt
	}
	return cnt + 1 + howmany(m, nindir*nindir) + howmany(m, nindir)
}

// smallest finds the smallest size, in whole blocks, whose layout holds
// the nodes with the margins asked for, and minfree's reserve if
// reserve. It doubles until the tree fits, then bisects.
func smallest(nodes []*node, gp geomParams, opts Options, reserve bool) (*superblock, error) {
	var need int64
	for _, n := range nodes {
		need += n.size
	}
	if gp.fsize == 0 {
		gp.fsize = labelFragSize(need + opts.FreeSpace)
		if gp.bsize == 0 {
			gp.bsize = 8 * gp.fsize
		}
	}
	if gp.bsize == 0 {
		gp.bsize = min(dflBlkSize, 8*gp.fsize)
	}
	if err := checkParams(gp.bsize, gp.fsize, gp.density, gp.minfree); err != nil {
		return nil, err
	}
	bs := gp.bsize
	try := func(blocks int64) (*superblock, bool, error) {
		gp.size = blocks * bs
		sb, err := newGeometry(gp)
		if err != nil {
			return nil, false, nil
		}
		if err := planNodes(nodes, sb); err != nil {
			return nil, false, err
		}
		free, err := tryAlloc(nodes, sb)
		if err != nil {
			return nil, false, nil
		}
		inodesFree := int64(sb.ncg)*int64(sb.ipg) - int64(len(nodes)) - rootIno
		reserved := int64(0)
		if reserve {
			reserved = sb.dsize * int64(sb.minfree) / 100
		}
		ok := free*int64(sb.fsize) >= opts.FreeSpace+reserved*int64(sb.fsize) && inodesFree >= opts.FreeInodes
		return sb, ok, nil
	}
	lo := int64(0) // does not fit
	hi := max(howmany(need+opts.FreeSpace, bs), 8)
	for {
		_, ok, err := try(hi)
		if err != nil {
			return nil, err
		}
		if ok {
			break
		}
		lo = hi
		if hi > math.MaxInt64/4/bs {
			return nil, fmt.Errorf("no size fits the tree")
		}
		hi *= 2
	}
	for hi-lo > 1 {
		mid := lo + (hi-lo)/2
		_, ok, err := try(mid)
		if err != nil {
			return nil, err
		}
		if ok {
			hi = mid
		} else {
			lo = mid
		}
	}
	sb, _, err := try(hi)
	return sb, err
}

// stamp fills in the time and id fields.
func stamp(sb *superblock, now time.Time, nodes []*node) {
	sb.time = now.Unix()
	h := fnv.New32a()
	fmt.Fprintf(h, "%d %d %d %d", now.UnixNano(), sb.size, sb.format, len(nodes))
	sb.id = [2]uint32{uint32(now.Unix()), h.Sum32()}
}

// gen is a node's inode generation number: newfs and the kernel use
// arc4random; fugu derives it from the file system id so images are
// reproducible.
func (im *Image) gen(ino uint32) uint32 {
	x := uint64(im.sb.id[1])<<32 | uint64(ino)
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return uint32(x) | 1
}

// allocator hands out blocks in address order: the data area of cg 0
// after the summary, then for each further cg the blocks before its
// superblock copy and its data area. Fragment tails of small files
// share "partial" blocks, which take their address when they are
// closed, after the full blocks of the files whose tails they hold.
type allocator struct {
	sb      *superblock
	record  bool
	c       int64
	inData  bool
	cur     int64
	end     int64
	pb      *pblock
	used    int64
	events  []event
	cgUsed  [][]frange
	csfrags int64
}

type errNoSpace struct{}

func (errNoSpace) Error() string { return "out of space" }

func newAllocator(sb *superblock, record bool) *allocator {
	a := &allocator{sb: sb, record: record, csfrags: howmany(int64(sb.cssize), int64(sb.fsize))}
	frag := int64(sb.frag)
	a.inData = true
	a.cur = roundup(sb.cgdmin(0)+a.csfrags, frag)
	a.end = sb.cgbase(0) + sb.cgNdblk(0)/frag*frag
	if record {
		a.cgUsed = make([][]frange, sb.ncg)
	}
	return a
}

func (a *allocator) nextRegion() bool {
	frag := int64(a.sb.frag)
	for {
		if a.inData {
			if a.c+1 >= int64(a.sb.ncg) {
				return false
			}
			a.c++
			a.inData = false
			a.cur = a.sb.cgbase(a.c)
			a.end = a.sb.cgsblock(a.c)
		} else {
			a.inData = true
			a.cur = a.sb.cgdmin(a.c)
			a.end = a.sb.cgbase(a.c) + a.sb.cgNdblk(a.c)/frag*frag
		}
		if a.cur < a.end {
			return true
		}
	}
}

// take allocates n blocks and calls fn for each contiguous run.
func (a *allocator) take(n int64, fn func(addr, blocks int64)) error {
	frag := int64(a.sb.frag)
	for n > 0 {
		if a.cur >= a.end && !a.nextRegion() {
			return errNoSpace{}
		}
		k := min(n, (a.end-a.cur)/frag)
		fn(a.cur, k)
		a.markUsed(a.cur, k*frag)
		a.cur += k * frag
		n -= k
	}
	return nil
}

func (a *allocator) markUsed(addr, frags int64) {
	a.used += frags
	if !a.record {
		return
	}
	c := addr / int64(a.sb.fpg)
	r := a.cgUsed[c]
	if len(r) > 0 && r[len(r)-1].end == addr {
		r[len(r)-1].end += frags
	} else {
		r = append(r, frange{addr, addr + frags})
	}
	a.cgUsed[c] = r
}

func (a *allocator) allocNode(n *node) error {
	slot := int64(0)
	err := a.take(n.nslots, func(addr, k int64) {
		if a.record {
			n.exts = append(n.exts, extent{slot: slot, addr: addr, n: k})
			a.events = append(a.events, event{kind: evData, n: n, slot: slot, addr: addr, count: k})
		}
		slot += k
	})
	if err != nil {
		return err
	}
	if n.tailFrags == 0 {
		return nil
	}
	if a.pb == nil || a.pb.used+n.tailFrags > int64(a.sb.frag) {
		if err := a.closePB(); err != nil {
			return err
		}
		a.pb = &pblock{}
	}
	if a.record {
		n.tailPB, n.tailOff = a.pb, a.pb.used
		a.events = append(a.events, event{kind: evTail, n: n, pb: a.pb})
	}
	a.pb.used += n.tailFrags
	return nil
}

func (a *allocator) closePB() error {
	if a.pb == nil {
		return nil
	}
	pb := a.pb
	a.pb = nil
	frag := int64(a.sb.frag)
	if a.cur >= a.end && !a.nextRegion() {
		return errNoSpace{}
	}
	pb.addr = a.cur
	a.markUsed(a.cur, pb.used) // the rest of the block stays free
	a.cur += frag
	if a.record {
		a.events = append(a.events, event{kind: evPB, pb: pb, addr: pb.addr})
	}
	return nil
}

// tryAlloc runs the allocator without recording and returns the free
// fragments left.
func tryAlloc(nodes []*node, sb *superblock) (int64, error) {
	if int64(sb.ncg)*int64(sb.ipg) < int64(len(nodes))+rootIno {
		return 0, fmt.Errorf("%d files need more than the %d inodes", len(nodes), int64(sb.ncg)*int64(sb.ipg)-rootIno)
	}
	a := newAllocator(sb, false)
	for _, n := range nodes {
		if err := a.allocNode(n); err != nil {
			return 0, fmt.Errorf("data does not fit: %w", err)
		}
	}
	if err := a.closePB(); err != nil {
		return 0, err
	}
	return sb.dsize - a.used, nil
}

// place runs the allocator for real and computes the per-cg summaries
// and the superblock totals.
func (im *Image) place() {
	sb := im.sb
	a := newAllocator(sb, true)
	for _, n := range im.nodes {
		if err := a.allocNode(n); err != nil {
			panic("BUG: allocation failed after it fitted: " + err.Error())
		}
	}
	if err := a.closePB(); err != nil {
		panic("BUG: allocation failed after it fitted: " + err.Error())
	}
	im.events, im.cgUsed, im.csfrags = a.events, a.cgUsed, a.csfrags
	ncg := int64(sb.ncg)
	im.cgCsum = make([]csum, ncg)
	im.cgInodes = make([]uint32, ncg)
	im.initedIblk = make([]uint32, ncg)
	im.cgInodes[0] = rootIno
	for _, n := range im.nodes {
		c := n.ino / sb.ipg
		im.cgInodes[c]++
		if n.mode&ifmt == ifdir {
			im.cgCsum[c].ndir++
		}
		if idx := n.ino%sb.ipg + 1; idx > im.initedIblk[c] {
			im.initedIblk[c] = idx
		}
	}
	sb.cstotal = csum{}
	for c := int64(0); c < ncg; c++ {
		st := im.cgState(c)
		im.cgCsum[c].nbfree = st.nbfree
		im.cgCsum[c].nffree = st.nffree
		im.cgCsum[c].nifree = int64(sb.ipg) - int64(im.cgInodes[c])
		sb.cstotal.add(im.cgCsum[c])
		// FFS2 inodes are initialized lazily; mkfs.c initializes two
		// blocks' worth per group, fugu as many as are in use.
		in := uint32(roundup(int64(im.initedIblk[c]), int64(sb.inopb)))
		im.initedIblk[c] = min(max(in, 2*sb.inopb), sb.ipg)
	}
}

// cgMap is a cylinder group's free fragment map and its counts.
type cgMap struct {
	free   []byte // cg_blksfree: bit set = fragment free
	nbfree int64
	nffree int64
	frsum  [maxFrag]int64
}

// cgState computes cylinder group c's free map from the allocation.
func (im *Image) cgState(c int64) cgMap {
	sb := im.sb
	base := sb.cgbase(c)
	ndblk := sb.cgNdblk(c)
	m := cgMap{free: make([]byte, howmany(int64(sb.fpg), 8))}
	set := func(from, to int64) {
		for ; from < to && from&7 != 0; from++ {
			m.free[from>>3] |= 1 << (from & 7)
		}
		if n := (to - from) / 8; n > 0 {
			// Whole bytes at once: big groups have millions of fragments.
			b := m.free[from>>3 : from>>3+n]
			for len(b) > 0 {
				b = b[copy(b, allOnes):]
			}
			from += 8 * n
		}
		for ; from < to; from++ {
			m.free[from>>3] |= 1 << (from & 7)
		}
	}
	if c > 0 {
		set(0, int64(sb.sblkno))
	}
	dupper := int64(sb.dblkno)
	if c == 0 {
		dupper += im.csfrags
	}
	set(dupper, ndblk)
	for _, r := range im.cgUsed[c] {
		for i := r.start - base; i < r.end-base; i++ {
			m.free[i>>3] &^= 1 << (i & 7)
		}
	}
	countFree(m.free, ndblk, int64(sb.frag), &m.nbfree, &m.nffree, &m.frsum)
	return m
}

var allOnes = bytes.Repeat([]byte{0xff}, 4096)

// countFree computes nbfree, nffree and cg_frsum from a free map the way
// fsck_ffs pass5 does: a block with all fragments free counts as a free
// block; otherwise its free fragments count singly, and each maximal run
// of k free fragments inside it adds one to frsum[k] (ffs_fragacct).
func countFree(free []byte, ndblk, frag int64, nbfree, nffree *int64, frsum *[maxFrag]int64) {
	block := func(blk int64) {
		run, nfree := int64(0), int64(0)
		for i := blk; i < blk+frag; i++ {
			if free[i>>3]&(1<<(i&7)) != 0 {
				run++
				nfree++
				continue
			}
			if run > 0 {
				frsum[run]++
			}
			run = 0
		}
		if nfree == frag {
			*nbfree++
			return
		}
		if run > 0 {
			frsum[run]++
		}
		*nffree += nfree
	}
	// frag is 1, 2, 4 or 8, so blocks never straddle a byte: a byte
	// all free is 8/frag free blocks, a byte all used adds nothing.
	whole := ndblk / frag * frag
	blk := int64(0)
	for ; blk+8 <= whole; blk += 8 {
		if blk&63 == 0 && blk+64 <= whole {
			// Eight bytes at a time through the long runs.
			switch le.Uint64(free[blk>>3:]) {
			case math.MaxUint64:
				*nbfree += 64 / frag
				blk += 56
				continue
			case 0:
				blk += 56
				continue
			}
		}
		switch free[blk>>3] {
		case 0xff:
			*nbfree += 8 / frag
		case 0:
		default:
			for b := blk; b < blk+8; b += frag {
				block(b)
			}
		}
	}
	for ; blk < whole; blk += frag {
		block(blk)
	}
	// A trailing partial block (file system size not a multiple of the
	// block size) only has fragments.
	if rem := ndblk % frag; rem != 0 {
		run := int64(0)
		for i := ndblk - rem; i < ndblk; i++ {
			if free[i>>3]&(1<<(i&7)) != 0 {
				run++
				*nffree++
				continue
			}
			if run > 0 {
				frsum[run]++
			}
			run = 0
		}
		if run > 0 {
			frsum[run]++
		}
	}
}

// encodeDirNode returns a directory node's contents.
func encodeDirNode(n *node) io.Reader { return bytes.NewReader(encodeDir(n.ents)) }
