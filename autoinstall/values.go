package autoinstall

import (
	_ "embed"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
)

// zones are the tz database's zone and link names: a copy of
// profiles/zones.txt (tzdata.zi 2025b), which the installer's tzlist
// (/var/tzlist, built from /usr/share/zoneinfo) holds; zone directories
// ("Europe/") are derived from them. A test keeps the two files equal.
//
//go:embed zones.txt
var zonesTxt string

var zoneSet, zoneDirs = func() (map[string]bool, map[string]bool) {
	zs, ds := map[string]bool{}, map[string]bool{}
	for _, z := range strings.Fields(zonesTxt) {
		zs[z] = true
		for i := strings.IndexByte(z, '/'); i >= 0; {
			ds[z[:i]] = true
			j := strings.IndexByte(z[i+1:], '/')
			if j < 0 {
				break
			}
			i += j + 1
		}
	}
	return zs, ds
}()

// keyboardLayouts are the wscons encodings kbd(8) lists on amd64
// (sys/dev/wscons/wsksymdef.h KB_ENCTAB) and the variants that follow a
// dot; kbd -q accepts "layout" and "layout.variant".
var keyboardLayouts = map[string]bool{
	"be": true, "br": true, "cf": true, "de": true, "dk": true, "ee": true, "es": true, "fr": true,
	"gr": true, "hu": true, "is": true, "it": true, "jp": true, "la": true, "lt": true, "lv": true,
	"nl": true, "no": true, "pl": true, "pt": true, "ru": true, "sf": true, "sg": true, "si": true,
	"sv": true, "tr": true, "ua": true, "uk": true, "us": true,
}

var keyboardVariants = map[string]bool{
	"apple": true, "colemak": true, "declk": true, "dvorak": true, "iopener": true,
	"metaesc": true, "nodead": true, "swapctrlcaps": true,
}

func knownKeyboard(v string) bool {
	parts := strings.Split(v, ".")
	if !keyboardLayouts[parts[0]] {
		return false
	}
	for _, p := range parts[1:] {
		if !keyboardVariants[p] {
			return false
		}
	}
	return true
}

// ipv4 parses a dotted-quad IPv4 address.
func ipv4(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is4()
}

func ipv6(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is6() && !a.Is4In6()
}

// cidr4 parses addr/len for IPv4.
func cidr4(s string) bool {
	p, err := netip.ParsePrefix(s)
	return err == nil && p.Addr().Is4()
}

func cidr6(s string) bool {
	p, err := netip.ParsePrefix(s)
	return err == nil && p.Addr().Is6()
}

// netmask accepts a contiguous dotted-quad or hex (0xffffff00) netmask,
// the forms ifconfig(8) takes.
func netmask(s string) bool {
	var v uint32
	if h, ok := strings.CutPrefix(strings.ToLower(s), "0x"); ok {
		n, err := strconv.ParseUint(h, 16, 32)
		if err != nil {
			return false
		}
		v = uint32(n)
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return false
		}
		b := a.As4()
		v = uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	}
	// contiguous: the inverted mask plus one is a power of two
	inv := ^v
	return inv&(inv+1) == 0
}

// maskOf turns a prefix length into a dotted-quad netmask.
func maskOf(bits int) string {
	var v uint32
	if bits > 0 {
		v = ^uint32(0) << (32 - bits)
	}
	return strconv.Itoa(int(v>>24)) + "." + strconv.Itoa(int(v>>16&0xff)) + "." +
		strconv.Itoa(int(v>>8&0xff)) + "." + strconv.Itoa(int(v&0xff))
}

// macRE is ksh's ??:??:??:??:??:?? as configure_ifs tests an lladdr.
var macRE = regexp.MustCompile(`^..:..:..:..:..:..$`)

// sshKeyRE recognises an authorized_keys line: an optional options field
// is not checked, only that a known key type starts the line or follows it.
var sshKeyRE = regexp.MustCompile(`(^|\s)(ssh-ed25519|ssh-rsa|ssh-dss|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com)\s+\S+`)

// keptPassword is encr_pwd's test (install.sub 1.1013 and 1.1288) for a
// password stored as given: [[ $_p == \$2?\$[0-9][0-9]\$* && ${#_p} > 40 ]]
// or 13 asterisks. The length test is a string comparison inside [[ ]], so
// "60" > "40" holds but "100" > "40" does not, and "8" > "40" does.
func keptPassword(p string) bool {
	if p == "*************" {
		return true
	}
	if len(p) < 7 || p[0] != '$' || p[1] != '2' || p[3] != '$' || !isDigit(p[4]) || !isDigit(p[5]) || p[6] != '$' {
		return false
	}
	return strconv.Itoa(len(p)) > "40"
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// placeholderRE finds template markers left in a response file:
// {{ x }}, %%X%%, __X__, @@X@@ and ${X}.
var placeholderRE = regexp.MustCompile(`\{\{[^}]*\}\}|%%[A-Za-z0-9_]+%%|__[A-Z][A-Z0-9_]*__|@@[A-Za-z0-9_]+@@|\$\{[A-Za-z_][A-Za-z0-9_]*\}`)

// kshMatch matches a set name against a select_sets pattern ([[ $_f ==
// $resp ]]): '*', '?', bracket expressions with '!' and ranges, and '\'
// escapes. ksh's extended patterns (@(..), *(..)) are not interpreted:
// they are compared literally, which is what they are in set names.
func kshMatch(pat, name string) bool {
	// Iterative matcher with backtracking on the last '*'.
	p, n := 0, 0
	starP, starN := -1, 0
	for n < len(name) {
		if p < len(pat) {
			switch c := pat[p]; c {
			case '*':
				starP, starN = p, n
				p++
				continue
			case '?':
				p++
				n++
				continue
			case '[':
				if ok, width, valid := matchBracket(pat[p:], name[n]); valid {
					if ok {
						p += width
						n++
						continue
					}
				} else if name[n] == '[' { // an unterminated bracket is literal
					p++
					n++
					continue
				}
			case '\\':
				if p+1 < len(pat) && pat[p+1] == name[n] {
					p += 2
					n++
					continue
				}
			default:
				if c == name[n] {
					p++
					n++
					continue
				}
			}
		}
		if starP < 0 {
			return false
		}
		starN++
		p, n = starP+1, starN
	}
	for p < len(pat) && pat[p] == '*' {
		p++
	}
	return p == len(pat)
}

// matchBracket matches one byte against a bracket expression at the start
// of pat; valid is false when the bracket is not terminated.
func matchBracket(pat string, c byte) (ok bool, width int, valid bool) {
	i := 1
	neg := false
	if i < len(pat) && (pat[i] == '!' || pat[i] == '^') {
		neg = true
		i++
	}
	first := true
	for i < len(pat) {
		if pat[i] == ']' && !first {
			return ok != neg, i + 1, true
		}
		first = false
		lo := pat[i]
		if i+2 < len(pat) && pat[i+1] == '-' && pat[i+2] != ']' {
			if lo <= c && c <= pat[i+2] {
				ok = true
			}
			i += 3
			continue
		}
		if lo == c {
			ok = true
		}
		i++
	}
	return false, 0, false
}
