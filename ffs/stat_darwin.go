package ffs

import (
	"io/fs"
	"syscall"
)

// sysStat reads owner, flags, inode identity and device numbers from a
// macOS stat (major in bits 24-31, minor in bits 0-23).
func sysStat(fi fs.FileInfo) statInfo {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return statInfo{}
	}
	d := uint32(st.Rdev)
	return statInfo{ok: true, dev: uint64(uint32(st.Dev)), ino: st.Ino, nlink: uint64(st.Nlink), uid: st.Uid, gid: st.Gid,
		flags: st.Flags, hasRdev: true, major: d >> 24, minor: d & 0xffffff}
}
