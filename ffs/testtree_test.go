package ffs

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// genFile is a deterministic file body: size bytes from seed. Bodies
// marked sparse are zeros except an 8-byte stamp (seed, offset) at the
// start of every 64 KiB and of every block in marks, so huge files
// cost little to write (zero blocks become holes in the image file) but
// any misplaced stamped block changes the hash.
type genFile struct {
	seed   uint64
	size   int64
	sparse bool
	marks  []int64 // byte offsets that get a stamp too (sparse only)
}

func (g genFile) open() (io.ReadCloser, error) {
	return io.NopCloser(&genReader{g: g, rng: rand.NewChaCha8(seed32(g.seed))}), nil
}

func seed32(s uint64) [32]byte {
	var b [32]byte
	binary.LittleEndian.PutUint64(b[:], s)
	return b
}

type genReader struct {
	g   genFile
	off int64
	rng *rand.ChaCha8
}

const stampEvery = 64 << 10

func (r *genReader) Read(p []byte) (int, error) {
	if r.off >= r.g.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), r.g.size-r.off))
	p = p[:n]
	if !r.g.sparse {
		r.rng.Read(p)
		r.off += int64(n)
		return n, nil
	}
	clear(p)
	stamp := func(at int64) {
		if at >= r.off && at < r.off+int64(n) {
			var s [16]byte
			binary.LittleEndian.PutUint64(s[:], r.g.seed)
			binary.LittleEndian.PutUint64(s[8:], uint64(at))
			copy(p[at-r.off:], s[:])
		}
	}
	for at := (r.off + stampEvery - 1) / stampEvery * stampEvery; at < r.off+int64(n); at += stampEvery {
		stamp(at)
	}
	for _, m := range r.g.marks {
		stamp(m)
	}
	r.off += int64(n)
	return n, nil
}

func (g genFile) sum() string {
	rc, _ := g.open()
	h := sha256.New()
	io.CopyBuffer(h, rc, make([]byte, min(g.size+1, 1<<20)))
	return hex.EncodeToString(h.Sum(nil))
}

// treeSpec describes a generated tree.
type treeSpec struct {
	files     int   // small regular files spread over directories
	bigSize   int64 // one sparse file of this size (0: none)
	bigMarks  []int64
	devices   bool
	smallDevs bool  // only device numbers below 256 (Linux and OpenBSD encode them alike)
	edgeMax   int64 // largest block size whose boundaries get files (0: 16384)
	tiny      bool  // no big directory, a short deep chain: images of ~100 KB
}

// want is the expected listing of one path.
type want struct {
	path   string
	mode   fs.FileMode
	uid    uint32
	gid    uint32
	size   int64 // -1: do not compare (directories)
	mtime  time.Time
	sha    string // regular files
	target string // symlinks
	nlink  int
	major  uint32
	minor  uint32
	gen    *genFile
}

// genTree builds a tree: thousands of small files in nested directories
// (one chain 40 levels deep), a directory of 600 entries, files of every size around block and
// fragment boundaries, empty files, 255-byte names, short and long
// symlinks (all resolvable, so fstest can follow them), hard links,
// setuid/setgid/sticky modes, device nodes, a FIFO, and optionally one
// huge sparse file. It returns the tree and the expected listing.
func genTree(t testing.TB, spec treeSpec) (*Tree, map[string]*want) {
	t.Helper()
	tr := NewTree()
	ws := map[string]*want{}
	rng := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2021, 5, 4, 3, 2, 1, 0, time.UTC)
	add := func(e Entry, w *want) {
		t.Helper()
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
		w.path = e.Path
		ws[e.Path] = w
	}
	dirTime := func(i int) time.Time { return base.Add(time.Duration(i) * time.Hour) }
	mkdir := func(p string, i int) {
		add(Entry{Path: p, Mode: fs.ModeDir | 0o755, UID: uint32(i % 3), GID: uint32(i % 5), ModTime: dirTime(i)},
			&want{mode: fs.ModeDir | 0o755, uid: uint32(i % 3), gid: uint32(i % 5), size: -1, mtime: dirTime(i)})
	}
	seq := uint64(100)
	file := func(p string, size int64, mode fs.FileMode) {
		seq++
		g := genFile{seed: seq, size: size}
		mt := base.Add(time.Duration(seq)*time.Minute + time.Duration(seq%1000)*time.Microsecond)
		add(Entry{Path: p, Mode: mode, UID: uint32(seq % 7), GID: uint32(seq % 11), ModTime: mt, Size: size, Open: g.open},
			&want{mode: mode, uid: uint32(seq % 7), gid: uint32(seq % 11), size: size, mtime: mt, nlink: 1, gen: &g})
	}
	mkdir(".", 0)
	// Sizes around every fragment and block boundary for 512..16384.
	mkdir("edges", 1)
	edges := map[int64]bool{0: true, 1: true}
	for _, b := range []int64{512, 1024, 2048, 4096, 8192, 16384} {
		if spec.edgeMax != 0 && b > spec.edgeMax {
			break
		}
		for _, k := range []int64{1, 2, 3, 7, 8, 11, 12, 13} {
			for _, d := range []int64{-1, 0, 1} {
				edges[b*k+d] = true
			}
		}
	}
	var sizes []int64
	for s := range edges {
		sizes = append(sizes, s)
	}
	sort.Slice(sizes, func(i, j int) bool { return sizes[i] < sizes[j] })
	for _, s := range sizes {
		file(fmt.Sprintf("edges/size-%d", s), s, 0o644)
	}
	// Many small files in a two-level fan-out.
	for i := 0; i < spec.files; i++ {
		d := fmt.Sprintf("many/d%02d", i%40)
		if i < 40 {
			if i == 0 {
				mkdir("many", 2)
			}
			mkdir(d, 3+i)
		}
		size := int64(rng.IntN(3000))
		if i%50 == 0 {
			size = 0
		}
		file(fmt.Sprintf("%s/f%05d.dat", d, i), size, 0o600+fs.FileMode(i%2)*0o44)
	}
	// A chain 40 directories deep, with a file at the bottom.
	deep := "deep"
	mkdir(deep, 50)
	depth := 40
	if spec.tiny {
		depth = 4
	}
	for i := 1; i < depth; i++ {
		deep += fmt.Sprintf("/level%02d", i)
		mkdir(deep, 50+i)
	}
	file(deep+"/bottom.txt", 100, 0o644)
	// Long names, one of the maximum 255 bytes.
	mkdir("names", 100)
	long := strings.Repeat("n", 255)
	file("names/"+long, 33, 0o644)
	file("names/"+strings.Repeat("x", 254)+"y", 0, 0o644)
	file("names/with space and ünïcode", 10, 0o644)
	mkdir("names/"+strings.Repeat("d", 200), 101)
	file("names/"+strings.Repeat("d", 200)+"/inside", 5000, 0o644)
	// A directory big enough for several directory blocks.
	mkdir("bigdir", 102)
	nbig := 600
	if spec.tiny {
		nbig = 30
	}
	for i := 0; i < nbig; i++ {
		file(fmt.Sprintf("bigdir/entry-with-a-longish-name-%04d", i), int64(i%5), 0o644)
	}
	// Special modes.
	mkdir("modes", 103)
	file("modes/setuid", 10, fs.ModeSetuid|0o555)
	file("modes/setgid", 10, fs.ModeSetgid|0o755)
	add(Entry{Path: "modes/sticky", Mode: fs.ModeDir | fs.ModeSticky | 0o777, ModTime: dirTime(104)},
		&want{mode: fs.ModeDir | fs.ModeSticky | 0o777, size: -1, mtime: dirTime(104)})
	// Symlinks: short (inline) and long (in a block), pointing at files
	// that exist; the long one is longer than FFS2's 120-byte limit.
	mkdir("links", 105)
	sym := func(p, target string) {
		add(Entry{Path: p, Mode: fs.ModeSymlink | 0o777, Target: target, ModTime: dirTime(106)},
			&want{mode: fs.ModeSymlink | 0o777, size: int64(len(target)), target: target, mtime: dirTime(106), nlink: 1})
	}
	sym("links/short", "../edges/size-1")
	sym("links/abs", "/names/with space and ünïcode")
	sym("links/long", "../"+deep+"/bottom.txt")
	// Lengths on both sides of the inline limits (60 bytes for FFS1,
	// 120 for FFS2: a target shorter than the limit is inline).
	for _, n := range []int{59, 60, 119, 120} {
		sym(fmt.Sprintf("links/len%d", n), padTarget("../edges/size-1", n))
	}
	sym("links/tolong", "../names/"+long)
	sym("links/todir", "../deep")
	// Hard links: three names for one file, one for an empty file.
	mkdir("hard", 107)
	file("hard/a", 20000, 0o644)
	for _, p := range []string{"hard/b", "links/c"} {
		if err := tr.Add(Entry{Path: p, LinkTo: "hard/a"}); err != nil {
			t.Fatal(err)
		}
		w := *ws["hard/a"]
		w.path = p
		ws[p] = &w
	}
	for _, p := range []string{"hard/a", "hard/b", "links/c"} {
		ws[p].nlink = 3
	}
	file("hard/empty", 0, 0o644)
	tr.Add(Entry{Path: "hard/empty2", LinkTo: "hard/empty"})
	w := *ws["hard/empty"]
	w.path, w.nlink = "hard/empty2", 2
	ws["hard/empty2"] = &w
	ws["hard/empty"].nlink = 2
	if spec.devices {
		mkdir("dev", 108)
		dev := func(p string, mode fs.FileMode, maj, min uint32) {
			add(Entry{Path: p, Mode: mode | 0o640, Major: maj, Minor: min, UID: 0, GID: 5, ModTime: dirTime(109)},
				&want{mode: mode | 0o640, gid: 5, size: 0, mtime: dirTime(109), nlink: 1, major: maj, minor: min})
		}
		dev("dev/null", fs.ModeDevice|fs.ModeCharDevice, 2, 2)
		dev("dev/sd0a", fs.ModeDevice, 4, 0)
		dev("dev/rsd0c", fs.ModeDevice|fs.ModeCharDevice, 13, 2)
		if !spec.smallDevs {
			dev("dev/bigminor", fs.ModeDevice|fs.ModeCharDevice, 200, 70000)
		}
		add(Entry{Path: "dev/fifo", Mode: fs.ModeNamedPipe | 0o600, ModTime: dirTime(110)},
			&want{mode: fs.ModeNamedPipe | 0o600, size: 0, mtime: dirTime(110), nlink: 1})
	}
	if spec.bigSize > 0 {
		mkdir("huge", 111)
		seq++
		g := genFile{seed: seq, size: spec.bigSize, sparse: true, marks: spec.bigMarks}
		add(Entry{Path: "huge/file", Mode: 0o644, Size: spec.bigSize, Open: g.open, ModTime: dirTime(112)},
			&want{mode: 0o644, size: spec.bigSize, mtime: dirTime(112), nlink: 1, gen: &g})
	}
	// Directory link counts: 2 + subdirectories.
	for p, w := range ws {
		if !w.mode.IsDir() {
			continue
		}
		w.nlink = 2
		for q, v := range ws {
			if v.mode.IsDir() && q != "." && parentOf(q) == p {
				w.nlink++
			}
		}
	}
	return tr, ws
}

// padTarget lengthens a relative symlink target to exactly n bytes with
// "./" elements (and one doubled slash for odd lengths).
func padTarget(target string, n int) string {
	if (n-len(target))%2 != 0 {
		target = strings.Replace(target, "/", "//", 1)
	}
	return strings.Repeat("./", (n-len(target))/2) + target
}

func parentOf(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return "."
}

// materialize writes the expected tree to a host directory (for
// makefs). Owners are kept when running as root; devices need root.
func materialize(t testing.TB, ws map[string]*want, dir string) {
	t.Helper()
	var paths []string
	for p := range ws {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	firsts := map[*genFile]string{}
	for _, p := range paths {
		w := ws[p]
		full := filepath.Join(dir, p)
		var err error
		switch {
		case w.mode.IsDir():
			err = os.MkdirAll(full, 0o755)
		case w.mode&fs.ModeSymlink != 0:
			err = os.Symlink(w.target, full)
		case w.mode.Type() == 0:
			if first, ok := firsts[w.gen]; ok && w.nlink > 1 {
				err = os.Link(first, full)
				break
			}
			firsts[w.gen] = full
			var f *os.File
			if f, err = os.Create(full); err == nil {
				rc, _ := w.gen.open()
				_, err = io.Copy(f, rc)
				f.Close()
			}
		case w.mode&fs.ModeNamedPipe != 0:
			err = mkfifo(full)
		case w.mode&fs.ModeDevice != 0:
			err = mknod(full, w.mode, w.major, w.minor)
		default:
			t.Fatalf("materialize: %s: type %v not supported", p, w.mode.Type())
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	// Modes and times after the contents, deepest first.
	for i := len(paths) - 1; i >= 0; i-- {
		p := paths[i]
		w := ws[p]
		full := filepath.Join(dir, p)
		if w.mode&fs.ModeSymlink != 0 {
			if err := lutimes(full, w.mtime.Unix(), int64(w.mtime.Nanosecond())); err != nil {
				t.Fatal(err)
			}
			continue
		}
		os.Chown(full, int(w.uid), int(w.gid))
		perm := w.mode.Perm()
		if err := os.Chmod(full, perm|w.mode&(fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(full, w.mtime, w.mtime); err != nil {
			t.Fatal(err)
		}
	}
}
