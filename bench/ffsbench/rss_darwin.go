package main

import "syscall"

// maxRSSBytes converts ru_maxrss, in bytes on macOS.
func maxRSSBytes(ru *syscall.Rusage) int64 { return int64(ru.Maxrss) }
