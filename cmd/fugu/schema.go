package main

import (
	"flag"

	"github.com/fugu-tool/fugu/profiles"
)

func init() {
	register(&command{
		name:    "schema",
		args:    "",
		summary: "print the JSON Schema of host profiles, for editors",
		help: `Prints the JSON Schema (draft 2020-12) that describes profile files. The
same file ships as profiles/profile.schema.json. With the YAML language
server (VS Code, Neovim, Helix), add this first line to a profile:

  # yaml-language-server: $schema=/path/to/profile.schema.json

Examples:
  fugu schema > profile.schema.json`,
		maxArgs: 0,
		run: func(c *cli, _ *flag.FlagSet, _ []string) error {
			_, err := c.stdout.Write(profiles.JSONSchema())
			return err
		},
	})
}
