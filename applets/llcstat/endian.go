package llcstat

import "encoding/binary"

var nativeEndian = binary.NativeEndian
