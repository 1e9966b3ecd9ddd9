package profiles

import (
	"errors"
	"strings"

	"golang.org/x/crypto/bcrypt"
)

// DefaultCost is the bcrypt cost fugu passwd uses: 2^10 rounds, what
// encrypt(1)'s automatic choice ("-b a") gives on a typical machine.
const DefaultCost = 10

// HashPassword returns the bcrypt hash of a password in the form OpenBSD's
// encrypt(1) writes it ("$2b$10$..."), which the installer stores as given.
func HashPassword(password []byte, cost int) (string, error) {
	if len(password) == 0 {
		return "", errors.New("empty password")
	}
	if len(password) > 72 {
		// bcrypt only reads 72 bytes; refuse rather than truncate silently.
		return "", errors.New("password longer than 72 bytes; bcrypt would ignore the rest")
	}
	h, err := bcrypt.GenerateFromPassword(password, cost)
	if err != nil {
		return "", err
	}
	// Go writes the $2a$ prefix. For passwords of at most 72 bytes $2a$
	// and $2b$ hash identically; OpenBSD writes $2b$ (since 5.5).
	return "$2b$" + strings.TrimPrefix(string(h), "$2a$"), nil
}

// CheckPassword reports whether password matches a hash made by
// HashPassword or encrypt(1).
func CheckPassword(hash string, password []byte) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), password) == nil
}
