package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/fugu-tool/fugu/serve"
)

func init() {
	register(&command{
		name:    "serve",
		args:    "DIR [--listen ADDR]",
		summary: "answer netbooting installers over HTTP from a rendered directory",
		help: `Serves DIR, as "fugu render -o DIR" wrote it, to OpenBSD installers that
netboot: each machine gets <mac>-install.conf, else <hostname>-install.conf,
else install.conf (the installer asks in that order), with ?path=<version>/<arch>
choosing DIR/<version>/<arch>/ first; then disklabel templates, site sets,
index.txt (made from the directory when there is none) and cached release
files. A request for an unknown MAC gets a 404 that lists the MACs DIR has
files for. GET and HEAD only; nothing outside DIR; no directory listings.
Every request is logged on standard error, never a body. SIGINT or SIGTERM
stops the server after the requests in flight.

The installer fetches http://<next-server>/..., port 80: listening there
needs root (or, on Linux, the CAP_NET_BIND_SERVICE capability). The files
hold password hashes and WPA keys; serve them on the install network only.
docs/netboot.md shows the dhcpd.conf and tftpd side.

Examples:
  fugu render fleet/gw1.yaml -o /srv/fugu && doas fugu serve /srv/fugu
  fugu serve /srv/fugu --listen 192.0.2.1:80
  fugu serve ./out --listen 127.0.0.1:8080`,
		flags: func(fs *flag.FlagSet) {
			fs.String("listen", serve.DefaultListen, "listen on `ADDR` (host:port)")
		},
		minArgs: 1,
		maxArgs: 1,
		run:     runServe,
	})
}

func runServe(c *cli, fs *flag.FlagSet, args []string) error {
	dir := args[0]
	if fi, err := os.Stat(dir); err != nil {
		return err
	} else if !fi.IsDir() {
		return usagef("%s is not a directory", dir)
	}
	h, err := serve.New(dir, c.stderr)
	if err != nil {
		return err
	}
	defer h.Close()
	addr := flagString(fs, "listen")
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("%w%s", err, bindHint(err, addr))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	fmt.Fprintf(c.stderr, "fugu serve: serving %s on %s (SIGINT or SIGTERM stops)\n", dir, ln.Addr())
	if err := serve.Run(ctx, ln, h, 10*time.Second); err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "fugu serve: stopped\n")
	return nil
}

// bindHint explains a refused privileged port.
func bindHint(err error, addr string) string {
	_, port, _ := net.SplitHostPort(addr)
	if port == "" || !isPermission(err) {
		return ""
	}
	return fmt.Sprintf(" (port %s needs root, or on Linux: setcap cap_net_bind_service=+ep $(command -v fugu); or listen on a high port behind a pf rdr-to)", port)
}

func isPermission(err error) bool {
	return errors.Is(err, syscall.EACCES) || errors.Is(err, syscall.EPERM)
}
