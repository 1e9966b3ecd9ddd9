package site

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteIndex(t *testing.T) {
	may := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	entries := []IndexEntry{
		{Name: "site79.tgz", Size: 1234, ModTime: may},
		{Name: "site79-puffy.tgz", Size: 1048576, ModTime: may.Add(13*time.Hour + 7*time.Minute + 9*time.Second)},
		{Name: "bsd.rd", Size: 5, ModTime: time.Date(2025, 12, 24, 9, 0, 0, 0, time.FixedZone("CET", 3600)), Mode: 0o600, Owner: "_fugu", Group: "staff"},
	}
	var b bytes.Buffer
	if err := WriteIndex(&b, entries); err != nil {
		t.Fatal(err)
	}
	// ls -lT: sorted by name, columns padded to the widest entry, times
	// in UTC here.
	want := "" +
		"-rw-------  1 _fugu  staff        5 Dec 24 08:00:00 2025 bsd.rd\n" +
		"-rw-r--r--  1 root   wheel  1048576 May  1 13:07:09 2026 site79-puffy.tgz\n" +
		"-rw-r--r--  1 root   wheel     1234 May  1 00:00:00 2026 site79.tgz\n"
	if b.String() != want {
		t.Errorf("index.txt:\n%s\nwant:\n%s", b.String(), want)
	}
	names, err := IndexNames(&b)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(names, " ") != "bsd.rd site79-puffy.tgz site79.tgz" {
		t.Errorf("names read back: %q", names)
	}
	if err := WriteIndex(&b, []IndexEntry{{Name: "00:11:22:33:44:55-install.conf"}}); err == nil ||
		!strings.Contains(err.Error(), `the installer cannot offer "00:11:22:33:44:55-install.conf"`) {
		t.Errorf("error for a name the installer skips: %v", err)
	}
}

// TestIndexNames reads index.txt files the way install_http does,
// including what people write by hand.
func TestIndexNames(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"-rw-r--r--  1 root  wheel  1234 May  1 00:00:00 2026 site79.tgz\n", []string{"site79.tgz"}},
		{"site79.tgz\n", nil}, // a bare name: sed wants something and a blank before it
		{" site79.tgz\n", []string{"site79.tgz"}},
		{"x site79-puffy.tgz\r\n", nil},                 // CRLF: the CR is part of the name
		{"x 1site.tgz\nx _x\nx a bc\n", []string{"bc"}}, // names start with a letter; the last field wins
		{"x site79.tgz \n", nil},                        // a trailing blank leaves an empty last field
		{"x bsd\nx bsd.mp\nx INSTALL.amd64\n", []string{"bsd", "bsd.mp", "INSTALL.amd64"}},
		{"x s\n", nil}, // at least two characters
	}
	for _, tt := range tests {
		got, err := IndexNames(strings.NewReader(tt.in))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("IndexNames(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOfferable(t *testing.T) {
	for name, want := range map[string]bool{
		"site79-puffy.tgz": true, "site79.tgz": true, "bsd.rd": true, "base79.tgz": true,
		"00:11:22:33:44:55-install.conf": false, "install.conf": true, "a b": false, "-x": false, "x": false, "": false,
	} {
		if got := Offerable(name); got != want {
			t.Errorf("Offerable(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestIndexDir(t *testing.T) {
	dir := t.TempDir()
	mtime := time.Date(2026, 5, 2, 3, 4, 5, 0, time.UTC)
	for name, content := range map[string]string{"site79-puffy.tgz": "abc", "index.txt": "old", "00:11:22:33:44:55-install.conf": "x", "bsd.rd": "12345"} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	es, err := IndexDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteIndex(&b, es); err != nil {
		t.Fatal(err)
	}
	want := "-rw-r--r--  1 root  wheel  5 May  2 03:04:05 2026 bsd.rd\n" +
		"-rw-r--r--  1 root  wheel  3 May  2 03:04:05 2026 site79-puffy.tgz\n"
	if b.String() != want {
		t.Errorf("index of a directory:\n%s\nwant:\n%s", b.String(), want)
	}
}

// FuzzIndexNames: reading never fails on text, every name it returns is
// one the installer offers, and WriteIndex of those names reads back the
// same.
func FuzzIndexNames(f *testing.F) {
	f.Add("-rw-r--r--  1 root  wheel  1234 May  1 00:00:00 2026 site79.tgz\n")
	f.Add("x a b\r\nsite\n\n x\x00y\n")
	f.Fuzz(func(t *testing.T, in string) {
		names, err := IndexNames(strings.NewReader(in))
		if err != nil {
			return // a line longer than the scanner takes
		}
		var es []IndexEntry
		seen := map[string]bool{}
		for _, n := range names {
			if !Offerable(n) {
				t.Fatalf("%q is not offerable", n)
			}
			if !seen[n] {
				es = append(es, IndexEntry{Name: n})
				seen[n] = true
			}
		}
		var b bytes.Buffer
		if err := WriteIndex(&b, es); err != nil {
			t.Fatal(err)
		}
		back, err := IndexNames(&b)
		if err != nil || len(back) != len(es) {
			t.Fatalf("read back %q (%v) from %q", back, err, b.String())
		}
	})
}
