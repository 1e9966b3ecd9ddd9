package serve

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// DefaultListen is where fugu serve listens: port 80 on every address,
// because the installer fetches http://<next-server>/... and DHCP's
// next-server option is an address without a port (install.sub 1.1288
// get_responsefile). Binding port 80 needs root, or on Linux the
// CAP_NET_BIND_SERVICE capability.
const DefaultListen = ":80"

// Run serves h on ln until ctx is done, then stops accepting connections
// and waits up to grace for requests in flight to finish. It returns nil
// after such a shutdown.
func Run(ctx context.Context, ln net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}
