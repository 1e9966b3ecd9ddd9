package render

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fugu-tool/fugu/autoinstall"
	"github.com/fugu-tool/fugu/internal/fixture"
	"github.com/fugu-tool/fugu/plan"
)

func makePlan(t *testing.T, profile, dmesg string) *plan.Plan {
	t.Helper()
	return fixture.Plan(t, profile, dmesg)
}

func TestLaptop(t *testing.T) {
	pl := makePlan(t, "laptop", "synthetic/laptop-32g-hdd-sd0-nvme-sd1.txt")
	out, err := Compute(pl, Options{URL: "http://192.0.2.1/", MACs: []string{"00:0D:B9:AA:BB:01"}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range out.Files {
		names = append(names, f.Name+" "+f.Mode.String())
	}
	want := "puffy.disklabel -rw-r--r-- 7.9/amd64/site79-puffy.tgz -rw------- 00:0d:b9:aa:bb:01-install.conf -rw------- puffy-install.conf -rw------- install.conf -rw-------"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("files:\n got  %s\n want %s", got, want)
	}
	// The answers are what autoinstall renders, with the template URL
	// pointing at the file written beside them.
	answers, err := autoinstall.Render(pl, autoinstall.RenderOptions{TemplateURL: "http://192.0.2.1/puffy.disklabel", ServeURL: "http://192.0.2.1/"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range out.Files[2:] {
		if !bytes.Equal(f.Data, answers.Bytes()) {
			t.Errorf("%s differs from the rendered answers", f.Name)
		}
	}
	if !bytes.Contains(out.Files[2].Data, []byte("URL to autopartitioning template for disklabel = http://192.0.2.1/puffy.disklabel\n")) {
		t.Errorf("answers lack the template URL:\n%s", out.Files[2].Data)
	}
	if got := string(out.Files[0].Data); got != pl.RootLayout.TemplateText || !strings.HasPrefix(got, "/ 150M-1G 5%\nswap 66880960K\n") {
		t.Errorf("template:\n%s", got)
	}
	// The replayed answers: every question answered by its own line.
	sc := autoinstall.ScenarioFor(pl, autoinstall.RenderOptions{ServeURL: "http://192.0.2.1/"})
	rep, err := autoinstall.Lint("puffy-install.conf", out.Files[2].Data, sc)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Count(autoinstall.Error) != 0 || rep.Count(autoinstall.Warning) != 0 {
		var b strings.Builder
		rep.WriteText(&b)
		t.Errorf("lint of the rendered answers:\n%s", b.String())
	}
	// The site set: a gzip'd tar with install.site, built the same way twice.
	again, err := Compute(pl, Options{URL: "http://192.0.2.1/", MACs: []string{"00:0d:b9:aa:bb:01"}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Files[1].Data, out.Files[1].Data) {
		t.Error("site set is not reproducible")
	}
	members := strings.Join(tarNames(t, out.Files[1].Data), " ")
	want = "install.site var/fugu/ var/fugu/files/ var/fugu/files/etc/ var/fugu/files/etc/doas.conf var/fugu/files/etc/hostname.iwm0 var/fugu/files/etc/myname var/fugu/home.template var/fugu/packages var/fugu/rc.firsttime"
	if members != want {
		t.Errorf("site set members:\n got  %s\n want %s", members, want)
	}
}

func tarNames(t *testing.T, tgz []byte) []string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(tgz))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(zr)
	var names []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return names
		}
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, strings.TrimPrefix(h.Name, "./"))
	}
}

func TestErrors(t *testing.T) {
	pl := makePlan(t, "laptop", "synthetic/laptop-32g-hdd-sd0-nvme-sd1.txt")
	_, err := Compute(pl, Options{})
	want := "the root disk layout is a template, which the installer fetches over HTTP: pass --url http://ADDRESS/ where fugu serve will serve the output directory"
	if err == nil || err.Error() != want {
		t.Errorf("no URL: %v", err)
	}
	_, err = Compute(pl, Options{URL: "https://192.0.2.1/"})
	if err == nil || !strings.HasPrefix(err.Error(), `--url "https://192.0.2.1/": want http://host[:port][/path]`) {
		t.Errorf("https URL: %v", err)
	}
	_, err = Compute(pl, Options{URL: "http://192.0.2.1/", MACs: []string{"00:0d:b9"}})
	if err == nil || err.Error() != `--mac "00:0d:b9": not a MAC address like 00:0d:b9:aa:bb:01` {
		t.Errorf("bad MAC: %v", err)
	}
}

// Sets from a mirror: the site set comes in a second pass from fugu serve.
func TestMirrorSecondPass(t *testing.T) {
	pl := makePlan(t, "vm", "vmm-vmd-6.8-amd64.txt")
	if _, err := Compute(pl, Options{}); err == nil || !strings.Contains(err.Error(), "the site set site79-vm1.tgz cannot come from https://cdn.openbsd.org/pub/OpenBSD") {
		t.Errorf("mirror without URL: %v", err)
	}
	out, err := Compute(pl, Options{URL: "http://192.0.2.1:8080/fleet"})
	if err != nil {
		t.Fatal(err)
	}
	conf := string(out.Files[len(out.Files)-1].Data)
	for _, line := range []string{
		"HTTP Server = https://cdn.openbsd.org\n",
		"Server directory = pub/OpenBSD/7.9/amd64\n",
		"HTTP Server = http://192.0.2.1:8080\n",
		"Server directory = fleet/7.9/amd64\n",
	} {
		if !strings.Contains(conf, line) {
			t.Errorf("answers lack %q:\n%s", line, conf)
		}
	}
}

func TestWrite(t *testing.T) {
	pl := makePlan(t, "laptop", "synthetic/laptop-32g-hdd-sd0-nvme-sd1.txt")
	out, err := Compute(pl, Options{URL: "http://192.0.2.1/"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// Someone else's file in the directory stays.
	if err := os.WriteFile(filepath.Join(dir, "gw1-install.conf"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	written, notes, err := out.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	wantNote := "install.conf answers for puffy: every machine that netboots from this directory without a file of its own installs as puffy (--no-default leaves it out)"
	if len(notes) != 1 || notes[0] != wantNote {
		t.Errorf("notes %q", notes)
	}
	want := "puffy.disklabel 7.9/amd64/site79-puffy.tgz puffy-install.conf install.conf 7.9/amd64/index.txt"
	if got := strings.Join(written, " "); got != want {
		t.Errorf("written %s", got)
	}
	for name, mode := range map[string]os.FileMode{
		"puffy-install.conf": 0o600, "install.conf": 0o600, "puffy.disklabel": 0o644,
		"7.9/amd64/site79-puffy.tgz": 0o600, "7.9/amd64/index.txt": 0o644, "gw1-install.conf": 0o600,
	} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.Mode().Perm() != mode {
			t.Errorf("%s: %v %v, want %04o", name, fi, err, mode)
		}
	}
	idx, err := os.ReadFile(filepath.Join(dir, "7.9/amd64/index.txt"))
	if err != nil {
		t.Fatal(err)
	}
	fi, _ := os.Stat(filepath.Join(dir, "7.9/amd64/site79-puffy.tgz"))
	wantIdx := "-rw-------  1 root  wheel  " + strconv.FormatInt(fi.Size(), 10) + " " + fi.ModTime().UTC().Format("Jan _2 15:04:05 2006") + " site79-puffy.tgz\n"
	if string(idx) != wantIdx {
		t.Errorf("index.txt:\n got  %q\n want %q", idx, wantIdx)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
}

// A directory that cannot be made: nothing is written.
func TestWriteFailure(t *testing.T) {
	pl := makePlan(t, "laptop", "synthetic/laptop-32g-hdd-sd0-nvme-sd1.txt")
	out, err := Compute(pl, Options{URL: "http://192.0.2.1/"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "7.9"), []byte("in the way"), 0o644); err != nil {
		t.Fatal(err)
	}
	written, _, err := out.Write(dir)
	if err == nil || len(written) != 0 {
		t.Fatalf("write with 7.9 a file: %v, wrote %v", err, written)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
}

// fugu serve is also the mirror: one pass, the site set verified by its two
// questions, no second location.
func TestServeIsTheMirror(t *testing.T) {
	p := fixture.Profile(t, "vm")
	p.Sets.Source = "http://192.0.2.1"
	pl, err := plan.Make(p, fixture.Facts(t, "vmm-vmd-6.8-amd64.txt"))
	if err != nil {
		t.Fatal(err)
	}
	out, err := Compute(pl, Options{URL: "http://192.0.2.1/"})
	if err != nil {
		t.Fatal(err)
	}
	conf := string(out.Files[len(out.Files)-1].Data)
	_, sets, _ := strings.Cut(conf, "Location of sets = http\n")
	want := "HTTP proxy URL = none\n" +
		"HTTP Server = http://192.0.2.1\n" +
		"Server directory = 7.9/amd64\n" +
		"Set name(s) = -game79.tgz -xbase79.tgz -xshare79.tgz -xfont79.tgz -xserv79.tgz done\n" +
		"Checksum test for site79-vm1.tgz failed. Continue anyway = yes\n" +
		"Unverified sets: site79-vm1.tgz. Continue without verification = yes\n" +
		"Location of sets = done\n"
	if !strings.HasPrefix(sets, want) {
		t.Errorf("sets answers:\n%s\nwant:\n%s", sets, want)
	}
}

// A second host rendered into the same directory does not take over the
// shared install.conf unless asked; a symbolic link or a directory in the
// way stops the render before anything is written.
func TestSharedAndRefusals(t *testing.T) {
	dir := t.TempDir()
	laptop := makePlan(t, "laptop", "synthetic/laptop-32g-hdd-sd0-nvme-sd1.txt")
	vm := makePlan(t, "vm", "vmm-vmd-6.8-amd64.txt")
	first, err := Compute(laptop, Options{URL: "http://192.0.2.1/"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := first.Write(dir); err != nil {
		t.Fatal(err)
	}
	second, err := Compute(vm, Options{URL: "http://192.0.2.1/"})
	if err != nil {
		t.Fatal(err)
	}
	written, notes, err := second.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(written, " "); got != "7.9/amd64/site79-vm1.tgz vm1-install.conf 7.9/amd64/index.txt" {
		t.Errorf("second render wrote %s", got)
	}
	want := "install.conf answers for puffy and is left alone: machines without a file of their own install as puffy (--default makes vm1 the default; remove install.conf to have none)"
	if len(notes) != 1 || notes[0] != want {
		t.Errorf("notes %q", notes)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "install.conf")); !strings.Contains(string(data), "System hostname = puffy\n") {
		t.Error("install.conf was replaced")
	}
	second.Default = DefaultAlways
	if written, _, err = second.Write(dir); err != nil || !strings.Contains(strings.Join(written, " "), " install.conf") {
		t.Errorf("--default: %v %v", written, err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "install.conf")); !strings.Contains(string(data), "System hostname = vm1\n") {
		t.Error("--default did not replace install.conf")
	}

	// A symbolic link to a directory outside: refused, nothing written.
	other, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(other, "7.9")); err != nil {
		t.Fatal(err)
	}
	_, _, err = first.Write(other)
	if err == nil || err.Error() != filepath.Join(other, "7.9")+" is a symbolic link: fugu render writes only inside "+other {
		t.Errorf("symlinked set directory: %v", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("wrote through the link: %v", entries)
	}
	if entries, _ := os.ReadDir(other); len(entries) != 1 {
		t.Errorf("wrote into %s: %v", other, entries)
	}
	// A directory where the site set goes: refused before the answers.
	third := t.TempDir()
	if err := os.MkdirAll(filepath.Join(third, "7.9/amd64/site79-puffy.tgz"), 0o755); err != nil {
		t.Fatal(err)
	}
	written, _, err = first.Write(third)
	if err == nil || len(written) != 0 {
		t.Errorf("directory in the way: %v, wrote %v", err, written)
	}
	if _, err := os.Stat(filepath.Join(third, "puffy-install.conf")); err == nil {
		t.Error("answers written although the site set could not be")
	}
}
