package autoinstall

import (
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fugu-tool/fugu/hardware"
	"github.com/fugu-tool/fugu/internal/fixture"
	goldenfile "github.com/fugu-tool/fugu/internal/golden"
	"github.com/fugu-tool/fugu/plan"
	"github.com/fugu-tool/fugu/profiles"
)

const (
	examplesDir = "../profiles/examples/"
	dmesgDir    = "../testdata/dmesg/"
	goldenDir   = "../testdata/autoinstall/"
	templateURL = "http://10.0.2.2/disklabel"
	serveURL    = "http://10.0.2.2/"
)

// renderCases pair every example profile with real dmesgs of machines it
// fits (the pairs the plan package's goldens use).
var renderCases = []struct{ profile, dmesg string }{
	{"laptop", "thinkpad-e485-ryzen-amdgpu-6.6-amd64.txt"},
	{"laptop", "thinkpad-t495-multiboot-6.7beta-amd64.txt"},
	{"vm", "kvm-qemu41-virtio-6.6-amd64.txt"},
	{"vm", "vmm-vmd-6.8-amd64.txt"},
	{"firewall", "pcengines-apu2-6.7-amd64.txt"},
	{"mail-gateway", "dell-r610-perc-bnx-6.5-amd64.txt"},
}

// makePlan loads an example profile, switches it to a release, and plans
// it for a dmesg.
func makePlan(t *testing.T, profile, dmesg, rel string) *plan.Plan {
	t.Helper()
	p := fixture.Profile(t, profile)
	if rel != "" {
		p.Release = rel
	}
	var f *hardware.Facts
	if dmesg != "" {
		f = fixture.Facts(t, dmesg)
	}
	pl, err := plan.Make(p, f)
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

// golden compares got with testdata/autoinstall/name, or rewrites it
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	goldenfile.Check(t, filepath.Join(goldenDir, name), got)
}

// TestRender renders every example for 7.9 and 6.1, compares with the
// golden file, and replays the result on the plan's machine: every
// question must be answered by a line meant for it, no line left over, the
// planned sets installed.
func TestRender(t *testing.T) {
	for _, c := range renderCases {
		for _, rel := range []string{"7.9", "6.1"} {
			name := c.profile + "--" + strings.TrimSuffix(c.dmesg, ".txt") + "--" + rel
			t.Run(name, func(t *testing.T) {
				pl := makePlan(t, c.profile, c.dmesg, rel)
				opts := RenderOptions{ServeURL: serveURL}
				if pl.RootLayout != nil && pl.RootLayout.Template != nil {
					opts.TemplateURL = templateURL
				}
				a, err := Render(pl, opts)
				if err != nil {
					t.Fatal(err)
				}
				out := a.Bytes()
				golden(t, "render/"+name+".conf", out)

				rep, err := Lint(name+".conf", out, ScenarioFor(pl, opts))
				if err != nil {
					t.Fatal(err)
				}
				if !rep.Completed {
					t.Fatalf("the install stops: %s", rep.Stopped)
				}
				used := map[int]bool{}
				for _, st := range rep.Steps {
					if st.How != HowAnswered {
						t.Errorf("%q: %s %q", st.Question, st.How, st.Default)
						continue
					}
					l := a.line(st.Line)
					if l == nil || l.Question != st.Question {
						t.Errorf("%q answered by line %d, which was written for %q", st.Question, st.Line, l.Question)
					}
					used[st.Line] = true
				}
				for i, l := range a.Lines {
					if l.Key != "" && !used[i+1] {
						t.Errorf("line %d %q is never read", i+1, l.Key)
					}
				}
				for _, f := range rep.Findings {
					if f.Severity > Info {
						t.Errorf("finding: %+v", f)
					}
				}
				want := append([]string(nil), pl.Sets.Selected...)
				if !slices.Contains(want, pl.Sets.SiteSet) {
					want = append(want, pl.Sets.SiteSet)
				}
				got := append([]string(nil), rep.Installed...)
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(got, want) {
					t.Errorf("installs %v, plan selects %v", rep.Installed, pl.Sets.Selected)
				}
			})
		}
	}
}

// TestRenderFields checks that answer lines point back at the profile.
func TestRenderFields(t *testing.T) {
	pl := makePlan(t, "laptop", "thinkpad-e485-ryzen-amdgpu-6.6-amd64.txt", "")
	a, err := Render(pl, RenderOptions{TemplateURL: templateURL})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		value, field string
		line         int
	}{
		"Setup a user":                                   {"puffy", "user.login", 34},
		"Network interface to configure":                 {"re0", "network.interfaces[0].name", 20},
		"Which disk is the root disk":                    {"sd0", "disks.root.disk", 48},
		"URL to autopartitioning template for disklabel": {templateURL, "disks.root.layout", 50},
	}
	for _, l := range a.Lines {
		w, ok := want[l.Key]
		if !ok {
			continue
		}
		delete(want, l.Key)
		if l.Value != w.value || l.Field != w.field || l.Pos.Line != w.line || !strings.HasSuffix(l.Pos.File, "laptop.yaml") {
			t.Errorf("%s = %s from %s at %s; want %s from %s at line %d", l.Key, l.Value, l.Field, l.Pos, w.value, w.field, w.line)
		}
	}
	for k := range want {
		t.Errorf("no line %q", k)
	}
	// A machine without re0: the interface answer is rejected, and the
	// finding points at the profile line that named re0.
	sc := ScenarioFromPlan(pl)
	sc.Interfaces = []Interface{{Name: "em0"}}
	rep, err := Lint("install.conf", a.Bytes(), sc)
	if err != nil {
		t.Fatal(err)
	}
	a.Attribute(rep)
	var f *Finding
	for i := range rep.Findings {
		if rep.Findings[i].Code == "rejected" {
			f = &rep.Findings[i]
		}
	}
	if f == nil || f.Field != "network.interfaces[0].name" || !strings.HasSuffix(f.Pos, "laptop.yaml:20:13") {
		t.Errorf("rejected interface finding: %+v", f)
	}
}

// TestRenderErrors checks plans the answers cannot be made from; the
// errors name the profile field and line.
func TestRenderErrors(t *testing.T) {
	t.Run("no dmesg", func(t *testing.T) {
		pl := makePlan(t, "vm", "", "")
		_, err := Render(pl, RenderOptions{})
		var pe *profiles.Error
		if !errors.As(err, &pe) || pe.Path != "disks.root.disk" || pe.Pos.Line != 30 {
			t.Errorf("got %v", err)
		}
	})
	t.Run("template without URL", func(t *testing.T) {
		pl := makePlan(t, "firewall", "pcengines-apu2-6.7-amd64.txt", "")
		_, err := Render(pl, RenderOptions{})
		var pe *profiles.Error
		if !errors.As(err, &pe) || pe.Path != "disks.root.layout" || pe.Pos.Line != 41 {
			t.Errorf("got %v", err)
		}
	})
	t.Run("mirror without serve URL", func(t *testing.T) {
		pl := makePlan(t, "vm", "kvm-qemu41-virtio-6.6-amd64.txt", "")
		_, err := Render(pl, RenderOptions{})
		var pe *profiles.Error
		if !errors.As(err, &pe) || pe.Path != "sets.source" || !strings.Contains(pe.Msg, "site79-vm1.tgz") {
			t.Errorf("got %v", err)
		}
		_, err = Render(pl, RenderOptions{ServeURL: "https://10.0.2.2/"})
		if err == nil || !strings.Contains(err.Error(), "plain http") {
			t.Errorf("https serve URL: got %v", err)
		}
	})
	t.Run("comment in an answer", func(t *testing.T) {
		pl := makePlan(t, "laptop", "thinkpad-e485-ryzen-amdgpu-6.6-amd64.txt", "")
		pl.Accounts.UserName = "Puffy #1 Fish"
		_, err := Render(pl, RenderOptions{TemplateURL: templateURL})
		var pe *profiles.Error
		if !errors.As(err, &pe) || pe.Path != "user.name" || pe.Pos.Line != 35 {
			t.Errorf("got %v", err)
		}
	})
	t.Run("bad template URL", func(t *testing.T) {
		pl := makePlan(t, "firewall", "pcengines-apu2-6.7-amd64.txt", "")
		_, err := Render(pl, RenderOptions{TemplateURL: "disklabel.template", ServeURL: serveURL})
		if err == nil || !strings.Contains(err.Error(), `template URL "disklabel.template"`) {
			t.Errorf("got %v", err)
		}
	})
}

func TestChooseKey(t *testing.T) {
	tests := []struct {
		text    string
		earlier []string
		want    string
	}{
		{"System hostname? (short form, e.g. 'foo')", nil, "System hostname"},
		{"Choose your keyboard layout ('?' or 'L' for list)", nil, "Choose your keyboard layout"},
		{"Public ssh key for user puffy", nil, "Public ssh key for user puffy"},
		{"Which disk is the root disk? ('?' for details)", nil, "Which disk is the root disk"},
		// The short form would also answer an earlier question.
		{"Continue anyway?", []string{"Checksum test for site79.tgz failed. Continue anyway?"}, ""},
		{"IPv6 default router?", nil, "IPv6 default router"},
	}
	for _, tt := range tests {
		got, err := chooseKey(tt.text, tt.earlier)
		if tt.want == "" {
			if err == nil {
				t.Errorf("chooseKey(%q) = %q, want an error", tt.text, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("chooseKey(%q) = %q, %v; want %q", tt.text, got, err, tt.want)
		}
	}
}
