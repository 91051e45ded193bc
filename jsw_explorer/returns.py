"""What a return looks like: its sheets, their columns, what each means and what is allowed.

Declared once and used by the template (jsw_explorer.template, which writes it out for people)
and the importer (jsw_explorer.ingest, which checks returns against it).
"""

from __future__ import annotations

from dataclasses import dataclass

# Column kinds: how a cell is read and checked.
TEXT, ID, AUTHORITY, WHOLE, NUMBER, YES_NO, PERIOD, CHOICE = (
    "text", "id", "authority", "whole number", "number", "yes/no", "period", "choice")


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: str
    required: bool
    meaning: str
    allowed: str          # in words, for the template's README
    example: str
    low: float | None = None      # inclusive range for numbers
    high: float | None = None
    choices: tuple[str, ...] = ()  # for CHOICE columns


@dataclass(frozen=True)
class TableSpec:
    sheet: str            # sheet name in the workbook, and the CSV file name stem
    table: str            # database table the rows go to
    title: str
    description: str
    replaces: str         # which existing rows an uploaded row replaces, in words
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]  # columns (after authority -> gss_code) that identify a row
    optional: bool = False  # a sheet most returns leave empty

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)


AUTHORITY_COLUMN = ColumnSpec(
    "authority", AUTHORITY, True,
    "The local authority the row is about.",
    "A council area name or its GSS code (S12...). Common variants and the pre-2019 codes for Fife, Perth and "
    "Kinross, Glasgow City and North Lanarkshire are understood. Not Scotland: Scotland figures come from the "
    "published statistics.",
    "Fife")
REVIEW_COLUMN = ColumnSpec("review_id", ID, True, "The review edition the self-evaluation belongs to.",
                           "A review edition listed on the allowed_values sheet.", "2024-25")
NOTE_COLUMN = ColumnSpec("note", TEXT, False, "Anything a reader should know about this row.",
                         "Free text, up to 500 characters; may be left empty.", "")

AUTHORITY_BARRIERS = TableSpec(
    sheet="authority_barriers", table="authority_barrier", title="Barriers reported by each authority",
    description="One row per authority and barrier theme: whether the authority's self-evaluation reported the "
                "barrier, and how much it held the service back.",
    replaces="all barrier rows for the same review and authority (so give every barrier theme for each authority)",
    columns=(
        REVIEW_COLUMN, AUTHORITY_COLUMN,
        ColumnSpec("theme_id", ID, True, "The barrier theme.", "A theme id listed on the allowed_values sheet, or "
                   "one added on this return's barrier_themes sheet.", "information_systems"),
        ColumnSpec("reported", YES_NO, True, "Did the self-evaluation report this barrier?", "yes or no",
                   "yes"),
        ColumnSpec("impact", WHOLE, True, "How much the barrier held the service back.",
                   "0 when not reported; 1 (low), 2 (moderate) or 3 (high impact) when reported.", "2", 0, 3),
        NOTE_COLUMN,
    ),
    key=("review_id", "gss_code", "theme_id"),
)

COMPLETENESS = TableSpec(
    sheet="completeness", table="completeness", title="Evidence completeness by authority",
    description="One row per authority and evidence item: how fully the service gathers and reports it.",
    replaces="all completeness rows for the same review and authority (so give every evidence item for each "
             "authority)",
    columns=(
        REVIEW_COLUMN, AUTHORITY_COLUMN,
        ColumnSpec("item_id", ID, True, "The evidence item.", "An item id listed on the allowed_values sheet.",
                   "perf_orders_volume"),
        ColumnSpec("level", WHOLE, True, "How fully the evidence is gathered and reported.",
                   "0 not gathered; 1 gathered, not reported; 2 gathered and reported; 3 gathered "
                   "systematically, reported and used for improvement.", "2", 0, 3),
    ),
    key=("review_id", "gss_code", "item_id"),
)

INDICATOR_VALUES = TableSpec(
    sheet="indicator_values", table="indicator_value", title="Indicator values by authority",
    description="One row per indicator, authority and period. Give exact figures: the tool hides small counts "
                "itself (disclosure control) when it publishes them.",
    replaces="the value for the same indicator, authority and period (published figures are kept as published)",
    columns=(
        ColumnSpec("indicator_id", ID, True, "The indicator.", "An indicator id listed on the allowed_values "
                   "sheet, or one added on this return's indicators sheet. Rates per 10 000 are calculated by "
                   "the tool from their counts: give the count.", "cpo_commenced"),
        AUTHORITY_COLUMN,
        ColumnSpec("period", PERIOD, True, "The financial year (or snapshot month) the value is for.",
                   "A financial year written like 2024-25, or a snapshot month listed on the allowed_values "
                   "sheet (for example 2024-05). Type it as text.", "2024-25"),
        ColumnSpec("value", NUMBER, True, "The figure, in the indicator's unit.",
                   "A number, 0 or more; counts are whole numbers; percentages are 0 to 100. Leave the row out "
                   "if the figure is not available.", "412", 0, 1e9),
        ColumnSpec("numerator", NUMBER, False, "For a percentage: the count on top (for example orders completed).",
                   "A whole number, 0 or more, not more than the denominator; may be left empty.", "", 0, 1e9),
        ColumnSpec("denominator", NUMBER, False, "For a percentage: the count underneath (for example orders "
                   "terminated).", "A whole number, 1 or more; may be left empty.", "", 1, 1e9),
        NOTE_COLUMN,
    ),
    key=("indicator_id", "gss_code", "period"),
)

INDICATORS = TableSpec(
    sheet="indicators", table="indicator", title="New indicators (optional)",
    description="Only to add an indicator the tool does not know yet; its values go on the indicator_values sheet.",
    replaces="nothing: an indicator id that already exists is refused",
    columns=(
        ColumnSpec("indicator_id", ID, True, "A short id for the new indicator.",
                   "Lower-case letters, digits and underscores, not already used.", "upw_hours_completed"),
        ColumnSpec("label", TEXT, True, "The indicator's name as readers will see it.", "Not already used.",
                   "Unpaid work hours completed"),
        ColumnSpec("category", TEXT, True, "The group it is listed under.", "For example Unpaid work.",
                   "Unpaid work"),
        ColumnSpec("unit", TEXT, True, "What one unit of the value is.", "For example hours, orders, percent.",
                   "hours"),
        ColumnSpec("value_type", CHOICE, True, "What kind of figure it is.", "count, rate, percent or average",
                   "count", choices=("count", "rate", "percent", "average")),
        ColumnSpec("higher_is_better", YES_NO, False, "Is a higher value better?",
                   "yes, no, or empty when neither.", ""),
        ColumnSpec("definition", TEXT, True, "What exactly is counted.", "A sentence.",
                   "Unpaid work hours completed in the year."),
        ColumnSpec("caveats", TEXT, False, "What a reader should bear in mind.", "Free text; may be empty.", ""),
    ),
    key=("indicator_id",),
    optional=True,
)

BARRIER_THEMES = TableSpec(
    sheet="barrier_themes", table="barrier_theme", title="New barrier themes (optional)",
    description="Only to add a barrier theme the tool does not know yet. Every authority then needs a row for it "
                "on the authority_barriers sheet.",
    replaces="nothing: a theme id that already exists is refused",
    columns=(
        ColumnSpec("theme_id", ID, True, "A short id for the new theme.",
                   "Lower-case letters, digits and underscores, not already used.", "digital_exclusion"),
        ColumnSpec("label", TEXT, True, "The theme's name as readers will see it.", "Not already used.",
                   "Digital exclusion"),
        ColumnSpec("level", CHOICE, True, "Whether the barrier is within the authority's control.",
                   "local or national", "local", choices=("local", "national")),
        ColumnSpec("description", TEXT, True, "What the theme covers.", "A sentence.",
                   "People on orders without devices or data to take part in remote contact."),
    ),
    key=("theme_id",),
    optional=True,
)

TABLES: tuple[TableSpec, ...] = (AUTHORITY_BARRIERS, COMPLETENESS, INDICATOR_VALUES, INDICATORS, BARRIER_THEMES)
BY_SHEET = {t.sheet: t for t in TABLES}

# Sheets of the template that are not data and are skipped when a workbook is read.
README_SHEET = "README"
LISTS_SHEET = "allowed_values"
IGNORED_SHEETS = (README_SHEET, LISTS_SHEET)

# Header spellings people use for a column, mapped to the template's name.
COLUMN_ALIASES = {
    "gss_code": "authority", "local_authority": "authority", "authority_name": "authority",
    "authority_code": "authority", "council": "authority", "council_area": "authority",
    "review": "review_id", "theme": "theme_id", "barrier_theme": "theme_id", "item": "item_id",
    "evidence_item": "item_id", "indicator": "indicator_id", "year": "period",
}
