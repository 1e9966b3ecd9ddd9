package ffs

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"testing"
	"testing/fstest"
	"time"
)

var fixedTime = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// doubleIndirectLimit is the largest file size that needs no triple
// indirect block.
func doubleIndirectLimit(f Format, bsize int64) int64 {
	n := bsize / 4
	if f == FFS2 {
		n = bsize / 8
	}
	return (nDAddr + n + n*n) * bsize
}

// boundaryMarks are byte offsets in the blocks around the indirect
// boundaries, so a misplaced block there changes the file's hash.
func boundaryMarks(f Format, bsize int64) []int64 {
	n := bsize / 4
	if f == FFS2 {
		n = bsize / 8
	}
	var m []int64
	for _, b := range []int64{nDAddr, nDAddr + n, nDAddr + n + n*n} {
		for d := int64(-2); d <= 2; d++ {
			m = append(m, (b+d)*bsize+32)
		}
	}
	return m
}

func TestRoundTrip(t *testing.T) {
	cases := []struct {
		name string
		opts Options
		spec treeSpec
		big  bool
	}{
		{"ffs1-newfs-defaults", Options{Format: FFS1}, treeSpec{files: 3000, devices: true}, false},
		{"ffs2-newfs-defaults", Options{Format: FFS2}, treeSpec{files: 3000, devices: true}, false},
		{"ffs1-install-image-params", Options{Format: FFS1, MinFree: ptr(0), Optimization: OptSpace, Density: 524288, MaxFragsPerCG: 2097152, FreeInodes: 100}, treeSpec{files: 300}, false},
		{"ffs2-8k-1k", Options{Format: FFS2, BlockSize: 8192, FragSize: 1024, FreeSpace: 1 << 20}, treeSpec{files: 500, devices: true}, false},
		{"ffs1-4k-triple-indirect", Options{Format: FFS1, BlockSize: 4096, FragSize: 512},
			treeSpec{files: 100, bigSize: doubleIndirectLimit(FFS1, 4096) + 3*4096 + 100, bigMarks: boundaryMarks(FFS1, 4096)}, true},
		{"ffs2-4k-triple-indirect", Options{Format: FFS2, BlockSize: 4096, FragSize: 512},
			treeSpec{files: 100, bigSize: doubleIndirectLimit(FFS2, 4096) + 3*4096 + 100, bigMarks: boundaryMarks(FFS2, 4096)}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.big && testing.Short() {
				t.Skip("multi-GiB sparse file; skipped in -short mode")
			}
			tr, ws := genTree(t, tc.spec)
			opts := tc.opts
			opts.Time = fixedTime
			im, err := Build(tr, opts)
			if err != nil {
				t.Fatal(err)
			}
			img := filepath.Join(t.TempDir(), "fs.img")
			if err := im.WriteFile(img); err != nil {
				t.Fatal(err)
			}
			fsys, err := OpenFile(img)
			if err != nil {
				t.Fatal(err)
			}
			defer fsys.Close()
			if err := fsys.Check(); err != nil {
				t.Fatal(err)
			}
			info := fsys.Info()
			if info.Format != opts.Format {
				t.Errorf("format %v, want %v", info.Format, opts.Format)
			}
			if opts.BlockSize != 0 && (info.BlockSize != opts.BlockSize || info.FragSize != opts.FragSize) {
				t.Errorf("block/fragment %d/%d, want %d/%d", info.BlockSize, info.FragSize, opts.BlockSize, opts.FragSize)
			}
			compareTree(t, fsys, ws)
			if tc.spec.bigSize > 0 {
				fi, err := fsys.Lstat("huge/file")
				if err != nil {
					t.Fatal(err)
				}
				d, err := fsys.readInode(fi.Sys().(*Inode).Ino)
				if err != nil {
					t.Fatal(err)
				}
				if d.ib[2] == 0 {
					t.Errorf("huge/file of %d bytes has no triple indirect block", tc.spec.bigSize)
				}
			}
			if !tc.big {
				if err := fstest.TestFS(fsys, "edges/size-1", "hard/a", "links/long", "names/with space and ünïcode"); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// compareTree checks that fsys holds exactly the expected entries with
// the same names, types, modes, owners, sizes, times, link counts,
// targets, device numbers and SHA-256 of contents.
func compareTree(t *testing.T, fsys *FS, ws map[string]*want) {
	t.Helper()
	seen := map[string]bool{}
	buf := make([]byte, 1<<20)
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		seen[p] = true
		w := ws[p]
		if w == nil {
			t.Errorf("%s: in the image but not in the tree", p)
			return nil
		}
		fi, err := fsys.Lstat(p)
		if err != nil {
			return err
		}
		in := fi.Sys().(*Inode)
		if fi.Mode() != w.mode {
			t.Errorf("%s: mode %v, want %v", p, fi.Mode(), w.mode)
		}
		if d.Type() != w.mode.Type() {
			t.Errorf("%s: dir entry type %v, want %v", p, d.Type(), w.mode.Type())
		}
		if in.UID != w.uid || in.GID != w.gid {
			t.Errorf("%s: owner %d:%d, want %d:%d", p, in.UID, in.GID, w.uid, w.gid)
		}
		if w.size >= 0 && fi.Size() != w.size {
			t.Errorf("%s: size %d, want %d", p, fi.Size(), w.size)
		}
		if !fi.ModTime().Equal(w.mtime) {
			t.Errorf("%s: mtime %v, want %v", p, fi.ModTime(), w.mtime)
		}
		if in.Nlink != w.nlink {
			t.Errorf("%s: nlink %d, want %d", p, in.Nlink, w.nlink)
		}
		switch {
		case w.mode&fs.ModeSymlink != 0:
			got, err := fsys.ReadLink(p)
			if err != nil || got != w.target {
				t.Errorf("%s: target %q, %v; want %q", p, got, err, w.target)
			}
		case w.mode&fs.ModeDevice != 0:
			if Major(in.Rdev) != w.major || Minor(in.Rdev) != w.minor {
				t.Errorf("%s: device %d,%d; want %d,%d", p, Major(in.Rdev), Minor(in.Rdev), w.major, w.minor)
			}
		case w.mode.Type() == 0:
			f, err := fsys.Open(p)
			if err != nil {
				return err
			}
			h := sha256.New()
			_, err = io.CopyBuffer(h, f.(io.Reader), buf)
			f.Close()
			if err != nil {
				return err
			}
			if got, want := hex.EncodeToString(h.Sum(nil)), w.sha256(); got != want {
				t.Errorf("%s: sha256 %s, want %s", p, got, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for p := range ws {
		if !seen[p] {
			missing = append(missing, p)
		}
	}
	sort.Strings(missing)
	for _, p := range missing {
		t.Errorf("%s: in the tree but not in the image", p)
	}
}
