package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLint(t *testing.T) {
	const (
		golden  = "../../testdata/autoinstall/render/vm--kvm-qemu41-virtio-6.6-amd64--7.9.conf"
		profile = "../../profiles/examples/vm.yaml"
		dmesg   = "../../testdata/dmesg/kvm-qemu41-virtio-6.6-amd64.txt"
		broken  = "../../testdata/installconf/hostname-only-with-comments.auto_install.conf"
	)
	tests := []struct {
		name      string
		stdin     string
		args      []string
		code      int
		out, errs string // substrings of stdout and stderr
	}{
		{
			name: "rendered file on its machine",
			args: []string{"lint", golden, "--plan", profile, "--dmesg", dmesg},
			code: exitOK, out: "The install runs to the end.\n0 error(s), 0 warning(s)\n",
		},
		{
			name: "rendered file on the machine the file names",
			args: []string{"lint", golden, "--release", "7.9"},
			code: exitOK, out: "machine: OpenBSD 7.9/amd64; serial console; interfaces vio0; disks sd0 sd1 (install media)",
		},
		{
			name: "no root password",
			args: []string{"lint", broken, "--release", "7.8"},
			code: exitFailure,
			out:  `error: no line answers "Password for root account?" and it has no default: the install stops [no-answer]`,
			errs: "fugu lint: " + broken + ": 1 error(s)",
		},
		{
			name:  "response file on stdin",
			stdin: "System hostname = puffy\nPassword for root account = *************\nUse (W)hole disk MBR = whole\n",
			args:  []string{"lint", "-", "--release", "7.9"},
			code:  exitOK,
			out:   `<stdin>:3: warning: "Use (W)hole disk MBR" is never read: in "Use (W)hole disk MBR, whole disk (G)PT or (E)dit?" it is followed by ","`,
		},
		{
			name:  "template",
			stdin: "/ 2G\nswap 1G-4G 10%\n/home 2G-*\n",
			args:  []string{"lint", "-", "--release", "7.9"},
			code:  exitOK,
			out:   "<stdin>: a disklabel template that disklabel -T of OpenBSD 7.9 reads as:\n  / 2G\n  swap 1G-4G 10%\n  /home 2G-*\n",
		},
		{
			name:  "disklabel output is no template",
			stdin: "# /dev/rsd0c:\ntype: SCSI\n",
			args:  []string{"lint", "-", "--release", "7.9"},
			code:  exitFailure,
			errs:  "this looks like the output of disklabel(8)",
		},
		{name: "no release", args: []string{"lint", broken}, code: exitUsage, errs: "--release or --plan is needed"},
		{name: "dmesg without plan", args: []string{"lint", broken, "--release", "7.9", "--dmesg", dmesg}, code: exitUsage, errs: "--dmesg needs --plan"},
		{name: "unknown release", args: []string{"lint", broken, "--release", "6.0"}, code: exitUsage, errs: `unknown release "6.0"`},
		{name: "release and plan differ", args: []string{"lint", golden, "--release", "6.1", "--plan", profile, "--dmesg", dmesg}, code: exitUsage, errs: "installs 7.9"},
		{name: "missing file", args: []string{"lint", "nonexistent.conf", "--release", "7.9"}, code: exitFailure, errs: "nonexistent.conf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := run(t, tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.errs) {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errs)
			}
		})
	}
}

func TestLintJSON(t *testing.T) {
	code, out, _ := run(t, "", "lint", "../../testdata/installconf/image-builder-site-then-http.auto_install.conf", "--release", "6.7", "--json")
	if code != exitFailure {
		t.Errorf("exit %d", code)
	}
	var rep struct {
		Release   string `json:"release"`
		Catalogue struct {
			Catalogue string `json:"catalogue"`
			Exact     bool   `json:"exact"`
		} `json:"catalogue"`
		Completed bool `json:"completed"`
		Steps     []struct {
			ID   string `json:"id"`
			How  string `json:"how"`
			Line int    `json:"line"`
		} `json:"steps"`
		Findings []struct {
			Severity string `json:"severity"`
			Code     string `json:"code"`
			Line     int    `json:"line"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Release != "6.7" || rep.Catalogue.Catalogue != "6.1" || rep.Catalogue.Exact || rep.Completed {
		t.Errorf("report %+v", rep)
	}
	f := rep.Findings[0]
	if f.Severity != "error" || f.Code != "interactive" || f.Line != 5 {
		t.Errorf("first finding %+v", f)
	}
	last := rep.Steps[len(rep.Steps)-1]
	// sd1 is erased and left without a label; the install goes on and
	// stops when 6.7's installer offers sd1 as the media.
	if last.ID != "media-disk" || last.How != "default" {
		t.Errorf("last step %+v", last)
	}
}
