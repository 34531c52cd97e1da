package loader

import (
	"bytes"
	"testing"
)

func TestMapFullReport(t *testing.T) {
	d := []Dropped{
		{Bounded: Bounded{Map: "hists", What: "waits", Hint: "raise --max-keys"}, Keys: 2, N: 12},
		{Bounded: Bounded{Map: "start", What: "wakeups"}, Keys: 10240},
		{Bounded: Bounded{Map: "requests", What: "I/O requests"}, Keys: 16384, N: 1},
	}
	var b bytes.Buffer
	Report(&b, "tool", d)
	want := "tool: 12 waits not counted: the hists map of 2 keys was full (raise --max-keys)\n" +
		"tool: 1 I/O requests not counted: the requests map of 16384 keys was full\n"
	if b.String() != want {
		t.Errorf("Report:\n%s\nwant:\n%s", b.String(), want)
	}
	if got := string(AppendJSON(nil, d)); got != `{"hists":12,"start":0,"requests":1}` {
		t.Errorf("AppendJSON: %s", got)
	}
	if got := string(AppendJSON(nil, nil)); got != `{}` {
		t.Errorf("AppendJSON(nil): %s", got)
	}
	if Total(d) != 13 {
		t.Errorf("Total %d", Total(d))
	}
}
