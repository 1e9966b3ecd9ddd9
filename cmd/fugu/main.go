// Command fugu provisions OpenBSD machines from a YAML host profile: it reads
// the hardware from a dmesg, plans the install, writes the installer's
// answers, builds install media and migrates and configures hosts.
//
// This package only parses flags and prints; the work is done by the
// packages it calls.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/fugu-tool/fugu/internal/suggest"
)

// Exit codes scripts can rely on.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// command is one subcommand. Files in this package register theirs from
// init functions, so adding a command never touches this file.
type command struct {
	name    string
	args    string                 // argument synopsis, e.g. "PROFILE [--dmesg FILE] [--json]"
	summary string                 // one line for the command list
	help    string                 // the rest of --help: what it does, and examples
	flags   func(fs *flag.FlagSet) // declares the flags; may be nil
	run     func(c *cli, fs *flag.FlagSet, args []string) error
	hidden  bool
	minArgs int
	maxArgs int // -1: any number
}

var commands = map[string]*command{}

func register(c *command) {
	if _, dup := commands[c.name]; dup {
		panic("BUG: command registered twice: " + c.name)
	}
	commands[c.name] = c
}

// sortedCommands lists the visible commands by name.
func sortedCommands() []*command {
	var cs []*command
	for _, c := range commands {
		if !c.hidden {
			cs = append(cs, c)
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].name < cs[j].name })
	return cs
}

// cli carries the streams a command writes to, so tests can run commands
// in-process.
type cli struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// usageError is a mistake in how fugu was called: exit status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func main() {
	c := &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}
	os.Exit(c.main(os.Args[1:]))
}

const topUsage = `usage: fugu COMMAND [ARGS]

fugu provisions OpenBSD machines from a YAML host profile.

Commands:
%s
Run "fugu COMMAND --help" for a command's flags and examples, or read fugu(1).
`

func (c *cli) topHelp(w io.Writer) {
	var b strings.Builder
	for _, cmd := range sortedCommands() {
		fmt.Fprintf(&b, "  %-11s %s\n", cmd.name, cmd.summary)
	}
	fmt.Fprintf(w, topUsage, b.String())
}

// main runs one invocation and returns the exit status.
func (c *cli) main(args []string) int {
	if len(args) == 0 {
		c.topHelp(c.stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			return c.main([]string{args[1], "--help"})
		}
		c.topHelp(c.stdout)
		return exitOK
	case "-version", "--version", "version":
		fmt.Fprintln(c.stdout, "fugu", version)
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(c.stderr, "fugu: unknown command %q%s\n", args[0], suggestCommand(args[0]))
		c.topHelp(c.stderr)
		return exitUsage
	}
	return c.runCommand(cmd, args[1:])
}

func (c *cli) runCommand(cmd *command, args []string) int {
	fs := flag.NewFlagSet("fugu "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if cmd.flags != nil {
		cmd.flags(fs)
	}
	pos, err := parseInterleaved(fs, args)
	err = flagError(err)
	if errors.Is(err, flag.ErrHelp) {
		c.commandHelp(c.stdout, cmd, fs)
		return exitOK
	}
	if err == nil {
		switch {
		case len(pos) < cmd.minArgs:
			err = usagef("missing argument: %s", cmd.args)
		case cmd.maxArgs >= 0 && len(pos) > cmd.maxArgs:
			err = usagef("too many arguments: %s", strings.Join(pos[cmd.maxArgs:], " "))
		}
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "fugu %s: %v\n", cmd.name, err)
		fmt.Fprintf(c.stderr, "usage: %s\n(fugu %s --help shows flags and examples)\n", synopsis(cmd), cmd.name)
		return exitUsage
	}
	if err := cmd.run(c, fs, pos); err != nil {
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(c.stderr, "fugu %s: %v\nusage: %s\n", cmd.name, err, synopsis(cmd))
			return exitUsage
		}
		fmt.Fprintf(c.stderr, "fugu %s: %v\n", cmd.name, err)
		return exitFailure
	}
	return exitOK
}

// synopsis is the usage line of a command.
func synopsis(cmd *command) string {
	if cmd.args == "" {
		return "fugu " + cmd.name
	}
	return "fugu " + cmd.name + " " + cmd.args
}

// dashes writes a flag as users type it: -o for one letter, --dmesg for
// words (Go's flag package accepts both forms of each).
func dashes(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// flagError rewrites the flag package's messages, which name flags with a
// single dash, in the form fugu documents.
func flagError(err error) error {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return err
	}
	msg := err.Error()
	for _, pat := range []struct{ prefix, format string }{
		{"flag provided but not defined: -", "unknown flag %s"},
		{"flag needs an argument: -", "flag %s needs an argument"},
	} {
		if rest, ok := strings.CutPrefix(msg, pat.prefix); ok {
			return usageError{fmt.Sprintf(pat.format, dashes(strings.TrimLeft(rest, "-")))}
		}
	}
	if strings.HasPrefix(msg, "invalid ") {
		// invalid value "x" for flag -cost: parse error
		if i := strings.Index(msg, " for flag -"); i >= 0 {
			rest := msg[i+len(" for flag -"):]
			name, why, _ := strings.Cut(rest, ": ")
			return usageError{fmt.Sprintf("%s for %s: %s", msg[:i], dashes(name), why)}
		}
	}
	return err
}

// parseInterleaved parses flags that may come before, between or after the
// positional arguments ("fugu plan p.yaml --dmesg d.txt"). "--" ends flags.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		// Find a "--" among what is left: everything after it is positional.
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// fs.Parse stops at the first non-flag, or after "--". Tell them
		// apart by looking at what it consumed.
		consumed := args[:len(args)-len(rest)]
		if len(consumed) > 0 && consumed[len(consumed)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func (c *cli) commandHelp(w io.Writer, cmd *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: %s\n\n%s\n", synopsis(cmd), cmd.summary)
	if cmd.help != "" {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(cmd.help, "\n"))
	}
	var flags strings.Builder
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		arg := ""
		if name != "" {
			arg = " " + name
		}
		fmt.Fprintf(&flags, "  %s%s\n        %s", dashes(f.Name), arg, usage)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			fmt.Fprintf(&flags, " (default %s)", f.DefValue)
		}
		flags.WriteString("\n")
	})
	if flags.Len() > 0 {
		fmt.Fprintf(w, "\nFlags:\n%s", flags.String())
	}
}

// suggestCommand returns `; did you mean "x"?` for a near miss.
func suggestCommand(name string) string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	if best := suggest.Closest(name, names); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "devel"

// Flag readers for run functions: the flags were declared by the command's
// flags function, so a missing one is a bug.
func flagString(fs *flag.FlagSet, name string) string {
	f := fs.Lookup(name)
	if f == nil {
		panic("BUG: undeclared flag --" + name)
	}
	return f.Value.String()
}

func flagBool(fs *flag.FlagSet, name string) bool { return flagString(fs, name) == "true" }

func flagInt(fs *flag.FlagSet, name string) int {
	f := fs.Lookup(name)
	if f == nil {
		panic("BUG: undeclared flag --" + name)
	}
	return f.Value.(flag.Getter).Get().(int)
}
