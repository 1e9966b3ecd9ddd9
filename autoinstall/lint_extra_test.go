package autoinstall

import "testing"

// A line meant for a later question taken by an earlier one misdirects the
// install: the user's key lands in root's authorized_keys.
func TestStolenIsAnError(t *testing.T) {
	conf := "System hostname = puffy\n" +
		"Password for root account = $2b$10$ZAOEW54gJEPHrr1TRtSHou2eZlDsNCHbedi4Qb0uiIX2/Dp077v8a\n" +
		"Public ssh key = ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKjNlPxGv1e5EDU8nq5NYZsXPnFpCTVxIkxIZ5oxdKt+ puffy@oldlaptop\n" +
		"Setup a user = puffy\n" +
		"Password for user = $2b$10$5C5QbKRwQBV/KwgK5JNCFubOouUDPRO0wHcTq3FAIIKxdXgvurMUy\n" +
		"What timezone are you in = UTC\n"
	sc, err := NewScenario("7.9")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Lint("stolen.conf", []byte(conf), sc)
	if err != nil {
		t.Fatal(err)
	}
	var got []Finding
	for _, f := range rep.Findings {
		if f.Code == "stolen" {
			got = append(got, f)
		}
	}
	want := `"Public ssh key" also matches "Public ssh key for root account?", which the installer asked first and answered with this line; "Public ssh key for user puffy" then took its default "none"`
	if len(got) != 1 || got[0].Severity != Error || got[0].Line != 3 || got[0].Msg != want {
		t.Errorf("stolen findings: %+v", got)
	}
}
