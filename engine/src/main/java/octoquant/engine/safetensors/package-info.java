/**
 * Reading and writing safetensors files, the format PyTorch and Hugging Face users exchange weights in.
 * Depends on no other engine package.
 *
 * <p><b>The format.</b> 8 bytes: the header length {@code N}, an unsigned little-endian integer; {@code N}
 * bytes: a UTF-8 JSON object mapping each tensor's name to {@code {"dtype", "shape", "data_offsets"}}, the
 * offsets {@code [begin, end)} counted from the first byte after the header, and optionally
 * {@code "__metadata__"} mapping strings to strings; then the tensors' raw little-endian, row-major data.
 *
 * <p><b>Reading</b> ({@link octoquant.engine.safetensors.SafetensorsFile#read}) accepts F32, F16, BF16,
 * I8, U8, I16, I32 and I64 ({@link octoquant.engine.safetensors.DType}); F16 and BF16 convert to float
 * exactly. A file is refused with one {@link octoquant.engine.safetensors.SafetensorsException}, whose
 * one-line message names the file and the problem, when: it is shorter than 8 bytes; the header length is
 * over the format's 100,000,000-byte limit or runs past the end of the file; the header is not UTF-8 or
 * not JSON of the header's grammar (objects, strings, integers, arrays; duplicate keys refused); a dtype is
 * unknown or not read here; a tensor's shape and its byte range disagree; the ranges overlap, leave a
 * gap, do not start at 0, run past the end of the file (truncated), or end before it (trailing bytes).
 * Everything is checked before any tensor is allocated, so a damaged file costs no more memory than its
 * size.
 *
 * <p><b>Writing</b> ({@link octoquant.engine.safetensors.SafetensorsFile#write}) lays the file out as the
 * reference implementation does (tensors by decreasing dtype alignment, then name; header padded with
 * spaces to a multiple of 8 bytes, so each tensor's data is aligned to its element size), records the
 * caller's order of the tensors in the metadata (see {@link octoquant.engine.safetensors.SafetensorsFile}),
 * and replaces the target atomically (temporary file in the same directory, then rename).
 */
package octoquant.engine.safetensors;
