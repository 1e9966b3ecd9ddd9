package site

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/fugu-tool/fugu/internal/testenv"
)

// wantMember is what an archive member must extract to.
type wantMember struct {
	mode string // as ls and tar -v print it
	size int
}

// laptopMembers is the laptop set's expected listing, written out by hand
// from what the set must contain.
var laptopMembers = map[string]wantMember{
	"install.site":                                {"-rwxr-xr-x", -1},
	"var/fugu/":                                   {"drwx------", 0},
	"var/fugu/files/":                             {"drwx------", 0},
	"var/fugu/files/etc/":                         {"drwx------", 0},
	"var/fugu/files/etc/doas.conf":                {"-rw-------", len("permit persist :wheel\n")},
	"var/fugu/files/etc/hostname.iwm0":            {"-rw-------", -1},
	"var/fugu/files/etc/myname":                   {"-rw-------", len("puffy.example.org\n")},
	"var/fugu/files/home/":                        {"drwx------", 0},
	"var/fugu/files/home/puffy/":                  {"drwx------", 0},
	"var/fugu/files/home/puffy/.xsession":         {"-rw-------", len("exec cwm\n")},
	"var/fugu/firmware/":                          {"drwx------", 0},
	"var/fugu/firmware/iwm-firmware-20240410.tgz": {"-rw-------", len(fakeFirmware.Data)},
	"var/fugu/home.template":                      {"-rw-------", len("/home *\n")},
	"var/fugu/keys.puffy":                         {"-rw-------", -1},
	"var/fugu/keys.root":                          {"-rw-------", -1},
	"var/fugu/packages":                           {"-rw-r--r--", len("firefox\ngit\nrsync--\nvim--gtk3\n")},
	"var/fugu/rc.conf.local":                      {"-rw-------", len("apmd_flags=-A\nxenodm_flags=\n")},
	"var/fugu/rc.firsttime":                       {"-rw-------", -1},
}

func writeLaptopSet(t *testing.T) (string, *Set) {
	t.Helper()
	s, err := Build(laptopPlan(t), laptopOptions())
	if err != nil {
		t.Fatal(err)
	}
	data, err := s.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), s.Name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, s
}

// TestListings lists the set with GNU tar and bsdtar, with names and with
// numbers, and checks every member's type, mode, owner, size and time.
func TestListings(t *testing.T) {
	path, s := writeLaptopSet(t)
	sizes := map[string]int{}
	for _, e := range s.Entries {
		sizes[e.Name] = len(e.Data)
	}
	tests := []struct {
		tool, pkg string
		args      []string
		// fields: the indexes of mode, owner, group (-1: joined "o/g"
		// in the owner field), size, and where the name starts.
		mode, owner, group, size, name int
		owners                         string // "root/wheel" or "0/0"
		date                           string
	}{
		{"tar", "tar", []string{"-tvzf"}, 0, 1, -1, 2, 5, "root/wheel", "2026-05-01 00:00"},
		{"tar", "tar", []string{"--numeric-owner", "-tvzf"}, 0, 1, -1, 2, 5, "0/0", "2026-05-01 00:00"},
		{"bsdtar", "libarchive-tools", []string{"-tvzf"}, 0, 2, 3, 4, 8, "root/wheel", "May 1 2026"},
		{"bsdtar", "libarchive-tools", []string{"--numeric-owner", "-tvzf"}, 0, 2, 3, 4, 8, "0/0", "May 1 2026"},
	}
	for _, tt := range tests {
		t.Run(tt.tool+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			bin := testenv.Tool(t, tt.tool, tt.pkg)
			cmd := exec.Command(bin, append(tt.args, path)...)
			cmd.Env = append(os.Environ(), "TZ=UTC", "LC_ALL=C")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", tt.tool, err, out)
			}
			lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
			if len(lines) != len(laptopMembers) {
				t.Fatalf("%d members listed, want %d:\n%s", len(lines), len(laptopMembers), out)
			}
			var order []string
			for _, l := range lines {
				f := strings.Fields(l)
				if len(f) <= tt.name {
					t.Fatalf("short line %q", l)
				}
				name := strings.Join(f[tt.name:], " ")
				order = append(order, name)
				// bsdtar prints directories without their slash.
				want, ok := laptopMembers[name]
				if !ok {
					want, ok = laptopMembers[name+"/"]
					name += "/"
				}
				if !ok {
					t.Errorf("unexpected member %q", name)
					continue
				}
				owners := f[tt.owner]
				if tt.group >= 0 {
					owners += "/" + f[tt.group]
				}
				size := want.size
				if size < 0 {
					size = sizes[name]
				}
				date := strings.Join(f[tt.size+1:tt.name], " ")
				if f[tt.mode] != want.mode || owners != tt.owners || f[tt.size] != strconv.Itoa(size) || date != tt.date {
					t.Errorf("%s: listed %s %s %s %q, want %s %s %d %q", name, f[tt.mode], owners, f[tt.size], date, want.mode, tt.owners, size, tt.date)
				}
			}
			for i := 1; i < len(order); i++ {
				if strings.TrimSuffix(order[i-1], "/") >= strings.TrimSuffix(order[i], "/") {
					t.Errorf("members out of order: %q before %q", order[i-1], order[i])
				}
			}
		})
	}
}

// TestExtract extracts the set with GNU tar the way the installer does
// (tar -zxphf - -C /mnt) and with bsdtar, and compares every file's mode
// and content with the set; as root it also checks the owners.
func TestExtract(t *testing.T) {
	path, s := writeLaptopSet(t)
	tools := []struct {
		tool, pkg string
		args      []string
	}{
		{"tar", "tar", []string{"-zxphf", path, "-C"}},
		{"bsdtar", "libarchive-tools", []string{"-zxpf", path, "-C"}}, // bsdtar refuses -h (-L) when extracting
	}
	for _, tt := range tools {
		t.Run(tt.tool, func(t *testing.T) {
			bin := testenv.Tool(t, tt.tool, tt.pkg)
			dir := t.TempDir()
			out, err := exec.Command(bin, append(tt.args, dir)...).CombinedOutput()
			if err != nil {
				t.Fatalf("%s: %v\n%s", tt.tool, err, out)
			}
			seen := map[string]bool{}
			err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil || p == dir {
					return err
				}
				rel, _ := filepath.Rel(dir, p)
				if d.IsDir() {
					rel += "/"
				}
				seen[rel] = true
				if rel == "var/" {
					return nil // made by tar for var/fugu/, not a member
				}
				want, ok := laptopMembers[rel]
				if !ok {
					t.Errorf("extracted %s, not a member", rel)
					return nil
				}
				fi, err := os.Lstat(p)
				if err != nil {
					return err
				}
				if got := fi.Mode().String(); got != want.mode {
					t.Errorf("%s: mode %s, want %s", rel, got, want.mode)
				}
				if os.Geteuid() == 0 {
					st := fi.Sys().(*syscall.Stat_t)
					if st.Uid != 0 || st.Gid != 0 {
						t.Errorf("%s: owner %d:%d, want 0:0", rel, st.Uid, st.Gid)
					}
				}
				if !d.IsDir() {
					got, err := os.ReadFile(p)
					if err != nil {
						return err
					}
					if !bytes.Equal(got, entryData(s, rel)) {
						t.Errorf("%s: content differs", rel)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for name := range laptopMembers {
				if !seen[name] {
					t.Errorf("%s was not extracted", name)
				}
			}
		})
	}
}

func entryData(s *Set, name string) []byte {
	for _, e := range s.Entries {
		if e.Name == name {
			return e.Data
		}
	}
	return nil
}
