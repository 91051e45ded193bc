"""The declared mappings of the published workbooks the build reads (publications.py reads and checks them).

For each table: its workbook, sheet, header row, the header text of every column it reads, the indicator
and period each column feeds, and the totals the publication states. Declaring one Table in TABLES (by
council) or GROUP_TABLES (by court-based group) is all it takes to load a new table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCOTLAND = "Scotland"
FINANCIAL_YEARS = tuple(f"{year}-{(year + 1) % 100:02d}" for year in range(2015, 2025))
MID_YEARS = tuple(range(2015, 2024))


@dataclass(frozen=True)
class Column:
    """One column read from a table: its header as published (footnote marks removed)."""

    header: str
    indicator_id: str
    period: str
    note: str = ""
    denominator: tuple[str, str] | None = None  # (indicator, period) of the published value it is a rate of


@dataclass(frozen=True)
class Table:
    """The declared mapping of one table in one workbook."""

    workbook: str                      # file name in data/published/ (listed in provenance.csv)
    sheet: str
    header_row: int                    # the row holding the column headers (1-based, as Excel shows it)
    area_header: str                   # header of the column naming the area (first column read)
    columns: tuple[Column, ...]
    total_area: str = SCOTLAND         # the row for Scotland, as the table names it ("All", "Scotland")
    extra_areas: tuple[str, ...] = ()  # other rows the table states (read for the totals, not loaded)
    additive: tuple[str, ...] = ()     # headers whose 32 councils (+ extra areas) add up to the total row
    row_filter: tuple[tuple[str, str], ...] = ()  # long tables: (header, value) pairs a row must match
    suppression_marks: dict[str, str] = field(default_factory=dict)  # cell text -> meaning ("not published")
    area_kind: str = "council"         # or "court group": areas are the groups in court_group_members.csv
    notes: str = ""                    # stored with every value



RECONVICTION_NOTE = ("Reconviction rates in Scotland: 2017-18 offender cohort, Table 13 (by council of residence). "
                     "Experimental Statistics. About 20% of offenders have no known council of residence "
                     "(the 'Unknown' row); court-based figures (Table 12) are the definitive local rates.")
CRIME_NOTE = "Recorded Crime in Scotland 2024-25, Table_1 (Total Crimes)."
RATE_NOTE = ("Recorded Crime in Scotland 2024-25, Table_4 (Total Crimes per 10,000 population; NRS mid-year "
             "population estimates, revised series, as used by the publication).")
POPULATION_NOTE = ("NRS mid-year population estimates (revised series) as printed in Recorded Crime in Scotland "
                   "2024-25, sheet Population: the population edition the bulletin's rates use.")



def population_edition(year: str) -> str:
    if year == "2024-25":
        return "Rate per 10,000 of the NRS mid-2023 estimate (mid-2024 was not yet published: the bulletin's note 12)."
    return f"Rate per 10,000 of the NRS mid-{year[:4]} estimate (revised series: the bulletin's note 11)."


TABLES: tuple[Table, ...] = (
    Table(
        workbook="reconviction-rates-2017-18-cohort-main-tables.xlsx", sheet="Table 13", header_row=4,
        area_header="Local Authority",
        columns=(Column("Number of offenders", "reconviction_cohort_offenders", "2017-18"),
                 Column("Reconviction rate", "reconviction_rate", "2017-18",
                        denominator=("reconviction_cohort_offenders", "2017-18")),
                 Column("Average number of reconvictions per offender", "reconvictions_per_offender", "2017-18")),
        total_area="All", extra_areas=("Other", "Unknown"), additive=("Number of offenders",),
        notes=RECONVICTION_NOTE),
    Table(
        workbook="recorded-crime-2024-25-bulletin-tables.xlsx", sheet="Table_1", header_row=3,
        area_header="Local Authority",
        columns=tuple(Column(year, "crimes_recorded", year) for year in FINANCIAL_YEARS),
        row_filter=(("Crime group", "Total Crimes"), ("Crime type", "Total")),
        additive=FINANCIAL_YEARS, notes=CRIME_NOTE),
    Table(
        workbook="recorded-crime-2024-25-bulletin-tables.xlsx", sheet="Table_4", header_row=3,
        area_header="Local Authority",
        columns=tuple(Column(year, "crimes_per_10000_population", year, note=population_edition(year),
                             denominator=("population_all_ages", f"{min(int(year[:4]), MID_YEARS[-1])}-06"))
                      for year in FINANCIAL_YEARS),
        row_filter=(("Crime group", "Total Crimes"), ("Crime/offence type", "Total")),
        notes=RATE_NOTE),
    Table(
        workbook="recorded-crime-2024-25-bulletin-tables.xlsx", sheet="Population", header_row=2,
        area_header="Local authority",
        columns=tuple(Column(str(year), "population_all_ages", f"{year}-06") for year in MID_YEARS),
        additive=tuple(str(year) for year in MID_YEARS), notes=POPULATION_NOTE),
)


# Reconviction by court-based local-authority group: a GROUP's figure, never one council's own.
# Which councils a group covers in a cohort is declared in data/published/court_group_members.csv
# (from the table's footnotes and the group's name). "**" in the sources (fewer than 10 people) was
# transcribed as an empty cell: it stays "not published".
COURT_GROUP_MEMBERS = "court_group_members.csv"
EARLIER_COHORTS = "reconviction_court_groups_earlier_cohorts.csv"
GROUP_FIELDS = (("offenders", "Number of offenders", "offenders"),
                ("reconviction_rate", "Reconviction rate", "reconviction_rate_pct"),
                ("reconvictions_per_offender", "Average number of reconvictions per offender",
                 "avg_reconvictions_per_offender"))
STARRED = {"": "** in the publication: rates based on fewer than 10 people are not published"}
EARLIER_URLS = {
    "2016-17": "https://www.gov.scot/publications/reconviction-rates-scotland-2016-17-offender-cohort/pages/23/",
    "2013-14": "https://gov.scot/publications/reconviction-rates-scotland-2013-14-offender-cohort/pages/19",
    "2012-13": "https://gov.scot/Publications/2015/03/9783/18",
}


def earlier_cohort(cohort: str, total: str, extra: tuple[str, ...], additive: bool) -> Table:
    high_court = ("High Court cases are included in the groups (before the 2016-17 bulletin). "
                  if cohort < "2016-17" else "High Court cases are shown separately. ")
    return Table(
        workbook=EARLIER_COHORTS, sheet=f"cohort {cohort}", header_row=1, area_header="court_group",
        columns=tuple(Column(csv_header, field_id, cohort) for field_id, _, csv_header in GROUP_FIELDS),
        total_area=total, extra_areas=extra, row_filter=(("cohort", cohort),),
        additive=("offenders",) if additive else (), suppression_marks=STARRED, area_kind="court group",
        notes=f"Reconviction rates in Scotland: {cohort} offender cohort, by local-authority group based on court "
              f"location; transcribed from {EARLIER_URLS[cohort]}. {high_court}Experimental Statistics.")


GROUP_TABLES: tuple[Table, ...] = (
    Table(
        workbook="reconviction-rates-2017-18-cohort-main-tables.xlsx", sheet="Table 12", header_row=4,
        area_header="Local authority group",
        columns=tuple(Column(header, field_id, "2017-18") for field_id, header, _ in GROUP_FIELDS),
        total_area="All", extra_areas=("High Court",), additive=("Number of offenders",), area_kind="court group",
        notes="Reconviction rates in Scotland: 2017-18 offender cohort, Table 12 (by local-authority group based on "
              "court location: the Scottish Government's definitive local reconviction rates). High Court cases are "
              "shown separately. Experimental Statistics."),
    earlier_cohort("2016-17", "All", ("High Court", "Unknown"), additive=True),
    # The 2013-14 and 2012-13 groups add up to 1 and 3 fewer offenders than the stated Scotland total, so
    # no total is checked for them (the Scotland figure is loaded as published).
    earlier_cohort("2013-14", "Scotland", (), additive=False),
    earlier_cohort("2012-13", "Scotland", (), additive=False),
)

