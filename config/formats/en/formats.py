# One date style per language (FORMAT_MODULE_PATH): English dates read like Dutch ones, day first and the month
# written out ("25 November 2026", "Monday 14 December 2026"), times on the 24-hour clock ("15:00").
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y, H:i"
