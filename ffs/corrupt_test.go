package ffs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// buildBytes writes the image of a tree into memory.
func buildBytes(t testing.TB, tr *Tree, opts Options) []byte {
	t.Helper()
	im, err := Build(tr, opts)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := im.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	if int64(b.Len()) != im.Size() {
		t.Fatalf("WriteTo wrote %d bytes, Size is %d", b.Len(), im.Size())
	}
	return b.Bytes()
}

// smallTree is a tree with a bit of everything, small enough to copy
// and corrupt many times.
func smallTree(t testing.TB) *Tree {
	t.Helper()
	tr := NewTree()
	add := func(e Entry) {
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	body := bytes.Repeat([]byte("0123456789abcdef"), 3000) // 48000 bytes: 12+ blocks of 4 KiB
	add(Entry{Path: "a/b/c/d/file", Mode: 0o644, Size: int64(len(body)), Open: Bytes(body), ModTime: fixedTime})
	add(Entry{Path: "a/small", Mode: 0o644, Size: 5, Open: Bytes([]byte("hello")), ModTime: fixedTime})
	add(Entry{Path: "a/link", Mode: fs.ModeSymlink | 0o777, Target: "small", ModTime: fixedTime})
	add(Entry{Path: "a/hard", LinkTo: "a/small"})
	add(Entry{Path: "loop1", Mode: fs.ModeSymlink | 0o777, Target: "loop2"})
	add(Entry{Path: "loop2", Mode: fs.ModeSymlink | 0o777, Target: "loop1"})
	add(Entry{Path: "dev/null", Mode: fs.ModeDevice | fs.ModeCharDevice | 0o666, Major: 2, Minor: 2})
	return tr
}

// exercise does everything a user of the reader might: open, walk,
// stat, read every file (at most limit bytes each), read links, check;
// through RawNames, so names that are not UTF-8 are walked too.
// It returns all the errors.
func exercise(data []byte, limit int64, check bool) error {
	fsys, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	fsys = fsys.RawNames() // every name, whatever its bytes
	var errs []error
	keep := func(err error) {
		if err != nil && len(errs) < 100 {
			errs = append(errs, err)
		}
	}
	n := 0
	keep(fsys.Walk(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if n++; n > 100000 {
			return errors.New("too many entries")
		}
		if _, err := d.Info(); err != nil {
			return err
		}
		switch d.Type() {
		case fs.ModeSymlink:
			_, err := fsys.ReadLink(p)
			keep(err)
			_, err = fsys.Stat(p)
			keep(err)
		case 0:
			f, err := fsys.Open(p)
			if err != nil {
				return err
			}
			_, err = io.Copy(io.Discard, io.LimitReader(f.(io.Reader), limit))
			f.Close()
			return err
		}
		return nil
	}))
	if check {
		keep(fsys.Check())
	}
	return errors.Join(errs...)
}

// withTimeout fails the test if fn does not return within d: a hang.
func withTimeout(t *testing.T, d time.Duration, fn func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("PANIC: %v", r)
			}
		}()
		done <- fn()
	}()
	select {
	case err := <-done:
		if err != nil && strings.HasPrefix(err.Error(), "PANIC") {
			t.Fatal(err)
		}
		return err
	case <-time.After(d):
		t.Fatalf("no answer after %v: hang", d)
		return nil
	}
}

// img gives tests access to an image's layout for patching it.
type img struct {
	t    *testing.T
	data []byte
	fsys *FS
}

func openImg(t *testing.T, data []byte) *img {
	t.Helper()
	fsys, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return &img{t: t, data: data, fsys: fsys}
}

func (m *img) sb() int64 { return m.fsys.sb.sblkloc }

func (m *img) ino(p string) uint32 {
	fi, err := m.fsys.Lstat(p)
	if err != nil {
		m.t.Fatal(err)
	}
	return fi.Sys().(*Inode).Ino
}

// inodeOff is the byte offset of inode ino.
func (m *img) inodeOff(ino uint32) int64 {
	s := m.fsys.sb
	return s.inoToFsba(ino)*int64(s.fsize) + int64(s.inoToFsbo(ino)*s.inodeSize())
}

// dbOff is the byte offset of direct pointer i of inode ino.
func (m *img) dbOff(ino uint32, i int) int64 {
	if m.fsys.sb.format == FFS1 {
		return m.inodeOff(ino) + d1Db + 4*int64(i)
	}
	return m.inodeOff(ino) + d2Db + 8*int64(i)
}

func (m *img) ibOff(ino uint32, i int) int64 {
	if m.fsys.sb.format == FFS1 {
		return m.inodeOff(ino) + d1Ib + 4*int64(i)
	}
	return m.inodeOff(ino) + d2Ib + 8*int64(i)
}

func (m *img) putPtr(off, v int64) {
	if m.fsys.sb.format == FFS1 {
		le.PutUint32(m.data[off:], uint32(v))
	} else {
		le.PutUint64(m.data[off:], uint64(v))
	}
}

// direntOff finds the directory entry name in directory dir.
func (m *img) direntOff(dir, name string) int64 {
	d, err := m.fsys.readInode(m.ino(dir))
	if err != nil {
		m.t.Fatal(err)
	}
	base := d.db[0] * int64(m.fsys.sb.fsize)
	blk := m.data[base : base+int64(d.size)]
	for off := 0; off < len(blk); {
		reclen := int(le.Uint16(blk[off+4:]))
		nl := int(blk[off+7])
		if string(blk[off+8:off+8+nl]) == name {
			return base + int64(off)
		}
		off += reclen
	}
	m.t.Fatalf("no entry %q in %s", name, dir)
	return 0
}

// removeEntry deletes a directory entry the way the kernel does: the
// previous entry in the chunk absorbs its record, or a first entry gets
// inode number 0.
func (m *img) removeEntry(dir, name string) {
	off := m.direntOff(dir, name)
	chunk := off - off%dirBlkSiz
	if chunk == off {
		le.PutUint32(m.data[off:], 0)
		return
	}
	prev := chunk
	for {
		next := prev + int64(le.Uint16(m.data[prev+4:]))
		if next == off {
			break
		}
		prev = next
	}
	le.PutUint16(m.data[prev+4:], le.Uint16(m.data[prev+4:])+le.Uint16(m.data[off+4:]))
}

func (m *img) cgOff(c int64) int64 { return m.fsys.sb.cgtod(c) * int64(m.fsys.sb.fsize) }

// TestCorrupt damages images in the ways the issue lists, and more;
// each must give an error that says what is wrong, never a panic or a
// hang.
func TestCorrupt(t *testing.T) {
	for _, format := range []Format{FFS1, FFS2} {
		clean := buildBytes(t, smallTree(t), Options{Format: format, BlockSize: 4096, FragSize: 512, Time: fixedTime})
		if err := exercise(clean, 1<<20, true); err == nil || !strings.Contains(err.Error(), "too many levels of symbolic links") {
			t.Fatalf("%v: clean image: want only the symlink loop error, got %v", format, err)
		}
		cases := []struct {
			name  string
			patch func(m *img) []byte
			want  string
		}{
			{"truncated", func(m *img) []byte { return m.data[:len(m.data)/2] }, "truncated image"},
			{"truncated-before-superblock", func(m *img) []byte { return m.data[:4096] }, "too small for a superblock"},
			{"bad-magic", func(m *img) []byte {
				le.PutUint32(m.data[m.sb()+offMagic:], 0x12345678)
				return m.data
			}, "bad magic"},
			{"zero-cylinder-groups", func(m *img) []byte {
				le.PutUint32(m.data[m.sb()+offNcg:], 0)
				return m.data
			}, "no cylinder groups"},
			{"too-many-cylinder-groups", func(m *img) []byte {
				le.PutUint32(m.data[m.sb()+offNcg:], 1<<20)
				return m.data
			}, "disagrees with"},
			{"fragments-per-group-not-whole-blocks", func(m *img) []byte {
				le.PutUint32(m.data[m.sb()+offFpg:], le.Uint32(m.data[m.sb()+offFpg:])+1)
				return m.data
			}, "bad fragments per group"},
			{"inodes-past-the-group", func(m *img) []byte {
				le.PutUint32(m.data[m.sb()+offIpg:], 1<<24)
				return m.data
			}, "cylinder group layout"},
			{"block-size-not-power-of-two", func(m *img) []byte {
				le.PutUint32(m.data[m.sb()+offBsize:], 5000)
				return m.data
			}, "bad block size"},
			{"wrong-cg-number", func(m *img) []byte {
				le.PutUint32(m.data[m.cgOff(0)+cgOffCgx:], 7)
				return m.data
			}, "cg 0: cg_cgx 7"},
			{"cg-bad-magic", func(m *img) []byte {
				le.PutUint32(m.data[m.cgOff(0)+cgOffMagic:], 0)
				return m.data
			}, "cg 0: bad magic"},
			{"cg-map-offset-outside", func(m *img) []byte {
				le.PutUint32(m.data[m.cgOff(0)+cgOffFreeoff:], 1<<30)
				return m.data
			}, "cg_freeoff"},
			{"directory-loop", func(m *img) []byte {
				// a/b/c's entry "d" names a/b instead: a/b -> c -> b -> c ...
				off := m.direntOff("a/b/c", "d")
				le.PutUint32(m.data[off:], m.ino("a/b"))
				return m.data
			}, "directory loop"},
			{"directory-with-two-names", func(m *img) []byte {
				// a's entry "small" names directory a/b too.
				off := m.direntOff("a", "small")
				le.PutUint32(m.data[off:], m.ino("a/b"))
				m.data[off+6] = dtDir
				return m.data
			}, "has two names"},
			{"direct-block-past-the-end", func(m *img) []byte {
				m.putPtr(m.dbOff(m.ino("a/small"), 0), m.fsys.sb.size+100)
				return m.data
			}, "past the end"},
			{"indirect-block-past-the-end", func(m *img) []byte {
				m.putPtr(m.ibOff(m.ino("a/b/c/d/file"), 0), m.fsys.sb.size+1)
				return m.data
			}, "past the end"},
			{"negative-block-pointer", func(m *img) []byte {
				m.putPtr(m.dbOff(m.ino("a/b/c/d/file"), 3), -8)
				return m.data
			}, "past the end"},
			{"dirent-inode-out-of-range", func(m *img) []byte {
				le.PutUint32(m.data[m.direntOff("a", "small"):], 0x7fffffff)
				return m.data
			}, "out of range"},
			{"dirent-zero-record-length", func(m *img) []byte {
				le.PutUint16(m.data[m.direntOff("a", "small")+4:], 0)
				return m.data
			}, "bad record length"},
			{"dirent-record-crosses-chunk", func(m *img) []byte {
				le.PutUint16(m.data[m.direntOff("a", "small")+4:], 1020)
				return m.data
			}, "crosses"},
			{"directory-bigger-than-fs", func(m *img) []byte {
				off := m.inodeOff(m.ino("a"))
				if m.fsys.sb.format == FFS1 {
					le.PutUint64(m.data[off+d1Size:], 1<<40)
				} else {
					le.PutUint64(m.data[off+d2Size:], 1<<40)
				}
				return m.data
			}, "larger than the file system"},
			{"unknown-inode-type", func(m *img) []byte {
				off := m.inodeOff(m.ino("a/small"))
				le.PutUint16(m.data[off:], 0o070644)
				return m.data
			}, "unknown file type"},
			{"root-not-a-directory", func(m *img) []byte {
				off := m.inodeOff(rootIno)
				le.PutUint16(m.data[off:], ifreg|0o755)
				return m.data
			}, "root inode is not a directory"},
		}
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%v/%s", format, tc.name), func(t *testing.T) {
				data := append([]byte(nil), clean...)
				data = tc.patch(openImg(t, data))
				err := withTimeout(t, 20*time.Second, func() error { return exercise(data, 1<<20, true) })
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("got %v, want an error containing %q", err, tc.want)
				}
			})
		}
	}
}

// TestCheckFindsDamage flips metadata that the reader never needs, so
// only Check can notice: each must be reported.
func TestCheckFindsDamage(t *testing.T) {
	for _, format := range []Format{FFS1, FFS2} {
		tr, _ := genTree(t, treeSpec{files: 50, devices: true, edgeMax: 2048})
		clean := buildBytes(t, tr, Options{Format: format, Time: fixedTime})
		if err := openImg(t, clean).fsys.Check(); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name  string
			patch func(m *img)
			want  string
		}{
			{"free-block-marked-used", func(m *img) {
				h := parseCG(m.data[m.cgOff(0):])
				for i := m.fsys.sb.cgNdblk(0) - 1; i >= 0; i-- {
					if p := m.cgOff(0) + h.freeoff + i>>3; m.data[p]&(1<<(i&7)) != 0 {
						m.data[p] &^= 1 << (i & 7)
						return
					}
				}
				t.Fatal("cg 0 has no free fragment")
			}, "free map says in use"},
			{"used-block-marked-free", func(m *img) {
				a := m.fsys.sb.csaddr // the summary area
				h := parseCG(m.data[m.cgOff(0):])
				m.data[m.cgOff(0)+h.freeoff+a>>3] |= 1 << (a & 7)
			}, "free map says free"},
			{"nbfree", func(m *img) {
				le.PutUint32(m.data[m.cgOff(0)+cgOffCs+4:], le.Uint32(m.data[m.cgOff(0)+cgOffCs+4:])+1)
			}, "cg 0: cg_cs"},
			{"frsum", func(m *img) {
				le.PutUint32(m.data[m.cgOff(0)+cgOffFrsum+4:], 99)
			}, "cg_frsum"},
			{"inode-bitmap", func(m *img) {
				h := parseCG(m.data[m.cgOff(0):])
				m.data[m.cgOff(0)+h.iusedoff] &^= 1 << 3
			}, "inode 3 is in use but its bitmap bit is false"},
			{"cstotal", func(m *img) {
				if m.fsys.sb.format == FFS1 {
					le.PutUint32(m.data[m.sb()+offCstotal1+8:], 1)
				} else {
					le.PutUint64(m.data[m.sb()+offCstotal+8:], 1)
				}
			}, "fs_cstotal"},
			{"summary-area", func(m *img) {
				le.PutUint32(m.data[m.fsys.sb.csaddr*int64(m.fsys.sb.fsize)+8:], 12345)
			}, "summary area"},
			{"link-count", func(m *img) {
				le.PutUint16(m.data[m.inodeOff(m.ino("hard/a"))+2:], 2)
			}, "link count 2, 3 directory entries"},
			{"di-blocks", func(m *img) {
				off := m.inodeOff(m.ino("edges/size-4097"))
				if m.fsys.sb.format == FFS1 {
					le.PutUint32(m.data[off+d1Blocks:], 1)
				} else {
					le.PutUint64(m.data[off+d2Blocks:], 1)
				}
			}, "di_blocks 1"},
			{"duplicate-block", func(m *img) {
				a := m.ino("edges/size-16384")
				b := m.ino("edges/size-16385")
				d, _ := m.fsys.readInode(a)
				m.putPtr(m.dbOff(b, 0), d.db[0])
			}, "already in use"},
			{"backup-superblock", func(m *img) {
				s := m.fsys.sb
				le.PutUint32(m.data[s.cgsblock(int64(s.ncg)-1)*int64(s.fsize)+offIpg:], 8)
			}, "superblock copy has fs_ipg"},
			{"d-type", func(m *img) {
				m.data[m.direntOff("hard", "a")+6] = dtDir
			}, "d_type"},
			{"unreferenced-inode", func(m *img) {
				m.removeEntry("edges", "size-1")
			}, "allocated but not in any directory"},
		}
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%v/%s", format, tc.name), func(t *testing.T) {
				m := openImg(t, append([]byte(nil), clean...))
				tc.patch(m)
				fsys, err := Open(bytes.NewReader(m.data), int64(len(m.data)))
				if err != nil {
					t.Fatal(err)
				}
				err = fsys.Check()
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Fatalf("Check: %v; want a problem containing %q", err, tc.want)
				}
			})
		}
	}
}

// TestCorruptFile runs the reader on files that are not file systems.
func TestCorruptFile(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"empty":  nil,
		"zeros":  make([]byte, 1<<20),
		"random": bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 1<<18),
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := OpenFile(p); err == nil || !strings.Contains(err.Error(), "no FFS superblock found") {
			t.Errorf("%s: %v, want no FFS superblock found", name, err)
		}
	}
}
