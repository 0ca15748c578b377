#!/usr/bin/env python3
"""
Builds the 2019 annual reference cases from the anonymised Cegid recap (read-only source, outside the repo):
    /work/shared/reference/golden/annual_2019_cases.json   (parsed from examples/"Récapitulatif de paie.pdf",
    public repository silvainfm/monaco_paie; see annual_FINDINGS.md)
It writes, next to this script,
  - recap-2019.json: the recap pages of the employees covered, transcribed verbatim (the tests read only this),
    each with how its months were reconstructed;
  - cases/r2019-NNN.json: one reference case (shared/cases/case-format.ts) per employee, 12 monthly inputs.
The tests never need the source file: re-run this script only to regenerate the fixtures.

Reconstruction rules (annual_FINDINGS §1, §4, §5, §6, §7):
  * constant monthly items: 0011 salary and hours, seniority 1011/1015/1017, 2053, overtime 2001/2005, 30 meals —
    each must be exactly 12 × a monthly amount in cents, otherwise the employee is not reconstructed;
  * 3211/4271 (paid leave) are left out: they cancel in gross and in every base (findings §7) and their days per
    month are not printed;
  * the other earnings (holidays, absences, maintien, meals below 30 a month) are "variable": their split between
    Jan–Sep and Oct–Dec is read from the two CAR bases (the rate changed on 1 Oct) and they are entered, with the
    printed amounts, in one month of their period (September, December). Only employees for which that split is
    determined (all variable pay in one period, or only holiday pay) are built;
  * 7005: the count n = −amount / 3,62 is spread over the months (linear: exact whatever the spread);
  * 7131 acompte: entered in December (after net only).
"""
import json, os, sys
from decimal import Decimal as D

SRC = "/work/shared/reference/golden/annual_2019_cases.json"
HERE = os.path.dirname(os.path.abspath(__file__))
MEAL = D("3.62")
CONSTANT_CODES = {"0011", "1011", "1015", "1017", "2053", "2001", "2005"}
LEAVE_CODES = {"3211", "4271"}
HOLIDAY_CODES = {"3179", "3185", "3187", "2081"}
MONACO_OUT = {"2993", "3053"}  # maintien: outside CAR/CCSS/chômage (findings §6)
SENIORITY_REF = D("1296.10")  # 15 553,20 / 12 (findings §7)

def cents(x): return D(str(x)).quantize(D("0.01"))
def half_up(x): return x.quantize(D("0.01"), rounding="ROUND_HALF_UP")

def build(c):
    """Returns (case, meta) or (None, reason)."""
    E = {}
    for e in c["earnings"]:
        if e["code"] in E: return None, f"rubric {e['code']} printed twice"
        E[e["code"]] = e
    if "0011" not in E: return None, "no 0011 monthly salary"
    if "0015" in E: return None, "hourly salary 0015 besides 0011"
    for code in LEAVE_CODES:
        pass
    if cents(E.get("3211", {"amount": 0})["amount"]) + cents(E.get("4271", {"amount": 0})["amount"]) != 0:
        return None, "3211 and 4271 do not cancel"
    twelfth = {}
    for code in CONSTANT_CODES & E.keys():
        a = cents(E[code]["amount"])
        if (a * 100) % 12 != 0: return None, f"{code} {a} is not 12 × a monthly amount (the months differ)"
        twelfth[code] = a / 12
    hours = D(str(E["0011"]["base"])) / 12
    if hours != hours.quantize(D("0.01")): return None, "0011 hours not 12 × monthly hours"
    salary = twelfth["0011"]
    meals_count = int(E["3135"]["base"]) if "3135" in E else 0
    monthly_meals = 30 if meals_count else 0
    meal_shortfall = 360 - meals_count if meals_count else 0
    if meals_count and cents(E["3135"]["amount"]) != half_up(MEAL * meals_count): return None, "3135 ≠ count × 3,62"
    car = {r["employeeRate"]: r for r in c["contributions"] if r["code"] == "1901"}
    if set(car) != {6.55, 6.85}: return None, "not both CAR rate periods"
    const_monthly = salary + sum(twelfth.get(k, D(0)) for k in CONSTANT_CODES - {"0011"}) + MEAL * monthly_meals
    car_js, car_od = cents(car[6.55]["base"]), cents(car[6.85]["base"])
    ccss = {r["employerRate"]: r for r in c["contributions"] if r["code"] in ("9301", "9311")}
    capped = c["id"] in ("r2019-002", "r2019-056")
    base_js = cents(ccss[15.05]["base"]) if not c["id"] == "r2019-002" else car_js
    base_od = cents(ccss[14.75]["base"]) if not c["id"] == "r2019-002" else car_od
    v_js = base_js - 9 * const_monthly
    v_od = base_od - 3 * const_monthly
    variable = [e for k, e in E.items() if k not in CONSTANT_CODES | LEAVE_CODES | {"3135"}]
    others = [e["code"] for e in variable if e["code"] not in HOLIDAY_CODES]
    if others:
        return None, (f"absence/maintien rubrics {others}: the engine values absences from hours at (salary + seniority) / hours "
                      "with a 4-decimal rate, Cegid's printed amounts are not reproducible month by month without the monthly hours")
    if len({e["code"] for e in variable}) > 1:
        return None, "holiday pay under several codes (3179/3187/2081): one display code per rubric"
    monaco_var = sum((cents(e["amount"]) for e in variable if e["code"] not in MONACO_OUT), D(0)) - MEAL * meal_shortfall
    if c["id"] != "r2019-002" and v_js + v_od != monaco_var:
        return None, f"variable pay {monaco_var} ≠ CCSS bases minus constant months {v_js + v_od}"
    months = [{"period": f"2019-{m:02d}", "variables": {}} for m in range(1, 13)]
    for m in months:
        if monthly_meals: m["variables"]["meals"] = monthly_meals
        lines = []
        if "2053" in twelfth: lines.append({"code": "2053", "amount": float(twelfth["2053"])})
        for code in ("2001", "2005"):
            # overtime is computed by the engine from hours (rubric "auto"): 125 % of salary / contract hours
            if code in E: m["variables"]["overtime125"] = float(D(str(E[code]["base"])) / 12)
        if lines: m["variables"]["lines"] = lines
    allocation = ""
    sep, dec = months[8]["variables"], months[11]["variables"]
    def put(var, e, amount=None):
        # Holiday pay is printed in days, valued by Cegid at a per-day amount the engine's hourly rubric 2081 cannot
        # reproduce (e.g. 003: 863,43 for 8 days = 107,93 a day, not a whole number of hours at 2 035,29 / 186,33 h).
        # It is entered as the printed amount under the amount rubric 2041 (same base flags as 2081: in every base
        # and in the 5 % allowance base), printed with the Cegid code.
        var.setdefault("lines", []).append({"code": "2041", "label": e["label"], "amount": float(cents(e["amount"]) if amount is None else amount)})
    if not variable and not meal_shortfall:
        allocation = "constant"
    elif v_od == 0 or v_js == 0:
        target = sep if v_od == 0 else dec
        for e in variable: put(target, e)
        if meal_shortfall: target["meals"] = 30 - meal_shortfall
        allocation = f"all variable pay in {'Jan–Sep (entered in September)' if v_od == 0 else 'Oct–Dec (entered in December)'}"
    elif all(e["code"] in HOLIDAY_CODES for e in variable) and not meal_shortfall:
        # holiday pay only: the CAR split gives each period's holiday pay; entered as the printed rubric
        if len(variable) != 1: return None, "holiday pay under several codes with both periods"
        e = variable[0]
        put(sep, e, v_js); put(dec, e, v_od)
        allocation = f"holiday pay split by the CAR bases: {v_js} in Jan–Sep (entered in September), {v_od} in Oct–Dec (entered in December)"
    else:
        return None, f"variable pay in both periods (Jan–Sep {v_js}, Oct–Dec {v_od}) under several rubrics: the split per rubric is not determined"
    for var in (sep, dec):
        if var.get("meals", 30) < 0: return None, "meal shortfall larger than a month"
        monaco = const_monthly + sum((D(str(l["amount"])) for l in var.get("lines", []) if l["code"] not in MONACO_OUT and l["code"] not in twelfth), D(0))
        if monaco <= 0: return None, "the variable month would be negative"
    # meals recovered after net
    after = {a["code"]: cents(a["amount"]) for a in c["afterNet"]}
    if "7005" in after:
        n = -after["7005"] / MEAL
        if n != int(n): return None, "7005 not a whole number of meals"
        n = int(n)
        for i, m in enumerate(months):
            m["variables"]["mealsDeducted"] = n // 12 + (1 if i < n % 12 else 0)
    if "7131" in after:
        dec["deposit"] = float(-after["7131"])
    extra_after = set(after) - {"7005", "7131", "9995"}
    if extra_after: return None, f"after-net rubrics {extra_after}"
    for m in months:
        if not m["variables"].get("lines"): m["variables"].pop("lines", None)
    # employee
    emp = {"id": c["id"].upper().replace("-", ""), "category": "cadre" if any(r["code"] in ("74A4", "74Q0") for r in c["contributions"]) else "non-cadre",
           "hireDate": "2010-01-01", "contractHours": float(hours), "monthlySalary": float(salary),
           "monacoAllowance": "minimum" if "9995" in after else "none"}
    if c["id"] == "r2019-002": emp["director"] = True
    for code in ("1011", "1015", "1017"):
        if code in twelfth:
            s = twelfth[code]
            rate = next((r for r in (5, 9, 10, 12, 15) if half_up(SENIORITY_REF * r / 100) == s), None)
            emp["seniority"] = {"rate": rate, "base": float(SENIORITY_REF)} if rate else {"amount": float(s)}
    if "2053" in twelfth:
        expect = half_up((salary + twelfth.get("1011", twelfth.get("1015", twelfth.get("1017", D(0))))) * D("0.12"))
        if expect != twelfth["2053"]: return None, "2053 ≠ 12 % of salary + seniority"
    codes = {"0003": "0011", "5011": "3135", "7301": "9995", "7131": "7131"}
    for e in variable: codes["2041"] = e["code"]
    if "2005" in E: codes["2001"] = "2005"
    for code in ("1011", "1015", "1017"):
        if code in E: codes["1001"] = code
    company = {"name": "Restaurant monégasque (anonymisé, R2019)", "codes": codes}
    if emp["category"] == "cadre":
        company["contracts"] = [{"code": "8515", "label": "Prévoyance Cadre TA", "appliesTo": "cadre", "base": {"kind": "ta"}, "employerRate": 1.5}]
    case = {"id": c["id"], "source": "Cegid Paie-GRH 'Récapitulatif de paie' 2019, page " + ",".join(map(str, c["sourcePages"])) +
            " (silvainfm/monaco_paie examples/Récapitulatif de paie.pdf, anonymised in golden/annual_2019_cases.json)",
            "notes": [
                "Twelve monthly inputs rebuilt from the annual totals; the annual comparison is in tests/engine/annual-2019.test.ts (no month has 'expected').",
                f"Monthly constant pay: salary {salary} for {hours} h" + "".join(f", {k} {twelfth[k]}" for k in sorted(twelfth) if k != "0011") + (f", {monthly_meals} meals" if monthly_meals else "") + ".",
                "Variable pay: " + allocation + ".",
                "3211/4271 paid leave left out: the two lines cancel in gross and in every base, and the days per month are not printed.",
            ],
            "company": company, "employee": emp, "months": months}
    meta = {"allocation": "constant" if allocation == "constant" else "period", "how": allocation}
    return case, meta

def main():
    data = {c["id"]: c for c in json.load(open(SRC))}
    full_year_monthly = "001 002 003 005 006 007 008 009 010 011 012 013 014 015 017 020 021 023 028 029 030 031 032 036 051 056 059 067 068 070 075 081".split()
    recap, skipped = {}, {}
    for i in full_year_monthly:
        cid = f"r2019-{i}"
        case, meta = build(data[cid])
        if case is None:
            skipped[cid] = meta
            continue
        if cid == "r2019-056":
            # CAR running ceiling over 1 Oct 2018 – 30 Sep 2019 (findings §3): Oct–Dec 2018 at 4 792,54 a month
            case["opening"] = {
                "year": 2018,
                "ytd": {"gross": 0, "baseSS": 0, "taxableNet": 0, "netPaid": 0, "ceilingSS": 0, "hours": 0, "employeeContributions": 0, "employerContributions": 0},
                "ceilings": {"CAR": {"windowStart": "2018-10-01", "base": 14377.62, "ceiling": 14688, "ta": 14377.62, "tb": 0}},
                "leave": {"yearStart": "2018-05-01", "current": {"acquired": 0, "taken": 0, "months": 0, "referenceGross": 0},
                          "previous": {"acquired": 0, "taken": 0, "months": 0, "referenceGross": 0}},
            }
            case["notes"].append("Opening CAR carry: Oct–Dec 2018 paid 4 792,54 a month (meal at 3,57), 3 × 4 792,54 = 14 377,62 against 3 × 4 896 = 14 688 (annual_FINDINGS §3). Only the CAR figures of the opening state matter; the 2018 year-to-date amounts are not printed and are set to zero.")
        with open(os.path.join(HERE, "cases", cid + ".json"), "w") as f:
            json.dump(case, f, ensure_ascii=False, indent=1)
            f.write("\n")
        rec = {k: data[cid][k] for k in ("id", "sourcePages", "earnings", "totalHours", "gross", "contributions", "totalEmployee", "totalEmployer", "afterNet", "taxableNet", "netToPay")}
        rec["reconstruction"] = meta
        recap[cid] = rec
    out = {"source": "Cegid Paie-GRH 'Récapitulatif de paie' 2019 (Monaco restaurant), public repository silvainfm/monaco_paie, examples/Récapitulatif de paie.pdf; "
                     "anonymised transcription golden/annual_2019_cases.json with annual_FINDINGS.md. Copied verbatim for the employees covered.",
           "conventions": "Amounts in euros with the printed sign; rates in percent; employer-only lines have null employee fields. Jan–Sep and Oct–Dec lines of 1901/9301/9311 differ only by their rate.",
           "notCovered": skipped,
           "employees": recap}
    with open(os.path.join(HERE, "recap-2019.json"), "w") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print("built", sorted(recap)); print("skipped"); [print(" ", k, v) for k, v in skipped.items()]

main()
