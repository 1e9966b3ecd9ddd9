//go:build !darwin && !windows && !plan9

package main

import "syscall"

// maxRSSBytes converts ru_maxrss, in KiB on Linux and the BSDs.
func maxRSSBytes(ru *syscall.Rusage) int64 { return int64(ru.Maxrss) * 1024 }
