package autoinstall

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The dialogue of do_install (install.sub 1.1013 and 1.1288) with the
// amd64 parts of install.md. Every function below names the installer
// function it follows; where the releases differ, the difference is a
// field of Behaviour or a text of the catalogue.

// maxAsks bounds a simulation: a real install asks a few dozen questions;
// a loop that keeps asking is reported, never run forever.
const maxAsks = 500

// asking is one question put to the responder.
type asking struct {
	id   QID
	text string // what keys are matched against
	def  string // "" for none
	// context for the plan responder
	ifc, disk, set string
	avail, pre     []string // set selection: available and preselected
	location       string   // set selection: the location's kind
}

// responder answers questions: from a response file (lint) or from a
// plan (render).
type responder interface {
	// respond returns the answer and the line it came from, or false
	// when no line answers the question.
	respond(s *sim, a *asking) (value string, line int, key string, ok bool)
}

// errStop unwinds the simulation when the installer would stop.
var errStop = errors.New("installer stops")

type sim struct {
	cat *Catalogue
	b   *Behaviour
	sc  *Scenario
	r   responder

	steps    []Step
	findings []Finding
	stopMsg  string
	asks     int

	// installer state
	hostname     string // as hostname(1) has it, maybe with a domain
	dhcpGroup    bool   // some interface ran dhcp_request
	dhcpIfaces   []string
	hnFiles      map[string]bool // /tmp/i/hostname.* written
	inetLine     bool            // some hostname.if has an "inet " line
	v4configured bool            // some interface has an IPv4 address
	static6      bool            // some interface has a static IPv6 address
	v6route      bool            // an IPv6 default route exists
	slaac        bool            // some interface runs IPv6 autoconf
	vlans        []string        // vlan interfaces created
	sshdOn       bool
	user         string
	tz           string
	rootDisk     string
	disksDone    []string
	defaultSets  []string
	saneSets     []string
	allSets      []string
	installed    []string
	method       string
}

func newSim(cat *Catalogue, sc *Scenario, r responder) *sim {
	s := &sim{cat: cat, b: &cat.Behaviour, sc: sc, r: r, hnFiles: map[string]bool{}}
	// install.sub (both): DEFAULTSETS, ALLSETS and SANESETS; bsd.mp only
	// with more than one CPU (1.1288 main body; 1.1013 via the amd64
	// install.md of its time, UNVERIFIED).
	v := strings.ReplaceAll(sc.Release, ".", "")
	kernels := []string{"bsd", "bsd.rd"}
	s.saneSets = []string{"bsd", "base" + v + ".tgz"}
	if sc.NCPU > 1 {
		kernels = []string{"bsd", "bsd.mp", "bsd.rd"}
		s.saneSets = []string{"bsd", "bsd.mp", "base" + v + ".tgz"}
	}
	var sets []string
	for _, n := range []string{"base", "comp", "man", "game", "xbase", "xshare", "xfont", "xserv"} {
		sets = append(sets, n+v+".tgz")
	}
	s.defaultSets = append(append([]string{}, kernels...), sets...)
	s.allSets = append(append(append([]string{}, kernels...), sets...), "site"+v+".tgz")
	return s
}

// finding records a problem; step ties it to the current step.
func (s *sim) finding(sev Severity, code string, line int, format string, args ...any) {
	s.findings = append(s.findings, Finding{Severity: sev, Code: code, Line: line, Step: len(s.steps), Msg: fmt.Sprintf(format, args...)})
}

// note adds what the installer does with the last answer.
func (s *sim) note(format string, args ...any) {
	if len(s.steps) == 0 {
		return
	}
	st := &s.steps[len(s.steps)-1]
	msg := fmt.Sprintf(format, args...)
	if st.Note != "" {
		st.Note += "; " + msg
	} else {
		st.Note = msg
	}
}

// last is the last step.
func (s *sim) last() *Step { return &s.steps[len(s.steps)-1] }

// reject reports an answer the installer does not take. When the
// installer stops on it, the simulation stops too.
func (s *sim) reject(stops bool, format string, args ...any) error {
	st := s.last()
	msg := fmt.Sprintf(format, args...)
	line := st.Line
	if stops {
		s.note("rejected: %s; the installer stops", msg)
		s.finding(Error, "rejected", line, "%q for %q: %s; the install stops", st.Answer, st.Question, msg)
		s.stopMsg = fmt.Sprintf("%q rejected for %q", st.Answer, st.Question)
		return errStop
	}
	if st.How == HowDefault {
		// No line matched, so none will next time either: the installer
		// rejects its own default for ever.
		s.note("rejected: %s; the installer asks again for ever", msg)
		s.stopMsg = fmt.Sprintf("the default %q of %q is rejected and asked again for ever: the install hangs", st.Answer, st.Question)
		s.finding(Error, "loop", 0, "%s", s.stopMsg)
		return errStop
	}
	s.note("rejected: %s; asked again", msg)
	s.finding(Error, "rejected", line, "%q for %q: %s; the installer asks again and takes the next matching line or the default", st.Answer, st.Question, msg)
	return nil
}

// stop ends the simulation with an error finding.
func (s *sim) stop(code string, line int, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	s.finding(Error, code, line, "%s", msg)
	s.note("%s", msg)
	s.stopMsg = msg
	return errStop
}

// ask is _autorespond behind ask, ask_until, ask_yn and ask_password:
// the first unused line whose key matches answers; else the default; else
// the installer stops ("Question has no answer in response file").
func (s *sim) ask(a asking) (string, error) {
	s.asks++
	if s.asks > maxAsks {
		s.stopMsg = fmt.Sprintf("more than %d questions: the installer keeps asking the same questions", maxAsks)
		s.finding(Error, "loop", 0, "%s", s.stopMsg)
		return "", errStop
	}
	st := Step{ID: a.id, Question: a.text, Default: a.def}
	v, line, key, ok := s.r.respond(s, &a)
	switch {
	case ok:
		st.How, st.Line, st.Key, st.Answer = HowAnswered, line, key, v
	case a.def != "":
		st.How, st.Answer = HowDefault, a.def
		v = a.def
	default:
		st.How = HowStopped
		s.steps = append(s.steps, st)
		s.stopMsg = fmt.Sprintf("Question has no answer in response file: %q", lowerASCII(a.text))
		s.finding(Error, "no-answer", 0, "no line answers %q and it has no default: the install stops", a.text)
		return "", errStop
	}
	s.steps = append(s.steps, st)
	return v, nil
}

// q builds an asking for a catalogue question with placeholders filled.
func (s *sim) q(id QID, def string, kv ...string) asking {
	a := asking{id: id, text: s.cat.Text(id, kv...), def: def}
	for i := 0; i+1 < len(kv); i += 2 {
		switch kv[i] {
		case "if":
			a.ifc = kv[i+1]
		case "disk":
			a.disk = kv[i+1]
		case "set":
			a.set = kv[i+1]
		}
	}
	return a
}

// askYN is ask_yn: y, yes, n, no in any case; anything else stops the
// autoinstall.
func (s *sim) askYN(a asking) (bool, error) {
	v, err := s.ask(a)
	if err != nil {
		return false, err
	}
	switch lowerASCII(v) {
	case "y", "yes":
		return true, nil
	case "n", "no":
		return false, nil
	}
	return false, s.reject(true, "not a yes/no answer")
}

// askWhich is ask_which: no question when the list is empty; the default
// is the given one or the first item; an answer not in the list (or
// 'done') stops the autoinstall.
func (s *sim) askWhich(a asking, list []string) (string, error) {
	if len(list) == 0 {
		return "done", nil
	}
	if a.def == "" {
		a.def = list[0]
	}
	v, err := s.ask(a)
	if err != nil {
		return "", err
	}
	if v == "done" || slices.Contains(list, v) {
		return v, nil
	}
	return "", s.reject(true, "not one of %s or done", strings.Join(list, " "))
}

// run simulates the whole install.
func (s *sim) run() error {
	for _, f := range []func() error{
		s.setTerm, s.hostnameQ, s.donetconfig, s.rootAccount, s.questions,
		s.userSetup, s.rootSSH, s.earlyTimezone, s.rootinfo, s.encryptRoot,
		s.disks, s.installSets, s.lateTimezone,
	} {
		if err := f(); err != nil {
			return err
		}
	}
	return nil
}

// setTerm follows set_term: the terminal type on a serial console, else
// the keyboard layout.
func (s *sim) setTerm() error {
	if s.sc.SerialConsole {
		_, err := s.ask(s.q(QTerm, "vt220"))
		return err
	}
	if !s.b.Keyboard {
		return nil
	}
	for {
		v, err := s.ask(s.q(QKeyboard, "default"))
		if err != nil {
			return err
		}
		switch {
		case v == "l" || v == "L" || v == "?":
			s.note("lists the layouts and asks again")
			continue
		case v == "default", knownKeyboard(v):
			return nil
		}
		s.note("kbd -q fails on %q: asked again", v)
		s.finding(Warning, "rejected", s.last().Line, "%q is not a keyboard layout kbd(8) knows: the installer asks again and falls back to the next matching line or 'default'", v)
	}
}

// hostnameQ follows the start of do_install.
func (s *sim) hostnameQ() error {
	cur := shortName(s.sc.Hostname)
	v, err := s.ask(s.q(QHostname, cur))
	if err != nil {
		return err
	}
	if strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return s.reject(true, "a hostname with blanks or control characters (\"Invalid hostname.\")")
	}
	s.hostname = s.sc.Hostname
	if shortName(v) != cur {
		s.hostname = v
	}
	s.allSets = append(s.allSets, "site"+strings.ReplaceAll(s.sc.Release, ".", "")+"-"+shortName(s.hostname)+".tgz")
	return nil
}

func shortName(h string) string {
	n, _, _ := strings.Cut(h, ".")
	return n
}

// fqdnDomain is get_fqdn: the hostname's domain, else my.domain.
func (s *sim) fqdnDomain() string {
	if _, d, ok := strings.Cut(s.hostname, "."); ok && d != "" {
		return d
	}
	return "my.domain"
}

// physIfaces are the interfaces get_ifs lists, vlans created so far last.
func (s *sim) physIfaces() []string {
	var out []string
	for _, i := range s.sc.Interfaces {
		out = append(out, i.Name)
	}
	return append(out, s.vlans...)
}

func (s *sim) firstIface() string {
	if s.sc.Netboot != "" {
		return s.sc.Netboot
	}
	if l := s.physIfaces(); len(l) > 0 {
		return l[0]
	}
	return ""
}

// donetconfig follows donetconfig: interfaces, routes, DNS.
func (s *sim) donetconfig() error {
	if err := s.configureIfs(); err != nil {
		return err
	}
	if err := s.v4defroute(); err != nil {
		return err
	}
	if !s.b.V6RouterPerInterface && s.static6 {
		// 1.1288 v6_defroute, autoinstall branch: no check of the answer.
		if _, err := s.ask(s.q(QRouter6, "none")); err != nil {
			return err
		}
	}
	return s.dns()
}

// configureIfs follows configure_ifs.
func (s *sim) configureIfs() error {
	first, p := "", ""
	for {
		var ifc string
		if s.b.IfaceAskWhich {
			// 1.1013: a vlan interface is created before asking, so
			// vlanN is always on the list.
			pending := fmt.Sprintf("vlan%d", len(s.vlans))
			list := append(s.physIfaces(), pending)
			def := p
			if def == "" {
				def = s.firstIface()
			}
			v, err := s.askWhich(s.q(QIface, def), list)
			if err != nil {
				return err
			}
			if v == "done" {
				return nil
			}
			ifc = v
		} else {
			ifs := s.physIfaces()
			if len(ifs) == 0 {
				return nil
			}
			offered := fmt.Sprintf("vlan%d", len(s.vlans))
			def := p
			if def == "" {
				def = s.firstIface()
			}
			v, err := s.ask(s.q(QIface, def))
			if err != nil {
				return err
			}
			if v == "done" {
				return nil
			}
			if v == "?" {
				s.note("lists the lladdrs and asks again")
				continue
			}
			valid := append(append([]string{}, ifs...), offered)
			valid = append(valid, s.uniqueMACs()...)
			if !slices.Contains(valid, v) {
				return s.reject(true, "not an interface, lladdr or %s", offered)
			}
			ifc = v
			if macRE.MatchString(v) {
				ifc = s.ifaceByMAC(v)
			}
		}
		if strings.HasPrefix(ifc, "vlan") {
			ok, err := s.vlanConfig(ifc)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
		}
		if i := s.sc.iface(ifc); i != nil && i.Wireless {
			if err := s.ieee80211(ifc, i); err != nil {
				return err
			}
		}
		if first != "" && first != ifc {
			if _, err := s.ask(s.q(QSymName, shortName(s.hostname), "if", ifc)); err != nil {
				return err
			}
		}
		if err := s.v4config(ifc); err != nil {
			return err
		}
		if err := s.v6config(ifc); err != nil {
			return err
		}
		if s.hnFiles[ifc] && first == "" {
			first = ifc
		}
		p = "done"
	}
}

func (s *sim) uniqueMACs() []string {
	count := map[string]int{}
	for _, i := range s.sc.Interfaces {
		if i.MAC != "" {
			count[i.MAC]++
		}
	}
	var out []string
	for _, i := range s.sc.Interfaces {
		if i.MAC != "" && count[i.MAC] == 1 {
			out = append(out, i.MAC)
		}
	}
	return out
}

func (s *sim) ifaceByMAC(mac string) string {
	for _, i := range s.sc.Interfaces {
		if i.MAC == mac {
			return i.Name
		}
	}
	return mac
}

// vlanConfig follows vlan_config (1.1288) and the vlan part of
// configure_ifs (1.1013); false sends the dialogue back to the interface
// question.
func (s *sim) vlanConfig(ifc string) (bool, error) {
	unit, _ := strconv.Atoi(strings.TrimPrefix(ifc, "vlan"))
	var parents []string
	for _, i := range s.sc.Interfaces {
		parents = append(parents, i.Name)
	}
	parent := ""
	if len(parents) > 0 {
		parent = parents[0]
	}
	tag := strconv.Itoa(unit)
	if s.b.VlanTagNone {
		if unit == 0 {
			tag = "none"
		}
	} else {
		tag = strconv.Itoa(len(s.vlans) + 1) // first free tag
	}
	v, err := s.ask(s.q(QVlan, parent+":"+tag, "if", ifc))
	if err != nil {
		return false, err
	}
	vd, vi, _ := strings.Cut(v, ":")
	if i := strings.LastIndexByte(v, ':'); i >= 0 {
		vi = v[i+1:]
	}
	if !slices.Contains(parents, vd) {
		s.note("invalid parent interface %q: back to the interface question", vd)
		s.finding(Error, "rejected", s.last().Line, "%q for %q: %q is not a physical interface; the installer goes back to the interface question", v, s.last().Question, vd)
		return false, nil
	}
	n, err := strconv.Atoi(vi)
	if !(s.b.VlanTagNone && vi == "none") && (err != nil || n < 1 || n > 4095) {
		s.note("invalid vlan tag %q: back to the interface question", vi)
		s.finding(Error, "rejected", s.last().Line, "%q for %q: the tag must be 1-4095: the installer goes back to the interface question", v, s.last().Question)
		return false, nil
	}
	if !slices.Contains(s.vlans, ifc) {
		s.vlans = append(s.vlans, ifc)
	}
	s.hnFiles[ifc] = true
	s.hnFiles[vd] = true // "up" in the parent's hostname.if
	return true, nil
}

// ieee80211 follows ieee80211_config.
func (s *sim) ieee80211(ifc string, i *Interface) error {
	nwid := ""
	for nwid == "" {
		v, err := s.ask(s.q(QAccessPoint, "any"))
		if err != nil {
			return err
		}
		switch {
		case v == "?":
			s.note("shows the scan and asks again")
		case isNumber(v):
			s.note("picks line %s of the scan, which the simulation cannot know", v)
			s.finding(Warning, "scan-list", s.last().Line, "access point %q is a line number of the installer's scan list: which network that is depends on the radio environment", v)
			nwid = "#" + v
		default:
			nwid = v
		}
	}
	if nwid == "any" {
		return nil
	}
	hasWEP := s.b.SecurityWEPAlways || !i.NoWEP
	hasWPA := !i.NoWPA
	wep, wpa := "", ""
	if hasWEP && !s.b.SecurityWEPAlways {
		wep = ", (W)EP"
	}
	if hasWPA {
		wpa = ", WPA-(P)SK"
	}
	for {
		v, err := s.ask(s.q(QSecurity, "O", "wep", wep, "wpa", wpa))
		if err != nil {
			return err
		}
		switch {
		case v == "O" || v == "o":
			s.hnFiles[ifc] = true
			return nil
		case (v == "W" || v == "w") && hasWEP:
			if _, err := s.ask(s.q(QWEPKey, "")); err != nil {
				return err
			}
			s.hnFiles[ifc] = true
			return nil
		case (v == "P" || v == "p") && hasWPA:
			k, err := s.ask(s.q(QWPAKey, ""))
			if err != nil {
				return err
			}
			if !wpaKeyOK(k) {
				s.note("ifconfig rejects the passphrase: back to the security question")
				s.finding(Error, "rejected", s.last().Line, "WPA passphrase of %d characters: ifconfig wpakey needs 8 to 63 characters or 64 hex digits; the installer asks the security question again", len(k))
				continue
			}
			s.hnFiles[ifc] = true
			return nil
		}
		if err := s.reject(false, "not a security protocol offered"); err != nil {
			return err
		}
	}
}

func wpaKeyOK(k string) bool {
	if len(k) == 64 {
		for i := 0; i < len(k); i++ {
			if !strings.ContainsRune("0123456789abcdefABCDEF", rune(k[i])) {
				return false
			}
		}
		return true
	}
	return len(k) >= 8 && len(k) <= 63
}

func isNumber(v string) bool {
	if v == "" {
		return false
	}
	for i := 0; i < len(v); i++ {
		if !isDigit(v[i]) {
			return false
		}
	}
	return true
}

// v4config follows v4_config.
func (s *sim) v4config(ifc string) error {
	def := s.cat.Q(QIPv4).Default
	if s.b.V4DefaultBeforeDHCPOnly {
		def = ""
		if !s.dhcpGroup {
			def = s.b.V4DHCPWords[0]
		}
	}
	// v4_config loops until an address works; in an autoinstall a failure
	// exits or moves on, so one pass is the whole story.
	{
		v, err := s.ask(s.q(QIPv4, def, "if", ifc))
		if err != nil {
			return err
		}
		if v == "none" {
			return nil
		}
		if slices.Contains(s.b.V4DHCPWords, v) {
			s.dhcpGroup = true
			s.dhcpIfaces = append(s.dhcpIfaces, ifc)
			s.hnFiles[ifc] = true
			s.inetLine = true // "inet autoconf" (1.1288); "dhcp" (1.1013), which only DefRouteOnInetLine=false ignores
			s.v4configured = s.v4configured || !s.sc.DHCP.Fails
			if s.sc.DHCP.Fails {
				s.note("no DHCP lease arrives (scenario)")
			}
			return nil
		}
		addr := v
		ok := false
		switch {
		case s.b.V4CIDR && strings.Contains(addr, "/"):
			ok = cidr4(addr)
		default:
			m, err := s.ask(s.q(QNetmask, "255.255.255.0", "if", ifc))
			if err != nil {
				return err
			}
			a := addr
			if !s.b.V4CIDR && strings.Contains(a, "/") {
				a, _, _ = strings.Cut(a, "/")
				if ipv4(a) && cidr4(addr) {
					s.note("ifconfig takes addr/len and then the netmask; hostname.if gets both")
					s.finding(Warning, "cidr", s.lineOf(QIPv4), "%q: this installer does not take addr/len; it still asks the netmask and writes \"inet %s %s\" to hostname.%s", addr, addr, m, ifc)
				}
			}
			ok = ipv4(a) && netmask(m)
			if !ok && ipv4(a) {
				s.note("ifconfig rejects netmask %q", m)
			}
		}
		if ok {
			s.hnFiles[ifc] = true
			s.inetLine = true
			s.v4configured = true
			return nil
		}
		if s.b.V4FailExits {
			return s.stop("rejected", s.lineOf(QIPv4), "IPv4 configuration %q of %s: ifconfig fails and the install stops", addr, ifc)
		}
		s.note("ifconfig fails: %s stays without IPv4", ifc)
		s.finding(Error, "rejected", s.lineOf(QIPv4), "%q for %q: not an address ifconfig takes; this installer goes on with %s unconfigured", addr, s.cat.Text(QIPv4, "if", ifc), ifc)
		return nil
	}
}

// lineOf is the answering line of the latest step with that id.
func (s *sim) lineOf(id QID) int {
	for i := len(s.steps) - 1; i >= 0; i-- {
		if s.steps[i].ID == id {
			return s.steps[i].Line
		}
	}
	return 0
}

// v6config follows v6_config (with 1.1013's per-interface v6_defroute).
func (s *sim) v6config(ifc string) error {
	def := s.cat.Q(QIPv6).Default
	v, err := s.ask(s.q(QIPv6, def, "if", ifc))
	if err != nil {
		return err
	}
	if v == "none" {
		return nil
	}
	if slices.Contains(s.b.V6AutoconfWords, v) {
		s.hnFiles[ifc] = true
		s.slaac = true
		return nil
	}
	ok := false
	addr := v
	if s.b.V6CIDR && strings.Contains(addr, "/") {
		ok = cidr6(addr)
	} else {
		pl, err := s.ask(s.q(QPrefixLen, "64", "if", ifc))
		if err != nil {
			return err
		}
		n, perr := strconv.Atoi(pl)
		a := addr
		if !s.b.V6CIDR && strings.Contains(a, "/") {
			s.finding(Warning, "cidr", s.lineOf(QIPv6), "%q: this installer does not take addr/len; it asks the prefix length as well", addr)
			a, _, _ = strings.Cut(a, "/")
		}
		ok = ipv6(a) && perr == nil && n >= 0 && n <= 128
	}
	if !ok {
		if s.b.V6FailExits {
			return s.stop("rejected", s.lineOf(QIPv6), "IPv6 configuration %q of %s: ifconfig fails and the install stops", addr, ifc)
		}
		s.note("ifconfig fails: %s stays without IPv6", ifc)
		s.finding(Error, "rejected", s.lineOf(QIPv6), "%q for %q: not an address ifconfig takes; this installer goes on with %s without IPv6", addr, s.cat.Text(QIPv6, "if", ifc), ifc)
		return nil
	}
	s.hnFiles[ifc] = true
	s.static6 = true
	if s.b.V6RouterPerInterface && !s.v6route && !(s.slaac && s.sc.DHCP.RA) {
		// 1.1013 v6_defroute: _autorespond without a default.
		r, err := s.ask(s.q(QRouter6, ""))
		if err != nil {
			return err
		}
		if ipv6(r) {
			s.v6route = true
		}
	}
	return nil
}

// v4defroute follows v4_defroute.
func (s *sim) v4defroute() error {
	// 1.1288 asks when some hostname.if has an "inet " line (inet
	// autoconf included); 1.1013 when some interface has an IPv4
	// address. Both skip it when a DHCP interface set the route.
	if s.b.DefRouteOnInetLine && !s.inetLine || !s.b.DefRouteOnInetLine && !s.v4configured {
		return nil
	}
	if s.dhcpGroup && !s.sc.DHCP.Fails && s.sc.DHCP.Router {
		return nil
	}
	for {
		v, err := s.ask(s.q(QRoute4, ""))
		if err != nil {
			return err
		}
		if v == "none" || ipv4(v) {
			return nil
		}
		if err := s.reject(false, "route add fails on it"); err != nil {
			return err
		}
	}
}

// dns follows the DNS part of donetconfig.
func (s *sim) dns() error {
	leaseOK := s.dhcpGroup && !s.sc.DHCP.Fails
	ns := leaseOK && s.sc.DHCP.DNS
	single := len(s.hnFiles) == 1
	var domain string
	switch s.b.DomainSkip {
	case DomainSkipDHCPSingleNoSearch:
		// resolvd writes nameserver lines only (UNVERIFIED: no search
		// line), so _dn is empty and the lease's domain-name is used.
		if s.dhcpGroup && single {
			domain = s.sc.DHCP.Domain
			if domain == "" || !leaseOK {
				domain = s.fqdnDomain()
			}
			break
		}
		v, err := s.ask(s.q(QDomain, s.fqdnDomain()))
		if err != nil {
			return err
		}
		domain = v
		s.checkDomain(v)
	case DomainSkipDHCPSingleWithDomain:
		dn := ""
		if leaseOK {
			dn = s.sc.DHCP.Domain
		}
		if s.dhcpGroup && single && dn != "" {
			domain = dn
			break
		}
		def := dn
		if def == "" {
			def = s.fqdnDomain()
		}
		v, err := s.ask(s.q(QDomain, def))
		if err != nil {
			return err
		}
		domain = v
		s.checkDomain(v)
	}
	s.hostname = shortName(s.hostname) + "." + domain
	switch s.b.NameserversSkip {
	case NameserversSkipResolvd:
		if ns {
			return nil
		}
	case NameserversSkipDHCPSingle:
		if s.dhcpGroup && single && ns {
			return nil
		}
	}
	def := "none"
	if ns {
		def = "<nameservers from DHCP>"
	}
	v, err := s.ask(s.q(QNameservers, def))
	if err != nil {
		return err
	}
	if v != "none" {
		for _, a := range strings.Fields(v) {
			if !ipv4(a) && !ipv6(a) {
				s.note("%q is written to resolv.conf as a nameserver", a)
				s.finding(Warning, "rejected", s.last().Line, "%q is not an IP address: resolv.conf gets \"nameserver %s\"", a, a)
			}
		}
	}
	return nil
}

// checkDomain warns about a domain answer the installer takes literally.
func (s *sim) checkDomain(v string) {
	if v == "none" {
		s.note("the domain becomes \"none\"")
		s.finding(Warning, "domain", s.last().Line, "the DNS domain question has no 'none': the installer takes it as the domain, so the host is %s.none", shortName(s.hostname))
	}
}

// rootAccount asks the root password and, in autoinstall, the root key.
func (s *sim) rootAccount() error {
	pw, err := s.ask(s.q(QRootPassword, ""))
	if err != nil {
		return err
	}
	s.password(pw, "root")
	k, err := s.ask(s.q(QRootKey, "none"))
	if err != nil {
		return err
	}
	s.sshKey(k)
	return nil
}

// password describes what encr_pwd will do with a password answer.
func (s *sim) password(pw, who string) {
	switch {
	case keptPassword(pw):
		if pw != "*************" && !bcryptLike(pw) {
			s.note("stored as given")
			s.finding(Error, "password", s.last().Line, "the %s password %q passes the installer's hash test and is stored as given, but it is not a valid bcrypt hash: no password will ever match it", who, pw)
		}
	case bcryptLike(pw):
		s.note("not stored as given: hashed as a password")
		s.finding(Error, "password", s.last().Line, "the %s password looks like a bcrypt hash but fails the installer's test (\\$2?\\$NN\\$..., more than 40 characters as the installer compares them): encrypt(1) hashes it, and the password becomes the hash text itself", who)
	case strings.Trim(pw, "*") == "":
		s.note("hashed: the password is %q", pw)
		s.finding(Warning, "password", s.last().Line, "the %s password %q is not the 13 asterisks that disable password logins: the installer hashes it, so %q becomes the password", who, pw, pw)
	default:
		s.note("plaintext: hashed by the installer")
		s.finding(Info, "password", s.last().Line, "the %s password is plaintext in the file; the installer hashes it (a bcrypt hash from encrypt(1) or 'fugu passwd' keeps it out of the file)", who)
	}
}

func bcryptLike(p string) bool {
	return len(p) == 60 && strings.HasPrefix(p, "$2") && p[3] == '$' && isDigit(p[4]) && isDigit(p[5]) && p[6] == '$'
}

func (s *sim) sshKey(k string) {
	if k == "none" || sshKeyRE.MatchString(k) {
		return
	}
	s.note("not a public key line; written to authorized_keys as is")
	s.finding(Warning, "ssh-key", s.last().Line, "%q is not a public key (type and base64 key): sshd will ignore the authorized_keys line", k)
}

// consoleDev is md_consoleinfo: the console's com port, else the first.
func (s *sim) consoleDev() string {
	ports := append([]string{}, s.sc.ComPorts...)
	sort.Strings(ports)
	if len(ports) == 0 {
		return ""
	}
	return ports[0]
}

// questions follows questions().
func (s *sim) questions() error {
	sshd, err := s.askYN(s.q(QSSHD, "yes"))
	if err != nil {
		return err
	}
	s.sshdOn = sshd
	xAnsweredNo := false
	if s.sc.Display {
		if s.sc.ApertureNeeded {
			x, err := s.askYN(s.q(QX11, "yes"))
			if err != nil {
				return err
			}
			xAnsweredNo = !x
		}
		if s.b.Xenodm && !xAnsweredNo {
			if _, err := s.askYN(s.q(QXenodm, "no")); err != nil {
				return err
			}
		}
	}
	if cdev := s.consoleDev(); cdev != "" {
		def := "no"
		if s.sc.SerialConsole {
			def = "yes"
		}
		yes, err := s.askYN(s.q(QConsole, def, "cons", cdev))
		if err != nil {
			return err
		}
		if yes {
			speed := ""
			if s.sc.SerialConsole && s.sc.ConsoleSpeed > 0 {
				speed = strconv.Itoa(s.sc.ConsoleSpeed)
			}
			a := s.q(QSpeed, speed, "cons", cdev)
			if _, err := s.askWhich(a, []string{"9600", "19200", "38400", "57600", "115200"}); err != nil {
				return err
			}
		}
	}
	return nil
}

// reservedLogins are the names user_setup refuses.
var reservedLogins = []string{"root", "daemon", "operator", "bin", "build", "sshd", "www", "nobody", "ftp"}

// userSetup follows user_setup.
func (s *sim) userSetup() error {
	id := QUser
	login := ""
	for login == "" {
		v, err := s.ask(s.q(id, "no"))
		if err != nil {
			return err
		}
		switch {
		case v == "n" || v == "no":
			return nil
		case v == "y" || v == "yes":
			id = QUserAgain
			s.note("asks for the login name again")
			continue
		case slices.Contains(reservedLogins, v):
			if err := s.reject(false, "a reserved login name"); err != nil {
				return err
			}
		case s.b.loginRE().MatchString(v) && len(v) <= 31:
			login = v
		default:
			if err := s.reject(false, "not a usable login name (lower-case letter, then letters, digits, '_'%s; at most 31)", map[bool]string{true: ", '-'", false: ""}[s.b.loginRE() == loginRE79]); err != nil {
				return err
			}
		}
	}
	s.user = login
	for {
		v, err := s.ask(s.q(QFullName, login, "user", login))
		if err != nil {
			return err
		}
		if !strings.ContainsAny(v, ":&,") && len(v) <= 100 {
			break
		}
		if err := s.reject(false, "':', '&' or ',' or more than 100 characters"); err != nil {
			return err
		}
	}
	pw, err := s.ask(s.q(QUserPassword, "", "user", login))
	if err != nil {
		return err
	}
	s.password(pw, "user "+login)
	k, err := s.ask(s.q(QUserKey, "none", "user", login))
	if err != nil {
		return err
	}
	s.sshKey(k)
	return nil
}

// rootSSH follows ask_root_sshd.
func (s *sim) rootSSH() error {
	if !s.sshdOn {
		return nil
	}
	v, err := s.ask(s.q(QRootSSH, "no"))
	if err != nil {
		return err
	}
	switch lowerASCII(v) {
	case "y", "yes", "n", "no", "w", "p", "without-password", "prohibit-password":
		return nil
	}
	return s.reject(true, "not yes, no or prohibit-password")
}

func (s *sim) earlyTimezone() error {
	if s.sc.TimezoneHint == "" || !zoneSet[s.sc.TimezoneHint] {
		return nil
	}
	if err := s.setTimezone(s.sc.TimezoneHint); err != nil {
		return err
	}
	answered := slices.ContainsFunc(s.steps, func(st Step) bool { return st.ID == QTimezone && st.How == HowAnswered })
	if st := s.last(); st.How == HowDefault && st.ID == QTimezone && !answered {
		s.finding(Warning, "timezone-guess", 0, "no line answers %q: the installer takes ftplist.cgi's guess for the network the machine is on (%s here); without internet access there is no guess and the install stops after the sets", st.Question, st.Default)
	}
	return nil
}

func (s *sim) lateTimezone() error {
	if s.tz != "" {
		return nil
	}
	return s.setTimezone("")
}

// setTimezone follows set_timezone.
func (s *sim) setTimezone(def string) error {
	for {
		v, err := s.ask(s.q(QTimezone, def))
		if err != nil {
			return err
		}
		zp := strings.TrimRight(v, "/")
		if zp == "" || zp == "?" {
			s.note("asked again")
			continue
		}
		for zoneDirs[zp] {
			sub, err := s.ask(s.q(QSubTimezone, "", "zone", zp))
			if err != nil {
				return err
			}
			sub = strings.TrimRight(sub, "/")
			if sub == "" || sub == "?" {
				continue
			}
			zp += "/" + sub
		}
		if zoneSet[zp] {
			s.tz = zp
			return nil
		}
		if err := s.reject(false, "%q is not a valid timezone on this system", zp); err != nil {
			return err
		}
	}
}

// rootinfo follows get_rootinfo.
func (s *sim) rootinfo() error {
	cands := s.sc.diskNames()
	if s.b.RootDiskSmallLast {
		var big, small []string
		for _, n := range cands {
			if d := s.sc.disk(n); d.Bytes > 0 && d.Bytes < 1<<30*95/100 {
				small = append(small, n)
			} else {
				big = append(big, n)
			}
		}
		cands = append(big, small...)
	}
	def := ""
	if len(cands) > 0 {
		def = cands[0]
	}
	v, err := s.ask(s.q(QRootDisk, def))
	if err != nil {
		return err
	}
	name := v
	if s.b.RootDiskNames {
		name = dkdevName(v)
	}
	if s.sc.disk(name) == nil {
		return s.reject(true, "no such disk (disks: %s)", strings.Join(s.sc.diskNames(), " "))
	}
	s.rootDisk = name
	if name == s.sc.Media {
		s.finding(Error, "root-is-media", s.last().Line, "the root disk %s is the install media: the install overwrites the stick it reads its sets from", name)
	}
	return nil
}

// dkdevName is get_dkdev_name's clean-up of a disk answer: no /dev/, no
// partition letter (for names shorter than a DUID).
func dkdevName(v string) string {
	d := strings.TrimPrefix(v, "/dev/")
	if n := len(d); n >= 2 && d[n-2] == '.' && d[n-1] >= 'a' && d[n-1] <= 'p' {
		d = d[:n-2]
	}
	if n := len(d); n < 16 && n > 0 && d[n-1] >= 'a' && d[n-1] <= 'p' {
		d = d[:n-1]
	}
	return d
}

// firstLower is the first letter of an answer in lower case, as the
// installer's case patterns ([kK]*, [wW]*) read it; 0 for an empty answer.
func firstLower(v string) byte {
	if v == "" {
		return 0
	}
	return v[0] | 0x20
}

// encryptRoot follows encrypt_root (1.1288; MDBOOTSR=y on amd64).
func (s *sim) encryptRoot() error {
	if !s.b.EncryptRoot || s.sc.Softraid {
		return nil
	}
	for {
		v, err := s.ask(s.q(QEncrypt, "no"))
		if err != nil {
			return err
		}
		c := firstLower(v)
		switch c {
		case 'k':
			var others []string
			for _, d := range s.sc.diskNames() {
				if d != s.rootDisk {
					others = append(others, d)
				}
			}
			kd, err := s.askWhich(s.q(QKeyDisk, ""), others)
			if err != nil {
				return err
			}
			if kd == "done" {
				continue
			}
			parts := s.sc.disk(kd).RAIDParts
			if len(parts) == 0 {
				s.note("%s must contain a RAID partition: asked again", kd)
				s.finding(Error, "rejected", s.last().Line, "key disk %s has no RAID partition: the installer asks the encryption question again", kd)
				continue
			}
			p, err := s.askWhich(s.q(QKeyDiskPart, "", "disk", kd), parts)
			if err != nil {
				return err
			}
			if p == "done" {
				continue
			}
		case 'p':
			if _, err := s.ask(s.q(QPassphrase, "")); err != nil {
				return err
			}
		case 'n':
			return nil
		default:
			if err := s.reject(false, "not p, k or no"); err != nil {
				return err
			}
			continue
		}
		break
	}
	// The chunk gets an fdisk table and a RAID partition; the new
	// volume, the next sd unit, becomes the root disk.
	if err := s.prepFdisk(s.rootDisk); err != nil {
		return err
	}
	n := 0
	for _, d := range s.sc.Disks {
		if strings.HasPrefix(d.Name, "sd") {
			n++
		}
	}
	vol := fmt.Sprintf("sd%d", n)
	s.sc.Disks = append(s.sc.Disks, Disk{Name: vol, Bytes: s.sc.disk(s.rootDisk).Bytes})
	s.disksDone = append(s.disksDone, s.rootDisk) // a softraid chunk from now on
	s.rootDisk = vol
	return nil
}

// disks follows the disk loop of do_install.
func (s *sim) disks() error {
	for {
		d := s.rootDisk
		if slices.Contains(s.disksDone, s.rootDisk) {
			var list []string
			for _, n := range s.sc.diskNames() {
				if slices.Contains(s.disksDone, n) {
					continue
				}
				if s.b.ExcludeSoftraidChunks && s.sc.disk(n).SoftraidChunk {
					continue
				}
				list = append(list, n)
			}
			v, err := s.askWhich(s.q(QInitDisk, "done"), list)
			if err != nil {
				return err
			}
			if v == "done" {
				return nil
			}
			d = v
			line := s.last().Line
			if d == s.sc.Media {
				s.finding(Error, "initialize-media", line, "%s is the install media: initializing it destroys the sets the install reads next", d)
			}
			if err := s.prepFdisk(d); err != nil {
				return err
			}
			// disklabel_autolayout only lays out the root disk; any other
			// goes to the editor (disklabel -E), which reads /dev/null in
			// an autoinstall and takes end of input as 'q' (editor.c
			// editor(): fgets NULL -> "q"): no label change, no file
			// systems, and the install goes on without the disk.
			s.finding(Error, "interactive", line, "%q for %q: the installer rewrites %s's partition table (md_prep_fdisk) and opens the interactive disklabel editor (disklabel -E; disklabel_autolayout only lays out the root disk), which quits at end of input without a label: whatever %s held is gone and it gets no file systems. Answer done; fugu's install.site prepares a second disk", v, s.cat.Text(QInitDisk), d, d)
			s.disksDone = append(s.disksDone, d)
			continue
		}
		if err := s.prepFdisk(d); err != nil {
			return err
		}
		if err := s.autolayout(); err != nil {
			return err
		}
		s.disksDone = append(s.disksDone, d)
	}
}

// prepFdisk follows install.md md_prep_fdisk.
func (s *sim) prepFdisk(disk string) error {
	d := s.sc.disk(disk)
	for {
		def, obsd := "whole", ""
		if s.sc.PreferGPT {
			def = "gpt"
		}
		if d != nil && d.OpenBSDArea {
			obsd, def = ", (O)penBSD area", "OpenBSD"
		}
		v, err := s.ask(s.q(QFdisk, def, "obsd", obsd))
		if err != nil {
			return err
		}
		c := firstLower(v)
		switch c {
		case 'w':
			return nil
		case 'g':
			if !s.sc.PreferGPT {
				ok, err := s.askYN(s.q(QGPTProceed, "no"))
				if err != nil {
					return err
				}
				if !ok {
					s.note("asks the partition table question again")
					how := "answered no"
					if s.last().How == HowDefault {
						how = "not answered (default no)"
					}
					s.finding(Error, "gpt-not-confirmed", s.lineOf(QFdisk), "GPT chosen for %s but %q is %s: the installer asks the partition table question again, where the next matching line or the default (%s) decides", disk, s.last().Question, how, def)
					continue
				}
			}
			return nil
		case 'e':
			return s.stop("interactive", s.last().Line, "%q for %q starts the interactive fdisk editor (fdisk -e %s) with /dev/null as input: an unattended install cannot edit the table", v, s.last().Question, disk)
		case 'o':
			if def != "OpenBSD" {
				s.note("no OpenBSD area on %s: asked again", disk)
				s.finding(Error, "rejected", s.last().Line, "%q for %q: %s has no OpenBSD partition to keep; the installer asks again and takes the next matching line or the default", v, s.last().Question, disk)
				continue
			}
			if disk == s.rootDisk && d.GPT && !d.EFISys {
				return s.stop("rejected", s.last().Line, "keeping the OpenBSD area of %s: its GPT has no EFI Sys partition and install.md exits", disk)
			}
			return nil
		}
		if err := s.reject(false, "not W, G, E or O"); err != nil {
			return err
		}
	}
}

// autolayout follows disklabel_autolayout for the root disk.
func (s *sim) autolayout() error {
	v, err := s.ask(s.q(QTemplate, "none"))
	if err != nil {
		return err
	}
	if v != "none" {
		switch {
		case placeholderRE.MatchString(v):
			return s.stop("rejected", s.last().Line, "template URL %q still holds a template placeholder: ftp fails and the install stops (\"No autopartitioning template found.\")", v)
		case !fetchable(v):
			return s.stop("rejected", s.last().Line, "template URL %q is not a URL ftp(1) fetches (http://, https://, ftp://, file:): \"No autopartitioning template found.\" and the install stops", v)
		}
		s.note("the template is fetched and applied with disklabel -T; check it with fugu lint TEMPLATE-FILE")
		return nil
	}
	for {
		v, err := s.ask(s.q(QLayout, "a"))
		if err != nil {
			return err
		}
		c := firstLower(v)
		switch c {
		case 'a':
			return nil
		case 'e', 'c':
			return s.stop("interactive", s.last().Line, "%q for %q starts the interactive disklabel editor, which reads /dev/null in an autoinstall and quits at end of input without a label (editor.c editor()): the installer then stops with \"'/' must be configured!\" (configure_disk)", v, s.last().Question)
		}
		if err := s.reject(false, "not A, E or C"); err != nil {
			return err
		}
	}
}

func fetchable(u string) bool {
	for _, p := range []string{"http://", "https://", "ftp://", "file:"} {
		if strings.HasPrefix(u, p) && len(u) > len(p) {
			return true
		}
	}
	return false
}

// installSets follows install_sets.
func (s *sim) installSets() error {
	cds := s.sc.CDs
	locs := []string{"disk"}
	if !s.b.HTTPNeedsInterface || len(s.physIfaces()) > 0 {
		locs = append(locs, "http")
	}
	d := ""
	for _, rule := range s.b.LocationDefaults {
		if d != "" {
			break
		}
		switch rule {
		case "netboot":
			if s.sc.Netboot != "" {
				d = "http"
			}
		case "ifs":
			if len(s.physIfaces()) > 0 {
				d = "http"
			}
		case "cd":
			if len(cds) > 0 {
				d = "cd0"
			}
		default:
			d = rule
		}
	}
	all := append(append([]string{}, cds...), locs...)
	if !slices.Contains(all, d) {
		for _, src := range append(append([]string{"http"}, cds...), "nfs", "disk") {
			if slices.Contains(all, src) {
				d = src
				break
			}
		}
	}
	prompt := strings.Join(all, " ")
	for {
		v, err := s.ask(s.q(QLocation, d, "locs", prompt))
		if err != nil {
			return err
		}
		method := ""
		switch {
		case v == "":
			return s.reject(true, "not a set location")
		case v == "done":
			ok, err := s.saneInstall(false)
			if err != nil {
				return err
			}
			if ok {
				return nil
			}
		case v[0] == 'c' || v[0] == 'C':
			if len(cds) == 0 {
				s.note("no CD drive: nothing happens")
				s.finding(Error, "rejected", s.last().Line, "%q: this machine has no CD drive; the installer does nothing and asks again (default done)", v)
				break
			}
			dev := v
			if len(v) <= 2 && (len(v) == 1 || v[1] == 'd' || v[1] == 'D') {
				dev = cds[0]
			}
			ok, err := s.installCD(dev)
			if err != nil {
				return err
			}
			if ok {
				method = dev
			}
		case v[0] == 'd' || v[0] == 'D':
			ok, err := s.installDisk()
			if err != nil {
				return err
			}
			if ok {
				method = "disk"
			}
		case v[0] == 'h' || v[0] == 'H':
			if !slices.Contains(locs, "http") {
				s.note("http is not offered without a network interface: nothing happens")
				s.finding(Error, "rejected", s.last().Line, "%q: http is not offered on a machine without network interfaces; the installer does nothing", v)
				break
			}
			ok, err := s.installHTTP()
			if err != nil {
				return err
			}
			if ok {
				method = "http"
			}
		case v[0] == 'n' || v[0] == 'N':
			s.note("nfs is not offered by the amd64 ramdisk: nothing happens")
			s.finding(Error, "rejected", s.last().Line, "%q: the amd64 ramdisk has no mount_nfs, so nfs is not a set location; the installer does nothing", v)
		default:
			return s.reject(true, "not a set location")
		}
		if method != "" {
			s.method = method
		}
		// "sane_install quiet || $AI && _d=done": always done in
		// autoinstall.
		d = "done"
	}
}

// saneInstall follows sane_install.
func (s *sim) saneInstall(quiet bool) (bool, error) {
	for _, set := range s.saneSets {
		if !slices.Contains(s.defaultSets, set) {
			continue
		}
		if quiet {
			return false, nil
		}
		ok, err := s.askYN(s.q(QSure, "no", "mode", "install", "set", set))
		if err != nil {
			return false, err
		}
		if !ok {
			return false, s.stop("not-sane", s.last().Line, "the install would end without %s: the installer stops", set)
		}
	}
	return true, nil
}

// installCD follows install_cdrom: the CD holds the media sets when there
// is no install disk (an installXX.iso); its ISO9660 file system is on c.
func (s *sim) installCD(dev string) (bool, error) {
	if !slices.Contains(s.sc.CDs, dev) {
		s.note("%s does not exist: nothing happens", dev)
		s.finding(Error, "rejected", s.last().Line, "%q is not a CD drive of this machine (%s): the installer does nothing", dev, strings.Join(s.sc.CDs, " "))
		return false, nil
	}
	var dir *SetDir
	if s.sc.Media == "" && dev == s.sc.CDs[0] {
		dir = s.sc.MediaSets
	}
	return s.installMountedFS(dir, dev)
}

// installDisk follows install_disk and mount_mnt2.
func (s *sim) installDisk() (bool, error) {
	mounted, err := s.askYN(s.q(QMounted, "no"))
	if err != nil {
		return false, err
	}
	if mounted {
		s.note("nothing is mounted on /mnt2 during an install")
		return s.installMountedFS(nil, "")
	}
	list := s.sc.diskNames()
	def := ""
	for _, n := range list {
		if s.b.MediaDiskDefaultUninitialized {
			if !slices.Contains(s.disksDone, n) && !s.sc.disk(n).SoftraidChunk {
				def = n
				break
			}
		} else if n != s.rootDisk {
			def = n
			break
		}
	}
	a := s.q(QMediaDisk, def, "mode", "install")
	dev, err := s.askWhich(a, list)
	if err != nil {
		return false, err
	}
	if dev == "done" {
		return false, nil
	}
	if dev != s.sc.Media {
		what := "is not the install media on this machine"
		if slices.Contains(s.disksDone, dev) || dev == s.rootDisk {
			what = "is the disk just initialized for the new system, not the install media"
		}
		return false, s.stop("rejected", s.last().Line, "%q for %q: %s %s (the media is %s); no sets are found there and the install stops", dev, s.last().Question, dev, what, orNone(s.sc.Media))
	}
	parts := s.sc.MediaPartitions
	part := ""
	switch {
	case slices.Contains(parts, "c"):
		part = "c"
	case len(parts) == 1:
		part = parts[0]
	case len(parts) == 0:
		s.note("no file systems on %s", dev)
		return false, nil
	default:
		p, err := s.askWhich(s.q(QMediaPart, "", "disk", dev, "mode", "install"), parts)
		if err != nil {
			return false, err
		}
		if p == "done" {
			return false, nil
		}
		part = p
	}
	var dir *SetDir
	if part == parts[0] || part == "c" {
		dir = s.sc.MediaSets
	} else {
		s.note("partition %s of the install media holds the EFI boot files, not the sets", part)
	}
	return s.installMountedFS(dir, dev)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// installMountedFS follows install_mounted_fs.
func (s *sim) installMountedFS(dir *SetDir, dev string) (bool, error) {
	setdir := s.sc.Release + "/" + s.sc.Arch
	v, err := s.ask(s.q(QSetsPath, setdir))
	if err != nil {
		return false, err
	}
	if v == "done" {
		return false, nil
	}
	p := normPath(v)
	if dir == nil {
		return false, s.stop("rejected", s.last().Line, "%q for %q: nothing with sets is mounted (during an install no partition is \"already mounted\"): the installer finds no sets there and the install stops", v, s.last().Question)
	}
	if p != normPath(dir.Path) && strings.TrimPrefix(p, "mnt2/") != normPath(dir.Path) {
		return false, s.stop("rejected", s.last().Line, "%q for %q: %s keeps its sets in %s, not in %q: the installer finds none there and the install stops", v, s.last().Question, orNone(dev), dir.Path, v)
	}
	return true, s.installFiles(dir, true)
}

// versionDirRE finds the release in a mirror directory ("pub/OpenBSD/7.5/amd64").
var versionDirRE = regexp.MustCompile(`(?:^|/)([0-9]+\.[0-9])/[a-z0-9]+$`)

func normPath(p string) string {
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	return strings.Trim(p, "/")
}

// installHTTP follows install_http.
func (s *sim) installHTTP() (bool, error) {
	proxy, err := s.ask(s.q(QProxy, "none"))
	if err != nil {
		return false, err
	}
	if proxy != "none" && !strings.HasPrefix(proxy, "http://") && !strings.HasPrefix(proxy, "https://") {
		s.finding(Warning, "rejected", s.last().Line, "HTTP proxy %q is not a URL: ftp(1) gets http_proxy=%s and every download fails", proxy, proxy)
	}
	choices := "hostname or 'done'"
	def := ""
	if s.sc.MirrorList {
		choices = "hostname, list#, 'done' or '?'"
		def = s.sc.MirrorDefault
	}
	server := ""
	for server == "" {
		v, err := s.ask(s.q(QServer, def, "choices", choices))
		if err != nil {
			return false, err
		}
		switch {
		case v == "done":
			return false, nil
		case v == "?":
			s.note("shows the mirror list and asks again")
		case isNumber(v):
			if s.sc.MirrorList {
				// The scenario's first mirror is line 1; others are made up.
				def = s.sc.MirrorDefault
				if v != "1" || def == "" {
					def = "mirror" + v + ".example.org"
				}
				s.note("picks line %s of the mirror list (%s) and asks again with it as the default", v, def)
			} else {
				s.note("no mirror list: asked again")
			}
		case s.b.serverRE().MatchString(v):
			if placeholderRE.MatchString(v) {
				return false, s.stop("placeholder", s.last().Line, "HTTP server %q is an unfilled template placeholder: fetching SHA256.sig from it fails and the install stops", v)
			}
			server = v
		default:
			if err := s.reject(false, "not a valid hostname"); err != nil {
				return false, err
			}
		}
	}
	dirDef := "pub/OpenBSD/" + s.sc.Release + "/" + s.sc.Arch
	dir, err := s.ask(s.q(QServerDir, dirDef))
	if err != nil {
		return false, err
	}
	if placeholderRE.MatchString(dir) {
		return false, s.stop("placeholder", s.last().Line, "server directory %q holds an unfilled template placeholder: nothing is found there and the install stops", dir)
	}
	host := server
	if i := strings.Index(host, "://"); i >= 0 {
		host = host[i+3:]
	}
	sets := s.sc.server(host)
	if sets == nil {
		return false, s.stop("unreachable", s.last().Line, "no HTTP server is reachable on this machine (scenario): SHA256.sig cannot be fetched from %s and the install stops", server)
	}
	tls := "try"
	switch {
	case strings.HasPrefix(server, "https://"):
		tls = "force"
	case strings.HasPrefix(server, "http://"):
		tls = "no"
	}
	if s.sc.HTTPSFails {
		switch {
		case tls == "force":
			return false, s.stop("unreachable", s.last().Line, "https to %s fails (scenario) and the server was given as https://: the install stops", server)
		case tls == "try" && s.b.HTTPSFallbackAsks:
			ok, err := s.askYN(s.q(QHTTPFallback, "no"))
			if err != nil {
				return false, err
			}
			if !ok {
				return false, nil
			}
		}
	}
	if m := versionDirRE.FindStringSubmatch(normPath(dir)); m != nil && m[1] != s.sc.Release {
		return false, s.stop("other-release", s.last().Line, "server directory %q holds the %s sets, and the %s installer looks for base%s.tgz and the other %s sets: it finds none (\"found no OpenBSD sets\") and the install stops", dir, m[1], s.sc.Release, strings.ReplaceAll(s.sc.Release, ".", ""), s.sc.Release)
	}
	return true, s.installFiles(sets, false)
}

// installFiles follows install_files and select_sets.
func (s *sim) installFiles(dir *SetDir, local bool) error {
	site := s.allSets[len(s.allSets)-1]
	var avail, pre []string
	for _, f := range s.allSets {
		if !dir.has(f) || slices.Contains(avail, f) {
			continue
		}
		avail = append(avail, f)
		if slices.Contains(s.defaultSets, f) || f == site {
			pre = append(pre, f)
		}
	}
	if len(avail) == 0 {
		return s.stop("no-sets", s.last().Line, "no %s sets in %s: the install stops", s.sc.Release, dir.Path)
	}
	if !dir.has("INSTALL." + s.sc.Arch) {
		a := s.q(QInstallDoc, "no", "arch", s.sc.Arch)
		a.avail = avail
		ok, err := s.askYN(a)
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
	}
	sel, err := s.selectSets(avail, pre, map[bool]string{true: "disk", false: "http"}[local])
	if err != nil || len(sel) == 0 {
		return err
	}
	var unver []string
	issue := ""
	switch {
	case !dir.has("SHA256.sig"):
		issue = "Directory does not contain SHA256.sig"
		unver = sel
	case !dir.Signed:
		issue = "Signature check of SHA256.sig failed"
		unver = sel
	default:
		for _, f := range sel {
			if dir.verified(f) {
				continue
			}
			unver = append(unver, f)
			ok, err := s.askYN(s.setQ(QChecksum, "no", f))
			if err != nil {
				return err
			}
			if !ok {
				return s.stop("not-verified", s.last().Line, "%s fails its checksum test and the answer is no: the install stops", f)
			}
		}
		if len(unver) > 0 {
			issue = "Unverified sets: " + strings.Join(unver, " ")
		}
	}
	if issue != "" {
		a := s.q(QUnverified, "no", "reason", issue)
		a.set = strings.Join(unver, " ")
		ok, err := s.askYN(a)
		if err != nil {
			return err
		}
		if !ok {
			return s.stop("not-verified", s.last().Line, "%s and the answer is no: the install stops", issue)
		}
	}
	for _, f := range sel {
		s.installed = append(s.installed, f)
		s.defaultSets = slices.DeleteFunc(s.defaultSets, func(x string) bool { return x == f })
	}
	return nil
}

func (s *sim) setQ(id QID, def, set string) asking {
	a := s.q(id, def, "set", set)
	a.set = set
	return a
}

// selectSets follows select_sets.
func (s *sim) selectSets(avail, pre []string, location string) ([]string, error) {
	sel := append([]string{}, pre...)
	for {
		a := s.q(QSets, "done")
		a.avail, a.pre, a.location = avail, sel, location
		v, err := s.ask(a)
		if err != nil {
			return nil, err
		}
		for _, tok := range strings.Fields(v) {
			switch tok {
			case "abort":
				s.note("aborts: nothing is installed from this location")
				return nil, nil
			case "done":
				return s.ordered(sel), nil
			}
			remove := tok[0] == '-'
			pat := tok
			if tok[0] == '-' || tok[0] == '+' {
				pat = tok[1:]
			}
			if pat == "all" {
				pat = "*"
			}
			matched := false
			for _, f := range avail {
				if !kshMatch(pat, f) {
					continue
				}
				matched = true
				if remove {
					sel = slices.DeleteFunc(sel, func(x string) bool { return x == f })
				} else if !slices.Contains(sel, f) {
					sel = append(sel, f)
				}
			}
			if !matched {
				s.note("%q matches no set here", tok)
				s.finding(Warning, "set-pattern", s.last().Line, "%q matches none of the sets offered here (%s)", tok, strings.Join(avail, " "))
			}
		}
		s.note("selected: %s", strings.Join(s.ordered(sel), " "))
	}
}

// ordered puts sets in ALLSETS order, as install_files installs them.
func (s *sim) ordered(sel []string) []string {
	var out []string
	for _, f := range s.allSets {
		if slices.Contains(sel, f) {
			out = append(out, f)
		}
	}
	return out
}
