"""One survey year's answers for a province's population.

Deprivation is decided top-down, per household and indicator, and the answers are then
written to agree with the decision. Drawing person answers independently would make the
household rates depend on household size and composition in ways that are hard to steer;
deciding "this household fails E4" first and then making one of its 15-59 year olds
unable to read keeps every indicator's rate a single number in `RATES` that can be
calibrated against the register of seed 003.

Who an answer applies to comes from the catalogue (`applies`), so answers are left null
exactly where the catalogue does not ask them. In the second and later years a household
that was deprived stays deprived with probability `PERSIST`, others fall in at a rate that
keeps the target share roughly steady (a little falling, as a programme would hope), and
the same member fails again where possible: the member who fails is the one with the
lowest stable lot (person id, indicator), not a fresh draw.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cheepao.engine import catalogue as catalogue_mod
from cheepao.engine import contract
from cheepao.engine.catalogue import Catalogue, Indicator
from cheepao.synth import ids, names
from cheepao.synth.frame import Frame, lexsort
from cheepao.synth.population import REL, Province, age_at, calendar_year, fertile, reference_date

# Probability that an eligible household (one with a member the indicator applies to)
# is deprived in the indicator, before district, village and household multipliers.
# Calibrated so that about 5 % of households are targets and the dimensions rank as in
# seed 003 (education far ahead, then income, health, living; access almost never).
RATES = {
    "H1": 0.0508,
    "H2": 0.00135,
    "H3": 0.000972,
    "H4": 0.00173,
    "L1": 0.000864,
    "L2": 0.000432,
    "L3": 0.000432,
    "L4": 0.000756,
    "E1": 0.0515,
    "E2": 0.0288,
    "E3": 0.0834,
    "E4": 0.0244,
    "I1": 0.00389,
    "I2": 0.00302,
    "I3": 0.00518,
    "A1": 0.00013,
    "A2": 0.000864,
}
PERSIST = 0.6  # a deprived household stays deprived in the indicator next year
DRIFT = 0.85  # new deprivation relative to the steady state: poverty slowly recedes
# The poorest ~0.1 % of households (poverty propensity beyond CRISIS_Z) are deprived
# across the board: they are the critical targets (3+ dimensions) of the manual.
CRISIS_Z = 3.1
CRISIS_MULT = 150.0
EXACT_THRESHOLD_SHARE = 0.004  # households whose income per person is exactly the threshold
# Order in which dimensions are drawn: later answers depend on earlier ones (who is a
# full-time student decides who must have an occupation).
DIMENSION_ORDER = ("education", "health", "living", "access", "income")

OCCUPATIONS = (
    ("ทำนา", 0.40),
    ("รับจ้างทั่วไป", 0.22),
    ("ทำไร่", 0.06),
    ("ทำสวน", 0.04),
    ("เลี้ยงสัตว์", 0.04),
    ("ค้าขาย", 0.08),
    ("ลูกจ้างบริษัท", 0.05),
    ("รับราชการ", 0.03),
    ("ช่างก่อสร้าง", 0.03),
    ("ขับรถรับจ้าง", 0.02),
    ("ทอผ้า/หัตถกรรม", 0.02),
    ("ประมงน้ำจืด", 0.01),
)
OCCUPATION_TEXT = (*tuple(o for o, _ in OCCUPATIONS), "นักเรียน", "นักศึกษา")
STUDENT_PUPIL, STUDENT_UNI = len(OCCUPATIONS), len(OCCUPATIONS) + 1
EDU = {e: i for i, e in enumerate(contract.EDUCATION)}
STUDENT = {s: i for i, s in enumerate(contract.STUDENT_STATUS)}
# highest education of adults by birth cohort (none ... postgraduate)
EDU_BY_COHORT = (
    (1960, (0.06, 0, 0.80, 0.06, 0.04, 0.02, 0.01, 0.01, 0)),
    (1980, (0.02, 0, 0.55, 0.15, 0.12, 0.06, 0.04, 0.055, 0.005)),
    (1995, (0.01, 0, 0.20, 0.22, 0.25, 0.10, 0.07, 0.145, 0.005)),
    (9999, (0.005, 0, 0.05, 0.20, 0.33, 0.14, 0.08, 0.19, 0.005)),
)


def _hh_any(hix: np.ndarray, flag: np.ndarray, n_hh: int) -> np.ndarray:
    return np.bincount(hix[flag], minlength=n_hh) > 0


def applies(ind: Indicator, cols: dict[str, np.ndarray]) -> np.ndarray:
    """The catalogue's `applies` for members, on numpy columns (mirrors the engine)."""
    a = ind.applies
    age = cols["age"]
    out = np.ones(len(age), bool)
    if a.age_min is not None:
        out &= age >= a.age_min
    if a.age_max is not None:
        out &= age <= a.age_max
    if a.where is not None:
        out &= cols[a.where]
    for flag in a.exempt:
        out &= ~cols[flag]
    return out


class YearDraw:
    """State for drawing one year: members and households as columns, and the decisions."""

    def __init__(self, prov: Province, year: int, cat: Catalogue):
        self.prov = prov
        self.year = year
        self.cat = cat
        self.rng = prov.rng(2, year)
        hh = prov.households
        m = prov.members
        order = lexsort((m["birth"], m["rel"], m["hh"]))
        self.m = m.take(order)
        prov.members = self.m
        self.hh = hh
        self.n_hh = len(hh)
        self.hix = np.searchsorted(hh["uid"], self.m["hh"])
        self.ref = reference_date(year)
        self.age = age_at(self.m["birth"], self.ref)
        self.size = np.bincount(self.hix, minlength=self.n_hh)
        self.mcols: dict[str, np.ndarray] = {"age": self.age}
        self.hcols: dict[str, np.ndarray] = {}
        self.fail: dict[str, np.ndarray] = {}  # indicator -> household deprived
        self.forced_zero = np.zeros(len(self.m), bool)  # members who must have no income
        self._multipliers()

    # ------------------------------------------------------------------ decisions

    def _multipliers(self) -> None:
        prov, hh = self.prov, self.hh
        vkey = hh["sub"] * 100 + hh["village"]
        village = np.exp(0.9 * (ids.stable_uniform(vkey, prov.seed + 17) - 0.5))
        household = np.exp(1.2 * hh["z"] - 0.72)
        household = np.where(hh["z"] > CRISIS_Z, household * CRISIS_MULT, household)
        dims = [d.code for d in self.cat.dimensions]
        dm = prov.district_dim_mult
        self.mult = {d: dm[hh["district_ix"], i] * village * household for i, d in enumerate(dims)}

    def decide(self, ind: Indicator, eligible: np.ndarray) -> np.ndarray:
        p = np.clip(RATES.get(ind.code, 0.0) * self.mult[ind.dimension], 0, 0.9)
        u = self.rng.random(self.n_hh)
        prev = self.prov.previous
        if prev is None:
            fail = eligible & (u < p)
        else:
            pos = np.clip(np.searchsorted(prev["uid"], self.hh["uid"]), 0, len(prev["uid"]) - 1)
            known = prev["uid"][pos] == self.hh["uid"]
            was = known & prev["fail"][ind.code][pos]
            p_new = DRIFT * p * (1 - PERSIST) / (1 - p)
            fail = eligible & np.where(was, u < PERSIST, u < p_new)
        self.fail[ind.code] = fail
        return fail

    def pick(
        self, ind: Indicator, applicable: np.ndarray, fail_hh: np.ndarray, extra: float = 0.25
    ) -> np.ndarray:
        """Members who fail: in each failing household the applicable member with the
        lowest stable lot, and each other applicable member with probability `extra`."""
        cand = np.flatnonzero(applicable & fail_hh[self.hix])
        out = np.zeros(len(self.m), bool)
        if not len(cand):
            return out
        salt = 1000 + [i.code for i in self.cat.indicators].index(ind.code)
        lot = ids.stable_uniform(self.m["uid"][cand], salt)
        order = np.lexsort((lot, self.hix[cand]))
        c = cand[order]
        first = np.r_[True, self.hix[c][1:] != self.hix[c][:-1]]
        out[c[first]] = True
        out[c[~first]] = self.rng.random(int((~first).sum())) < extra
        return out

    def person_indicator(self, ind: Indicator) -> tuple[np.ndarray, np.ndarray]:
        app = applies(ind, self.mcols)
        elig = _hh_any(self.hix, app, self.n_hh)
        fail_hh = self.decide(ind, elig)
        return app, self.pick(ind, app, fail_hh)

    def set_all_rule(self, ind: Indicator, app: np.ndarray, fails: np.ndarray) -> None:
        """A person rule `all: [answer, ...]`: applicable members answer yes, failing no."""
        cols = [c for c in ind.passes.args if c in contract.MEMBERS.names]
        pick = self.rng.integers(0, len(cols), len(self.m))
        for j, c in enumerate(cols):
            self.mcols[c] = np.where(app, ~(fails & ((pick == j) | (len(cols) == 1))), True)

    def household_all_rule(self, ind: Indicator) -> np.ndarray:
        """A household rule `all: [...]`: failing households say no to 1-3 of the items."""
        fail = self.decide(ind, np.ones(self.n_hh, bool))
        cols = list(ind.passes.args)
        k = np.minimum(
            len(cols), 1 + (self.rng.random(self.n_hh) < 0.3) + (self.rng.random(self.n_hh) < 0.08)
        )
        salt = 2000 + [i.code for i in self.cat.indicators].index(ind.code)
        lots = [ids.stable_uniform(self.hh["uid"], salt + 97 * j) for j in range(len(cols))]
        for j, c in enumerate(cols):
            # the item's rank among the household's lots: it fails if among the k lowest
            rank = np.zeros(self.n_hh, np.int64)
            for i in range(len(cols)):
                if i != j:
                    rank += lots[i] < lots[j]
            self.hcols[c] = ~(fail & (rank < k))
        return fail

    # ------------------------------------------------------------------ the year

    def draw(self) -> tuple[pa.Table, pa.Table]:
        self.flags()
        for dim in DIMENSION_ORDER:
            if dim == "income":
                self.schooling()
                self.occupations()
            for ind in self.cat.indicators_of(dim):
                handler = getattr(self, f"ind_{ind.code}", None)
                if handler is not None:
                    handler(ind)
                elif ind.unit == "household" and ind.passes.kind == "all":
                    self.household_all_rule(ind)
                elif ind.unit == "person" and ind.passes.kind == "all":
                    self.set_all_rule(ind, *self.person_indicator(ind))
                else:
                    raise ValueError(f"the generator cannot draw indicator {ind.code}")
        self.incomes()
        self.welfare_and_money()
        self.prov.previous = {"uid": self.hh["uid"].copy(), "fail": dict(self.fail)}
        return self.households_table(), self.members_table()

    def flags(self) -> None:
        """newborn, m3_graduate, pregnant, disability: the flags the catalogue's `where` reads."""
        m, age, rng = self.m, self.age, self.rng
        n = len(m)
        self.mcols["newborn"] = (age == 0) & (rng.random(n) < 0.85)
        p_m3 = np.select([age == 15, age == 16, age == 17], [0.72, 0.08, 0.03], 0.0)
        self.mcols["m3_graduate"] = rng.random(n) < p_m3
        self.fertile = fertile(m, age)
        self.mcols["pregnant"] = m["pregnant"]
        self.mcols["disabled"] = m["disabled"]
        self.mcols["self_care"] = m["self_care"]
        self.mcols["dependent_disabled"] = m["disabled"] & ~m["self_care"]
        # placeholders until schooling() has run; only income rules read them
        self.mcols["full_time_student"] = np.zeros(n, bool)

    # education ---------------------------------------------------------------

    def schooling(self) -> None:
        """student_status and education follow from age and the education answers."""
        age, rng, n = self.age, self.rng, len(self.m)
        u = rng.random(n)
        ss = np.full(n, STUDENT["none"])
        pre = self.mcols.get("preschool_care", np.zeros(n, bool))
        comp = self.mcols.get("compulsory_schooling", np.ones(n, bool))
        m3 = self.mcols["m3_graduate"]
        cont = self.mcols.get("continued_m4", np.ones(n, bool))
        ss[(age >= 3) & (age <= 5) & pre & (u < 0.85)] = STUDENT["full_time"]
        school = (age >= 6) & (age <= 14) & comp
        ss[school] = np.where(u[school] < 0.99, STUDENT["full_time"], STUDENT["part_time"])
        teen = (age >= 15) & (age <= 17)
        grad = teen & m3
        ss[grad & cont] = np.where(u[grad & cont] < 0.9, STUDENT["full_time"], STUDENT["part_time"])
        other = teen & ~m3
        ss[other & (u < 0.85)] = STUDENT["full_time"]
        ss[other & (u >= 0.85) & (u < 0.9)] = STUDENT["part_time"]
        for lo, hi, ft, pt in ((18, 21, 0.35, 0.08), (22, 24, 0.08, 0.05), (25, 59, 0.0, 0.015)):
            band = (age >= lo) & (age <= hi)
            ss[band & (u < ft)] = STUDENT["full_time"]
            ss[band & (u >= ft) & (u < ft + pt)] = STUDENT["part_time"]
        self.student = ss
        self.mcols["full_time_student"] = ss == STUDENT["full_time"]

        edu = np.full(n, -1)
        born = calendar_year(self.m["birth"])
        ue = self.m["u_edu"]
        for upper, probs in reversed(EDU_BY_COHORT):
            cdf = np.cumsum(probs)
            cohort = born < upper
            edu[cohort] = np.minimum(np.searchsorted(cdf, ue[cohort], side="right"), len(probs) - 1)
        in_school = ss != STUDENT["none"]
        edu[(age >= 18) & (age <= 21) & (edu >= EDU["bachelor"]) & ~in_school] = EDU[
            "upper_secondary"
        ]
        kid = age <= 17
        kid_edu = np.select(
            [age < 3, age <= 5, age <= 11, age <= 14, m3 | (age >= 16)],
            [
                -1,
                EDU["pre_primary"],
                EDU["primary"],
                EDU["lower_secondary"],
                EDU["upper_secondary"],
            ],
            EDU["lower_secondary"],
        )
        kid_edu = np.where((age >= 3) & (age <= 5) & ~in_school, EDU["none"], kid_edu)
        kid_edu = np.where((age >= 6) & (age <= 14) & ~comp, EDU["primary"], kid_edu)
        vocational = (age >= 15) & (ue < 0.25) & (kid_edu == EDU["upper_secondary"])
        kid_edu = np.where(vocational, EDU["vocational"], kid_edu)
        edu = np.where(kid, kid_edu, edu)
        illiterate = ~self.mcols.get("literacy", np.ones(n, bool))
        edu = np.where(illiterate, np.where(ue < 0.6, EDU["none"], EDU["primary"]), edu)
        self.edu = edu

    # health --------------------------------------------------------------------

    def ind_H1(self, ind: Indicator) -> None:
        app, fails = self.person_indicator(ind)
        n = len(self.m)
        ok = np.clip(self.rng.normal(3080, 380, n), 2500, 4600)
        low = self.rng.uniform(1400, 2499, n)
        self.birth_weight = np.where(app, np.round(np.where(fails, low, ok)), 0).astype(np.int64)

    # income ----------------------------------------------------------------------

    def occupations(self) -> None:
        """has_occupation by age and schooling; I1/I2 decisions take it away from some."""
        age, rng, n = self.age, self.rng, len(self.m)
        dep = self.mcols["dependent_disabled"]
        u = rng.random(n)
        occ = np.zeros(n, bool)
        working = (age >= 15) & (age <= 59) & ~self.mcols["full_time_student"] & ~dep
        occ |= working
        occ |= (age >= 18) & self.mcols["full_time_student"] & (u < 0.08)
        p_old = np.select([age < 70, age < 80], [0.65, 0.40], 0.12)
        occ |= (age >= 60) & ~dep & (u < p_old)
        self.has_occ = occ

    def ind_I1(self, ind: Indicator) -> None:
        _app, fails = self.person_indicator(ind)
        jobless = fails & (self.rng.random(len(self.m)) < 0.7)
        self.has_occ = np.where(jobless, False, self.has_occ)
        self.forced_zero |= fails

    def ind_I2(self, ind: Indicator) -> None:
        _app, fails = self.person_indicator(ind)
        self.has_occ = np.where(fails, False, self.has_occ)
        self.forced_zero |= fails

    def ind_I3(self, ind: Indicator) -> None:
        self.income_poor = self.decide(ind, np.ones(self.n_hh, bool))

    def incomes(self) -> None:
        """Household income by source and each member's share, in whole baht.

        Whole baht keep sums exact, so a household drawn at exactly the threshold has an
        income per person of exactly 38,000.0 in the engine.
        """
        hh, rng, n_hh = self.hh, self.rng, self.n_hh
        m, age, hix = self.m, self.age, self.hix
        threshold = self.cat.threshold("income_per_person_year", self.year)
        size = self.size
        poor = self.income_poor
        exact = ~poor & (rng.random(n_hh) < EXACT_THRESHOLD_SHARE)
        low = threshold * (0.4 + 0.6 * rng.random(n_hh) ** 0.6)
        high = threshold + 42_000 * np.exp(0.75 * hh["zq"] - 0.25 * hh["z"])
        total = np.where(
            poor, np.minimum(np.floor(low * size), threshold * size - 1), np.ceil(high * size)
        )
        total = np.where(exact, threshold * size, total).astype(np.int64)

        # allowances: old age (by age band), disability; nobody forced to zero gets them
        monthly = np.select([age >= 90, age >= 80, age >= 70, age >= 60], [1000, 800, 700, 600], 0)
        monthly = monthly + np.where(m["disabled"], np.where(age < 18, 1000, 800), 0)
        allowance = np.where(self.forced_zero, 0, monthly * 12).astype(np.int64)
        earner_w = np.where(
            self.has_occ & ~self.forced_zero,
            np.where(age >= 60, 0.5, np.where(self.student != 0, 0.3, 1.0)),
            0.0,
        )
        w_hh = np.bincount(hix, weights=earner_w, minlength=n_hh)
        # who receives remittances: the head, or the oldest adult who may have income
        can = ~self.forced_zero & (age >= 15)
        recv = np.full(n_hh, -1)
        cand = np.flatnonzero(can)
        # members are sorted head first, then by relation and age: first candidate per household
        first = np.r_[True, hix[cand][1:] != hix[cand][:-1]] if len(cand) else np.zeros(0, bool)
        recv[hix[cand[first]]] = cand[first]

        s_own = np.where(rng.random(n_hh) < 0.8, rng.uniform(0.04, 0.25, n_hh), 0.0)
        own = np.floor(total * s_own).astype(np.int64)
        allow_hh = np.bincount(hix, weights=allowance, minlength=n_hh).astype(np.int64)
        remit = np.where(
            (recv >= 0) & (rng.random(n_hh) < 0.45),
            np.floor(total * rng.uniform(0.05, 0.35, n_hh)),
            0,
        ).astype(np.int64)
        has_labour = w_hh > 0
        cap = np.where(has_labour, np.floor(0.6 * (total - own)), total - own).astype(np.int64)
        other = np.minimum(allow_hh + remit, cap)
        # a household where nobody may have income lives on what it grows
        nobody = ~has_labour & (recv < 0) & (allow_hh == 0)
        other = np.where(nobody, 0, other)
        own = np.where(nobody, total, own)
        rest = total - own - other
        # with no earner the rest is support from relatives: other income
        other = np.where(~has_labour & ~nobody, other + rest, other)
        labour = np.where(has_labour, rest, 0)
        secondary = np.floor(
            labour * np.where(rng.random(n_hh) < 0.5, rng.uniform(0, 0.3, n_hh), 0)
        ).astype(np.int64)
        main = labour - secondary
        self.hcols.update(
            income_main=main,
            income_secondary=secondary,
            income_other=other,
            income_own_production=own,
        )

        # members: labour shared by weight, allowances to their holders, the rest of
        # `other` (remittances, support) to the receiver; remainders to the first earner
        share = np.where(
            earner_w > 0, np.floor(labour[hix] * earner_w / np.maximum(w_hh[hix], 1e-9)), 0
        )
        scale = np.minimum(1.0, other / np.maximum(allow_hh, 1))
        own_allow = np.floor(allowance * scale[hix])
        personal = share + own_allow
        left = main + secondary + other - np.bincount(hix, weights=personal, minlength=n_hh)
        left = np.round(left).astype(np.int64)
        has_recv = recv >= 0
        earner_first = np.full(n_hh, -1)
        e = np.flatnonzero(earner_w > 0)
        if len(e):
            ef = np.r_[True, hix[e][1:] != hix[e][:-1]]
            earner_first[hix[e[ef]]] = e[ef]
        target = np.where(has_recv, recv, earner_first)
        personal = personal.astype(np.int64)
        ok = (target >= 0) & (left > 0)
        np.add.at(personal, target[ok], left[ok])
        self.income_year = personal.astype(np.float64)
        # of which from the member's own work: their share of the labour income
        self.income_work_year = share.astype(np.float64)
        # earners and allowance holders on a thin budget still have some income
        thin = ~self.forced_zero & (self.has_occ | (allowance > 0)) & (self.income_year <= 0)
        self.income_year = np.where(thin, np.maximum(allowance, 1200), self.income_year)
        self.income_year = np.where(self.forced_zero, 0.0, self.income_year)
        self.income_work_year = np.minimum(
            np.where(self.forced_zero, 0.0, self.income_work_year), self.income_year
        )

    # access and the rest ---------------------------------------------------------------

    def welfare_and_money(self) -> None:
        hh, rng, n_hh, age = self.hh, self.rng, self.n_hh, self.age
        z, zq = hh["z"], hh["zq"]
        target = np.zeros(n_hh, bool)
        for f in self.fail.values():
            target |= f
        p_card = np.clip(
            0.29 * np.exp(0.45 * z - 0.35 * zq - 0.16) * np.where(target, 1.8, 1.0), 0, 0.92
        )
        self.card = (age >= 18) & (self.m["u_card"] < p_card[self.hix])
        u = rng.random((6, n_hh))
        formal = np.where(
            u[0] < np.clip(0.55 + 0.1 * z, 0.05, 0.95),
            np.round(np.exp(rng.normal(np.log(60_000), 0.9, n_hh)), -2),
            0,
        )
        informal = np.where(
            u[1] < np.clip(0.08 * np.exp(0.5 * z), 0, 0.6),
            np.round(np.exp(rng.normal(np.log(15_000), 0.8, n_hh)), -2),
            0,
        )
        savings = np.where(
            u[2] < np.clip(0.75 - 0.1 * z, 0.1, 0.98),
            np.round(np.exp(rng.normal(np.log(12_000) + 0.5 * zq, 1.0, n_hh)), -2),
            0,
        )
        tenure = np.searchsorted(np.cumsum([0.86, 0.04, 0.07, 0.03]), u[3], side="right")
        insecure = ~self.hcols["housing_secure"]
        tenure = np.where(
            insecure, np.searchsorted(np.cumsum([0, 0.25, 0.5, 0.25]), u[4], side="right"), tenure
        )
        self.hcols.update(debt_formal=formal, debt_informal=informal, savings=savings)
        self.tenure = np.minimum(tenure, len(contract.LAND_TENURE) - 1)

    # ------------------------------------------------------------------ tables

    def households_table(self) -> pa.Table:
        hh = self.hh
        self.hh_id_bytes = hh_id_bytes(hh)
        hh_id = strings(self.hh_id_bytes)
        house_no = pc.cast(pa.array(hh["house_base"]), pa.string())
        sub = pc.cast(pa.array(hh["house_sub"]), pa.string())
        house_no = pc.if_else(
            pa.array(hh["house_sub"] > 0), pc.binary_join_element_wise(house_no, sub, "/"), house_no
        )
        cols = {
            "survey_year": np.full(self.n_hh, self.year, np.int64),
            "hh_id": hh_id,
            "house_code": strings(digit_bytes(hh["house_code"], 11)),
            "subdistrict_code": strings(digit_bytes(hh["sub"], 6)),
            "village_no": hh["village"],
            "house_no": house_no,
            "lat": hh["lat"],
            "lon": hh["lon"],
            "land_tenure": coded(contract.LAND_TENURE, self.tenure),
            **self.hcols,
        }
        return to_arrow(contract.HOUSEHOLDS, cols)

    def members_table(self) -> pa.Table:
        m, age, n = self.m, self.age, len(self.m)
        female = m["female"]
        married = m["married"] | (m["rel"] == REL["spouse"])
        title = names.titles(female, age, married)
        member_no = np.arange(n) - np.repeat(np.r_[0, np.cumsum(self.size)[:-1]], self.size) + 1
        occ_text = np.full(n, -1)
        cdf = np.cumsum([p for _, p in OCCUPATIONS])
        lot = ids.stable_uniform(m["uid"], 31)
        occ_text[self.has_occ] = np.minimum(
            np.searchsorted(cdf / cdf[-1], lot[self.has_occ]), len(OCCUPATIONS) - 1
        )
        ft = self.mcols["full_time_student"]
        occ_text[ft & ~self.has_occ & (age >= 6)] = np.where(
            age[ft & ~self.has_occ & (age >= 6)] >= 18, STUDENT_UNI, STUDENT_PUPIL
        )
        cols = {
            "survey_year": np.full(n, self.year, np.int64),
            "hh_id": strings(self.hh_id_bytes[self.hix]),
            "member_no": member_no,
            "pin": strings(digit_bytes(m["pin"], 13)),
            "title": coded(names.TITLES, title),
            "first_name": coded(names.FIRST_NAMES, m["first"]),
            "last_name": coded(names.SURNAMES, m["last"]),
            "sex": coded(SEXES, female.astype(np.int8)),
            "birth_date": m["birth"],
            "age": age,
            "relation": coded(contract.RELATION, m["rel"]),
            "education": coded(contract.EDUCATION, self.edu),
            "student_status": coded(contract.STUDENT_STATUS, self.student),
            "occupation": coded(OCCUPATION_TEXT, occ_text),
            "has_occupation": self.has_occ,
            "income_year": self.income_year,
            "income_work_year": self.income_work_year,
            "disabled": m["disabled"],
            "self_care": m["self_care"],
            "chronic_illness": m["chronic"],
            "welfare_card": self.card,
            "pregnant": pa.array(self.mcols["pregnant"], mask=~self.fertile),
            "newborn": self.mcols["newborn"],
            "birth_weight_g": self.birth_weight,
            "m3_graduate": self.mcols["m3_graduate"],
        }
        # answers the catalogue asks only of some members: null for everyone else
        for col, inds in catalogue_mod.applicable_members(self.cat).items():
            if contract.MEMBERS[col].required:
                continue
            asked = np.zeros(n, bool)
            for ind in inds:
                asked |= applies(ind, self.mcols)
            values = cols[col] if col in cols else self.mcols[col]
            cols[col] = pa.array(np.asarray(values), mask=~asked)
        return to_arrow(contract.MEMBERS, cols)


SEXES = ("M", "F")


@cache
def _dictionary(values: tuple[str, ...]) -> tuple[pa.Array, np.ndarray]:
    """The distinct values (first occurrence order) and where each listed value went.

    A Parquet dictionary must not repeat a value: Arrow's writer falls back to plain
    encoding for a column whose dictionary does (two old first names are both male and
    female names), and then its bytes are not reproducible.
    """
    distinct = list(dict.fromkeys(values))
    where = np.array([distinct.index(v) for v in values], np.int32)
    return pa.array(distinct, pa.string()), where


def coded(values: tuple[str, ...], index: np.ndarray) -> pa.DictionaryArray:
    """Strings from a code list as a dictionary array (index -1 is null).

    Dictionary arrays cost nothing to build and are written to Parquet as dictionary
    pages directly; `output.plain` turns them into plain string columns where needed.
    """
    dictionary, where = _dictionary(values)
    index = np.asarray(index)
    mask = index < 0
    idx = where[np.where(mask, 0, index)]
    arr = pa.array(idx, pa.int32(), mask=mask if mask.any() else None)
    return pa.DictionaryArray.from_arrays(arr, dictionary)


def digit_bytes(values: np.ndarray, width: int) -> np.ndarray:
    """(n, width) ASCII digits of numbers that have exactly `width` digits."""
    v = np.array(values, dtype=np.int64)
    out = np.empty((len(v), width), np.uint8)
    for k in range(width - 1, -1, -1):
        v, d = np.divmod(v, 10)
        out[:, k] = d + 48
    return out


def strings(fixed: np.ndarray) -> pa.Array:
    """A string array from an (n, width) matrix of ASCII bytes, without Python strings."""
    n, width = fixed.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int32)
    data = np.ascontiguousarray(fixed)
    return pa.Array.from_buffers(pa.string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def hh_id_bytes(hh: Frame) -> np.ndarray:
    """`34010105-00012`: subdistrict, village (2 digits), running number (5 digits)."""
    out = np.empty((len(hh["sub"]), 14), np.uint8)
    out[:, :8] = digit_bytes(hh["sub"] * 100 + hh["village"], 8)
    out[:, 8] = ord("-")
    out[:, 9:] = digit_bytes(hh["running"], 5)
    return out


def hh_ids(hh: Frame) -> pa.Array:
    return strings(hh_id_bytes(hh))


@cache
def _arrow_types(name: str) -> tuple[pa.DataType, ...]:
    table = {t.name: t for t in (contract.HOUSEHOLDS, contract.MEMBERS)}[name]
    return tuple(c.arrow for c in table.columns)


def to_arrow(table: contract.Table, cols: dict) -> pa.Table:
    """Columns in contract order with contract types; a missing column is an error.

    String columns may come as dictionary arrays of strings (see `coded`);
    `output.plain` gives the contract's types exactly.
    """
    arrays, fields = [], []
    for c, t in zip(table.columns, _arrow_types(table.name), strict=True):
        v = cols[c.name]
        arr = v if isinstance(v, pa.Array | pa.ChunkedArray) else pa.array(v)
        if pa.types.is_dictionary(arr.type) and arr.type.value_type == t:
            fields.append(pa.field(c.name, arr.type))
        else:
            if pa.types.is_decimal(t) and arr.type != t:
                # amounts are drawn in whole baht; widen first so int64 fits the cast
                arr = arr.cast(pa.decimal128(38, t.scale))
            arr = arr.cast(t) if arr.type != t else arr
            fields.append(pa.field(c.name, t))
        arrays.append(arr)
    return pa.table(arrays, schema=pa.schema(fields))


def draw_year(prov: Province, year: int, cat: Catalogue) -> tuple[pa.Table, pa.Table]:
    return YearDraw(prov, year, cat).draw()
