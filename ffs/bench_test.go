package ffs

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"testing"
)

// benchTree has n small files in 100 directories, contents generated on
// the fly.
func benchTree(b *testing.B, n int, size int64) *Tree {
	b.Helper()
	t := NewTree()
	for i := 0; i < n; i++ {
		g := genFile{seed: uint64(i), size: size}
		if err := t.Add(Entry{Path: fmt.Sprintf("d%03d/f%06d", i%100, i), Mode: 0o644, Size: size, Open: g.open, ModTime: fixedTime}); err != nil {
			b.Fatal(err)
		}
	}
	return t
}

// BenchmarkPlan50k plans an image of 50,000 small files (no I/O).
func BenchmarkPlan50k(b *testing.B) {
	t := benchTree(b, 50000, 2000)
	b.ResetTimer()
	for b.Loop() {
		if _, err := Build(t, Options{Format: FFS1, Time: fixedTime}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWrite10kSmall writes an image of 10,000 files of 2000 bytes
// to a file.
func BenchmarkWrite10kSmall(b *testing.B) {
	t := benchTree(b, 10000, 2000)
	dir := b.TempDir()
	b.SetBytes(10000 * 2000)
	b.ResetTimer()
	for b.Loop() {
		im, err := Build(t, Options{Format: FFS2, Time: fixedTime})
		if err != nil {
			b.Fatal(err)
		}
		if err := im.WriteFile(filepath.Join(dir, "small.img")); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteLarge streams one 256 MiB file through WriteTo.
func BenchmarkWriteLarge(b *testing.B) {
	const size = 256 << 20
	t := NewTree()
	t.Add(Entry{Path: "big", Mode: 0o644, Size: size, Open: genFile{seed: 1, size: size}.open})
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		im, err := Build(t, Options{Format: FFS2, Time: fixedTime})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := im.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadFile reads a 16 MiB file back from an image in memory.
func BenchmarkReadFile(b *testing.B) {
	const size = 16 << 20
	t := NewTree()
	t.Add(Entry{Path: "f", Mode: 0o644, Size: size, Open: genFile{seed: 2, size: size}.open})
	img := buildBytes(b, t, Options{Format: FFS1, Time: fixedTime})
	fsys, err := Open(bytes.NewReader(img), int64(len(img)))
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 1<<20)
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		f, err := fsys.Open("f")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.CopyBuffer(io.Discard, f.(io.Reader), buf); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
