package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/fugu-tool/fugu/hardware"
)

const hwDmesg = "../../testdata/dmesg/thinkpad-x1c4-efifb-6.1-amd64.txt"

// hwRun runs "fugu ARGS..." in-process.
func hwRun(stdin string, args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	c := &cli{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut}
	code = c.main(args)
	return code, out.String(), errOut.String()
}

// hwReport is the exact report for hwDmesg, read by eye against the file.
const hwReport = `source:   SOURCE (boot 1 of 1, line 1)
release:  OpenBSD 6.1 GENERIC.MP amd64
machine:  LENOVO 20FCS0W200
cpu:      4 x Intel(R) Core(TM) i5-6200U CPU @ 2.30GHz (intel)
memory:   8438951936 bytes = 7.9 GiB (available 8178520064 bytes = 7.6 GiB)
boot:     EFI; console on display; root on sd2a
vmm(4):   yes
graphics: efifb
firmware: inteldrm iwm uvideo; platform: intel vmm

disks:
  NAME  SIZE       TYPE     BUS       CONTROLLER  MODEL                     FLAGS
  sd0   238.5 GiB  ssd      ahci      ahci0       SanDisk SD8TN8U2          thin
  sd1   1.9 GiB    unknown  usb       umass0      Kingmax USB2.0 FlashDisk  usb removable
  sd2   238.5 GiB  unknown  softraid  softraid0   SR CRYPTO                 softraid CRYPTO

network:
  NAME   DRIVER  KIND      BUS  MAC  DEVICE
  iwm0   iwm     wireless  pci  -    Intel Dual Band Wireless AC 8260
  em0    em      wired     pci  -    Intel I219-V
  cdce0  cdce    wired     usb  -    Huawei Technologies Co., Ltd. HUAWEI Mobile
`

func TestHW(t *testing.T) {
	dmesg, err := os.ReadFile(hwDmesg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"report", "", []string{"hw", hwDmesg}, exitOK, strings.Replace(hwReport, "SOURCE", hwDmesg, 1), ""},
		{"stdin", string(dmesg), []string{"hw", "-"}, exitOK, strings.Replace(hwReport, "SOURCE", "<stdin>", 1), ""},
		{"missing file", "", []string{"hw", "nope.txt"}, exitFailure, "",
			"fugu hw: open nope.txt: no such file or directory\n"},
		{"not a dmesg", "$ uname -a\nOpenBSD puffy 7.6 GENERIC.MP#338 amd64\n", []string{"hw", "-"}, exitFailure, "",
			`fugu hw: <stdin>: no boot header: a dmesg starts each boot with a line like "OpenBSD 7.6 (GENERIC.MP) #338: ..." (in 2 lines)` + "\n"},
		{"binary", "OpenBSD 7.4 (GENERIC) #0\n\x00\x01\x02", []string{"hw", "-"}, exitFailure, "",
			"fugu hw: <stdin>:2: binary data, not a dmesg (NUL byte at column 1)\n"},
		{"no argument", "", []string{"hw"}, exitUsage, "",
			"fugu hw: missing argument: DMESG [--json]\nusage: fugu hw DMESG [--json]\n(fugu hw --help shows flags and examples)\n"},
		{"two arguments", "", []string{"hw", "a", "b"}, exitUsage, "",
			"fugu hw: too many arguments: b\nusage: fugu hw DMESG [--json]\n(fugu hw --help shows flags and examples)\n"},
		{"unknown flag", "", []string{"hw", "--yaml", hwDmesg}, exitUsage, "",
			"fugu hw: unknown flag --yaml\nusage: fugu hw DMESG [--json]\n(fugu hw --help shows flags and examples)\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := hwRun(tt.stdin, tt.args...)
			if code != tt.code || out != tt.stdout || errOut != tt.stderr {
				t.Errorf("exit %d, want %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%q\nwant:\n%q", code, tt.code, out, tt.stdout, errOut, tt.stderr)
			}
		})
	}
}

// TestHWJSON checks --json against the golden JSON of the hardware package
// (which names the file without its directory).
func TestHWJSON(t *testing.T) {
	code, out, errOut := hwRun("", "hw", hwDmesg, "--json")
	if code != exitOK || errOut != "" {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	golden, err := os.ReadFile("../../testdata/hardware/golden/thinkpad-x1c4-efifb-6.1-amd64.json")
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(string(golden), `"source": "thinkpad-x1c4-efifb-6.1-amd64.txt"`, `"source": "`+hwDmesg+`"`, 1)
	if out != want {
		t.Errorf("--json output differs from the golden file:\n%s", out)
	}
	var f hardware.Facts
	if err := json.Unmarshal([]byte(out), &f); err != nil || len(f.Disks) != 3 || f.Disks[0].Type != hardware.SSD {
		t.Errorf("--json does not decode into Facts: %v %+v", err, f)
	}
}

func TestHWHuman(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 8438951936: "7.9 GiB", 2000398934016: "1.8 TiB", 1 << 62: "4096.0 PiB"} {
		if got := hwHuman(n); got != want {
			t.Errorf("hwHuman(%d) = %q, want %q", n, got, want)
		}
	}
}
