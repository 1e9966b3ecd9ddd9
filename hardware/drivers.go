package hardware

// IsNetDriver reports whether OpenBSD has a network interface driver of this
// name ("em", "iwm"), so a profile can reject "eth0".
func IsNetDriver(driver string) bool {
	_, ok := nicDrivers[driver]
	return ok
}

// IsWireless reports whether a network driver is an IEEE 802.11 (or mobile
// broadband) one.
func IsWireless(driver string) bool { return nicDrivers[driver] }
