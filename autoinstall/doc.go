// Package autoinstall knows the OpenBSD installer's questions and how it
// answers them from a response file (autoinstall(8)): a question catalogue
// per release, an exact copy of the matching rule of install.sub's
// _autorespond, a simulator that replays the install dialogue of a given
// machine against a response file, the rendering of install.conf from a
// plan, and the lint built on the simulator.
//
// The simulator follows do_install in install.sub: the control flow is the
// same code for every release, while question texts, defaults and the
// behaviours that changed between releases come from the catalogue
// (catalogue.go). The machine the installer runs on is a Scenario: its
// disks, interfaces, console, display and where the sets come from.
//
// Deliberate limits:
//   - Install only: the upgrade dialogue (auto_upgrade.conf) is not modelled.
//   - amd64 only: the machine-dependent questions (fdisk, console, X, disk
//     encryption) are those of distrib/amd64/common/install.md.
//   - Two catalogues: 6.1 (install.sub 1.1013, 2017-05-31) and 7.9
//     (install.sub 1.1288, 2026-08-10). Releases in between map to the
//     nearer one (ReleaseCatalogue says which, and that it is approximate).
//   - What happens outside the dialogue is assumed, not simulated: DHCP
//     leases arrive, downloads succeed, a template URL serves a template
//     disklabel accepts. The Scenario states these assumptions.
//   - Interactive escapes ('!' at a prompt) and the questions asked before
//     the response file is read (which interface to DHCP on, "Response file
//     location?") are outside the file and not simulated.
package autoinstall
