# "E" is the month in the genitive (7 декабря 2026), as a date is written;
# YEAR_MONTH too, for "с декабря 2026 года" (the only use: a reader's profile).
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
TIME_FORMAT = "H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = "d.m.Y H:i"
YEAR_MONTH_FORMAT = "E Y"
MONTH_DAY_FORMAT = "j E"
DAY_TIME_FORMAT = "j E, H:i"
WEEKDAY_DATE_FORMAT = "l, j E Y"
