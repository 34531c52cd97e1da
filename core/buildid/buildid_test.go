package buildid

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"os/exec"
	"strings"
	"testing"
)

// note is one ELF note, padded as the linker writes it.
func note(typ uint32, name string, desc []byte) []byte {
	var b bytes.Buffer
	n := append([]byte(name), 0)
	binary.Write(&b, binary.LittleEndian, [3]uint32{uint32(len(n)), uint32(len(desc)), typ})
	b.Write(n)
	b.Write(make([]byte, (4-len(n)%4)%4))
	b.Write(desc)
	b.Write(make([]byte, (4-len(desc)%4)%4))
	return b.Bytes()
}

func TestFindNote(t *testing.T) {
	id := []byte{0xde, 0xad, 0xbe, 0xef, 0x01}
	goNote := note(4, "Go", []byte("abc"))
	for _, c := range []struct {
		name string
		data []byte
		want []byte
	}{
		{"alone", note(ntGNUBuildID, "GNU", id), id},
		{"after another note", append(goNote, note(ntGNUBuildID, "GNU", id)...), id},
		{"other owner", note(ntGNUBuildID, "XYZ", id), nil},
		{"other type", note(1, "GNU", id), nil},
		{"truncated", note(ntGNUBuildID, "GNU", id)[:20], nil},
		{"empty", nil, nil},
	} {
		if got := findNote(c.data, binary.LittleEndian, ntGNUBuildID, "GNU"); !bytes.Equal(got, c.want) {
			t.Errorf("%s: %x, want %x", c.name, got, c.want)
		}
	}
}

// TestOf compares with readelf's reading of a Debian binary's build-id.
func TestOf(t *testing.T) {
	const bin = "/usr/bin/true"
	out, err := exec.Command("readelf", "-n", bin).Output()
	if err != nil {
		t.Fatalf("readelf: %v", err)
	}
	_, after, ok := strings.Cut(string(out), "Build ID: ")
	if !ok {
		t.Fatalf("readelf -n %s shows no build-id:\n%s", bin, out)
	}
	want := strings.Fields(after)[0]
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := Of(f); got != want {
		t.Errorf("Of(%s) = %q, readelf says %q", bin, got, want)
	}
}
