package disklabel

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

const (
	M = mib // blocks per MiB
	G = gib
)

func e(line int, mount string, min, max uint64, pct int) Entry {
	return Entry{Line: line, Mount: mount, Min: min, Max: max, Percent: pct}
}

func fixed(mounts []string, sizes []uint64) []Entry {
	var out []Entry
	for k := range mounts {
		out = append(out, e(k+1, mounts[k], sizes[k], sizes[k], 0))
	}
	return out
}

// TestCorpus parses every file of testdata/disklabel/corpus (real templates
// from users' repositories, see /work/shared/corpus/SOURCES.md) and checks
// the exact entries, the canonical form, or the exact error.
func TestCorpus(t *testing.T) {
	tests := []struct {
		file    string
		entries []Entry
		text    string // canonical String()
		err     string
		err64   string // error of ParseTemplateFor(..., "6.4"), "" if it parses
	}{
		{file: "disklabel-h-output-wd0-not-a-template.txt",
			err:   `corpus/disklabel-h-output-wd0-not-a-template.txt:1: "disklabel": mount point must start with '/' or be "swap" or "raid" (hint: this looks like the output of disklabel(8), not an autopartitioning template; a template has one "mountpoint size [percent]" line per partition)`,
			err64: `corpus/disklabel-h-output-wd0-not-a-template.txt:1: "disklabel": mount point must start with '/' or be "swap" (hint: this looks like the output of disklabel(8), not an autopartitioning template; a template has one "mountpoint size [percent]" line per partition)`},
		{file: "mailstack-root-swap-zero-percent.template",
			entries: []Entry{e(1, "/", 1*G, Unlimited, 100), e(2, "swap", 1*G, Unlimited, 0)},
			text:    "/ 1G-* 100%\nswap 1G-*\n"},
		{file: "ports-builder-uppercase-SWAP.disklabel",
			entries: fixed([]string{"/", "swap", "/tmp", "/var", "/usr", "/usr/X11R6", "/usr/local", "/usr/src", "/usr/obj", "/usr/ports", "/usr/ports/pobj", "/usr/xenocara", "/usr/xobj", "/home"},
				[]uint64{1 * G, 1 * M, 5 * G, 5 * G, 5 * G, 1 * G, 15 * G, 5 * G, 10 * G, 5 * G, 30 * G, 2 * G, 4 * G, 10 * G}),
			text:  "/ 1G\nswap 1M\n/tmp 5G\n/var 5G\n/usr 5G\n/usr/X11R6 1G\n/usr/local 15G\n/usr/src 5G\n/usr/obj 10G\n/usr/ports 5G\n/usr/ports/pobj 30G\n/usr/xenocara 2G\n/usr/xobj 4G\n/home 10G\n",
			err64: `corpus/ports-builder-uppercase-SWAP.disklabel:2: "SWAP": mount point must start with '/' or be "swap" (hint: this release accepts only lower-case "swap")`},
		{file: "qemu-full-layout-www.disklabel",
			entries: fixed([]string{"/", "swap", "/tmp", "/var", "/var/www", "/usr", "/usr/X11R6", "/usr/local", "/usr/src", "/usr/obj", "/home"},
				[]uint64{1 * G, 8 * G, 1 * G, 1 * G, 100 * G, 2 * G, 500 * M, 4 * G, 1 * M, 1 * M, 4 * G}),
			text: "/ 1G\nswap 8G\n/tmp 1G\n/var 1G\n/var/www 100G\n/usr 2G\n/usr/X11R6 500M\n/usr/local 4G\n/usr/src 1M\n/usr/obj 1M\n/home 4G\n"},
		{file: "qemu-no-x11.disklabel",
			entries: fixed([]string{"/", "swap", "/tmp", "/var", "/usr", "/usr/local", "/usr/src", "/usr/obj", "/home"},
				[]uint64{2 * G, 8 * G, 1 * G, 1 * G, 2 * G, 4 * G, 1 * M, 1 * M, 4 * G}),
			text: "/ 2G\nswap 8G\n/tmp 1G\n/var 1G\n/usr 2G\n/usr/local 4G\n/usr/src 1M\n/usr/obj 1M\n/home 4G\n"},
		{file: "qemu-root-swap-only.disklabel.conf",
			entries: fixed([]string{"/", "swap"}, []uint64{12 * G, 1 * G}),
			text:    "/ 12G\nswap 1G\n"},
		{file: "qubes-endash-GB-ranges-invalid.disklabel",
			err:   `corpus/qubes-endash-GB-ranges-invalid.disklabel:1: "1GB-2GB": size "1GB": only the unit letter "G" counts, disklabel(8) ignores "B" (hint: units are one letter: write 1G, not 1GB)`,
			err64: `corpus/qubes-endash-GB-ranges-invalid.disklabel:1: "1GB-2GB": size "1GB": only the unit letter "G" counts, disklabel(8) ignores "B" (hint: units are one letter: write 1G, not 1GB)`},
		{file: "release-builder-home-star.disklabel",
			entries: append(fixed([]string{"/", "swap", "/tmp", "/usr", "/usr/X11R6", "/usr/local", "/usr/obj", "/usr/src", "/var", "/release"},
				[]uint64{4 * G, 16 * G, 4 * G, 16 * G, 1 * G, 40 * G, 10 * G, 10 * G, 40 * G, 10 * G}), e(11, "/home", 0, Unlimited, 0)),
			text:  "/ 4G\nswap 16G\n/tmp 4G\n/usr 16G\n/usr/X11R6 1G\n/usr/local 40G\n/usr/obj 10G\n/usr/src 10G\n/var 40G\n/release 10G\n/home *\n",
			err64: `corpus/release-builder-home-star.disklabel:11: "*": size "*" alone is not accepted by this release (hint: write "0K-*": a bare "*" needs editor.c 1.422 or later)`},
		{file: "root-2G-100pct-swap-tabs.autopart",
			entries: []Entry{e(1, "/", 2*G, Unlimited, 100), e(2, "swap", 2*G, 2*G, 0)},
			text:    "/ 2G-* 100%\nswap 2G\n"},
		{file: "root-only-100M-star-100pct.disklabel.template",
			entries: []Entry{e(1, "/", 100*M, Unlimited, 100)},
			text:    "/ 100M-* 100%\n"},
		{file: "vps-13G-root-512M-swap-tabs.disklabel",
			entries: fixed([]string{"/", "swap"}, []uint64{13 * G, 512 * M}),
			text:    "/ 13G\nswap 512M\n"},
		{file: "vps-3G-root-512M-swap-tabs.disklabel",
			entries: fixed([]string{"/", "swap"}, []uint64{3 * G, 512 * M}),
			text:    "/ 3G\nswap 512M\n"},
	}
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "disklabel", "corpus", "*[^d]")) // all but README.md
	if len(files) != len(tests) {
		t.Fatalf("%d corpus files, %d test rows: every corpus file needs a row", len(files), len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("..", "testdata", "disklabel", "corpus", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			name := "corpus/" + tc.file
			tp, err := ParseTemplate(name, strings.NewReader(string(data)))
			if tc.err != "" {
				var pe *ParseError
				if err == nil || !errors.As(err, &pe) || err.Error() != tc.err {
					t.Fatalf("error = %v\nwant   %s", err, tc.err)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(tp.Entries, tc.entries) {
					t.Errorf("entries:\n got %+v\nwant %+v", tp.Entries, tc.entries)
				}
				if s := tp.String(); s != tc.text {
					t.Errorf("String() = %q, want %q", s, tc.text)
				}
				again, err := ParseTemplate(name, strings.NewReader(tp.String()))
				if err != nil || !sameValues(again.Entries, tp.Entries) {
					t.Errorf("canonical form does not re-parse to the same values: %v", err)
				}
			}
			_, err = ParseTemplateFor(name, strings.NewReader(string(data)), "6.4")
			if got := errString(err); got != tc.err64 {
				t.Errorf("6.4 dialect: error = %s\nwant %s", got, tc.err64)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func sameValues(a, b []Entry) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if a[k].Mount != b[k].Mount || a[k].Min != b[k].Min || a[k].Max != b[k].Max || a[k].Percent != b[k].Percent {
			return false
		}
	}
	return true
}

// TestQubesAsDisklabel: disklabel(8) itself accepts the invalid corpus file
// and reads each en-dash range as its minimum alone.
func TestQubesAsDisklabel(t *testing.T) {
	data, err := os.ReadFile("../testdata/disklabel/corpus/qubes-endash-GB-ranges-invalid.disklabel")
	if err != nil {
		t.Fatal(err)
	}
	tp, err := ParseTemplateAsDisklabel("q", strings.NewReader(string(data)), "7.8")
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{e(1, "/", 1*G, 2*G, 0), e(2, "swap", 125*M, 125*M, 0), e(3, "/usr", 5*G, 5*G, 0), e(4, "/home", 1*G, 1*G, 0),
		e(5, "/tmp", 120*M, 120*M, 0), e(6, "/var", 80*M, 80*M, 0), e(7, "/usr/X11R6", 450*M, 450*M, 0),
		e(8, "/usr/local", 4*G, 4*G, 0), e(9, "/usr/src", 2*G, 2*G, 0), e(10, "/usr/obj", 4*G, 4*G, 0)}
	if !reflect.DeepEqual(tp.Entries, want) {
		t.Errorf("entries:\n got %+v\nwant %+v", tp.Entries, want)
	}
	if len(tp.Warnings) != 11 {
		t.Errorf("%d warnings, want 11 (both sides of line 1, one per other line): %q", len(tp.Warnings), tp.Warnings)
	}
	if w := tp.Warnings[2]; w != `q:2: "125MB–512MB": size "125MB–512MB": only the unit letter "M" counts, disklabel(8) ignores "B–512MB"` {
		t.Errorf("warning for line 2 = %q", w)
	}
	// The strict parser names the en-dash on line 2 once line 1 is fixed.
	fixedText := strings.Replace(string(data), "1GB-2GB", "1G-2G", 1)
	_, err = ParseTemplate("q", strings.NewReader(fixedText))
	const want2 = `q:2: "125MB–512MB": size "125MB–512MB": only the unit letter "M" counts, disklabel(8) ignores "B–512MB" (hint: the range dash is "–", not the ASCII '-', so disklabel(8) sees one size; units are one letter: write 125M, not 125MB)`
	if errString(err) != want2 {
		t.Errorf("error = %v\nwant %s", err, want2)
	}
}

// TestParseRules covers each rule of parse_autotable(), parse_sizerange(),
// parse_sizespec(), apply_unit() and parse_pct() with the exact result.
func TestParseRules(t *testing.T) {
	tests := []struct {
		name, in string
		entries  []Entry
		err      string
	}{
		{"fraction", "/ 1.5G\n", []Entry{e(1, "/", 3*G/2, 3*G/2, 0)}, ""},
		{"lower and upper units", "/ 1t\nswap 2k\n", []Entry{e(1, "/", 1024*G, 1024*G, 0), e(2, "swap", 4, 4, 0)}, ""},
		{"exponent", "/ 1e3M\n", []Entry{e(1, "/", 1000*M, 1000*M, 0)}, ""},
		{"hex float", "/ 0x10G\n", []Entry{e(1, "/", 16*G, 16*G, 0)}, ""},
		{"plus sign", "/ +2G\n", []Entry{e(1, "/", 2*G, 2*G, 0)}, ""},
		{"min inherits unit", "/ 1-2G\n", []Entry{e(1, "/", 1*G, 2*G, 0)}, ""},
		{"min-star", "/home 1G-* 50%\n", []Entry{e(1, "/home", 1*G, Unlimited, 50)}, ""},
		{"percent without sign", "/ 1G-2G 7\n", []Entry{e(1, "/", 1*G, 2*G, 7)}, ""},
		{"tabs and CRLF", "/\t1G\r\nswap\t\t512M\t5%\r\n", []Entry{e(1, "/", 1*G, 1*G, 0), e(2, "swap", 512*M, 512*M, 5)}, ""},
		{"no final newline", "/ 1G", []Entry{e(1, "/", 1*G, 1*G, 0)}, ""},
		{"RAID any case", "RAID 1G-*\n", []Entry{e(1, "raid", 1*G, Unlimited, 0)}, ""},
		{"truncated to blocks", "/ 0.3k\n", []Entry{e(1, "/", 0, 0, 0)}, ""},
		{"blank line", "/ 1G\n\nswap 1G\n", nil, `t:2: blank line (hint: disklabel(8) stops at a blank line with "parse error on line N"; remove it)`},
		{"comment", "# root\n/ 1G\n", nil, `t:1: "#": comment line (hint: disklabel(8) templates have no comments; delete the line)`},
		{"comment after size", "/ 1G # root\n", nil, `t:1: "#": percentage is not a number (hint: disklabel(8) templates have no comments)`},
		{"leading blank", " / 1G\n", nil, `t:1: line starts with white space (hint: remove the leading blanks: disklabel(8) reads no mount point from such a line)`},
		{"no unit", "/ 1024\n", nil, `t:1: "1024": size has no unit (hint: sizes need a unit: k, m, g or t (e.g. 2G))`},
		{"no unit on max", "/ 1G-2\n", nil, `t:1: "1G-2": maximum "2" has no unit (hint: put the unit on the maximum too, e.g. 1G-2G)`},
		{"bad unit", "/ 1X\n", nil, `t:1: "1X": unknown unit "X" (hint: units are k, m, g or t (powers of 1024))`},
		{"percent unit", "/ 10%\n", nil, `t:1: "10%": unknown unit "%" (hint: percentages of the disk exist only in the interactive editor; give a size and put the share of the free space in the third field)`},
		{"min > max", "/ 2G-1G\n", nil, `t:1: "2G-1G": min size > max size (2G > 1G) (hint: the minimum comes first: MIN-MAX)`},
		{"percent > 100", "/ 1G 101%\n", nil, `t:1: "101%": percentage is too large (hint: the third field is the share of the extra space, 0 to 100, e.g. 25%)`},
		{"percent sum", "/ 1G 60%\n/usr 1G 50%\n", nil, `t: sum of extra space allocation is 110%, more than 100% (disklabel: "sum of extra space allocation > 100%") (hint: the percentages share the space left after every minimum; make them add up to 100 or less)`},
		{"bad mount", "home 1G\n", nil, `t:1: "home": mount point must start with '/' or be "swap" or "raid" (hint: mount points start with '/'; the other names are "swap" and "raid")`},
		{"missing size", "/\n", nil, `t:1: missing size (hint: write a size after the mount point, e.g. "/ 1G")`},
		{"empty", "", nil, `t: empty template (hint: a template needs at least one line such as "/ 1G-*")`},
		{"extra field", "/ 1G 10% x\n", nil, `t:1: "x": extra field after the percentage (hint: disklabel(8) reads three fields and ignores the rest of the line)`},
		{"open range", "/ 1G-\n", nil, `t:1: "1G-": range has no maximum; disklabel(8) reads it as exactly 1G (hint: write MIN-MAX, MIN-* or a single size)`},
		{"zero max", "/ 1G-0G\n", nil, `t:1: "1G-0G": maximum is zero; disklabel(8) reads the size as exactly 1G (hint: a maximum of 0 is read as "same as the minimum"; write MIN-* for no limit)`},
		{"nan", "/ nanG\n", nil, `t:1: "nanG": size "nan" is not a number (disklabel(8)'s result would be undefined)`},
		{"huge", "/ 1e30T\n", nil, `t:1: "1e30T": size "1e30" is out of range`},
		{"huge after unit", "/ 1e19T\n", nil, `t:1: "1e19T": size is out of range`},
		{"NUL", "/ 1G\x00\n", nil, `t:1: NUL byte at column 5 (hint: templates are plain text)`},
		{"sixteen lines", strings.Repeat("/x 1M\n", 16), nil, `t:16: "/x": more than 15 template lines (hint: a disklabel has 16 partitions a-p and 'c' is the whole disk; on a GPT disk 'i' holds the EFI System partition too)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tp, err := ParseTemplate("t", strings.NewReader(tc.in))
			if tc.err != "" {
				if errString(err) != tc.err {
					t.Fatalf("error = %v\nwant    %s", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(tp.Entries, tc.entries) {
				t.Errorf("entries:\n got %+v\nwant %+v", tp.Entries, tc.entries)
			}
		})
	}
}

func TestParseUnknownRelease(t *testing.T) {
	_, err := ParseTemplateFor("t", strings.NewReader("/ 1G\n"), "5.9")
	if err == nil || !strings.Contains(err.Error(), `no allocation data for OpenBSD release "5.9"`) {
		t.Fatalf("error = %v", err)
	}
}
