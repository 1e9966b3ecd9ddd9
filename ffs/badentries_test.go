package ffs

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fugu-tool/fugu/internal/testenv"
)

// badEntriesImage is an FFS1 image with symbolic links the reader and
// Check must both refuse (1024 bytes, empty, a NUL in the target), one
// of 1023 bytes both must take, and an inode of no known type, between
// good files.
func badEntriesImage(t *testing.T) []byte {
	t.Helper()
	tr := NewTree()
	sym := func(p, target string) {
		tr.Add(Entry{Path: p, Mode: fs.ModeSymlink | 0o777, Target: target, ModTime: fixedTime})
	}
	tr.Add(Entry{Path: "a-ok", Mode: 0o644, Size: 3, Open: Bytes([]byte("ok\n")), ModTime: fixedTime})
	sym("l-1023", strings.Repeat("x", 1023))
	sym("l-1024", strings.Repeat("y", 1000))
	sym("l-empty", "e")
	sym("l-nul", "ab")
	tr.Add(Entry{Path: "z-badtype", Mode: 0o644, ModTime: fixedTime})
	tr.Add(Entry{Path: "z-ok", Mode: 0o644, Size: 3, Open: Bytes([]byte("ok\n")), ModTime: fixedTime})
	m := openImg(t, buildBytes(t, tr, Options{Format: FFS1, Time: fixedTime}))
	setSize := func(p string, size uint64) { le.PutUint64(m.data[m.inodeOff(m.ino(p))+d1Size:], size) }
	// l-1024: 1024 bytes of 'y' in its (2048-byte) fragment.
	off := int64(le.Uint32(m.data[m.dbOff(m.ino("l-1024"), 0):])) * int64(m.fsys.sb.fsize)
	copy(m.data[off:off+1024], strings.Repeat("y", 1024))
	setSize("l-1024", 1024)
	setSize("l-empty", 0)
	m.data[m.inodeOff(m.ino("l-nul"))+d1Db+1] = 0
	le.PutUint16(m.data[m.inodeOff(m.ino("z-badtype"))+d1Mode:], 0o070644)
	return m.data
}

// TestBadEntries: the reader and Check agree on what is bad; a walk
// lists every good file and reports each bad one; Rebuild names the
// first bad one and gets past it when the edit removes them.
func TestBadEntries(t *testing.T) {
	data := badEntriesImage(t)
	fsys, err := Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	err = fsys.Walk(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			got = append(got, "walk error: "+err.Error())
			return nil
		}
		if _, err := d.Info(); err != nil {
			got = append(got, p+": "+err.Error())
			return nil
		}
		if d.Type() == fs.ModeSymlink {
			target, err := fsys.ReadLink(p)
			if err != nil {
				got = append(got, err.Error())
				return nil
			}
			got = append(got, fmt.Sprintf("%s -> %d bytes", p, len(target)))
			return nil
		}
		got = append(got, p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		".",
		"a-ok",
		"l-1023 -> 1023 bytes",
		"readlink l-1024: symlink inode 5: symbolic link of 1024 bytes (OpenBSD's are 1 to 1023)",
		"readlink l-empty: symlink inode 6: symbolic link of 0 bytes (OpenBSD's are 1 to 1023)",
		`readlink l-nul: symlink inode 7: symbolic link target "a\x00" has a NUL byte`,
		"z-badtype: inode 8: unknown file type 070000",
		"z-ok",
	}
	if !slices.Equal(got, want) {
		t.Errorf("walk:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var cerr *CheckError
	if err := fsys.Check(); !errors.As(err, &cerr) {
		t.Fatalf("Check: %v", err)
	}
	wantProblems := []string{
		"inode 5: symbolic link of 1024 bytes (OpenBSD's are 1 to 1023)",
		"inode 6: symbolic link of 0 bytes (OpenBSD's are 1 to 1023)",
		`inode 7: symbolic link target "a\x00" has a NUL byte`,
		"inode 8: unknown type 070000",
		`directory inode 2: entry "z-badtype" has d_type 8, inode 8 has type 7`,
	}
	if !slices.Equal(cerr.Problems, wantProblems) {
		t.Errorf("Check:\n%s\nwant\n%s", strings.Join(cerr.Problems, "\n"), strings.Join(wantProblems, "\n"))
	}

	var out bytes.Buffer
	err = Rebuild(bytes.NewReader(data), int64(len(data)), &out, Edit{})
	if want := "reading the old tree: readlink l-1024: symlink inode 5: symbolic link of 1024 bytes (OpenBSD's are 1 to 1023) (Edit.Remove can leave it out)"; err == nil || err.Error() != want {
		t.Errorf("Rebuild: %v\nwant %s", err, want)
	}
	ed := Edit{Remove: []string{"l-1024", "l-empty", "l-nul", "z-badtype"}}
	if err := Rebuild(bytes.NewReader(data), int64(len(data)), &out, ed); err != nil {
		t.Fatal(err)
	}
	re, err := Open(bytes.NewReader(out.Bytes()), int64(out.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if err := re.Check(); err != nil {
		t.Fatal(err)
	}
	ents, err := re.ReadDir(".")
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if err != nil || strings.Join(names, " ") != "a-ok l-1023 z-ok" {
		t.Errorf("rebuilt: %v, %v", names, err)
	}
}

// TestLongSymlinkMakefs: makefs on Linux copies a symlink of 1024 bytes,
// which OpenBSD's symlink(2) could not make: the reader and Check both
// report it and the rest of the image reads.
func TestLongSymlinkMakefs(t *testing.T) {
	makefs := testenv.Tool(t, "makefs", "makefs")
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "file"), []byte("f\n"), 0o644)
	if err := os.Symlink(strings.Repeat("s", 1024), filepath.Join(src, "s1024")); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(t.TempDir(), "makefs.img")
	cmd := exec.Command(makefs, "-t", "ffs", "-B", "le", "-s", "1m", "-o", "version=2", img, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("makefs: %v\n%s", err, out)
	}
	fsys, err := OpenFile(img)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	fi, err := fsys.Lstat("s1024")
	if err != nil {
		t.Fatal(err)
	}
	ino := fi.Sys().(*Inode).Ino
	if _, err := fsys.ReadLink("s1024"); err == nil ||
		err.Error() != fmt.Sprintf("readlink s1024: symlink inode %d: symbolic link of 1024 bytes (OpenBSD's are 1 to 1023)", ino) {
		t.Errorf("ReadLink: %v", err)
	}
	var cerr *CheckError
	if err := fsys.Check(); !errors.As(err, &cerr) ||
		!slices.Equal(cerr.Problems, []string{fmt.Sprintf("inode %d: symbolic link of 1024 bytes (OpenBSD's are 1 to 1023)", ino)}) {
		t.Errorf("Check: %v", err)
	}
	if b, err := fsys.ReadFile("file"); err != nil || string(b) != "f\n" {
		t.Errorf("file: %q, %v", b, err)
	}
}

// TestSizeBeyondMaxFile: an inode claiming more bytes than the file
// system allows (fs_maxfilesize) is refused by the reader, as by Check,
// instead of read as endless zeros.
func TestSizeBeyondMaxFile(t *testing.T) {
	tr := NewTree()
	tr.Add(Entry{Path: "d/huge", Mode: 0o644, Size: 3, Open: Bytes([]byte("abc")), ModTime: fixedTime})
	tr.Add(Entry{Path: "d/ok", Mode: 0o644, ModTime: fixedTime})
	m := openImg(t, buildBytes(t, tr, Options{Format: FFS2, Time: fixedTime}))
	max := m.fsys.sb.maxfile
	le.PutUint64(m.data[m.inodeOff(m.ino("d/huge"))+d2Size:], max+1)
	fsys, err := Open(bytes.NewReader(m.data), int64(len(m.data)))
	if err != nil {
		t.Fatal(err)
	}
	problem := fmt.Sprintf("inode 4: size %d beyond fs_maxfilesize %d", max+1, max)
	if _, err := fsys.Lstat("d/huge"); err == nil || err.Error() != "lstat d/huge: "+problem {
		t.Errorf("Lstat: %v", err)
	}
	if _, err := fsys.Open("d/huge"); err == nil || err.Error() != "open d/huge: "+problem {
		t.Errorf("Open: %v", err)
	}
	ents, err := fsys.ReadDir("d")
	if err != nil || len(ents) != 2 || ents[0].Type() != fs.ModeIrregular || ents[1].Name() != "ok" {
		t.Fatalf("ReadDir: %v, %v", ents, err)
	}
	if _, err := ents[0].Info(); err == nil || err.Error() != problem {
		t.Errorf("Info: %v", err)
	}
	// Check says so first, then that the file's fragment is unclaimed.
	var cerr *CheckError
	if err := fsys.Check(); !errors.As(err, &cerr) || cerr.Problems[0] != problem ||
		cerr.Problems[1] != "cg 0: fragment 74 is free but the free map says in use" {
		t.Errorf("Check: %v", err)
	}
}
