package release

import (
	"strings"
	"testing"
)

func TestLookup(t *testing.T) {
	r, err := Lookup("7.9")
	if err != nil || r.Short() != "79" || r.Date != "2026-05" {
		t.Fatalf("7.9: %+v %v", r, err)
	}
	if got := strings.Join(r.Sets(), " "); got != "bsd bsd.mp bsd.rd base79.tgz comp79.tgz man79.tgz game79.tgz xbase79.tgz xshare79.tgz xfont79.tgz xserv79.tgz" {
		t.Errorf("sets %s", got)
	}
	if r.SiteSet("") != "site79.tgz" || r.SiteSet("puffy") != "site79-puffy.tgz" {
		t.Errorf("site sets %s %s", r.SiteSet(""), r.SiteSet("puffy"))
	}
	if _, err := Lookup("6.0"); err == nil || err.Error() != `unknown release "6.0": fugu installs 6.1 up to 7.9` {
		t.Errorf("6.0: %v", err)
	}
	old, _ := Lookup("6.1")
	if !r.AtLeast("6.1") || old.AtLeast("6.2") || old.Compare(r) >= 0 || r.Compare(r) != 0 {
		t.Error("ordering")
	}
	if len(All()) != 19 || Oldest().Version != "6.1" || Newest().Version != "7.9" {
		t.Errorf("%d releases, %s..%s", len(All()), Oldest().Version, Newest().Version)
	}
}
