package ffs

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/fugu-tool/fugu/internal/testenv"
)

var update = flag.Bool("update", false, "regenerate testdata/ffs fixtures (needs makefs and root)")

// fixtureSpec is the tree inside the committed makefs images: small
// enough to keep in git, with every kind of entry makefs can make from
// a host directory.
func fixtureSpec() treeSpec {
	return treeSpec{files: 40, devices: true, smallDevs: true, edgeMax: 1024}
}

// makefsImages are the committed fixtures and the makefs options that
// made them (see testdata/ffs/README.md).
var makefsImages = []struct {
	file string
	opts string
	tiny bool // the tree of tinySpec, for fuzzing
}{
	{"makefs-ffs1.img", "version=1,bsize=16384,fsize=2048", false},
	{"makefs-ffs2.img", "version=2,bsize=16384,fsize=2048", false},
	{"makefs-ffs1-4k.img", "version=1,bsize=4096,fsize=512", false},
	{"makefs-tiny-ffs1.img", "version=1,bsize=4096,fsize=512", true},
	{"makefs-tiny-ffs2.img", "version=2,bsize=4096,fsize=512", true},
}

// tinySpec is the tree of the tiny fixtures that seed the fuzzer.
func tinySpec() treeSpec {
	return treeSpec{files: 3, devices: true, smallDevs: true, edgeMax: 512, tiny: true}
}

// runMakefs materializes ws in a temporary directory and runs makefs on
// it with the given -o options. Without root, owners are taken from the
// materialized tree. Debian's makefs (20190105) stores whole seconds
// only, so the expected times are truncated.
func runMakefs(t *testing.T, makefs string, ws map[string]*want, opts, img string) {
	t.Helper()
	src := filepath.Join(t.TempDir(), "src")
	if err := os.Mkdir(src, 0o755); err != nil {
		t.Fatal(err)
	}
	materialize(t, ws, src)
	for p, w := range ws {
		fi, err := os.Lstat(filepath.Join(src, p))
		if err != nil {
			t.Fatal(err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		w.uid, w.gid = st.Uid, st.Gid
		w.mtime = w.mtime.Truncate(time.Second)
	}
	// -b 10%: free space, which also works around makefs occasionally
	// computing a size its own allocator cannot fill.
	cmd := exec.Command(makefs, "-t", "ffs", "-B", "le", "-b", "10%", "-o", opts, img, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("makefs -o %s: %v\n%s", opts, err, out)
	}
}

// TestMakefsLive reads images NetBSD's makefs makes from a generated
// tree: the listing must be the tree, and Check must accept them.
func TestMakefsLive(t *testing.T) {
	makefs := testenv.Tool(t, "makefs", "makefs")
	spec := treeSpec{files: 1500, devices: os.Geteuid() == 0, smallDevs: true}
	for _, opts := range []string{
		"version=1,bsize=16384,fsize=2048",
		"version=2,bsize=16384,fsize=2048",
		"version=1,bsize=4096,fsize=512",
		"version=2,bsize=32768,fsize=4096,density=4096,minfree=0",
	} {
		t.Run(opts, func(t *testing.T) {
			_, ws := genTree(t, spec)
			img := filepath.Join(t.TempDir(), "makefs.img")
			runMakefs(t, makefs, ws, opts, img)
			fsys, err := OpenFile(img)
			if err != nil {
				t.Fatal(err)
			}
			defer fsys.Close()
			if err := fsys.Check(); err != nil {
				t.Fatal(err)
			}
			compareTree(t, fsys, ws)
		})
	}
}

// TestMakefsFixtures reads the committed makefs images, which needs no
// makefs. The golden listing guards against the generator drifting
// from the images; -update remakes both.
func TestMakefsFixtures(t *testing.T) {
	expect := func(tiny bool) map[string]*want {
		spec := fixtureSpec()
		if tiny {
			spec = tinySpec()
		}
		_, ws := genTree(t, spec)
		for _, w := range ws {
			w.mtime = w.mtime.Truncate(time.Second) // see runMakefs
		}
		return ws
	}
	dir := filepath.Join("..", "testdata", "ffs")
	goldens := map[bool]string{false: filepath.Join(dir, "makefs-tree.golden"), true: filepath.Join(dir, "makefs-tiny.golden")}
	if *update {
		makefs := testenv.Tool(t, "makefs", "makefs")
		if os.Geteuid() != 0 {
			t.Fatal("-update needs root (owners and device nodes)")
		}
		for _, m := range makefsImages {
			img := filepath.Join(dir, m.file)
			os.Remove(img)
			runMakefs(t, makefs, expect(m.tiny), m.opts, img)
		}
		for tiny, golden := range goldens {
			if err := os.WriteFile(golden, []byte(listWant(expect(tiny))), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for tiny, golden := range goldens {
		g, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if got := listWant(expect(tiny)); got != string(g) {
			t.Fatalf("generated tree differs from %s (run go test ./ffs -run TestMakefsFixtures -update as root):\n%s",
				golden, diffLines(strings.Split(string(g), "\n"), strings.Split(got, "\n")))
		}
	}
	for _, m := range makefsImages {
		ws := expect(m.tiny)
		t.Run(m.file, func(t *testing.T) {
			fsys, err := OpenFile(filepath.Join(dir, m.file))
			if err != nil {
				t.Fatal(err)
			}
			defer fsys.Close()
			if err := fsys.Check(); err != nil {
				t.Fatal(err)
			}
			compareTree(t, fsys, ws)
		})
	}
}

// listWant prints the expected tree, one line per path, sorted:
// path, mode, uid, gid, links, size, mtime, then the SHA-256, link
// target or device numbers.
func listWant(ws map[string]*want) string {
	var paths []string
	for p := range ws {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var b strings.Builder
	for _, p := range paths {
		w := ws[p]
		extra := "-"
		switch {
		case w.mode&fs.ModeSymlink != 0:
			extra = "->" + w.target
		case w.mode&fs.ModeDevice != 0:
			extra = fmt.Sprintf("%d,%d", w.major, w.minor)
		case w.mode.Type() == 0:
			extra = w.gen.sum()
		}
		size := fmt.Sprint(w.size)
		if w.size < 0 {
			size = "-"
		}
		fmt.Fprintf(&b, "%s %v %d %d %d %s %d.%09d %s\n", strings.ReplaceAll(p, " ", "\\x20"), w.mode, w.uid, w.gid, w.nlink, size,
			w.mtime.Unix(), w.mtime.Nanosecond(), strings.ReplaceAll(extra, " ", "\\x20"))
	}
	return b.String()
}

func diffLines(a, b []string) string {
	var out []string
	for i := 0; i < max(len(a), len(b)) && len(out) < 20; i++ {
		var x, y string
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			out = append(out, "- "+x, "+ "+y)
		}
	}
	return strings.Join(out, "\n")
}
