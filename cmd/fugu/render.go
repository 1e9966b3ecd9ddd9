package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/fugu-tool/fugu/render"
	"github.com/fugu-tool/fugu/site"
)

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func init() {
	register(&command{
		name:    "render",
		args:    "PROFILE --dmesg FILE -o DIR [--url URL] [--mac MAC]... [--firmware DIR] [--default | --no-default] [--dry-run]",
		summary: "write install.conf, the disklabel template and the site set for a machine",
		help: `Writes what the installer reads for an unattended install into DIR,
laid out as fugu serve and the installer expect it:

  <mac>-install.conf, <hostname>-install.conf                   the answers (mode 0600)
  install.conf                                                  the same, for machines without a file of their own
  <hostname>.disklabel                                          the root disk's template, if any
  <version>/<arch>/site<NN>-<hostname>.tgz                      the site set (mode 0600)
  <version>/<arch>/index.txt                                    lists the set directory

The answers are replayed against the installer's questions before anything
is written; each file goes through a temporary file and a rename, and
files in DIR that are not named here are left alone; nothing is written
when a target is a directory or a symbolic link. install.conf answers any
machine that netboots from DIR without a file of its own: it is written
when DIR has none or has this host's, --default makes this host the
default over another's, --no-default leaves it out. --url is where fugu
serve will serve DIR: the installer fetches the template from it, and the
site set when the sets come from a mirror. Response files are named after
the MACs the dmesg shows for the installer's interfaces, and any --mac.

Examples:
  fugu render profiles/examples/laptop.yaml --dmesg testdata/dmesg/synthetic/laptop-32g-hdd-sd0-nvme-sd1.txt -o out --url http://192.0.2.1/
  fugu render mx1.yaml --dmesg mx1.dmesg -o /srv/fugu --url http://192.0.2.1/ --mac 00:0d:b9:aa:bb:02
  fugu render gw1.yaml --dmesg gw1.dmesg -o /srv/fugu --dry-run`,
		flags: func(fs *flag.FlagSet) {
			fs.String("dmesg", "", "the target machine's dmesg `FILE` (- for standard input)")
			fs.String("o", "", "output `DIR` (created if needed)")
			fs.String("url", "", "`URL` where fugu serve will serve DIR, e.g. http://192.0.2.1/")
			fs.Var(&listFlag{}, "mac", "also name the answers after this `MAC` (repeatable)")
			fs.String("firmware", "", "put fw_update firmware for the machine's drivers from `DIR` into the site set")
			fs.Bool("dry-run", false, "show what would be written, write nothing")
			fs.Bool("default", false, "make this host's answers the shared install.conf even if it answers for another host")
			fs.Bool("no-default", false, "do not write the shared install.conf")
			fs.Bool("allow-plaintext", false, "accept plaintext passwords in the profile")
		},
		minArgs: 1,
		maxArgs: 1,
		run:     runRender,
	})
}

func runRender(c *cli, fs *flag.FlagSet, args []string) error {
	dir := flagString(fs, "o")
	if dir == "" {
		return usagef("-o DIR is required")
	}
	dmesg := flagString(fs, "dmesg")
	if dmesg == "" {
		return usagef("--dmesg FILE is required: the answers name the machine's disks and interfaces")
	}
	pl, err := loadPlan(c, args[0], dmesg, flagBool(fs, "allow-plaintext"))
	if err != nil {
		return profileError(err)
	}
	opts := render.Options{URL: flagString(fs, "url"), MACs: *fs.Lookup("mac").Value.(*listFlag)}
	switch {
	case flagBool(fs, "default") && flagBool(fs, "no-default"):
		return usagef("--default and --no-default contradict each other")
	case flagBool(fs, "default"):
		opts.Default = render.DefaultAlways
	case flagBool(fs, "no-default"):
		opts.Default = render.DefaultNever
	}
	if fwDir := flagString(fs, "firmware"); fwDir != "" {
		fw, err := site.FirmwareFromDir(fwDir, pl.Firmware)
		if err != nil {
			return err
		}
		opts.Site.Firmware = fw
	}
	out, err := render.Compute(pl, opts)
	if err != nil {
		return profileError(err)
	}
	for _, n := range pl.Warnings {
		fmt.Fprintf(c.stderr, "warning: %s\n", n)
	}
	for _, n := range out.Notes {
		fmt.Fprintf(c.stderr, "note: %s\n", n)
	}
	if flagBool(fs, "dry-run") {
		fmt.Fprintf(c.stdout, "would write into %s:\n", dir)
		for _, f := range out.Files {
			fmt.Fprintf(c.stdout, "  %04o %8d  %-40s %s\n", f.Mode, len(f.Data), f.Name, f.What)
		}
		fmt.Fprintf(c.stdout, "  0644        -  %-40s %s\n", out.SetDir+"/index.txt", "lists the set directory")
		return nil
	}
	written, notes, err := out.Write(dir)
	for _, n := range notes {
		fmt.Fprintf(c.stderr, "note: %s\n", n)
	}
	for _, name := range written {
		fmt.Fprintf(c.stdout, "wrote %s/%s\n", strings.TrimRight(dir, "/"), name)
	}
	if err != nil {
		return err
	}
	urlArg := ""
	if u := flagString(fs, "url"); u != "" {
		urlArg = " --url " + u
	}
	fmt.Fprintf(c.stdout, "check the answers: fugu lint %s/%s-install.conf --plan %s --dmesg %s%s\n",
		strings.TrimRight(dir, "/"), pl.Hostname, args[0], dmesg, urlArg)
	fmt.Fprintf(c.stdout, "serve them:        fugu serve %s\n", dir)
	return nil
}
