package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/fugu-tool/fugu/internal/atomicfile"
	"github.com/fugu-tool/fugu/profiles"
)

func init() {
	register(&command{
		name:    "passwd",
		args:    "[--cost N] [--stdin] [-o FILE [--force]]",
		summary: "print the bcrypt hash of a password, for a profile",
		help: `Reads a password twice without echo and prints its bcrypt hash in the
form OpenBSD's encrypt(1) writes it ($2b$...). Put the hash in a profile's
root.password or user.password, or with -o in a file (mode 0600) that a
profile names in password_file.

Examples:
  fugu passwd
  fugu passwd --cost 12
  fugu passwd -o secrets/root.hash
  printf '%s\n' "$PW" | fugu passwd --stdin -o secrets/root.hash`,
		flags: func(fs *flag.FlagSet) {
			fs.Int("cost", profiles.DefaultCost, "bcrypt cost: 2^N rounds, 4 to 31")
			fs.Bool("stdin", false, "read one line from standard input instead of the terminal")
			fs.String("o", "", "write the hash to `FILE`, mode 0600, instead of standard output")
			fs.Bool("force", false, "replace an existing -o file")
		},
		maxArgs: 0,
		run:     runPasswd,
	})
}

func runPasswd(c *cli, fs *flag.FlagSet, _ []string) error {
	cost := flagInt(fs, "cost")
	if cost < 4 || cost > 31 {
		return usagef("--cost %d: bcrypt costs run from 4 to 31", cost)
	}
	var pw []byte
	if flagBool(fs, "stdin") {
		line, err := bufio.NewReader(c.stdin).ReadString('\n')
		if err != nil && line == "" {
			return errors.New("no password on standard input")
		}
		pw = []byte(strings.TrimRight(line, "\r\n"))
	} else {
		tty, err := os.OpenFile("/dev/tty", os.O_RDWR, 0)
		if err != nil {
			return fmt.Errorf("no terminal to read the password from (%v); use --stdin", err)
		}
		defer tty.Close()
		fd := int(tty.Fd())
		fmt.Fprint(tty, "Password: ")
		pw, err = term.ReadPassword(fd)
		fmt.Fprintln(tty)
		if err != nil {
			return err
		}
		fmt.Fprint(tty, "Password (again): ")
		again, err := term.ReadPassword(fd)
		fmt.Fprintln(tty)
		if err != nil {
			return err
		}
		if string(again) != string(pw) {
			return errors.New("passwords do not match")
		}
	}
	hash, err := profiles.HashPassword(pw, cost)
	if err != nil {
		return err
	}
	if out := flagString(fs, "o"); out != "" {
		return atomicfile.WriteFile(out, []byte(hash+"\n"), 0o600, atomicfile.Options{NoClobber: !flagBool(fs, "force")})
	}
	fmt.Fprintln(c.stdout, hash)
	return nil
}
