// Package release knows OpenBSD releases: which versions fugu supports, their
// short names ("79"), and the file names of their sets. Per-release
// differences are data in the table below, not conditionals elsewhere.
package release

import (
	"fmt"
	"strings"
)

// Release is one OpenBSD release fugu can install.
type Release struct {
	Version string `json:"version"` // "7.9"
	Date    string `json:"date"`    // release date, YYYY-MM
}

// known lists the supported releases, oldest first. Dates from the release
// announcements (openbsd.org/NN.html). 6.1 is the oldest fugu installs: its
// installer (install.sub around rev 1.1013) is the oldest whose questions
// fugu's catalogue describes.
var known = []Release{
	{"6.1", "2017-04"}, {"6.2", "2017-10"}, {"6.3", "2018-04"}, {"6.4", "2018-10"},
	{"6.5", "2019-04"}, {"6.6", "2019-10"}, {"6.7", "2020-05"}, {"6.8", "2020-10"},
	{"6.9", "2021-05"}, {"7.0", "2021-10"}, {"7.1", "2022-04"}, {"7.2", "2022-10"},
	{"7.3", "2023-04"}, {"7.4", "2023-10"}, {"7.5", "2024-04"}, {"7.6", "2024-10"},
	{"7.7", "2025-04"}, {"7.8", "2025-10"}, {"7.9", "2026-05"},
}

// Newest is the newest release fugu knows.
func Newest() Release { return known[len(known)-1] }

// Oldest is the oldest release fugu installs.
func Oldest() Release { return known[0] }

// All returns every supported release, oldest first.
func All() []Release { return append([]Release(nil), known...) }

// Lookup finds a release by its version ("7.9"). The error lists what is
// supported.
func Lookup(version string) (Release, error) {
	for _, r := range known {
		if r.Version == version {
			return r, nil
		}
	}
	return Release{}, fmt.Errorf("unknown release %q: fugu installs %s up to %s", version, Oldest().Version, Newest().Version)
}

// Short is the version without its dot, as set names use it: "79".
func (r Release) Short() string { return strings.ReplaceAll(r.Version, ".", "") }

// Compare orders releases: negative when r is older than o, 0 when equal,
// positive when newer.
func (r Release) Compare(o Release) int { return index(r.Version) - index(o.Version) }

// AtLeast reports whether r is version v or newer.
func (r Release) AtLeast(v string) bool { return index(r.Version) >= index(v) }

func index(v string) int {
	for i, r := range known {
		if r.Version == v {
			return i
		}
	}
	return -1
}

// Sets returns the file names of the release's sets, in the order
// the installer lists them (install.sub select_sets; the kernels first).
// X sets exist on amd64, i386 and arm64 alike.
func (r Release) Sets() []string {
	s := r.Short()
	sets := []string{"bsd", "bsd.mp", "bsd.rd"}
	for _, n := range []string{"base", "comp", "man", "game", "xbase", "xshare", "xfont", "xserv"} {
		sets = append(sets, n+s+".tgz")
	}
	return sets
}

// SiteSet is the name of the site set for all hosts, "site79.tgz", or for one
// host, "site79-puffy.tgz" (install.site(5)).
func (r Release) SiteSet(hostname string) string {
	if hostname == "" {
		return "site" + r.Short() + ".tgz"
	}
	return "site" + r.Short() + "-" + hostname + ".tgz"
}
