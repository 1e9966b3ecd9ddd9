package site

import (
	"crypto/pbkdf2"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/fugu-tool/fugu/plan"
	"github.com/fugu-tool/fugu/release"
)

// WiFi is one wireless network an interface joins, with its WPA
// passphrase ("" for an open network).
type WiFi struct {
	SSID string
	Key  string
}

// HostnameIf returns the hostname.if(5) text for a wireless interface: one
// "join" line per network (one "nwid ... wpakey" line before 6.4), then
// its address lines. Warnings say what could not be expressed for an old
// release.
//
// How the file is read decides how values are written. netstart(8) (1.180
// in 2017 up to 1.229 and later) and the installer's ifstart (install.sub
// 1.1288) read each line with "IFS= read" (no -r: backslashes are
// escapes), split it into words on blanks with globbing possibly on,
// join the words with single spaces behind "ifconfig <if>" and eval the
// result. A value therefore goes out as one shell word: bare when it
// holds only characters without meaning to the shell, else in single
// quotes (a quote inside as quote, backslash, quote, quote), with every
// backslash doubled for read. What cannot survive the split and join
// (runs of blanks, tabs, blanks at either end, control characters) is
// written another way ifconfig(8) understands: an SSID as 0x and its
// bytes in hex (get_string in sbin/ifconfig/ifconfig.c), a passphrase as
// the 0x-prefixed 256-bit PSK it stands for (setifwpakey: PBKDF2-SHA1 of
// the passphrase, salted with the SSID, 4096 rounds, 32 bytes; IEEE
// 802.11i). An SSID that itself starts with "0x" is also written in hex,
// since ifconfig would read it as hex.
func HostnameIf(rel release.Release, ifc plan.Interface, nets []WiFi) ([]byte, []string, error) {
	var b strings.Builder
	var warns []string
	if len(nets) > 1 && !has(rel, featJoin) {
		name, from := since(featJoin)
		warns = append(warns, fmt.Sprintf("%s: OpenBSD %s has no %s (from %s): only the first network, %q, is configured", ifc.Name, rel.Version, name, from, nets[0].SSID))
		nets = nets[:1]
	}
	for _, n := range nets {
		ssid, err := ssidWord(n.SSID)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", ifc.Name, err)
		}
		if has(rel, featJoin) {
			b.WriteString("join " + ssid)
		} else {
			b.WriteString("nwid " + ssid)
		}
		if n.Key != "" {
			key, err := keyWord(n.SSID, n.Key)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: network %q: %w", ifc.Name, n.SSID, err)
			}
			b.WriteString(" wpakey " + key)
		}
		b.WriteString("\n")
	}
	addr := false
	switch ifc.IPv4 {
	case "", "none":
	case "autoconf", "dhcp":
		addr = true
		if has(rel, featInetAutoconf) {
			b.WriteString("inet autoconf\n")
		} else {
			b.WriteString("dhcp\n")
		}
	default:
		addr = true
		fmt.Fprintf(&b, "inet %s\n", ifc.IPv4)
	}
	switch ifc.IPv6 {
	case "", "none":
	case "autoconf":
		addr = true
		b.WriteString("inet6 autoconf\n")
	default:
		addr = true
		fmt.Fprintf(&b, "inet6 %s\n", ifc.IPv6)
	}
	if !addr {
		b.WriteString("up\n")
	}
	return []byte(b.String()), warns, nil
}

// maxSSID is IEEE80211_NWID_LEN (sys/net80211/ieee80211.h).
const maxSSID = 32

// ssidWord writes an SSID as one hostname.if word.
func ssidWord(ssid string) (string, error) {
	switch {
	case ssid == "":
		return "", fmt.Errorf("empty SSID")
	case len(ssid) > maxSSID:
		return "", fmt.Errorf("SSID %q is %d bytes; at most %d", ssid, len(ssid), maxSSID)
	}
	if strings.HasPrefix(ssid, "0x") || strings.HasPrefix(ssid, "0X") {
		return "0x" + hex.EncodeToString([]byte(ssid)), nil
	}
	if w, ok := hnWord(ssid); ok {
		return w, nil
	}
	return "0x" + hex.EncodeToString([]byte(ssid)), nil
}

// keyWord writes a WPA passphrase as one hostname.if word, or the PSK it
// stands for when the passphrase cannot be written literally.
func keyWord(ssid, key string) (string, error) {
	// ifconfig.c setifwpakey: a passphrase is 8 to 63 characters.
	if n := len(key); n < 8 || n > 63 {
		return "", fmt.Errorf("a WPA passphrase is 8 to 63 characters, this one is %d", n)
	}
	if w, ok := hnWord(key); ok {
		return w, nil
	}
	return "0x" + hex.EncodeToString(PSK(key, ssid)), nil
}

// PSK is the WPA pre-shared key a passphrase and SSID stand for: PBKDF2
// with HMAC-SHA1, the SSID as salt, 4096 iterations, 32 bytes (IEEE
// 802.11i; ifconfig.c setifwpakey calls pkcs5_pbkdf2 the same way).
func PSK(passphrase, ssid string) []byte {
	k, err := pbkdf2.Key(sha1.New, passphrase, []byte(ssid), 4096, 32)
	if err != nil {
		panic("BUG: pbkdf2: " + err.Error())
	}
	return k
}

// hnWord returns s as one word of a hostname.if line, in the form netstart
// reads back as exactly s, or false when no such form exists.
func hnWord(s string) (string, bool) {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' || strings.Contains(s, "  ") {
		return "", false
	}
	plain := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return "", false
		}
		if !plainByte(c) {
			plain = false
		}
	}
	if plain {
		return s, true
	}
	quoted := "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
	return strings.ReplaceAll(quoted, `\`, `\\`), true
}

// plainByte reports whether c means nothing to the shell anywhere in a
// word, and cannot start a glob, comment or tilde expansion.
func plainByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("_.,:/@%+=-", c) >= 0
}
