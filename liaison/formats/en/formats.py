"""English as the project writes it (British usage, as for "organisation"): day before
month, "11 February 2025" and 11/02/2025, never the US 02/11/2025 that a French or
African reader takes for 2 November."""

from django.conf.locale.en_GB.formats import (  # noqa: F401
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    DECIMAL_SEPARATOR,
    FIRST_DAY_OF_WEEK,
    MONTH_DAY_FORMAT,
    NUMBER_GROUPING,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    THOUSAND_SEPARATOR,
    TIME_FORMAT,
    YEAR_MONTH_FORMAT,
)

DATE_FORMAT = "j F Y"  # 11 February 2025
DATETIME_FORMAT = "j F Y, P"
