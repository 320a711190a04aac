"""Reads of the registry, by part. Every read of a household starts from the access policy
(`households.policies.HouseholdPolicy` through `core.access`), so no page shows more than
the account's area and a record outside it gives the same 404 as one that does not exist.

- `access`: which households an account may act on (`households_visible_to`,
  `household_for`, `household_folder`, `area_in_scope`; `scope_filter` / `SCOPE_COLUMN`).
- `register`: which registry (`registry_get` / `_latest` / `_years`), the area overview and
  its breadcrumbs, the village register (filters, pages, export rows) and the search.
- `folder`: one household's folder (indicators and why they fail, answers, members,
  history, address, corrections, tags).
- `maps`: the district boundaries and the pins of the folder and register maps.
- `runs`: the engine runs the national load page offers.

They import each other downwards only (access ← register ← folder, maps; runs alone): a
test keeps them without import circles (`tests/test_selectors_layers.py`). Every public
name is re-exported here, so `from cheepao.households import selectors` and
`from cheepao.households.selectors import X` work whatever module X lives in.
"""

from cheepao.core.thai import pick_language
from cheepao.households.selectors.access import (
    AREA_CODE,
    SCOPE_COLUMN,
    area_in_scope,
    household_folder,
    household_for,
    households_visible_to,
    scope_filter,
)
from cheepao.households.selectors.folder import (
    CORRECTIONS,
    DERIVED_LABELS,
    Answer,
    DimensionGroup,
    HistoryLine,
    IndicatorLine,
    MemberReason,
    MemberRow,
    answer_label,
    household_address,
    household_corrections,
    household_history,
    household_indicators,
    household_tags,
    member_rows,
)
from cheepao.households.selectors.maps import (
    BOUNDARY_ATTRIBUTION,
    area_pins,
    district_feature,
    folder_map,
    household_type,
    map_legend,
    map_tiles,
    register_map,
)
from cheepao.households.selectors.register import (
    ACTIVE,
    CHILD_COLUMN,
    PER_PAGE,
    SEARCH_LIMIT,
    AreaCounts,
    AreaOverview,
    Crumb,
    ExportRow,
    RegisterFilters,
    RegisterPage,
    RegisterRow,
    SearchHit,
    SearchQuery,
    area_breadcrumb,
    area_overview,
    house_number_key,
    household_counts_below,
    household_head,
    household_search,
    readings_used,
    register_choices,
    register_export_rows,
    register_households,
    register_page,
    registry_get,
    registry_latest,
    registry_villages,
    registry_years,
    village_name,
)
from cheepao.households.selectors.runs import RunChoice, run_directory, runs_to_load

__all__ = [
    "ACTIVE",
    "AREA_CODE",
    "BOUNDARY_ATTRIBUTION",
    "CHILD_COLUMN",
    "CORRECTIONS",
    "DERIVED_LABELS",
    "PER_PAGE",
    "SCOPE_COLUMN",
    "SEARCH_LIMIT",
    "Answer",
    "AreaCounts",
    "AreaOverview",
    "Crumb",
    "DimensionGroup",
    "ExportRow",
    "HistoryLine",
    "IndicatorLine",
    "MemberReason",
    "MemberRow",
    "RegisterFilters",
    "RegisterPage",
    "RegisterRow",
    "RunChoice",
    "SearchHit",
    "SearchQuery",
    "answer_label",
    "area_breadcrumb",
    "area_in_scope",
    "area_overview",
    "area_pins",
    "district_feature",
    "folder_map",
    "house_number_key",
    "household_address",
    "household_corrections",
    "household_counts_below",
    "household_folder",
    "household_for",
    "household_head",
    "household_history",
    "household_indicators",
    "household_search",
    "household_tags",
    "household_type",
    "households_visible_to",
    "map_legend",
    "map_tiles",
    "member_rows",
    "pick_language",
    "readings_used",
    "register_choices",
    "register_export_rows",
    "register_households",
    "register_map",
    "register_page",
    "registry_get",
    "registry_latest",
    "registry_villages",
    "registry_years",
    "run_directory",
    "runs_to_load",
    "scope_filter",
    "village_name",
]
