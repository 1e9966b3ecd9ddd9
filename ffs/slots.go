package ffs

// A file's blocks are allocated in "slot" order: the 12 direct blocks,
// the single indirect block followed by the data blocks it maps, the
// double indirect block followed by each of its indirect blocks and their
// data blocks, and likewise for the triple indirect block. Each indirect
// block thus comes right before the blocks it points to, as the kernel's
// ffs_balloc lays out a file written front to back.

// slotMap does slot arithmetic for NINDIR = n.
type slotMap struct {
	n  int64 // pointers per indirect block
	s2 int64 // slot of the double indirect block
	s3 int64 // slot of the triple indirect block
	g2 int64 // slots under one double indirect block, itself included
}

func newSlotMap(nindir int64) slotMap {
	s2 := nDAddr + 1 + nindir
	return slotMap{n: nindir, s2: s2, s3: s2 + 1 + nindir*(nindir+1), g2: 1 + nindir*(nindir+1)}
}

// classify tells what slot s holds: level 0 is the data block with
// logical number lbn; level 1, 2 or 3 is an indirect block of that
// depth whose first mapped data block is lbn.
func (m slotMap) classify(s int64) (level int, lbn int64) {
	n := m.n
	switch {
	case s < nDAddr:
		return 0, s
	case s == nDAddr:
		return 1, nDAddr
	case s < m.s2:
		return 0, nDAddr + s - (nDAddr + 1)
	case s == m.s2:
		return 2, nDAddr + n
	case s < m.s3:
		r := s - m.s2 - 1
		g, q := r/(n+1), r%(n+1)
		base := nDAddr + n + g*n
		if q == 0 {
			return 1, base
		}
		return 0, base + q - 1
	case s == m.s3:
		return 3, nDAddr + n + n*n
	}
	r := s - m.s3 - 1
	k, r2 := r/m.g2, r%m.g2
	base := nDAddr + n + n*n + k*n*n
	if r2 == 0 {
		return 2, base
	}
	r3 := r2 - 1
	g, q := r3/(n+1), r3%(n+1)
	if q == 0 {
		return 1, base + g*n
	}
	return 0, base + g*n + q - 1
}

// nextIndirect returns the first slot after data slot s that holds an
// indirect block (data slots up to it are consecutive).
func (m slotMap) nextIndirect(s int64) int64 {
	n := m.n
	switch {
	case s < nDAddr:
		return nDAddr
	case s < m.s2:
		return m.s2
	case s < m.s3:
		g := (s - m.s2 - 1) / (n + 1)
		return m.s2 + 1 + (g+1)*(n+1)
	}
	r := s - m.s3 - 1
	k, r2 := r/m.g2, r%m.g2
	g := (r2 - 1) / (n + 1)
	return m.s3 + 1 + k*m.g2 + 1 + (g+1)*(n+1)
}

// children lists the slots an indirect block at slot s of the given
// level points to, for a file of nfull data blocks, by calling fn with
// the pointer index and the child's slot.
func (m slotMap) children(s int64, level int, lbn, nfull int64, fn func(i int, child int64)) {
	var span, cover int64 // slots per child subtree, data blocks per child
	switch level {
	case 1:
		span, cover = 1, 1
	case 2:
		span, cover = 1+m.n, m.n
	case 3:
		span, cover = m.g2, m.n*m.n
	}
	for i := int64(0); i < m.n && lbn+i*cover < nfull; i++ {
		fn(int(i), s+1+i*span)
	}
}
