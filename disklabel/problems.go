package disklabel

import "fmt"

// RootDiskProblems are what make a template that disklabel accepts unusable
// for the installer's root disk: no '/' line (configure_disk stops with
// "'/' must be configured!") and a mount point given twice (two partitions
// fight over it in fstab). Each names the template line.
func (t *Template) RootDiskProblems() []string {
	var out []string
	seen := map[string]int{}
	root := false
	for _, e := range t.Entries {
		if e.Mount == "/" {
			root = true
		}
		if e.FSType() != "4.2BSD" {
			continue
		}
		if first, dup := seen[e.Mount]; dup {
			out = append(out, fmt.Sprintf("%s:%d: %s is also on line %d: two partitions would be mounted there", t.Name, e.Line, e.Mount, first))
			continue
		}
		seen[e.Mount] = e.Line
	}
	if !root {
		out = append(out, fmt.Sprintf("%s: no '/' line: on a root disk the installer stops with \"'/' must be configured!\" (install.sub configure_disk)", t.Name))
	}
	return out
}
