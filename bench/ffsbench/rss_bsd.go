//go:build unix && !darwin

package main

import (
	"os"
	"syscall"
)

// maxRSS is the child's peak resident memory in bytes: ru_maxrss, which
// Linux and the BSDs give in KiB.
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Maxrss) * 1024
	}
	return 0
}
