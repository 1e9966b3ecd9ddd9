package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "install.conf")
	if err := WriteFile(p, []byte("a\n"), 0o600, Options{}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v %v", fi.Mode(), err)
	}
	if err := WriteFile(p, []byte("b\n"), 0o644, Options{}); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(p); string(data) != "b\n" {
		t.Errorf("contents %q", data)
	}
	err = WriteFile(p, []byte("c\n"), 0o644, Options{NoClobber: true})
	if !errors.Is(err, ErrExists) {
		t.Errorf("NoClobber over an existing file: %v", err)
	}
	if data, _ := os.ReadFile(p); string(data) != "b\n" {
		t.Errorf("contents after refused write %q", data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("leftover files: %v", entries)
	}
}

func TestWriteFileFailureLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	// A directory in the way makes the final rename fail.
	target := filepath.Join(dir, "busy")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(target, "x"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(target, []byte("data"), 0o644, Options{}); err == nil || err.Error() != target+" is a directory" {
		t.Fatalf("write over a directory: %v", err)
	}
	// A directory that cannot be written to: the error names the target,
	// not the temporary file.
	err := WriteFile(filepath.Join(dir, "missing", "f"), []byte("data"), 0o644, Options{})
	if want := "cannot write " + filepath.Join(dir, "missing", "f") + ": no such file or directory"; err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 || entries[0].Name() != "busy" {
		t.Errorf("temporary file left behind: %v", entries)
	}
}
