//go:build !unix

package ffs

import (
	"io"
	"os"
)

func openSmall(name string) (io.ReadCloser, error) { return os.Open(name) }

func regular(io.Reader) bool { return false }
