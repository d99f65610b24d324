#!/usr/bin/env python3
"""The seed's ECG preprocessing (preprocessing.py: ElementTree + numpy
fromstring/interp, float32, /1000, np.save per ECG), timed on a file list.

usage: seed_preprocess.py LISTFILE OUTDIR
Prints "files=N seconds=S cpu=C" (wall and CPU time of the loop, interpreter
start and imports excluded)."""
import os
import sys
import time
import warnings
import xml.etree.ElementTree as ET

import numpy as np

LEADS = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]


def seed_ecg(path):
    root = ET.parse(path).getroot()
    ecg = np.zeros((4096, 12), dtype=np.float32)
    for wave in root.findall("./StripData/WaveformData"):
        data = np.fromstring(wave.text.strip(), sep=",", dtype=np.float32)
        ecg[:, LEADS.index(wave.attrib["lead"])] = np.interp(
            np.linspace(0, 1, 4096), np.linspace(0, 1, data.shape[0]), data)
    ecg = ecg.astype(np.float32)
    ecg /= 1000.0
    return ecg


def main():
    files = [l.strip() for l in open(sys.argv[1]) if l.strip()]
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    warnings.simplefilter("ignore", DeprecationWarning)
    t0, c0 = time.perf_counter(), time.process_time()
    for p in files:
        eid = os.path.basename(p).split("_")[0]
        np.save(os.path.join(out, eid + ".npy"), seed_ecg(p))
    print("files=%d seconds=%.3f cpu=%.3f" % (len(files), time.perf_counter() - t0, time.process_time() - c0))


if __name__ == "__main__":
    main()
