package ufsoracle

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fugu-tool/fugu/internal/testenv"
)

// hexOf is the guest's hex encoding (od -An -v -tx1 | tr -d ' \n').
func hexOf(s string) string { return hex.EncodeToString([]byte(s)) }

const sumA = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"
const sumB = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// guestOut is a disk's listing as listScript prints it: a root, a file
// with a space, a file named with a newline and a byte that is not
// UTF-8 and a time before 1970, a symlink whose target has a newline,
// and a device.
var guestOut = "@@N " + hexOf(".\x00./a file\x00./new\nline\xff\x00./l\x00./null\x00") + "\n" +
	"@@S 41ed 0 0 3 512 1700000000 0 0\n" +
	"@@S 81a4 7 11 2 5 1700000001 0 0\n" +
	"@@S 81a4 0 0 1 0 -2147483648 0 0\n" +
	"@@S a1ff 0 0 1 6 1700000002 0 0\n" +
	"@@S 21b6 0 5 1 0 1700000003 2 2\n" +
	"@@F " + hexOf("./a file\x00./new\nline\xff\x00") + "\n" +
	"@@H " + hexOf(sumA+"  ./a file\n"+sumB+"  ./new\nline\xff\n") + "\n" +
	"@@LN " + hexOf("./l\x00") + "\n" +
	"@@LT " + hexOf("a\nfile\n\x00") + "\n"

func TestParse(t *testing.T) {
	out := "noise before\n@@DISK 0\n" + guestOut +
		"@@DISK 1\n@@MOUNTFAIL mount: invalid argument ufs: ufs_fill_super(): bad magic\n@@END\n"
	ls, err := parse([]byte(out), 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []Listing{{Files: []File{
		{Path: ".", Mode: 0o40755, Nlink: 3, Size: 512, Mtime: 1700000000},
		{Path: "a file", Mode: 0o100644, UID: 7, GID: 11, Nlink: 2, Size: 5, Mtime: 1700000001, SHA256: sumA},
		{Path: "l", Mode: 0o120777, Nlink: 1, Size: 6, Mtime: 1700000002, Target: "a\nfile"},
		{Path: "new\nline\xff", Mode: 0o100644, Nlink: 1, Mtime: -2147483648, SHA256: sumB},
		{Path: "null", Mode: 0o20666, GID: 5, Nlink: 1, Mtime: 1700000003, Major: 2, Minor: 2},
	}}, {Err: "mount: invalid argument ufs: ufs_fill_super(): bad magic"}}
	if !reflect.DeepEqual(ls, want) {
		t.Errorf("parse:\n got %+v\nwant %+v", ls, want)
	}
}

func TestParseErrors(t *testing.T) {
	ok := "@@F \n@@H \n@@LN \n@@LT \n"
	for _, tc := range []struct{ name, out, want string }{
		{"no end", "@@DISK 0\n@@N 2e00\n@@S 41ed 0 0 3 512 1 0 0\n", "no @@END"},
		{"disk out of range", "@@DISK 3\n@@END\n", "bad disk number"},
		{"missing disk", "@@DISK 0\n@@END\n", "no output for disk 1"},
		{"short stat", "@@DISK 0\n@@S 41ed 0 0\n@@END\n", "stat line without 8 fields"},
		{"bad number", "@@DISK 0\n@@S zz 0 0 3 512 1 0 0\n@@END\n", "bad number"},
		{"bad hex", "@@DISK 0\n@@N 2e0\n@@END\n", "bad hex"},
		{"missing record", "@@DISK 0\n@@N 2e00\n@@S 41ed 0 0 3 512 1 0 0\n@@END\n", "disk 0: no @@F record"},
		{"names and stats", "@@DISK 0\n@@N 2e00\n" + ok + "@@END\n", "disk 0: 1 names but 0 stat lines"},
		{"orphan checksum", "@@DISK 0\n@@N 2e00\n@@S 41ed 0 0 3 512 1 0 0\n@@F " + hexOf("./x\x00") + "\n@@H " +
			hexOf(sumA+"  ./x\n") + "\n@@LN \n@@LT \n@@END\n", `checksum of "./x" missing or out of order`},
		{"extra checksum", "@@DISK 0\n@@N 2e00\n@@S 41ed 0 0 3 512 1 0 0\n@@F \n@@H " + hexOf(sumA+"  ./x\n") +
			"\n@@LN \n@@LT \n@@END\n", "70 bytes of checksums left over"},
		{"link targets", "@@DISK 0\n@@N 2e00\n@@S 41ed 0 0 3 512 1 0 0\n@@F \n@@H \n@@LN " + hexOf("./l\x00") +
			"\n@@LT \n@@END\n", "1 links but 0 targets"},
		{"empty name", "@@DISK 0\n@@N 0000\n@@S 41ed 0 0 3 512 1 0 0\n@@S 41ed 0 0 3 512 1 0 0\n" + ok + "@@END\n", "disk 0: an empty name"},
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

// TestListScript runs the guest's lister with the host's busybox on a
// tree with the names and times the parser must survive.
func TestListScript(t *testing.T) {
	bb, err := StaticBusybox()
	if err != nil {
		testenv.Missing(t, "%v", err)
	}
	dir := t.TempDir()
	weird := "new\nline \xff\xfe\x1b[31m"
	for name, body := range map[string]string{"a file": "hello", weird: ""} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("tar\nget", filepath.Join(dir, "l")); err != nil {
		t.Fatal(err)
	}
	old := time.Date(1901, 12, 13, 20, 45, 52, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(dir, weird), old, old); err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	for _, applet := range []string{"sh", "od", "tr", "find", "xargs", "stat", "sha256sum", "readlink", "printf", "echo"} {
		if err := os.Symlink(bb, filepath.Join(bin, applet)); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(bb, "sh", "-c", listScript)
	cmd.Dir = dir
	cmd.Env = []string{"PATH=" + bin}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		t.Fatalf("listScript: %v\n%s", err, stderr.String())
	}
	ls, err := parse(append([]byte("@@DISK 0\n"), append(out, "@@END\n"...)...), 1)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range ls[0].Files {
		got = append(got, fmt.Sprintf("%q %o %d %.8s %q", f.Path, f.Mode&0o170000, f.Size, f.SHA256, f.Target))
		if f.Path == weird && f.Mtime != old.Unix() {
			t.Errorf("%q: mtime %d, want %d", f.Path, f.Mtime, old.Unix())
		}
	}
	want := []string{`"." 40000 ` + fmt.Sprint(ls[0].Files[0].Size) + `  ""`, `"a file" 100000 5 2cf24dba ""`,
		`"l" 120000 7  "tar\nget"`, `"new\nline \xff\xfe\x1b[31m" 100000 0 e3b0c442 ""`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("listing:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
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

// FuzzParse feeds the guest-output parser arbitrary bytes: an error or
// a listing, never a panic.
func FuzzParse(f *testing.F) {
	f.Add([]byte("@@DISK 0\n" + guestOut + "@@END\n"))
	f.Add([]byte("@@DISK 0\n@@MOUNTFAIL bad magic\n@@END\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		ls, err := parse(raw, 1)
		if err != nil {
			return
		}
		for _, fl := range ls[0].Files {
			if fl.Path == "" {
				t.Fatalf("empty path in %+v", ls[0].Files)
			}
		}
	})
}
