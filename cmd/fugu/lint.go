package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/fugu-tool/fugu/autoinstall"
	"github.com/fugu-tool/fugu/disklabel"
	"github.com/fugu-tool/fugu/release"
)

func init() {
	register(&command{
		name:    "lint",
		args:    "FILE --release VERSION [--plan PROFILE [--dmesg FILE] [--url URL]] [--json]",
		summary: "check an install.conf or a disklabel template against the installer",
		help: `Replays the OpenBSD installer's dialogue (install.sub) for VERSION against a
response file and prints, question by question, the line that answers it or
the default taken, then what is wrong: a question with no answer and no
default (the install stops), an answer the installer rejects, a line no
question reads (a typo, another release's wording, a key ending inside a
word such as "... MBR" before the question's comma), a key that an earlier
question takes, template placeholders, '!' lines, inline comments.

The machine is the one a --plan PROFILE describes (with --dmesg, its disks
and interfaces; with --url, the fugu serve address the answers were
rendered for); without --plan, a generic amd64 machine with the disks and
interfaces the file names. The first lines of the report say which.

A file without "question = answer" lines is taken as a disklabel(8)
autopartitioning template and checked with the template parser of VERSION.

Exit status: 0 nothing that stops or misdirects the install, 1 an error
(or a template disklabel rejects), 2 usage error.

Examples:
  fugu lint install.conf --release 7.9
  fugu lint install.conf --plan gw.yaml --dmesg gw-dmesg.txt
  fugu lint out/gw-install.conf --plan gw.yaml --dmesg gw-dmesg.txt --url http://192.0.2.1/
  fugu lint disklabel.template --release 7.9
  fugu lint install.conf --release 6.8 --json | jq '.findings[] | select(.severity == "error")'`,
		flags: func(fs *flag.FlagSet) {
			fs.String("release", "", "the OpenBSD `VERSION` whose installer reads the file (default: the profile's)")
			fs.String("plan", "", "take the machine from this `PROFILE`")
			fs.String("dmesg", "", "the machine's dmesg `FILE`, with --plan")
			fs.String("url", "", "with --plan: the fugu serve `URL` the answers were rendered for (fugu render --url)")
			fs.Bool("json", false, "print the report as JSON")
			fs.Bool("allow-plaintext", false, "accept plaintext passwords in the profile")
		},
		minArgs: 1,
		maxArgs: 1,
		run:     runLint,
	})
}

func runLint(c *cli, fs *flag.FlagSet, args []string) error {
	name := args[0]
	rel := flagString(fs, "release")
	profile, dmesg := flagString(fs, "plan"), flagString(fs, "dmesg")
	if dmesg != "" && profile == "" {
		return usagef("--dmesg needs --plan")
	}
	if flagString(fs, "url") != "" && profile == "" {
		return usagef("--url needs --plan")
	}
	if rel == "" && profile == "" {
		return usagef("--release or --plan is needed: which installer reads %s?", name)
	}
	if rel != "" {
		if _, err := release.Lookup(rel); err != nil {
			return usagef("--release: %v", err)
		}
	}
	var data []byte
	var err error
	if name == "-" {
		data, err = io.ReadAll(io.LimitReader(c.stdin, autoinstall.MaxResponseSize+1))
		name = "<stdin>"
	} else {
		data, err = os.ReadFile(name)
	}
	if err != nil {
		return err
	}
	var sc autoinstall.Scenario
	if profile != "" {
		pl, err := loadPlan(c, profile, dmesg, flagBool(fs, "allow-plaintext"))
		if err != nil {
			return profileError(err)
		}
		if rel != "" && rel != pl.Release.Version {
			return usagef("--release %s, but %s installs %s", rel, profile, pl.Release.Version)
		}
		rel = pl.Release.Version
		sc = autoinstall.ScenarioFor(pl, autoinstall.RenderOptions{ServeURL: flagString(fs, "url")})
	}
	if !autoinstall.LooksLikeResponseFile(data) {
		return lintTemplate(c, name, data, rel, flagBool(fs, "json"))
	}
	r, err := autoinstall.ParseResponse(name, data)
	if err != nil {
		return err
	}
	if profile == "" {
		if sc, err = autoinstall.ScenarioForFile(rel, r); err != nil {
			return err
		}
	}
	rep, err := autoinstall.Simulate(r, sc)
	if err != nil {
		return err
	}
	if flagBool(fs, "json") {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if err := rep.WriteText(c.stdout); err != nil {
		return err
	}
	if n := rep.Count(autoinstall.Error); n > 0 {
		return fmt.Errorf("%s: %d error(s)", name, n)
	}
	return nil
}

// templateReport is lint's JSON for a disklabel template.
type templateReport struct {
	File    string   `json:"file"`
	Kind    string   `json:"kind"`
	Release string   `json:"release"`
	Error   string   `json:"error,omitempty"`
	Lines   []string `json:"lines,omitempty"`
	// Problems make a template disklabel accepts unusable on a root disk.
	Problems []string `json:"problems,omitempty"`
}

// lintTemplate checks a disklabel autopartitioning template with the
// release's template parser.
func lintTemplate(c *cli, name string, data []byte, rel string, asJSON bool) error {
	t, perr := disklabel.ParseTemplateFor(name, bytes.NewReader(data), rel)
	var pe *disklabel.ParseError
	if perr != nil && !errors.As(perr, &pe) {
		return perr
	}
	rep := templateReport{File: name, Kind: "disklabel template", Release: rel}
	var problems []string
	if perr != nil {
		rep.Error = perr.Error()
	} else {
		rep.Lines = bytes2lines(t.String())
		problems = t.RootDiskProblems()
		rep.Problems = problems
	}
	if asJSON {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if perr == nil {
		fmt.Fprintf(c.stdout, "%s: a disklabel template that disklabel -T of OpenBSD %s reads as:\n", name, rel)
		for _, l := range rep.Lines {
			fmt.Fprintf(c.stdout, "  %s\n", l)
		}
	}
	if perr != nil {
		return perr
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(c.stderr, "%s\n", p)
		}
		return fmt.Errorf("%s: %d problem(s) for a root disk", name, len(problems))
	}
	return nil
}

func bytes2lines(s string) []string {
	var out []string
	for _, l := range bytes.Split([]byte(s), []byte("\n")) {
		if len(l) > 0 {
			out = append(out, string(l))
		}
	}
	return out
}
