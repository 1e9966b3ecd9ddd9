package autoinstall

import (
	"os"
	"strings"
	"testing"
)

// TestZonesCopy keeps zones.txt equal to profiles/zones.txt, whose copy it
// is.
func TestZonesCopy(t *testing.T) {
	a, err := os.ReadFile("zones.txt")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../profiles/zones.txt")
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) {
		t.Error("autoinstall/zones.txt differs from profiles/zones.txt: cp profiles/zones.txt autoinstall/")
	}
	for _, z := range []string{"Europe/Amsterdam", "UTC", "NZ", "America/Argentina/Buenos_Aires"} {
		if !zoneSet[z] {
			t.Errorf("zone %s missing", z)
		}
	}
	for _, d := range []string{"Europe", "America", "America/Argentina"} {
		if !zoneDirs[d] {
			t.Errorf("zone directory %s missing", d)
		}
	}
	if zoneSet["Europe"] || zoneDirs["UTC"] {
		t.Error("directories and zones mixed up")
	}
}

func TestValues(t *testing.T) {
	tests := []struct {
		name string
		f    func(string) bool
		in   string
		want bool
	}{
		{"netmask", netmask, "255.255.255.0", true},
		{"netmask", netmask, "255.255.255.248", true},
		{"netmask", netmask, "0xffffff00", true},
		{"netmask", netmask, "255.0.255.0", false},
		{"netmask", netmask, "24", false},
		{"ipv4", ipv4, "192.0.2.1", true},
		{"ipv4", ipv4, "192.0.2.256", false},
		{"ipv6", ipv6, "2001:db8::1", true},
		{"cidr4", cidr4, "192.0.2.1/24", true},
		{"cidr4", cidr4, "192.0.2.1/33", false},
		{"keyboard", knownKeyboard, "us.swapctrlcaps", true},
		{"keyboard", knownKeyboard, "es", true},
		{"keyboard", knownKeyboard, "german", false},
		// encr_pwd compares the length as a string: "60" > "40".
		{"kept", keptPassword, "$2b$10$ZAOEW54gJEPHrr1TRtSHou2eZlDsNCHbedi4Qb0uiIX2/Dp077v8a", true},
		{"kept", keptPassword, "*************", true},
		{"kept", keptPassword, "*", false},
		{"kept", keptPassword, "$2b$10$short", false},                      // "12" > "40" is false
		{"kept", keptPassword, "$2b$10$x", true},                           // "8" > "40" is true
		{"kept", keptPassword, "$2b$10$" + strings.Repeat("a", 93), false}, // "100" > "40" is false
	}
	for _, tt := range tests {
		if got := tt.f(tt.in); got != tt.want {
			t.Errorf("%s(%q) = %v, want %v", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestMaskOf(t *testing.T) {
	for bits, want := range map[int]string{0: "0.0.0.0", 8: "255.0.0.0", 24: "255.255.255.0", 29: "255.255.255.248", 32: "255.255.255.255"} {
		if got := maskOf(bits); got != want {
			t.Errorf("maskOf(%d) = %s, want %s", bits, got, want)
		}
	}
}

func TestKshMatch(t *testing.T) {
	tests := []struct {
		pat, name string
		want      bool
	}{
		{"*", "base79.tgz", true},
		{"x*", "xbase79.tgz", true},
		{"x*", "base79.tgz", false},
		{"game*", "game79.tgz", true},
		{"site*", "site79-puffy.tgz", true},
		{"bsd*", "bsd.mp", true},
		{"bsd", "bsd.mp", false},
		{"base??.tgz", "base79.tgz", true},
		{"[bc]*", "comp79.tgz", true},
		{"[!bc]*", "comp79.tgz", false},
		{"*.tgz", "bsd.rd", false},
		{"-xserv*z", "xserv79.tgz", false},
		{"xserv*z", "xserv79.tgz", true},
		{"[a", "[a", true},
		{"a\\*", "a*", true},
		{"", "", true},
		{"", "a", false},
	}
	for _, tt := range tests {
		if got := kshMatch(tt.pat, tt.name); got != tt.want {
			t.Errorf("kshMatch(%q, %q) = %v, want %v", tt.pat, tt.name, got, tt.want)
		}
	}
}
