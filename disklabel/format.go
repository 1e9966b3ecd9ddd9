package disklabel

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
)

// HumanBytes writes a byte count for people in binary units: one decimal
// below 10 units ("1.0G", "7.7G"), none from 10 up ("512M", "300G"); "0B"
// for nothing and plain bytes below 1K.
func HumanBytes(n uint64) string {
	if n < 1024 {
		return strconv.FormatUint(n, 10) + "B"
	}
	units := "KMGTPE"
	v := float64(n)
	u := -1
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	s := strconv.FormatFloat(v, 'f', 1, 64)
	if v >= 10 {
		s = strconv.FormatFloat(v, 'f', 0, 64)
	}
	// Rounding can reach the next unit ("1024M").
	if s == "1024" && u < len(units)-1 {
		return "1.0" + units[u+1:u+2]
	}
	if s == "10.0" {
		s = "10"
	}
	return s + units[u:u+1]
}

// humanSectors is HumanBytes for a sector count.
func humanSectors(n, secsize uint64) string {
	if secsize != 0 && n > ^uint64(0)/secsize {
		return fmt.Sprintf("%d sectors", n)
	}
	return fmt.Sprintf("%s (%d sectors)", HumanBytes(n*secsize), n)
}

// WriteTable prints a layout for people: one row per partition with its
// letter, mount point, offset, size in sectors and in binary units, fstype
// and, for 4.2BSD, fragment and block size; then the free space.
func (l *Layout) WriteTable(w io.Writer) error {
	var buf strings.Builder
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "part\tmount\toffset\tsectors\tsize\tfstype\tfsize\tbsize\t")
	for _, p := range l.Partitions {
		mount := p.Mount
		switch {
		case p.Existing && mount == "":
			mount = "(existing)"
		case p.FSType == "swap":
			mount = "swap"
		case p.FSType == "RAID":
			mount = "raid"
		}
		fs, bs := "", ""
		if p.FSType == "4.2BSD" && p.FSize != 0 {
			fs, bs = strconv.FormatUint(uint64(p.FSize), 10), strconv.FormatUint(uint64(p.BSize), 10)
		}
		fmt.Fprintf(tw, "%c\t%s\t%d\t%d\t%s\t%s\t%s\t%s\t\n", p.Letter, mount, p.Offset, p.Size,
			HumanBytes(p.Size*uint64(l.SectorSize)), p.FSType, fs, bs)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, line := range strings.SplitAfter(buf.String(), "\n") {
		if _, err := io.WriteString(w, strings.TrimRight(line, " \n")+strings.Repeat("\n", strings.Count(line, "\n"))); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "free: %d sectors (%s) of the OpenBSD area %d-%d; table %s, editor.c %s\n",
		l.Free, HumanBytes(l.Free*uint64(l.SectorSize)), l.Start, l.End, l.Table, l.Editor)
	return err
}

// TableString returns WriteTable's output as a string.
func (l *Layout) TableString() string {
	var b strings.Builder
	_ = l.WriteTable(&b)
	return b.String()
}

// Fstab is the fstab disklabel -F/-f writes for the new partitions (editor.c
// mpsave()): 4.2BSD partitions sorted by mount point, then swap; RAID
// partitions are left out. disk is the device name, e.g. "sd0".
func (l *Layout) Fstab(disk string) string {
	type ent struct {
		mount  string
		letter byte
		swap   bool
	}
	var es []ent
	for _, p := range l.Partitions {
		switch {
		case p.Existing:
		case p.FSType == "4.2BSD" && p.Mount != "":
			es = append(es, ent{p.Mount, p.Letter, false})
		case p.FSType == "swap":
			es = append(es, ent{"", p.Letter, true})
		}
	}
	// micmp(): named entries by strcmp, the unnamed (swap) ones last, in
	// partition order (qsort is not stable, but their order is by letter
	// in every label this package makes).
	sort.SliceStable(es, func(i, j int) bool {
		if es[i].swap != es[j].swap {
			return !es[i].swap
		}
		return es[i].mount < es[j].mount
	})
	var b strings.Builder
	for _, e := range es {
		if e.swap {
			fmt.Fprintf(&b, "/dev/%s%c none swap sw\n", disk, e.letter)
			continue
		}
		pass := 2
		if e.letter == 'a' {
			pass = 1
		}
		fmt.Fprintf(&b, "/dev/%s%c %s ffs rw 1 %d\n", disk, e.letter, e.mount, pass)
	}
	return b.String()
}
