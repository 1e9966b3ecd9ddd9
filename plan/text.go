package plan

import (
	"fmt"
	"io"
	"strings"

	"github.com/fugu-tool/fugu/profiles"
)

// WriteText prints the plan for a person: what will be installed where and
// why, disks in real sizes, and what happens after the install. Secrets are
// masked.
func (pl *Plan) WriteText(w io.Writer) error {
	t := &textWriter{w: w}
	name := pl.Hostname
	if pl.Domain != "" {
		name += "." + pl.Domain
	}
	t.printf("Install OpenBSD %s/%s on %s\n", pl.Release.Version, pl.Arch, name)
	if f := pl.Facts; f != nil {
		t.printf("  machine   %s: OpenBSD %s %s %s, %s memory, %d CPU%s\n", f.Source, f.Release, f.Kernel, f.Arch,
			profiles.FormatBytes(f.PhysMem), f.NCPU, plural(f.NCPU))
	}

	t.section("Disks")
	if pl.Root != nil {
		t.disk("root", pl.Root)
	}
	switch {
	case pl.Home == nil:
		t.printf("  home      on the root disk (no disks.home in the profile)\n")
	case pl.Home.OnRoot:
		t.printf("  home      on the root disk: %s\n", pl.Home.Reason)
	default:
		t.disk("home", pl.Home)
	}
	if m := pl.Media; m != nil {
		pred := ""
		if m.Predicted {
			pred = " (predicted)"
		}
		t.printf("  media     %s%s: %s\n", m.Device, pred, m.Reason)
	}
	if pl.PhysMem > 0 && pl.Swap > 0 {
		t.printf("  swap      %s (%s of memory)\n", profiles.FormatBytes(pl.Swap), ratio(pl.Swap, pl.PhysMem))
	}
	for _, l := range []*Layout{pl.RootLayout, pl.HomeLayout} {
		if l != nil {
			l.writeText(t)
		}
	}

	t.section("Network")
	if len(pl.Network) == 0 {
		t.printf("  no interfaces configured\n")
	}
	for _, n := range pl.Network {
		when := "by the installer"
		if !n.Installer {
			when = "after the install"
		}
		kind := "wired"
		if n.Wireless {
			kind = "wireless"
		}
		mac := ""
		if n.MAC != "" {
			mac = " " + n.MAC
		}
		t.printf("  %-9s %s%s, ipv4 %s, ipv6 %s, %s\n", n.Name, kind, mac, n.IPv4, n.IPv6, when)
		if len(n.SSIDs) > 0 {
			t.printf("            joins %s\n", strings.Join(n.SSIDs, ", "))
		}
	}
	if pl.Gateway != "" {
		t.printf("  gateway   %s\n", pl.Gateway)
	}
	if pl.Gateway6 != "" {
		t.printf("  gateway6  %s\n", pl.Gateway6)
	}
	if len(pl.DNS) > 0 {
		t.printf("  dns       %s\n", strings.Join(pl.DNS, " "))
	}

	t.section("System")
	a := pl.Accounts
	t.printf("  root      password %s%s\n", maskHash(a.RootPassword), keys(a.RootKeys))
	if a.User != "" {
		t.printf("  user      %s (%s) in wheel, password %s%s\n", a.User, a.UserName, maskHash(a.UserPassword), keys(a.UserKeys))
	}
	s := pl.Services
	t.printf("  sshd      %s, root login %s\n", yesno(s.SSHD), s.RootSSHLogin)
	t.printf("  X         %s, xenodm %s\n", yesno(s.X11), yesno(s.Xenodm))
	t.printf("  timezone  %s\n", pl.Timezone)
	if pl.Keyboard != "" {
		t.printf("  keyboard  %s\n", pl.Keyboard)
	}
	if pl.Console != nil {
		t.printf("  console   %s at %d baud\n", pl.Console.Device, pl.Console.Speed)
	}

	t.section("Sets")
	src := "the install media"
	if pl.Media != nil && pl.Sets.Source == "media" {
		src += " (" + pl.Media.Device + ")"
	}
	if pl.Sets.Source != "media" {
		src = pl.Sets.Source + " (" + pl.Sets.Dir + ")"
	}
	t.printf("  from      %s\n", src)
	t.printf("  install   %s\n", strings.Join(pl.Sets.Selected, " "))
	if len(pl.Sets.Dropped) > 0 {
		t.printf("  leave out %s\n", strings.Join(pl.Sets.Dropped, " "))
	}

	if len(pl.Steps) > 0 {
		t.section("After the install")
		for i, st := range pl.Steps {
			t.printf("  %d. %s\n", i+1, st.What)
			if st.Why != "" {
				t.printf("     (%s)\n", st.Why)
			}
		}
	}
	if len(pl.Notes) > 0 {
		t.section("Notes")
		for _, n := range pl.Notes {
			t.printf("  - %s\n", n)
		}
	}
	if len(pl.Warnings) > 0 {
		t.section("Warnings")
		for _, n := range pl.Warnings {
			t.printf("  ! %s\n", n)
		}
	}
	return t.err
}

type textWriter struct {
	w   io.Writer
	err error
}

func (t *textWriter) printf(format string, args ...any) {
	if t.err == nil {
		_, t.err = fmt.Fprintf(t.w, format, args...)
	}
}

func (t *textWriter) section(name string) { t.printf("\n%s\n", name) }

func (t *textWriter) disk(role string, c *DiskChoice) {
	d := c.Disk
	if d.Name == "" {
		t.printf("  %-9s %s\n", role, c.Reason)
		return
	}
	t.printf("  %-9s %-5s %8s %-7s %-8s %s\n", role, d.Name, profiles.FormatBytes(d.Bytes()), d.Type, d.Bus, strings.TrimSpace(d.Vendor+" "+d.Model))
	t.printf("            why: rule %q, %s\n", c.Rule, c.Reason)
	for _, p := range c.Passed {
		t.printf("            not %s\n", p)
	}
}

func maskHash(h string) string {
	switch {
	case h == "":
		return "not set"
	case h == "*************":
		return "disabled (13 asterisks: no password logins)"
	case profiles.IsPasswordHash(h):
		return "set (bcrypt hash, cost " + h[4:6] + ", masked)"
	}
	return "set (plaintext, masked; the installer hashes it)"
}

func keys(k []string) string {
	if len(k) == 0 {
		return ""
	}
	return fmt.Sprintf(", %d SSH key%s", len(k), plural(len(k)))
}

func yesno(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

func ratio(a, b int64) string {
	r := float64(a) / float64(b)
	if r == float64(int64(r)) {
		return fmt.Sprintf("%dx", int64(r))
	}
	return fmt.Sprintf("%.2fx", r)
}
