package ffs

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzOpen feeds the reader damaged images: opening, walking, reading
// and checking must end with an error or success, never a panic or a
// hang. Seeds: the committed tiny makefs images and small images fugu
// writes in both formats (the bigger fixtures make the fuzzer crawl).
func FuzzOpen(f *testing.F) {
	imgs, _ := filepath.Glob(filepath.Join("..", "testdata", "ffs", "makefs-tiny-*.img"))
	for _, p := range imgs {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, format := range []Format{FFS1, FFS2} {
		f.Add(buildBytes(f, smallTree(f), Options{Format: format, BlockSize: 4096, FragSize: 512, Time: fixedTime}))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		exercise(data, 1<<16, true)
	})
}

// FuzzDecodeDir feeds the directory parser arbitrary chunks.
func FuzzDecodeDir(f *testing.F) {
	f.Add(encodeDir([]dirent{{".", 2, dtDir}, {"..", 2, dtDir}, {"file", 3, dtReg}}))
	f.Add(make([]byte, dirBlkSiz))
	f.Fuzz(func(t *testing.T, b []byte) {
		ents, err := decodeDir(b, 1000)
		if err != nil {
			return
		}
		for _, e := range ents {
			if e.ino == 0 || e.ino > 1000 || e.name == "" || len(e.name) > maxNameLen {
				t.Fatalf("decodeDir accepted %+v", e)
			}
		}
	})
}
