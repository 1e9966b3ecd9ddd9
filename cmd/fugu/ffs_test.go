package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fugu-tool/fugu/ffs"
	"github.com/fugu-tool/fugu/internal/testenv"
)

// ffsFixture writes a small FFS1 image with every kind of entry and
// fixed times, and returns its path.
func ffsFixture(t *testing.T) string {
	t.Helper()
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	tr := ffs.NewTree()
	for _, e := range []ffs.Entry{
		{Path: ".", Mode: fs.ModeDir | 0o755, ModTime: at},
		{Path: "etc", Mode: fs.ModeDir | 0o755, ModTime: at},
		{Path: "etc/motd", Mode: 0o644, UID: 0, GID: 0, Size: 6, Open: ffs.Bytes([]byte("hello\n")), ModTime: at},
		{Path: "etc/hard", LinkTo: "etc/motd"},
		{Path: "bin", Mode: fs.ModeDir | 0o755, ModTime: at},
		{Path: "bin/su", Mode: fs.ModeSetuid | 0o555, UID: 0, GID: 7, ModTime: at},
		{Path: "tmp", Mode: fs.ModeDir | fs.ModeSticky | 0o777, ModTime: at},
		{Path: "dev", Mode: fs.ModeDir | 0o755, ModTime: at},
		{Path: "dev/null", Mode: fs.ModeDevice | fs.ModeCharDevice | 0o666, Major: 2, Minor: 2, ModTime: at},
		{Path: "dev/fifo", Mode: fs.ModeNamedPipe | 0o600, ModTime: at},
		{Path: "dev/wd0a", Mode: fs.ModeDevice | 0o640, GID: 5, Major: 0, Minor: 0, ModTime: at},
		{Path: "motd", Mode: fs.ModeSymlink | 0o755, Target: "etc/motd", ModTime: at},
		{Path: "abs", Mode: fs.ModeSymlink | 0o755, Target: "/etc/motd", ModTime: at},
		{Path: "dangling", Mode: fs.ModeSymlink | 0o755, Target: "nowhere", ModTime: at},
		{Path: "etclink", Mode: fs.ModeSymlink | 0o755, Target: "etc", ModTime: at},
	} {
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	im, err := ffs.Build(tr, ffs.Options{Format: ffs.FFS1, Time: at})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "fixture.img")
	if err := im.WriteFile(p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFFSLs(t *testing.T) {
	img := ffsFixture(t)
	code, out, errOut := hwRun("", "ffs", "ls", img)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := `drwxr-xr-x   6     0     0        512 2024-01-02 03:04:05 .
lrwxr-xr-x   1     0     0          9 2024-01-02 03:04:05 abs -> /etc/motd
drwxr-xr-x   2     0     0        512 2024-01-02 03:04:05 bin
-r-sr-xr-x   1     0     7          0 2024-01-02 03:04:05 bin/su
lrwxr-xr-x   1     0     0          7 2024-01-02 03:04:05 dangling -> nowhere
drwxr-xr-x   2     0     0        512 2024-01-02 03:04:05 dev
prw-------   1     0     0          0 2024-01-02 03:04:05 dev/fifo
crw-rw-rw-   1     0     0       2, 2 2024-01-02 03:04:05 dev/null
brw-r-----   1     0     5       0, 0 2024-01-02 03:04:05 dev/wd0a
drwxr-xr-x   2     0     0        512 2024-01-02 03:04:05 etc
-rw-r--r--   2     0     0          6 2024-01-02 03:04:05 etc/hard
-rw-r--r--   2     0     0          6 2024-01-02 03:04:05 etc/motd
lrwxr-xr-x   1     0     0          3 2024-01-02 03:04:05 etclink -> etc
lrwxr-xr-x   1     0     0          8 2024-01-02 03:04:05 motd -> etc/motd
drwxrwxrwt   2     0     0        512 2024-01-02 03:04:05 tmp
`
	if out != want {
		t.Errorf("ffs ls:\n%s\nwant:\n%s", out, want)
	}
	code, out, _ = hwRun("", "ffs", "ls", img, "/dev/")
	if code != 0 || strings.Count(out, "\n") != 4 || !strings.HasSuffix(out, " dev/wd0a\n") {
		t.Errorf("ffs ls IMAGE /dev/: exit %d\n%s", code, out)
	}
	// A symbolic link is listed as itself, as ls -l does, whether its
	// target is a file, a directory, absolute or missing.
	for _, p := range []string{"motd", "etclink", "abs", "dangling"} {
		code, out, errOut := hwRun("", "ffs", "ls", img, p)
		wantLine := ""
		for _, l := range strings.SplitAfter(want, "\n") {
			if strings.Contains(l, " "+p+" -> ") {
				wantLine = l
			}
		}
		if code != 0 || out != wantLine {
			t.Errorf("ffs ls IMAGE %s: exit %d, %q, %s; want %q", p, code, out, errOut, wantLine)
		}
	}
}

func TestFFSCatAndCheck(t *testing.T) {
	img := ffsFixture(t)
	for _, p := range []string{"etc/motd", "/etc/hard", "motd", "./etc/motd", "etc/motd/", "//etc/./hard", "abs"} {
		code, out, errOut := hwRun("", "ffs", "cat", img, p)
		if code != 0 || out != "hello\n" {
			t.Errorf("ffs cat %s: exit %d, %q, %s", p, code, out, errOut)
		}
	}
	for _, tc := range []struct {
		args []string
		code int
		err  string
	}{
		{[]string{"ffs", "cat", img, "etc"}, 1, "etc: is a directory"},
		{[]string{"ffs", "cat", img, "dev/null"}, 1, "fugu ffs: dev/null: not a regular file (crw-rw-rw-)\n"},
		{[]string{"ffs", "cat", img, "dev/fifo"}, 1, "fugu ffs: dev/fifo: not a regular file (prw-------)\n"},
		{[]string{"ffs", "cat", img, "etc/../etc/motd"}, 2, `fugu ffs: etc/../etc/motd: ".." is not taken in a path in the image`},
		{[]string{"ffs", "ls", img, "-o", "x"}, 2, "fugu ffs: ffs ls does not take -o\n"},
		{[]string{"ffs", "cat", img, "etc/motd", "--ffs1", "-m", "3"}, 2, "fugu ffs: ffs cat does not take --ffs1, -m\n"},
		{[]string{"ffs", "mkfs", "-o", "x.img", "--offset", "5", "dir"}, 2, "fugu ffs: ffs mkfs does not take --offset\n"},
		{[]string{"ffs", "cat", img, "nope"}, 1, "file does not exist"},
		{[]string{"ffs", "cat", img}, 2, "ffs cat takes 2 to 2 arguments, not 1"},
		{[]string{"ffs", "ls", "/no/such.img"}, 1, "no such file or directory"},
		{[]string{"ffs", "ls", img, "--offset", "8x"}, 2, "--offset"},
		{[]string{"ffs", "frob", img}, 2, `unknown ffs command "frob"`},
		{[]string{"ffs", "mkfs", "dir"}, 2, "mkfs needs -o IMAGE"},
	} {
		code, _, errOut := hwRun("", tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.err) {
			t.Errorf("fugu %s: exit %d, %q; want exit %d with %q", strings.Join(tc.args, " "), code, errOut, tc.code, tc.err)
		}
	}
	code, out, errOut := hwRun("", "ffs", "check", img)
	if code != 0 || !strings.HasSuffix(out, ": clean\n") || !strings.Contains(out, "FFS1") {
		t.Errorf("ffs check: exit %d, %q, %s", code, out, errOut)
	}
	// Damage the free block count of cylinder group 0: check says so.
	data, _ := os.ReadFile(img)
	fsys, _ := ffs.Open(bytes.NewReader(data), int64(len(data)))
	cg := int64(fsys.Info().FragSize) * 16 // cblkno of a 16K/2K FFS1: fragment 16
	data[cg+28]++                          // cg_cs.cs_nbfree
	bad := filepath.Join(t.TempDir(), "bad.img")
	os.WriteFile(bad, data, 0o644)
	code, _, errOut = hwRun("", "ffs", "check", bad)
	if code != 1 || !strings.Contains(errOut, "cg 0: cg_cs") {
		t.Errorf("ffs check of a damaged image: exit %d, %s", code, errOut)
	}
}

// TestFFSOffset reads a file system that starts inside a bigger file.
func TestFFSOffset(t *testing.T) {
	img := ffsFixture(t)
	data, _ := os.ReadFile(img)
	disk := filepath.Join(t.TempDir(), "disk.img")
	os.WriteFile(disk, append(make([]byte, 1<<20), data...), 0o644)
	code, out, errOut := hwRun("", "ffs", "cat", "--offset", "1m", disk, "etc/motd")
	if code != 0 || out != "hello\n" {
		t.Errorf("ffs cat --offset 1m: exit %d, %q, %s", code, out, errOut)
	}
	code, _, errOut = hwRun("", "ffs", "ls", "--offset", "0", disk)
	if code != 1 || !strings.Contains(errOut, "no FFS superblock found") {
		t.Errorf("ffs ls at the wrong offset: exit %d, %s", code, errOut)
	}
}

func TestFFSMkfs(t *testing.T) {
	src := t.TempDir()
	os.MkdirAll(filepath.Join(src, "etc"), 0o755)
	os.WriteFile(filepath.Join(src, "etc", "myname"), []byte("gw1.example.org\n"), 0o644)
	os.Symlink("etc/myname", filepath.Join(src, "name"))
	for _, tc := range []struct {
		flags  []string
		format string
		size   int64
	}{
		{nil, "FFS2", 0},
		{[]string{"--ffs1", "--size", "2m", "-m", "0", "-i", "65536", "--owner", "0:0"}, "FFS1", 2 << 20},
		{[]string{"--ffs1", "-b", "4096", "-f", "512", "--free", "100k", "--time", "2024-01-02T03:04:05Z"}, "FFS1", 0},
	} {
		img := filepath.Join(t.TempDir(), "out.img")
		args := append([]string{"ffs", "mkfs", "-o", img, src}, tc.flags...)
		code, out, errOut := hwRun("", args...)
		if code != 0 || !strings.HasPrefix(out, img+": "+tc.format+", ") {
			t.Fatalf("fugu %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errOut)
		}
		if st, _ := os.Stat(img); tc.size != 0 && st.Size() != tc.size {
			t.Errorf("%v: image of %d bytes, want %d", tc.flags, st.Size(), tc.size)
		}
		if code, out, _ := hwRun("", "ffs", "cat", img, "name"); code != 0 || out != "gw1.example.org\n" {
			t.Errorf("%v: cat name: %d %q", tc.flags, code, out)
		}
		if code, out, errOut := hwRun("", "ffs", "check", img); code != 0 {
			t.Errorf("%v: check: %s%s", tc.flags, out, errOut)
		}
	}
	for _, tc := range []struct {
		flags []string
		code  int
		err   string
	}{
		{[]string{"--ffs1", "--ffs2"}, 2, "--ffs1 and --ffs2 exclude each other"},
		{[]string{"-m", "150"}, 2, `-m "150": want a percentage 0 to 99`},
		{[]string{"--size", "1k"}, 1, "file system size 1024 bytes (0 fragments) < minimum size of 64 fragments"},
		{[]string{"-b", "3000"}, 1, "block size must be a power of 2, not 3000"},
		{[]string{"-b", "-1"}, 2, "-b -1: want a positive number of bytes"},
		{[]string{"-f", "-512"}, 2, "-f -512: want a positive number of bytes"},
		{[]string{"-i", "-1"}, 2, "-i -1: want a positive number of bytes"},
		{[]string{"--owner", "root"}, 2, `--owner "root": want UID:GID`},
		{[]string{"--ffs1", "--time", "2100-01-01T00:00:00Z"}, 1,
			"file system time 2100-01-01T00:00:00Z is out of range: FFS1 holds 1901-12-13T20:45:52Z to 2038-01-19T03:14:07Z; use FFS2"},
	} {
		args := append([]string{"ffs", "mkfs", "-o", filepath.Join(t.TempDir(), "x.img"), src}, tc.flags...)
		if code, _, errOut := hwRun("", args...); code != tc.code || !strings.Contains(errOut, "fugu ffs: "+tc.err+"\n") {
			t.Errorf("fugu %s: exit %d, %q; want exit %d, %q", strings.Join(args, " "), code, errOut, tc.code, tc.err)
		}
	}
}

func TestLsMode(t *testing.T) {
	for m, want := range map[fs.FileMode]string{
		0o644:                              "-rw-r--r--",
		fs.ModeDir | 0o755:                 "drwxr-xr-x",
		fs.ModeSetuid | 0o4755&0o777:       "-rwsr-xr-x",
		fs.ModeSetuid | 0o644:              "-rwSr--r--",
		fs.ModeSetgid | 0o750:              "-rwxr-s---",
		fs.ModeDir | fs.ModeSticky | 0o777: "drwxrwxrwt",
		fs.ModeDir | fs.ModeSticky | 0o770: "drwxrwx--T",
		fs.ModeNamedPipe | 0o600:           "prw-------",
		fs.ModeSocket | 0o777:              "srwxrwxrwx",
		fs.ModeDevice | 0o640:              "brw-r-----",
	} {
		if got := lsMode(m); got != want {
			t.Errorf("lsMode(%v) = %s, want %s", m, got, want)
		}
	}
}

// TestFFSNonUTF8Names: mkfs takes names that are not UTF-8, ls lists
// them and cat reads one named by its bytes.
func TestFFSNonUTF8Names(t *testing.T) {
	src := t.TempDir()
	os.WriteFile(filepath.Join(src, "bad\xff\xfename"), []byte("bad\n"), 0o644)
	os.Mkdir(filepath.Join(src, "dir\xe9"), 0o755)
	os.WriteFile(filepath.Join(src, "dir\xe9", "inner"), []byte("inner\n"), 0o644)
	img := filepath.Join(t.TempDir(), "bad.img")
	if code, out, errOut := hwRun("", "ffs", "mkfs", "-o", img, "--ffs1", src); code != 0 {
		t.Fatalf("mkfs: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := hwRun("", "ffs", "ls", img)
	var names []string
	for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		names = append(names, l[strings.LastIndexByte(l, ' ')+1:])
	}
	if want := `. bad\377\376name dir\351 dir\351/inner`; code != 0 || strings.Join(names, " ") != want {
		t.Errorf("ls: exit %d, %q, %s; want names %s", code, out, errOut, want)
	}
	for p, want := range map[string]string{"bad\xff\xfename": "bad\n", "dir\xe9/inner": "inner\n"} {
		if code, out, errOut := hwRun("", "ffs", "cat", img, p); code != 0 || out != want {
			t.Errorf("cat %q: exit %d, %q, %s", p, code, out, errOut)
		}
	}
}

func TestVisName(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                    `plain`,
		"with space and ünïcode":   `with space and ünïcode`,
		"new\nline\ttab\r\a\b\f\v": `new\nline\ttab\r\a\b\f\v`,
		"back\\slash":              `back\\slash`,
		"\x1b[31mred\x7f":          `\033[31mred\177`,
		"bad\xff\xfename":          `bad\377\376name`,
		"dir\xe9":                  `dir\351`,
		"\u202eevil\u00a0":         `\342\200\256evil\302\240`,
		"\x00nul":                  `\000nul`,
	} {
		if got := visName(in); got != want {
			t.Errorf("visName(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestFFSLsEscapes: a name with a newline stays on its line and an
// escape sequence never reaches the terminal, in names, link targets
// and error messages.
func TestFFSLsEscapes(t *testing.T) {
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	tr := ffs.NewTree()
	tr.Add(ffs.Entry{Path: ".", Mode: fs.ModeDir | 0o755, ModTime: at})
	tr.Add(ffs.Entry{Path: "two\nlines", Mode: 0o644, ModTime: at})
	tr.Add(ffs.Entry{Path: "\x1b[2Jclear", Mode: fs.ModeSymlink | 0o777, Target: "\x1b]0;title\a", ModTime: at})
	im, err := ffs.Build(tr, ffs.Options{Format: ffs.FFS1, Time: at})
	if err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(t.TempDir(), "esc.img")
	if err := im.WriteFile(img); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := hwRun("", "ffs", "ls", img)
	want := `drwxr-xr-x   2     0     0        512 2024-01-02 03:04:05 .
lrwxrwxrwx   1     0     0         10 2024-01-02 03:04:05 \033[2Jclear -> \033]0;title\a
-rw-r--r--   1     0     0          0 2024-01-02 03:04:05 two\nlines
`
	if code != 0 || out != want {
		t.Errorf("ls: exit %d\n%s%s\nwant\n%s", code, out, errOut, want)
	}
	code, _, errOut = hwRun("", "ffs", "cat", img, "\x1b[2Jnone")
	if want := "fugu ffs: open \\033[2Jnone: file does not exist\n"; code != 1 || errOut != want {
		t.Errorf("cat of a missing file: exit %d, %q; want %q", code, errOut, want)
	}
}

// TestFFSLsBadEntry: on a makefs image with a symbolic link of 1024
// bytes (Linux allows it, OpenBSD does not), ls reports that link,
// lists every other file and exits 1 at the end; check reports the same
// link.
func TestFFSLsBadEntry(t *testing.T) {
	makefs := testenv.Tool(t, "makefs", "makefs")
	src := t.TempDir()
	at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, name := range []string{"a", "z"} {
		os.WriteFile(filepath.Join(src, name), []byte(name+"\n"), 0o644)
	}
	os.Symlink(strings.Repeat("s", 1024), filepath.Join(src, "s1024"))
	for _, name := range []string{"a", "z", "s1024", "."} {
		if err := os.Lchown(filepath.Join(src, name), 0, 0); err != nil {
			t.Skipf("lchown: %v", err)
		}
	}
	os.Chtimes(filepath.Join(src, "a"), at, at)
	os.Chtimes(filepath.Join(src, "z"), at, at)
	os.Chtimes(src, at, at)
	img := filepath.Join(t.TempDir(), "makefs.img")
	if out, err := exec.Command(makefs, "-t", "ffs", "-B", "le", "-s", "1m", "-o", "version=1", img, src).CombinedOutput(); err != nil {
		t.Fatalf("makefs: %v\n%s", err, out)
	}
	fsys, err := ffs.OpenFile(img)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := fsys.Lstat("s1024")
	fsys.Close()
	if err != nil {
		t.Fatal(err)
	}
	ino := fi.Sys().(*ffs.Inode).Ino // makefs numbers in host directory order
	problem := fmt.Sprintf("inode %d: symbolic link of 1024 bytes (OpenBSD's are 1 to 1023)", ino)
	code, out, errOut := hwRun("", "ffs", "ls", img)
	wantOut := `drwxr-xr-x   2     0     0        512 2024-01-02 03:04:05 .
-rw-r--r--   1     0     0          2 2024-01-02 03:04:05 a
-rw-r--r--   1     0     0          2 2024-01-02 03:04:05 z
`
	wantErr := "fugu ffs ls: readlink s1024: symlink " + problem + "\nfugu ffs: 1 file could not be listed\n"
	if code != 1 || out != wantOut || errOut != wantErr {
		t.Errorf("ls: exit %d\n%s%s\nwant exit 1\n%s%s", code, out, errOut, wantOut, wantErr)
	}
	code, _, errOut = hwRun("", "ffs", "check", img)
	if code != 1 || !strings.Contains(errOut, "1 problem(s)\n  "+problem+"\n") {
		t.Errorf("check: exit %d, %s; want %s", code, errOut, problem)
	}
}

// TestFFSMkfsSkipsSockets: a socket in the tree is left out with a
// message, the rest goes in.
func TestFFSMkfsSkipsSockets(t *testing.T) {
	src := t.TempDir()
	l, err := net.Listen("unix", filepath.Join(src, "ctl\x1b.sock"))
	if err != nil {
		t.Skipf("unix socket: %v", err)
	}
	defer l.Close()
	os.WriteFile(filepath.Join(src, "file"), []byte("x"), 0o644)
	img := filepath.Join(t.TempDir(), "s.img")
	code, _, errOut := hwRun("", "ffs", "mkfs", "-o", img, src)
	if code != 0 || errOut != "fugu ffs mkfs: skipped socket ctl\\033.sock\n" {
		t.Errorf("mkfs: exit %d, %q", code, errOut)
	}
	if code, out, _ := hwRun("", "ffs", "ls", img); code != 0 || strings.Count(out, "\n") != 2 || strings.Contains(out, "sock") {
		t.Errorf("ls: exit %d\n%s", code, out)
	}
}
