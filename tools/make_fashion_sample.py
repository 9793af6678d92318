#!/usr/bin/env python3
"""Build the small Fashion-MNIST sample that ships inside Tensorlet.Core.

Selection rule: walk each split in file order and keep an image while its
class has fewer than PER_CLASS kept images (600 per class from the training
set, 100 per class from the test set). Kept images stay in their original
relative order, so the sample is deterministic and class-balanced.

Output: gzip IDX files written with mtime 0, no stored file name and
compression level 9, so the same input and the same zlib produce the same
bytes. Standard library only.

Usage: python3 tools/make_fashion_sample.py [SOURCE_DIR] [OUTPUT_DIR]
"""
import gzip
import hashlib
import os
import struct
import sys

DEFAULT_SOURCE = "/usr/share/datasets/fashion-mnist"
DEFAULT_OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                              "Tensorlet.Core", "Data", "Samples", "FashionMnist")
CLASSES = 10
SPLITS = (("train", 600), ("t10k", 100))


def read_idx(path, expected_magic):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    magic, = struct.unpack_from(">I", data, 0)
    if magic != expected_magic:
        sys.exit(f"{path}: expected magic 0x{expected_magic:08X}, found 0x{magic:08X}")
    ndims = magic & 0xFF
    dims = struct.unpack_from(f">{ndims}I", data, 4)
    header = 4 + 4 * ndims
    size = 1
    for d in dims:
        size *= d
    if len(data) != header + size:
        sys.exit(f"{path}: expected {header + size} bytes, found {len(data)}")
    return dims, data[header:]


def find(directory, name):
    for candidate in (name + ".gz", name):
        path = os.path.join(directory, candidate)
        if os.path.exists(path):
            return path
    sys.exit(f"missing {name}(.gz) in {directory}")


def write_gzip(path, payload):
    with open(path, "wb") as raw:
        # filename="" keeps the output name out of the gzip header; mtime=0 keeps the clock out.
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
            gz.write(payload)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    print(f"{digest}  {os.path.basename(path)}  ({os.path.getsize(path)} bytes)")


def make_split(source, output, prefix, per_class):
    (count, rows, cols), pixels = read_idx(find(source, f"{prefix}-images-idx3-ubyte"), 0x803)
    (label_count,), labels = read_idx(find(source, f"{prefix}-labels-idx1-ubyte"), 0x801)
    if count != label_count:
        sys.exit(f"{prefix}: {count} images but {label_count} labels")

    taken = [0] * CLASSES
    keep = []
    for i, label in enumerate(labels):
        if taken[label] < per_class:
            taken[label] += 1
            keep.append(i)
    if any(t != per_class for t in taken):
        sys.exit(f"{prefix}: not enough images per class: {taken}")

    size = rows * cols
    images = bytearray(struct.pack(">IIII", 0x803, len(keep), rows, cols))
    for i in keep:
        images += pixels[i * size:(i + 1) * size]
    kept_labels = struct.pack(">II", 0x801, len(keep)) + bytes(labels[i] for i in keep)

    write_gzip(os.path.join(output, f"{prefix}-images-idx3-ubyte.gz"), bytes(images))
    write_gzip(os.path.join(output, f"{prefix}-labels-idx1-ubyte.gz"), kept_labels)


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_SOURCE
    output = sys.argv[2] if len(sys.argv) > 2 else DEFAULT_OUTPUT
    os.makedirs(output, exist_ok=True)
    for prefix, per_class in SPLITS:
        make_split(source, output, prefix, per_class)


if __name__ == "__main__":
    main()
