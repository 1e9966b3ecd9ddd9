package serve

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fugu-tool/fugu/internal/testenv"
)

// The fixture directory, as fugu render would write it for a small fleet,
// plus traps: a hidden file, symbolic links out of the directory, an
// empty subdirectory.
var fixture = map[string]string{
	"install.conf":                             "System hostname = default\nPassword for root account = SECRET-default\n",
	"upgrade.conf":                             "Which disk is the root disk = sd0\n",
	"00:0d:b9:aa:bb:01-install.conf":           "System hostname = gw\nPassword for root account = SECRET-gw\n",
	"puffy-install.conf":                       "System hostname = puffy\nPassword for root account = SECRET-puffy\n",
	"puffy.disklabel":                          "/ 2G\nswap 8G\n/usr 10G\n",
	"7.9/amd64/00:0d:b9:aa:bb:02-install.conf": "system HOSTNAME=mx1\nPassword for root account = SECRET-mx1\n",
	"7.9/amd64/install.conf":                   "System hostname = release79\n",
	"7.9/amd64/site79-puffy.tgz":               "\x1f\x8b pretend site set with SECRET-wpakey\n",
	"7.9/amd64/bsd.rd":                         "pretend kernel",
	"7.9/amd64/00:0d:b9:aa:bb:03-upgrade.conf": "System hostname = upgrader\n",
	"7.8/amd64/index.txt":                      "-rw-r--r--  1 root  wheel  3 May  1 00:00:00 2025 site78.tgz\n",
	"7.8/amd64/site78.tgz":                     "old",
	".hidden":                                  "hidden",
	"sub/.keep-dir-nonempty-but-hidden":        "x",
}

func fixtureDir(t testing.TB) string {
	t.Helper()
	top := t.TempDir()
	dir := filepath.Join(top, "srv")
	for name, content := range fixture {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mtime := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	for _, name := range []string{"7.9/amd64/site79-puffy.tgz", "7.9/amd64/bsd.rd"} {
		if err := os.Chtimes(filepath.Join(dir, name), mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	// Outside the served directory.
	if err := os.WriteFile(filepath.Join(top, "outside"), []byte("OUTSIDE-SECRET\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(top, "outdir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(top, "outdir", "f"), []byte("OUTSIDE-SECRET\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for link, target := range map[string]string{
		"escape":       filepath.Join(top, "outside"), // absolute, out
		"escape-rel":   "../outside",                  // relative, out
		"outdir":       filepath.Join(top, "outdir"),  // a directory out
		"inside":       "puffy.disklabel",             // stays in
		"7.9/amd64/up": "../../../outside",
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// startServer runs the handler on 127.0.0.1:0 with Run and stops it when
// the test ends.
func startServer(t *testing.T, dir string) (string, *bytes.Buffer) {
	t.Helper()
	var log syncBuffer
	h, err := New(dir, &log)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, ln, h, 5*time.Second) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
		h.Close()
	})
	return "http://" + ln.Addr().String(), &log.buf
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// fetch is one request made with curl: the URL path and query, the status
// and the body.
type fetch struct {
	url    string
	status string
	body   string
}

// curl fetches a URL with the real curl, as the installer's ftp(1) does:
// GET, the path sent as is.
func curl(t *testing.T, base, pathQuery string, extra ...string) fetch {
	t.Helper()
	bin := testenv.Tool(t, "curl", "curl")
	args := append([]string{"-sS", "--path-as-is", "-o", "-", "-w", "\n%{http_code}"}, extra...)
	out, err := exec.Command(bin, append(args, base+pathQuery)...).Output()
	if err != nil {
		t.Fatalf("curl %s: %v", pathQuery, err)
	}
	s := string(out)
	i := strings.LastIndex(s, "\n")
	return fetch{url: pathQuery, status: s[i+1:], body: s[:i]}
}

// installerFetch asks for response files the way get_responsefile in
// install.sub 1.1288 does and stops at the first that is found: the MAC
// file, the host name file if DHCP sent a host name, the mode file; each
// with ?path=<setdir>.
func installerFetch(t *testing.T, base, prefix, mac, hostname, mode, setdir string) []fetch {
	var tries []string
	tries = append(tries, mac+"-")
	if hostname != "" {
		tries = append(tries, hostname+"-")
	}
	tries = append(tries, "")
	var got []fetch
	for _, rf := range tries {
		f := curl(t, base, "/"+prefix+rf+mode+".conf?path="+setdir)
		got = append(got, f)
		if f.status == "200" {
			break
		}
	}
	return got
}

const unknownMACBody = `fugu serve: no install response file for MAC 00:0d:b9:ff:ff:ff
looked for: 7.9/amd64/00:0d:b9:ff:ff:ff-install.conf, 00:0d:b9:ff:ff:ff-install.conf
known MACs:
  00:0d:b9:aa:bb:01 (gw)
  00:0d:b9:aa:bb:02 (mx1)
the installer asks for <hostname>-install.conf (if DHCP sent a host name) and install.conf next
`

func TestInstallerOrder(t *testing.T) {
	base, _ := startServer(t, fixtureDir(t))
	tests := []struct {
		name                        string
		mac, hostname, mode, setdir string
		want                        []fetch
	}{
		{"known MAC", "00:0d:b9:aa:bb:01", "", "install", "7.9/amd64", []fetch{
			{"/00:0d:b9:aa:bb:01-install.conf?path=7.9/amd64", "200", fixture["00:0d:b9:aa:bb:01-install.conf"]},
		}},
		{"MAC in the release directory", "00:0d:b9:aa:bb:02", "mx1", "install", "7.9/amd64", []fetch{
			{"/00:0d:b9:aa:bb:02-install.conf?path=7.9/amd64", "200", fixture["7.9/amd64/00:0d:b9:aa:bb:02-install.conf"]},
		}},
		{"unknown MAC, host name", "00:0d:b9:ff:ff:ff", "puffy", "install", "7.9/amd64", []fetch{
			{"/00:0d:b9:ff:ff:ff-install.conf?path=7.9/amd64", "404", unknownMACBody},
			{"/puffy-install.conf?path=7.9/amd64", "200", fixture["puffy-install.conf"]},
		}},
		{"unknown MAC, no host name", "00:0d:b9:ff:ff:ff", "", "install", "7.9/amd64", []fetch{
			{"/00:0d:b9:ff:ff:ff-install.conf?path=7.9/amd64", "404", unknownMACBody},
			{"/install.conf?path=7.9/amd64", "200", fixture["7.9/amd64/install.conf"]},
		}},
		{"unknown MAC and host, snapshots", "00:0d:b9:ff:ff:ff", "nobody", "install", "snapshots/amd64", []fetch{
			{"/00:0d:b9:ff:ff:ff-install.conf?path=snapshots/amd64", "404", strings.NewReplacer(
				"7.9/amd64/00:0d:b9:ff:ff:ff", "snapshots/amd64/00:0d:b9:ff:ff:ff",
				"  00:0d:b9:aa:bb:02 (mx1)\n", "").Replace(unknownMACBody)},
			{"/nobody-install.conf?path=snapshots/amd64", "404", "fugu serve: no nobody-install.conf (looked for snapshots/amd64/nobody-install.conf, nobody-install.conf)\n"},
			{"/install.conf?path=snapshots/amd64", "200", fixture["install.conf"]},
		}},
		{"upgrade", "00:0d:b9:aa:bb:03", "", "upgrade", "7.9/amd64", []fetch{
			{"/00:0d:b9:aa:bb:03-upgrade.conf?path=7.9/amd64", "200", fixture["7.9/amd64/00:0d:b9:aa:bb:03-upgrade.conf"]},
		}},
		{"upgrade, unknown", "00:0d:b9:aa:bb:01", "", "upgrade", "7.8/amd64", []fetch{
			{"/00:0d:b9:aa:bb:01-upgrade.conf?path=7.8/amd64", "404", "fugu serve: no upgrade response file for MAC 00:0d:b9:aa:bb:01\n" +
				"looked for: 7.8/amd64/00:0d:b9:aa:bb:01-upgrade.conf, 00:0d:b9:aa:bb:01-upgrade.conf\nknown MACs: none\n" +
				"the installer asks for <hostname>-upgrade.conf (if DHCP sent a host name) and upgrade.conf next\n"},
			{"/upgrade.conf?path=7.8/amd64", "200", fixture["upgrade.conf"]},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := installerFetch(t, base, "", tt.mac, tt.hostname, tt.mode, tt.setdir)
			if len(got) != len(tt.want) {
				t.Fatalf("%d requests %+v, want %d", len(got), got, len(tt.want))
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("request %d:\n got  %s %s %q\n want %s %s %q", i, got[i].url, got[i].status, got[i].body, tt.want[i].url, tt.want[i].status, tt.want[i].body)
				}
			}
		})
	}
}

// TestCurlFiles fetches sets and index.txt with curl, as install_http does
// once it has its answers.
func TestCurlFiles(t *testing.T) {
	base, log := startServer(t, fixtureDir(t))
	idx := curl(t, base, "/7.9/amd64/index.txt")
	// ls -lT of the sets; the response files stay out.
	wantIdx := fmt.Sprintf("-rw-r--r--  1 root  wheel  %d May  1 00:00:00 2026 bsd.rd\n", len(fixture["7.9/amd64/bsd.rd"])) +
		fmt.Sprintf("-rw-r--r--  1 root  wheel  %d May  1 00:00:00 2026 site79-puffy.tgz\n", len(fixture["7.9/amd64/site79-puffy.tgz"]))
	if idx.status != "200" || idx.body != wantIdx {
		t.Errorf("made index.txt: %s %q, want %q", idx.status, idx.body, wantIdx)
	}
	if f := curl(t, base, "/7.8/amd64/index.txt"); f.status != "200" || f.body != fixture["7.8/amd64/index.txt"] {
		t.Errorf("index.txt file: %+v", f)
	}
	if f := curl(t, base, "/7.9/amd64/site79-puffy.tgz"); f.status != "200" || f.body != fixture["7.9/amd64/site79-puffy.tgz"] {
		t.Errorf("site set: %+v", f)
	}
	// HEAD: the size, no body.
	head := curl(t, base, "/7.9/amd64/site79-puffy.tgz", "-I")
	if head.status != "200" || !strings.Contains(head.body, fmt.Sprintf("Content-Length: %d\r\n", len(fixture["7.9/amd64/site79-puffy.tgz"]))) || strings.Contains(head.body, "SECRET") {
		t.Errorf("HEAD: %+v", head)
	}
	if f := curl(t, base, "/puffy.disklabel"); f.status != "200" || f.body != fixture["puffy.disklabel"] {
		t.Errorf("disklabel template: %+v", f)
	}
	// Traversal attempts curl sends as written (--path-as-is).
	for _, p := range []string{"/../outside", "/7.9/../../outside", "/%2e%2e/outside", "/escape", "/7.9/amd64/up", "/outdir/f", "/.hidden"} {
		f := curl(t, base, p)
		if f.status == "200" || strings.Contains(f.body, "OUTSIDE") || strings.Contains(f.body, "hidden") {
			t.Errorf("%s: %+v", p, f)
		}
	}
	if strings.Contains(log.String(), "SECRET") {
		t.Errorf("the log holds a file's content:\n%s", log)
	}
}

// do sends one request to the handler in-process.
func do(t *testing.T, h *Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	r := httptest.NewRequest(method, "http://fugu.example/", nil)
	r.RemoteAddr = "192.0.2.10:51234"
	// The path as the server decodes it from the request line, with no
	// cleaning on the way.
	p, q, _ := strings.Cut(target, "?")
	dec, err := url.PathUnescape(p)
	if err != nil {
		t.Fatal(err)
	}
	r.URL.Path, r.URL.RawPath, r.URL.RawQuery = dec, p, q
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func newHandler(t *testing.T) (*Handler, *bytes.Buffer) {
	var log bytes.Buffer
	h, err := New(fixtureDir(t), &log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	h.Now = func() time.Time { return time.Date(2026, 5, 1, 12, 0, 0, 0, time.FixedZone("CEST", 7200)) }
	return h, &log
}

func TestPaths(t *testing.T) {
	h, _ := newHandler(t)
	tests := []struct {
		target string
		status int
		body   string
	}{
		{"/../outside", 400, "fugu serve: bad path\n"},
		{"/7.9/../../outside", 400, "fugu serve: bad path\n"},
		{"/%2e%2e/outside", 400, "fugu serve: bad path\n"},
		{"/./install.conf", 400, "fugu serve: bad path\n"},
		{"/a%5cb", 400, "fugu serve: bad path\n"},
		{"/a%00b", 400, "fugu serve: bad path\n"},
		{"/.hidden", 400, "fugu serve: bad path\n"},
		{"/escape", 404, "fugu serve: not found\n"},
		{"/escape-rel", 404, "fugu serve: not found\n"},
		{"/outdir/f", 404, "fugu serve: not found\n"},
		{"/7.9/amd64/up", 404, "fugu serve: not found\n"},
		{"/inside", 200, fixture["puffy.disklabel"]},
		{"/", 404, "fugu serve: directories are not listed\n"},
		{"/7.9/amd64/", 404, "fugu serve: not found (directories are not listed)\n"},
		{"/sub", 404, "fugu serve: not found (directories are not listed)\n"},
		{"/nothing-here", 404, "fugu serve: not found\n"},
		{"//install.conf", 200, fixture["install.conf"]},
		{"/00:0D:B9:AA:BB:01-install.conf", 200, fixture["00:0d:b9:aa:bb:01-install.conf"]},
		{"/puffy.example.org-install.conf", 200, fixture["puffy-install.conf"]},
		{"/install.conf?path=../../x", 400, "fugu serve: bad ?path= ../../x\n"},
		{"/install.conf?path=7.8/amd64", 200, fixture["install.conf"]},
		{"/outdir/index.txt", 404, "fugu serve: no such directory\n"},
		{"/nodir/index.txt", 404, "fugu serve: no such directory\n"},
	}
	for _, tt := range tests {
		w := do(t, h, "GET", tt.target)
		if w.Code != tt.status || w.Body.String() != tt.body {
			t.Errorf("GET %s: %d %q, want %d %q", tt.target, w.Code, w.Body.String(), tt.status, tt.body)
		}
	}
}

func TestMethods(t *testing.T) {
	h, _ := newHandler(t)
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND"} {
		for _, target := range []string{"/install.conf", "/00:0d:b9:aa:bb:01-install.conf", "/7.9/amd64/bsd.rd"} {
			w := do(t, h, m, target)
			if w.Code != 405 || w.Header().Get("Allow") != "GET, HEAD" || w.Body.String() != "fugu serve: only GET and HEAD\n" {
				t.Errorf("%s %s: %d allow %q %q", m, target, w.Code, w.Header().Get("Allow"), w.Body.String())
			}
		}
	}
	w := do(t, h, "HEAD", "/install.conf")
	if w.Code != 200 || w.Body.Len() != 0 || w.Header().Get("Content-Length") != strconv.Itoa(len(fixture["install.conf"])) ||
		w.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Errorf("HEAD: %d body %q header %v", w.Code, w.Body.String(), w.Header())
	}
}

func TestLog(t *testing.T) {
	h, log := newHandler(t)
	do(t, h, "GET", "/00:0d:b9:aa:bb:02-install.conf?path=7.9/amd64")
	do(t, h, "GET", "/00:0d:b9:ff:ff:ff-install.conf?path=7.9/amd64")
	do(t, h, "HEAD", "/7.9/amd64/site79-puffy.tgz")
	do(t, h, "GET", "/7.9/amd64/index.txt")
	do(t, h, "GET", "/escape")
	do(t, h, "POST", "/install.conf")
	do(t, h, "GET", "/puffy.example.org-install.conf")
	idx := fmt.Sprintf("-rw-r--r--  1 root  wheel  %d May  1 00:00:00 2026 bsd.rd\n", len(fixture["7.9/amd64/bsd.rd"])) +
		fmt.Sprintf("-rw-r--r--  1 root  wheel  %d May  1 00:00:00 2026 site79-puffy.tgz\n", len(fixture["7.9/amd64/site79-puffy.tgz"]))
	want := fmt.Sprintf(`2026-05-01T10:00:00Z client=192.0.2.10:51234 method=GET path="/00:0d:b9:aa:bb:02-install.conf" query="path=7.9/amd64" setdir="7.9/amd64" status=200 bytes=%d file="7.9/amd64/00:0d:b9:aa:bb:02-install.conf"
2026-05-01T10:00:00Z client=192.0.2.10:51234 method=GET path="/00:0d:b9:ff:ff:ff-install.conf" query="path=7.9/amd64" setdir="7.9/amd64" status=404 bytes=%d note="no response file"
2026-05-01T10:00:00Z client=192.0.2.10:51234 method=HEAD path="/7.9/amd64/site79-puffy.tgz" status=200 bytes=0 file="7.9/amd64/site79-puffy.tgz"
2026-05-01T10:00:00Z client=192.0.2.10:51234 method=GET path="/7.9/amd64/index.txt" status=200 bytes=%d file="7.9/amd64/index.txt (made)"
2026-05-01T10:00:00Z client=192.0.2.10:51234 method=GET path="/escape" status=404 bytes=%d note="refused: path escapes from parent"
2026-05-01T10:00:00Z client=192.0.2.10:51234 method=POST path="/install.conf" status=405 bytes=%d
2026-05-01T10:00:00Z client=192.0.2.10:51234 method=GET path="/puffy.example.org-install.conf" status=200 bytes=%d file="puffy-install.conf" note="host name matched as puffy"
`, len(fixture["7.9/amd64/00:0d:b9:aa:bb:02-install.conf"]), len(unknownMACBody), len(idx),
		len("fugu serve: not found\n"), len("fugu serve: only GET and HEAD\n"), len(fixture["puffy-install.conf"]))
	if log.String() != want {
		t.Errorf("log:\n%s\nwant:\n%s", log.String(), want)
	}
}

// TestShutdown: on cancel, Run stops accepting, lets the request in
// flight finish and returns nil.
func TestShutdown(t *testing.T) {
	h, _ := newHandler(t)
	entered, release := make(chan struct{}), make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		h.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Run(ctx, ln, slow, 5*time.Second) }()
	type result struct {
		status int
		body   string
		err    error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/install.conf")
		if err != nil {
			res <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		res <- result{resp.StatusCode, string(b), err}
	}()
	<-entered
	cancel()
	select {
	case err := <-done:
		t.Fatalf("Run returned (%v) with a request in flight", err)
	case <-time.After(200 * time.Millisecond):
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("a new connection was accepted after the shutdown began")
	}
	close(release)
	r := <-res
	if r.err != nil || r.status != 200 || r.body != fixture["install.conf"] {
		t.Errorf("request in flight: %d %q %v", r.status, r.body, r.err)
	}
	if err := <-done; err != nil {
		t.Errorf("Run: %v", err)
	}
}

func TestNewErrors(t *testing.T) {
	if _, err := New(filepath.Join(t.TempDir(), "missing"), nil); err == nil || !strings.HasPrefix(err.Error(), "serve: ") {
		t.Errorf("New on a missing directory: %v", err)
	}
}

// FuzzCleanPath: what cleanPath accepts is a relative, clean path with no
// hidden or parent segment.
func FuzzCleanPath(f *testing.F) {
	for _, s := range []string{"/", "/install.conf", "/../x", "//a//b/", "/a/./b", "/.x", "/a\\b", "/7.9/amd64/index.txt"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		name, ok := cleanPath(p)
		if !ok {
			return
		}
		if name == "" {
			return
		}
		if strings.HasPrefix(name, "/") || filepath.Clean(name) != name || strings.ContainsAny(name, "\\\x00") {
			t.Fatalf("cleanPath(%q) = %q", p, name)
		}
		for _, s := range strings.Split(name, "/") {
			if s == "" || strings.HasPrefix(s, ".") {
				t.Fatalf("cleanPath(%q) = %q has segment %q", p, name, s)
			}
		}
	})
}

// FuzzServe: no request path or query gets a file from outside the
// directory, whatever it is.
func FuzzServe(f *testing.F) {
	for _, s := range []string{"/escape", "/../outside", "/outdir/f", "/7.9/amd64/up", "/install.conf?path=../..", "/x-install.conf?path=../../outdir"} {
		f.Add(s)
	}
	var log bytes.Buffer
	h, err := New(fixtureDir(f), &log)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, target string) {
		r, err := http.NewRequest("GET", "http://fugu.example/", nil)
		if err != nil {
			t.Fatal(err)
		}
		pathPart, query, _ := strings.Cut(target, "?")
		r.URL.Path, r.URL.RawQuery = pathPart, query
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if strings.Contains(w.Body.String(), "OUTSIDE-SECRET") {
			t.Fatalf("%q served a file from outside", target)
		}
		log.Reset()
	})
}
