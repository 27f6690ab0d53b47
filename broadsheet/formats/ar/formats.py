# Full month names (Arabic has no customary abbreviations) and the Arabic
# comma; digits stay Western, as on most Arabic news sites.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y، H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
DAY_TIME_FORMAT = "j F، H:i"
WEEKDAY_DATE_FORMAT = "l j F Y"
