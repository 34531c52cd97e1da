package applet

import (
	"context"
	"strings"
	"testing"
)

func TestValidateNumbers(t *testing.T) {
	a := &Applet{Name: "t", Flags: []Flag{
		{Short: "p", Long: "pid", Kind: Int, Meta: "PID"},
		{Short: "n", Long: "num", Kind: Int, Meta: "N"},
		{Short: "u", Long: "uid", Kind: Int, Meta: "UID"},
	}, Run: func(context.Context, *Invocation) error { return nil }}
	bad := map[string]string{
		"-n-1":                       "want a number from 0 to 2147483647",
		"-n2147483648":               "want a number from 0 to 2147483647",
		"-n99999999999999999":        "want a number from 0 to 2147483647",
		"-p0":                        "PIDs are 1 to",
		"-p4194305":                  "PIDs are 1 to",
		"-p2147483647":               "PIDs are 1 to",
		"-p-5":                       "want a number",
		"-u4294967295":               "want a number from 0 to 4294967294",
		"-n999999999999999999999999": "invalid value",
	}
	for arg, want := range bad {
		if _, err := a.parse([]string{arg[:2], arg[2:]}); !IsUsage(err) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err = %v, want a usage error with %q", arg, err, want)
		}
	}
	for _, args := range [][]string{{"-n", "0"}, {"-n", "2147483647"}, {"-p", "1"}, {"-u", "4294967294"}} {
		if _, err := a.parse(args); err != nil {
			t.Errorf("%v: %v", args, err)
		}
	}
}
