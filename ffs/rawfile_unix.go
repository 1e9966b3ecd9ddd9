//go:build unix

package ffs

import (
	"io"
	"os"
	"syscall"
)

// openSmall opens a small host file for one sequential read. It skips
// what os.Open does for files that may be polled (registering the
// descriptor with the runtime's poller costs a system call per file,
// which is most of the cost for tens of thousands of small files).
func openSmall(name string) (io.ReadCloser, error) {
	for {
		fd, err := syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "open", Path: name, Err: err}
		}
		return &rawFile{fd: fd, name: name}, nil
	}
}

// rawFile reads a regular file through its descriptor.
type rawFile struct {
	fd   int
	name string
}

func (f *rawFile) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		n, err := syscall.Read(f.fd, p)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return 0, &os.PathError{Op: "read", Path: f.name, Err: err}
		}
		if n == 0 {
			return 0, io.EOF
		}
		return n, nil
	}
}

func (f *rawFile) Close() error {
	if err := syscall.Close(f.fd); err != nil {
		return &os.PathError{Op: "close", Path: f.name, Err: err}
	}
	return nil
}

// regular reports whether a short read from r means end of file: true
// for the regular host files openSmall opens, where read(2) returns less
// than asked only at the end. (An *os.File might be a pipe.)
func regular(r io.Reader) bool {
	_, ok := r.(*rawFile)
	return ok
}
