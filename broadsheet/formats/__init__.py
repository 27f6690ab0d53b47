"""Date and time formats per interface language (Django's FORMAT_MODULE_PATH).

Templates name a format, never spell one: `date:"DATE_FORMAT"`,
`"DATETIME_FORMAT"`, `"SHORT_DATETIME_FORMAT"`, `"TIME_FORMAT"`… and, for the
two the site adds, `local_date:"DAY_TIME_FORMAT"` (a teaser's "7 Dec, 14:05")
and `local_date:"WEEKDAY_DATE_FORMAT"` (a newsfeed's day heading) from
core/templatetags/local_dates.py. A language without its module here falls back
to Django's own formats for it. Numbers (separators) are Django's.
"""
