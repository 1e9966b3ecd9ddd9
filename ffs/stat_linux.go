package ffs

import (
	"io/fs"
	"syscall"
)

// sysStat reads owner, inode identity and device numbers from a Linux
// stat. Device numbers use glibc's encoding (gnu_dev_major/minor).
func sysStat(fi fs.FileInfo) statInfo {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return statInfo{}
	}
	d := st.Rdev
	return statInfo{ok: true, dev: st.Dev, ino: st.Ino, nlink: uint64(st.Nlink), uid: st.Uid, gid: st.Gid,
		hasRdev: true,
		major:   uint32(d>>8&0xfff | d>>32&0xfffff000),
		minor:   uint32(d&0xff | d>>12&0xffffff00)}
}
