package main

import (
	"os"
	"syscall"
)

// maxRSS is the child's peak resident memory: ru_maxrss, in bytes on
// macOS.
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Maxrss)
	}
	return 0
}
