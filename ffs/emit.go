package ffs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// WriteTo writes the image to w front to back, zeros included, reading
// each file's contents once. Memory use does not depend on file sizes.
func (im *Image) WriteTo(w io.Writer) (int64, error) {
	s := &sink{w: w}
	err := im.emit(s)
	return s.pos, err
}

// WriteFile writes the image to a new file: a temporary file in the same
// directory, renamed to name once complete. Unused areas become holes.
func (im *Image) WriteFile(name string) (err error) {
	f, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	// Make the file its full size first: a size the file system where
	// it goes cannot hold fails now, not after the writing.
	if err = f.Truncate(im.imgSize); err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("cannot make a file of %d bytes in %s: %w", im.imgSize, filepath.Dir(name), err)
	}
	s := &sink{w: f, f: f}
	if err = im.emit(s); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), name)
}

// sink is the output: a writer that may skip zeros (a fresh file).
// Small writes are gathered into one buffer; pos counts them already.
type sink struct {
	w   io.Writer
	f   *os.File // non-nil: skipping seeks and leaves a hole
	pos int64
	buf []byte
}

const sinkBufSize = 256 << 10

var zeros = make([]byte, 64<<10)

func (s *sink) write(p []byte) error {
	if len(s.buf)+len(p) > sinkBufSize {
		if err := s.flush(); err != nil {
			return err
		}
	}
	if len(p) >= sinkBufSize {
		n, err := s.w.Write(p)
		s.pos += int64(n)
		if err == nil && n < len(p) {
			err = io.ErrShortWrite
		}
		return err
	}
	if s.buf == nil {
		s.buf = make([]byte, 0, sinkBufSize)
	}
	s.buf = append(s.buf, p...)
	s.pos += int64(len(p))
	return nil
}

// flush writes out the gathered bytes.
func (s *sink) flush() error {
	if len(s.buf) == 0 {
		return nil
	}
	n, err := s.w.Write(s.buf)
	if err == nil && n < len(s.buf) {
		err = io.ErrShortWrite
	}
	s.buf = s.buf[:0]
	return err
}

// skip advances over n zero bytes.
func (s *sink) skip(n int64) error {
	if n <= 0 {
		return nil
	}
	if s.f != nil {
		if err := s.flush(); err != nil {
			return err
		}
		if _, err := s.f.Seek(n, io.SeekCurrent); err != nil {
			return err
		}
		s.pos += n
		return nil
	}
	for n > 0 {
		k := min(n, int64(len(zeros)))
		if err := s.write(zeros[:k]); err != nil {
			return err
		}
		n -= k
	}
	return nil
}

// writeSparse writes p, skipping all-zero chunks of chunk bytes when the
// sink can leave holes.
func (s *sink) writeSparse(p []byte, chunk int) error {
	if s.f == nil {
		return s.write(p)
	}
	for len(p) > 0 {
		k := min(chunk, len(p))
		var err error
		if isZero(p[:k]) {
			err = s.skip(int64(k))
		} else {
			err = s.write(p[:k])
		}
		if err != nil {
			return err
		}
		p = p[k:]
	}
	return nil
}

func isZero(p []byte) bool {
	for len(p) >= 8 {
		if le.Uint64(p) != 0 {
			return false
		}
		p = p[8:]
	}
	for _, b := range p {
		if b != 0 {
			return false
		}
	}
	return true
}

// seek moves the output to byte off, which must not be behind it.
func (s *sink) seek(off int64) error {
	if off < s.pos {
		return fmt.Errorf("BUG: output at %d, asked to go back to %d", s.pos, off)
	}
	return s.skip(off - s.pos)
}

// emitter streams an image.
type emitter struct {
	im    *Image
	s     *sink
	sm    slotMap
	buf   []byte // copy buffer
	ind   []byte // indirect block
	cur   *node  // node whose contents are being read
	r     io.ReadCloser
	left  int64 // bytes of cur still to read
	atEOF bool  // cur is known to be at its end
	bsize int64
	fsize int64
}

const copyBufSize = 1 << 20

func (im *Image) emit(s *sink) error {
	sb := im.sb
	e := &emitter{im: im, s: s, sm: newSlotMap(int64(sb.nindir)), bsize: int64(sb.bsize), fsize: int64(sb.fsize)}
	e.buf = make([]byte, max(copyBufSize, e.bsize))
	e.ind = make([]byte, e.bsize)
	defer e.closeCur()
	items := im.metadata()
	next := 0
	flush := func(upto int64) error {
		for next < len(items) && items[next].off < upto {
			if err := s.seek(items[next].off); err != nil {
				return err
			}
			if err := items[next].write(e); err != nil {
				return err
			}
			next++
		}
		return nil
	}
	for i := range im.events {
		ev := &im.events[i]
		switch ev.kind {
		case evData:
			off := ev.addr * e.fsize
			if err := flush(off); err != nil {
				return err
			}
			if err := s.seek(off); err != nil {
				return err
			}
			if err := e.data(ev); err != nil {
				return err
			}
		case evTail:
			if err := e.tail(ev); err != nil {
				return err
			}
		case evPB:
			off := ev.addr * e.fsize
			if err := flush(off); err != nil {
				return err
			}
			if err := s.seek(off); err != nil {
				return err
			}
			if ev.pb.buf != nil {
				if err := s.writeSparse(ev.pb.buf[:ev.pb.used*e.fsize], int(e.fsize)); err != nil {
					return err
				}
			}
			ev.pb.buf = nil
		}
	}
	if err := e.closeCur(); err != nil {
		return err
	}
	fsEnd := sb.size * e.fsize
	if err := flush(fsEnd); err != nil {
		return err
	}
	defer s.flush()
	if im.tail != nil && im.imgSize > fsEnd {
		if err := s.seek(fsEnd); err != nil {
			return err
		}
		r := io.NewSectionReader(im.tail, im.tailOff, im.imgSize-fsEnd)
		for {
			n, err := io.ReadFull(r, e.buf)
			if n > 0 {
				if werr := s.writeSparse(e.buf[:n], int(e.bsize)); werr != nil {
					return werr
				}
			}
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				break
			}
			if err != nil {
				return fmt.Errorf("copying the bytes past the file system: %w", err)
			}
		}
	}
	if err := s.seek(im.imgSize); err != nil {
		return err
	}
	return s.flush()
}

// start makes n the node being read.
func (e *emitter) start(n *node) error {
	if e.cur == n {
		return nil
	}
	if err := e.closeCur(); err != nil {
		return err
	}
	e.cur, e.left = n, n.size
	switch {
	case n.ents != nil:
		e.r = io.NopCloser(encodeDirNode(n))
	case n.data != nil:
		e.r = io.NopCloser(bytes.NewReader(n.data))
	case n.open != nil:
		r, err := n.open()
		if err != nil {
			return fmt.Errorf("%s: %w", showPath(n.path), err)
		}
		if r == nil {
			return fmt.Errorf("%s: Open returned neither a reader nor an error", showPath(n.path))
		}
		e.r = r
	default:
		return fmt.Errorf("BUG: %s has blocks but no contents", n.path)
	}
	return nil
}

// closeCur checks that the current node's reader is exhausted and closes it.
func (e *emitter) closeCur() error {
	if e.r == nil {
		e.cur = nil
		return nil
	}
	r, n := e.r, e.cur
	e.r, e.cur = nil, nil
	if e.left != 0 {
		r.Close()
		return fmt.Errorf("%s: BUG: %d bytes not written", showPath(n.path), e.left)
	}
	if e.atEOF {
		e.atEOF = false
		if err := r.Close(); err != nil {
			return fmt.Errorf("%s: %w", showPath(n.path), err)
		}
		return nil
	}
	var one [1]byte
	k, err := io.ReadFull(r, one[:])
	cerr := r.Close()
	if k != 0 {
		return fmt.Errorf("%s: longer than its size of %d bytes (changed while the image was written?)", showPath(n.path), n.size)
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %w", showPath(n.path), err)
	}
	if cerr != nil {
		return fmt.Errorf("%s: %w", showPath(n.path), cerr)
	}
	return nil
}

// read copies the next n bytes of the current node to the output.
func (e *emitter) read(n int64) error {
	if n > e.left {
		return fmt.Errorf("BUG: %s: reading %d bytes, %d left", e.cur.path, n, e.left)
	}
	if e.s.f != nil {
		if f, ok := e.r.(*os.File); ok {
			// A file to a file: the kernel may copy without us
			// (copy_file_range on Linux).
			if err := e.s.flush(); err != nil {
				return err
			}
			k, err := io.CopyN(e.s.f, f, n)
			e.s.pos += k
			e.left -= k
			if err == io.EOF {
				return e.short()
			}
			return err
		}
	}
	for n > 0 {
		k := min(n, int64(len(e.buf)))
		got, err := io.ReadFull(e.r, e.buf[:k])
		if err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				return e.short()
			}
			return fmt.Errorf("%s: %w", showPath(e.cur.path), err)
		}
		if err := e.s.writeSparse(e.buf[:got], int(e.bsize)); err != nil {
			return err
		}
		e.left -= int64(got)
		n -= int64(got)
	}
	return nil
}

func (e *emitter) short() error {
	return fmt.Errorf("%s: shorter than its size of %d bytes (changed while the image was written?)", showPath(e.cur.path), e.cur.size)
}

// data writes count slots of a node starting at slot: runs of data
// blocks copied from its contents, and indirect blocks.
func (e *emitter) data(ev *event) error {
	n := ev.n
	if err := e.start(n); err != nil {
		return err
	}
	s, end := ev.slot, ev.slot+ev.count
	for s < end {
		level, lbn := e.sm.classify(s)
		if level > 0 {
			if err := e.indirect(n, s, level, lbn); err != nil {
				return err
			}
			s++
			continue
		}
		run := min(e.sm.nextIndirect(s), end) - s
		want := run * e.bsize
		k := min(want, e.left)
		if err := e.read(k); err != nil {
			return err
		}
		if err := e.s.skip(want - k); err != nil {
			return err
		}
		s += run
	}
	return nil
}

// indirect writes the indirect block at slot s.
func (e *emitter) indirect(n *node, s int64, level int, lbn int64) error {
	clear(e.ind)
	ffs1 := e.im.sb.format == FFS1
	e.sm.children(s, level, lbn, n.nfull, func(i int, child int64) {
		a := n.slotAddr(child, int64(e.im.sb.frag))
		if ffs1 {
			le.PutUint32(e.ind[4*i:], uint32(a))
		} else {
			le.PutUint64(e.ind[8*i:], uint64(a))
		}
	})
	return e.s.write(e.ind)
}

// tail reads a node's last partial block into its shared block.
func (e *emitter) tail(ev *event) error {
	n := ev.n
	if err := e.start(n); err != nil {
		return err
	}
	pb := n.tailPB
	if pb.buf == nil {
		pb.buf = make([]byte, e.bsize)
	}
	off := n.tailOff * e.fsize
	k := e.left
	if k > n.tailFrags*e.fsize {
		return fmt.Errorf("BUG: %s: tail of %d bytes in %d fragments", n.path, k, n.tailFrags)
	}
	if regular(e.r) {
		// Ask for one byte more than is left: a host file returns less
		// than asked only at its end, so one read(2) usually brings the
		// tail and proves the end.
		got := int64(0)
		for {
			ask := k + 1 - got
			m, err := e.r.Read(e.buf[got : k+1])
			got += int64(m)
			if err != nil && err != io.EOF {
				return fmt.Errorf("%s: %w", showPath(n.path), err)
			}
			if got > k {
				return fmt.Errorf("%s: longer than its size of %d bytes (changed while the image was written?)", showPath(n.path), n.size)
			}
			if err == io.EOF || m == 0 || int64(m) < ask && got == k {
				break
			}
		}
		if got < k {
			return e.short()
		}
		copy(pb.buf[off:off+k], e.buf[:k])
		e.left, e.atEOF = 0, true
		return e.closeCur()
	}
	if _, err := io.ReadFull(e.r, pb.buf[off:off+k]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return e.short()
		}
		return fmt.Errorf("%s: %w", showPath(n.path), err)
	}
	e.left = 0
	return e.closeCur()
}

// slotAddr returns the fragment address of a node's slot; frag is the
// number of fragments per block.
func (n *node) slotAddr(slot, frag int64) int64 {
	i := sort.Search(len(n.exts), func(i int) bool { return n.exts[i].slot+n.exts[i].n > slot })
	if i == len(n.exts) {
		panic(fmt.Sprintf("BUG: %s: slot %d not allocated", n.path, slot))
	}
	x := n.exts[i]
	return x.addr + (slot-x.slot)*frag
}

// metaItem is a piece of metadata at a byte offset.
type metaItem struct {
	off   int64
	write func(e *emitter) error
}

// metadata lists the superblock, its copies, the cylinder group blocks,
// the inode tables and the summary area, in address order.
func (im *Image) metadata() []metaItem {
	sb := im.sb
	fsize := int64(sb.fsize)
	sbBytes := sb.marshal()
	items := []metaItem{{off: sb.sblkloc, write: func(e *emitter) error { return e.s.write(sbBytes) }}}
	if len(im.head) > 0 {
		items = append(items, metaItem{off: 0, write: func(e *emitter) error { return e.s.writeSparse(im.head, devBSize) }})
	}
	for c := int64(0); c < int64(sb.ncg); c++ {
		c := c
		items = append(items,
			metaItem{off: sb.cgsblock(c) * fsize, write: func(e *emitter) error { return e.s.write(sbBytes) }},
			metaItem{off: sb.cgtod(c) * fsize, write: func(e *emitter) error { return e.s.write(im.cgBlock(c)) }},
			metaItem{off: sb.cgimin(c) * fsize, write: func(e *emitter) error { return im.writeInodes(e, c) }},
		)
	}
	items = append(items, metaItem{off: sb.csaddr * fsize, write: func(e *emitter) error { return e.s.write(im.summary()) }})
	sort.SliceStable(items, func(i, j int) bool { return items[i].off < items[j].off })
	return items
}

// summary is the cylinder group summary area: one struct csum per cg.
func (im *Image) summary() []byte {
	b := make([]byte, im.sb.cssize)
	for c, cs := range im.cgCsum {
		p := b[c*sizeofCsum:]
		le.PutUint32(p, uint32(cs.ndir))
		le.PutUint32(p[4:], uint32(cs.nbfree))
		le.PutUint32(p[8:], uint32(cs.nifree))
		le.PutUint32(p[12:], uint32(cs.nffree))
	}
	return b
}

// Offsets in struct cg (fs.h 1.45).
const (
	cgOffMagic        = 4
	cgOffTime         = 8
	cgOffCgx          = 12
	cgOffNcyl         = 16
	cgOffNiblk        = 18
	cgOffNdblk        = 20
	cgOffCs           = 24
	cgOffRotor        = 40
	cgOffFrotor       = 44
	cgOffIrotor       = 48
	cgOffFrsum        = 52
	cgOffBtotoff      = 84
	cgOffBoff         = 88
	cgOffIusedoff     = 92
	cgOffFreeoff      = 96
	cgOffNextfreeoff  = 100
	cgOffClustersum   = 104
	cgOffClusteroff   = 108
	cgOffNclusterblks = 112
	cgOffFfs2Niblk    = 116
	cgOffInitediblk   = 120
	cgOffFfs2Time     = 136
)

// cgBlock encodes cylinder group c's header and maps as initcg in
// mkfs.c 1.102 lays them out.
func (im *Image) cgBlock(c int64) []byte {
	sb := im.sb
	b := make([]byte, sb.cgsize)
	m := im.cgState(c)
	cs := im.cgCsum[c]
	le.PutUint32(b[cgOffMagic:], cgMagic)
	le.PutUint32(b[cgOffCgx:], uint32(c))
	le.PutUint32(b[cgOffNdblk:], uint32(sb.cgNdblk(c)))
	le.PutUint32(b[cgOffCs:], uint32(cs.ndir))
	le.PutUint32(b[cgOffCs+4:], uint32(cs.nbfree))
	le.PutUint32(b[cgOffCs+8:], uint32(cs.nifree))
	le.PutUint32(b[cgOffCs+12:], uint32(cs.nffree))
	for i, v := range m.frsum {
		le.PutUint32(b[cgOffFrsum+4*i:], uint32(v))
	}
	var iusedoff int64
	if sb.format == FFS1 {
		le.PutUint32(b[cgOffTime:], uint32(sb.time))
		ncyl := sb.cpg
		if c == int64(sb.ncg)-1 {
			ncyl = 0 // "Hack to maintain compatibility with old fsck."
		}
		le.PutUint16(b[cgOffNcyl:], uint16(ncyl))
		le.PutUint16(b[cgOffNiblk:], uint16(sb.ipg))
		btotoff := int64(sizeofCg)
		boff := btotoff + int64(sb.cpg)*4
		iusedoff = boff + int64(sb.cpg)*2
		le.PutUint32(b[cgOffBtotoff:], uint32(btotoff))
		le.PutUint32(b[cgOffBoff:], uint32(boff))
		// One cylinder per group and one rotational position: every
		// free block counts in blktot[0] and blks[0][0].
		le.PutUint32(b[btotoff:], uint32(m.nbfree))
		le.PutUint16(b[boff:], uint16(m.nbfree))
	} else {
		iusedoff = sizeofCg
		le.PutUint32(b[cgOffFfs2Niblk:], sb.ipg)
		le.PutUint32(b[cgOffInitediblk:], im.initedIblk[c])
		le.PutUint64(b[cgOffFfs2Time:], uint64(sb.time))
	}
	freeoff := iusedoff + howmany(int64(sb.ipg), 8)
	le.PutUint32(b[cgOffIusedoff:], uint32(iusedoff))
	le.PutUint32(b[cgOffFreeoff:], uint32(freeoff))
	le.PutUint32(b[cgOffNextfreeoff:], uint32(freeoff+howmany(int64(sb.fpg), 8)))
	for i := int64(0); i < int64(im.cgInodes[c]); i++ {
		b[iusedoff+i>>3] |= 1 << (i & 7)
	}
	copy(b[freeoff:], m.free)
	return b
}

// writeInodes writes cylinder group c's inode table block by block,
// leaving all-zero blocks as holes where it can.
func (im *Image) writeInodes(e *emitter, c int64) error {
	sb := im.sb
	isz := int64(sb.inodeSize())
	perBlock := int64(sb.inopb)
	blk := make([]byte, sb.bsize)
	first := c * int64(sb.ipg)
	lastIno := int64(rootIno) + int64(len(im.nodes)) - 1
	for i := int64(0); i < int64(sb.ipg); i += perBlock {
		if first+i > lastIno {
			// The rest of the table is unused: zeros, skipped at once
			// (a big image has hundreds of gigabytes of them).
			return e.s.skip((int64(sb.ipg) - i) * isz)
		}
		clear(blk)
		for j := int64(0); j < perBlock; j++ {
			ino := first + i + j
			k := ino - rootIno
			if k < 0 || k >= int64(len(im.nodes)) {
				continue
			}
			d := im.dinode(im.nodes[k])
			d.put(blk[j*isz:(j+1)*isz], sb.format)
		}
		if err := e.s.writeSparse(blk, len(blk)); err != nil {
			return err
		}
	}
	return nil
}

// dinode builds the on-disk inode of n.
func (im *Image) dinode(n *node) *dinode {
	sb := im.sb
	d := &dinode{mode: n.mode, nlink: int16(n.nlink), uid: n.uid, gid: n.gid, size: uint64(n.size),
		atime: n.mtime, mtime: n.mtime, ctime: n.mtime, birthtime: n.mtime,
		atimensec: n.mtimensec, mtimensec: n.mtimensec, ctimensec: n.mtimensec, birthnsec: n.mtimensec,
		gen: im.gen(n.ino), flags: n.flags}
	switch n.mode & ifmt {
	case ifchr, ifblk:
		d.size = 0
		d.rdev, d.hasOverlay = n.rdev, true
		return d
	case iflnk:
		if n.nslots == 0 && n.tailFrags == 0 {
			d.shortlink, d.hasOverlay = n.data, true
			return d
		}
	}
	frag := int64(sb.frag)
	sm := newSlotMap(int64(sb.nindir))
	for i := int64(0); i < min(n.nfull, nDAddr); i++ {
		d.db[i] = n.slotAddr(i, frag)
	}
	if n.tailFrags > 0 {
		d.db[n.nfull] = n.tailPB.addr + n.tailOff
	}
	if n.nfull > nDAddr {
		d.ib[0] = n.slotAddr(nDAddr, frag)
	}
	if n.nfull > nDAddr+sm.n {
		d.ib[1] = n.slotAddr(sm.s2, frag)
	}
	if n.nfull > nDAddr+sm.n+sm.n*sm.n {
		d.ib[2] = n.slotAddr(sm.s3, frag)
	}
	d.blocks = uint64((n.nslots*frag + n.tailFrags) * int64(sb.fsize) / devBSize)
	return d
}
