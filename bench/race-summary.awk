# Summary of a bench/compare-pytorch.sh race (issue 13). Reads the race's contract lines:
#   <contestant> <model> <metric> <value>     contestant torch (PyTorch 1.13, Python), djl (PyTorch 2.7.1
#                                             through DJL) or octoquant
#   fma c|java gflops_1thread|gflops_2threads <value>     the FMA peak loops (bench/fma-peak.sh), each round
#   flops <model> train_flop_per_image <n>    im2col-equivalent flops per training image (TrainingFlops)
#   noise <probe> median|p5_over_median <v>  how steady the host was (octoquant.bench.HostNoise), each round
# Variables: images_mlp, images_cnn (training images per epoch), rounds.
# Prints per model and figure each contestant's median [min-max] and octoquant's ratio to each other's
# median; how much each figure moved between rounds (max/min); the FMA peak (the best 2-thread figure of
# any round, from the higher of the C and Java loops); training GFLOP/s from the median epochs and their
# share of that peak, and from each contestant's fastest 100-step block of any round
# (train_fastest_block_ms, batches of 64); the host-noise probes' figures over the rounds.
function median(list,    a, n, i, j, t) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
function lo(list,    a, n, i, m) { n = split(list, a, " "); m = a[1] + 0; for (i = 2; i <= n; i++) if (a[i] + 0 < m) m = a[i] + 0; return m }
function hi(list,    a, n, i, m) { n = split(list, a, " "); m = a[1] + 0; for (i = 2; i <= n; i++) if (a[i] + 0 > m) m = a[i] + 0; return m }
function fmt(v) { v += 0; return v >= 1000 ? sprintf("%.0f", v) : v >= 10 ? sprintf("%.1f", v) : sprintf("%.3f", v) }
function cell(c, key) { return ((c, key) in v) ? fmt(median(v[c, key])) " [" fmt(lo(v[c, key])) "-" fmt(hi(v[c, key])) "]" : "-" }
function ratio(key, other) {
  return (("octoquant", key) in v && (other, key) in v && median(v[other, key]) + 0 != 0) \
    ? sprintf("%.3f", median(v["octoquant", key]) / median(v[other, key])) : "-"
}
$1 ~ /^(torch|djl|octoquant)$/ && NF == 4 && $4 ~ /^[-+0-9.eE]+$/ {
  key = $2 " " $3; v[$1, key] = v[$1, key] " " $4
  if (!(key in seen)) { seen[key] = 1; keys[++nkeys] = key }
  next
}
$1 == "fma" && ($2 == "c" || $2 == "java") && NF == 4 { fma[$2, $3] = fma[$2, $3] " " $4; next }
$1 == "flops" && $3 == "train_flop_per_image" { flop[$2] = $4 + 0; next }
$1 == "noise" && NF == 4 && $4 ~ /^[-+0-9.eE]+$/ {
  noise[$2, $3] = noise[$2, $3] " " $4
  if (!($2 in probeSeen)) { probeSeen[$2] = 1; probes[++nprobes] = $2 }
  next
}
END {
  names["torch"] = "PyTorch 1.13 (Python)"; names["djl"] = "PyTorch 2.7.1 (DJL)"; names["octoquant"] = "octoquant"
  printf "\n# summary over %d rounds: median [min-max] per contestant; ratio = octoquant's median / the other's\n", rounds
  printf "#   (seconds and MB: lower is better; images/s: higher is better)\n"
  printf "%-5s %-24s %-26s %-26s %-26s %9s %9s\n", "model", "figure", names["torch"], names["djl"], names["octoquant"], "oq/torch", "oq/djl"
  for (i = 1; i <= nkeys; i++) {
    split(keys[i], k, " ")
    printf "%-5s %-24s %-26s %-26s %-26s %9s %9s\n", k[1], k[2], cell("torch", keys[i]), cell("djl", keys[i]),
      cell("octoquant", keys[i]), ratio(keys[i], "torch"), ratio(keys[i], "djl")
  }

  printf "\n# how much each figure moved between rounds (max / min)\n"
  printf "%-5s %-24s %10s %10s %10s\n", "model", "figure", "torch", "djl", "octoquant"
  for (i = 1; i <= nkeys; i++) {
    split(keys[i], k, " ")
    if (k[2] != "train_epoch_seconds" && k[2] != "infer_images_per_second") continue
    line = sprintf("%-5s %-24s", k[1], k[2])
    split("torch djl octoquant", cs, " ")
    for (c = 1; c <= 3; c++) line = line sprintf(" %10s", ((cs[c], keys[i]) in v && lo(v[cs[c], keys[i]]) > 0) ? sprintf("%.2f", hi(v[cs[c], keys[i]]) / lo(v[cs[c], keys[i]])) : "-")
    print line
  }

  peak = 0; peakBy = ""
  printf "\n# the machine's FMA peak (independent 512-bit FMA chains, bench/fma-peak.sh), GFLOP/s: best [median] over the rounds\n"
  split("c java", impl, " ")
  for (j = 1; j <= 2; j++) {
    if (!((impl[j], "gflops_2threads") in fma)) continue
    printf "fma   %-4s 1 thread %s [%s]   2 threads %s [%s]\n", impl[j], fmt(hi(fma[impl[j], "gflops_1thread"])),
      fmt(median(fma[impl[j], "gflops_1thread"])), fmt(hi(fma[impl[j], "gflops_2threads"])), fmt(median(fma[impl[j], "gflops_2threads"]))
    if (hi(fma[impl[j], "gflops_2threads"]) > peak) { peak = hi(fma[impl[j], "gflops_2threads"]); peakBy = impl[j] }
  }
  if (peak > 0) printf "the machine's two-core FMA peak: %s GFLOP/s (the %s loop, the higher of the two)\n", fmt(peak), peakBy == "c" ? "C" : "Java"

  printf "\n# training throughput in im2col-equivalent GFLOP/s = flop per image x training images / median epoch seconds\n"
  split("mlp cnn", ms, " ")
  for (mi = 1; mi <= 2; mi++) {
    m = ms[mi]
    if (!(m in flop)) continue
    images = (m == "mlp") ? images_mlp : images_cnn
    printf "%-5s %d flop per image x %d images = %.3f TFLOP per epoch:", m, flop[m], images, flop[m] * images / 1e12
    split("torch djl octoquant", cs, " ")
    for (c = 1; c <= 3; c++) {
      key = m " train_epoch_seconds"
      if (!((cs[c], key) in v)) continue
      g = flop[m] * images / median(v[cs[c], key]) / 1e9
      printf "  %s %s GFLOP/s", cs[c], fmt(g)
      if (peak > 0) printf " (%.3f of the peak)", g / peak
    }
    printf "\n"
    # The same for each contestant's fastest block of 100 steps (the first left out): its pace while the
    # host left it alone, against the epoch's, which counts every slow spell. Batches of 64 images.
    line = ""
    for (c = 1; c <= 3; c++) {
      key = m " train_fastest_block_ms"
      if (!((cs[c], key) in v) || lo(v[cs[c], key]) <= 0) continue
      g = flop[m] * 64 / (lo(v[cs[c], key]) / 1e3) / 1e9
      line = line sprintf("  %s %s GFLOP/s", cs[c], fmt(g))
      if (peak > 0) line = line sprintf(" (%.3f of the peak)", g / peak)
    }
    if (line != "") printf "%-5s fastest 100-step block of any round (%s ms a step for octoquant):%s\n", m,
      (("octoquant", m " train_fastest_block_ms") in v) ? fmt(lo(v["octoquant", m " train_fastest_block_ms"])) : "-", line
  }

  if (nprobes > 0) {
    printf "\n# how steady the host was (octoquant.bench.HostNoise each round: per-thread throughput in ~1 ms windows;\n"
    printf "#   p5/median near 1 = steady): median [min-max] over the rounds of each round's median and p5/median\n"
    for (i = 1; i <= nprobes; i++) {
      p = probes[i]
      printf "noise %-16s median %s [%s-%s]   p5/median %s [%s-%s]\n", p, fmt(median(noise[p, "median"])),
        fmt(lo(noise[p, "median"])), fmt(hi(noise[p, "median"])), fmt(median(noise[p, "p5_over_median"])),
        fmt(lo(noise[p, "p5_over_median"])), fmt(hi(noise[p, "p5_over_median"]))
    }
  }
}
