package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/fugu-tool/fugu/hardware"
	"github.com/fugu-tool/fugu/plan"
	"github.com/fugu-tool/fugu/profiles"
)

func init() {
	register(&command{
		name:    "plan",
		args:    "PROFILE [--dmesg FILE] [--json] [--allow-plaintext]",
		summary: "show what an unattended install of a machine will do",
		help: `Reads a host profile and, with --dmesg, the target machine's dmesg, and
prints the plan: which disk is root and why, the /home disk, swap, the
partition layout in real sizes for the actual disks, the install media,
network, accounts (secrets masked), sets, and what happens after the
install. Nothing is written. A mistake in the profile is reported with its
file, line and column; so is one that only the hardware shows, such as a
disk rule that matches no disk.

Take the dmesg from the machine itself (/var/run/dmesg.boot), or from its
bsd.rd installer shell (dmesg > /tmp/dmesg, then copy it off).

Examples:
  fugu plan profiles/examples/laptop.yaml --dmesg testdata/dmesg/thinkpad-e485-ryzen-amdgpu-6.6-amd64.txt
  fugu plan host.yaml --dmesg dmesg.boot --json | jq .root`,
		flags: func(fs *flag.FlagSet) {
			fs.String("dmesg", "", "the target machine's dmesg `FILE` (- for standard input)")
			fs.Bool("json", false, "print the plan as JSON")
			fs.Bool("allow-plaintext", false, "accept plaintext passwords in the profile")
		},
		minArgs: 1,
		maxArgs: 1,
		run:     runPlan,
	})
}

// loadPlan reads a profile and an optional dmesg and makes the plan; the
// shared first step of plan, render, lint --plan and image.
func loadPlan(c *cli, profilePath, dmesgPath string, allowPlaintext bool) (*plan.Plan, error) {
	var p *profiles.Profile
	var err error
	opts := profiles.Options{AllowPlaintext: allowPlaintext}
	if profilePath == "-" {
		if dmesgPath == "-" {
			return nil, usagef("the profile and the dmesg cannot both come from standard input")
		}
		data, rerr := io.ReadAll(io.LimitReader(c.stdin, 1<<20+1))
		if rerr != nil {
			return nil, rerr
		}
		p, err = profiles.Parse("<stdin>", data, opts)
	} else {
		p, err = profiles.Load(profilePath, opts)
	}
	if err != nil {
		return nil, err
	}
	var facts *hardware.Facts
	if dmesgPath != "" {
		if dmesgPath == "-" {
			facts, err = hardware.Parse("<stdin>", c.stdin)
		} else {
			facts, err = hardware.ParseFile(dmesgPath)
		}
		if err != nil {
			return nil, err
		}
	}
	return plan.Make(p, facts)
}

func runPlan(c *cli, fs *flag.FlagSet, args []string) error {
	pl, err := loadPlan(c, args[0], flagString(fs, "dmesg"), flagBool(fs, "allow-plaintext"))
	if err != nil {
		return profileError(err)
	}
	if flagBool(fs, "json") {
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(pl)
	}
	return pl.WriteText(c.stdout)
}

// profileError puts each of several profile errors on its own line, under
// a count, so that they read like a compiler's.
func profileError(err error) error {
	var errs profiles.Errors
	if errors.As(err, &errs) && len(errs) > 1 {
		return fmt.Errorf("%d problems:\n%w", len(errs), err)
	}
	return err
}
