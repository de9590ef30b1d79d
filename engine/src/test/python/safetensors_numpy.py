"""safetensors read and written with NumPy alone (no safetensors package), strictly.

The format: 8 bytes, the header length N as an unsigned little-endian integer; N bytes of UTF-8 JSON
mapping each tensor name to {"dtype", "shape", "data_offsets": [begin, end)} (offsets counted from
the first byte after the header) and optionally "__metadata__" (strings to strings); then the raw
little-endian, row-major data. This module checks everything the format promises, so the interop tests
also check the files octoquant writes: a header padded to a multiple of 8 bytes, data ranges that tile
the data section exactly, every tensor aligned to its element size.
"""

import json
import struct

import numpy as np

# BF16 has no NumPy type: it is read as the upper half of a float32.
DTYPES = {"F32": "<f4", "F16": "<f2", "BF16": "<u2", "I8": "i1", "U8": "u1", "I16": "<i2", "I32": "<i4", "I64": "<i8"}
NAMES = {np.dtype("<f4"): "F32", np.dtype("<f2"): "F16", np.dtype("i1"): "I8", np.dtype("u1"): "U8",
         np.dtype("<i2"): "I16", np.dtype("<i4"): "I32", np.dtype("<i8"): "I64"}
ORDER_KEY = "octoquant.order"


def _refuse_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate key in the header")
    return dict(pairs)


def read(path):
    """Returns (tensors, metadata): tensors maps names to NumPy arrays, in the file's recorded order."""
    with open(path, "rb") as f:
        raw = f.read()
    if len(raw) < 8:
        raise ValueError(f"{path}: shorter than the header length")
    (n,) = struct.unpack("<Q", raw[:8])
    if n > 100_000_000 or 8 + n > len(raw):
        raise ValueError(f"{path}: header length {n} does not fit the file")
    header = json.loads(raw[8:8 + n].decode("utf-8"), object_pairs_hook=_refuse_duplicates)
    metadata = header.pop("__metadata__", {})
    data = memoryview(raw)[8 + n:]
    entries = sorted(header.items(), key=lambda kv: tuple(kv[1]["data_offsets"]))
    covered = 0
    tensors = {}
    for name, info in entries:
        begin, end = info["data_offsets"]
        dtype = np.dtype(DTYPES[info["dtype"]])
        count = int(np.prod(info["shape"], dtype=np.int64))
        if begin != covered or end - begin != count * dtype.itemsize:
            raise ValueError(f"{path}: tensor {name!r} has offsets {begin}-{end}, expected {covered}-{covered + count * dtype.itemsize}")
        array = np.frombuffer(data[begin:end], dtype=dtype).reshape(info["shape"])
        if info["dtype"] == "BF16":
            array = (array.astype(np.uint32) << 16).view(np.float32)
        tensors[name] = array.copy()
        covered = end
    if covered != len(data):
        raise ValueError(f"{path}: the tensors cover {covered} of {len(data)} data bytes")
    order = json.loads(metadata.pop(ORDER_KEY)) if ORDER_KEY in metadata else []
    ordered = {name: tensors[name] for name in order if name in tensors}
    ordered.update({k: v for k, v in tensors.items() if k not in ordered})
    return ordered, metadata


def check_layout(path):
    """What the reference writer guarantees: a header padded to 8 bytes, each tensor aligned to its size."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    if n % 8 != 0:
        raise ValueError(f"{path}: header length {n} is not a multiple of 8")
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    for name, info in header.items():
        if name == "__metadata__":
            continue
        size = np.dtype(DTYPES[info["dtype"]]).itemsize
        if (8 + n + info["data_offsets"][0]) % size != 0:
            raise ValueError(f"{path}: tensor {name!r} is not aligned to {size} bytes")


def write(path, tensors, metadata=None):
    """Writes tensors in their order, data back to back. A value is a NumPy array of one of the dtypes in
    NAMES, or ("BF16", uint16 array) for bfloat16 bit patterns."""
    header = {}
    if metadata:
        header["__metadata__"] = dict(metadata)
    offset = 0
    blobs = []
    for name, value in tensors.items():
        dtype_name, array = value if isinstance(value, tuple) else (None, value)
        array = np.ascontiguousarray(array)
        little = array.astype(array.dtype.newbyteorder("<"), copy=False)
        dtype_name = dtype_name or NAMES[little.dtype]
        blob = little.tobytes()
        header[name] = {"dtype": dtype_name, "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)
