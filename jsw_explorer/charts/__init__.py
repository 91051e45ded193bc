"""Pure chart functions, one module per page topic: DataFrame in, ChartWithText out. No queries here.

Each function returns a ChartWithText: the Altair chart (with a headline title, a statistical
subtitle and a screen-reader description), the description as text, and the table behind it.
"""
