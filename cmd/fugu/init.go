package main

import (
	"flag"
	"fmt"

	"github.com/fugu-tool/fugu/hardware"
	"github.com/fugu-tool/fugu/internal/atomicfile"
	"github.com/fugu-tool/fugu/plan"
)

func init() {
	register(&command{
		name:    "init",
		args:    "--dmesg FILE [-o PROFILE] [--force]",
		summary: "write a starting profile for the machine a dmesg comes from",
		help: `Writes a profile for the machine whose dmesg is given: its first wired
interface by DHCP, its wireless interfaces (networks to fill in), a disk
rule that picks its SSD (or its only or largest disk), a /home disk when it
has a second internal disk, X when it has a display, a serial console when
it runs on one. Passwords start disabled: replace them with hashes from
"fugu passwd". Without -o the profile goes to standard output; an existing
file is only replaced with --force.

Examples:
  fugu init --dmesg /var/run/dmesg.boot -o puffy.yaml
  fugu init --dmesg testdata/dmesg/thinkpad-e485-ryzen-amdgpu-6.6-amd64.txt`,
		flags: func(fs *flag.FlagSet) {
			fs.String("dmesg", "", "the machine's dmesg `FILE` (- for standard input)")
			fs.String("o", "", "write the profile to `FILE` instead of standard output")
			fs.Bool("force", false, "replace an existing output file")
		},
		maxArgs: 0,
		run:     runInit,
	})
}

func runInit(c *cli, fs *flag.FlagSet, _ []string) error {
	path := flagString(fs, "dmesg")
	if path == "" {
		return usagef("--dmesg FILE is required")
	}
	var facts *hardware.Facts
	var err error
	if path == "-" {
		facts, err = hardware.Parse("<stdin>", c.stdin)
	} else {
		facts, err = hardware.ParseFile(path)
	}
	if err != nil {
		return err
	}
	text := plan.StartingProfile(facts)
	out := flagString(fs, "o")
	if out == "" {
		_, err := fmt.Fprint(c.stdout, text)
		return err
	}
	if err := atomicfile.WriteFile(out, []byte(text), 0o644, atomicfile.Options{NoClobber: !flagBool(fs, "force")}); err != nil {
		return err
	}
	dm := path
	if dm == "-" {
		dm = "DMESG"
	}
	fmt.Fprintf(c.stderr, "wrote %s; edit the host name and passwords, then: fugu plan %s --dmesg %s\n", out, out, dm)
	return nil
}
