#!/usr/bin/env python3
"""Where the time goes: the hottest methods of a Java Flight Recorder file, by self and by total samples.

    java -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
         -XX:StartFlightRecording=settings=profile,filename=run.jfr ... (any bench main)
    python3 bench/jfr-top.py run.jfr [TOP] [JFR]     # JFR: the jdk's `jfr` tool (default: `jfr` on PATH)

Without -XX:+DebugNonSafepoints a sample in compiled code is placed at the nearest safepoint's bytecode,
which can be another method inlined nearby (a kernel's samples showed up in a scalar tail that never ran).

Reads `jfr print --events jdk.ExecutionSample` (samples of running Java threads; time in native code
and waiting is not sampled) and prints each method's share of the samples as the top frame (self) and
anywhere on the stack (total, counted once per sample), then by the topmost octoquant frame: the JDK
methods a kernel inlines (the Vector API's loads, stores and bounds checks, Objects.checkIndex) are frames
of their own and would otherwise top the self column. Line numbers are dropped, so a method is one row.
"""
import collections
import re
import subprocess
import sys


def frames_of_samples(text):
    """Yields each sample's frames, top first (method names without line numbers)."""
    frames, inside = [], False
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("stackTrace = ["):
            frames, inside = [], True
        elif inside and (s == "]" or s.startswith("]")):
            inside = False
            if frames:
                yield frames
        elif inside and s and s != "...":
            frames.append(re.sub(r"\s+line:.*$", "", s))


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: jfr-top.py FILE.jfr [TOP] [JFR-TOOL]")
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    tool = sys.argv[3] if len(sys.argv) > 3 else "jfr"
    # JFR prints at most 5 frames per stack unless --stack-depth says otherwise.
    text = subprocess.run([tool, "print", "--stack-depth", "64", "--events", "jdk.ExecutionSample", sys.argv[1]],
                          check=True, capture_output=True, text=True).stdout
    self_count, total_count, own_count, n = collections.Counter(), collections.Counter(), collections.Counter(), 0
    for frames in frames_of_samples(text):
        n += 1
        self_count[frames[0]] += 1
        own_count[next((f for f in frames if f.startswith("octoquant.")), frames[0])] += 1
        for f in set(frames):
            total_count[f] += 1
    if n == 0:
        sys.exit("jfr-top.py: no execution samples in " + sys.argv[1])
    print(f"# {n} samples in {sys.argv[1]}")
    print(f"{'self %':>7} {'total %':>8}  method (by self time)")
    for f, c in self_count.most_common(top):
        print(f"{100 * c / n:7.1f} {100 * total_count[f] / n:8.1f}  {f}")
    print(f"\n{'own %':>8}  method (the topmost octoquant frame of each sample, or its top frame)")
    for f, c in own_count.most_common(top):
        print(f"{100 * c / n:8.1f}  {f}")
    print(f"\n{'total %':>8}  method (by total time, octoquant frames)")
    shown = 0
    for f, c in total_count.most_common():
        if "octoquant" in f:
            print(f"{100 * c / n:8.1f}  {f}")
            shown += 1
            if shown >= top:
                break


if __name__ == "__main__":
    main()
