#!/usr/bin/env python3
# gen-kpi.py - writes kpi.tsv, the hand-made kpi records of the report-render
# tests, in kpi-score's format (grid-records(5), kind kpi).  Not run by the
# tests; kept so the fixture can be remade or changed on purpose.
#   python3 gen-kpi.py > kpi.tsv
# Figures follow the 2017 seed report: 388 events, 328 self-handled, two
# streets (双马 430302001, 板塘 430302002) and six grids.
from decimal import Decimal as D, ROUND_HALF_EVEN

HEAD = "kind period scope scope_id indicator name path type value numerator denominator target weight score grade evidence".split()
# id, name, parent id (None: top), type, weight, target, kind of value
TREE = [
    ("J", "决策", None, "group", "20", ""),
    ("J1", "立项依据充分性", "J", "manual", "5", ""),
    ("J2", "立项程序规范性", "J", "manual", "5", ""),
    ("J3", "绩效目标合理性", "J", "manual", "5", ""),
    ("J4", "预算编制科学性", "J", "manual", "5", ""),
    ("G", "过程", None, "group", "20", ""),
    ("G1", "预算执行率", "G", "manual", "5", ""),
    ("G2", "资金使用合规性", "G", "manual", "5", ""),
    ("G3", "管理制度健全性", "G", "manual", "5", ""),
    ("G4", "网格员日常巡查达标率", "G", "share", "5", "1"),
    ("C", "产出", None, "group", "40", ""),
    ("C.N", "数量", "C", "group", "15", ""),
    ("C1", "网格员月均上报事件达标率", "C.N", "share", "10", "1"),
    ("C2", "基础数据采集", "C.N", "manual", "5", ""),
    ("C3", "上报事件数", "C.N", "count", "", ""),
    ("C7", "派遣处置事件数", "C.N", "count", "", ""),
    ("C.Q", "质量", "C", "group", "15", ""),
    ("C4", "事件自行处置率", "C.Q", "rate", "15", "0.9"),
    ("C.T", "时效", "C", "group", "10", ""),
    ("C5", "按时处置结案率", "C.T", "rate", "10", "1"),
    ("C6", "平均处置时长（工作分钟）", "C.T", "mean", "", ""),
    ("X", "效益", None, "group", "20", ""),
    ("X1", "社会效益（矛盾化解、平安建设）", "X", "manual", "10", ""),
    ("X2", "服务对象满意度", "X", "manual", "10", ""),
    ("X3", "矛盾纠纷调解次数", "X", "sum", "", ""),
    ("X4", "宣传材料发放份数", "X", "sum", "", ""),
]
MANUAL = {"J1": ("5", "立项文件：高新区管委会批复"), "J2": ("5", "审批程序完整"),
          "J3": ("4.5", "绩效目标申报表"), "J4": ("5", "预算测算表"),
          "G1": ("5", "执行率 100%"), "G2": ("5", "审计意见：无问题"),
          "G3": ("5", "网格化管理制度、考核办法"), "C2": ("5", "基础数据 47199 人"),
          "X1": ("10", "调解 112 次、社情民意 315 条"), "X2": ("9", "满意度调查 500 份")}
byid = {t[0]: t for t in TREE}

def path(i):
    t = byid[i]
    return t[1] if t[2] is None else path(t[2]) + " › " + t[1]

def q2(x):
    return format(D(x).quantize(D("0.01"), rounding=ROUND_HALF_EVEN).normalize(), "f") if x != "" else ""

def frac(n, d):
    if d == 0:
        return "n/a"
    s = str((D(n) / D(d)).quantize(D("0.000001"), rounding=ROUND_HALF_EVEN))
    s = s.rstrip("0").rstrip(".") if "." in s else s
    return s

def canon(x):
    s = format(D(x).normalize(), "f")
    return s

def grade(s):
    s = D(s)
    return "优" if s >= 90 else "良" if s >= 80 else "中" if s >= 60 else "差"

def block(period, scope, sid, m):
    """m: measures: C3 events, C4 (num), C7 dispatched, C5 (num, den), C6, G4 (n, d), C1 (n, d), X3, X4"""
    vals, scores = {}, {}
    for (i, name, par, typ, w, tgt) in TREE:
        num = den = ev = sc = ""
        if typ == "manual":
            v = ""
            sc, ev = MANUAL[i]
        elif typ == "count":
            v = str(m[i]); num = v
        elif typ == "sum":
            v = str(m[i]); num = v
        elif typ == "mean":
            v = m[i]; num, den = m[i + "sum"], str(m[i + "n"])
        elif typ in ("rate", "share"):
            num, den = m[i]
            v = frac(num, den); num, den = str(num), str(den)
            if w:
                if v == "n/a":
                    sc = "0"
                else:
                    sc = q2(D(w) * min(D(v) / D(tgt), D(1)))
        else:
            v = ""
        vals[i] = (v, num, den, ev)
        scores[i] = sc
    # group scores: sum of items
    for (i, name, par, typ, w, tgt) in reversed(TREE):
        if typ == "group":
            items = [t[0] for t in TREE if t[2] == i and scores[t[0]] != ""]
            scores[i] = canon(sum(D(scores[x]) for x in items)) if items else ""
    rows = []
    for (i, name, par, typ, w, tgt) in TREE:
        v, num, den, ev = vals[i]
        rows.append(["kpi", period, scope, sid, i, name, path(i), typ, v, num, den, tgt, w,
                     canon(scores[i]) if scores[i] != "" else "", "", ev])
    tops = [t[0] for t in TREE if t[2] is None]
    tot = canon(sum(D(scores[x]) for x in tops if scores[x] != ""))
    rows.append(["kpi", period, scope, sid, "total", "", "", "group", "", "", "", "", "100", tot, grade(tot), ""])
    return rows

def measures(ev, self_, ontime, closed, g4, c1, x3, x4, mins):
    return {"C3": ev, "C4": (self_, ev), "C7": ev - self_, "C5": (ontime, closed),
            "C6": frac(mins, closed) if closed else "n/a", "C6sum": str(mins), "C6n": closed,
            "G4": g4, "C1": c1, "X3": x3, "X4": x4}

out = [HEAD]
year = measures(388, 328, 388, 388, (9700, 10000), (400, 444), 112, 30000, 388 * 212)
months = [20, 24, 30, 28, 35, 36, 40, 38, 33, 34, 36, 34]       # 388
mself = [16, 20, 25, 24, 30, 31, 35, 33, 28, 28, 30, 28]         # 328
streets = {"430302001": (210, 180), "430302002": (178, 148)}
grids = {"430302001001001": (80, 70), "430302001001002": (70, 60), "430302001001003": (60, 50),
         "430302002001001": (90, 75), "430302002001002": (88, 73), "430302002001003": (0, 0)}
rows = []
rows += block("2017", "all", "", year)
for k in range(12):
    p = "2017-%02d" % (k + 1)
    rows += block(p, "all", "", measures(months[k], mself[k], months[k], months[k], (800, 830), (36, 37), 9, 2500, months[k] * 212))
for sid, (e, s) in streets.items():
    rows += block("2017", "street", sid, measures(e, s, e, e, (4850, 5000), (200, 222), 56, 15000, e * 212))
for sid, (e, s) in grids.items():
    rows += block("2017", "grid", sid, measures(e, s, e, e, (1600, 1650), (70, 74), 18, 5000, e * 212))
# kpi-score order: period, scope (all, street, grid), scope id
order = {"all": 0, "street": 1, "grid": 2}
rows.sort(key=lambda r: (r[1], order[r[2]], r[3]))   # stable: tree order kept
for r in [HEAD] + rows:
    print("\t".join(r))
