"""Area names for every level, from the DOPA codes shipped by `geothai`.

Villages have no national name list: a village is its subdistrict plus its number (หมู่ที่),
so its name is built from those.
"""

from __future__ import annotations

from functools import cache

import geothai
import pandas as pd

LEVELS = ("province", "district", "subdistrict", "village")
CODE_LENGTH = {"province": 2, "district": 4, "subdistrict": 6, "village": 8}
CODE_COLUMN = {
    "province": "province_code",
    "district": "district_code",
    "subdistrict": "subdistrict_code",
    "village": "village_code",
}


@cache
def areas(level: str) -> pd.DataFrame:
    """code, name_th, name_en, parent_code for every province, district or subdistrict."""
    rows = []
    for p in geothai.provinces():
        if level == "province":
            rows.append((p.code, p.name_th, p.name_en, None))
            continue
        for d in geothai.districts(p.code):
            if level == "district":
                rows.append((d.code, d.name_th, d.name_en, p.code))
                continue
            for s in geothai.subdistricts(d.code):
                rows.append((s.code, s.name_th, s.name_en, d.code))
    return pd.DataFrame(rows, columns=["code", "name_th", "name_en", "parent_code"])


def level_of(code: str) -> str:
    for level, n in CODE_LENGTH.items():
        if len(code) == n:
            return level
    raise ValueError(f"not an area code: {code!r}")


def name_of(code: str) -> tuple[str, str]:
    """(Thai, English) name of an area code of any level."""
    level = level_of(code)
    if level == "village":
        sub_th, sub_en = name_of(code[:6])
        no = int(code[6:])
        return f"หมู่ที่ {no} ต.{sub_th}", f"Village {no}, {sub_en}"
    df = areas(level)
    hit = df[df.code == code]
    if hit.empty:
        return code, code
    return hit.iloc[0]["name_th"], hit.iloc[0]["name_en"]


def village_names(codes: list[str]) -> pd.DataFrame:
    """Names for 8-digit village codes, built from their subdistricts (vectorised)."""
    df = pd.DataFrame({"code": pd.Series(codes, dtype="string")})
    df["parent_code"] = df["code"].str[:6]
    no = df["code"].str[6:].astype("int64").astype("string")
    subs = areas("subdistrict")[["code", "name_th", "name_en"]].rename(
        columns={"code": "parent_code", "name_th": "sub_th", "name_en": "sub_en"}
    )
    # only the subdistricts asked for: merging all 7,400 costs more than the few rows a page
    # names (the result is the same)
    subs = subs[subs["parent_code"].isin(df["parent_code"].unique())]
    df = df.merge(subs, on="parent_code", how="left")
    sub_th = df["sub_th"].fillna(df["parent_code"])
    sub_en = df["sub_en"].fillna(df["parent_code"])
    df["name_th"] = "หมู่ที่ " + no + " ต." + sub_th
    df["name_en"] = "Village " + no + ", " + sub_en
    return df[["code", "name_th", "name_en", "parent_code"]].astype(object)


def with_area_names(df: pd.DataFrame, level: str) -> pd.DataFrame:
    """`df` (with an `area_code` column of `level`) plus area_name_th and area_name_en.

    A code unknown to geothai keeps the code itself as its name rather than a blank.
    """
    codes = sorted(df["area_code"].astype(str).unique())
    names = village_names(codes) if level == "village" else areas(level)
    names = names.rename(
        columns={"code": "area_code", "name_th": "area_name_th", "name_en": "area_name_en"}
    )[["area_code", "area_name_th", "area_name_en"]]
    names = names[names["area_code"].isin(codes)]  # the same result, merged faster
    out = df.merge(names, on="area_code", how="left")
    out["area_name_th"] = out["area_name_th"].fillna(out["area_code"])
    out["area_name_en"] = out["area_name_en"].fillna(out["area_code"])
    return out
