package ffs

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/fugu-tool/fugu/internal/testenv"
)

// Names that are legal on FFS (any bytes but '/' and NUL) and not UTF-8.
const (
	badFile = "bad\xff\xfename"
	badDir  = "dir\xe9"
	badLink = "l\x80"
)

// badNamesDir makes a host directory with names that are not UTF-8: a
// file, a directory holding a file, and a symlink whose target is one.
func badNamesDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for p, body := range map[string]string{badFile: "bad\n", "ok": "ok\n", badDir + "/inner": "inner\n"} {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, p)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, p), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(badFile, filepath.Join(dir, badLink)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// rawListing lists every path under the RawNames view with its
// contents or link target.
func rawListing(t *testing.T, fsys *FS) []string {
	t.Helper()
	raw := fsys.RawNames()
	var got []string
	err := fs.WalkDir(raw, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		s := p + " " + d.Type().String()
		switch d.Type() {
		case 0:
			b, err := raw.ReadFile(p)
			if err != nil {
				return err
			}
			s += " " + string(b)
		case fs.ModeSymlink:
			target, err := raw.ReadLink(p)
			if err != nil {
				return err
			}
			s += " -> " + target
		}
		got = append(got, s)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

var badNamesListing = []string{
	". d---------",
	badFile + " ---------- bad\n",
	badDir + " d---------",
	badDir + "/inner ---------- inner\n",
	badLink + " L--------- -> " + badFile,
	"ok ---------- ok\n",
}

// TestNonUTF8Names: names that are not UTF-8 go from a host directory
// into an image and through Rebuild byte for byte; RawNames reads them;
// the io/fs methods leave them out with ErrNameNotUTF8 and refuse them
// as paths.
func TestNonUTF8Names(t *testing.T) {
	tr := NewTree()
	if err := tr.AddDir(badNamesDir(t)); err != nil {
		t.Fatal(err)
	}
	data := buildBytes(t, tr, Options{Format: FFS1, Time: fixedTime})
	fsys, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	if err := fsys.Check(); err != nil {
		t.Fatal(err)
	}
	if got := rawListing(t, fsys); !slices.Equal(got, badNamesListing) {
		t.Errorf("raw listing:\n%q\nwant\n%q", got, badNamesListing)
	}
	// The io/fs view: the UTF-8 names, then the error naming the others.
	ents, err := fsys.ReadDir(".")
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	const wantErr = `readdir .: names that are not UTF-8 left out (FS.RawNames lists them): ["bad\xff\xfename" "dir\xe9" "l\x80"]`
	if !errors.Is(err, ErrNameNotUTF8) || err.Error() != wantErr || !slices.Equal(names, []string{"ok"}) {
		t.Errorf("ReadDir(.) = %q, %v; want [ok], %s", names, err, wantErr)
	}
	d, _ := fsys.Open(".")
	first, err1 := d.(fs.ReadDirFile).ReadDir(1)
	_, err2 := d.(fs.ReadDirFile).ReadDir(1)
	_, err3 := d.(fs.ReadDirFile).ReadDir(1)
	if len(first) != 1 || first[0].Name() != "ok" || err1 != nil || err2 == nil || err2.Error() != wantErr || err3 != io.EOF {
		t.Errorf("ReadDir(1) three times: %v %v, %v, %v", first, err1, err2, err3)
	}
	for _, op := range []func(string) error{
		func(p string) error { _, err := fsys.Open(p); return err },
		func(p string) error { _, err := fsys.Lstat(p); return err },
		func(p string) error { _, err := fsys.ReadLink(p); return err },
	} {
		if err := op(badFile); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("io/fs method on %q: %v, want ErrInvalid", badFile, err)
		}
	}
	for _, p := range []string{"", "a//b", "./a", "a/..", "nul\x00"} {
		if _, err := fsys.RawNames().Lstat(p); !errors.Is(err, fs.ErrInvalid) {
			t.Errorf("RawNames().Lstat(%q): %v, want ErrInvalid", p, err)
		}
	}

	// Rebuild keeps them and edits them.
	var out bytes.Buffer
	ed := Edit{Remove: []string{badDir + "/inner"}, Put: []Entry{{Path: "new\xfe", Mode: 0o644, Size: 4, Open: Bytes([]byte("new\n")), ModTime: fixedTime}}}
	if err := Rebuild(bytes.NewReader(data), int64(len(data)), &out, ed); err != nil {
		t.Fatal(err)
	}
	re, err := Open(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{". d---------", badFile + " ---------- bad\n", badDir + " d---------", badLink + " L--------- -> " + badFile,
		"new\xfe ---------- new\n", "ok ---------- ok\n"}
	if got := rawListing(t, re); !slices.Equal(got, want) {
		t.Errorf("rebuilt raw listing:\n%q\nwant\n%q", got, want)
	}
}

// TestNonUTF8NamesMakefs reads and rebuilds an image makefs made from
// the same host directory.
func TestNonUTF8NamesMakefs(t *testing.T) {
	makefs := testenv.Tool(t, "makefs", "makefs")
	img := filepath.Join(t.TempDir(), "makefs.img")
	cmd := exec.Command(makefs, "-t", "ffs", "-B", "le", "-s", "1m", "-o", "version=1", img, badNamesDir(t))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("makefs: %v\n%s", err, out)
	}
	fsys, err := OpenFile(img)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	if got := rawListing(t, fsys); !slices.Equal(got, badNamesListing) {
		t.Errorf("raw listing:\n%q\nwant\n%q", got, badNamesListing)
	}
	out := filepath.Join(t.TempDir(), "rebuilt.img")
	if err := RebuildFile(img, out, Edit{Time: time.Unix(1e9, 0)}); err != nil {
		t.Fatal(err)
	}
	re, err := OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer re.Close()
	if got := rawListing(t, re); !slices.Equal(got, badNamesListing) {
		t.Errorf("rebuilt raw listing:\n%q\nwant\n%q", got, badNamesListing)
	}
	if err := re.Check(); err != nil {
		t.Fatal(err)
	}
}
