package ffs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"
)

// Edit is what Rebuild changes in an image: first the removals (paths
// removed are not even read, so removing a file the reader refuses gets
// past it), then the entries to add or replace (missing parent
// directories are created).
// Names are edited, not files: replacing or removing one name of a file
// with several (hard links; on bsd.rd most programs are names of one
// crunched binary) leaves its other names with the file as it was and
// one link fewer.
type Edit struct {
	Remove []string
	Put    []Entry
	// Time stamps the new file system; zero keeps the old one's fs_time,
	// so the same image and edit give the same bytes.
	Time time.Time
}

// Rebuild reads the file system in src (size bytes), applies ed, and
// writes a new image of exactly size bytes to dst: a file system of the
// same size, format, block and fragment sizes, minfree, optimization and
// cylinder groups (fragments and inodes per group, so rebuilding again
// and again never drifts; a no-op edit of an image fugu made gives the
// same bytes). An FFS2 superblock that makefs put at 8192 moves to
// 65536, the only place OpenBSD's boot loader reads it (ufs2_open in
// sys/lib/libsa/ufs2.c), which takes up to 64 KB from the first
// cylinder group. Everything else is kept: modes, owners, times, flags,
// hard links, symlinks, device nodes, and the bytes before the
// superblock (boot code; the disklabel OpenBSD's makefs writes into a
// ramdisk image at byte 512) and after the file system's end. Files are
// streamed from src while dst is written, so dst must not overlap src.
// It fails, writing nothing, if the edited tree does not fit.
//
// This is how a file goes into a ramdisk image of fixed size (the
// bsd.rd root file system), with no mount and no root privileges.
func Rebuild(src io.ReaderAt, size int64, dst io.Writer, ed Edit) error {
	im, err := PlanRebuild(src, size, ed)
	if err != nil {
		return err
	}
	_, err = im.WriteTo(dst)
	return err
}

// RebuildFile is Rebuild from file in to file out (which may be the same
// file: the new image replaces it only once complete).
func RebuildFile(in, out string, ed Edit) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	im, err := PlanRebuild(f, st.Size(), ed)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	return im.WriteFile(out)
}

// PlanRebuild is Rebuild's plan: the edited image, ready to write.
func PlanRebuild(src io.ReaderAt, size int64, ed Edit) (*Image, error) {
	old, err := Open(src, size)
	if err != nil {
		return nil, err
	}
	// Removed paths are left out as the old tree is read, so removing
	// a file the reader refuses (a bad inode) is how to get past it.
	raw := old.RawNames()
	removed := map[string]bool{}
	for _, p := range ed.Remove {
		q, err := cleanPath(p)
		if err != nil {
			return nil, err
		}
		if q == "." {
			return nil, fmt.Errorf("cannot remove the root directory")
		}
		if _, err := raw.Lstat(q); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("remove %s: %w", showPath(q), fs.ErrNotExist)
		}
		removed[q] = true
	}
	t := NewTree()
	if err := t.addFrom(fsSource{raw}, func(p string) bool { return removed[p] }, true); err != nil {
		return nil, fmt.Errorf("reading the old tree: %w (Edit.Remove can leave it out)", err)
	}
	for _, e := range ed.Put {
		if err := t.Add(e); err != nil {
			return nil, err
		}
	}
	s := old.sb
	minfree := int(s.minfree)
	opt := OptTime
	if s.optim == fsOptSpace {
		opt = OptSpace
	}
	when := ed.Time
	if when.IsZero() {
		when = time.Unix(s.time, 0)
	}
	fsBytes := s.size * int64(s.fsize)
	// The same cylinder groups, not the ones newfs's loops would choose
	// for an inode density: those drift (an image newfs made with -i
	// has no density on record, and rounding adds inodes each time).
	im, err := build(t, Options{
		Format: s.format, Size: fsBytes, BlockSize: int(s.bsize), FragSize: int(s.fsize),
		MinFree: &minfree, Optimization: opt, Time: when,
	}, geomParams{keepFpg: int64(s.fpg), keepIpg: int64(s.ipg)})
	if err != nil {
		return nil, fmt.Errorf("rebuilding: %w", err)
	}
	if n := im.sb; n.size != s.size || n.fpg != s.fpg || n.ipg != s.ipg || n.ncg != s.ncg {
		return nil, fmt.Errorf("BUG: rebuilt file system has %d fragments in %d groups of %d with %d inodes, the old one %d in %d of %d with %d",
			n.size, n.ncg, n.fpg, n.ipg, s.size, s.ncg, s.fpg, s.ipg)
	}
	im.imgSize = size
	im.head = make([]byte, min(s.sblkloc, im.sb.sblkloc))
	if _, err := src.ReadAt(im.head, 0); err != nil {
		return nil, fmt.Errorf("reading the boot area: %w", err)
	}
	im.tail, im.tailOff = src, fsBytes
	return im, nil
}
