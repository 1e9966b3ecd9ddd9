package ffs

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTreeErrors(t *testing.T) {
	for _, tc := range []struct {
		e    Entry
		want string
	}{
		{Entry{Path: "a//b", Mode: 0o644}, `path "a//b": empty or "." element`},
		{Entry{Path: "a/./b", Mode: 0o644}, `path "a/./b": empty or "." element`},
		{Entry{Path: "../etc", Mode: 0o644}, `path "../etc": ".." element`},
		{Entry{Path: strings.Repeat("x", 256), Mode: 0o644}, "is longer than 255 bytes"},
		{Entry{Path: "nul\x00name", Mode: 0o644}, "NUL in name"},
		{Entry{Path: "f", Mode: 0o644, Size: 3}, "f: size 3 but no contents (Open is nil)"},
		{Entry{Path: "f", Mode: 0o644, Size: -1}, "f: negative size -1"},
		{Entry{Path: "bad\xff\x1b[2J", Mode: 0o644, Size: -1}, `"bad\xff\x1b[2J": negative size -1`},
		{Entry{Path: "l", Mode: fs.ModeSymlink | 0o777}, "l: symbolic link target of 0 bytes (1 to 1023)"},
		{Entry{Path: "l", Mode: fs.ModeSymlink | 0o777, Target: strings.Repeat("a", 1024)}, "symbolic link target of 1024 bytes"},
		{Entry{Path: "x", Mode: fs.ModeIrregular}, "unsupported file type"},
		{Entry{Path: "l", Mode: fs.ModeSymlink | 0o777, Target: "a\x00b"}, `l: symbolic link target "a\x00b" has a NUL byte`},
		{Entry{Path: "dev/big", Mode: fs.ModeDevice | fs.ModeCharDevice, Major: 300, Minor: 1},
			"dev/big: device 300, 1 does not fit OpenBSD's dev_t (major 0 to 255, minor 0 to 16777215)"},
		{Entry{Path: "dev/wide", Mode: fs.ModeDevice, Major: 4, Minor: 1 << 24},
			"dev/wide: device 4, 16777216 does not fit OpenBSD's dev_t (major 0 to 255, minor 0 to 16777215)"},
		{Entry{Path: ".", Mode: 0o644}, "root entry \".\" must be a directory"},
		{Entry{Path: "h", LinkTo: "../x"}, `h: hard link: path "../x": ".." element`},
	} {
		err := NewTree().Add(tc.e)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Add(%q): %v, want %q", tc.e.Path, err, tc.want)
		}
	}
	tr := NewTree()
	tr.Add(Entry{Path: "file", Mode: 0o644})
	if err := tr.Add(Entry{Path: "file/below", Mode: 0o644}); err == nil || !strings.Contains(err.Error(), "parent file is not a directory") {
		t.Errorf("under a file: %v", err)
	}
	if err := tr.Remove("nope"); err == nil || !strings.Contains(err.Error(), "remove nope: file does not exist") {
		t.Errorf("Remove(nope): %v", err)
	}
	if err := tr.Remove("/"); err == nil || !strings.Contains(err.Error(), "cannot remove the root") {
		t.Errorf("Remove(/): %v", err)
	}
}

func TestTreeReplaceAndImplicit(t *testing.T) {
	tr := NewTree()
	tr.Add(Entry{Path: "/usr/local/bin/tool", Mode: 0o755, Size: 2, Open: Bytes([]byte("hi"))})
	if e, ok := tr.Lookup("usr/local"); !ok || e.Mode != fs.ModeDir|0o755 || e.UID != 0 {
		t.Errorf("implied usr/local: %+v %v", e, ok)
	}
	// Replacing a directory with a directory keeps what is in it.
	tr.Add(Entry{Path: "usr", Mode: fs.ModeDir | 0o700, UID: 5})
	if _, ok := tr.Lookup("usr/local/bin/tool"); !ok {
		t.Error("replacing usr dropped its contents")
	}
	// Replacing it with a file drops them.
	tr.Add(Entry{Path: "usr/local", Mode: 0o644})
	if _, ok := tr.Lookup("usr/local/bin/tool"); ok {
		t.Error("usr/local/bin/tool survived usr/local becoming a file")
	}
	var paths []string
	tr.Walk(func(e Entry) error { paths = append(paths, e.Path); return nil })
	if got := strings.Join(paths, " "); got != ". usr usr/local" {
		t.Errorf("Walk: %s", got)
	}
}

func TestHardLinkErrors(t *testing.T) {
	for _, tc := range []struct {
		entries []Entry
		want    string
	}{
		{[]Entry{{Path: "h", LinkTo: "missing"}}, "h: hard link target missing is not in the tree"},
		{[]Entry{{Path: "d", Mode: fs.ModeDir | 0o755}, {Path: "h", LinkTo: "d"}}, "h: hard link to directory d"},
		{[]Entry{{Path: "a", LinkTo: "b"}, {Path: "b", LinkTo: "a"}}, "a: hard link target b is not in the tree"},
		{[]Entry{{Path: "a", Mode: 0o644}, {Path: "a", LinkTo: "a"}}, "a: hard link to itself"},
		{[]Entry{{Path: "a", Mode: 0o644}, {Path: ".", LinkTo: "a"}}, "root entry cannot be a hard link"},
		{[]Entry{{Path: "f", Mode: 0o644}, {Path: "f/x", LinkTo: "f"}}, "f/x: parent f is not a directory"},
	} {
		tr := NewTree()
		var err error
		for _, e := range tc.entries {
			if err = tr.Add(e); err != nil {
				break
			}
		}
		if err == nil || err.Error() != tc.want {
			t.Errorf("%+v: %v, want %q", tc.entries, err, tc.want)
		}
	}
	// A chain of links resolves to the file.
	tr := NewTree()
	tr.Add(Entry{Path: "f", Mode: 0o644, Size: 1, Open: Bytes([]byte("x"))})
	tr.Add(Entry{Path: "l1", LinkTo: "f"})
	tr.Add(Entry{Path: "l2", LinkTo: "l1"})
	data := buildBytes(t, tr, Options{Time: fixedTime})
	fsys, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	fi, err := fsys.Stat("l2")
	if err != nil || fi.Sys().(*Inode).Nlink != 3 {
		t.Errorf("l2: %v, %v", fi, err)
	}
}

// TestHardLinksBindAtAdd: a hard link names the file, not the path, so
// replacing or removing one name leaves the others with the old file;
// Walk gives the file to the first name it meets and Lookup resolves.
func TestHardLinksBindAtAdd(t *testing.T) {
	tr := NewTree()
	tr.Add(Entry{Path: "z/file", Mode: 0o640, UID: 3, Size: 3, Open: Bytes([]byte("old"))})
	tr.Add(Entry{Path: "a/link", LinkTo: "z/file"})
	tr.Add(Entry{Path: "m", LinkTo: "a/link"})
	tr.Add(Entry{Path: "z/file", Mode: 0o600, Size: 3, Open: Bytes([]byte("new"))})
	var got []string
	tr.Walk(func(e Entry) error {
		got = append(got, fmt.Sprintf("%s:%v:%d:%q", e.Path, e.Mode, e.UID, e.LinkTo))
		return nil
	})
	want := []string{`.:drwxr-xr-x:0:""`, `a:drwxr-xr-x:0:""`, `a/link:-rw-r-----:3:""`, `m:----------:0:"a/link"`,
		`z:drwxr-xr-x:0:""`, `z/file:-rw-------:0:""`}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Walk:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if e, ok := tr.Lookup("m"); !ok || e.Path != "m" || e.Mode != 0o640 || e.UID != 3 || e.LinkTo != "" || e.Size != 3 {
		t.Errorf("Lookup(m) = %+v, %v", e, ok)
	}
	tr.SetOwner(7, 8)
	if e, _ := tr.Lookup("a/link"); e.UID != 7 || e.GID != 8 {
		t.Errorf("SetOwner did not reach the linked file: %+v", e)
	}
	// Remove the first name: the others keep the file.
	tr.Remove("a/link")
	data := buildBytes(t, tr, Options{Time: fixedTime})
	fsys, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for p, w := range map[string]struct {
		body  string
		nlink int
	}{"m": {"old", 1}, "z/file": {"new", 1}} {
		b, err := fsys.ReadFile(p)
		fi, _ := fsys.Lstat(p)
		if err != nil || string(b) != w.body || fi.Sys().(*Inode).Nlink != w.nlink || fi.Sys().(*Inode).UID != 7 {
			t.Errorf("%s: %q, %v, %+v; want %q with %d links", p, b, err, fi.Sys(), w.body, w.nlink)
		}
	}
}

// lying returns an Open that yields n bytes, whatever the entry says.
func lying(n int) func() (io.ReadCloser, error) {
	return Bytes(bytes.Repeat([]byte("z"), n))
}

func TestContentsChangeWhileWriting(t *testing.T) {
	for _, tc := range []struct {
		size, real int
		want       string
	}{
		{100, 50, "f: shorter than its size of 100 bytes"},
		{100, 150, "f: longer than its size of 100 bytes"},
		{300000, 200000, "f: shorter than its size of 300000 bytes"},
		{300000, 300001, "f: longer than its size of 300000 bytes"},
	} {
		tr := NewTree()
		tr.Add(Entry{Path: "f", Mode: 0o644, Size: int64(tc.size), Open: lying(tc.real)})
		im, err := Build(tr, Options{Time: fixedTime})
		if err != nil {
			t.Fatal(err)
		}
		_, err = im.WriteTo(io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("size %d, contents %d: %v, want %q", tc.size, tc.real, err, tc.want)
		}
	}
	// An Open that returns neither a reader nor an error is an error.
	tr := NewTree()
	tr.Add(Entry{Path: "nil", Mode: 0o644, Size: 1, Open: func() (io.ReadCloser, error) { return nil, nil }})
	if im, err := Build(tr, Options{Time: fixedTime}); err != nil {
		t.Fatal(err)
	} else if _, err := im.WriteTo(io.Discard); err == nil || err.Error() != "nil: Open returned neither a reader nor an error" {
		t.Errorf("nil reader: %v", err)
	}
	// An Open error names the file.
	tr = NewTree()
	tr.Add(Entry{Path: "gone", Mode: 0o644, Size: 1, Open: func() (io.ReadCloser, error) { return nil, fs.ErrNotExist }})
	im, _ := Build(tr, Options{Time: fixedTime})
	if _, err := im.WriteTo(io.Discard); err == nil || err.Error() != "gone: file does not exist" {
		t.Errorf("Open error: %v", err)
	}
}

// TestReproducible: the same tree and options give the same bytes, a
// different time different ones (fs_id, inode generations, times).
func TestReproducible(t *testing.T) {
	tr, _ := genTree(t, treeSpec{files: 100, devices: true, edgeMax: 1024, tiny: true})
	for _, f := range []Format{FFS1, FFS2} {
		a := buildBytes(t, tr, Options{Format: f, Time: fixedTime})
		b := buildBytes(t, tr, Options{Format: f, Time: fixedTime})
		c := buildBytes(t, tr, Options{Format: f, Time: fixedTime.Add(time.Second)})
		if !bytes.Equal(a, b) {
			t.Errorf("%v: two builds differ", f)
		}
		if bytes.Equal(a, c) {
			t.Errorf("%v: builds at different times are equal", f)
		}
	}
}

func TestFixedSizeTooSmall(t *testing.T) {
	tr := NewTree()
	tr.Add(Entry{Path: "big", Mode: 0o644, Size: 5 << 20, Open: lying(5 << 20)})
	_, err := Build(tr, Options{Format: FFS1, Size: 4 << 20})
	// The size the message names fits, one block less does not.
	var need int64
	if err == nil {
		t.Fatal("a 5 MiB file fits in 4 MiB")
	}
	if _, serr := fmt.Sscanf(err.Error(), "the tree does not fit in 4194304 bytes (data does not fit: out of space); the smallest size that holds it is %d bytes", &need); serr != nil {
		t.Fatalf("got %v", err)
	}
	if _, err := Build(tr, Options{Format: FFS1, Size: need}); err != nil {
		t.Errorf("the size named, %d, does not fit: %v", need, err)
	}
	if _, err := Build(tr, Options{Format: FFS1, Size: need - 16384}); err == nil {
		t.Errorf("the size named, %d, is not the smallest", need)
	}
	tr = NewTree()
	for i := 0; i < 300; i++ {
		tr.Add(Entry{Path: strings.Repeat("n", 10) + string(rune('a'+i%26)) + strings.Repeat("x", i/26), Mode: 0o644})
	}
	_, err = Build(tr, Options{Format: FFS1, Size: 1 << 20, Density: 1 << 20})
	if _, serr := fmt.Sscanf(err.Error(), "the tree does not fit in 1048576 bytes (301 files need more than the 126 inodes); the smallest size that holds it is %d bytes", &need); serr != nil {
		t.Fatalf("too few inodes: %v", err)
	}
	if _, err := Build(tr, Options{Format: FFS1, Size: need, Density: 1 << 20}); err != nil {
		t.Errorf("the size named, %d, does not fit: %v", need, err)
	}
	if _, err := Build(tr, Options{Format: FFS1, Size: need - 16384, Density: 1 << 20}); err == nil {
		t.Errorf("the size named, %d, is not the smallest", need)
	}
}

// TestFFS1TimeRange: FFS1's 32-bit times take 1901-12-13T20:45:52Z to
// 2038-01-19T03:14:07Z; anything outside is an error naming the file
// and its time, never a time that wraps. FFS2 holds them all.
func TestFFS1TimeRange(t *testing.T) {
	first, last := time.Date(1901, 12, 13, 20, 45, 52, 0, time.UTC), time.Date(2038, 1, 19, 3, 14, 7, 999999999, time.UTC)
	const rng = "FFS1 holds 1901-12-13T20:45:52Z to 2038-01-19T03:14:07Z; use FFS2"
	for _, tc := range []struct {
		mtime, now time.Time
		want       string
	}{
		{first, fixedTime, ""},
		{last, fixedTime, ""},
		{first.Add(-time.Nanosecond), fixedTime, "etc/f: time 1901-12-13T20:45:51.999999999Z is out of range: " + rng},
		{last.Add(time.Nanosecond), fixedTime, "etc/f: time 2038-01-19T03:14:08Z is out of range: " + rng},
		{time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), fixedTime, "etc/f: time 2100-01-01T00:00:00Z is out of range: " + rng},
		{fixedTime, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC), "file system time 2100-01-01T00:00:00Z is out of range: " + rng},
	} {
		for _, f := range []Format{FFS1, FFS2} {
			tr := NewTree()
			tr.Add(Entry{Path: "etc/f", Mode: 0o644, ModTime: tc.mtime})
			data, err := func() ([]byte, error) {
				im, err := Build(tr, Options{Format: f, Time: tc.now})
				if err != nil {
					return nil, err
				}
				var b bytes.Buffer
				_, err = im.WriteTo(&b)
				return b.Bytes(), err
			}()
			if f == FFS1 && tc.want != "" {
				if err == nil || err.Error() != tc.want {
					t.Errorf("%v, mtime %v, time %v: %v, want %q", f, tc.mtime, tc.now, err, tc.want)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%v, mtime %v, time %v: %v", f, tc.mtime, tc.now, err)
			}
			fsys, err := Open(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			fi, err := fsys.Lstat("etc/f")
			if err != nil || !fi.ModTime().Equal(tc.mtime) {
				t.Errorf("%v: etc/f mtime %v, %v; want %v", f, fi.ModTime(), err, tc.mtime)
			}
			if di, _ := fsys.Lstat("etc"); !di.ModTime().Equal(tc.now) {
				t.Errorf("%v: implied etc has time %v, want %v", f, di.ModTime(), tc.now)
			}
		}
	}
}

// TestDeviceNumberLimits: the largest numbers OpenBSD's dev_t holds go
// in and come out whole; a host device with a larger major (Linux has
// them, nvme's 259) is refused by name, not truncated.
func TestDeviceNumberLimits(t *testing.T) {
	tr := NewTree()
	tr.Add(Entry{Path: "dev/max", Mode: fs.ModeDevice | fs.ModeCharDevice | 0o600, Major: 255, Minor: 0xffffff})
	data := buildBytes(t, tr, Options{Format: FFS1, Time: fixedTime})
	fsys, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	fi, err := fsys.Lstat("dev/max")
	if err != nil {
		t.Fatal(err)
	}
	if in := fi.Sys().(*Inode); Major(in.Rdev) != 255 || Minor(in.Rdev) != 0xffffff || in.Rdev != 0xffffffff {
		t.Errorf("dev/max: rdev %#x (%d, %d)", in.Rdev, Major(in.Rdev), Minor(in.Rdev))
	}
	dir := t.TempDir()
	if err := mknod(filepath.Join(dir, "nvme0n1"), fs.ModeDevice, 259, 0); err != nil {
		t.Skipf("mknod: %v", err)
	}
	err = NewTree().AddDir(dir)
	if want := "nvme0n1: device 259, 0 does not fit OpenBSD's dev_t (major 0 to 255, minor 0 to 16777215)"; err == nil || err.Error() != want {
		t.Errorf("AddDir: %v, want %s", err, want)
	}
}

// TestHardLinkedSpecialFiles: names that share the inode of a symlink,
// a FIFO or a device stay one inode with two links, from a host
// directory and through Rebuild, as makefs keeps them.
func TestHardLinkedSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	j := func(p string) string { return filepath.Join(dir, p) }
	if err := os.Symlink("target", j("sym")); err != nil {
		t.Fatal(err)
	}
	if err := mkfifo(j("fifo")); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	names := map[string]string{"sym": "sym2", "fifo": "fifo2"}
	if mknod(j("tty"), fs.ModeDevice|fs.ModeCharDevice|0o600, 8, 1) == nil {
		names["tty"] = "tty2"
	}
	for a, b := range names {
		// link(2) on Linux links a symlink itself, not its target.
		if err := os.Link(j(a), j(b)); err != nil {
			t.Fatal(err)
		}
	}
	tr := NewTree()
	if err := tr.AddDir(dir); err != nil {
		t.Fatal(err)
	}
	data := buildBytes(t, tr, Options{Format: FFS2, Time: fixedTime})
	var rebuilt bytes.Buffer
	if err := Rebuild(bytes.NewReader(data), int64(len(data)), &rebuilt, Edit{}); err != nil {
		t.Fatal(err)
	}
	for i, img := range [][]byte{data, rebuilt.Bytes()} {
		fsys, err := Open(bytes.NewReader(img), int64(len(img)))
		if err != nil {
			t.Fatal(err)
		}
		if err := fsys.Check(); err != nil {
			t.Fatal(err)
		}
		for a, b := range names {
			fa, err1 := fsys.Lstat(a)
			fb, err2 := fsys.Lstat(b)
			if err1 != nil || err2 != nil {
				t.Fatal(err1, err2)
			}
			ia, ib := fa.Sys().(*Inode), fb.Sys().(*Inode)
			if ia.Ino != ib.Ino || ia.Nlink != 2 || fa.Mode() != fb.Mode() || fa.Mode().Type() == 0 {
				t.Errorf("image %d: %s: inode %d, %d links, %v; %s: inode %d, %v", i, a, ia.Ino, ia.Nlink, fa.Mode(), b, ib.Ino, fb.Mode())
			}
		}
	}
}

// TestSocketsSkipped: AddDir leaves a socket out and lists it; Add
// takes one when asked.
func TestSocketsSkipped(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, "run"), 0o755)
	l, err := net.Listen("unix", filepath.Join(dir, "run", "s.sock"))
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	defer l.Close()
	os.WriteFile(filepath.Join(dir, "run", "z"), nil, 0o644)
	tr := NewTree()
	if err := tr.AddDir(dir); err != nil {
		t.Fatal(err)
	}
	if got := tr.Skipped(); !slices.Equal(got, []string{"run/s.sock"}) {
		t.Errorf("Skipped() = %q", got)
	}
	var paths []string
	tr.Walk(func(e Entry) error { paths = append(paths, e.Path); return nil })
	if got := strings.Join(paths, " "); got != ". run run/z" {
		t.Errorf("tree: %s", got)
	}
	if err := tr.Add(Entry{Path: "run/asked", Mode: fs.ModeSocket | 0o600}); err != nil {
		t.Errorf("Add of a socket: %v", err)
	}
}

// TestOptionErrors: options no file system could have are refused by
// name, before any work.
func TestOptionErrors(t *testing.T) {
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{Format: 3}, "unknown format 3 (FFS1 is 1, FFS2 is 2)"},
		{Options{Optimization: 7}, "unknown optimization 7"},
		{Options{BlockSize: -1}, "option BlockSize is negative (-1)"},
		{Options{FragSize: -512}, "option FragSize is negative (-512)"},
		{Options{Size: -1}, "option Size is negative (-1)"},
		{Options{FreeSpace: -1}, "option FreeSpace is negative (-1)"},
		{Options{FreeInodes: -1}, "option FreeInodes is negative (-1)"},
		{Options{Density: -1}, "option Density is negative (-1)"},
		{Options{MaxFragsPerCG: -1}, "option MaxFragsPerCG is negative (-1)"},
		{Options{MinFree: ptr(-5)}, "option MinFree: -5 is not a percentage from 0 to 99"},
		{Options{MinFree: ptr(100)}, "option MinFree: 100 is not a percentage from 0 to 99"},
	} {
		_, err := Build(NewTree(), tc.opts)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%+v: %v, want %q", tc.opts, err, tc.want)
		}
	}
}
