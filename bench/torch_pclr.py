"""torch_pclr.py -- the PCLR architecture (reference/pclr-architecture.md) in
PyTorch with random weights, timed for bench_pclr.sh.

    torch_pclr.py BATCH THREADS [SECONDS]

Eager mode, eval(), torch.inference_mode(), BatchNorm unfolded (what running
the Keras model's twin in PyTorch gives without extra work).  Convolutions use
TF's SAME split (explicit F.pad, extra element on the right), channels first
as PyTorch wants it; the input is made once outside the timing.  Prints
"ecg_per_s_T X" and "best_s_T X" for the best of the runs.
"""
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def same_pad(length, k, s):
    out = -(-length // s)
    total = max(0, (out - 1) * s + k - length)
    return total // 2, total - total // 2


class Conv(nn.Module):
    def __init__(self, cin, cout, k, s, length):
        super().__init__()
        self.pad = same_pad(length, k, s)
        self.conv = nn.Conv1d(cin, cout, k, stride=s, bias=False)

    def forward(self, x):
        if self.pad != (0, 0):
            x = F.pad(x, self.pad)
        return self.conv(x)


class Unit(nn.Module):
    def __init__(self, cin, cout, length):
        super().__init__()
        self.skip = Conv(cin, cout, 1, 1, length // 4)
        self.c1 = Conv(cin, cout, 16, 1, length)
        self.bn1 = nn.BatchNorm1d(cout, eps=1e-3)
        self.c2 = Conv(cout, cout, 16, 4, length)
        self.bn2 = nn.BatchNorm1d(cout, eps=1e-3)

    def forward(self, x, raw):
        s = self.skip(F.max_pool1d(raw, 4, 4))
        a = self.c2(F.relu(self.bn1(self.c1(x)))) + s
        return F.relu(self.bn2(a)), a


class PCLR(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = Conv(12, 64, 16, 1, 4096)
        self.bn = nn.BatchNorm1d(64, eps=1e-3)
        chans, length, units = [64, 128, 196, 256, 320], 4096, []
        for u in range(4):
            units.append(Unit(chans[u], chans[u + 1], length))
            length //= 4
        self.units = nn.ModuleList(units)

    def forward(self, x):
        x = F.relu(self.bn(self.stem(x)))
        raw = x
        for unit in self.units:
            x, raw = unit(x, raw)
        return x.mean(dim=2)


def main():
    batch, threads = int(sys.argv[1]), int(sys.argv[2])
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 3.0
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    model = PCLR().eval()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.BatchNorm1d):
                m.running_mean.normal_(0, 0.1)
                m.running_var.uniform_(0.5, 1.5)
    x = torch.randn(batch, 12, 4096) * 0.3
    with torch.inference_mode():
        y = model(x)
        assert y.shape == (batch, 320)
        best, runs, t0 = 1e30, 0, time.perf_counter()
        while runs < 3 or time.perf_counter() - t0 < seconds:
            t = time.perf_counter()
            model(x)
            best = min(best, time.perf_counter() - t)
            runs += 1
    print("torch %s threads %d runs %d" % (torch.__version__, threads, runs))
    print("best_s_%d %.4f" % (threads, best))
    print("ecg_per_s_%d %.2f" % (threads, batch / best))


if __name__ == "__main__":
    main()
