package site

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"sort"
	"time"
)

// IndexEntry is one file in an index.txt.
type IndexEntry struct {
	Name    string
	Size    int64
	ModTime time.Time
	Mode    fs.FileMode // permission bits; 0 means 0644
	Owner   string      // "" means root
	Group   string      // "" means wheel
}

// indexNameRE is what install_http (install.sub 1.1288) takes from each
// index.txt line: the last blank-separated field, when it starts with a
// letter and holds only letters, digits, dots, underscores and dashes
// (sed -En 's/^.* ([a-zA-Z][a-zA-Z0-9._-]+)$/\1/p'). Sets named so are
// offered over HTTP even when SHA256.sig does not list them.
var indexNameRE = regexp.MustCompile(`^.* ([a-zA-Z][a-zA-Z0-9._-]+)$`)

// Offerable reports whether the installer can pick a file of this name
// from index.txt.
func Offerable(name string) bool {
	m := indexNameRE.FindStringSubmatch("x " + name)
	return m != nil && m[1] == name
}

// WriteIndex writes an index.txt the way "ls -lT" prints a directory
// (install.site(5) suggests it; OpenBSD bin/ls/print.c printlong and
// printtime): mode, links, owner, group, size, "Mon dd hh:mm:ss yyyy",
// name, columns padded like ls, sorted by name, times in UTC. Names the
// installer cannot offer are an error, so a set never goes missing
// quietly.
func WriteIndex(w io.Writer, entries []IndexEntry) error {
	es := append([]IndexEntry(nil), entries...)
	sort.Slice(es, func(i, j int) bool { return es[i].Name < es[j].Name })
	var wOwner, wGroup, wSize int
	for i := range es {
		e := &es[i]
		if !Offerable(e.Name) {
			return fmt.Errorf("index.txt: the installer cannot offer %q (names start with a letter and hold letters, digits, '.', '_', '-')", e.Name)
		}
		if e.Mode == 0 {
			e.Mode = 0o644
		}
		e.Owner = defaultString(e.Owner, "root")
		e.Group = defaultString(e.Group, "wheel")
		wOwner = max(wOwner, len(e.Owner))
		wGroup = max(wGroup, len(e.Group))
		wSize = max(wSize, len(fmt.Sprint(e.Size)))
	}
	bw := bufio.NewWriter(w)
	for _, e := range es {
		// strmode(3) gives the type, nine permission letters and a
		// blank; printlong adds " %*u " for the link count (always 1).
		fmt.Fprintf(bw, "%s  1 %-*s  %-*s  %*d %s %s\n",
			fs.FileMode(e.Mode.Perm()).String(), wOwner, e.Owner, wGroup, e.Group, wSize, e.Size,
			e.ModTime.UTC().Format("Jan _2 15:04:05 2006"), e.Name)
	}
	return bw.Flush()
}

// IndexDir lists the regular files in a directory that the installer can
// offer, for WriteIndex. index.txt itself is left out.
func IndexDir(dir string) ([]IndexEntry, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var es []IndexEntry
	for _, de := range des {
		if !de.Type().IsRegular() || de.Name() == "index.txt" || !Offerable(de.Name()) {
			continue
		}
		fi, err := de.Info()
		if err != nil {
			return nil, err
		}
		es = append(es, IndexEntry{Name: de.Name(), Size: fi.Size(), ModTime: fi.ModTime(), Mode: fi.Mode().Perm()})
	}
	return es, nil
}

// IndexNames reads an index.txt as install_http does and returns the file
// names it offers, in order.
func IndexNames(r io.Reader) ([]string, error) {
	var names []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	sc.Split(sedLines)
	for sc.Scan() {
		if m := indexNameRE.FindStringSubmatch(sc.Text()); m != nil {
			names = append(names, m[1])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("index.txt: %w", err)
	}
	return names, nil
}

// sedLines splits at newlines only, as sed(1) does: unlike
// bufio.ScanLines it keeps a CR before the newline, which then makes the
// name not match, as on the installer.
func sedLines(data []byte, atEOF bool) (int, []byte, error) {
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		return i + 1, data[:i], nil
	}
	if atEOF && len(data) > 0 {
		return len(data), data, nil
	}
	return 0, nil, nil
}
