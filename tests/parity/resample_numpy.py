"""Reference outputs for tests/unit/test_resample.c, computed by numpy.

usage: resample_numpy.py MANIFEST

Each MANIFEST line is one case:
  interp N M IN OUT        IN: N raw native float32; OUT: M float32 =
                           np.interp(linspace(0,1,M), linspace(0,1,N), x).astype(float32)
  seed N M IN OUT MVOUT    IN: waveform text as in the XML ("1,-2,\\r\\n\\t\\t3");
                           OUT: the seed's preprocessing.py arithmetic
                           (fromstring float32, interp, astype float32, /= 1000.0);
                           MVOUT: OUT * 5 (what ecgfit's mv units must equal)
Exit status 0 when every case was written.
"""
import sys

import numpy as np


def resample(data, m):
    return np.interp(np.linspace(0, 1, m), np.linspace(0, 1, len(data)), data)


def main(manifest):
    with open(manifest) as f:
        for line in f:
            w = line.split()
            if not w:
                continue
            mode, n, m = w[0], int(w[1]), int(w[2])
            if mode == "interp":
                x = np.fromfile(w[3], dtype=np.float32)
                assert len(x) == n, (w[3], len(x), n)
                resample(x, m).astype(np.float32).tofile(w[4])
            elif mode == "seed":
                with open(w[3]) as t:
                    text = t.read()
                data = np.fromstring(text.strip(), sep=",", dtype=np.float32)
                assert len(data) == n, (w[3], len(data), n)
                out = resample(data, m).astype(np.float32)
                out /= 1000.0
                out.tofile(w[4])
                mv = out * 5
                assert mv.dtype == np.float32
                mv.tofile(w[5])
            else:
                raise SystemExit("unknown mode " + mode)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
