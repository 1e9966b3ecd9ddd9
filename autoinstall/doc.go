// Package autoinstall knows the OpenBSD installer's questions and how it
// answers them from a response file (autoinstall(8)): a question catalogue
// per release, an exact copy of the matching rule of install.sub's
// _autorespond (Match, ParseResponse), a simulator that replays the install
// dialogue of a given machine against a response file (Simulate, Lint), and
// the rendering of install.conf from a plan (Render).
//
// The simulator follows do_install in install.sub: the control flow is the
// same code for every release, while question texts, defaults and the
// behaviours that changed between releases come from the catalogue
// (catalogue.go, catalogue_data.go). The machine the installer runs on is a
// Scenario: its disks, interfaces, console, display and where the sets come
// from; ScenarioFromPlan builds it from a plan, ScenarioForFile from the
// names a response file uses, NewScenario is a generic amd64 machine.
//
// Render answers every question the installer will ask on the plan's
// machine, in order, with keys that match their own question and no
// earlier one, then replays its own output and refuses answers that would
// leave a question to its default or a line unread. Sets from the install
// media come with the site set in the same directory; sets from a mirror
// are followed by a second http pass to fugu serve for the site set
// (RenderOptions.ServeURL).
//
// Deliberate limits:
//   - Install only: the upgrade dialogue (auto_upgrade.conf) is not modelled.
//   - amd64 only: the machine-dependent questions (fdisk, console, X, disk
//     encryption) are those of distrib/amd64/common/install.md.
//   - Two catalogues: 6.1 (install.sub 1.1013, 2017-05-31) and 7.9
//     (install.sub 1.1288, 2026-08-10). Releases in between map to the
//     nearer one (ReleaseCatalogues says which, and that it is approximate).
//   - What happens outside the dialogue is assumed, not simulated: DHCP
//     leases arrive, downloads succeed, a template URL serves a template
//     disklabel accepts, an ESSID chosen by scan-list number exists. The
//     Scenario states these assumptions.
//   - Interactive escapes ('!' at a prompt) and the questions asked before
//     the response file is read (which interface to DHCP on, "Response file
//     location?") are outside the file and not simulated.
//   - Set patterns in "Set name(s)?" are matched with '*', '?' and bracket
//     expressions; ksh's extended patterns (@(..), +(..)) are taken
//     literally.
package autoinstall
