package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/fugu-tool/fugu/hardware"
	"github.com/fugu-tool/fugu/profiles"
)

// disks chooses the root disk, the /home disk and the install media, then
// lays out the disks.
func (b *builder) disks() {
	d := b.p.Disks
	if b.f == nil {
		b.pl.Root = &DiskChoice{Rule: d.Root.Disk, Table: d.Root.Table, Reason: "rule " + d.Root.Disk + " (not resolved without a dmesg)"}
		if d.Home != nil {
			b.pl.Home = &DiskChoice{Rule: d.Home.Disk, Table: d.Home.Table, Reason: "rule " + d.Home.Disk + " (not resolved without a dmesg)"}
		}
		return
	}
	b.media()
	root, ok := b.choose("disks.root.disk", d.Root.Disk, "root", nil)
	if !ok {
		return
	}
	root.Table = d.Root.Table
	b.pl.Root = root
	if d.Home != nil {
		home, ok := b.choose("disks.home.disk", d.Home.Disk, "home", &root.Disk)
		if !ok {
			return
		}
		if home != nil {
			home.Table = d.Home.Table
			home.Wipe = d.Home.Wipe
		}
		b.pl.Home = home
	}
	b.layouts()
}

// eligible says whether a disk may be picked by a rule, and if not why.
func (b *builder) eligible(d hardware.Disk) (bool, string) {
	switch {
	case b.pl.Media != nil && d.Name == b.pl.Media.Device:
		return false, "the install media"
	case d.Softraid:
		return false, "a softraid volume, assembled from other disks"
	case d.SizeMB == 0 && d.Sectors == 0:
		return false, "no medium (an empty card reader)"
	case d.ReadOnly:
		return false, "read-only"
	case d.USB:
		return false, "a USB disk"
	case d.Removable:
		return false, "removable media"
	}
	return true, ""
}

// matchRule reports whether a disk satisfies a type or model rule.
func matchRule(rule string, d hardware.Disk) bool {
	switch {
	case rule == "ssd":
		return d.Type == hardware.SSD
	case rule == "hdd":
		return d.Type == hardware.HDD
	case rule == "nvme":
		return d.Bus == "nvme"
	case strings.HasPrefix(rule, "model:"):
		pat := strings.TrimPrefix(rule, "model:")
		return profiles.MatchModel(pat, d.Model) || profiles.MatchModel(pat, strings.TrimSpace(d.Vendor+" "+d.Model))
	}
	return false
}

// choose resolves a disk rule against the facts. For the /home disk (exclude
// is the root disk) a rule that finds no disk other than the root disk on a
// machine with just one usable disk puts /home on the root disk instead.
func (b *builder) choose(path, rule, role string, exclude *hardware.Disk) (*DiskChoice, bool) {
	f := b.f
	var cands []hardware.Disk
	var why []string
	usable := 0
	for _, d := range f.Disks {
		if exclude != nil && d.Name == exclude.Name {
			continue
		}
		ok, reason := b.eligible(d)
		if ok {
			usable++
		}
		switch {
		case profiles.IsDiskName(rule):
			if d.Name == rule {
				cands = append(cands, d)
			}
		case !ok:
			why = append(why, fmt.Sprintf("%s: %s", d.Name, reason))
		case rule == "largest" || rule == "smallest" || matchRule(rule, d):
			cands = append(cands, d)
		default:
			why = append(why, fmt.Sprintf("%s: %s", d.Name, describeMismatch(rule, d)))
		}
	}
	if profiles.IsDiskName(rule) {
		if exclude != nil && rule == exclude.Name {
			b.errorf(path, "%s is the root disk; leave disks.home out to keep /home on it", rule)
			return nil, false
		}
		if len(cands) == 0 {
			b.errorf(path, "no disk %s in the dmesg; disks: %s", rule, diskList(f.Disks))
			return nil, false
		}
		d := cands[0]
		if ok, reason := b.eligible(d); !ok {
			if b.pl.Media != nil && d.Name == b.pl.Media.Device {
				b.errorf(path, "%s is the install media (%s); fugu never installs onto the stick it boots from", d.Name, describe(d))
				return nil, false
			}
			if d.Softraid {
				b.errorf(path, "%s is %s; name one of the disks it is made of", d.Name, reason)
				return nil, false
			}
			if d.SizeMB == 0 && d.Sectors == 0 {
				b.errorf(path, "%s has %s", d.Name, reason)
				return nil, false
			}
			b.warnf("%s disk %s is %s, named explicitly by the profile", role, d.Name, reason)
		}
		return &DiskChoice{Rule: rule, Disk: d, Reason: fmt.Sprintf("named in the profile: %s", describe(d))}, true
	}
	switch rule {
	case "largest", "smallest":
		cands = extremes(cands, rule == "largest")
	}
	switch len(cands) {
	case 1:
		d := cands[0]
		c := &DiskChoice{Rule: rule, Disk: d, Reason: reasonFor(rule, d, exclude)}
		c.Passed = why
		return c, true
	case 0:
		if exclude != nil && usable == 0 {
			// The laptop profile on a machine with one disk: /home
			// stays on the root disk, and the plan says so.
			b.notef("/home: rule %q matches no disk besides the root disk %s, so /home stays on %s", rule, exclude.Name, exclude.Name)
			return &DiskChoice{Rule: rule, Disk: *exclude, OnRoot: true, Reason: fmt.Sprintf("no other disk: /home stays on the root disk %s", exclude.Name), Passed: why}, true
		}
		msg := fmt.Sprintf("disk rule %q matches no disk", rule)
		if len(why) > 0 {
			msg += " (" + strings.Join(why, "; ") + ")"
		} else if exclude != nil {
			msg += fmt.Sprintf(" besides the root disk %s", exclude.Name)
		}
		b.errorf(path, "%s; name one, e.g. disk: %s", msg, suggestDisk(f.Disks, exclude, b))
		return nil, false
	default:
		var names []string
		for _, d := range cands {
			names = append(names, d.Name+" ("+describe(d)+")")
		}
		b.errorf(path, "disk rule %q matches %d disks: %s; name one, e.g. disk: %s", rule, len(cands), strings.Join(names, ", "), cands[0].Name)
		return nil, false
	}
}

// extremes keeps the largest (or smallest) disks; several when they tie.
func extremes(ds []hardware.Disk, largest bool) []hardware.Disk {
	if len(ds) == 0 {
		return nil
	}
	sort.SliceStable(ds, func(i, j int) bool {
		if largest {
			return ds[i].Bytes() > ds[j].Bytes()
		}
		return ds[i].Bytes() < ds[j].Bytes()
	})
	n := 1
	for n < len(ds) && ds[n].Bytes() == ds[0].Bytes() {
		n++
	}
	return ds[:n]
}

func reasonFor(rule string, d hardware.Disk, exclude *hardware.Disk) string {
	// Say "besides the root disk" only where the root disk would have
	// matched too; otherwise the phrase is noise.
	besides := ""
	if exclude != nil && (rule == "largest" || rule == "smallest" || matchRule(rule, *exclude)) {
		besides = " besides the root disk"
	}
	switch {
	case rule == "ssd":
		return "the only SSD" + besides + ": " + describe(d)
	case rule == "hdd":
		return "the only hard disk" + besides + ": " + describe(d)
	case rule == "nvme":
		return "the only NVMe disk" + besides + ": " + describe(d)
	case rule == "largest":
		return "the largest disk" + besides + ": " + describe(d)
	case rule == "smallest":
		return "the smallest disk" + besides + ": " + describe(d)
	case strings.HasPrefix(rule, "model:"):
		return fmt.Sprintf("the only disk%s whose model matches %q: %s", besides, strings.TrimPrefix(rule, "model:"), describe(d))
	}
	return describe(d)
}

func describeMismatch(rule string, d hardware.Disk) string {
	switch {
	case rule == "ssd" || rule == "hdd":
		if d.Type == hardware.Unknown {
			return "type unknown (" + describe(d) + ")"
		}
		return string(d.Type)
	case rule == "nvme":
		return "on " + d.Bus + ", not nvme"
	case strings.HasPrefix(rule, "model:"):
		return fmt.Sprintf("model %q", d.Model)
	}
	return describe(d)
}

// describe says what a disk is in a few words: "sd1, 1.8T hdd, ATA WDC WD20EZRZ".
func describe(d hardware.Disk) string {
	parts := []string{d.Name}
	if d.Bytes() > 0 {
		parts = append(parts, fmt.Sprintf("%s %s", profiles.FormatBytes(d.Bytes()), d.Type))
	}
	if d.Bus != "" {
		parts = append(parts, d.Bus)
	}
	if d.Model != "" {
		parts = append(parts, strings.TrimSpace(d.Vendor+" "+d.Model))
	}
	return strings.Join(parts, ", ")
}

func diskList(ds []hardware.Disk) string {
	if len(ds) == 0 {
		return "none"
	}
	var names []string
	for _, d := range ds {
		names = append(names, d.Name)
	}
	return strings.Join(names, ", ")
}

func suggestDisk(ds []hardware.Disk, exclude *hardware.Disk, b *builder) string {
	for _, d := range ds {
		if ok, _ := b.eligible(d); ok && (exclude == nil || d.Name != exclude.Name) {
			return d.Name
		}
	}
	if len(ds) > 0 {
		return ds[0].Name
	}
	return "sd0"
}

// media finds the USB stick the installer will boot from, or predicts its
// name. USB disks attach after the internal controllers' disks and before
// softraid volumes, so an absent stick most likely becomes the next sd unit
// after the physical sd disks. A USB disk that holds the running system's
// root (a Raspberry Pi's) is not taken for the stick.
func (b *builder) media() {
	f := b.f
	var usb []hardware.Disk
	next := 0
	running := f.RootDisk() // a USB disk the running system boots from is not install media
	for _, d := range f.Disks {
		if d.USB && !d.Softraid && (d.SizeMB > 0 || d.Sectors > 0) && d.Name != running {
			usb = append(usb, d)
		}
		if strings.HasPrefix(d.Name, "sd") && !d.Softraid {
			next++
		}
	}
	switch len(usb) {
	case 0:
		why := "no USB disk in the dmesg"
		if running != "" && strings.HasPrefix(running, "sd") {
			for _, d := range f.Disks {
				if d.Name == running && d.USB {
					why = "no USB disk in the dmesg besides " + running + ", which holds the running system"
				}
			}
		}
		b.pl.Media = &Media{Device: fmt.Sprintf("sd%d", next), Predicted: true,
			Reason: why + "; a stick plugged in at boot most likely attaches after the internal disks"}
		if b.p.Sets.Source == "media" {
			b.warnf("install media predicted as %s: the dmesg has no USB stick; if the installer names it differently, the sets question will fail (boot the stick and look at its disk list)", b.pl.Media.Device)
		}
	case 1:
		b.pl.Media = &Media{Device: usb[0].Name, Reason: "the USB disk in the dmesg: " + describe(usb[0])}
	default:
		sort.SliceStable(usb, func(i, j int) bool { return usb[i].Bytes() < usb[j].Bytes() })
		b.pl.Media = &Media{Device: usb[0].Name, Reason: fmt.Sprintf("the smallest of %d USB disks: %s", len(usb), describe(usb[0]))}
		b.warnf("several USB disks in the dmesg; taking %s as the install media", usb[0].Name)
	}
}
