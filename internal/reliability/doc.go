// Package reliability holds the cross-applet hardening tests (see
// docs/RELIABILITY.md). They build the real probebox binary, ask it for
// its applets (`probebox --list-names`) and run every one, so an applet
// added later is covered without editing these tests.
package reliability
