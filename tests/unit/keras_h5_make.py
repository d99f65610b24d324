#!/usr/bin/env python3
"""keras_h5_make.py — test inputs for the Keras .h5 loader, written with h5py.

  keras_h5_make.py model CONFIG.json OUT.h5 [--strings vlen|fixed|split] [--keras3-names]
      An .h5 laid out as Keras 2.4 writes it (keras-h5.md §1) for a Functional
      Conv1D/BN/pooling/Add/Dense config, with deterministic weights:
      element e of the w-th weight of a layer is ((e * 7 + w * 3 + layer) % 101 - 50) / 1000,
      except moving_variance, which is 1 + that.
  keras_h5_make.py edit SRC.h5 OUT.h5 ACTION [ARG...]
      Copy SRC and break it: no-config, wrong-shape GROUP DATASET, float64 GROUP DATASET,
      class LAYER NEWCLASS, ghost-layer NAME, config-set LAYER KEY JSONVALUE [LAYER KEY JSONVALUE...].
"""
import json
import shutil
import sys

import h5py
import numpy as np


def value(n, w, layer):
    e = np.arange(n, dtype=np.int64)
    return (((e * 7 + w * 3 + layer) % 101) - 50).astype(np.float32) / np.float32(1000)


def write_names(obj, key, names, mode):
    if mode == "vlen":
        obj.attrs[key] = [n for n in names]          # h5py 3: variable-length str
    elif mode == "fixed":
        obj.attrs[key] = np.array([n.encode() for n in names])   # 'S' NULLPAD, h5py 2 style
    else:                                               # split into chunks of 3
        for i in range(0, max(len(names), 1), 3):
            obj.attrs["%s%d" % (key, i // 3)] = np.array([n.encode() for n in names[i:i + 3]])


def model(cfg_path, out, mode="vlen", k3=False):
    text = open(cfg_path).read()
    cfg = json.loads(text)
    layers = cfg["config"]["layers"]
    ch = {}
    f = h5py.File(out, "w")
    f.attrs["keras_version"] = "2.4.0"
    f.attrs["backend"] = "tensorflow"
    f.attrs["model_config"] = text.encode()
    mw = f.create_group("model_weights")
    mw.attrs["keras_version"] = "2.4.0"
    mw.attrs["backend"] = "tensorflow"
    names = [l["config"]["name"] for l in layers]
    write_names(mw, "layer_names", names, mode)
    for li, l in enumerate(layers):
        c, name, cls = l["config"], l["config"]["name"], l["class_name"]
        ins = [r[0] for node in l["inbound_nodes"] for r in node]
        cin = ch[ins[0]] if ins else None
        weights = []
        if cls == "InputLayer":
            ch[name] = c["batch_input_shape"][2]
        elif cls == "Conv1D":
            k = c["kernel_size"][0]
            weights.append(("kernel", (k, cin, c["filters"])))
            if c["use_bias"]:
                weights.append(("bias", (c["filters"],)))
            ch[name] = c["filters"]
        elif cls == "Dense":
            weights.append(("kernel", (cin, c["units"])))
            if c["use_bias"]:
                weights.append(("bias", (c["units"],)))
            ch[name] = c["units"]
        elif cls == "BatchNormalization":
            for v in ("gamma", "beta", "moving_mean", "moving_variance"):
                weights.append((v, (cin,)))
            ch[name] = cin
        elif cls == "Concatenate":
            ch[name] = sum(ch[i] for i in ins)
        else:
            ch[name] = cin
        g = mw.create_group(name)
        wn = [("%s/%s" % (name, w)) + ("" if k3 else ":0") for w, _ in weights]
        if not wn:
            g.attrs["weight_names"] = np.zeros((0,), dtype=np.float64)
        else:
            write_names(g, "weight_names", wn, mode)
        for wi, (w, shape) in enumerate(weights):
            v = value(int(np.prod(shape)), wi, li)
            if w == "moving_variance":
                v = v + np.float32(1)
            g.create_dataset(wn[wi], data=v.reshape(shape))
    f.close()


def edit(src, out, action, args):
    shutil.copyfile(src, out)
    f = h5py.File(out, "r+")
    if action == "no-config":
        del f.attrs["model_config"]
    elif action in ("wrong-shape", "float64"):
        g = f["model_weights"][args[0]]
        d = g[args[1]]
        data = d[()]
        del g[args[1]]
        if action == "float64":
            g.create_dataset(args[1], data=data.astype(np.float64))
        else:
            shape = list(data.shape)
            shape[0] -= 1
            g.create_dataset(args[1], data=np.zeros(shape, dtype=np.float32))
    elif action in ("class", "config-set"):
        cfg = json.loads(f.attrs["model_config"])
        step = 2 if action == "class" else 3
        for i in range(0, len(args), step):
            for l in cfg["config"]["layers"]:
                if l["config"]["name"] == args[i]:
                    if action == "class":
                        l["class_name"] = args[i + 1]
                    else:
                        l["config"][args[i + 1]] = json.loads(args[i + 2])
        f.attrs["model_config"] = json.dumps(cfg).encode()
    elif action == "ghost-layer":
        mw = f["model_weights"]
        names = [n.decode() if isinstance(n, bytes) else n for n in mw.attrs["layer_names"]]
        names.insert(1, args[0])
        mw.attrs["layer_names"] = names
    else:
        sys.exit("unknown action " + action)
    f.close()


if __name__ == "__main__":
    a = sys.argv[1:]
    if a[0] == "model":
        mode = a[a.index("--strings") + 1] if "--strings" in a else "vlen"
        model(a[1], a[2], mode, "--keras3-names" in a)
    elif a[0] == "edit":
        edit(a[1], a[2], a[3], a[4:])
    else:
        sys.exit(__doc__)
