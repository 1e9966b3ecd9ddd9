package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/fugu-tool/fugu/ffs"
)

func init() {
	register(&command{
		name:    "ffs",
		args:    "ls IMAGE [PATH] | cat IMAGE PATH | check IMAGE | mkfs -o IMAGE DIR",
		summary: "list, read, check and make FFS (UFS1/UFS2) file system images",
		help: `ls lists the files under PATH (default: all) with mode, links, owner,
size (major, minor for devices), modification time (UTC) and name, as
ls -l does: a symbolic link is listed as itself, not followed. A file
it cannot read is reported and the listing goes on; ls then exits 1.
Names and link targets are printed with a backslash doubled, C escapes
(\n, \t ...) for control characters, and \ooo (octal) for any other
byte that is not part of a printable UTF-8 character, like vis -co;
PATH is taken byte for byte, so bash's $'dir\351/x' names what ls
shows as dir\351/x; it starts at the image's root, with or without a
leading /, and may not hold "..". cat writes a regular file's contents
to standard output, following symbolic links.
check verifies the file system the way fsck_ffs would, without changing
it, and exits 1 on any problem. With --offset, IMAGE is a disk image
and the file system starts that many bytes in (ls, cat, check).

mkfs writes an image of the host directory DIR: FFS2 unless --ffs1, with
newfs's defaults (fragments of 2048 bytes, blocks of 16384, one inode per
8192 bytes, 5% minfree), each of which -b, -f, -i, -m change; the
smallest size that fits plus --free bytes unless --size is given. Sizes
take a k, m, g or t suffix (powers of 1024). Modes, owners, times, hard
links, symlinks, device nodes and FIFOs are copied; sockets are skipped,
as makefs skips them, with a message; --owner 0:0 makes every file
root's. The image is written to a temporary file renamed to IMAGE when
complete.

Examples:
  fugu ffs mkfs -o site.img --ffs1 --size 64m ./site
  fugu ffs mkfs -o root.img --ffs1 -m 0 -i 524288 --owner 0:0 ./root
  fugu ffs ls root.img etc
  fugu ffs cat ramdisk.fs auto_install.conf
  fugu ffs check --offset 491520 install.img`,
		flags: func(fs *flag.FlagSet) {
			fs.String("o", "", "mkfs: write the image to `FILE`")
			fs.Bool("ffs1", false, "mkfs: make FFS1 (UFS1), as OpenBSD's install media use")
			fs.Bool("ffs2", false, "mkfs: make FFS2 (UFS2), the default")
			fs.String("size", "", "mkfs: image size in bytes (k, m, g, t suffixes); default: smallest that fits")
			fs.String("free", "0", "mkfs: bytes to leave free when the size is computed")
			fs.Int("b", 0, "mkfs: block size, newfs -b")
			fs.Int("f", 0, "mkfs: fragment size, newfs -f")
			fs.Int("i", 0, "mkfs: bytes per inode, newfs -i")
			fs.String("m", "", "mkfs: percent of space reserved for root, newfs -m (default 5)")
			fs.String("owner", "", "mkfs: make every file owned by `UID:GID`")
			fs.String("time", "", "mkfs: time stamp of the file system, RFC 3339 (default: now)")
			fs.String("offset", "0", "ls, cat, check: byte offset of the file system in IMAGE")
		},
		run:     runFFS,
		minArgs: 1,
		maxArgs: 3,
	})
}

func runFFS(c *cli, fs *flag.FlagSet, args []string) error {
	sub, rest := args[0], args[1:]
	want := map[string][2]int{"ls": {1, 2}, "cat": {2, 2}, "check": {1, 1}, "mkfs": {1, 1}}
	n, ok := want[sub]
	if !ok {
		return usagef("unknown ffs command %q: ls, cat, check or mkfs", sub)
	}
	if len(rest) < n[0] || len(rest) > n[1] {
		return usagef("ffs %s takes %d to %d arguments, not %d", sub, n[0], n[1], len(rest))
	}
	// Each flag belongs to ls, cat and check, or to mkfs.
	var wrong []string
	fs.Visit(func(f *flag.Flag) {
		if (f.Name == "offset") == (sub == "mkfs") {
			wrong = append(wrong, dashes(f.Name))
		}
	})
	if len(wrong) > 0 {
		return usagef("ffs %s does not take %s", sub, strings.Join(wrong, ", "))
	}
	if sub == "mkfs" {
		return ffsMkfs(c, fs, rest[0])
	}
	fsys, closer, err := ffsOpen(rest[0], flagString(fs, "offset"))
	if err != nil {
		return err
	}
	defer closer.Close()
	// Paths are bytes, as the shell passes them: FFS names need not be
	// UTF-8, which io/fs paths must be.
	fsys = fsys.RawNames()
	err = ffsRead(c, fsys, sub, rest)
	if err != nil && sub != "check" && !errors.As(err, new(usageError)) {
		// Messages may hold names; keep their bytes off the terminal.
		// (Check's name them with %q and span lines.)
		err = errors.New(visName(err.Error()))
	}
	return err
}

// ffsRead runs ls, cat or check.
func ffsRead(c *cli, fsys *ffs.FS, sub string, rest []string) error {
	switch sub {
	case "ls":
		root := "."
		if len(rest) == 2 {
			var err error
			if root, err = imagePath(rest[1]); err != nil {
				return err
			}
		}
		return ffsList(c.stdout, c.stderr, fsys, root)
	case "cat":
		p, err := imagePath(rest[1])
		if err != nil {
			return err
		}
		f, err := fsys.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		switch {
		case fi.IsDir():
			return fmt.Errorf("%s: is a directory", rest[1])
		case !fi.Mode().IsRegular():
			return fmt.Errorf("%s: not a regular file (%s)", rest[1], lsMode(fi.Mode()))
		}
		_, err = io.Copy(c.stdout, f.(io.Reader))
		return err
	default: // check
		info := fsys.Info()
		if err := fsys.Check(); err != nil {
			return fmt.Errorf("%s: %w", rest[0], err)
		}
		fmt.Fprintf(c.stdout, "%s: %v, %d bytes, block %d, fragment %d, %d cylinder groups, %d inodes used, %d fragments free: clean\n",
			rest[0], info.Format, info.Size, info.BlockSize, info.FragSize, info.CylinderGroups, info.Inodes, info.FreeFrags)
		return nil
	}
}

// imagePath turns a PATH argument into a path in the image: from the
// root whether or not it starts with "/", without empty or "."
// elements or a trailing "/". ".." is refused: which directory it means
// depends on the symbolic links on the way.
func imagePath(arg string) (string, error) {
	var els []string
	for _, el := range strings.Split(arg, "/") {
		switch el {
		case "", ".":
		case "..":
			return "", usagef("%s: \"..\" is not taken in a path in the image", visName(arg))
		default:
			els = append(els, el)
		}
	}
	if len(els) == 0 {
		return ".", nil
	}
	return strings.Join(els, "/"), nil
}

// ffsOpen opens IMAGE, or the file system at a byte offset inside it.
func ffsOpen(name, offset string) (*ffs.FS, io.Closer, error) {
	off, err := parseBytes(offset)
	if err != nil {
		return nil, nil, usagef("--offset: %v", err)
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, nil, err
	}
	size, err := f.Seek(0, io.SeekEnd) // also right for block devices
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if off >= size {
		f.Close()
		return nil, nil, fmt.Errorf("%s: offset %d is past the end (%d bytes)", name, off, size)
	}
	fsys, err := ffs.Open(io.NewSectionReader(f, off, size-off), size-off)
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	return fsys, f, nil
}

// ffsList prints one line per file under root. A file it cannot read
// is reported on stderr and the listing goes on; the error at the end
// counts them.
func ffsList(w, stderr io.Writer, fsys *ffs.FS, root string) error {
	bad := 0
	report := func(msg string) {
		bad++
		fmt.Fprintf(stderr, "fugu ffs ls: %s\n", visName(msg))
	}
	err := fsys.Walk(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			report(err.Error())
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			report(p + ": " + err.Error())
			return nil
		}
		in := fi.Sys().(*ffs.Inode)
		size := strconv.FormatInt(fi.Size(), 10)
		if fi.Mode()&fs.ModeDevice != 0 {
			size = fmt.Sprintf("%d, %d", ffs.Major(in.Rdev), ffs.Minor(in.Rdev))
		}
		name := visName(p)
		if fi.Mode()&fs.ModeSymlink != 0 {
			t, err := fsys.ReadLink(p)
			if err != nil {
				report(err.Error())
				return nil
			}
			name += " -> " + visName(t)
		}
		_, err = fmt.Fprintf(w, "%s %3d %5d %5d %10s %s %s\n", lsMode(fi.Mode()), in.Nlink, in.UID, in.GID, size,
			fi.ModTime().UTC().Format("2006-01-02 15:04:05"), name)
		return err
	})
	if err == nil && bad > 0 {
		err = fmt.Errorf("%d %s could not be listed", bad, map[bool]string{true: "file", false: "files"}[bad == 1])
	}
	return err
}

// visName escapes a name or link target for the terminal, as vis(1)
// -co does: a backslash is doubled, newline, tab, carriage return,
// bell, backspace, form feed and vertical tab become \n \t \r \a \b
// \f \v, and every other byte that is not part of a printable UTF-8
// character becomes \ooo in octal. bash's $'...' reads the same
// escapes back into the bytes.
func visName(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\a':
			b.WriteString(`\a`)
		case r == '\b':
			b.WriteString(`\b`)
		case r == '\f':
			b.WriteString(`\f`)
		case r == '\v':
			b.WriteString(`\v`)
		case r != utf8.RuneError && unicode.IsPrint(r):
			b.WriteString(s[i : i+n])
		default:
			for _, c := range []byte(s[i : i+n]) {
				fmt.Fprintf(&b, "\\%03o", c)
			}
		}
		i += n
	}
	return b.String()
}

// lsMode formats a mode as ls(1) does: type letter, then rwx triplets
// with s, S, t and T for setuid, setgid and sticky.
func lsMode(m fs.FileMode) string {
	b := []byte("-rwxrwxrwx")
	switch {
	case m&fs.ModeDir != 0:
		b[0] = 'd'
	case m&fs.ModeSymlink != 0:
		b[0] = 'l'
	case m&fs.ModeCharDevice != 0:
		b[0] = 'c'
	case m&fs.ModeDevice != 0:
		b[0] = 'b'
	case m&fs.ModeNamedPipe != 0:
		b[0] = 'p'
	case m&fs.ModeSocket != 0:
		b[0] = 's'
	}
	for i := 0; i < 9; i++ {
		if m&(1<<(8-i)) == 0 {
			b[1+i] = '-'
		}
	}
	special := func(i int, set bool, on, off byte) {
		if set {
			if b[i] == 'x' {
				b[i] = on
			} else {
				b[i] = off
			}
		}
	}
	special(3, m&fs.ModeSetuid != 0, 's', 'S')
	special(6, m&fs.ModeSetgid != 0, 's', 'S')
	special(9, m&fs.ModeSticky != 0, 't', 'T')
	return string(b)
}

func ffsMkfs(c *cli, fs *flag.FlagSet, dir string) error {
	out := flagString(fs, "o")
	if out == "" {
		return usagef("mkfs needs -o IMAGE")
	}
	opts := ffs.Options{BlockSize: flagInt(fs, "b"), FragSize: flagInt(fs, "f"), Density: flagInt(fs, "i")}
	for _, f := range []struct {
		flag string
		v    int
	}{{"b", opts.BlockSize}, {"f", opts.FragSize}, {"i", opts.Density}} {
		if f.v < 0 {
			return usagef("-%s %d: want a positive number of bytes", f.flag, f.v)
		}
	}
	switch {
	case flagBool(fs, "ffs1") && flagBool(fs, "ffs2"):
		return usagef("--ffs1 and --ffs2 exclude each other")
	case flagBool(fs, "ffs1"):
		opts.Format = ffs.FFS1
	default:
		opts.Format = ffs.FFS2
	}
	var err error
	if s := flagString(fs, "size"); s != "" {
		if opts.Size, err = parseBytes(s); err != nil || opts.Size == 0 {
			return usagef("--size %q: want a positive number of bytes", s)
		}
	}
	if opts.FreeSpace, err = parseBytes(flagString(fs, "free")); err != nil {
		return usagef("--free: %v", err)
	}
	if m := flagString(fs, "m"); m != "" {
		v, err := strconv.Atoi(m)
		if err != nil || v < 0 || v > 99 {
			return usagef("-m %q: want a percentage 0 to 99", m)
		}
		opts.MinFree = &v
	}
	if s := flagString(fs, "time"); s != "" {
		if opts.Time, err = time.Parse(time.RFC3339, s); err != nil {
			return usagef("--time: %v", err)
		}
	}
	// The tree's metadata is the only thing that grows with the input
	// (contents stream through one buffer); collecting garbage at half
	// the default heap growth keeps the peak near the live heap.
	defer debug.SetGCPercent(debug.SetGCPercent(25))
	st, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if !st.IsDir() {
		return fmt.Errorf("%s: not a directory", dir)
	}
	t := ffs.NewTree()
	if err := t.AddDir(dir); err != nil {
		return err
	}
	for _, p := range t.Skipped() {
		fmt.Fprintf(c.stderr, "fugu ffs mkfs: skipped socket %s\n", visName(p))
	}
	if o := flagString(fs, "owner"); o != "" {
		uid, gid, err := parseOwner(o)
		if err != nil {
			return usagef("--owner %q: %v", o, err)
		}
		t.SetOwner(uid, gid)
	}
	im, err := ffs.Build(t, opts)
	if err != nil {
		return err
	}
	if err := im.WriteFile(out); err != nil {
		return err
	}
	i := im.Info()
	for _, w := range i.Warnings {
		fmt.Fprintf(c.stderr, "fugu ffs mkfs: %s\n", w)
	}
	fmt.Fprintf(c.stdout, "%s: %v, %d bytes (%.1f MB), block %d, fragment %d\n", out, i.Format, i.Size, float64(i.Size)/(1<<20), i.BlockSize, i.FragSize)
	fmt.Fprintf(c.stdout, "%d cylinder groups of %d fragments and %d inodes; %d inodes used, %d bytes free\n",
		i.CylinderGroups, i.FragsPerGroup, i.InodesPerGroup, i.Inodes, i.FreeFrags*int64(i.FragSize))
	return nil
}

func parseOwner(s string) (uint32, uint32, error) {
	u, g, ok := strings.Cut(s, ":")
	if !ok {
		return 0, 0, errors.New("want UID:GID")
	}
	uid, err1 := strconv.ParseUint(u, 10, 32)
	gid, err2 := strconv.ParseUint(g, 10, 32)
	if err1 != nil || err2 != nil {
		return 0, 0, errors.New("want numeric UID:GID")
	}
	return uint32(uid), uint32(gid), nil
}

// parseBytes reads a byte count with an optional k, m, g or t suffix
// (powers of 1024, as newfs's scan_scaled).
func parseBytes(s string) (int64, error) {
	mult := int64(1)
	if n := len(s); n > 0 {
		switch s[n-1] {
		case 'k', 'K':
			mult = 1 << 10
		case 'm', 'M':
			mult = 1 << 20
		case 'g', 'G':
			mult = 1 << 30
		case 't', 'T':
			mult = 1 << 40
		}
		if mult != 1 {
			s = s[:n-1]
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 || v > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a byte count", s)
	}
	return v * mult, nil
}
