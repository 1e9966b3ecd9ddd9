package ffs

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Entry is one object to put into an image: a regular file, directory,
// symbolic link, hard link, device node, FIFO or socket.
type Entry struct {
	// Path is slash-separated and relative to the image root
	// ("etc/motd"); "." (or "") is the root directory itself.
	Path string
	// Mode holds the type bits (fs.ModeDir, fs.ModeSymlink,
	// fs.ModeDevice with or without fs.ModeCharDevice, fs.ModeNamedPipe,
	// fs.ModeSocket; none for a regular file) and the permission bits,
	// including fs.ModeSetuid, fs.ModeSetgid and fs.ModeSticky.
	Mode     fs.FileMode
	UID, GID uint32
	ModTime  time.Time
	// Size and Open give a regular file's contents: Open must yield
	// exactly Size bytes. It is called once, while the image is written,
	// and the reader is closed right after; contents are never held whole
	// in memory. A nil Open with Size 0 makes an empty file.
	Size int64
	Open func() (io.ReadCloser, error)
	// Target is a symbolic link's target: 1 to PATH_MAX-1 (1023) bytes,
	// no NUL, as symlink(2) takes it.
	Target string
	// LinkTo makes this entry a hard link: another name for the
	// (non-directory) file now at that path, which must already be in
	// the tree. As with link(2), the two names then share one inode:
	// replacing or removing either name later leaves the other with the
	// file as it was. The other fields are ignored.
	LinkTo string
	// Major and Minor are a device node's numbers, stored with OpenBSD's
	// encoding (see Makedev), which takes majors up to 255 and minors up
	// to 2^24-1; Add refuses others.
	Major, Minor uint32
	// Flags are chflags(2) flags (di_flags).
	Flags uint32
}

// Bytes returns an Open function that reads b, for small generated files.
func Bytes(b []byte) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
}

// The largest device numbers OpenBSD's dev_t holds (sys/sys/types.h).
const (
	maxMajor = 0xff
	maxMinor = 0xffffff
)

// Makedev returns OpenBSD's dev_t for a device number pair: the macro
// makedev of sys/sys/types.h (major in bits 8-15, minor in bits 0-7 and
// 16-31). Bits that do not fit are dropped.
func Makedev(major, minor uint32) uint32 {
	return (major&0xff)<<8 | minor&0xff | (minor&0xffff00)<<8
}

// Major and Minor split an OpenBSD dev_t (sys/sys/types.h).
func Major(dev uint32) uint32 { return dev >> 8 & 0xff }
func Minor(dev uint32) uint32 { return dev&0xff | (dev&0xffff0000)>>8 }

// Tree is the set of entries an image is built from. Adding an entry
// whose parents are missing creates them as directories (mode 0755,
// owner 0:0, the image time); adding a path that exists replaces it.
type Tree struct {
	root    *tnode
	skipped []string
}

// Skipped lists the sockets AddDir and AddFS left out, in the order met.
// A socket is an endpoint of a running program, meaningless in an
// image; makefs skips them too. (Add takes one if asked.)
func (t *Tree) Skipped() []string { return t.skipped }

type tnode struct {
	e        Entry
	implicit bool // made for a missing parent; takes the image time
	kids     map[string]*tnode
	// link, for a hard link, is the node whose file this name shares
	// (never itself a link). It may have left the tree since.
	link *tnode
}

// file returns the node holding the entry's file: n, or for a hard
// link the node it shares.
func (n *tnode) file() *tnode {
	if n.link != nil {
		return n.link
	}
	return n
}

// NewTree returns a tree holding only the root directory (mode 0755,
// owner 0:0).
func NewTree() *Tree {
	return &Tree{root: &tnode{e: Entry{Path: ".", Mode: fs.ModeDir | 0o755}, implicit: true, kids: map[string]*tnode{}}}
}

// cleanPath normalizes an entry path: no leading slash, no "." or ".."
// elements, no empty elements. "" and "." mean the root.
func cleanPath(p string) (string, error) {
	q := strings.TrimPrefix(p, "/")
	if q == "" || q == "." {
		return ".", nil
	}
	for _, el := range strings.Split(q, "/") {
		switch {
		case el == "" || el == ".":
			return "", fmt.Errorf("path %q: empty or \".\" element", p)
		case el == "..":
			return "", fmt.Errorf("path %q: \"..\" element", p)
		case len(el) > maxNameLen:
			return "", fmt.Errorf("path %q: name %q is longer than %d bytes", p, el, maxNameLen)
		case strings.ContainsRune(el, 0):
			return "", fmt.Errorf("path %q: NUL in name", p)
		}
	}
	return q, nil
}

// Add adds or replaces an entry. Replacing a directory by a directory
// keeps its contents; replacing it by anything else drops them.
func (t *Tree) Add(e Entry) error {
	p, err := cleanPath(e.Path)
	if err != nil {
		return err
	}
	e.Path = p
	if err := checkEntry(&e); err != nil {
		return err
	}
	var target *tnode
	if e.LinkTo != "" {
		if p == "." {
			return fmt.Errorf("root entry cannot be a hard link")
		}
		if target = t.lookup(e.LinkTo); target == nil {
			return fmt.Errorf("%s: hard link target %s is not in the tree", showPath(p), showPath(e.LinkTo))
		}
		if target.kids != nil {
			return fmt.Errorf("%s: hard link to directory %s", showPath(p), showPath(e.LinkTo))
		}
		if e.LinkTo == p {
			return fmt.Errorf("%s: hard link to itself", showPath(p))
		}
		target = target.file()
	}
	if p == "." {
		if !e.Mode.IsDir() {
			return fmt.Errorf("root entry %q must be a directory", e.Path)
		}
		t.root.e, t.root.implicit = e, false
		return nil
	}
	els := strings.Split(p, "/")
	// Check the parents before creating any.
	dir := t.root
	for _, el := range els[:len(els)-1] {
		next := dir.kids[el]
		if next == nil {
			break
		}
		if next.kids == nil {
			return fmt.Errorf("%s: parent %s is not a directory", showPath(p), showPath(next.e.Path))
		}
		dir = next
	}
	dir = t.root
	for i, el := range els[:len(els)-1] {
		next := dir.kids[el]
		if next == nil {
			next = &tnode{e: Entry{Path: strings.Join(els[:i+1], "/"), Mode: fs.ModeDir | 0o755}, implicit: true, kids: map[string]*tnode{}}
			dir.kids[el] = next
		}
		dir = next
	}
	name := els[len(els)-1]
	old := dir.kids[name]
	n := &tnode{e: e, link: target}
	if e.Mode.IsDir() && target == nil {
		n.kids = map[string]*tnode{}
		if old != nil && old.kids != nil {
			n.kids = old.kids
		}
	}
	dir.kids[name] = n
	return nil
}

func checkEntry(e *Entry) error {
	if e.LinkTo != "" {
		q, err := cleanPath(e.LinkTo)
		if err != nil {
			return fmt.Errorf("%s: hard link: %w", showPath(e.Path), err)
		}
		e.LinkTo = q
		return nil
	}
	switch t := e.Mode.Type(); {
	case t == 0:
		if e.Size < 0 {
			return fmt.Errorf("%s: negative size %d", showPath(e.Path), e.Size)
		}
		if e.Open == nil && e.Size != 0 {
			return fmt.Errorf("%s: size %d but no contents (Open is nil)", showPath(e.Path), e.Size)
		}
	case t == fs.ModeSymlink:
		if e.Target == "" || len(e.Target) >= maxPathLen {
			return fmt.Errorf("%s: symbolic link target of %d bytes (1 to %d)", showPath(e.Path), len(e.Target), maxPathLen-1)
		}
		if strings.IndexByte(e.Target, 0) >= 0 {
			// A path ends at a NUL: symlink(2) cannot make this.
			return fmt.Errorf("%s: symbolic link target %q has a NUL byte", showPath(e.Path), e.Target)
		}
	case t == fs.ModeDevice, t == fs.ModeDevice|fs.ModeCharDevice:
		if e.Major > maxMajor || e.Minor > maxMinor {
			return fmt.Errorf("%s: device %d, %d does not fit OpenBSD's dev_t (major 0 to %d, minor 0 to %d)",
				showPath(e.Path), e.Major, e.Minor, maxMajor, maxMinor)
		}
	case t == fs.ModeDir, t == fs.ModeNamedPipe, t == fs.ModeSocket:
	default:
		return fmt.Errorf("%s: unsupported file type %v", showPath(e.Path), t)
	}
	return nil
}

// Remove deletes the entry at p and, for a directory, everything under it.
func (t *Tree) Remove(p string) error {
	q, err := cleanPath(p)
	if err != nil {
		return err
	}
	if q == "." {
		return fmt.Errorf("cannot remove the root directory")
	}
	dir, name := path.Split(q)
	parent := t.lookup(strings.TrimSuffix(dir, "/"))
	if parent == nil || parent.kids == nil || parent.kids[name] == nil {
		return fmt.Errorf("remove %s: %w", q, fs.ErrNotExist)
	}
	delete(parent.kids, name)
	return nil
}

// Lookup returns the entry at p. For a hard link it is the entry of
// the file the name shares, under the name p (LinkTo empty).
func (t *Tree) Lookup(p string) (Entry, bool) {
	q, err := cleanPath(p)
	if err != nil {
		return Entry{}, false
	}
	n := t.lookup(q)
	if n == nil {
		return Entry{}, false
	}
	e := n.file().e
	e.Path = n.e.Path
	return e, true
}

// SetOwner makes every file and directory in the tree owned by uid:gid.
func (t *Tree) SetOwner(uid, gid uint32) {
	var set func(n *tnode)
	set = func(n *tnode) {
		f := n.file()
		f.e.UID, f.e.GID = uid, gid
		for _, k := range n.kids {
			set(k)
		}
	}
	set(t.root)
}

func (t *Tree) lookup(q string) *tnode {
	n := t.root
	if q == "" || q == "." {
		return n
	}
	for _, el := range strings.Split(q, "/") {
		if n.kids == nil {
			return nil
		}
		if n = n.kids[el]; n == nil {
			return nil
		}
	}
	return n
}

// Walk calls fn for every entry, parents before children and siblings in
// byte order of their names, starting with the root. Of the names that
// share a file (hard links), the first one walked carries the file's
// entry and the others are hard links to it (LinkTo), so adding the
// entries to a new tree in this order rebuilds the same tree.
func (t *Tree) Walk(fn func(e Entry) error) error {
	first := map[*tnode]string{}
	var walk func(n *tnode) error
	walk = func(n *tnode) error {
		e := n.file().e
		e.Path = n.e.Path
		if n.kids == nil {
			if p, ok := first[n.file()]; ok {
				e = Entry{Path: n.e.Path, LinkTo: p}
			} else {
				first[n.file()] = n.e.Path
			}
		}
		if err := fn(e); err != nil {
			return err
		}
		for _, name := range sortedNames(n.kids) {
			if err := walk(n.kids[name]); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(t.root)
}

func sortedNames(m map[string]*tnode) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// AddDir adds the contents of the host directory dir (not dir itself,
// whose metadata becomes the root's) with their modes, owners, times,
// link targets and device numbers; names that share an inode (regular
// files, symlinks, devices, FIFOs) become hard links. Sockets are left
// out and listed by Skipped. Names are taken byte for byte, UTF-8 or not (io/fs paths must
// be UTF-8, so AddDir does not go through os.DirFS). Contents are read
// only when the image is written.
func (t *Tree) AddDir(dir string) error {
	return t.addFrom(hostSource{dir}, nil, false)
}

// hostSource reads a host directory.
type hostSource struct{ dir string }

func (h hostSource) name(p string) string { return filepath.Join(h.dir, filepath.FromSlash(p)) }

func (h hostSource) lstat(p string) (fs.FileInfo, error) { return os.Lstat(h.name(p)) }
func (h hostSource) readLink(p string) (string, error)   { return os.Readlink(h.name(p)) }
func (h hostSource) readDir(p string) ([]string, error) {
	f, err := os.Open(h.name(p))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.Readdirnames(-1)
}
func (h hostSource) open(p string, size int64) (io.ReadCloser, error) {
	if size < smallFile {
		return openSmall(h.name(p))
	}
	// An *os.File lets the kernel copy big files (copy_file_range).
	return os.Open(h.name(p))
}

// smallFile is the size below which AddDir's files are read through a
// bare descriptor.
const smallFile = 256 << 10

// AddFS adds the contents of fsys like AddDir. Symbolic links are kept as
// links when fsys implements fs.ReadLinkFS. Owners, device numbers and
// hard links are known when FileInfo.Sys is a *syscall.Stat_t (os.DirFS)
// or an *Inode (an FS opened by this package); otherwise owners are 0:0.
// Names that are not UTF-8 reach it only from an FS's RawNames view.
func (t *Tree) AddFS(fsys fs.FS) error {
	return t.addFrom(fsSource{fsys}, nil, false)
}

// fsSource reads an fs.FS.
type fsSource struct{ fsys fs.FS }

func (s fsSource) lstat(p string) (fs.FileInfo, error) { return fs.Lstat(s.fsys, p) }
func (s fsSource) readLink(p string) (string, error)   { return fs.ReadLink(s.fsys, p) }
func (s fsSource) readDir(p string) ([]string, error) {
	ents, err := fs.ReadDir(s.fsys, p)
	names := make([]string, len(ents))
	for i, e := range ents {
		names[i] = e.Name()
	}
	return names, err
}
func (s fsSource) open(p string, _ int64) (io.ReadCloser, error) { return s.fsys.Open(p) }

// source is a tree of files to add: a host directory or an fs.FS.
type source interface {
	lstat(p string) (fs.FileInfo, error)
	readDir(p string) ([]string, error)
	readLink(p string) (string, error)
	open(p string, size int64) (io.ReadCloser, error)
}

type fileID struct{ dev, ino uint64 }

// addFrom adds everything in src, parents first and names in byte
// order, except the paths for which skip (if not nil) is true and what
// is under them, and sockets unless keepSockets.
func (t *Tree) addFrom(src source, skip func(p string) bool, keepSockets bool) error {
	links := map[fileID]string{}
	var walk func(p string) error
	walk = func(p string) error {
		info, err := src.lstat(p)
		if err != nil {
			return err
		}
		if info.Mode().Type() == fs.ModeSocket && !keepSockets {
			t.skipped = append(t.skipped, p)
			return nil
		}
		st := statOf(info)
		if st.nlink > 1 && st.ok && !info.IsDir() {
			// Any file but a directory may have several names.
			id := fileID{st.dev, st.ino}
			if first, ok := links[id]; ok {
				return t.Add(Entry{Path: p, LinkTo: first})
			}
			links[id] = p
		}
		e := Entry{Path: p, Mode: info.Mode(), UID: st.uid, GID: st.gid, ModTime: info.ModTime(), Flags: st.flags}
		switch info.Mode().Type() {
		case 0:
			e.Size = info.Size()
			if e.Size > 0 {
				size := e.Size
				e.Open = func() (io.ReadCloser, error) { return src.open(p, size) }
			}
		case fs.ModeSymlink:
			if e.Target, err = src.readLink(p); err != nil {
				return err
			}
		case fs.ModeDevice, fs.ModeDevice | fs.ModeCharDevice:
			if !st.hasRdev {
				return fmt.Errorf("%s: device numbers unknown on this system", showPath(p))
			}
			e.Major, e.Minor = st.major, st.minor
		case fs.ModeDir, fs.ModeNamedPipe, fs.ModeSocket:
		default:
			return fmt.Errorf("%s: unsupported file type %v", showPath(p), info.Mode().Type())
		}
		if err := t.Add(e); err != nil {
			return err
		}
		if !info.IsDir() {
			return nil
		}
		names, err := src.readDir(p)
		if err != nil {
			return err
		}
		sort.Strings(names)
		for _, name := range names {
			q := name
			if p != "." {
				q = p + "/" + name
			}
			if skip != nil && skip(q) {
				continue
			}
			if err := walk(q); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(".")
}

// showPath is p for messages: as it is if it is printable UTF-8,
// quoted with Go escapes otherwise, so that no raw control or invalid
// bytes reach a terminal.
func showPath(p string) string {
	for _, r := range p {
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			return strconv.Quote(p)
		}
	}
	return p
}

// statInfo is what fugu needs from FileInfo.Sys.
type statInfo struct {
	ok           bool // dev/ino/nlink are known
	dev, ino     uint64
	nlink        uint64
	uid, gid     uint32
	flags        uint32
	hasRdev      bool
	major, minor uint32
}

func statOf(fi fs.FileInfo) statInfo {
	if in, ok := fi.Sys().(*Inode); ok {
		return statInfo{ok: true, dev: 0, ino: uint64(in.Ino), nlink: uint64(in.Nlink), uid: in.UID, gid: in.GID,
			flags: in.Flags, hasRdev: true, major: Major(in.Rdev), minor: Minor(in.Rdev)}
	}
	return sysStat(fi)
}
