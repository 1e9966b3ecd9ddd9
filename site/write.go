package site

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
)

// Write writes the set as a gzip-compressed ustar archive, the form
// install.sub 1.1288 extracts with "tar -zxphf - -C /mnt". Every header
// carries the entry's mode, uid/gid and user/group names and the set's
// mtime; the gzip header has no name and no time. Nothing depends on the
// machine or the clock, so the bytes depend only on the set.
func (s *Set) Write(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	for _, e := range s.Entries {
		h := &tar.Header{
			Name:    e.Name,
			Mode:    int64(e.Mode),
			Uid:     e.Uid,
			Gid:     e.Gid,
			Uname:   e.Uname,
			Gname:   e.Gname,
			ModTime: s.ModTime,
			Format:  tar.FormatUSTAR,
		}
		if e.Dir() {
			h.Typeflag = tar.TypeDir
		} else {
			h.Typeflag = tar.TypeReg
			h.Size = int64(len(e.Data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return fmt.Errorf("site set %s: %s: %w", s.Name, e.Name, err)
		}
		if !e.Dir() {
			if _, err := tw.Write(e.Data); err != nil {
				return fmt.Errorf("site set %s: %s: %w", s.Name, e.Name, err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("site set %s: %w", s.Name, err)
	}
	return zw.Close()
}

// Bytes returns the set's archive.
func (s *Set) Bytes() ([]byte, error) {
	var b bytes.Buffer
	if err := s.Write(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
