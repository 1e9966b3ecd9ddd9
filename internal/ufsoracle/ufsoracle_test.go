package ufsoracle

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/fugu-tool/fugu/internal/testenv"
)

func TestParse(t *testing.T) {
	out := "noise before\n@@DISK 0\n" +
		"@@S 41ed 0 0 3 512 1700000000 0 0 .\n" +
		"@@S 81a4 7 11 2 5 1700000001 0 0 ./a file\n" +
		"@@S a1ff 0 0 1 3 1700000002 0 0 ./l\n" +
		"@@S 21b6 0 5 1 0 1700000003 2 2 ./null\n" +
		"@@H 5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03  ./a file\n" +
		"@@L ./l\ta file\n" +
		"@@DISK 1\n@@MOUNTFAIL mount: invalid argument ufs: ufs_fill_super(): bad magic\n@@END\n"
	ls, err := parse([]byte(out), 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []Listing{{Files: []File{
		{Path: ".", Mode: 0o40755, Nlink: 3, Size: 512, Mtime: 1700000000},
		{Path: "a file", Mode: 0o100644, UID: 7, GID: 11, Nlink: 2, Size: 5, Mtime: 1700000001,
			SHA256: "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"},
		{Path: "l", Mode: 0o120777, Nlink: 1, Size: 3, Mtime: 1700000002, Target: "a file"},
		{Path: "null", Mode: 0o20666, GID: 5, Nlink: 1, Mtime: 1700000003, Major: 2, Minor: 2},
	}}, {Err: "mount: invalid argument ufs: ufs_fill_super(): bad magic"}}
	if !reflect.DeepEqual(ls, want) {
		t.Errorf("parse:\n got %+v\nwant %+v", ls, want)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, out, want string }{
		{"no end", "@@DISK 0\n@@S 41ed 0 0 3 512 1 0 0 .\n", "no @@END"},
		{"disk out of range", "@@DISK 3\n@@END\n", "bad disk number"},
		{"missing disk", "@@DISK 0\n@@END\n", "no output for disk 1"},
		{"short stat", "@@DISK 0\n@@S 41ed 0 0\n@@END\n", "short stat line"},
		{"bad number", "@@DISK 0\n@@S zz 0 0 3 512 1 0 0 .\n@@END\n", "bad number"},
		{"orphan checksum", "@@DISK 0\n@@H " + strings.Repeat("0", 64) + "  ./x\n@@END\n", "checksum of a file not listed"},
		{"unknown record", "@@DISK 0\n@@Q\n@@END\n", "unknown record"},
	} {
		n := 2
		if tc.name != "missing disk" {
			n = 1
		}
		_, err := parse([]byte(tc.out), n)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestCpio checks the initramfs writer against GNU cpio.
func TestCpio(t *testing.T) {
	cpio := testenv.Tool(t, "cpio", "cpio")
	var w cpioWriter
	w.dir("bin")
	w.file("bin/hello", 0o755, []byte("#!/bin/sh\necho hi\n"))
	w.file("odd-length-name", 0o644, []byte("x"))
	dir := t.TempDir()
	cmd := exec.Command(cpio, "-i", "-d", "--quiet")
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(w.finish())
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("cpio -i: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "bin", "hello"))
	if err != nil || string(b) != "#!/bin/sh\necho hi\n" {
		t.Fatalf("bin/hello: %q, %v", b, err)
	}
	fi, err := os.Stat(filepath.Join(dir, "bin", "hello"))
	if err != nil || fi.Mode().Perm() != 0o755 {
		t.Fatalf("bin/hello mode %v, %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "odd-length-name")); string(b) != "x" {
		t.Fatalf("odd-length-name: %q", b)
	}
}
