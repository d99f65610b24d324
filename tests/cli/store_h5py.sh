#!/bin/sh
# store_h5py.sh — the project store is readable by h5py (and pandas), and the
# store reads what h5py writes.  TAP; skipped when Debian's python3-h5py is
# not installed.
py=${PYTHON3:-/usr/bin/python3}
bin=${top_builddir:-.}/tests/unit/test_store

if ! "$py" -c 'import h5py' >/dev/null 2>&1; then
    echo "1..0 # SKIP h5py is not installed (Debian: python3-h5py)"
    exit 0
fi
if [ ! -x "$bin" ]; then
    echo "1..0 # SKIP $bin is not built"
    exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ecgfit-h5py-XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

# Twice: the second run is an update, whose commit rewrites the store into a
# fresh file (compaction); h5py must read that file.
if ! "$bin" --fixture "$tmp/ecgfit.h5" || ! "$bin" --fixture "$tmp/ecgfit.h5"; then
    echo "1..1"
    echo "not ok 1 - test_store --fixture writes a store"
    exit 1
fi

# Python prints checks 1..N; the shell appends the reverse direction.
"$py" - "$tmp" <<'EOF' > "$tmp/tap" 2>&1
import math, re, sys
import h5py
import numpy as np

d = sys.argv[1]
n = 0
def ok(cond, desc):
    global n
    n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n, desc))

f = h5py.File(d + "/ecgfit.h5", "r")
eid = f["participants/eid"]
ok(eid.dtype == np.int64 and eid.shape == (3,), "eid is int64 [3]")
ok(list(eid[:]) == [1000001, 1000002, 1000003], "eid values")
bmi = f["participants/bmi"][:]
ok(bmi.dtype == np.float64 and bmi[0] == 22.5 and math.isnan(bmi[1]) and bmi[2] == 31.25,
   "bmi float64 with NaN for missing")
a = f["participants/bmi"].attrs
ok(isinstance(a["field"], str) and a["field"] == "21001", "string attribute reads as str")
ok(a["unit"] == "kg/m\u00b2", "UTF-8 attribute decodes")
ok(float(a["scale"]) == 0.5, "numeric attribute")
p = f["participants"].attrs
ok(p["ecgfit_version"] and p["stage"] == "labels" and p["options"] == "--fields bmi",
   "provenance attributes")
ok(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", p["created"]) is not None,
   "created is ISO-8601 UTC: " + p["created"])
ok(list(f["participants"]) == ["eid", "bmi"], "h5py lists columns in creation order: %s"
   % list(f["participants"]))
emb = f["embeddings/demo/values"]
ok(emb.dtype == np.float32 and emb.shape == (2, 3) and emb[1, 2] == 6, "float32 [2, 3] matrix")
try:
    import pandas as pd
    df = pd.DataFrame({k: f["participants"][k][:] for k in f["participants"]})
    ok(df.shape == (3, 2) and int(df["eid"][2]) == 1000003, "pandas DataFrame from the store")
except ImportError:
    print("ok %d # SKIP pandas missing" % (n + 1)); n += 1
f.close()

# A file h5py writes, for the C side: untracked group, fixed-length string.
g = h5py.File(d + "/py.h5", "w")
g["cols/b"] = np.arange(3.0)
g["cols/a"] = np.arange(3.0)
g["cols/a"].attrs["fixed"] = np.bytes_("fixed-len")
g["cols/a"].attrs["vlen"] = "vlen \u00b5"
g.close()
print("n=%d" % n)
EOF
if ! tail -n 1 "$tmp/tap" | grep -q '^n='; then
    sed 's/^/# /' "$tmp/tap"
    echo "1..1"
    echo "not ok 1 - the h5py checks ran to the end"
    exit 1
fi
n=$(tail -n 1 "$tmp/tap" | sed 's/n=//')
sed '$d' "$tmp/tap"

check() {  # check DESC WANT CMD...
    desc=$1 want=$2
    shift 2
    n=$((n + 1))
    got=$("$@" 2>&1 | tr '\n' ' ')
    if [ "$got" = "$want" ]; then
        echo "ok $n - $desc"
    else
        echo "not ok $n - $desc"
        echo "# got '$got', want '$want'"
    fi
}
check "store lists an h5py group by name" "a b " "$bin" --list "$tmp/py.h5" /cols
check "store reads a fixed-length string attribute" "fixed-len " \
    "$bin" --attr "$tmp/py.h5" /cols/a fixed
check "store reads an h5py str attribute" "vlen µ " "$bin" --attr "$tmp/py.h5" /cols/a vlen
echo "1..$n"
