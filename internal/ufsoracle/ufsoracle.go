// Package ufsoracle lists FFS images with the Linux kernel's ufs driver,
// an FFS reader written independently of fugu, for tests: it boots a
// Debian kernel under qemu with a tiny busybox initramfs that mounts each
// image read-only (ufstype=44bsd for FFS1, ufs2 for FFS2) and prints, for
// every file, its type, mode, owner, link count, size, time, device
// numbers, SHA-256 and link target. Several images go into one boot.
//
// Limits: Linux reads FFS2 only with the superblock at 65536 and only
// fragment sizes 512..4096; it never reads the cylinder groups on a
// read-only mount, so it checks the tree and the contents, not the free
// maps. Hashing runs at a few tens of MB/s under TCG: keep images small.
// The kernel comes from scripts/oracle-kernel.
package ufsoracle

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Kernel is an unpacked kernel and the modules the guest loads.
type Kernel struct {
	Image   string   // vmlinux (preferred) or vmlinuz
	Modules []string // .ko files in load order
	Version string
}

// CacheDirs lists where scripts/oracle-kernel may have put the kernel,
// in the order it chooses them.
func CacheDirs() []string {
	if d := os.Getenv("FUGU_ORACLE_KERNEL"); d != "" {
		return []string{d}
	}
	dirs := []string{"/var/cache/fugu/oracle-kernel"}
	if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		dirs = append(dirs, filepath.Join(d, "fugu", "oracle-kernel"))
	} else if h, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(h, ".cache", "fugu", "oracle-kernel"))
	}
	return dirs
}

// FindKernel returns the kernel scripts/oracle-kernel unpacked.
func FindKernel() (*Kernel, error) {
	for _, d := range CacheDirs() {
		order, err := os.ReadFile(filepath.Join(d, "modules", "order"))
		if err != nil {
			continue
		}
		k := &Kernel{}
		for _, img := range []string{"vmlinux", "vmlinuz"} {
			if _, err := os.Stat(filepath.Join(d, img)); err == nil {
				k.Image = filepath.Join(d, img)
				break
			}
		}
		if k.Image == "" {
			continue
		}
		for _, m := range strings.Fields(string(order)) {
			k.Modules = append(k.Modules, filepath.Join(d, "modules", m+".ko"))
		}
		v, _ := os.ReadFile(filepath.Join(d, "VERSION"))
		k.Version = strings.TrimSpace(strings.ReplaceAll(string(v), "\n", " "))
		return k, nil
	}
	return nil, fmt.Errorf("no kernel in %s: run scripts/oracle-kernel", strings.Join(CacheDirs(), " or "))
}

// StaticBusybox returns a statically linked busybox (Debian package
// busybox-static), which the initramfs needs.
func StaticBusybox() (string, error) {
	cands := []string{"/bin/busybox", "/usr/bin/busybox"}
	if p, err := exec.LookPath("busybox"); err == nil {
		cands = append([]string{p}, cands...)
	}
	for _, p := range cands {
		f, err := elf.Open(p)
		if err != nil {
			continue
		}
		static := true
		for _, prog := range f.Progs {
			if prog.Type == elf.PT_INTERP {
				static = false
			}
		}
		f.Close()
		if static {
			return p, nil
		}
	}
	return "", errors.New("no statically linked busybox found (Debian package busybox-static)")
}

// Disk is one image to list.
type Disk struct {
	Path   string
	Type   string // "44bsd" (FFS1) or "ufs2" (FFS2)
	Offset int64  // byte offset of the file system in Path
	Size   int64  // bytes from Offset; 0: to the end of the file
}

// File is one line of a listing.
type File struct {
	Path   string // relative to the root, "." for the root
	Mode   uint32 // st_mode: type and permission bits
	UID    uint32
	GID    uint32
	Nlink  int
	Size   int64
	Mtime  int64
	Major  uint32 // device nodes
	Minor  uint32
	SHA256 string // regular files
	Target string // symbolic links
}

// Listing is what the kernel saw in one image.
type Listing struct {
	Files []File // sorted by path
	Err   string // mount failure, with the kernel's messages
}

// List boots the kernel once and lists every disk.
func List(ctx context.Context, k *Kernel, busybox string, disks []Disk) ([]Listing, error) {
	if len(disks) == 0 || len(disks) > 20 {
		return nil, fmt.Errorf("ufsoracle: %d disks (1 to 20 per boot)", len(disks))
	}
	qemu, err := exec.LookPath("qemu-system-x86_64")
	if err != nil {
		return nil, errors.New("qemu-system-x86_64 not found (Debian package qemu-system-x86)")
	}
	work, err := os.MkdirTemp("", "ufsoracle")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)
	initrd, err := buildInitramfs(k, busybox, disks)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(work, "initrd.cpio"), initrd, 0o644); err != nil {
		return nil, err
	}
	out := filepath.Join(work, "out.img")
	if err := os.WriteFile(out, nil, 0o644); err != nil {
		return nil, err
	}
	if err := os.Truncate(out, 256<<20); err != nil {
		return nil, err
	}
	// TCG by default: /dev/kvm may exist and still hang a guest (nested
	// virtualization on the project's machines); FUGU_ORACLE_ACCEL=kvm
	// opts in.
	accel := os.Getenv("FUGU_ORACLE_ACCEL")
	if accel == "" {
		accel = "tcg"
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, 10*time.Minute)
		defer cancel()
	}
	args := []string{
		"-M", "pc", "-accel", accel, "-m", "512", "-smp", "1",
		"-nodefaults", "-no-reboot", "-no-user-config", "-display", "none", "-monitor", "none",
		"-serial", "file:" + filepath.Join(work, "console.log"),
		"-kernel", k.Image, "-initrd", filepath.Join(work, "initrd.cpio"),
		"-append", "console=ttyS0 quiet loglevel=1 panic=-1",
	}
	for i, d := range disks {
		spec := fmt.Sprintf("driver=raw,node-name=d%d,read-only=on", i)
		if d.Offset != 0 || d.Size != 0 {
			size := d.Size
			if size == 0 {
				st, err := os.Stat(d.Path)
				if err != nil {
					return nil, err
				}
				size = st.Size() - d.Offset
			}
			spec += fmt.Sprintf(",offset=%d,size=%d", d.Offset, size)
		}
		spec += ",file.driver=file,file.locking=off,file.filename=" + qemuEscape(d.Path)
		args = append(args, "-blockdev", spec, "-device", fmt.Sprintf("virtio-blk-pci,drive=d%d", i))
	}
	args = append(args, "-blockdev", "driver=raw,node-name=out,file.driver=file,file.locking=off,file.filename="+qemuEscape(out),
		"-device", "virtio-blk-pci,drive=out")
	cmd := exec.CommandContext(ctx, qemu, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	start := time.Now()
	runErr := cmd.Run()
	console, _ := os.ReadFile(filepath.Join(work, "console.log"))
	if runErr != nil {
		return nil, fmt.Errorf("qemu: %v: %s\nconsole:\n%s", runErr, stderr.String(), tail(console, 30))
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	if i := bytes.IndexByte(raw, 0); i >= 0 {
		raw = raw[:i]
	}
	ls, err := parse(raw, len(disks))
	if err != nil {
		return nil, fmt.Errorf("%v (after %v)\nconsole:\n%s", err, time.Since(start).Round(time.Millisecond), tail(console, 30))
	}
	return ls, nil
}

// qemuEscape doubles commas, which separate -blockdev options.
func qemuEscape(p string) string { return strings.ReplaceAll(p, ",", ",,") }

func tail(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// parse reads the guest's output (see listScript): per disk a
// "@@DISK i" line, then the listing records or "@@MOUNTFAIL"; "@@END"
// at the end.
func parse(raw []byte, ndisks int) ([]Listing, error) {
	ls := make([]Listing, ndisks)
	disks := make([]*diskOut, ndisks)
	var cur *diskOut
	ended := false
	sc := bufio.NewScanner(bytes.NewReader(raw))
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	line := 0
	for sc.Scan() {
		line++
		t := sc.Text()
		bad := func(why string) error {
			if len(t) > 80 {
				t = t[:80] + "..."
			}
			return fmt.Errorf("guest output line %d: %s: %q", line, why, t)
		}
		rec, arg, _ := strings.Cut(t, " ")
		if !strings.HasPrefix(rec, "@@") {
			continue // console noise
		}
		if rec != "@@DISK" && rec != "@@END" && cur == nil {
			continue
		}
		var err error
		switch rec {
		case "@@DISK":
			i, err := strconv.Atoi(arg)
			if err != nil || i < 0 || i >= ndisks {
				return nil, bad("bad disk number")
			}
			cur = &diskOut{listing: &ls[i], hex: map[string][]byte{}}
			disks[i] = cur
		case "@@END":
			ended = true
		case "@@MOUNTFAIL":
			cur.listing.Err = strings.TrimSpace(arg)
		case "@@S":
			f := strings.Fields(arg)
			if len(f) != 8 {
				return nil, bad("stat line without 8 fields")
			}
			var v [8]int64
			for i := range f {
				base := 10
				if i == 0 || i == 6 || i == 7 {
					base = 16
				}
				if v[i], err = strconv.ParseInt(f[i], base, 64); err != nil {
					return nil, bad("bad number")
				}
			}
			cur.stats = append(cur.stats, File{Mode: uint32(v[0]), UID: uint32(v[1]), GID: uint32(v[2]), Nlink: int(v[3]),
				Size: v[4], Mtime: v[5], Major: uint32(v[6]), Minor: uint32(v[7])})
		case "@@N", "@@F", "@@H", "@@LN", "@@LT":
			b, err := hex.DecodeString(arg)
			if err != nil {
				return nil, bad("bad hex")
			}
			cur.hex[rec] = b
		default:
			return nil, bad("unknown record")
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if !ended {
		return nil, errors.New("guest output has no @@END (guest crashed or output truncated)")
	}
	for i, d := range disks {
		if d == nil {
			return nil, fmt.Errorf("no output for disk %d", i)
		}
	}
	for i, d := range disks {
		if d.listing.Err != "" {
			continue
		}
		if err := d.assemble(); err != nil {
			return nil, fmt.Errorf("disk %d: %v", i, err)
		}
		sortFiles(d.listing.Files)
	}
	return ls, nil
}

// diskOut collects one disk's records.
type diskOut struct {
	listing *Listing
	stats   []File
	hex     map[string][]byte
}

// assemble puts names, stat lines, checksums and link targets together.
func (d *diskOut) assemble() error {
	for _, rec := range []string{"@@N", "@@F", "@@H", "@@LN", "@@LT"} {
		if _, ok := d.hex[rec]; !ok {
			return fmt.Errorf("no %s record", rec)
		}
	}
	names := nulList(d.hex["@@N"])
	if len(names) != len(d.stats) {
		return fmt.Errorf("%d names but %d stat lines", len(names), len(d.stats))
	}
	byPath := make(map[string]*File, len(names))
	files := make([]File, len(names))
	for i, n := range names {
		if n == "" {
			return fmt.Errorf("an empty name")
		}
		files[i] = d.stats[i]
		files[i].Path = rel(n)
		byPath[files[i].Path] = &files[i]
	}
	// sha256sum prints "<64 hex>  <name>\n" for each file in order.
	sums := d.hex["@@H"]
	for _, n := range nulList(d.hex["@@F"]) {
		f := byPath[rel(n)]
		want := "  " + n + "\n"
		if f == nil || len(sums) < 64+len(want) || string(sums[64:64+len(want)]) != want {
			return fmt.Errorf("checksum of %q missing or out of order", n)
		}
		f.SHA256 = string(sums[:64])
		sums = sums[64+len(want):]
	}
	if len(sums) != 0 {
		return fmt.Errorf("%d bytes of checksums left over", len(sums))
	}
	lnames, targets := nulList(d.hex["@@LN"]), nulList(d.hex["@@LT"])
	if len(lnames) != len(targets) {
		return fmt.Errorf("%d links but %d targets", len(lnames), len(targets))
	}
	for i, n := range lnames {
		f := byPath[rel(n)]
		if f == nil || !strings.HasSuffix(targets[i], "\n") {
			return fmt.Errorf("link %q not listed or its target not ended by a newline", n)
		}
		f.Target = strings.TrimSuffix(targets[i], "\n")
	}
	d.listing.Files = files
	return nil
}

// nulList splits NUL-terminated strings.
func nulList(b []byte) []string {
	if len(b) == 0 {
		return nil
	}
	return strings.Split(strings.TrimSuffix(string(b), "\x00"), "\x00")
}

func rel(p string) string {
	if p == "." {
		return "."
	}
	return strings.TrimPrefix(p, "./")
}
