package disklabel

import (
	"errors"
	"os"
	"strings"
	"testing"
)

type want struct {
	letter       byte
	mount        string
	offset, size uint64
}

func checkLayout(t *testing.T, l *Layout, ws []want) {
	t.Helper()
	if len(l.Partitions) != len(ws) {
		t.Fatalf("%d partitions, want %d:\n%s", len(l.Partitions), len(ws), l.TableString())
	}
	for k, w := range ws {
		p := l.Partitions[k]
		if p.Letter != w.letter || p.Mount != w.mount || p.Offset != w.offset || p.Size != w.size {
			t.Errorf("partition %d = %c %q %d+%d, want %c %q %d+%d", k, p.Letter, p.Mount, p.Offset, p.Size, w.letter, w.mount, w.offset, w.size)
		}
	}
}

// TestWorkedExample is section 3.6 of the facts file: a 20 GiB disk,
// "fdisk -iy" (area from 64), 4 GiB of RAM, editor.c 1.422.
func TestWorkedExample(t *testing.T) {
	g, err := WholeDisk(41943040, 512, MBR, "7.8")
	if err != nil {
		t.Fatal(err)
	}
	if g.Area != (Extent{64, 41943040 - 64}) || g.ESP != nil || len(g.Spoofed) != 0 {
		t.Fatalf("geometry = %+v", g)
	}
	l, err := Allocate(Request{Disk: g.Disk(), PhysMem: 4 << 30, Release: "7.8"})
	if err != nil {
		t.Fatal(err)
	}
	if l.Table != "big" || l.Editor != "1.422" || len(l.Skipped) != 0 {
		t.Errorf("table %s editor %s skipped %v", l.Table, l.Editor, l.Skipped)
	}
	checkLayout(t, l, []want{
		{'a', "/", 64, 1223648},
		{'b', "swap", 1223712, 1996790},
		{'d', "/tmp", 3220512, 1712096},
		{'e', "/var", 4932608, 2546656},
		{'f', "/usr", 7479264, 4904928},
		{'g', "/usr/X11R6", 12384192, 1336288},
		{'h', "/usr/local", 13720480, 4846560},
		{'i', "/usr/src", 18567040, 4560864},
		{'j', "/usr/obj", 23127904, 11218912},
		{'k', "/home", 34346816, 7596224},
	})
	// swap is not aligned: /tmp starts 10 sectors after its end.
	if l.Free != 10 {
		t.Errorf("free = %d, want 10", l.Free)
	}
}

// TestWorkedExampleGPT: the same disk with "fdisk -gy -b 532480". The ESP
// is spoofed as 'i', so /usr/src moves to 'j' and /home to 'l'.
func TestWorkedExampleGPT(t *testing.T) {
	g, err := WholeDisk(41943040, 512, GPT, "7.8")
	if err != nil {
		t.Fatal(err)
	}
	if *g.ESP != (Extent{64, 532480}) || g.Area != (Extent{532544, 41943007 - 532544}) {
		t.Fatalf("ESP %+v area %+v", *g.ESP, g.Area)
	}
	if len(g.Spoofed) != 1 || g.Spoofed[0].Letter != 'i' || g.Spoofed[0].FSType != "MSDOS" {
		t.Fatalf("spoofed = %+v", g.Spoofed)
	}
	l, err := Allocate(Request{Disk: g.Disk(), PhysMem: 4 << 30, Release: "7.8"})
	if err != nil {
		t.Fatal(err)
	}
	var letters []string
	for _, p := range l.Partitions {
		letters = append(letters, string(p.Letter)+"="+p.Mount)
	}
	const wantLetters = "a=/ b=swap d=/tmp e=/var f=/usr g=/usr/X11R6 h=/usr/local i= j=/usr/src k=/usr/obj l=/home"
	if got := strings.Join(letters, " "); got != wantLetters {
		t.Errorf("letters = %s\nwant      %s", got, wantLetters)
	}
	// Free 41410463 sectors; extra 41410463 - 23613440 = 17797023 blocks,
	// 177970 per percent; / gets min(1G, 150M + 5*177970) = 1197050 and is
	// not moved (it starts the area): 532544 + 1197050 rounded down to 32.
	if a := l.Partitions[0]; a.Offset != 532544 || a.Size != 1197024 {
		t.Errorf("a = %d+%d, want 532544+1197024", a.Offset, a.Size)
	}
	last := l.Partitions[len(l.Partitions)-1]
	// swap (1943540 = 80M + 10*177970 blocks) ends at 3673108, /tmp
	// starts at 3673120 (12 free); /home ends at the area end 41943007
	// rounded down to 32 (31 free).
	if b := l.Partitions[1]; b.Size != 1943540 || b.End() != 3673108 || l.Partitions[2].Offset != 3673120 {
		t.Errorf("b = %d+%d, d at %d", b.Offset, b.Size, l.Partitions[2].Offset)
	}
	if last.End() != 41942976 || l.Free != 43 {
		t.Errorf("/home ends at %d with %d free, want 41942976 and 12+31", last.End(), l.Free)
	}
}

// TestRealLabel reproduces the label of testdata/disklabel/corpus/
// disklabel-h-output-wd0-not-a-template.txt, an auto-allocated 465.8G wd0
// (boundstart 64, boundend 976773168, /usr/src 3.0G: editor.c 1.372 table).
// Its swap and /var sizes pin physmem to 8355200 blocks (4277862400 bytes).
func TestRealLabel(t *testing.T) {
	data, err := os.ReadFile("../testdata/disklabel/corpus/disklabel-h-output-wd0-not-a-template.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "boundend: 976773168") {
		t.Fatal("corpus file changed")
	}
	g, err := WholeDisk(976773168, 512, MBR, "7.2")
	if err != nil {
		t.Fatal(err)
	}
	l, err := Allocate(Request{Disk: g.Disk(), PhysMem: 4277862400, Release: "7.2"})
	if err != nil {
		t.Fatal(err)
	}
	offsets := map[byte]uint64{'a': 64, 'b': 2097216, 'd': 10976704, 'e': 19365312, 'f': 44464320,
		'g': 107378880, 'h': 109476032, 'i': 151419072, 'j': 157710528, 'k': 170293440}
	human := map[byte]string{'a': "1.0G", 'b': "4.2G", 'd': "4.0G", 'e': "12G", 'f': "30G", 'g': "1.0G", 'h': "20G", 'i': "3.0G", 'j': "6.0G", 'k': "300G"}
	if len(l.Partitions) != len(offsets) {
		t.Fatalf("%d partitions:\n%s", len(l.Partitions), l.TableString())
	}
	for _, p := range l.Partitions {
		if p.Offset != offsets[p.Letter] {
			t.Errorf("%c at %d, want %d", p.Letter, p.Offset, offsets[p.Letter])
		}
		if h := HumanBytes(p.Size * 512); h != human[p.Letter] {
			t.Errorf("%c is %s, want %s", p.Letter, h, human[p.Letter])
		}
		// The label prints "4.2BSD 2048 16384" and for k "4096 32768".
		if p.FSType == "4.2BSD" {
			wantF := uint32(2048)
			if p.Letter == 'k' {
				wantF = 4096
			}
			if p.FSize != wantF || p.BSize != 8*wantF {
				t.Errorf("%c fsize/bsize %d/%d", p.Letter, p.FSize, p.BSize)
			}
		}
	}
}

// TestTemplateAllocation places the vps-13G corpus template on a 20 GiB GPT
// disk; every sector is computed in the comment.
func TestTemplateAllocation(t *testing.T) {
	tp := mustTemplate(t, "vps-13G-root-512M-swap-tabs.disklabel")
	g, err := WholeDisk(41943040, 512, GPT, "7.8")
	if err != nil {
		t.Fatal(err)
	}
	// Area [532544, 41943007): / gets exactly 13G from the start (aligned,
	// 532544 is a multiple of 32), swap exactly 512M after it, the rest
	// (41943007 - 28844096) stays free: percentages only grow partitions up
	// to their maximum, and both maxima equal the minima.
	l, err := Allocate(Request{Disk: g.Disk(), PhysMem: 1 << 30, Release: "7.8", Template: tp})
	if err != nil {
		t.Fatal(err)
	}
	checkLayout(t, l, []want{
		{'a', "/", 532544, 13 * G},
		{'b', "swap", 532544 + 13*G, 512 * M},
		{'i', "", 64, 532480},
	})
	if l.Table != "template" || l.Free != 41943007-28844096 || l.Partitions[0].Line != 1 || l.Partitions[1].Line != 2 {
		t.Errorf("table %s free %d lines %d %d", l.Table, l.Free, l.Partitions[0].Line, l.Partitions[1].Line)
	}
	wantFstab := "/dev/sd0a / ffs rw 1 1\n/dev/sd0b none swap sw\n"
	if fs := l.Fstab("sd0"); fs != wantFstab {
		t.Errorf("fstab = %q", fs)
	}
}

func mustTemplate(t *testing.T, file string) *Template {
	t.Helper()
	f, err := os.Open("../testdata/disklabel/corpus/" + file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tp, err := ParseTemplate(file, f)
	if err != nil {
		t.Fatal(err)
	}
	return tp
}

// TestTemplateTooBig: the 122.5 GiB of minimums of qemu-full-layout-www do
// not fit a 20 GiB disk; the error names the first line that does not fit
// and the shortfall.
func TestTemplateTooBig(t *testing.T) {
	tp := mustTemplate(t, "qemu-full-layout-www.disklabel")
	g, _ := WholeDisk(41943040, 512, MBR, "7.8")
	_, err := Allocate(Request{Disk: g.Disk(), PhysMem: 4 << 30, Release: "7.8", Template: tp})
	var ae *AllocError
	if !errors.As(err, &ae) {
		t.Fatalf("error = %v, want *AllocError", err)
	}
	// Minimums: 1+8+1+1+100+2+4+4 GiB + 500M + 1M + 1M = 121G 502M =
	// 254783488 sectors; free 41942976; short 212840512.
	if ae.Line != 5 || ae.Mount != "/var/www" || ae.Short != 212840512 {
		t.Errorf("line %d mount %q short %d", ae.Line, ae.Mount, ae.Short)
	}
	const msg = "disklabel: qemu-full-layout-www.disklabel:5: the minimums need 121G (254783488 sectors) but the OpenBSD area has 20G (41942976 sectors) free (101G (212840512 sectors) short; /var/www is the first that does not fit)"
	if err.Error() != msg {
		t.Errorf("error = %s\nwant    %s", err, msg)
	}
}

// TestSmallTables: a 1 GiB MBR disk is too small for big and medium; small
// is used and the reasons are kept. Matches regress 1024.ok except that the
// area starts at 64.
func TestSmallTables(t *testing.T) {
	g, _ := WholeDisk(1025*2048, 512, MBR, "7.8")
	l, err := Allocate(Request{Disk: g.Disk(), PhysMem: 1 << 30, Release: "7.8"})
	if err != nil {
		t.Fatal(err)
	}
	if l.Table != "small" || len(l.Skipped) != 2 || l.Skipped[0].Table != "big" || l.Skipped[1].Table != "medium" {
		t.Fatalf("table %s skipped %+v", l.Table, l.Skipped)
	}
	const big = "the minimums need 11G (23613440 sectors) but the OpenBSD area has 1.0G (2099136 sectors) free (10G (21514304 sectors) short; /usr is the first that does not fit)"
	if l.Skipped[0].Reason != big {
		t.Errorf("big: %s", l.Skipped[0].Reason)
	}
	// / = 700M + 95 * floor((2099136 - 1435648) / 100) = 2063808 blocks,
	// from 64: end 2063872 (a multiple of 32); swap takes the rest.
	checkLayout(t, l, []want{{'a', "/", 64, 2063808}, {'b', "swap", 2063872, 2099200 - 2063872}})
}

func TestNothingFits(t *testing.T) {
	_, err := Allocate(Request{Disk: Disk{SectorSize: 512, Start: 64, End: 64 + 2047}, Release: "7.8"})
	const msg = "disklabel: no built-in allocation table fits the OpenBSD area of 1.0M (2047 sectors); big table: the minimums need 11G (23613440 sectors) but the OpenBSD area has 1.0M (2047 sectors) free (11G (23611393 sectors) short; / is the first that does not fit); medium table: the minimums need 2.4G (4988928 sectors) but the OpenBSD area has 1.0M (2047 sectors) free (2.4G (4986881 sectors) short; / is the first that does not fit); small table: the minimums need 701M (1435648 sectors) but the OpenBSD area has 1.0M (2047 sectors) free (700M (1433601 sectors) short; / is the first that does not fit); stupid table: the minimums need 1.0M (2048 sectors) but the OpenBSD area has 1.0M (2047 sectors) free (512B (1 sectors) short; / is the first that does not fit)"
	if errString(err) != msg {
		t.Errorf("error = %v\nwant    %s", err, msg)
	}
}

func TestTooManyLines(t *testing.T) {
	// 14 lines fit an MBR label (a-p without c is 15), but not a GPT one
	// where 'i' is the ESP: the 15th... here line 15 gets no letter.
	var b strings.Builder
	for k := 0; k < 15; k++ {
		b.WriteString("/d 1M\n")
	}
	tp, err := ParseTemplate("t", strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	g, _ := WholeDisk(41943040, 512, GPT, "7.8")
	_, err = Allocate(Request{Disk: g.Disk(), Release: "7.8", Template: tp})
	const msg = "disklabel: t:15: /d gets no partition letter: a-p without c are all taken"
	if errString(err) != msg {
		t.Errorf("error = %v\nwant    %s", err, msg)
	}
	g, _ = WholeDisk(41943040, 512, MBR, "7.8")
	l, err := Allocate(Request{Disk: g.Disk(), Release: "7.8", Template: tp})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(l.Partitions); n != 15 || l.Partitions[14].Letter != 'p' {
		t.Errorf("%d partitions, last %c", n, l.Partitions[n-1].Letter)
	}
}

func TestHumanBytes(t *testing.T) {
	for n, s := range map[uint64]string{0: "0B", 1023: "1023B", 1024: "1.0K", 512 << 20: "512M", 1 << 30: "1.0G",
		300 << 30: "300G", 10 << 30: "10G", (10 << 30) - 1: "10G", (1 << 30) - 1: "1.0G", 1 << 40: "1.0T", 10694468239: "10G"} {
		if got := HumanBytes(n); got != s {
			t.Errorf("HumanBytes(%d) = %s, want %s", n, got, s)
		}
	}
}

func TestTable(t *testing.T) {
	tp := mustTemplate(t, "vps-3G-root-512M-swap-tabs.disklabel")
	g, _ := WholeDisk(8<<21, 512, GPT, "7.8") // 8 GiB
	l, err := Allocate(Request{Disk: g.Disk(), Release: "7.8", Template: tp})
	if err != nil {
		t.Fatal(err)
	}
	const want = `part  mount       offset   sectors  size  fstype  fsize  bsize
a     /           532544   6291456  3.0G  4.2BSD  2048   16384
b     swap        6824000  1048576  512M  swap
i     (existing)  64       532480   260M  MSDOS
free: 8904607 sectors (4.2G) of the OpenBSD area 532544-16777183; table template, editor.c 1.422
`
	if got := l.TableString(); got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
}
