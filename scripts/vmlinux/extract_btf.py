#!/usr/bin/env python3
"""Extract the raw .BTF blob from a Linux kernel image (e.g. an arm64 Image).

Usage: extract_btf.py KERNEL_IMAGE OUT.btf

The input may be:
  * a raw (uncompressed) kernel Image,
  * a gzip-compressed Image (Debian's vmlinuz on some releases),
  * an EFI zboot image (PE "MZ" stub + "zimg" header) whose payload is gzip.

A raw Image carries the contents of the kernel's .BTF section verbatim.  We
scan for the BTF header (struct btf_header from include/uapi/linux/btf.h):

    u16 magic   = 0xEB9F  (little-endian bytes 9f eb)
    u8  version = 1
    u8  flags   = 0
    u32 hdr_len = 24
    u32 type_off, type_len, str_off, str_len

and validate each candidate: sections lie inside the file, the type and
string sections don't overlap, the string section begins with a NUL byte
(offset 0 is always the empty string) and ends with one.  The blob written out
is hdr_len + max(type_off + type_len, str_off + str_len) bytes.  If several
candidates validate, the largest (the vmlinux BTF) is taken.

Only the Python 3 standard library is used.
"""
import gzip
import struct
import sys
import zlib

BTF_MAGIC = b"\x9f\xeb\x01\x00"  # magic 0xEB9F LE, version 1, flags 0
HDR = struct.Struct("<HBBIIIII")
GZIP_MAGIC = b"\x1f\x8b\x08"


def candidates(data):
    """Yield (offset, size) of every BTF header in data that validates."""
    pos = data.find(BTF_MAGIC)
    while pos != -1:
        ok, size, why = check(data, pos)
        if ok:
            yield pos, size
        else:
            print(f"  skip BTF magic at 0x{pos:x}: {why}", file=sys.stderr)
        pos = data.find(BTF_MAGIC, pos + 1)


def check(data, pos):
    if pos + HDR.size > len(data):
        return False, 0, "truncated header"
    magic, ver, flags, hdr_len, type_off, type_len, str_off, str_len = \
        HDR.unpack_from(data, pos)
    if magic != 0xEB9F or ver != 1 or flags != 0:
        return False, 0, "bad magic/version/flags"
    if hdr_len != 24:
        return False, 0, f"hdr_len {hdr_len} != 24"
    if type_len == 0 or str_len == 0:
        return False, 0, "empty type or string section"
    if type_off % 4 or type_len % 4:
        return False, 0, "type section not 4-byte aligned"
    t_end, s_end = type_off + type_len, str_off + str_len
    if not (t_end <= str_off or s_end <= type_off):
        return False, 0, "type and string sections overlap"
    size = hdr_len + max(t_end, s_end)
    if pos + size > len(data):
        return False, 0, f"blob of {size} bytes runs past end of file"
    base = pos + hdr_len
    if data[base + str_off] != 0:
        return False, 0, "string section does not begin with NUL"
    if data[base + s_end - 1] != 0:
        return False, 0, "string section does not end with NUL"
    return True, size, ""


def gunzip_at(data, off):
    """Decompress one gzip member starting at data[off:]; None on failure."""
    try:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return d.decompress(data[off:])
    except zlib.error:
        return None


def images(data):
    """Yield (description, bytes) views of data that may hold raw BTF."""
    yield "input as-is", data
    if data[:2] == b"\x1f\x8b":
        yield "gzip-decompressed input", gzip.decompress(data)
        return
    # EFI zboot (arm64 CONFIG_EFI_ZBOOT): "MZ", then "zimg" at offset 4,
    # u32 payload offset at 8, u32 payload size at 12, compression name at 24.
    if data[:2] == b"MZ" and data[4:8] == b"zimg":
        off, size = struct.unpack_from("<II", data, 8)
        comp = data[24:32].rstrip(b"\0").decode("ascii", "replace")
        if comp != "gzip":
            sys.exit(f"EFI zboot payload is '{comp}', only gzip is handled")
        out = gunzip_at(data[: off + size], off)
        if out is not None:
            yield f"EFI zboot gzip payload at 0x{off:x}", out
            return
    # Fallback: any embedded gzip stream.
    pos = data.find(GZIP_MAGIC)
    while pos != -1:
        out = gunzip_at(data, pos)
        if out:
            yield f"embedded gzip stream at 0x{pos:x}", out
        pos = data.find(GZIP_MAGIC, pos + 1)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    src, dst = sys.argv[1], sys.argv[2]
    with open(src, "rb") as f:
        data = f.read()
    for desc, img in images(data):
        found = list(candidates(img))
        if not found:
            print(f"{desc}: no valid BTF header", file=sys.stderr)
            continue
        off, size = max(found, key=lambda c: c[1])
        if len(found) > 1:
            print(f"{desc}: {len(found)} valid BTF blobs, taking the largest",
                  file=sys.stderr)
        with open(dst, "wb") as f:
            f.write(img[off:off + size])
        print(f"{desc}: BTF at offset 0x{off:x}, {size} bytes -> {dst}",
              file=sys.stderr)
        return
    sys.exit(f"no valid BTF blob found in {src}")


if __name__ == "__main__":
    main()
