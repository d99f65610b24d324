"""Parity of `ecgfit labels` with the seed's own pandas logic.

Re-states, with Debian's pandas, what the seed scripts did
(extract_ukbb_labels.py, blood_pressure_averager.py,
process_ukbb_demographics.py, and the Table-1 instance priority) and compares
every value with ecgfit's output.  Prints TAP.

usage: seed_labels.py MAIN_CSV ECG_DIR SEED_LAYOUT_DIR SEED_EXPORT_CSV REGISTRY_EXPORT_CSV FIELDS_TSV
"""
import math
import os
import re
import sys

import pandas as pd

main_csv, ecg_dir, seed_dir, seed_export, reg_export, fields_tsv = sys.argv[1:7]
n_test = 0
n_fail = 0


def ok(cond, what, detail=""):
    global n_test, n_fail
    n_test += 1
    if not cond:
        n_fail += 1
    print(("ok" if cond else "not ok") + " %d - %s" % (n_test, what))
    if not cond and detail:
        for line in str(detail).splitlines()[:20]:
            print("# " + line)


SEED_CODES = [-3, -7, -818]
header = pd.read_csv(main_csv, nrows=0).columns


def seed_extract(col):
    """extract_ukbb_labels.py: read eid + col, drop empty, drop -3/-7/-818."""
    df = pd.read_csv(main_csv, usecols=["eid", col])
    df = df.dropna(subset=[col])
    df = df[~df[col].isin(SEED_CODES)]
    return df


# 1. Every single-instance seed file, byte for byte.
reg = pd.read_csv(fields_tsv, sep="\t", comment="#", dtype=str)
files = 0
for _, f in reg.iterrows():
    m = re.fullmatch(r"i(\d)", f["rule"])
    if not m:
        continue
    col = "%s-%s.0" % (f["field"], m.group(1))
    if col not in header:
        continue
    files += 1
    want = seed_extract(col).to_csv(index=False)
    path = os.path.join(seed_dir, col + ".csv")
    got = open(path).read() if os.path.exists(path) else "(missing)"
    ok(got == want, "%s.csv identical to the seed's extract_ukbb_labels output" % col,
       "first difference:\n" + next((f"want {a!r}\ngot  {b!r}" for a, b in
                                     zip(want.splitlines(), got.splitlines()) if a != b),
                                    "lengths %d vs %d" % (len(want), len(got))))
ok(files >= 30, "compared %d single-instance files" % files)

# 2. Blood pressure means (blood_pressure_averager.py): the two readings'
#    files joined on an eid index with how='outer' (pandas sorts the union,
#    so the file is in eid order), mean of what is present; byte for byte.
for field, name in (("4080", "SYSTOLIC_BP_mean"), ("4079", "DIASTOLIC_BP_mean")):
    a = seed_extract(field + "-2.0").set_index("eid")
    b = seed_extract(field + "-2.1").set_index("eid")
    m = a.join(b, lsuffix="_0", rsuffix="_1", how="outer")
    if a.index.equals(b.index):
        m = m.sort_index()   # pandas >= 2.2 sorts this case too (GH 55992); Debian's 1.5 does not
    m["mean_value"] = m.mean(axis=1)
    want = m[["mean_value"]].rename(columns={"mean_value": name}).to_csv()
    path = os.path.join(seed_dir, name + ".csv")
    got = open(path).read() if os.path.exists(path) else "(missing)"
    ok(got == want, "%s.csv identical to the seed's blood_pressure_averager output (%d rows, eid order)"
       % (name, len(m)),
       "first difference:\n" + next((f"want {x!r}\ngot  {y!r}" for x, y in
                                     zip(want.splitlines(), got.splitlines()) if x != y),
                                    "lengths %d vs %d" % (len(want), len(got))))

# 3. Demographics (process_ukbb_demographics.py): sex 31-0.0, age 21003-2.0,
#    BMI 21001-2.0, inner join, drop missing, participants with an instance-2 ECG.
ecg_eids = set()
for root, _, names in os.walk(ecg_dir):
    for nm in names:
        mm = re.fullmatch(r"(\d+)_20205_2_0\.xml", nm)
        if mm:
            ecg_eids.add(int(mm.group(1)))
d = pd.read_csv(main_csv, usecols=["eid", "31-0.0", "21003-2.0", "21001-2.0"]).dropna()
d = d[d["eid"].isin(ecg_eids)]
got_df = pd.read_csv(os.path.join(seed_dir, "eid_age2_sex_bmi2.csv"))
ok(list(d["eid"]) == list(got_df["eid"]), "demographics: same participants in the same order (%d)" % len(d))
same = (len(d) == len(got_df) and (d["21003-2.0"].values == got_df["age"].values).all()
        and (d["31-0.0"].values == got_df["sex"].values).all()
        and (d["21001-2.0"].values == got_df["bmi"].values).all())
ok(same, "demographics: age, sex and BMI equal")

# 4. Registry mode (the default): per-field special codes and the instance
#    priority rule, against the same logic written with pandas.
full = pd.read_csv(main_csv)
# ecgfit writes 17 significant digits where needed: read them exactly.
ours = pd.read_csv(reg_export, float_precision="round_trip")
ok(list(ours["eid"]) == list(full["eid"]), "registry export: every CSV row, in CSV order")
checked = 0
for _, f in reg.iterrows():
    key, field, rule = f["key"], f["field"], f["rule"]
    excl = [] if f["exclude"] == "-" else [float(x) for x in f["exclude"].split(",")]
    inst = [int(x) for x in re.findall(r"\d", f["instances"])] if "-" not in f["instances"] else \
        list(range(int(f["instances"][0]), int(f["instances"][-1]) + 1))
    arrays = list(range(int(f["arrays"][-1]) + 1))

    def cell(i, a):
        c = "%s-%d.%d" % (field, i, a)
        if c not in full.columns:
            return pd.Series(float("nan"), index=full.index)
        s = full[c].astype(float)
        return s.where(~s.isin(excl))

    def per_instance(i, mean):
        if mean:
            return pd.concat([cell(i, a) for a in arrays], axis=1).mean(axis=1)
        return cell(i, 0)

    mean = rule.endswith(".mean")
    if rule.startswith("priority"):
        v = {i: per_instance(i, mean) for i in range(4)}
        want = v[2].copy()
        both = want.isna() & v[1].notna() & v[3].notna()
        want[both] = (v[1][both] + v[3][both]) / 2
        want = want.fillna(v[1]).fillna(v[0])
    else:
        want = per_instance(int(rule[1]), mean)
    got = ours[key].astype(float)
    eq = ((want.isna() & got.isna()) | (want == got))
    ok(bool(eq.all()), "registry column %s (%s) equals pandas" % (key, rule),
       "\n".join("eid %d: pandas %r, ecgfit %r" % (full["eid"][i], want[i], got[i])
                 for i in list(eq[~eq].index)[:5]))
    checked += 1
ok(checked == len(reg), "checked every registry column (%d)" % checked)

print("1..%d" % n_test)
sys.exit(1 if n_fail else 0)
