package hardware

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// FuzzParse feeds Parse arbitrary input, seeded with every corpus dmesg and
// a few mangled ones. Crashers found are kept in testdata/fuzz/FuzzParse.
//
//	go test -run='^$' -fuzz=FuzzParse -fuzztime=60s ./hardware
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(corpusDir, "*.txt"))
	for _, p := range files {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(""))
	f.Add([]byte("OpenBSD 7.4 (GENERIC.MP) #1\r\nsd0 at scsibus1 targ 0 lun 0: <ATA, X, 1>\r\nsd0: 1MB, 512 bytes/sector, 2048 sectors, thin\r\n"))
	f.Add([]byte("OpenBSD 7.4\nsd0 detached\nsd0 at scsibus9 targ 0 lun 0: <, , >\nem0 at em0\nroot on \n"))
	f.Add([]byte("&quot;OpenBSD 6.0 (&lt;x&gt;)\n\xff\xfe"))
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := Parse("fuzz", bytes.NewReader(data))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.File != "fuzz" {
				t.Fatalf("error %v (%T) is not a *ParseError naming the input", err, err)
			}
			if !errors.Is(err, ErrEmpty) && !errors.Is(err, ErrNoHeader) && !errors.Is(err, ErrBinary) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error %v", err)
			}
			if facts != nil {
				t.Fatal("facts with an error")
			}
			return
		}
		checkFacts(t, facts, data)
		again, err := Parse("fuzz", bytes.NewReader(data))
		if err != nil || !reflect.DeepEqual(facts, again) {
			t.Fatalf("second parse differs: %v", err)
		}
		if err := WriteJSON(io.Discard, facts); err != nil {
			t.Fatalf("JSON: %v", err)
		}
	})
}

// checkFacts asserts what must hold for any facts Parse returns.
func checkFacts(t *testing.T, f *Facts, data []byte) {
	t.Helper()
	if f.Boots < 1 || f.BootLine < 1 || f.Release == "" || f.Release[0] < '0' || f.Release[0] > '9' {
		t.Fatalf("boots %d line %d release %q", f.Boots, f.BootLine, f.Release)
	}
	if f.Disks == nil || f.NICs == nil || f.Firmware == nil || f.PlatformFirmware == nil || f.Graphics == "" {
		t.Fatalf("nil list or empty graphics: %+v", f)
	}
	if f.NCPU < 0 || f.PhysMem < 0 || f.AvailMem < 0 || (f.Serial != (f.Console != "")) {
		t.Fatalf("bad scalars: %+v", f)
	}
	names := map[string]bool{}
	for _, d := range f.Disks {
		if names[d.Name] || !(strings.HasPrefix(d.Name, "sd") || strings.HasPrefix(d.Name, "wd")) {
			t.Fatalf("disk name %q repeated or not a disk", d.Name)
		}
		names[d.Name] = true
		switch d.Type {
		case SSD, HDD, Unknown:
		default:
			t.Fatalf("disk %s type %q", d.Name, d.Type)
		}
		if d.Softraid && d.Type != Unknown || d.Line < f.BootLine || d.SizeMB < 0 || d.Sectors < 0 || d.Bytes() < 0 ||
			d.SectorSize < 512 || d.SectorSize > 1<<16 {
			t.Fatalf("disk %+v", d)
		}
	}
	for _, n := range f.NICs {
		if names[n.Name] || n.Line < f.BootLine {
			t.Fatalf("NIC %+v repeated or before the boot", n)
		}
		names[n.Name] = true
		if _, ok := nicDrivers[n.Driver]; !ok || !strings.HasPrefix(n.Name, n.Driver) {
			t.Fatalf("NIC %+v: not a network driver", n)
		}
	}
	for _, l := range [][]string{f.Firmware, f.PlatformFirmware} {
		if !sort.StringsAreSorted(l) {
			t.Fatalf("firmware not sorted: %q", l)
		}
		for i := 1; i < len(l); i++ {
			if l[i] == l[i-1] {
				t.Fatalf("firmware repeated: %q", l)
			}
		}
	}
	if len(f.Warnings) > maxWarnings {
		t.Fatalf("%d warnings", len(f.Warnings))
	}
	if len(data) > 0 && bytes.Count(data, []byte("\n"))+bytes.Count(data, []byte("\r"))+1 < f.BootLine {
		t.Fatalf("boot line %d beyond the input", f.BootLine)
	}
}
