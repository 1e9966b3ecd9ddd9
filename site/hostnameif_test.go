package site

import (
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fugu-tool/fugu/internal/testenv"
	"github.com/fugu-tool/fugu/plan"
)

// netstartReader reads a hostname.if file the way netstart(8) does
// (etc/netstart 1.229: ifstart and parse_hn_line; 1.180 from 2017 reads
// the same way) and prints the arguments each ifconfig command it would
// run gets, as "<arg>" lines, with "--" after each command. Written for
// this test, not copied: "IFS= read" without -r, word splitting of the
// unquoted line with noglob set by ifstart and cleared again by
// parse_hn_line, the words joined behind "ifconfig $_if" and eval'd.
// Comment lines are skipped; address lines go through unchanged, as
// netstart passes "inet autoconf" and CIDR addresses.
const netstartReader = `ifconfig() {
	for _a; do printf '<%s>\n' "$_a"; done
	echo --
}
parse() {
	set -A _c -- "$@"
	set -o noglob
	case ${_c[0]} in
	''|*([[:blank:]])'#'*) return ;;
	esac
	_cmds[${#_cmds[*]}]="ifconfig $_if ${_c[@]}"
	unset _c
	set +o noglob
}
_if=iwm0
set -A _cmds
set -o noglob
while IFS= read -- _line; do
	parse $_line
done <"$1"
_i=0
while ((_i < ${#_cmds[*]})); do
	eval "${_cmds[_i]}"
	((_i++))
done
`

// readBack runs netstartReader on a hostname.if text and returns the
// argument lists of the ifconfig commands.
func readBack(t *testing.T, text []byte) [][]string {
	t.Helper()
	mksh := testenv.Tool(t, "mksh", "mksh")
	dir := t.TempDir()
	reader := filepath.Join(dir, "reader")
	file := filepath.Join(dir, "hostname.iwm0")
	if err := os.WriteFile(reader, []byte(netstartReader), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, text, 0o640); err != nil {
		t.Fatal(err)
	}
	// A file in the working directory that a stray glob would match.
	if err := os.WriteFile(filepath.Join(dir, "'glob-bait"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(mksh, reader, file)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("mksh: %v\n%s", err, out)
	}
	var cmds [][]string
	var cur []string
	rest := string(out)
	for rest != "" {
		var line string
		if strings.HasPrefix(rest, "<") {
			// An argument may hold newlines: read up to ">\n".
			end := strings.Index(rest, ">\n")
			if end < 0 {
				t.Fatalf("bad reader output %q", rest)
			}
			cur = append(cur, rest[1:end])
			rest = rest[end+2:]
			continue
		}
		line, rest, _ = strings.Cut(rest, "\n")
		if line != "--" {
			t.Fatalf("bad reader output line %q", line)
		}
		cmds = append(cmds, cur)
		cur = nil
	}
	return cmds
}

// TestHostnameIfReadBack writes tricky SSIDs and keys and reads the file
// back as netstart would: ifconfig must get exactly the SSID (or its hex)
// and the key (or its PSK).
func TestHostnameIfReadBack(t *testing.T) {
	const literal, hexa = "literal", "hex"
	tests := []struct {
		ssid, key string
		ssidForm  string // literal or hex
		keyForm   string // literal or hex (the PSK)
	}{
		{"home", "password1", literal, literal},
		{"Home WiFi", "correct horse battery", literal, literal},
		{`it's "quoted"`, `say "hi" it's me`, literal, literal},
		{"$HOME", "$(reboot) `halt`", literal, literal},
		{`back\slash`, `key\with\\backslashes\`, literal, literal},
		{"#hash", "#not a comment", literal, literal},
		{"~tilde", "~root/key", literal, literal},
		{"semi;colon&amp|pipe", "a<b>c(d)e{f}", literal, literal},
		{"*glob?[x]", "'glob-bait*", literal, literal},
		{"Café Zürich", "pässwörd ünïcode", literal, literal},
		{"x=1", "=equals=", literal, literal},
		{"two  spaces", "two  spaces  here", hexa, hexa},
		{" leading", "trailing space ", hexa, hexa},
		{"tab\there", "tab\tin key", hexa, hexa},
		{"0xdeadbeef", "0x1234567890", hexa, literal},
		{"new\nline", "plain key 123", hexa, literal},
		{strings.Repeat("s", 32), strings.Repeat("k", 63), literal, literal},
	}
	var nets []WiFi
	for _, tt := range tests {
		nets = append(nets, WiFi{SSID: tt.ssid, Key: tt.key})
	}
	ifc := plan.Interface{Name: "iwm0", Wireless: true, IPv4: "autoconf", IPv6: "autoconf"}
	text, warns, err := HostnameIf(mustRelease(t, "7.9"), ifc, nets)
	if err != nil || len(warns) != 0 {
		t.Fatalf("HostnameIf: %v %q", err, warns)
	}
	cmds := readBack(t, text)
	if len(cmds) != len(tests)+2 {
		t.Fatalf("%d ifconfig commands from:\n%s", len(cmds), text)
	}
	for i, tt := range tests {
		wantSSID := tt.ssid
		if tt.ssidForm == hexa {
			wantSSID = "0x" + hex.EncodeToString([]byte(tt.ssid))
		}
		wantKey := tt.key
		if tt.keyForm == hexa {
			wantKey = "0x" + hex.EncodeToString(PSK(tt.key, tt.ssid))
		}
		want := []string{"iwm0", "join", wantSSID, "wpakey", wantKey}
		if strings.Join(cmds[i], "\x00") != strings.Join(want, "\x00") {
			t.Errorf("network %d (%q, %q): ifconfig %q, want %q\nline: %s", i, tt.ssid, tt.key, cmds[i], want, strings.Split(string(text), "\n")[i])
		}
	}
	tail := [][]string{{"iwm0", "inet", "autoconf"}, {"iwm0", "inet6", "autoconf"}}
	for i, want := range tail {
		if got := cmds[len(tests)+i]; strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("address line %d: %q, want %q", i, got, want)
		}
	}
}

// TestNetstartReaderCorpus checks the reader itself against real
// hostname.if files (testdata/site/hostname.if, from public repositories):
// what netstart would pass to ifconfig, worked out by hand from
// hostname.if(5).
func TestNetstartReaderCorpus(t *testing.T) {
	tests := []struct {
		file string
		want [][]string
	}{
		{"laptop-hostname.iwn0-multi-join-tabs", [][]string{
			{"iwm0", "join", "networkname", "wpakey", "foobar"},
			{"iwm0", "join", "networkname2", "wpakey", "foobar"},
			{"iwm0", "dhcp"}, // the reader leaves dhcp to ifconfig; netstart maps it
			{"iwm0", "up"},
		}},
		{"apu2-hostname.athn0-hostap-wpakey", [][]string{
			{"iwm0", "inet", "192.168.1.2", "255.255.255.0", "192.168.1.255"},
			{"iwm0", "media", "autoselect", "mediaopt", "hostap"},
			{"iwm0", "nwid", "your wifi name"},
			{"iwm0", "wpakey", "your wifi secret key"},
			{"iwm0", "wpaprotos", "wpa2"},
			{"iwm0", "chan", "1"},
			{"iwm0", "up"},
		}},
		{"laptop-hostname.iwm0-lladdr-random-join-wpakey", [][]string{
			{"iwm0", "lladdr", "random", "join", "home", "wpakey", "xxxxxxxx"},
			{"iwm0", "inet", "autoconf"},
			{"iwm0", "up"},
		}},
		{"laptop-hostname.tun0-openvpn-bang", [][]string{
			{"iwm0", "up"},
			{"iwm0", "group", "openvpn"},
			{"iwm0", "description", "VPN"},
			// "!" lines run as commands in netstart; the reader hands
			// them to ifconfig, which shows their words.
			{"iwm0", "!/usr/local/bin/openvpn-openssl", "--daemon", "--config", "/etc/openvpn/client.ovpn"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			text, err := os.ReadFile(filepath.Join("..", "testdata", "site", "hostname.if", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got := readBack(t, text)
			var g, w []string
			for _, c := range got {
				g = append(g, strings.Join(c, "|"))
			}
			for _, c := range tt.want {
				w = append(w, strings.Join(c, "|"))
			}
			sameLines(t, "ifconfig calls", g, w)
		})
	}
}

// TestPSK checks the passphrase-to-PSK mapping against the IEEE 802.11i
// test vectors (IEEE Std 802.11i-2004, H.4.3).
func TestPSK(t *testing.T) {
	tests := []struct{ pass, ssid, psk string }{
		{"password", "IEEE", "f42c6fc52df0ebef9ebb4b90b38a5f902e83fe1b135a70e23aed762e9710a12e"},
		{"ThisIsAPassword", "ThisIsASSID", "0dc0d6eb90555ed6419756b9a15ec3e3209b63df707dd508d14581f8982721af"},
	}
	for _, tt := range tests {
		if got := hex.EncodeToString(PSK(tt.pass, tt.ssid)); got != tt.psk {
			t.Errorf("PSK(%q, %q) = %s, want %s", tt.pass, tt.ssid, got, tt.psk)
		}
	}
}

func TestHostnameIfLines(t *testing.T) {
	one := []WiFi{{SSID: "home", Key: "password1"}}
	tests := []struct {
		rel        string
		ipv4, ipv6 string
		nets       []WiFi
		want       string
	}{
		{"7.9", "autoconf", "autoconf", one, "join home wpakey password1\ninet autoconf\ninet6 autoconf\n"},
		{"6.9", "autoconf", "none", one, "join home wpakey password1\ninet autoconf\n"},
		{"6.8", "autoconf", "none", one, "join home wpakey password1\ndhcp\n"},
		{"6.3", "autoconf", "autoconf", one, "nwid home wpakey password1\ndhcp\ninet6 autoconf\n"},
		{"7.9", "192.0.2.10/24", "2001:db8::10/64", one, "join home wpakey password1\ninet 192.0.2.10/24\ninet6 2001:db8::10/64\n"},
		{"7.9", "none", "none", []WiFi{{SSID: "open net"}}, "join 'open net'\nup\n"},
	}
	for _, tt := range tests {
		ifc := plan.Interface{Name: "iwm0", Wireless: true, IPv4: tt.ipv4, IPv6: tt.ipv6}
		got, _, err := HostnameIf(mustRelease(t, tt.rel), ifc, tt.nets)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("%s %s/%s: %q, want %q", tt.rel, tt.ipv4, tt.ipv6, got, tt.want)
		}
	}
}

func TestHostnameIfErrors(t *testing.T) {
	ifc := plan.Interface{Name: "iwm0", Wireless: true, IPv4: "autoconf"}
	tests := []struct {
		nets []WiFi
		want string
	}{
		{[]WiFi{{SSID: ""}}, "iwm0: empty SSID"},
		{[]WiFi{{SSID: strings.Repeat("é", 17)}}, "iwm0: SSID \"" + strings.Repeat("é", 17) + "\" is 34 bytes; at most 32"},
		{[]WiFi{{SSID: "x", Key: "1234567"}}, `iwm0: network "x": a WPA passphrase is 8 to 63 characters, this one is 7`},
		{[]WiFi{{SSID: "x", Key: strings.Repeat("k", 64)}}, `iwm0: network "x": a WPA passphrase is 8 to 63 characters, this one is 64`},
	}
	for _, tt := range tests {
		_, _, err := HostnameIf(mustRelease(t, "7.9"), ifc, tt.nets)
		if err == nil || err.Error() != tt.want {
			t.Errorf("error %v, want %s", err, tt.want)
		}
	}
}

// FuzzHostnameIfWord: whatever the SSID and key, the line is one line,
// and a literal word reads back (after read's backslash removal and the
// shell's single quotes) as the value itself.
func FuzzHostnameIfWord(f *testing.F) {
	for _, s := range []string{"home", "it's", `a\b`, "two  spaces", "0xdead", "Café", "$x", "\t", "'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		w, ok := hnWord(s)
		if !ok {
			return
		}
		if strings.ContainsAny(w, "\n\r\t") || strings.Contains(w, "  ") || strings.HasPrefix(w, " ") || strings.HasSuffix(w, " ") {
			t.Fatalf("word %q for %q does not survive the split", w, s)
		}
		if got := unquote(t, w); got != s {
			t.Fatalf("word %q reads back as %q, want %q", w, got, s)
		}
	})
}

// unquote undoes hnWord in Go: read's backslash escapes, then the shell's
// single quotes and backslash-quote.
func unquote(t *testing.T, w string) string {
	var r strings.Builder
	for i := 0; i < len(w); i++ { // read without -r
		if w[i] == '\\' && i+1 < len(w) {
			i++
		}
		r.WriteByte(w[i])
	}
	s := r.String()
	var out strings.Builder
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				t.Fatalf("unterminated quote in %q", s)
			}
			out.WriteString(s[i+1 : i+1+end])
			i += end + 1
		case '\\':
			i++
			out.WriteByte(s[i])
		default:
			if !plainByte(s[i]) {
				t.Fatalf("bare %q in %q", s[i], s)
			}
			out.WriteByte(s[i])
		}
	}
	return out.String()
}
