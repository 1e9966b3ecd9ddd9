package ffs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/fugu-tool/fugu/internal/testenv"
	"github.com/fugu-tool/fugu/internal/ufsoracle"
)

// oracleImage is one image the kernel lists, with what it must see.
type oracleImage struct {
	name   string
	path   string
	ws     map[string]*want
	fmt    Format
	damage string // a file whose contents were damaged on purpose
}

// TestLinuxKernelReads boots Linux under qemu once and has its ufs
// driver (ufstype=44bsd for FFS1, ufs2 for FFS2) list images fugu wrote:
// both formats, newfs defaults, 4K blocks with double indirect files,
// 32K/4K blocks, the install image's parameters, and an image edited by
// Rebuild. The kernel must see the same tree: types, permissions,
// owners, link counts, sizes, times, device numbers, link targets and
// SHA-256 of every file.
func TestLinuxKernelReads(t *testing.T) {
	testenv.Tool(t, "qemu-system-x86_64", "qemu-system-x86")
	k, err := ufsoracle.FindKernel()
	if err != nil {
		testenv.Missing(t, "%v", err)
	}
	bb, err := ufsoracle.StaticBusybox()
	if err != nil {
		testenv.Missing(t, "%v", err)
	}
	dir := t.TempDir()
	var imgs []oracleImage
	add := func(name string, opts Options, spec treeSpec) {
		tr, ws := genTree(t, spec)
		opts.Time = fixedTime
		im, err := Build(tr, opts)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p := filepath.Join(dir, name+".img")
		if err := im.WriteFile(p); err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, oracleImage{name: name, path: p, ws: ws, fmt: im.Info().Format})
	}
	medium := treeSpec{files: 1200, devices: true, edgeMax: 4096}
	add("ffs1-defaults", Options{Format: FFS1}, medium)
	add("ffs2-defaults", Options{Format: FFS2}, medium)
	// Files past the single indirect block: 6 MB needs double indirect
	// blocks with 4K FFS1 blocks (12 + 1024 blocks are 4.2 MB), 3 MB with
	// FFS2 (12 + 512 blocks).
	add("ffs1-4k", Options{Format: FFS1, BlockSize: 4096, FragSize: 512},
		treeSpec{files: 300, devices: true, edgeMax: 4096, bigSize: 6<<20 + 123, bigMarks: boundaryMarks(FFS1, 4096)[:10]})
	add("ffs2-4k", Options{Format: FFS2, BlockSize: 4096, FragSize: 512},
		treeSpec{files: 300, devices: true, edgeMax: 4096, bigSize: 3<<20 + 77, bigMarks: boundaryMarks(FFS2, 4096)[:10]})
	add("ffs2-32k-4k", Options{Format: FFS2, BlockSize: 32768, FragSize: 4096}, treeSpec{files: 300, devices: true, edgeMax: 4096})
	add("ffs1-install-params", Options{Format: FFS1, MinFree: ptr(0), Optimization: OptSpace, Density: 524288, MaxFragsPerCG: 2097152, FreeInodes: 10},
		treeSpec{files: 100, edgeMax: 2048})
	imgs = append(imgs, rebuiltForOracle(t, dir))
	imgs = append(imgs, edgesForOracle(t, dir))
	// A damaged image: the kernel must see the damage, or this test
	// could not fail.
	add("damaged", Options{Format: FFS2, BlockSize: 4096, FragSize: 512}, treeSpec{files: 10, edgeMax: 512, tiny: true})
	damaged := &imgs[len(imgs)-1]
	damaged.damage = "deep/level01/level02/level03/bottom.txt"
	corruptFirstBlock(t, damaged.path, damaged.damage)

	var disks []ufsoracle.Disk
	for _, im := range imgs {
		typ := "44bsd"
		if im.fmt == FFS2 {
			typ = "ufs2"
		}
		disks = append(disks, ufsoracle.Disk{Path: im.path, Type: typ})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	start := time.Now()
	ls, err := ufsoracle.List(ctx, k, bb, disks)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("kernel %s listed %d images in %v", k.Version, len(imgs), time.Since(start).Round(time.Second))
	for i, im := range imgs {
		t.Run(im.name, func(t *testing.T) {
			if ls[i].Err != "" {
				t.Fatalf("the kernel could not mount it: %s", ls[i].Err)
			}
			problems := compareKernel(t, im, ls[i].Files)
			if im.damage != "" {
				if len(problems) != 1 || !strings.HasPrefix(problems[0], im.damage+": kernel reads sha256") {
					t.Fatalf("damaged %s: want exactly its checksum mismatch, got %q", im.damage, problems)
				}
				return
			}
			for _, p := range problems {
				t.Error(p)
			}
		})
	}
}

// edgesForOracle is an FFS1 image with the first and last times FFS1
// holds (one before 1970) and names and link targets with a newline, a
// tab, an escape sequence and bytes that are not UTF-8.
func edgesForOracle(t *testing.T, dir string) oracleImage {
	first, last := time.Unix(math.MinInt32, 0), time.Unix(math.MaxInt32, 0)
	tr := NewTree()
	ws := map[string]*want{".": {path: ".", mode: fs.ModeDir | 0o755, size: -1, mtime: fixedTime, nlink: 4}}
	add := func(e Entry, body string) {
		t.Helper()
		if body != "" {
			e.Size, e.Open = int64(len(body)), Bytes([]byte(body))
		}
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
		w := &want{path: e.Path, mode: e.Mode, size: e.Size, mtime: e.ModTime, nlink: 1, target: e.Target}
		switch {
		case e.Mode.IsDir():
			w.size, w.nlink = -1, 2
		case e.Mode&fs.ModeSymlink != 0:
			w.size = int64(len(e.Target))
		default:
			w.sha = sha256Hex([]byte(body))
		}
		ws[e.Path] = w
	}
	tr.Add(Entry{Path: ".", Mode: fs.ModeDir | 0o755, ModTime: fixedTime})
	add(Entry{Path: "first", Mode: 0o644, ModTime: first}, "1901\n")
	add(Entry{Path: "last", Mode: 0o644, ModTime: last}, "2038\n")
	add(Entry{Path: "new\nline", Mode: 0o600, ModTime: fixedTime}, "nl\n")
	add(Entry{Path: "dir\twith tab", Mode: fs.ModeDir | 0o700, ModTime: first}, "")
	add(Entry{Path: "dir\twith tab/\x1b[31mred", Mode: 0o644, ModTime: last}, "red\n")
	add(Entry{Path: "link", Mode: fs.ModeSymlink | 0o777, Target: "new\nline", ModTime: first}, "")
	add(Entry{Path: "dir\xe9", Mode: fs.ModeDir | 0o755, ModTime: last}, "")
	add(Entry{Path: "dir\xe9/bad\xff\xfename", Mode: 0o644, ModTime: fixedTime}, "not UTF-8\n")
	add(Entry{Path: "link\x80", Mode: fs.ModeSymlink | 0o777, Target: "dir\xe9/bad\xff\xfename", ModTime: fixedTime}, "")
	im, err := Build(tr, Options{Format: FFS1, Time: fixedTime})
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "edges.img")
	if err := im.WriteFile(p); err != nil {
		t.Fatal(err)
	}
	return oracleImage{name: "ffs1-edge-times-and-names", path: p, ws: ws, fmt: FFS1}
}

// corruptFirstBlock flips a byte of a file's first data block.
func corruptFirstBlock(t *testing.T, img, name string) {
	t.Helper()
	fsys, err := OpenFile(img)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := fsys.Lstat(name)
	if err != nil {
		t.Fatal(err)
	}
	d, err := fsys.readInode(fi.Sys().(*Inode).Ino)
	if err != nil {
		t.Fatal(err)
	}
	off := d.db[0] * int64(fsys.sb.fsize)
	fsys.Close()
	f, err := os.OpenFile(img, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b := []byte{0}
	f.ReadAt(b, off)
	b[0] ^= 0xff
	if _, err := f.WriteAt(b, off); err != nil {
		t.Fatal(err)
	}
}

// compareKernel checks the kernel's listing against the tree and
// returns the differences.
func compareKernel(t *testing.T, im oracleImage, files []ufsoracle.File) []string {
	t.Helper()
	var problems []string
	errorf := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	fsys, err := OpenFile(im.path)
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	seen := map[string]bool{}
	for _, f := range files {
		seen[f.Path] = true
		w := im.ws[f.Path]
		if w == nil {
			errorf("%s: listed by the kernel, not in the tree", f.Path)
			continue
		}
		if got, want := f.Mode, uint32(unixMode(w.mode)); got != want {
			errorf("%s: kernel mode %o, want %o", f.Path, got, want)
		}
		if f.UID != w.uid || f.GID != w.gid {
			errorf("%s: kernel owner %d:%d, want %d:%d", f.Path, f.UID, f.GID, w.uid, w.gid)
		}
		if f.Nlink != w.nlink {
			errorf("%s: kernel nlink %d, want %d", f.Path, f.Nlink, w.nlink)
		}
		wantSize := w.size
		if w.size < 0 { // directories: whatever fugu's reader says
			fi, err := fsys.RawNames().Lstat(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			wantSize = fi.Size()
		}
		if f.Size != wantSize {
			errorf("%s: kernel size %d, want %d", f.Path, f.Size, wantSize)
		}
		if f.Mtime != w.mtime.Unix() {
			errorf("%s: kernel mtime %d, want %d", f.Path, f.Mtime, w.mtime.Unix())
		}
		switch {
		case w.mode&fs.ModeSymlink != 0:
			if f.Target != w.target {
				errorf("%s: kernel reads target %q, want %q", f.Path, f.Target, w.target)
			}
		case w.mode&fs.ModeDevice != 0:
			// Linux decodes the on-disk dev_t with old_decode_dev
			// (major = bits 8-15, minor = bits 0-7), so a minor above
			// 255 shows only its low byte: compare the raw bits.
			dev := Makedev(w.major, w.minor)
			if f.Major != dev>>8&0xff || f.Minor != dev&0xff {
				errorf("%s: kernel device %d,%d; want %d,%d (dev_t %#x)", f.Path, f.Major, f.Minor, dev>>8&0xff, dev&0xff, dev)
			}
		case w.mode.Type() == 0:
			if f.SHA256 != w.sha256() {
				errorf("%s: kernel reads sha256 %s, want %s", f.Path, f.SHA256, w.sha256())
			}
		}
	}
	for p := range im.ws {
		if !seen[p] {
			errorf("%s: in the tree, not listed by the kernel", p)
		}
	}
	sort.Strings(problems)
	return problems
}

// sha256 is the expected hash of a regular file.
func (w *want) sha256() string {
	if w.sha != "" {
		return w.sha
	}
	if w.gen != nil {
		w.sha = w.gen.sum()
		return w.sha
	}
	h := sha256.New()
	io.WriteString(h, "")
	return hex.EncodeToString(h.Sum(nil))
}
