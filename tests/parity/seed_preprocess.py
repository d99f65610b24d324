#!/usr/bin/env python3
"""The seed pipeline's ECG preprocessing (preprocessing.py, parity.md 1.2,
ukb-data.md 1.6), written out for parity tests: ElementTree, numpy
fromstring + interp over linspace(0, 1), float32, /= 1000.0.

usage: seed_preprocess.py OUTDIR FILE.xml...   writes OUTDIR/{eid}.npy
"""
import os
import sys
import warnings
import xml.etree.ElementTree as ET

import numpy as np

LEADS = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]
SAMPLES = 4096


def seed_ecg(path):
    root = ET.parse(path).getroot()
    ecg = np.zeros((SAMPLES, len(LEADS)), dtype=np.float32)
    for wave in root.findall("./StripData/WaveformData"):
        k = LEADS.index(wave.attrib["lead"])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)   # fromstring(sep=) is what the seed used
            data = np.fromstring(wave.text.strip(), sep=",", dtype=np.float32)
        ecg[:, k] = np.interp(np.linspace(0, 1, SAMPLES), np.linspace(0, 1, data.shape[0]), data)
    ecg = ecg.astype(np.float32)
    ecg /= 1000.0
    return ecg


def main(argv):
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    for path in argv[2:]:
        eid = os.path.basename(path).split("_")[0]
        np.save(os.path.join(out, eid + ".npy"), seed_ecg(path))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
