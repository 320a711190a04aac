"""Words for the survey's codes (relation, sex, education, land, family types, vulnerable
groups), shown on every page that shows a person or a household and offered by every form
that asks for one. The codes themselves are the data contract's (engine/contract.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

RELATION = {
    "head": _("head of household"),
    "spouse": _("spouse"),
    "child": _("child"),
    "stepchild": _("stepchild"),
    "child_in_law": _("son- or daughter-in-law"),
    "grandchild": _("grandchild"),
    "parent": _("parent"),
    "parent_in_law": _("parent-in-law"),
    "sibling": _("brother or sister"),
    "relative": _("other relative"),
    "non_relative": _("not related"),
}
EDUCATION = {
    "none": _("no schooling"),
    "pre_primary": _("pre-primary"),
    "primary": _("primary (ป.1-ป.6)"),
    "lower_secondary": _("lower secondary (ม.1-ม.3)"),
    "upper_secondary": _("upper secondary (ม.4-ม.6)"),
    "vocational": _("vocational certificate (ปวช.)"),
    "diploma": _("diploma (ปวส./อนุปริญญา)"),
    "bachelor": _("bachelor's degree"),
    "postgraduate": _("postgraduate"),
}
STUDENT_STATUS = {
    "none": _("not studying"),
    "full_time": _("studying full time"),
    "part_time": _("studying part time"),
}
SEX = {"M": _("male"), "F": _("female")}
LAND_TENURE = {
    "own": _("own land"),
    "rent": _("rented"),
    "public": _("lives on public land"),
    "other": _("other"),
}
FAMILY_TYPE = {
    "single_parent": _("single parent"),
    "skipped_generation": _("skipped generation"),
    "elderly_only": _("elderly only"),
    "same_sex_couple": _("same-sex couple"),
    "blended": _("blended family"),
    "teen": _("teenage parents"),
}
# The manual's three vulnerable groups (seed 004 ผนวก ก). The engine tags the first two from
# survey answers (vg_high_risk, vg_disabled_ill); the field adds the third on form ศจพ.2.
VULNERABLE = {
    "high_risk": _("higher risk than others (pregnant women, elderly people)"),
    "disabled_ill": _(
        "disabled or ill (disabled, psychiatric or dementia patients, sick children)"
    ),
    "not_free": _("not free to decide for themselves (e.g. prisoners)"),
}
