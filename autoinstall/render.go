package autoinstall

import (
	"fmt"
	"net/netip"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/fugu-tool/fugu/plan"
	"github.com/fugu-tool/fugu/profiles"
)

// RenderOptions are the inputs of Render that are not in the plan.
type RenderOptions struct {
	// TemplateURL is where the root disk's autopartitioning template will
	// be served (by fugu serve, or file:/... inside the ramdisk). It is
	// required when the plan's root layout is a template; "" answers the
	// template question with none and takes the installer's auto layout.
	TemplateURL string
	// ServeURL is the fugu serve address ("http://192.0.2.1/") the
	// installer fetches the host's site set from, in a second http pass
	// after the release sets, when the plan takes them from a mirror:
	// <ServeURL>/<version>/<arch>/ with an index.txt (serve package).
	ServeURL string
}

// serveLocation splits ServeURL into the answers to "HTTP Server?" and
// "Server directory?".
func (o RenderOptions) serveLocation(version, arch string) (server, dir string, err error) {
	u, err := url.Parse(o.ServeURL)
	if err != nil || u.Scheme != "http" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", "", fmt.Errorf("autoinstall: serve URL %q: want http://host[:port][/path] (fugu serve speaks plain http)", o.ServeURL)
	}
	dir = strings.Trim(u.Path, "/")
	if dir != "" {
		dir += "/"
	}
	return "http://" + u.Host, dir + version + "/" + arch, nil
}

// Answers is a rendered response file.
type Answers struct {
	Release  string       `json:"release"`
	Hostname string       `json:"hostname"`
	Lines    []AnswerLine `json:"lines"`
	// Notes say what the answers cannot carry (a second ssh key, the
	// domain when DHCP supplies it).
	Notes []string `json:"notes,omitempty"`
}

// AnswerLine is one line of a rendered response file.
type AnswerLine struct {
	// Comment is a comment line ("# ..." without the '#') when Key is "".
	Comment  string `json:"comment,omitempty"`
	Key      string `json:"key,omitempty"`
	Value    string `json:"value,omitempty"`
	Question string `json:"question,omitempty"` // the question it answers
	// Field is the profile field the answer comes from, Pos where the
	// profile writes it.
	Field string       `json:"field,omitempty"`
	Pos   profiles.Pos `json:"-"`
}

// Bytes returns the response file.
func (a *Answers) Bytes() []byte {
	var b strings.Builder
	for _, l := range a.Lines {
		if l.Key == "" {
			b.WriteString("# " + l.Comment + "\n")
			continue
		}
		b.WriteString(l.Key + " = " + l.Value + "\n")
	}
	return []byte(b.String())
}

// line returns the answer line on file line n (1-based), or nil.
func (a *Answers) line(n int) *AnswerLine {
	if n < 1 || n > len(a.Lines) {
		return nil
	}
	return &a.Lines[n-1]
}

// Attribute points findings about rendered lines at the profile fields
// the lines came from.
func (a *Answers) Attribute(rep *Report) {
	for i := range rep.Findings {
		f := &rep.Findings[i]
		if l := a.line(f.Line); l != nil && l.Field != "" {
			f.Field = l.Field
			if l.Pos.File != "" {
				f.Pos = l.Pos.String()
			}
		}
	}
}

// Render turns a plan into the installer's answers: one line per question
// the installer will ask on the plan's machine (ScenarioFromPlan), in the
// order it asks them, with keys that match their own question and no
// earlier one. It simulates the result before returning it: answers that
// would not drive the install exactly as planned are an error.
func Render(pl *plan.Plan, opts RenderOptions) (*Answers, error) {
	cat, _, err := CatalogueFor(pl.Release.Version)
	if err != nil {
		return nil, err
	}
	if err := renderable(pl, opts); err != nil {
		return nil, err
	}
	sc := ScenarioFor(pl, opts)
	if err := sc.check(); err != nil {
		return nil, err
	}
	pr := newPlanResponder(pl, opts, cat, &sc)
	s := newSim(cat, &sc, pr)
	err = s.run()
	if pr.err != nil {
		return nil, pr.err
	}
	if err != nil {
		return nil, fmt.Errorf("BUG: autoinstall: the rendered answers stop the install: %s", s.stopMsg)
	}
	if pl.Domain != "" && !slices.ContainsFunc(s.steps, func(st Step) bool { return st.ID == QDomain }) {
		pr.note("The installer does not ask the DNS domain here (one interface, on DHCP): it takes the lease's domain-name, else my.domain; %s has to come with the site set (/etc/myname).", pl.Domain)
	}
	a := &Answers{Release: pl.Release.Version, Hostname: pl.Hostname, Notes: pr.notes}
	src := ""
	if pl.Profile != nil {
		src = " from " + filepath.Base(pl.Profile.Sources().File())
	}
	a.Lines = append(a.Lines, AnswerLine{Comment: fmt.Sprintf("autoinstall(8) response file for %s, OpenBSD %s/%s, written by fugu%s.", pl.Hostname, pl.Release.Version, pl.Arch, src)})
	a.Lines = append(a.Lines, AnswerLine{Comment: "One answer per question, in the order the installer asks them."})
	for _, n := range pr.notes {
		a.Lines = append(a.Lines, AnswerLine{Comment: n})
	}
	a.Lines = append(a.Lines, pr.lines...)
	// Check: every question answered by its own line, nothing left over.
	rep, err := Lint("install.conf", a.Bytes(), ScenarioFor(pl, opts))
	if err != nil {
		return nil, err
	}
	for _, st := range rep.Steps {
		if st.How != HowAnswered {
			return nil, fmt.Errorf("BUG: autoinstall: rendered answers leave %q to its default", st.Question)
		}
	}
	for _, f := range rep.Findings {
		if f.Severity >= Warning {
			return nil, fmt.Errorf("BUG: autoinstall: rendered answers: line %d: %s", f.Line, f.Msg)
		}
	}
	return a, nil
}

// renderable checks the plan has what the answers need.
func renderable(pl *plan.Plan, opts RenderOptions) error {
	if pl.Root == nil || pl.Root.Disk.Name == "" {
		return planErr(pl, "disks.root.disk", "the root disk is not resolved: the answers need the machine's dmesg (--dmesg)")
	}
	if pl.RootLayout != nil && pl.RootLayout.Template != nil && opts.TemplateURL == "" {
		return planErr(pl, "disks.root.layout", "the root disk's layout is an autopartitioning template (%s): the answers need the URL it will be served at", pl.RootLayout.Source)
	}
	if opts.TemplateURL != "" && !fetchable(opts.TemplateURL) {
		return fmt.Errorf("autoinstall: template URL %q: ftp(1) fetches http://, https://, ftp:// and file: URLs", opts.TemplateURL)
	}
	if !isHTTP(pl.Sets.Source) && (pl.Media == nil || pl.Media.Device == "") {
		return planErr(pl, "sets.source", "the install media device is not known: the answers need the machine's dmesg (--dmesg)")
	}
	if isHTTP(pl.Sets.Source) && pl.Sets.SiteSet != "" {
		if opts.ServeURL == "" {
			return planErr(pl, "sets.source", "the site set %s cannot come from %s: the answers need the fugu serve URL it will come from", pl.Sets.SiteSet, pl.Sets.Source)
		}
		if _, _, err := opts.serveLocation(pl.Release.Version, pl.Arch); err != nil {
			return err
		}
	}
	return nil
}

// planErr is a profile error at a field.
func planErr(pl *plan.Plan, path, format string, args ...any) error {
	e := &profiles.Error{Path: path, Msg: fmt.Sprintf(format, args...)}
	if pl.Profile != nil {
		e.Pos = pl.Profile.Sources().At(path)
	}
	return e
}

// ScenarioFromPlan describes the machine of a plan as the installer will
// see it: its disks, interfaces and display from the dmesg; the install
// media the plan predicts, carrying the release's sets and the host's site
// set in <version>/<arch>; with sets from a mirror, that mirror with the
// signed release sets and, as any other HTTP server, fugu serve with the
// site set; a serial console when the profile asks for one (fugu's image
// then boots the installer on it); a DHCP lease with router and
// nameservers on every DHCP interface; no ftplist.cgi hint.
func ScenarioFromPlan(pl *plan.Plan) Scenario { return ScenarioFor(pl, RenderOptions{}) }

// ScenarioFor is ScenarioFromPlan for answers rendered with opts: when
// fugu serve (opts.ServeURL) is also the sets source, that one server holds
// the release and the site set; when the sets come from the install media
// and opts.ServeURL is set, the site set comes from fugu serve instead of
// the stick.
func ScenarioFor(pl *plan.Plan, opts RenderOptions) Scenario {
	ver := pl.Release.Version
	arch := pl.Arch
	if arch == "" {
		arch = "amd64"
	}
	sc := Scenario{Release: ver, Arch: arch, NCPU: 2, Display: true, ApertureNeeded: true,
		DHCP: DHCPLease{Router: true, DNS: true}, MediaPartitions: []string{"a", "i"}}
	if c := pl.Console; c != nil {
		sc.SerialConsole = true
		sc.ComPorts = []string{c.Device}
		sc.ConsoleSpeed = c.Speed
	}
	if f := pl.Facts; f != nil {
		sc.NCPU = f.NCPU
		sc.PreferGPT = f.EFI
		// The ramdisk kernel prints "aperture needed" for VGA devices
		// that have no DRM driver (sys/dev/pci/vga_pci.c RAMDISK_HOOKS
		// vga_aperture_needed: i915, radeon and amdgpu devices need none).
		switch f.Graphics {
		case "", "none":
			sc.Display, sc.ApertureNeeded = false, false
		case "inteldrm", "radeondrm", "amdgpu":
			sc.ApertureNeeded = false
		}
		for _, n := range f.NICs {
			sc.Interfaces = append(sc.Interfaces, Interface{Name: n.Name, MAC: n.MAC, Wireless: n.Wireless})
		}
		running := f.RootDisk()
		for _, d := range f.Disks {
			// The disk the dmesg's system runs from holds OpenBSD: a
			// reinstall sees the "(O)penBSD area" wording.
			sc.Disks = append(sc.Disks, Disk{Name: d.Name, Bytes: d.Bytes(), OpenBSDArea: d.Name == running})
			if d.Softraid {
				sc.Softraid = true
			}
		}
	} else {
		for _, n := range pl.Network {
			sc.Interfaces = append(sc.Interfaces, Interface{Name: n.Name, MAC: n.MAC, Wireless: n.Wireless})
		}
		for _, c := range []*plan.DiskChoice{pl.Root, pl.Home} {
			if c != nil && c.Disk.Name != "" && sc.disk(c.Disk.Name) == nil {
				sc.Disks = append(sc.Disks, Disk{Name: c.Disk.Name, Bytes: c.Disk.Bytes()})
			}
		}
	}
	if sc.NCPU == 0 {
		sc.NCPU = 2
	}
	if m := pl.Media; m != nil && m.Device != "" {
		sc.Media = m.Device
		if sc.disk(m.Device) == nil {
			// A stick the dmesg does not show: the size only decides
			// whether it sorts last among root disk candidates.
			sc.Disks = append(sc.Disks, Disk{Name: m.Device, Bytes: 8 << 30})
		}
	}
	for _, n := range pl.Network {
		if n.Installer {
			sc.MirrorList, sc.MirrorDefault = true, "cdn.openbsd.org"
		}
	}
	cat, _, err := CatalogueFor(ver)
	signed := err == nil && cat.Behaviour.MediaSigned
	var extra []string
	if pl.Sets.SiteSet != "" {
		extra = append(extra, pl.Sets.SiteSet)
	}
	siteFromServe := opts.ServeURL != "" && !isHTTP(pl.Sets.Source)
	if siteFromServe {
		sc.MediaSets = ReleaseSets(ver, arch, ver+"/"+arch, signed)
		sc.HTTPSets = &SetDir{Path: ver + "/" + arch, Files: extra}
	} else {
		sc.MediaSets = ReleaseSets(ver, arch, ver+"/"+arch, signed, extra...)
	}
	if isHTTP(pl.Sets.Source) {
		host := strings.ToLower(pl.Sets.Server)
		if i := strings.Index(host, "://"); i >= 0 {
			host = host[i+3:]
		}
		if sameServer(pl, opts) {
			// fugu serve is the mirror too: one directory with the
			// signed release, and the site set named by index.txt.
			sc.Servers = map[string]*SetDir{host: ReleaseSets(ver, arch, pl.Sets.Dir, true, extra...)}
		} else {
			sc.Servers = map[string]*SetDir{host: ReleaseSets(ver, arch, pl.Sets.Dir, true)}
			// Any other server is fugu serve: the site set and an
			// index.txt, no SHA256.sig, no INSTALL.<arch>.
			sc.HTTPSets = &SetDir{Path: ver + "/" + arch, Files: extra}
		}
	}
	return sc
}

// sameServer reports whether the sets source is the fugu serve address
// itself: same host and the same set directory.
func sameServer(pl *plan.Plan, opts RenderOptions) bool {
	if opts.ServeURL == "" || !isHTTP(pl.Sets.Source) {
		return false
	}
	srv, dir, err := opts.serveLocation(pl.Release.Version, pl.Arch)
	if err != nil {
		return false
	}
	host := func(s string) string {
		if i := strings.Index(s, "://"); i >= 0 {
			s = s[i+3:]
		}
		return strings.ToLower(strings.TrimRight(s, "/"))
	}
	return host(srv) == host(pl.Sets.Server) && strings.Trim(dir, "/") == strings.Trim(pl.Sets.Dir, "/")
}

func isHTTP(source string) bool {
	return strings.HasPrefix(source, "http://") || strings.HasPrefix(source, "https://")
}

// planResponder answers each question from the plan and writes the line.
type planResponder struct {
	pl    *plan.Plan
	opts  RenderOptions
	cat   *Catalogue
	sc    *Scenario
	lines []AnswerLine
	notes []string
	err   error

	ifaces    []int // indexes into pl.Network configured by the installer
	next      int
	locations []string
	loc       int
	servers   [][2]string // HTTP server and directory of each http location
	server    int
}

func newPlanResponder(pl *plan.Plan, opts RenderOptions, cat *Catalogue, sc *Scenario) *planResponder {
	p := &planResponder{pl: pl, opts: opts, cat: cat, sc: sc}
	for i, n := range pl.Network {
		if n.Installer {
			p.ifaces = append(p.ifaces, i)
		}
	}
	srv, dir, _ := opts.serveLocation(pl.Release.Version, pl.Arch)
	switch {
	case isHTTP(pl.Sets.Source):
		p.locations = []string{"http"}
		p.servers = [][2]string{{pl.Sets.Server, pl.Sets.Dir}}
		if pl.Sets.SiteSet != "" && !sameServer(pl, opts) {
			p.locations = append(p.locations, "http")
			p.servers = append(p.servers, [2]string{srv, dir})
		}
	case opts.ServeURL != "" && pl.Sets.SiteSet != "":
		// Release sets from the stick, the site set from fugu serve.
		p.locations = []string{"disk", "http"}
		p.servers = [][2]string{{srv, dir}}
	default:
		p.locations = []string{"disk"}
	}
	p.locations = append(p.locations, "done")
	if len(pl.Accounts.RootKeys) > 1 {
		p.note("The installer takes one ssh key for root; the other %d go in with the site set.", len(pl.Accounts.RootKeys)-1)
	}
	if len(pl.Accounts.UserKeys) > 1 {
		p.note("The installer takes one ssh key for %s; the other %d go in with the site set.", pl.Accounts.User, len(pl.Accounts.UserKeys)-1)
	}
	return p
}

// note adds a note once.
func (p *planResponder) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	if !slices.Contains(p.notes, n) {
		p.notes = append(p.notes, n)
	}
}

func (p *planResponder) fail(path, format string, args ...any) {
	if p.err == nil {
		p.err = planErr(p.pl, path, format, args...)
	}
}

func (p *planResponder) respond(s *sim, a *asking) (string, int, string, bool) {
	if p.err != nil {
		return "", 0, "", false
	}
	v, field := p.value(s, a)
	if p.err != nil {
		return "", 0, "", false
	}
	if v != strings.TrimSpace(v) || v == "" || strings.ContainsAny(v, "\n\r\x00") || inlineComment(v) >= 0 {
		p.fail(field, "%q cannot be an answer in a response file: answers are one line, without leading or trailing blanks, and a blank before '#' would read as a comment", v)
		return "", 0, "", false
	}
	var earlier []string
	for _, st := range s.steps {
		earlier = append(earlier, st.Question)
	}
	key, err := chooseKey(a.text, earlier)
	if err != nil {
		p.err = err
		return "", 0, "", false
	}
	// The fdisk question comes in two wordings, with "(O)penBSD area"
	// when the disk already holds OpenBSD (install.md md_prep_fdisk).
	// Whether it does is not certain from a dmesg, so the key is the
	// part both wordings share, followed by a blank in both.
	if a.id == QFdisk && Match(fdiskKey, a.text) {
		key = fdiskKey
	}
	l := AnswerLine{Key: key, Value: v, Question: a.text, Field: field}
	if p.pl.Profile != nil && field != "" {
		l.Pos = p.pl.Profile.Sources().At(field)
	}
	p.lines = append(p.lines, l)
	return v, len(p.lines), key, true
}

// fdiskKey matches both wordings of the amd64 fdisk question: "Use (W)hole
// disk MBR, whole disk (G)PT or (E)dit?" and "... (G)PT, (O)penBSD area or
// (E)dit?".
const fdiskKey = "Use (W)hole disk MBR, whole disk"

// chooseKey picks the key for a question: its text up to the first '?'
// (how the installer itself logs answers, log_answers), or the whole text
// when that part would also match an earlier, different question.
func chooseKey(text string, earlier []string) (string, error) {
	short := text
	if i := strings.IndexByte(text, '?'); i >= 0 {
		short = text[:i]
	}
	short = strings.TrimRight(short, " \t")
	// "Choose your keyboard layout ('?' ..." cut at its first '?'.
	short = strings.TrimRight(strings.TrimSuffix(strings.TrimSuffix(short, "'"), "("), " \t")
	for _, k := range []string{short, text} {
		if k == "" || strings.ContainsAny(k, "=\n") || k[0] == '#' || !Match(k, text) {
			continue
		}
		ok := true
		for _, e := range earlier {
			if e != text && Match(k, e) {
				ok = false
				break
			}
		}
		if ok {
			return k, nil
		}
	}
	return "", fmt.Errorf("BUG: autoinstall: no key matches %q without matching an earlier question", text)
}

// value is the plan's answer to a question and the profile field behind it.
func (p *planResponder) value(s *sim, a *asking) (string, string) {
	pl := p.pl
	yn := func(v bool) string { return map[bool]string{true: "yes", false: "no"}[v] }
	switch a.id {
	case QTerm:
		return "vt220", "console"
	case QKeyboard:
		if pl.Keyboard != "" {
			return pl.Keyboard, "keyboard"
		}
		return "default", "keyboard"
	case QHostname:
		return pl.Hostname, "hostname"
	case QIface:
		if p.next < len(p.ifaces) {
			i := p.ifaces[p.next]
			p.next++
			return pl.Network[i].Name, fmt.Sprintf("network.interfaces[%d].name", i)
		}
		return "done", "network.interfaces"
	case QSymName:
		return shortName(pl.Hostname), "hostname"
	case QIPv4, QNetmask, QIPv6, QPrefixLen:
		return p.address(a)
	case QRoute4:
		if pl.Gateway == "" {
			p.fail("network.gateway", "the installer asks for the default IPv4 route and has no default: set network.gateway")
		}
		return pl.Gateway, "network.gateway"
	case QRouter6:
		if pl.Gateway6 != "" {
			return pl.Gateway6, "network.gateway6"
		}
		return "none", "network.gateway6"
	case QDomain:
		if pl.Domain != "" {
			return pl.Domain, "domain"
		}
		return a.def, "domain"
	case QNameservers:
		if len(pl.DNS) > 0 {
			return strings.Join(pl.DNS, " "), "network.nameservers"
		}
		return "none", "network.nameservers"
	case QRootPassword:
		return p.password(pl.Accounts.RootPassword, "root.password"), "root.password"
	case QRootKey:
		if len(pl.Accounts.RootKeys) > 0 {
			return pl.Accounts.RootKeys[0], "root.ssh_keys[0]"
		}
		return "none", "root.ssh_keys"
	case QSSHD:
		return yn(pl.Services.SSHD), "services.sshd"
	case QX11:
		return yn(pl.Services.X11), "services.x11"
	case QXenodm:
		return yn(pl.Services.Xenodm), "services.xenodm"
	case QConsole:
		return yn(pl.Console != nil), "console.device"
	case QSpeed:
		if pl.Console != nil && pl.Console.Speed != 0 {
			return strconv.Itoa(pl.Console.Speed), "console.speed"
		}
		return "115200", "console.speed"
	case QUser:
		if pl.Accounts.User != "" {
			return pl.Accounts.User, "user.login"
		}
		return "no", "user"
	case QFullName:
		return pl.Accounts.UserName, "user.name"
	case QUserPassword:
		if pl.Accounts.UserPassword == "" {
			p.note("%s has no password: password logins are disabled (13 asterisks).", pl.Accounts.User)
			return "*************", "user.password"
		}
		return p.password(pl.Accounts.UserPassword, "user.password"), "user.password"
	case QUserKey:
		if len(pl.Accounts.UserKeys) > 0 {
			return pl.Accounts.UserKeys[0], "user.ssh_keys[0]"
		}
		return "none", "user.ssh_keys"
	case QRootSSH:
		if pl.Services.RootSSHLogin != "" {
			return pl.Services.RootSSHLogin, "services.root_ssh_login"
		}
		return "no", "services.root_ssh_login"
	case QTimezone:
		return pl.Timezone, "timezone"
	case QRootDisk:
		return pl.Root.Disk.Name, "disks.root.disk"
	case QEncrypt:
		return "no", "disks.root"
	case QFdisk:
		if pl.Root.Table == "mbr" {
			return "whole", "disks.root.table"
		}
		return "gpt", "disks.root.table"
	case QGPTProceed:
		p.note("GPT on a machine the dmesg does not show booting through EFI: the installer warns \"An EFI/GPT disk may not boot\"; the answer is yes because the profile asks for GPT.")
		return "yes", "disks.root.table"
	case QTemplate:
		if p.opts.TemplateURL != "" {
			return p.opts.TemplateURL, "disks.root.layout"
		}
		return "none", "disks.root.layout"
	case QLayout:
		return "a", "disks.root.layout"
	case QInitDisk:
		return "done", "disks.home"
	case QLocation:
		if p.loc < len(p.locations) {
			p.loc++
			return p.locations[p.loc-1], "sets.source"
		}
		return "done", "sets.source"
	case QProxy:
		return "none", "sets.source"
	case QServer:
		if p.server < len(p.servers) {
			p.server++
			return p.servers[p.server-1][0], "sets.source"
		}
	case QServerDir:
		if p.server > 0 {
			return p.servers[p.server-1][1], "sets.source"
		}
	case QInstallDoc:
		// fugu serve's directory holds the site set and no INSTALL.<arch>.
		if onlySiteSets(strings.Join(a.avail, " ")) {
			return "yes", "sets.source"
		}
	case QHTTPFallback:
		return "yes", "sets.source"
	case QMounted:
		return "no", "sets.source"
	case QMediaDisk:
		return pl.Media.Device, "sets.source"
	case QMediaPart:
		return p.sc.MediaPartitions[0], "sets.source"
	case QSetsPath:
		return p.sc.MediaSets.Path, "sets.source"
	case QSets:
		return p.sets(a), "sets"
	case QChecksum:
		if strings.HasPrefix(a.set, "site") {
			return "yes", "sets"
		}
	case QUnverified:
		switch {
		case onlySiteSets(a.set):
			// The site set is never in the release's signed SHA256.
			return "yes", "sets"
		case strings.HasPrefix(a.text, "Directory does not contain SHA256.sig"):
			p.note("The %s install image has no SHA256.sig: the sets from it are installed unverified.", p.sc.Release)
			return "yes", "sets"
		}
	case QSure:
		if slices.Contains(pl.Sets.Dropped, a.set) {
			return "yes", "sets.drop"
		}
	}
	p.fail("", "BUG: autoinstall: the plan has no answer for %q", a.text)
	return "", ""
}

func onlySiteSets(list string) bool {
	f := strings.Fields(list)
	if len(f) == 0 {
		return false
	}
	for _, s := range f {
		if !strings.HasPrefix(s, "site") {
			return false
		}
	}
	return true
}

// password returns a password answer: the plan's hash, or a hash of a
// plaintext password the profile allowed.
func (p *planResponder) password(pw, field string) string {
	if keptPassword(pw) {
		return pw
	}
	h, err := profiles.HashPassword([]byte(pw), profiles.DefaultCost)
	if err != nil {
		p.fail(field, "%v", err)
		return ""
	}
	return h
}

// address answers the IPv4/IPv6 questions of the interface being set up.
func (p *planResponder) address(a *asking) (string, string) {
	idx := -1
	for i, n := range p.pl.Network {
		if n.Name == a.ifc {
			idx = i
		}
	}
	if idx < 0 {
		p.fail("network.interfaces", "BUG: autoinstall: the installer configures %s, which the plan does not", a.ifc)
		return "", ""
	}
	n := p.pl.Network[idx]
	b := &p.cat.Behaviour
	switch a.id {
	case QIPv4, QNetmask:
		field := fmt.Sprintf("network.interfaces[%d].ipv4", idx)
		v := n.IPv4
		switch v {
		case "", "autoconf", "dhcp":
			w := b.V4DHCPWords[0]
			if slices.Contains(b.V4DHCPWords, "autoconf") {
				w = "autoconf"
			}
			return w, field
		case "none":
			return "none", field
		}
		pfx, err := netip.ParsePrefix(v)
		if err != nil {
			p.fail(field, "%q is not an address with a prefix length", v)
			return "", ""
		}
		if a.id == QNetmask {
			return maskOf(pfx.Bits()), field
		}
		if b.V4CIDR {
			return v, field
		}
		return pfx.Addr().String(), field
	default:
		field := fmt.Sprintf("network.interfaces[%d].ipv6", idx)
		v := n.IPv6
		switch v {
		case "", "none":
			return "none", field
		case "autoconf":
			return "autoconf", field
		}
		pfx, err := netip.ParsePrefix(v)
		if err != nil {
			p.fail(field, "%q is not an address with a prefix length", v)
			return "", ""
		}
		if a.id == QPrefixLen {
			return strconv.Itoa(pfx.Bits()), field
		}
		if b.V6CIDR {
			return v, field
		}
		return pfx.Addr().String(), field
	}
}

// sets answers "Set name(s)?": from the preselected sets to the plan's,
// ending with done so that one line settles the location.
func (p *planResponder) sets(a *asking) string {
	pl := p.pl
	var want []string
	for _, f := range a.avail {
		if slices.Contains(pl.Sets.Selected, f) || f == pl.Sets.SiteSet {
			want = append(want, f)
		}
	}
	var rm, add, kept []string
	for _, f := range a.pre {
		if slices.Contains(want, f) {
			kept = append(kept, f)
		} else {
			rm = append(rm, f)
		}
	}
	for _, f := range want {
		if !slices.Contains(a.pre, f) {
			add = append(add, f)
		}
	}
	var tok []string
	if len(kept) == 0 && len(rm) > 1 {
		tok = append(tok, "-*")
	} else {
		for _, f := range rm {
			tok = append(tok, "-"+f)
		}
	}
	for _, f := range add {
		tok = append(tok, "+"+f)
	}
	return strings.Join(append(tok, "done"), " ")
}
