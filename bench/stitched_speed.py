#!/usr/bin/env python3
"""Simulated cycles per second of a build's stitched design (bench/stitched_bench.sh).

    stitched_speed.py <output folder> <frames> <runs>

Runs stitched_ip/sim_build/rtlsim on <frames> frames of random input words (the executable's
harness, inputs at full rate, outputs always ready) with --bare-eval-cycles, which clocks a second
instance of the model in a bare eval() loop for as many cycles; prints the medians and the
harness overhead. Words per frame come from rtlsim_performance.json (N_IN_TXNS / N, FINN's C++
keys), widths from the stitched top."""
import json, random, re, statistics, subprocess, sys, tempfile, os

out, frames, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
perf = json.load(open(os.path.join(out, "report/rtlsim_performance.json")))
if "N_IN_TXNS" not in perf:
    sys.exit("stitched_speed: rtlsim_performance.json has no N_IN_TXNS (build with force_python_rtlsim false)")
in_per_frame = perf["N_IN_TXNS"] // perf["N"]
out_per_frame = perf["N_OUT_TXNS"] // perf["N"]
hdl = os.path.join(out, "stitched_ip/ip/hdl")
top = open(os.path.join(hdl, "finn_design_wrapper.sv")).read()
in_width = int(re.search(r"\[(\d+):0\] s_axis_0_tdata", top).group(1)) + 1
out_width = int(re.search(r"\[(\d+):0\] m_axis_0_tdata", top).group(1)) + 1
random.seed(1)
with tempfile.TemporaryDirectory() as tmp:
    words = os.path.join(tmp, "in.txt")
    with open(words, "w") as f:
        digits = (in_width + 3) // 4
        for _ in range(frames * in_per_frame):
            f.write("%0*x\n" % (digits, random.getrandbits(in_width)))
    harness, bare, cycles = [], [], 0
    for _ in range(runs):
        r = subprocess.run([os.path.abspath(os.path.join(out, "stitched_ip/sim_build/rtlsim")),
                            "--in", words, "--out", os.path.join(tmp, "out.txt"),
                            "--out-words", str(frames * out_per_frame), "--out-width", str(out_width),
                            "--frames", str(frames), "--max-cycles", str(10**12),
                            "--bare-eval-cycles", "1000000"],
                           cwd=hdl, capture_output=True, text=True, check=True)
        values = dict(line.split(": ", 1) for line in r.stdout.splitlines() if ": " in line)
        cycles = int(values["cycles"])
        harness.append(float(values["cycles_per_second"]))
        bare.append(float(values["bare_eval_cycles_per_second"]))
h, b = statistics.median(harness), statistics.median(bare)
print(f"stitched simulation, {frames} frames ({cycles} cycles), median of {runs}: harness {h / 1e6:.2f} "
      f"M cycles/s, bare eval() {b / 1e6:.2f} M cycles/s, harness overhead {100 * (1 - h / b):.1f} %")
