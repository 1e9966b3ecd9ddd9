package plan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/fugu-tool/fugu/disklabel"
	"github.com/fugu-tool/fugu/hardware"
	"github.com/fugu-tool/fugu/profiles"
)

// Layout is how one disk is partitioned: the partition table, the OpenBSD
// area, the template (if any) and the disklabel partitions in sectors.
type Layout struct {
	Role         string              `json:"role"` // "root" or "home"
	Disk         string              `json:"disk"`
	Table        string              `json:"table"` // "gpt" or "mbr"
	Sectors      uint64              `json:"sectors"`
	SectorSize   int                 `json:"sector_size"`
	ESP          *disklabel.Extent   `json:"esp,omitempty"`
	Area         disklabel.Extent    `json:"area"`
	Source       string              `json:"source"`             // where the layout comes from, for people
	Template     *disklabel.Template `json:"-"`                  // nil: the installer's built-in tables
	TemplateText string              `json:"template,omitempty"` // Template.String()
	Label        *disklabel.Layout   `json:"label"`
	Notes        []string            `json:"notes,omitempty"`
}

// blocks converts bytes to 512-byte blocks, the unit of templates.
func blocks(b int64) uint64 {
	if b <= 0 {
		return 0
	}
	return uint64(b) / 512
}

// archBoot is how an architecture's installer partitions a blank root disk
// when the answer is "whole disk" (install.md md_prep_fdisk of each arch):
// amd64 offers whole-disk MBR or GPT, i386 MBR only, arm64 an MBR with a
// FAT boot partition of 32768 blocks at block 32768 ("fdisk -iy -b
// 32768@32768:C").
var archBoot = map[string]struct {
	tables              []string
	bootStart, bootSize uint64 // MBR boot partition, 0 if none
}{
	"amd64": {tables: []string{"gpt", "mbr"}},
	"i386":  {tables: []string{"mbr"}},
	"arm64": {tables: []string{"mbr"}, bootStart: 32768, bootSize: 32768},
}

// rootGeometry is the blank root disk after the installer's fdisk run.
func (b *builder) rootGeometry(d hardware.Disk, table string) (*disklabel.Geometry, error) {
	ab, ok := archBoot[b.pl.Arch]
	if !ok {
		return nil, fmt.Errorf("fugu does not know how the %s installer partitions disks", b.pl.Arch)
	}
	if !contains(ab.tables, table) {
		return nil, fmt.Errorf("the %s installer does not offer a whole-disk %s", b.pl.Arch, strings.ToUpper(table))
	}
	rel := b.pl.Release.Version
	switch {
	case ab.bootSize > 0:
		return disklabel.MBRWithBoot(sectorsOf(d), sectorSize(d), ab.bootStart, ab.bootSize, rel)
	case table == "mbr":
		return disklabel.WholeDisk(sectorsOf(d), sectorSize(d), disklabel.MBR, rel)
	}
	return disklabel.WholeDisk(sectorsOf(d), sectorSize(d), disklabel.GPT, rel)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// layouts computes the root and /home disk layouts.
func (b *builder) layouts() {
	pl := b.pl
	rel := pl.Release.Version
	root := pl.Root
	geom, err := b.rootGeometry(root.Disk, root.Table)
	if err != nil {
		b.errorf("disks.root.table", "%s: %v", root.Disk.Name, err)
		return
	}
	homeElsewhere := pl.Home != nil && !pl.Home.OnRoot
	homeFallback := pl.Home != nil && pl.Home.OnRoot
	l := &Layout{Role: "root", Disk: root.Disk.Name, Table: root.Table, Sectors: geom.Sectors, SectorSize: geom.SectorSize, ESP: geom.ESP, Area: geom.Area, Notes: geom.Notes}
	if pl.Arch == "arm64" {
		l.Table = "mbr+boot"
	}
	d := b.p.Disks.Root
	switch {
	case d.Layout.Auto && d.Swap == "" && pl.Home == nil:
		l.Source = "the installer's automatic layout"
		l.Label, err = disklabel.Allocate(disklabel.Request{Disk: geom.Disk(), PhysMem: pl.PhysMem, Release: rel})
		if err != nil {
			b.errorf("disks.root", "the installer's automatic layout does not fit %s: %v", root.Disk.Name, err)
			return
		}
		if len(l.Label.Skipped) > 0 {
			var why []string
			for _, t := range l.Label.Skipped {
				why = append(why, t.Table+" ("+t.Reason+")")
			}
			l.Notes = append(l.Notes, "the larger built-in tables tried first do not fit: "+strings.Join(why, "; "))
		}
	case d.Layout.Auto:
		if !b.derivedLayout(l, geom, homeElsewhere, homeFallback) {
			return
		}
	default:
		if !b.listLayout(l, geom) {
			return
		}
	}
	if l.Template != nil {
		l.TemplateText = l.Template.String()
	}
	for _, p := range l.Label.Partitions {
		if p.FSType == "swap" {
			pl.Swap += int64(p.Size) * int64(l.Label.SectorSize)
		}
	}
	if l.Label.Free > 0 {
		free := int64(l.Label.Free) * int64(l.Label.SectorSize)
		if free >= 1<<30 {
			l.Notes = append(l.Notes, fmt.Sprintf("%s of %s stays unallocated: every partition reached its maximum; give a partition a larger maximum (or '*') in a layout list to use it", profiles.FormatBytes(free), root.Disk.Name))
		}
	}
	b.checkDisk(root, geom, "disks.root.table")
	b.checkSizes(l)
	pl.RootLayout = l
	if homeElsewhere {
		b.homeLayout()
	}
}

// checkDisk warns about partition tables that will not work well on a disk.
func (b *builder) checkDisk(c *DiskChoice, geom *disklabel.Geometry, path string) {
	if geom.Scheme == disklabel.MBR {
		total := geom.Sectors * uint64(geom.SectorSize)
		used := geom.Area.End() * uint64(geom.SectorSize)
		if total > used+(1<<30) {
			b.warnf("%s is %s but an MBR partition ends at 2 TiB: %s of it cannot be used; use table: gpt (%s)",
				c.Disk.Name, disklabel.HumanBytes(total), disklabel.HumanBytes(total-used), b.p.Sources().At(path))
		}
	}
	if geom.Scheme == disklabel.GPT && geom.ESP != nil && b.f != nil && !b.f.EFI && c == b.pl.Root {
		b.warnf("the dmesg shows %s booting through the BIOS, not EFI: the installer asks \"An EFI/GPT disk may not boot. Proceed?\", and a GPT disk may not boot in BIOS mode; switch the firmware to UEFI or use table: mbr (%s)",
			c.Disk.Name, b.p.Sources().At(path))
	}
}

// checkSizes finds template lines that got no partition and file systems
// too small for the sets the installer will put on them.
func (b *builder) checkSizes(l *Layout) {
	if l.Template == nil {
		return
	}
	got := map[int]bool{}
	sizes := map[string]uint64{}
	for _, p := range l.Label.Partitions {
		if p.Line > 0 {
			got[p.Line] = true
		}
		if p.Mount != "" {
			sizes[p.Mount] = p.Size * uint64(l.Label.SectorSize)
		}
	}
	for i, e := range l.Template.Entries {
		if !got[e.Line] {
			path := "disks.root.layout"
			if !b.p.Disks.Root.Layout.Auto {
				path = fmt.Sprintf("disks.root.layout[%d]", i)
			}
			b.errorf(path, "disklabel would give %s no space at all (its minimum is 0 and nothing is left for it); give it a minimum size", e.Mount)
		}
	}
	// The installer's own smallest tables give / 700M and /usr 1300M
	// (editor.c medium and small tables): less will not hold the sets.
	usr := sizes["/usr"]
	if usr == 0 {
		usr = sizes["/"]
	}
	if sz := sizes["/"]; sz > 0 && sz < 150<<20 {
		b.warnf("/ is only %s; the installer's own layouts never give it less than 150M", disklabel.HumanBytes(sz))
	}
	if usr > 0 && usr < 1300<<20 {
		b.warnf("/usr gets only %s; the base set alone needs about 1G and the installer's own layouts give /usr at least 1300M", disklabel.HumanBytes(usr))
	}
}

// derivedLayout is layout: auto with a swap size or a separate /home disk:
// a template derived from the release's built-in tables, tried in the order
// disklabel tries them, with /home left out when it has its own disk and the
// swap line replaced. Templates get no memory-dependent increments from
// disklabel, so the built-in big table's are applied here.
//
// When the profile wanted a whole disk for /home but the machine has only
// one, /home stays on the root disk without the table's 300G cap: it takes
// what the other partitions leave.
func (b *builder) derivedLayout(l *Layout, geom *disklabel.Geometry, homeElsewhere, homeFallback bool) bool {
	pl := b.pl
	d := b.p.Disks.Root
	rel := pl.Release.Version
	tables, err := disklabel.BuiltinTables(rel, pl.PhysMem)
	if err != nil {
		b.errorf("release", "%v", err)
		return false
	}
	var swap uint64
	noSwap := d.Swap == "none"
	if d.Swap != "" && !noSwap {
		sz, err := profiles.ParseSize(d.Swap)
		if err != nil {
			b.errorf("disks.root.swap", "%v", err)
			return false
		}
		swap = blocks(sz.Min.Resolve(pl.PhysMem))
		if swap == 0 {
			b.errorf("disks.root.swap", "%s of memory is unknown: the dmesg has no \"real mem\" line", d.Swap)
			return false
		}
		if area := geom.Area.Size; swap >= area {
			b.errorf("disks.root.swap", "swap %s is %s, bigger than the OpenBSD area of %s (%s)", d.Swap,
				disklabel.HumanBytes(swap*512), pl.Root.Disk.Name, disklabel.HumanBytes(area*uint64(geom.SectorSize)))
			return false
		}
	}
	var why []string
	for _, t := range tables {
		var entries []disklabel.Entry
		hasSwap := false
		for _, e := range t.Entries {
			if e.Mount == "/home" && homeElsewhere {
				continue
			}
			if e.Mount == "/home" && homeFallback {
				e.Max = disklabel.Unlimited
			}
			if e.Mount == "swap" && noSwap {
				continue
			}
			if e.Mount == "swap" && swap > 0 {
				e.Min, e.Max, e.Percent = swap, swap, 0
				hasSwap = true
			}
			entries = append(entries, e)
		}
		if swap > 0 && !hasSwap {
			// The stupid table has no swap: add it after /.
			entries = append(entries[:1], append([]disklabel.Entry{{Mount: "swap", Min: swap, Max: swap}}, entries[1:]...)...)
		}
		name := strings.TrimPrefix(t.Name, "built-in ")
		tmpl, err := disklabel.NewTemplate(pl.Hostname+"-"+pl.Root.Disk.Name+".disklabel", rel, entries)
		if err != nil {
			why = append(why, fmt.Sprintf("%s: %v", name, err))
			continue
		}
		lab, err := disklabel.Allocate(disklabel.Request{Disk: geom.Disk(), PhysMem: pl.PhysMem, Release: rel, Template: tmpl})
		if err != nil {
			why = append(why, fmt.Sprintf("%s: %s", name, allocReason(err)))
			continue
		}
		l.Template, l.Label = tmpl, lab
		var what []string
		if homeElsewhere {
			what = append(what, "less /home")
		}
		if homeFallback {
			what = append(what, "/home taking the rest of the disk")
		}
		if swap > 0 || noSwap {
			what = append(what, "swap "+d.Swap)
		}
		l.Source = fmt.Sprintf("a template derived from the installer's %s, %s", t.Name, strings.Join(what, ", "))
		if len(why) > 0 {
			l.Notes = append(l.Notes, "the larger tables tried first do not fit: "+strings.Join(why, "; "))
		}
		return true
	}
	path := "disks.root.layout"
	if d.Swap != "" {
		path = "disks.root.swap"
	}
	b.errorf(path, "no layout fits %s (%s): %s", pl.Root.Disk.Name, profiles.FormatBytes(pl.Root.Disk.Bytes()), strings.Join(why, "; "))
	return false
}

// listLayout is a layout the profile lists partition by partition.
func (b *builder) listLayout(l *Layout, geom *disklabel.Geometry) bool {
	pl := b.pl
	parts := b.p.Disks.Root.Layout.Partitions
	var entries []disklabel.Entry
	for i, pt := range parts {
		sz, err := profiles.ParseSize(pt.Size)
		if err != nil {
			b.errorf(fmt.Sprintf("disks.root.layout[%d].size", i), "%v", err)
			return false
		}
		if (sz.Min.RAM != 0 || sz.Max.RAM != 0) && pl.PhysMem == 0 {
			b.errorf(fmt.Sprintf("disks.root.layout[%d].size", i), "%s needs the machine's memory, and the dmesg has no \"real mem\" line", pt.Size)
			return false
		}
		e := disklabel.Entry{Mount: strings.ToLower(pt.Mount), Min: blocks(sz.Min.Resolve(pl.PhysMem)), Percent: pt.Percent}
		if strings.HasPrefix(pt.Mount, "/") {
			e.Mount = pt.Mount
		}
		if sz.Max.Unlimited {
			e.Max = disklabel.Unlimited
		} else {
			e.Max = blocks(sz.Max.Resolve(pl.PhysMem))
		}
		if e.Min > geom.Area.Size {
			b.errorf(fmt.Sprintf("disks.root.layout[%d].size", i), "%s %s is %s, bigger than the OpenBSD area of %s (%s)", pt.Mount, pt.Size,
				disklabel.HumanBytes(e.Min*512), pl.Root.Disk.Name, disklabel.HumanBytes(geom.Area.Size*uint64(geom.SectorSize)))
			return false
		}
		entries = append(entries, e)
	}
	tmpl, err := disklabel.NewTemplate(pl.Hostname+"-"+pl.Root.Disk.Name+".disklabel", pl.Release.Version, entries)
	if err != nil {
		b.errorf("disks.root.layout", "%v", err)
		return false
	}
	lab, err := disklabel.Allocate(disklabel.Request{Disk: geom.Disk(), PhysMem: pl.PhysMem, Release: pl.Release.Version, Template: tmpl})
	if err != nil {
		path := "disks.root.layout"
		var ae *disklabel.AllocError
		if errors.As(err, &ae) && ae.Line > 0 && ae.Line <= len(parts) {
			path = fmt.Sprintf("disks.root.layout[%d]", ae.Line-1)
		}
		b.errorf(path, "the layout does not fit %s (%s): %s", pl.Root.Disk.Name, profiles.FormatBytes(pl.Root.Disk.Bytes()), allocReason(err))
		return false
	}
	l.Template, l.Label = tmpl, lab
	l.Source = "the profile's layout, as a template"
	return true
}

// homeLayout is the /home disk: whole-disk GPT or MBR without an EFI System
// partition and one partition for /home, as install.site makes it.
func (b *builder) homeLayout() {
	pl := b.pl
	h := pl.Home
	scheme := disklabel.GPT
	if h.Table == "mbr" {
		scheme = disklabel.MBR
	}
	geom, err := disklabel.DataDisk(sectorsOf(h.Disk), sectorSize(h.Disk), scheme, pl.Release.Version)
	if err != nil {
		b.errorf("disks.home.disk", "%s: %v", h.Disk.Name, err)
		return
	}
	tmpl, err := disklabel.NewTemplate(pl.Hostname+"-"+h.Disk.Name+".disklabel", pl.Release.Version,
		[]disklabel.Entry{{Mount: "/home", Min: 2048, Max: disklabel.Unlimited}})
	if err != nil {
		b.errorf("disks.home", "%v", err)
		return
	}
	lab, err := disklabel.Allocate(disklabel.Request{Disk: geom.Disk(), PhysMem: pl.PhysMem, Release: pl.Release.Version, Template: tmpl})
	if err != nil {
		b.errorf("disks.home.disk", "%s: %v", h.Disk.Name, err)
		return
	}
	pl.HomeLayout = &Layout{Role: "home", Disk: h.Disk.Name, Table: h.Table, Sectors: geom.Sectors, SectorSize: geom.SectorSize,
		Area: geom.Area, Source: "the whole disk for /home, partitioned by install.site", Template: tmpl, TemplateText: tmpl.String(), Label: lab, Notes: geom.Notes}
}

// allocReason is an allocation failure without the name of the generated
// template, which means nothing to the profile's author.
func allocReason(err error) string {
	var ae *disklabel.AllocError
	if errors.As(err, &ae) {
		return ae.Reason
	}
	return err.Error()
}

func sectorsOf(d hardware.Disk) int64 {
	if d.Sectors > 0 {
		return d.Sectors
	}
	return d.Bytes() / int64(sectorSize(d))
}

func sectorSize(d hardware.Disk) int {
	if d.SectorSize > 0 {
		return d.SectorSize
	}
	return 512
}

func (l *Layout) writeText(t *textWriter) {
	table := "whole-disk " + strings.ToUpper(l.Table)
	if l.Table == "mbr+boot" {
		table = "whole-disk MBR with a FAT boot partition"
	}
	t.printf("\n%s disk %s: %s, %d sectors of %d bytes (%s)\n", capitalize(l.Role), l.Disk, table,
		l.Sectors, l.SectorSize, disklabel.HumanBytes(l.Sectors*uint64(l.SectorSize)))
	if l.ESP != nil {
		what := "EFI System partition"
		if l.Table == "mbr+boot" {
			what = "FAT boot partition"
		}
		t.printf("  %s at sector %d, %d sectors (%s)\n", what, l.ESP.Start, l.ESP.Size, disklabel.HumanBytes(l.ESP.Size*uint64(l.SectorSize)))
	}
	t.printf("  OpenBSD area sectors %d-%d; layout: %s\n", l.Area.Start, l.Area.End(), l.Source)
	var buf strings.Builder
	if err := l.Label.WriteTable(&buf); err != nil {
		t.err = err
		return
	}
	for _, line := range strings.Split(strings.TrimRight(buf.String(), "\n"), "\n") {
		t.printf("    %s\n", line)
	}
	if l.Template != nil {
		t.printf("  template:\n")
		for _, line := range strings.Split(strings.TrimRight(l.TemplateText, "\n"), "\n") {
			t.printf("    %s\n", line)
		}
	}
	for _, n := range l.Notes {
		t.printf("  note: %s\n", n)
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
