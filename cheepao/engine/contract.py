"""The survey data contract: the two input tables every reader, validator and the engine share.

One list of columns here drives the readers (types), the validator (domains, required), the
synthetic generator (what to produce) and `docs/data-contract.md` (which restates it for
people). Answer columns that only some members must give (exercise, schooling, ...) are not
marked required here: the indicator catalogue says who each question applies to, and the
validator asks for the answer exactly where the catalogue applies it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from cheepao.engine import money as money_mod

# Types a column may have. "code" is a string drawn from a closed list of values; "money"
# an amount of baht with two decimals (satang), held exactly as a decimal (ADR 0015).
STR, INT, FLOAT, BOOL, DATE, CODE, MONEY = "str", "int", "float", "bool", "date", "code", "money"


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool
    en: str
    th: str
    codes: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    pattern: str | None = None  # a regular expression the text must match in full
    #: Other header names the readers accept for this column (e.g. the Thai headings of a
    #: real export); matched like the name: trimmed, any case, inner spaces as one.
    aliases: tuple[str, ...] = ()

    @property
    def arrow_type(self) -> str:
        """The Arrow type's name ("int64", "decimal128(18, 2)"); `arrow` is the type."""
        if self.type == MONEY:
            return str(money_mod.ARROW)
        return {
            STR: "string",
            CODE: "string",
            INT: "int64",
            FLOAT: "float64",
            BOOL: "bool",
            DATE: "date32",
        }[self.type]

    @property
    def arrow(self) -> pa.DataType:
        """The column's Arrow type (also its Parquet, DuckDB and Spark type)."""
        if self.type == MONEY:
            return money_mod.ARROW
        return pa.type_for_alias(self.arrow_type)


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...] = field(default_factory=tuple)

    def __getitem__(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


SURVEY_YEAR_MIN, SURVEY_YEAR_MAX = 2550, 2700  # Buddhist Era
VILLAGE_NO_MIN, VILLAGE_NO_MAX = 1, 99
AGE_MAX = 120
# Thailand's bounding box, generous by a few kilometres.
LAT_MIN, LAT_MAX = 5.5, 20.6
LON_MIN, LON_MAX = 97.3, 105.7

LAND_TENURE = ("own", "rent", "public", "other")
SEX = ("M", "F")
RELATION = (
    "head",
    "spouse",
    "child",
    "stepchild",
    "child_in_law",
    "grandchild",
    "parent",
    "parent_in_law",
    "sibling",
    "relative",
    "non_relative",
)
EDUCATION = (
    "none",
    "pre_primary",
    "primary",
    "lower_secondary",
    "upper_secondary",
    "vocational",
    "diploma",
    "bachelor",
    "postgraduate",
)
STUDENT_STATUS = ("none", "full_time", "part_time")


def _b(name: str, en: str, th: str, required: bool = True) -> Column:
    return Column(name, BOOL, required, en, th)


def _money(name: str, en: str, th: str, required: bool = True) -> Column:
    return Column(name, MONEY, required, en, th, min=0, max=money_mod.MAX)


HOUSEHOLDS = Table(
    "households",
    key=("survey_year", "hh_id"),
    columns=(
        Column(
            "survey_year",
            INT,
            True,
            "Survey year (Buddhist Era)",
            "ปีที่สำรวจ (พ.ศ.)",
            min=SURVEY_YEAR_MIN,
            max=SURVEY_YEAR_MAX,
        ),
        Column(
            "hh_id",
            STR,
            True,
            "Household id, stable across survey years",
            "รหัสครัวเรือน",
            pattern=r"[A-Za-z0-9_\-]{1,40}",
        ),
        Column(
            "house_code", STR, False, "11-digit DOPA house code", "รหัสประจำบ้าน", pattern=r"\d{11}"
        ),
        Column(
            "subdistrict_code",
            STR,
            True,
            "DOPA subdistrict code (6 digits)",
            "รหัสตำบล",
            pattern=r"\d{6}",
        ),
        Column(
            "village_no",
            INT,
            True,
            "Village number within the subdistrict",
            "หมู่ที่",
            min=VILLAGE_NO_MIN,
            max=VILLAGE_NO_MAX,
        ),
        Column("house_no", STR, False, "House number", "บ้านเลขที่"),
        Column("lat", FLOAT, False, "Latitude (WGS84)", "ละติจูด", min=LAT_MIN, max=LAT_MAX),
        Column("lon", FLOAT, False, "Longitude (WGS84)", "ลองจิจูด", min=LON_MIN, max=LON_MAX),
        # H2 food: four practices, all required to pass
        _b(
            "food_fda_mark",
            "Packaged food carries the FDA (อย.) mark",
            "อาหารบรรจุสำเร็จมีเครื่องหมาย อย.",
        ),
        _b("food_meat_cooked", "Meat is cooked", "กินเนื้อสัตว์ที่ทำให้สุก"),
        _b(
            "food_vegetables_safe",
            "Vegetables pesticide-free or washed",
            "ผักปลอดสารพิษหรือล้างหลายครั้ง",
        ),
        _b("food_handwash_spoon", "Hands washed, serving spoon used", "ล้างมือและใช้ช้อนกลาง"),
        # H3 medicine: four practices
        _b("med_household_remedies", "Uses household remedies", "ใช้ยาสามัญประจำบ้าน"),
        _b("med_no_drug_sets", "No drug sets from grocery shops", "ไม่กินยาชุด"),
        _b(
            "med_herbal_own",
            "Herbal medicine only if prepared for the person",
            "ยาสมุนไพรปรุงเฉพาะตน",
        ),
        _b(
            "med_no_false_supplements",
            "No supplements with exaggerated claims",
            "ไม่กินผลิตภัณฑ์เสริมอาหารที่อ้างสรรพคุณเกินจริง",
        ),
        # L1 housing
        _b("housing_secure", "Secure tenure (not public land, not evicted)", "มั่นคงในที่อยู่อาศัย"),
        _b("housing_durable", "Durable house (roof, 4 walls, doors, 5+ years)", "บ้านคงทนถาวร"),
        # L2, L3 water
        _b(
            "drinking_water_enough",
            "Clean drinking water ≥ 5 l/person/day all year",
            "น้ำดื่มสะอาดพอ 5 ลิตร/คน/วัน",
        ),
        _b(
            "use_water_enough",
            "Household-use water ≥ 45 l/person/day all year",
            "น้ำใช้พอ 45 ลิตร/คน/วัน",
        ),
        # L4 home: eight checks
        _b("home_clean", "Inside clean, airy, orderly", "ภายในบ้านสะอาด เป็นระเบียบ"),
        _b("home_kitchen", "Clean kitchen with food cover", "ที่ประกอบอาหารสะอาด"),
        _b("home_water_storage", "Covered clean-water storage", "ที่เก็บน้ำสะอาดมีฝาปิด"),
        _b("home_vector_control", "No disease-vector breeding sites", "กำจัดสัตว์และแมลงพาหะ"),
        _b("home_waste", "Waste managed and sorted", "มีการจัดการขยะ"),
        _b("home_drainage", "Drainage in good order", "ร่องระบายน้ำดี"),
        _b("home_toilet", "Sound, clean toilet", "ส้วมสะอาดแข็งแรง"),
        _b("home_chemicals", "Hazardous chemicals stored apart", "เก็บสารเคมีแยก"),
        # I3 income by source, household totals in baht per year; loans never count
        _money("income_main", "Income from main occupations (baht/year)", "รายได้จากอาชีพหลัก"),
        _money(
            "income_secondary",
            "Income from secondary occupations (baht/year)",
            "รายได้จากอาชีพรอง/เสริม",
        ),
        _money(
            "income_other",
            "Other income: remittances, rent, interest, pensions, allowances",
            "รายได้อื่น",
        ),
        _money("income_own_production", "Own production valued in baht", "รายได้จากการผลิตไว้กินเอง"),
        _money("debt_formal", "Formal debt (baht)", "หนี้ในระบบ", required=False),
        _money("debt_informal", "Informal debt (baht)", "หนี้นอกระบบ", required=False),
        _money("savings", "Savings (baht)", "เงินออม", required=False),
        Column("land_tenure", CODE, False, "Land tenure", "การถือครองที่ดิน", codes=LAND_TENURE),
    ),
)

MEMBERS = Table(
    "members",
    key=("survey_year", "hh_id", "member_no"),
    columns=(
        HOUSEHOLDS["survey_year"],
        HOUSEHOLDS["hh_id"],
        Column(
            "member_no", INT, True, "Member number within the household", "ลำดับสมาชิก", min=1, max=99
        ),
        Column(
            "pin",
            STR,
            False,
            "13-digit national ID with check digit",
            "เลขประจำตัวประชาชน",
            pattern=r"\d{13}",
        ),
        Column("title", STR, False, "Title (นาย/นาง/นางสาว/ด.ช./ด.ญ.)", "คำนำหน้า"),
        Column("first_name", STR, True, "First name", "ชื่อ"),
        Column("last_name", STR, True, "Last name", "นามสกุล"),
        Column("sex", CODE, True, "Sex", "เพศ", codes=SEX),
        Column("birth_date", DATE, False, "Birth date (Gregorian ISO date)", "วันเกิด"),
        Column(
            "age", INT, True, "Age in completed years at the survey", "อายุ (ปี)", min=0, max=AGE_MAX
        ),
        Column(
            "relation",
            CODE,
            True,
            "Relation to the head",
            "ความสัมพันธ์กับหัวหน้าครัวเรือน",
            codes=RELATION,
        ),
        Column("education", CODE, False, "Highest education", "การศึกษาสูงสุด", codes=EDUCATION),
        Column(
            "student_status", CODE, True, "Student status", "สถานะการศึกษา", codes=STUDENT_STATUS
        ),
        Column("occupation", STR, False, "Occupation (free text)", "อาชีพ"),
        _b("has_occupation", "Has a regular occupation", "มีอาชีพ"),
        _money("income_year", "Personal income, all sources (baht/year)", "รายได้ต่อปี"),
        _money(
            "income_work_year",
            "Personal income from own work, no pensions or allowances (baht/year)",
            "รายได้จากการทำงาน (บาท/ปี)",
            required=False,
        ),
        _b("disabled", "Disabled", "พิการ"),
        _b("self_care", "Can care for themselves", "ช่วยเหลือตนเองได้"),
        _b("chronic_illness", "Chronic illness", "ป่วยเรื้อรัง"),
        _b("welfare_card", "Holds the state welfare card", "ถือบัตรสวัสดิการแห่งรัฐ"),
        _b("pregnant", "Pregnant", "ตั้งครรภ์", required=False),
        _b("newborn", "Born in the 12 months before the survey", "เด็กแรกเกิด", required=False),
        Column(
            "birth_weight_g",
            INT,
            False,
            "Birth weight in grams (newborns)",
            "น้ำหนักแรกเกิด (กรัม)",
            min=200,
            max=7000,
        ),
        _b("exercise", "Exercises ≥ 3 days/week, 30 min/day", "ออกกำลังกาย", required=False),
        _b(
            "preschool_care",
            "Receives pre-school care",
            "ได้รับการเตรียมความพร้อมก่อนวัยเรียน",
            required=False,
        ),
        _b(
            "compulsory_schooling",
            "In (or completed) 9-year compulsory education, กศน. counts",
            "ได้รับการศึกษาภาคบังคับ",
            required=False,
        ),
        _b(
            "m3_graduate",
            "Finished lower secondary (M.3) in the last school year",
            "จบ ม.3",
            required=False,
        ),
        _b(
            "continued_m4",
            "Continued to M.4 or equivalent (vocational, กศน.)",
            "เรียนต่อ ม.4 หรือเทียบเท่า",
            required=False,
        ),
        _b(
            "literacy",
            "Reads and writes Thai, simple arithmetic",
            "อ่านเขียนภาษาไทยและคิดเลขได้",
            required=False,
        ),
        _b("elderly_cared", "Elderly person is cared for", "ผู้สูงอายุได้รับการดูแล", required=False),
        _b("disabled_cared", "Disabled person is cared for", "ผู้พิการได้รับการดูแล", required=False),
    ),
)

TABLES = {"households": HOUSEHOLDS, "members": MEMBERS}
