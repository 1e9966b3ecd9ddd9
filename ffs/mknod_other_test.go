//go:build !linux

package ffs

import (
	"errors"
	"io/fs"
)

func mkfifo(string) error { return errors.New("mkfifo: only on Linux in these tests") }

func mknod(string, fs.FileMode, uint32, uint32) error {
	return errors.New("mknod: only on Linux in these tests")
}

func lutimes(string, int64, int64) error { return errors.New("lutimes: only on Linux in these tests") }

func limitFileSize(uint64) (func(), error) {
	return nil, errors.New("RLIMIT_FSIZE: only on Linux in these tests")
}
