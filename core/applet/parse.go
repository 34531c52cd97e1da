package applet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"
)

// urfave/cli answers -h itself when its global HelpFlag is set; probebox
// prints its own bcc-style help instead.
func init() { cli.HelpFlag = nil }

// errHelp is returned by parse when -h/--help was given.
var errHelp = errors.New("help requested")

// parse turns args (without the program name) into an Invocation. It is the
// only code that touches urfave/cli.
func (a *Applet) parse(args []string) (*Invocation, error) {
	inv := &Invocation{Name: a.Name, values: map[string]string{}, set: map[string]bool{}, lists: map[string][]string{}}
	app := &cli.App{
		Name:                   a.Name,
		HideHelp:               true,
		HideVersion:            true,
		UseShortOptionHandling: true,
		Writer:                 io.Discard,
		ErrWriter:              io.Discard,
		ExitErrHandler:         func(*cli.Context, error) {},
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return Usagef("%s", cleanParseError(err))
		},
		Flags: append(a.cliFlags(), &cli.BoolFlag{Name: "help", Aliases: []string{"h"}}),
		Action: func(c *cli.Context) error {
			if c.Bool("help") {
				return errHelp
			}
			for _, f := range a.Flags {
				k := f.Key()
				inv.set[k] = c.IsSet(k)
				switch f.Kind {
				case Bool:
					inv.values[k] = strconv.FormatBool(c.Bool(k))
				case Int:
					inv.values[k] = strconv.Itoa(c.Int(k))
				case StringList:
					inv.lists[k] = c.StringSlice(k)
					inv.values[k] = strings.Join(inv.lists[k], ",")
				default:
					inv.values[k] = c.String(k)
				}
				if inv.set[k] {
					if err := validate(f, dashed(k), inv.values[k]); err != nil {
						return err
					}
				}
			}
			inv.Args = c.Args().Slice()
			return nil
		},
	}
	if err := app.RunContext(context.Background(), append([]string{a.Name}, args...)); err != nil {
		return nil, err
	}
	if len(inv.Args) > len(a.Args) && !(len(a.Args) > 0 && a.Args[len(a.Args)-1].Variadic) {
		return nil, Usagef("unexpected argument %q", inv.Args[len(a.Args)])
	}
	return inv, nil
}

func (a *Applet) cliFlags() []cli.Flag {
	var out []cli.Flag
	for _, f := range a.Flags {
		name, aliases := f.Long, []string{f.Short}
		if name == "" {
			name, aliases = f.Short, nil
		} else if f.Short == "" {
			aliases = nil
		}
		switch f.Kind {
		case Bool:
			out = append(out, &cli.BoolFlag{Name: name, Aliases: aliases})
		case Int:
			def, _ := strconv.Atoi(f.Default)
			out = append(out, &cli.IntFlag{Name: name, Aliases: aliases, Value: def})
		case StringList:
			out = append(out, &cli.StringSliceFlag{Name: name, Aliases: aliases})
		default:
			out = append(out, &cli.StringFlag{Name: name, Aliases: aliases, Value: f.Default})
		}
	}
	return out
}

// cleanParseError rewrites the standard flag package's wording into one
// short line that names the flag the way the user typed it.
func cleanParseError(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "flag provided but not defined: "); i >= 0 {
		name := strings.TrimLeft(msg[i+len("flag provided but not defined: "):], "-")
		return fmt.Sprintf("unknown option %s", dashed(name))
	}
	// invalid value "abc" for flag -u: parse error
	if strings.HasPrefix(msg, "invalid value ") {
		if i := strings.Index(msg, " for flag "); i >= 0 {
			val := msg[len("invalid value "):i]
			rest := msg[i+len(" for flag "):]
			name, _, _ := strings.Cut(rest, ":")
			return fmt.Sprintf("invalid value %s for option %s", val, dashed(strings.TrimLeft(name, "-")))
		}
	}
	if strings.HasPrefix(msg, "flag needs an argument: ") {
		name := strings.TrimLeft(strings.TrimPrefix(msg, "flag needs an argument: "), "-")
		return fmt.Sprintf("option %s needs a value", dashed(name))
	}
	return msg
}

func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
