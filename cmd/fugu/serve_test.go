package main

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeCommand runs "fugu serve" in-process on a free port, fetches a
// response file, stops it with SIGTERM and checks the exit and the log.
func TestServeCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "install.conf"), []byte("System hostname = x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	c := &cli{stdin: strings.NewReader(""), stdout: io.Discard, stderr: pw}
	code := make(chan int, 1)
	go func() {
		code <- c.main([]string{"serve", dir, "--listen", "127.0.0.1:0"})
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		t.Fatalf("no output: %v", lines.Err())
	}
	m := regexp.MustCompile(`^fugu serve: serving .* on (127\.0\.0\.1:[0-9]+) \(SIGINT or SIGTERM stops\)$`).FindStringSubmatch(lines.Text())
	if m == nil {
		t.Fatalf("first line %q", lines.Text())
	}
	// The log lines arrive on the same pipe: read them as they come.
	rest := make(chan []string, 1)
	go func() {
		var ls []string
		for lines.Scan() {
			ls = append(ls, lines.Text())
		}
		rest <- ls
	}()
	resp, err := http.Get("http://" + m[1] + "/00:11:22:33:44:55-install.conf?path=7.9/amd64")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 {
		t.Errorf("unknown MAC: %d", resp.StatusCode)
	}
	resp, err = http.Get("http://" + m[1] + "/install.conf?path=7.9/amd64")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "System hostname = x\n" {
		t.Errorf("install.conf: %d %q", resp.StatusCode, body)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case c := <-code:
		if c != exitOK {
			t.Errorf("exit %d after SIGTERM", c)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("fugu serve did not stop on SIGTERM")
	}
	ls := <-rest
	if len(ls) != 3 || !strings.Contains(ls[0], `path="/00:11:22:33:44:55-install.conf" query="path=7.9/amd64" setdir="7.9/amd64" status=404`) ||
		!strings.Contains(ls[1], `path="/install.conf" query="path=7.9/amd64" setdir="7.9/amd64" status=200 bytes=20 file="install.conf"`) ||
		ls[2] != "fugu serve: stopped" {
		t.Errorf("log:\n%s", strings.Join(ls, "\n"))
	}
}

func TestServeUsage(t *testing.T) {
	f := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(f, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "", "serve", f); code != exitUsage || !strings.Contains(errOut, f+" is not a directory") {
		t.Errorf("a file: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, "", "serve"); code != exitUsage || !strings.Contains(errOut, "missing argument: DIR [--listen ADDR]") {
		t.Errorf("no dir: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, "", "serve", t.TempDir(), "--listen", "256.0.0.1:1"); code != exitFailure || !strings.Contains(errOut, "fugu serve: listen tcp") {
		t.Errorf("bad address: %d %q", code, errOut)
	}
}
