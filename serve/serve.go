// Package serve is the HTTP server a fleet of OpenBSD machines netboots
// against: it hands each installer its response file (per MAC address, per
// host name, or the shared install.conf), disklabel templates, site sets,
// index.txt and cached release files, from a directory "fugu render -o DIR"
// wrote.
//
// The installer's side (install.sub 1.1288 get_responsefile; autoinstall(8)):
// after DHCP it fetches, in order and until one succeeds,
//
//	http://<next-server>/<path><mac>-install.conf?path=<version>/<arch>
//	http://<next-server>/<path><hostname>-install.conf?path=...   (only if DHCP sent a host-name)
//	http://<next-server>/<path>install.conf?path=...
//
// where <path> is the directory part of the DHCP filename ("auto_install"
// or "some/dir/auto_install"), <mac> the interface's lladdr as ifconfig
// prints it (lower case, colon separated), and the query the set directory
// it would use (HTTP_SETDIR: "7.9/amd64", or "snapshots/amd64"). The same
// with upgrade.conf for auto_upgrade.
//
// How requests map to files:
//   - A response file (…install.conf, …upgrade.conf) is looked for first in
//     the ?path= directory under the request's directory, then in the
//     request's directory itself: DIR/7.9/amd64/<name> before DIR/<name>.
//     A MAC in the name matches in any case. A host name with dots that
//     has no file falls back to its first label ("puffy.example.org" to
//     "puffy"). A miss for a MAC file answers 404 with a text that names
//     the MAC and lists the MACs that have files.
//   - index.txt is the file if there is one, else made on the fly from
//     the directory like "ls -lT" (site.WriteIndex) so that site sets are
//     offered over HTTP.
//   - Everything else is the file at that path under DIR.
//
// Deliberate limits: GET and HEAD only; no directory listings; nothing
// outside DIR, through ".." or through symbolic links that leave it
// (os.Root); no file or directory whose name starts with a dot. Response
// files and site sets hold secrets (password hashes, WPA keys): they are
// served to whoever asks, as the installer cannot authenticate, so serve
// them on the install network only. Bodies are never logged; each request
// is logged as one line (time, client, method, path, query, status, bytes,
// the file served).
package serve

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fugu-tool/fugu/site"
)

// Handler serves one directory to OpenBSD installers.
type Handler struct {
	dir  string
	root *os.Root
	logw io.Writer
	mu   sync.Mutex // serialises log lines
	// Now is the clock for log lines; tests set it.
	Now func() time.Time
}

// New opens dir for serving; log lines go to logw (nil: nowhere).
func New(dir string, logw io.Writer) (*Handler, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("serve: %w", err)
	}
	if logw == nil {
		logw = io.Discard
	}
	return &Handler{dir: dir, root: root, logw: logw, Now: time.Now}, nil
}

// Close releases the directory.
func (h *Handler) Close() error { return h.root.Close() }

// responseRE matches response file names: "<mac>-install.conf",
// "<hostname>-upgrade.conf", "install.conf".
var (
	responseRE = regexp.MustCompile(`^(?:(.+)-)?(install|upgrade)\.conf$`)
	macRE      = regexp.MustCompile(`^[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}$`)
)

// request is what one request resolved to, for the log.
type request struct {
	file   string // the file served, relative to DIR
	setdir string // the ?path= value
	note   string
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := h.Now()
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	var req request
	h.serve(rec, r, &req)
	h.logRequest(start, r, rec, &req)
}

func (h *Handler) serve(w http.ResponseWriter, r *http.Request, req *request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		textError(w, http.StatusMethodNotAllowed, "fugu serve: only GET and HEAD\n")
		return
	}
	name, ok := cleanPath(r.URL.Path)
	if !ok {
		req.note = "bad path"
		textError(w, http.StatusBadRequest, "fugu serve: bad path\n")
		return
	}
	if name == "" {
		textError(w, http.StatusNotFound, "fugu serve: directories are not listed\n")
		return
	}
	dir, base := path.Split(name)
	dir = strings.TrimSuffix(dir, "/")
	if m := responseRE.FindStringSubmatch(base); m != nil {
		h.serveResponse(w, r, req, dir, m[1], m[2])
		return
	}
	if base == "index.txt" {
		if h.isFile(name) {
			h.serveFile(w, r, req, name)
			return
		}
		h.serveIndex(w, r, req, dir)
		return
	}
	h.serveFile(w, r, req, name)
}

// cleanPath turns a request path into a name under DIR ("" for the top),
// refusing "..", ".", hidden names, backslashes and NULs.
func cleanPath(p string) (string, bool) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false
	}
	var segs []string
	for _, s := range strings.Split(p[1:], "/") {
		switch {
		case s == "":
			continue // "//" and a trailing slash
		case strings.HasPrefix(s, "."):
			return "", false
		}
		segs = append(segs, s)
	}
	return strings.Join(segs, "/"), true
}

// serveResponse serves a response file: who is the MAC or host name (""
// for install.conf), mode is install or upgrade.
func (h *Handler) serveResponse(w http.ResponseWriter, r *http.Request, req *request, dir, who, mode string) {
	setdir := r.URL.Query().Get("path")
	req.setdir = setdir
	var dirs []string
	if setdir != "" {
		sd, ok := cleanPath("/" + setdir)
		if !ok || sd == "" {
			req.note = "bad ?path="
			textError(w, http.StatusBadRequest, "fugu serve: bad ?path= "+setdir+"\n")
			return
		}
		dirs = append(dirs, path.Join(dir, sd))
	}
	dirs = append(dirs, dir)

	isMAC := macRE.MatchString(who)
	names := []string{responseName(who, mode)}
	if isMAC {
		names[0] = responseName(strings.ToLower(who), mode)
		if lower := strings.ToLower(who); lower != who {
			names = append(names, responseName(who, mode))
		}
	} else if who != "" {
		// Host names are not case-sensitive; DHCP may send any case.
		if lower := strings.ToLower(who); lower != who {
			names = append(names, responseName(lower, mode))
		}
		if short, _, dotted := strings.Cut(who, "."); dotted && short != "" {
			names = append(names, responseName(short, mode))
			if lower := strings.ToLower(short); lower != short {
				names = append(names, responseName(lower, mode))
			}
		}
	}
	var tried []string
	for _, n := range names {
		for _, d := range dirs {
			p := path.Join(d, n)
			tried = append(tried, p)
			if h.isFile(p) {
				switch {
				case who == "":
					req.note = "shared " + n + ": answers for any machine without a file of its own"
				case n != names[0] && !isMAC:
					req.note = "host name matched as " + strings.TrimSuffix(n, "-"+mode+".conf")
				}
				h.serveFile(w, r, req, p)
				return
			}
		}
	}
	req.note = "no response file"
	if !isMAC {
		textError(w, http.StatusNotFound, fmt.Sprintf("fugu serve: no %s (looked for %s)\n", names[0], strings.Join(tried, ", ")))
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "fugu serve: no %s response file for MAC %s\n", mode, strings.ToLower(who))
	fmt.Fprintf(&b, "looked for: %s\n", strings.Join(tried, ", "))
	known := h.knownMACs(dirs, mode)
	if len(known) == 0 {
		fmt.Fprintf(&b, "known MACs: none\n")
	} else {
		fmt.Fprintf(&b, "known MACs:\n")
		for _, k := range known {
			fmt.Fprintf(&b, "  %s\n", k)
		}
	}
	fmt.Fprintf(&b, "the installer asks for <hostname>-%s.conf (if DHCP sent a host name) and %s.conf next\n", mode, mode)
	textError(w, http.StatusNotFound, b.String())
}

func responseName(who, mode string) string {
	if who == "" {
		return mode + ".conf"
	}
	return who + "-" + mode + ".conf"
}

// knownMACs lists the MACs that have response files for mode in dirs, each
// with the host name its file sets, sorted.
func (h *Handler) knownMACs(dirs []string, mode string) []string {
	seen := map[string]string{}
	for _, d := range dirs {
		des, err := h.readDir(d)
		if err != nil {
			continue
		}
		for _, de := range des {
			m := responseRE.FindStringSubmatch(de.Name())
			if m == nil || m[2] != mode || !macRE.MatchString(m[1]) {
				continue
			}
			mac := strings.ToLower(m[1])
			if _, dup := seen[mac]; dup {
				continue
			}
			seen[mac] = h.hostnameIn(path.Join(d, de.Name()))
		}
	}
	var out []string
	for mac, host := range seen {
		if host != "" {
			mac += " (" + host + ")"
		}
		out = append(out, mac)
	}
	sort.Strings(out)
	return out
}

// hostnameIn returns the "System hostname" answer of a response file, ""
// if it has none. Only that line is read out of the file.
func (h *Handler) hostnameIn(name string) string {
	f, err := h.root.Open(name)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(io.LimitReader(f, 1<<20))
	for sc.Scan() {
		// autoinstall(8): "question = answer", the key matched without
		// case; "System hostname" is the question's start.
		k, v, ok := strings.Cut(sc.Text(), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "system hostname") {
			v = strings.TrimSpace(v)
			if len(v) <= 255 && !strings.ContainsAny(v, " \t") {
				return v
			}
		}
	}
	return ""
}

// serveIndex makes an index.txt for a directory.
func (h *Handler) serveIndex(w http.ResponseWriter, r *http.Request, req *request, dir string) {
	des, err := h.readDir(dir)
	if err != nil {
		req.note = "no directory"
		textError(w, http.StatusNotFound, "fugu serve: no such directory\n")
		return
	}
	var es []site.IndexEntry
	for _, de := range des {
		n := de.Name()
		// Response files are not sets: they stay out of the index.
		if n == "index.txt" || strings.HasPrefix(n, ".") || !site.Offerable(n) || responseRE.MatchString(n) {
			continue
		}
		fi, err := h.root.Stat(path.Join(dir, n))
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		es = append(es, site.IndexEntry{Name: n, Size: fi.Size(), ModTime: fi.ModTime(), Mode: fi.Mode().Perm()})
	}
	var b bytes.Buffer
	if err := site.WriteIndex(&b, es); err != nil {
		textError(w, http.StatusInternalServerError, "fugu serve: "+err.Error()+"\n")
		return
	}
	req.file = path.Join(dir, "index.txt") + " (made)"
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	http.ServeContent(w, r, "index.txt", time.Time{}, bytes.NewReader(b.Bytes()))
}

func (h *Handler) readDir(dir string) ([]fs.DirEntry, error) {
	if dir == "" {
		dir = "."
	}
	f, err := h.root.Open(dir)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadDir(-1)
}

func (h *Handler) isFile(name string) bool {
	fi, err := h.root.Stat(name)
	return err == nil && fi.Mode().IsRegular()
}

// serveFile serves a regular file under DIR.
func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, req *request, name string) {
	f, err := h.root.Open(name)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			req.note = "refused: " + pathErr(err)
		}
		textError(w, http.StatusNotFound, "fugu serve: not found\n")
		return
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		req.note = "not a file"
		textError(w, http.StatusNotFound, "fugu serve: not found (directories are not listed)\n")
		return
	}
	req.file = name
	w.Header().Set("Content-Type", contentType(name))
	http.ServeContent(w, r, path.Base(name), fi.ModTime(), f)
}

// pathErr is the reason in a path error, without the path.
func pathErr(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".conf", ".txt", ".sig", ".disklabel", ".template":
		return "text/plain; charset=utf-8"
	}
	switch path.Base(name) {
	case "SHA256", "BUILDINFO":
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}

func textError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	io.WriteString(w, msg)
}

// recorder notes the status and the bytes written.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status = code
		r.wrote = true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// logRequest writes one line per request: time, client, method, path,
// query, status, bytes, the file served and a note. Values are quoted Go
// strings where they come from the client.
func (h *Handler) logRequest(start time.Time, r *http.Request, rec *recorder, req *request) {
	var b strings.Builder
	fmt.Fprintf(&b, "%s client=%s method=%s path=%q", start.UTC().Format(time.RFC3339), r.RemoteAddr, r.Method, r.URL.Path)
	if r.URL.RawQuery != "" {
		fmt.Fprintf(&b, " query=%q", r.URL.RawQuery)
	}
	if req.setdir != "" {
		fmt.Fprintf(&b, " setdir=%q", req.setdir)
	}
	fmt.Fprintf(&b, " status=%d bytes=%d", rec.status, rec.bytes)
	if req.file != "" {
		fmt.Fprintf(&b, " file=%q", req.file)
	}
	if req.note != "" {
		fmt.Fprintf(&b, " note=%q", req.note)
	}
	b.WriteString("\n")
	h.mu.Lock()
	defer h.mu.Unlock()
	io.WriteString(h.logw, b.String())
}
