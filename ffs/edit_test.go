package ffs

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// ramdiskLike writes an FFS1 image like bsd.rd's root file system
// (minfree 0, fixed size, small blocks, dense inodes) with a fake
// disklabel at byte 512 and junk past the file system's end, and
// returns its path and expected tree.
func ramdiskLike(t *testing.T, dir string) (string, map[string]*want, []byte) {
	t.Helper()
	tr, ws := genTree(t, treeSpec{files: 200, devices: true, smallDevs: true, edgeMax: 4096, tiny: true})
	im, err := Build(tr, Options{Format: FFS1, Size: 3 << 20, BlockSize: 8192, FragSize: 1024, Density: 4096,
		MinFree: ptr(0), Optimization: OptSpace, Time: fixedTime})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := im.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	label := bytes.Repeat([]byte("LABEL!"), 60)
	copy(data[512:], label)
	data = append(data, bytes.Repeat([]byte{0xa5}, 1536)...) // past the file system
	p := filepath.Join(dir, "ramdisk.img")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p, ws, data
}

// ramdiskEdit is what the install image does to bsd.rd's ramdisk, and
// some more: add /auto_install.conf, replace a file, remove a directory,
// add a device node in a new directory.
var ramdiskEdit = Edit{
	Remove: []string{"many/d01", "links/tolong"},
	Put: []Entry{
		{Path: "auto_install.conf", Mode: 0o644, Size: 23, Open: Bytes([]byte("System hostname = fugu\n")), ModTime: fixedTime},
		{Path: "edges/size-1", Mode: 0o600, UID: 9, GID: 9, Size: 4, Open: Bytes([]byte("new!")), ModTime: fixedTime.Add(time.Hour)},
		{Path: "newdir/sub/tty00", Mode: fs.ModeDevice | fs.ModeCharDevice | 0o620, Major: 8, Minor: 0, ModTime: fixedTime},
	},
}

// applyEdit updates the expected tree the way ramdiskEdit changes it.
func applyEdit(ws map[string]*want) {
	for p := range ws {
		if p == "many/d01" || strings.HasPrefix(p, "many/d01/") || p == "links/tolong" {
			delete(ws, p)
		}
	}
	ws["many"].nlink--
	ws["."].nlink++ // newdir
	ws["auto_install.conf"] = &want{path: "auto_install.conf", mode: 0o644, size: 23, mtime: fixedTime, nlink: 1}
	ws["edges/size-1"] = &want{path: "edges/size-1", mode: 0o600, uid: 9, gid: 9, size: 4, mtime: fixedTime.Add(time.Hour), nlink: 1}
	ws["newdir"] = &want{path: "newdir", mode: fs.ModeDir | 0o755, size: -1, mtime: fixedTime, nlink: 3}
	ws["newdir/sub"] = &want{path: "newdir/sub", mode: fs.ModeDir | 0o755, size: -1, mtime: fixedTime, nlink: 2}
	ws["newdir/sub/tty00"] = &want{path: "newdir/sub/tty00", mode: fs.ModeDevice | fs.ModeCharDevice | 0o620, mtime: fixedTime, nlink: 1, major: 8}
}

func TestRebuild(t *testing.T) {
	dir := t.TempDir()
	in, ws, data := ramdiskLike(t, dir)
	old, err := OpenFile(in)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	var out bytes.Buffer
	if err := Rebuild(bytes.NewReader(data), int64(len(data)), &out, ramdiskEdit); err != nil {
		t.Fatal(err)
	}
	got := out.Bytes()
	if len(got) != len(data) {
		t.Fatalf("rebuilt image has %d bytes, the old one %d", len(got), len(data))
	}
	if !bytes.Equal(got[:sblockUFS1], data[:sblockUFS1]) {
		t.Error("the boot area (with the disklabel) was not kept")
	}
	if !bytes.Equal(got[len(got)-1536:], data[len(data)-1536:]) {
		t.Error("the bytes past the file system were not kept")
	}
	fsys, err := Open(bytes.NewReader(got), int64(len(got)))
	if err != nil {
		t.Fatal(err)
	}
	if err := fsys.Check(); err != nil {
		t.Fatal(err)
	}
	o, n := old.sb, fsys.sb
	if o.format != n.format || o.size != n.size || o.bsize != n.bsize || o.fsize != n.fsize ||
		o.fpg != n.fpg || o.ipg != n.ipg || o.ncg != n.ncg || o.minfree != n.minfree || o.optim != n.optim || o.time != n.time {
		t.Errorf("geometry changed:\nold %+v\nnew %+v", *o, *n)
	}
	applyEdit(ws)
	fixEditHashes(ws)
	compareTree(t, fsys, ws)

	// The same image and edit give the same bytes.
	var again bytes.Buffer
	if err := Rebuild(bytes.NewReader(data), int64(len(data)), &again, ramdiskEdit); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), got) {
		t.Error("rebuilding twice gave different bytes")
	}
}

// fixEditHashes fills in the hashes of the files the edit adds.
func fixEditHashes(ws map[string]*want) {
	for _, e := range ramdiskEdit.Put {
		if e.Mode.Type() != 0 {
			continue
		}
		rc, _ := e.Open()
		var b bytes.Buffer
		b.ReadFrom(rc)
		ws[e.Path].sha = sha256Hex(b.Bytes())
	}
}

func TestRebuildTooBig(t *testing.T) {
	dir := t.TempDir()
	_, _, data := ramdiskLike(t, dir)
	var out bytes.Buffer
	big := Edit{Put: []Entry{{Path: "big", Mode: 0o644, Size: 4 << 20, Open: genFile{seed: 1, size: 4 << 20}.open}}}
	err := Rebuild(bytes.NewReader(data), int64(len(data)), &out, big)
	if err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Fatalf("got %v, want a does-not-fit error", err)
	}
	if out.Len() != 0 {
		t.Errorf("%d bytes written after a failed plan", out.Len())
	}
	if err := Rebuild(bytes.NewReader(data), int64(len(data)), &out, Edit{Remove: []string{"no/such/file"}}); err == nil ||
		!strings.Contains(err.Error(), "remove no/such/file") {
		t.Fatalf("removing a missing path: %v", err)
	}
}

// TestRebuildMakefs edits the committed makefs images, including the
// FFS2 one whose superblock is at 8192: the new one has it at 65536.
func TestRebuildMakefs(t *testing.T) {
	for _, m := range makefsImages {
		if m.tiny {
			continue
		}
		t.Run(m.file, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out.img")
			ed := Edit{Put: []Entry{{Path: "auto_install.conf", Mode: 0o644, Size: 3, Open: Bytes([]byte("x\n\n"))}}, Remove: []string{"bigdir"}}
			if err := RebuildFile(filepath.Join("..", "testdata", "ffs", m.file), out, ed); err != nil {
				t.Fatal(err)
			}
			fsys, err := OpenFile(out)
			if err != nil {
				t.Fatal(err)
			}
			defer fsys.Close()
			if err := fsys.Check(); err != nil {
				t.Fatal(err)
			}
			_, ws := genTree(t, fixtureSpec())
			for p, w := range ws {
				w.mtime = w.mtime.Truncate(time.Second)
				if p == "bigdir" || strings.HasPrefix(p, "bigdir/") {
					delete(ws, p)
				}
			}
			ws["."].nlink--
			ws["auto_install.conf"] = &want{path: "auto_install.conf", mode: 0o644, size: 3, nlink: 1, mtime: time.Unix(0, 0),
				sha: sha256Hex([]byte("x\n\n"))}
			compareTree(t, fsys, ws)
			if fsys.Info().SuperblockOffset != map[Format]int64{FFS1: sblockUFS1, FFS2: sblockUFS2}[fsys.Format()] {
				t.Errorf("superblock at %d", fsys.Info().SuperblockOffset)
			}
		})
	}
}

func sha256Hex(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// rebuiltForOracle gives the kernel test an image made by Rebuild.
func rebuiltForOracle(t *testing.T, dir string) oracleImage {
	in, ws, _ := ramdiskLike(t, dir)
	out := filepath.Join(dir, "rebuilt.img")
	if err := RebuildFile(in, out, ramdiskEdit); err != nil {
		t.Fatal(err)
	}
	applyEdit(ws)
	fixEditHashes(ws)
	return oracleImage{name: "rebuilt-ramdisk", path: out, ws: ws, fmt: FFS1}
}

// linkedImage is an FFS1 image with one file under three names,
// d1/h, d2/h2 and hroot, and another file beside them.
func linkedImage(t *testing.T) []byte {
	t.Helper()
	tr := NewTree()
	for _, e := range []Entry{
		{Path: "d1/h", Mode: 0o755, UID: 5, Size: 4, Open: Bytes([]byte("OLD\n")), ModTime: fixedTime},
		{Path: "d2/h2", LinkTo: "d1/h"},
		{Path: "hroot", LinkTo: "d1/h"},
		{Path: "other", Mode: 0o644, Size: 2, Open: Bytes([]byte("o\n")), ModTime: fixedTime},
	} {
		if err := tr.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	return buildBytes(t, tr, Options{Format: FFS1, Size: 1 << 20, Time: fixedTime})
}

// TestRebuildHardLinks: replacing or removing one name of a hard-linked
// file in Rebuild leaves the other names with the old file and one link
// fewer, the same way every time.
func TestRebuildHardLinks(t *testing.T) {
	data := linkedImage(t)
	type file struct {
		body  string
		nlink int
		ino   uint32
	}
	for _, tc := range []struct {
		name string
		ed   Edit
		want map[string]file
	}{
		{"replace", Edit{Put: []Entry{{Path: "d1/h", Mode: 0o644, Size: 4, Open: Bytes([]byte("NEW\n")), ModTime: fixedTime}}},
			map[string]file{"d1/h": {"NEW\n", 1, 4}, "d2/h2": {"OLD\n", 2, 6}, "hroot": {"OLD\n", 2, 6}, "other": {"o\n", 1, 7}}},
		{"replace-last", Edit{Put: []Entry{{Path: "hroot", Mode: 0o644, Size: 4, Open: Bytes([]byte("NEW\n")), ModTime: fixedTime}}},
			map[string]file{"d1/h": {"OLD\n", 2, 4}, "d2/h2": {"OLD\n", 2, 4}, "hroot": {"NEW\n", 1, 6}, "other": {"o\n", 1, 7}}},
		{"remove", Edit{Remove: []string{"d1/h"}},
			map[string]file{"d2/h2": {"OLD\n", 2, 5}, "hroot": {"OLD\n", 2, 5}, "other": {"o\n", 1, 6}}},
		{"remove-dir", Edit{Remove: []string{"d1", "d2"}},
			map[string]file{"hroot": {"OLD\n", 1, 3}, "other": {"o\n", 1, 4}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, again bytes.Buffer
			if err := Rebuild(bytes.NewReader(data), int64(len(data)), &out, tc.ed); err != nil {
				t.Fatal(err)
			}
			if err := Rebuild(bytes.NewReader(data), int64(len(data)), &again, tc.ed); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), again.Bytes()) {
				t.Error("two rebuilds differ")
			}
			fsys, err := Open(bytes.NewReader(out.Bytes()), int64(out.Len()))
			if err != nil {
				t.Fatal(err)
			}
			if err := fsys.Check(); err != nil {
				t.Fatal(err)
			}
			for p, w := range tc.want {
				b, err := fsys.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				fi, _ := fsys.Lstat(p)
				in := fi.Sys().(*Inode)
				if got := (file{string(b), in.Nlink, in.Ino}); got != w {
					t.Errorf("%s: %+v, want %+v", p, got, w)
				}
			}
		})
	}
}

// TestRebuildKeepsGeometry: a no-op Rebuild keeps the cylinder groups
// (fragments and inodes per group), sizes and counts of images fugu and
// makefs made, however often it is repeated; of a fugu image it gives
// the same bytes.
func TestRebuildKeepsGeometry(t *testing.T) {
	tr, _ := genTree(t, treeSpec{files: 60, devices: true, edgeMax: 1024, tiny: true})
	type img struct {
		name string
		data []byte
		same bool // the rebuild must give these very bytes
	}
	var imgs []img
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"ffs1-defaults", Options{Format: FFS1}},
		{"ffs1-4k-512", Options{Format: FFS1, BlockSize: 4096, FragSize: 512}},
		{"ffs1-ramdisk", Options{Format: FFS1, Size: 3 << 20, BlockSize: 8192, FragSize: 1024, Density: 4096, MinFree: ptr(0), Optimization: OptSpace}},
		{"ffs1-sparse-inodes", Options{Format: FFS1, Density: 524288, MinFree: ptr(0), FreeSpace: 1 << 20}},
		{"ffs2-defaults", Options{Format: FFS2}},
		{"ffs2-32k-4k", Options{Format: FFS2, BlockSize: 32768, FragSize: 4096, Density: 4096}},
		{"ffs2-4k-4k-odd", Options{Format: FFS2, Size: 5<<20 + 4096*3, BlockSize: 4096, FragSize: 4096, Density: 12345}},
	} {
		tc.opts.Time = fixedTime
		imgs = append(imgs, img{tc.name, buildBytes(t, tr, tc.opts), true})
	}
	for _, m := range makefsImages {
		if m.file == "makefs-tiny-ffs2.img" {
			// makefs put its superblock at 8192; the rebuilt one is at
			// 65536, where OpenBSD's boot loader reads it, which costs
			// this 216 KB image 56 KB it does not have to spare.
			continue
		}
		data, err := os.ReadFile(filepath.Join("..", "testdata", "ffs", m.file))
		if err != nil {
			t.Fatal(err)
		}
		imgs = append(imgs, img{m.file, data, false})
	}
	for _, im := range imgs {
		t.Run(im.name, func(t *testing.T) {
			orig, err := Open(bytes.NewReader(im.data), int64(len(im.data)))
			if err != nil {
				t.Fatal(err)
			}
			want := orig.Info()
			data := im.data
			for round := 1; round <= 3; round++ {
				var out bytes.Buffer
				if err := Rebuild(bytes.NewReader(data), int64(len(data)), &out, Edit{}); err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
				if out.Len() != len(im.data) {
					t.Fatalf("round %d: %d bytes, want %d", round, out.Len(), len(im.data))
				}
				fsys, err := Open(bytes.NewReader(out.Bytes()), int64(out.Len()))
				if err != nil {
					t.Fatal(err)
				}
				if err := fsys.Check(); err != nil {
					t.Fatalf("round %d: %v", round, err)
				}
				got := fsys.Info()
				if got.FragsPerGroup != want.FragsPerGroup || got.InodesPerGroup != want.InodesPerGroup ||
					got.CylinderGroups != want.CylinderGroups || got.Size != want.Size || got.Format != want.Format ||
					got.BlockSize != want.BlockSize || got.FragSize != want.FragSize || got.MinFree != want.MinFree ||
					got.Inodes != want.Inodes || got.Directories != want.Directories {
					t.Fatalf("round %d:\n got %+v\nwant %+v", round, got, want)
				}
				if im.same && !bytes.Equal(out.Bytes(), im.data) {
					t.Errorf("round %d: a no-op rebuild of a fugu image changed its bytes", round)
				}
				data = out.Bytes()
			}
		})
	}
}
