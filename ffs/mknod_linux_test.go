package ffs

import (
	"io/fs"
	"syscall"
	"unsafe"
)

func mkfifo(p string) error { return syscall.Mkfifo(p, 0o600) }

// mknod makes a device node with Linux's (glibc) device number encoding.
func mknod(p string, mode fs.FileMode, major, minor uint32) error {
	t := uint32(syscall.S_IFBLK)
	if mode&fs.ModeCharDevice != 0 {
		t = syscall.S_IFCHR
	}
	dev := uint64(minor&0xff) | uint64(major&0xfff)<<8 | uint64(minor&^0xff)<<12 | uint64(major&^0xfff)<<32
	return syscall.Mknod(p, t|uint32(mode.Perm()), int(dev))
}

// lutimes sets a symlink's own times: utimensat(AT_FDCWD, path, ts,
// AT_SYMLINK_NOFOLLOW), which package syscall does not wrap.
func lutimes(p string, sec, nsec int64) error {
	b, err := syscall.BytePtrFromString(p)
	if err != nil {
		return err
	}
	ts := [2]syscall.Timespec{{Sec: sec, Nsec: nsec}, {Sec: sec, Nsec: nsec}}
	const atSymlinkNofollow = 0x100
	atFdcwd := -100 // AT_FDCWD
	_, _, e := syscall.Syscall6(syscall.SYS_UTIMENSAT, uintptr(atFdcwd), uintptr(unsafe.Pointer(b)),
		uintptr(unsafe.Pointer(&ts[0])), atSymlinkNofollow, 0, 0)
	if e != 0 {
		return e
	}
	return nil
}

// limitFileSize sets RLIMIT_FSIZE, so that making a bigger file fails
// with EFBIG (Go ignores SIGXFSZ), and returns how to undo it.
func limitFileSize(n uint64) (func(), error) {
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		return nil, err
	}
	lim := old
	lim.Cur = n
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &lim); err != nil {
		return nil, err
	}
	return func() { syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old) }, nil
}
