// Package testenv lets tests ask for outside tools (makefs, qemu, sshd, ...):
// on a developer's machine a missing tool skips the test with a message that
// names the Debian package; under CI (CI=true) it fails the test, so nothing
// important is skipped silently there.
package testenv

import (
	"os"
	"os/exec"
	"testing"
)

// InCI reports whether the tests run under CI (CI=true).
func InCI() bool { return os.Getenv("CI") == "true" }

// Missing skips the test, or fails it under CI, with the reason given.
func Missing(t testing.TB, format string, args ...any) {
	t.Helper()
	if InCI() {
		t.Fatalf("CI=true and "+format, args...)
	}
	t.Skipf(format, args...)
}

// Tool returns the path of the named program; when it is not on PATH the
// test is skipped (failed under CI) with a hint naming the Debian package.
func Tool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		Missing(t, "%s not found on PATH (Debian package %s; scripts/test installs it)", name, debianPackage)
	}
	return p
}
