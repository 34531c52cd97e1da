package probes

import (
	"fmt"
	"strconv"
	"strings"
)

// Field is one field of a tracepoint's record, from its tracefs format file.
type Field struct {
	Type   string // "const char *", "int", "char[16]" for arrays
	Name   string
	Offset int
	Size   int
	Signed bool
	// ArrayLen is n for "char comm[16]"; 0 for scalars.
	ArrayLen int
	// Common fields (common_pid, ...) belong to every record.
	Common bool
}

// Decl is the field as C declares it: "const char * filename", "char comm[16]".
func (f Field) Decl() string {
	if f.ArrayLen > 0 {
		return fmt.Sprintf("%s %s[%d]", strings.TrimSuffix(f.Type, fmt.Sprintf("[%d]", f.ArrayLen)), f.Name, f.ArrayLen)
	}
	return f.Type + " " + f.Name
}

// ParseFormat reads a tracefs format file's field lines.
func ParseFormat(text string) ([]Field, error) {
	var fields []Field
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "field:") {
			continue
		}
		f, err := parseFieldLine(line)
		if err != nil {
			return nil, err
		}
		fields = append(fields, f)
	}
	if len(fields) == 0 {
		return nil, fmt.Errorf("no fields in tracepoint format")
	}
	return fields, nil
}

// parseFieldLine reads "field:const char * filename;	offset:24;	size:8;	signed:0;".
func parseFieldLine(line string) (Field, error) {
	var f Field
	parts := strings.Split(line, ";")
	if len(parts) < 4 {
		return f, fmt.Errorf("malformed format line %q", line)
	}
	decl := strings.TrimSpace(strings.TrimPrefix(parts[0], "field:"))
	for _, p := range parts[1:] {
		k, v, ok := strings.Cut(strings.TrimSpace(p), ":")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			return f, fmt.Errorf("malformed %s in %q", k, line)
		}
		switch k {
		case "offset":
			f.Offset = n
		case "size":
			f.Size = n
		case "signed":
			f.Signed = n == 1
		}
	}
	// Array: "char comm[16]" or "__data_loc char[] name".
	if i := strings.LastIndexByte(decl, '['); i > 0 && strings.HasSuffix(decl, "]") {
		n, _ := strconv.Atoi(decl[i+1 : len(decl)-1])
		f.ArrayLen = n
		base := strings.TrimSpace(decl[:i])
		j := strings.LastIndexAny(base, " *")
		f.Name = base[j+1:]
		f.Type = strings.TrimSpace(base[:j+1]) + decl[i:]
	} else {
		j := strings.LastIndexAny(decl, " *")
		if j < 0 {
			return f, fmt.Errorf("malformed field declaration %q", decl)
		}
		f.Name = decl[j+1:]
		f.Type = strings.TrimSpace(decl[:j+1])
	}
	f.Common = strings.HasPrefix(f.Name, "common_")
	return f, nil
}
