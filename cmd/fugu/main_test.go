package main

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/fugu-tool/fugu/internal/testenv"
)

// run runs fugu in-process and returns its exit status and output.
func run(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	c := &cli{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errOut}
	code := c.main(args)
	return code, out.String(), errOut.String()
}

func TestUsageAndExitCodes(t *testing.T) {
	if code, _, errOut := run(t, ""); code != exitUsage || !strings.Contains(errOut, "usage: fugu COMMAND") {
		t.Errorf("no args: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, "", "paln"); code != exitUsage || !strings.Contains(errOut, `unknown command "paln"; did you mean "plan"?`) {
		t.Errorf("misspelt command: %d %q", code, errOut)
	}
	if code, out, _ := run(t, "", "--help"); code != exitOK || !strings.Contains(out, "Commands:") {
		t.Errorf("--help: %d %q", code, out)
	}
	if code, _, errOut := run(t, "", "passwd", "--bogus"); code != exitUsage || !strings.Contains(errOut, "unknown flag --bogus") {
		t.Errorf("bad flag: %d %q", code, errOut)
	}
	if code, _, errOut := run(t, "", "passwd", "extra"); code != exitUsage || !strings.Contains(errOut, "too many arguments: extra") {
		t.Errorf("extra arg: %d %q", code, errOut)
	}
}

// Every command's --help shows a usage line and at least one example.
func TestHelpHasExamples(t *testing.T) {
	for _, cmd := range sortedCommands() {
		code, out, _ := run(t, "", cmd.name, "--help")
		if code != exitOK {
			t.Errorf("%s --help exits %d", cmd.name, code)
		}
		_, examples, _ := strings.Cut(out, "\nExamples:\n")
		if !strings.HasPrefix(out, "usage: fugu "+cmd.name) || !strings.Contains(examples, "  fugu "+cmd.name) {
			t.Errorf("%s --help lacks a usage line or examples:\n%s", cmd.name, out)
		}
	}
}

func TestParseInterleaved(t *testing.T) {
	code, out, errOut := run(t, "pw\n", "passwd", "--stdin", "--cost", "4")
	if code != exitOK || !strings.HasPrefix(out, "$2b$04$") {
		t.Fatalf("passwd: %d %q %q", code, out, errOut)
	}
}

// The man page documents every command and every flag, and mandoc finds
// nothing wrong with it.
func TestManPage(t *testing.T) {
	data, err := os.ReadFile("../../doc/fugu.1")
	if err != nil {
		t.Fatal(err)
	}
	man := string(data)
	for _, cmd := range sortedCommands() {
		if !regexp.MustCompile(`(?m)^\.It Cm ` + regexp.QuoteMeta(cmd.name) + `\b`).MatchString(man) {
			t.Errorf("doc/fugu.1 has no .It Cm %s entry", cmd.name)
		}
		for _, f := range flagNames(cmd) {
			if !strings.Contains(man, "Fl Fl "+f.Name) && !strings.Contains(man, "Fl "+f.Name) {
				t.Errorf("doc/fugu.1 does not mention %s --%s", cmd.name, f.Name)
			}
		}
	}
	// And the other way: every command the manual describes exists.
	_, section, _ := strings.Cut(man, ".Sh COMMANDS")
	section, _, _ = strings.Cut(section, "\n.Sh ")
	for _, m := range regexp.MustCompile(`(?m)^\.It Cm ([a-z-]+)`).FindAllStringSubmatch(section, -1) {
		if _, ok := commands[m[1]]; !ok {
			t.Errorf("doc/fugu.1 describes %q, which is not a command", m[1])
		}
	}
	mandoc, err := exec.LookPath("mandoc")
	if err != nil {
		testenv.Missing(t, "mandoc not found (Debian package mandoc); not linting doc/fugu.1")
		return
	}
	out, err := exec.Command(mandoc, "-Tlint", "-Wwarning", "../../doc/fugu.1").CombinedOutput()
	if err != nil {
		t.Errorf("mandoc -Tlint: %v\n%s", err, out)
	}
}

func TestCompletionScripts(t *testing.T) {
	code, bashScript, _ := run(t, "", "completion", "bash")
	if code != exitOK || !strings.Contains(bashScript, "complete -o filenames -F _fugu fugu") {
		t.Fatalf("bash completion: %d", code)
	}
	for _, cmd := range sortedCommands() {
		if !strings.Contains(bashScript, "\t"+cmd.name+") opts=") {
			t.Errorf("bash completion lacks %s", cmd.name)
		}
	}
	if bash, err := exec.LookPath("bash"); err == nil {
		c := exec.Command(bash, "-n")
		c.Stdin = strings.NewReader(bashScript)
		if out, err := c.CombinedOutput(); err != nil {
			t.Errorf("bash -n: %v %s", err, out)
		}
	}
	code, zshScript, _ := run(t, "", "completion", "zsh")
	if code != exitOK || !strings.HasPrefix(zshScript, "#compdef fugu") {
		t.Fatalf("zsh completion: %d", code)
	}
	if zsh, err := exec.LookPath("zsh"); err == nil {
		c := exec.Command(zsh, "-n")
		c.Stdin = strings.NewReader(zshScript)
		if out, err := c.CombinedOutput(); err != nil {
			t.Errorf("zsh -n: %v %s", err, out)
		}
	}
	if code, _, _ := run(t, "", "completion", "fish"); code != exitUsage {
		t.Errorf("completion fish exits %d, want 2", code)
	}
}
