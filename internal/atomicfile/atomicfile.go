// Package atomicfile writes files so that readers see either the old
// contents or the new, never a half-written file: data goes to a temporary
// file in the same directory, is synced, and is renamed over the target.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrExists is returned by WriteFile with NoClobber when the target exists.
var ErrExists = errors.New("file exists")

// Options change how WriteFile behaves.
type Options struct {
	// NoClobber refuses to replace an existing file.
	NoClobber bool
}

// WriteFile writes data to path with the given permissions, atomically.
// The permissions are set before the data is written, so a secret is never
// readable by others, not even briefly.
func WriteFile(path string, data []byte, perm fs.FileMode, opts Options) error {
	if fi, err := os.Lstat(path); err == nil {
		switch {
		case fi.IsDir():
			return fmt.Errorf("%s is a directory", path)
		case fi.Mode()&fs.ModeSymlink != 0:
			return fmt.Errorf("%s is a symbolic link; name the file it points to", path)
		case opts.NoClobber:
			return fmt.Errorf("%s: %w (use --force to replace it)", path, ErrExists)
		}
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	tmp := f.Name()
	ok := false
	defer func() {
		if !ok {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := f.Chmod(perm); err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if opts.NoClobber {
		// Link fails if the target appeared meanwhile; rename would not.
		if err := os.Link(tmp, path); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("%s: %w (use --force to replace it)", path, ErrExists)
			}
			return err
		}
		ok = true
		os.Remove(tmp)
		return nil
	}
	if err := os.Rename(tmp, path); err != nil {
		var le *os.LinkError
		if errors.As(err, &le) {
			err = le.Err
		}
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	ok = true
	return nil
}
