package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRenderCommand(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	args := []string{"render", "../../profiles/examples/laptop.yaml", "--dmesg", "../../testdata/dmesg/synthetic/laptop-32g-hdd-sd0-nvme-sd1.txt",
		"-o", dir, "--url", "http://192.0.2.1/", "--mac", "00:0d:b9:aa:bb:01"}

	code, out, errOut := run(t, "", append(args, "--dry-run")...)
	if code != exitOK {
		t.Fatalf("dry run: %d %s", code, errOut)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("dry run created %s", dir)
	}
	wantLines := []string{
		"would write into " + dir + ":",
		"  0600     1856  00:0d:b9:aa:bb:01-install.conf           answers for puffy by MAC",
		"  0644      166  puffy.disklabel                          disklabel template for sd1",
	}
	for _, l := range wantLines {
		if !strings.Contains(out, l+"\n") {
			t.Errorf("dry run output lacks %q:\n%s", l, out)
		}
	}

	code, out, errOut = run(t, "", args...)
	if code != exitOK {
		t.Fatalf("render: %d %s", code, errOut)
	}
	for _, name := range []string{"00:0d:b9:aa:bb:01-install.conf", "puffy-install.conf", "install.conf", "puffy.disklabel", "7.9/amd64/site79-puffy.tgz", "7.9/amd64/index.txt"} {
		if !strings.Contains(out, "wrote "+dir+"/"+name+"\n") {
			t.Errorf("output lacks %s:\n%s", name, out)
		}
	}
	if !strings.Contains(errOut, "warning: install media predicted as sd2") {
		t.Errorf("stderr lacks the plan's warning:\n%s", errOut)
	}

	// The rendered answers lint clean against the same plan.
	code, out, _ = run(t, "", "lint", filepath.Join(dir, "puffy-install.conf"), "--plan", "../../profiles/examples/laptop.yaml",
		"--dmesg", "../../testdata/dmesg/synthetic/laptop-32g-hdd-sd0-nvme-sd1.txt", "--url", "http://192.0.2.1/")
	if code != exitOK || !strings.Contains(out, "The install runs to the end.\n0 error(s), 0 warning(s)") {
		t.Errorf("lint of rendered answers: %d\n%s", code, out)
	}

	if code, _, errOut := run(t, "", "render", "../../profiles/examples/laptop.yaml", "-o", dir); code != exitUsage || !strings.Contains(errOut, "--dmesg FILE is required") {
		t.Errorf("render without --dmesg: %d %s", code, errOut)
	}
	code, _, errOut = run(t, "", "render", "../../profiles/examples/laptop.yaml", "--dmesg", "../../testdata/dmesg/synthetic/laptop-32g-hdd-sd0-nvme-sd1.txt", "-o", dir)
	if code != exitFailure || !strings.Contains(errOut, "pass --url http://ADDRESS/") {
		t.Errorf("render without --url: %d %s", code, errOut)
	}
}
