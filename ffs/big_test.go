package ffs

import (
	"os"
	"path/filepath"
	"testing"
)

// TestHugePlan: planning a 100 TiB image takes moments (it took 25 s on the machine this was written on
// when free maps were filled and counted bit by bit), with newfs's
// geometry for it.
func TestHugePlan(t *testing.T) {
	tr := NewTree()
	tr.Add(Entry{Path: "f", Mode: 0o644})
	var info Info
	withTimeout(t, 10e9, func() error {
		im, err := Build(tr, Options{Size: 100 << 40, Time: fixedTime})
		if err != nil {
			return err
		}
		info = im.Info()
		return nil
	})
	if info.CylinderGroups != 32098 || info.FragsPerGroup != 418160 || info.InodesPerGroup != 104704 ||
		info.FragSize != 8192 || info.BlockSize != 65536 || info.Size != 100<<40 || info.Inodes != 4 {
		t.Errorf("100 TiB: %+v", info)
	}
}

// TestWriteFileTooLarge: a size the output's file system refuses fails
// before anything is written, saying so, and leaves no file behind.
func TestWriteFileTooLarge(t *testing.T) {
	tr := NewTree()
	tr.Add(Entry{Path: "f", Mode: 0o644, Size: 2, Open: Bytes([]byte("x\n"))})
	im, err := Build(tr, Options{Size: 4 << 30, Time: fixedTime})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	restore, err := limitFileSize(1 << 30)
	if err != nil {
		t.Skipf("cannot limit the file size: %v", err)
	}
	err = im.WriteFile(filepath.Join(dir, "big.img"))
	restore()
	if want := "cannot make a file of 4294967296 bytes in " + dir + ": file too large"; err == nil || err.Error() != want {
		t.Errorf("WriteFile: %v\nwant %s", err, want)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("left behind: %v", ents)
	}
}
