package autoinstall

import (
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fugu-tool/fugu/internal/testenv"
)

func TestMatch(t *testing.T) {
	fdiskComma := "Use (W)hole disk MBR, whole disk (G)PT, (O)penBSD area or (E)dit?"
	fdisk := "Use (W)hole disk MBR, whole disk (G)PT or (E)dit?"
	tests := []struct {
		key, question string
		want          bool
	}{
		{"System hostname", "System hostname? (short form, e.g. 'foo')", true},
		{"system HOSTNAME", "System hostname? (short form, e.g. 'foo')", true},
		{"hostname", "System hostname? (short form, e.g. 'foo')", true},         // a word in the middle
		{"ystem hostname", "System hostname? (short form, e.g. 'foo')", false},  // not on a word boundary
		{"System host", "System hostname? (short form, e.g. 'foo')", false},     // followed by a letter
		{"System hostname?", "System hostname? (short form, e.g. 'foo')", true}, // '?' is literal and present
		{"System hostname? (short form, e.g. 'foo')", "System hostname? (short form, e.g. 'foo')", true},
		{"Use (W)hole disk MBR", fdisk, false},      // "MBR," in both variants: a comma is not a boundary
		{"Use (W)hole disk MBR", fdiskComma, false}, // (the facts file says only the (O)penBSD variant)
		{"Use (W)hole disk MBR, whole disk (G)PT", fdisk, true},
		{"Use (W)hole disk MBR, whole disk (G)PT", fdiskComma, false}, // "(G)PT," in the OpenBSD-area variant
		{"Use (W)hole disk", fdiskComma, true},
		{"Use (W)hole disk MBR, whole disk (G)PT or (E)dit", fdisk, true},
		{"Use (W)hole disk MBR, whole disk (G)PT or (E)dit", fdiskComma, false},
		{"Continue anyway", "Checksum test for site79.tgz failed. Continue anyway?", true},
		{"Continue anyway", "Fetching of base79.tgz failed. Continue anyway?", true},
		{"Checksum test for site*.tgz failed. Continue anyway", "Checksum test for site79.tgz failed. Continue anyway?", false},
		{"Checksum test for site79.tgz failed. Continue anyway", "Checksum test for site79.tgz failed. Continue anyway?", true},
		{"Continue without verification", "Unverified sets: site79.tgz. Continue without verification?", true},
		{"Continue without verification?", "Unverified sets: site79.tgz. Continue without verification?", true},
		{"IPv4 address", "IPv4 address for em0? (or 'autoconf' or 'none')", true},
		{"IPv4 address for", "IPv4 address for em0? (or 'autoconf' or 'none')", true},
		{"IPv4 address for em1", "IPv4 address for em0? (or 'autoconf' or 'none')", false},
		{"Public ssh key for user", "Public ssh key for user puffy", true},
		{"Public ssh key for root", "Public ssh key for root account?", true},
		{"Password for root", "Password for root account?", true},
		{"Password for user", "Password for root account?", false},
		{"Which disk", "Which disk is the root disk? ('?' for details)", true},
		{"Which disk", "Which disk do you wish to initialize?", true},
		{"disk?", "Which disk is the root disk? ('?' for details)", true}, // "disk?" at the '?' of "root disk?"
		{"Choose your keyboard layout", "Choose your keyboard layout ('?' or 'L' for list)", true},
		{"Set name(s)", "Set name(s)? (or 'abort' or 'done')", true},
		{"name(s)", "Set name(s)? (or 'abort' or 'done')", true},
		{"Set name", "Set name(s)? (or 'abort' or 'done')", false},
		{"Do you want the X Window System to be started by xenodm", "Do you want the X Window System to be started by xenodm(1)?", false},
		{"Start sshd", "Start sshd(8) by default?", false},
		{"Start sshd(8) by default", "Start sshd(8) by default?", true},
		{"x", "x", true},
		{"", "x y", false}, // an empty key (never produced by a line) needs two boundaries in a row
		{"", "x  y", true},
		{"y", "x\ty", true}, // a tab is a blank
	}
	for _, tt := range tests {
		if got := Match(tt.key, tt.question); got != tt.want {
			t.Errorf("Match(%q, %q) = %v, want %v", tt.key, tt.question, got, tt.want)
		}
	}
}

func TestParseResponse(t *testing.T) {
	data := "\t# comment after a tab\n" +
		"System hostname = puffy  \n" +
		"=not a line\n" +
		"Default IPv4 route = \n" +
		"!ftp -o /tmp/x http://example.org/x\n" +
		"Setup a user = no # inline\n" +
		"a==\n" +
		"a = b = c\n" +
		"Location of sets = http\r\n" +
		"x\x00y = z\n" +
		"\n" +
		"#Last = line"
	r, err := ParseResponse("t", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind       LineKind
		key, value string
	}{
		{Comment, "", ""},
		{Answer, "System hostname", "puffy"},
		{LeadingEquals, "", ""},
		{EmptyAnswer, "", ""},
		{NoEquals, "", ""},
		{Answer, "Setup a user", "no # inline"},
		{Answer, "a", "="},
		{Answer, "a", "b = c"},
		{Answer, "Location of sets", "http\r"},
		{Answer, "xy", "z"},
		{Blank, "", ""},
		{Unread, "", ""},
	}
	if len(r.Lines) != len(want) {
		t.Fatalf("%d lines, want %d: %+v", len(r.Lines), len(want), r.Lines)
	}
	for i, w := range want {
		l := r.Lines[i]
		if l.N != i+1 || l.Kind != w.kind || l.Key != w.key || l.Value != w.value {
			t.Errorf("line %d: got %d %v %q %q, want %v %q %q", i+1, l.N, l.Kind, l.Key, l.Value, w.kind, w.key, w.value)
		}
	}
	if _, err := ParseResponse("big", make([]byte, MaxResponseSize+1)); err == nil {
		t.Error("no error for an oversized file")
	}
}

// kshMatcher is our own ksh script applying the installer's three tests
// (install.sub _autorespond: the line filter, the key/answer split and the
// match) to every line of lines.txt for every question of questions.txt,
// reading the lines with read -r and IFS=' \t' as the installer does.
const kshMatcher = `typeset -l q k
S=$(printf '\001')
while IFS= read -r qq; do
	q=$qq
	n=0
	while IFS=' 	' read -r l; do
		n=$((n + 1))
		if [[ $l == [!#=]*=?* ]]; then
			k=${l%%*([[:blank:]])=*}
			v=${l##*([!=])=*([[:blank:]])}
			m=0
			[[ $q == @(|*[[:blank:]])"$k"@([[:blank:]?]*|) ]] && m=1
			print -r -- "$n${S}E${S}$m${S}$k${S}$v"
		else
			print -r -- "$n${S}-"
		fi
	done <lines.txt
done <questions.txt
`

// TestMatchAgainstKsh runs the installer's idioms in mksh (the oracle for
// OpenBSD ksh scripts, see oracles.md section 6) over many key/question
// pairs and compares every verdict with ParseResponse and Match.
func TestMatchAgainstKsh(t *testing.T) {
	mksh := testenv.Tool(t, "mksh", "mksh")
	var questions []string
	for _, c := range catalogues {
		for _, q := range c.Questions {
			questions = append(questions, fill(q.Text, "if", "em0", "user", "puffy", "disk", "sd1", "zone", "Europe",
				"cons", "com0", "mode", "install", "arch", "amd64", "set", "site79.tgz", "reason", "Unverified sets: site79.tgz",
				"locs", "cd0 disk http", "choices", "hostname or 'done'", "obsd", ", (O)penBSD area", "wep", ", (W)EP", "wpa", ", WPA-(P)SK", "date", "Sat May 2 10:00:00 UTC 2026"))
		}
	}
	lines := []string{
		"System hostname = puffy", "\t# System hostname = tab comment", "  #x = y", "=a = b", "a=", "a==", "a = b = c",
		"key  =  value  ", "Which disk is the root disk? = sd0", "Use (W)hole disk MBR = whole",
		"Use (W)hole disk MBR, whole disk (G)PT, (O)penBSD area or (E)dit = whole", "Use (W)hole disk = g",
		"Checksum test for site*.tgz failed. Continue anyway = yes", "Continue anyway = yes", "continue WITHOUT verification = yes",
		"IPv4 address = dhcp", "IPv4 address for = dhcp", "ipv4 address for em0 = 192.0.2.1/24", "Password for root = x",
		"disk? = sd0", "[a-z]* = x", "Set name(s) = -x* done", "name(s) = all", "(W)hole = w", "Start sshd = yes",
		"what timezone are you in = UTC", "Setup a user = no # comment", "\tLocation of sets\t=\thttp\t",
		"Public ssh key for user = ssh-ed25519 AAAA x@y", "xenodm(1) = no", "?= x", "* = y", "a\\b = c", "'foo') = x",
		"e.g. = x", "e.g. 'foo' = x", "sd0 = x", "?", "#", "", "   ", "noequals", "a =\t", "Encrypt the root disk = no",
	}
	// Random lines and questions from a small alphabet that is dense in
	// the characters the rule cares about.
	rng := rand.New(rand.NewSource(1))
	alpha := "ab? =#*\t()[],'.AB"
	rnd := func(n int) string {
		var b strings.Builder
		for range rng.Intn(n) + 1 {
			b.WriteByte(alpha[rng.Intn(len(alpha))])
		}
		return b.String()
	}
	for range 300 {
		lines = append(lines, rnd(14))
	}
	for range 60 {
		questions = append(questions, strings.Trim(rnd(16), "\t "))
	}
	dir := t.TempDir()
	write := func(name string, ls []string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.Join(ls, "\n")+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("lines.txt", lines)
	write("questions.txt", questions)
	cmd := exec.Command(mksh, "-c", kshMatcher)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("mksh: %v", err)
	}
	r, err := ParseResponse("lines.txt", []byte(strings.Join(lines, "\n")+"\n"))
	if err != nil {
		t.Fatal(err)
	}
	results := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(results) != len(questions)*len(lines) {
		t.Fatalf("mksh printed %d results, want %d", len(results), len(questions)*len(lines))
	}
	pairs, matches := 0, 0
	for qi, q := range questions {
		for li := range lines {
			f := strings.Split(results[qi*len(lines)+li], "\x01")
			l := r.Lines[li]
			got := "-"
			if l.Kind == Answer {
				m := "0"
				if Match(l.Key, q) {
					m = "1"
					matches++
				}
				got = strings.Join([]string{"E", m, lowerASCII(l.Key), l.Value}, "\x01")
			}
			if want := strings.Join(f[1:], "\x01"); f[0] != fmt.Sprint(li+1) || got != want {
				t.Errorf("question %q, line %q: ksh says %q, Go says %q", q, lines[li], want, got)
			}
			pairs++
		}
	}
	t.Logf("%d question/line pairs agree with mksh (%d matches)", pairs, matches)
}

// TestUnterminatedLastLineKsh checks with mksh that the installer's read
// loop never sees a last line without a newline, as ParseResponse says.
func TestUnterminatedLastLineKsh(t *testing.T) {
	mksh := testenv.Tool(t, "mksh", "mksh")
	dir := t.TempDir()
	data := "a = 1\nb = 2"
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(mksh, "-c", `while IFS=' 	' read -r l; do print -r -- "$l"; done <f`)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "a = 1\n" {
		t.Errorf("mksh read %q", out)
	}
	r, _ := ParseResponse("f", []byte(data))
	if len(r.Answers()) != 1 || r.Lines[1].Kind != Unread {
		t.Errorf("ParseResponse: %+v", r.Lines)
	}
}

// TestKshMatchAgainstKsh compares the set-name pattern matcher with
// select_sets's [[ $_f == $resp ]] in mksh on random patterns.
func TestKshMatchAgainstKsh(t *testing.T) {
	mksh := testenv.Tool(t, "mksh", "mksh")
	rng := rand.New(rand.NewSource(2))
	gen := func(alpha string, max int) string {
		var b strings.Builder
		for range rng.Intn(max) {
			b.WriteByte(alpha[rng.Intn(len(alpha))])
		}
		return b.String()
	}
	var pats, names []string
	for range 150 {
		pats = append(pats, gen("ab*?[]!-.", 7))
	}
	pats = append(pats, "*", "x*", "site*", "[a-b]*", "[!a]", "b?[ab]")
	for range 40 {
		names = append(names, gen("ab-.[]", 5))
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p"), []byte(strings.Join(pats, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "n"), []byte(strings.Join(names, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(mksh, "-c", `set -o noglob
while IFS= read -r p; do
	while IFS= read -r f; do
		[[ $f == $p ]] && print 1 || print 0
	done <n
done <p`)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	res := strings.Fields(string(out))
	if len(res) != len(pats)*len(names) {
		t.Fatalf("%d results", len(res))
	}
	for i, p := range pats {
		for j, n := range names {
			want := res[i*len(names)+j] == "1"
			if got := kshMatch(p, n); got != want {
				t.Errorf("kshMatch(%q, %q) = %v, mksh says %v", p, n, got, want)
			}
		}
	}
}
