package ffs

import (
	"fmt"
	"strings"
)

// Directory format (sys/ufs/ufs/dir.h 1.13): a directory is a sequence of
// DIRBLKSIZ chunks; each holds variable-length entries (u32 inode,
// u16 record length, u8 type, u8 name length, the name NUL-terminated
// and padded to 4 bytes) that never cross a chunk, and the last entry of
// a chunk claims the rest of it.
const (
	dirBlkSiz  = 512 // DIRBLKSIZ = DEV_BSIZE
	maxNameLen = 255 // MAXNAMLEN
	direntHdr  = 8
)

// dirsiz is DIRSIZ: the bytes an entry with an n-byte name needs.
func dirsiz(n int) int { return direntHdr + (n+1+3)&^3 }

// dirent is one directory entry.
type dirent struct {
	name string
	ino  uint32
	typ  uint8
}

// dirBytesSize returns the size of the directory holding ents, in bytes
// (a multiple of DIRBLKSIZ; an empty list still takes one chunk).
func dirBytesSize(ents []dirent) int64 {
	var size int64
	room := 0
	for _, e := range ents {
		n := dirsiz(len(e.name))
		if n > room {
			size += dirBlkSiz
			room = dirBlkSiz
		}
		room -= n
	}
	if size == 0 {
		size = dirBlkSiz
	}
	return size
}

// encodeDir returns the directory's bytes; len is dirBytesSize(ents).
func encodeDir(ents []dirent) []byte {
	b := make([]byte, dirBytesSize(ents))
	chunk, off := -dirBlkSiz, dirBlkSiz // no chunk open yet
	last := -1                          // offset of the previous entry in the chunk
	for _, e := range ents {
		n := dirsiz(len(e.name))
		if off+n > dirBlkSiz {
			if last >= 0 {
				le.PutUint16(b[chunk+last+4:], uint16(dirBlkSiz-last))
			}
			chunk += dirBlkSiz
			off, last = 0, -1
		}
		p := b[chunk+off:]
		le.PutUint32(p, e.ino)
		le.PutUint16(p[4:], uint16(n))
		p[6] = e.typ
		p[7] = byte(len(e.name))
		copy(p[8:], e.name)
		last = off
		off += n
	}
	if last >= 0 {
		le.PutUint16(b[chunk+last+4:], uint16(dirBlkSiz-last))
	} else {
		// An empty directory chunk: one free entry spanning it.
		le.PutUint16(b[4:], dirBlkSiz)
	}
	return b
}

// decodeDir parses directory bytes. It rejects anything the kernel's
// ufs_dirbadentry would (record lengths that are not 4-aligned, too
// short for the name, or that cross a chunk; names with '/' or NUL;
// inode numbers beyond maxIno) and returns the live entries in order.
func decodeDir(b []byte, maxIno uint32) ([]dirent, error) {
	if len(b)%dirBlkSiz != 0 {
		return nil, fmt.Errorf("directory size %d is not a multiple of %d", len(b), dirBlkSiz)
	}
	var ents []dirent
	for chunk := 0; chunk < len(b); chunk += dirBlkSiz {
		off := 0
		for off < dirBlkSiz {
			p := b[chunk+off:]
			ino := le.Uint32(p)
			reclen := int(le.Uint16(p[4:]))
			namlen := int(p[7])
			switch {
			case reclen < direntHdr || reclen%4 != 0:
				return nil, fmt.Errorf("directory entry at %d: bad record length %d", chunk+off, reclen)
			case off+reclen > dirBlkSiz:
				return nil, fmt.Errorf("directory entry at %d: record length %d crosses a %d-byte chunk", chunk+off, reclen, dirBlkSiz)
			}
			if ino != 0 {
				if dirsiz(namlen) > reclen {
					return nil, fmt.Errorf("directory entry at %d: name length %d does not fit record length %d", chunk+off, namlen, reclen)
				}
				if ino > maxIno {
					return nil, fmt.Errorf("directory entry at %d: inode %d out of range (max %d)", chunk+off, ino, maxIno)
				}
				name := string(p[8 : 8+namlen])
				if namlen == 0 || strings.ContainsAny(name, "/\x00") {
					return nil, fmt.Errorf("directory entry at %d: bad name %q", chunk+off, name)
				}
				ents = append(ents, dirent{name: name, ino: ino, typ: p[6]})
			}
			off += reclen
		}
	}
	return ents, nil
}
