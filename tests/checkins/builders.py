"""Check-in series for the tests: Jefferson's weekly coaches' meeting by default."""

from __future__ import annotations

import datetime
from typing import Any

from tandem.accounts.models import User
from tandem.checkins import services
from tandem.checkins.models import CheckInSeries

from ..cast import Cast


def weekly(cast: Cast, *, by: User | None = None, **fields: Any) -> CheckInSeries:
    """Tuesdays at 9:00 in New York, from Oct. 21, 2025, across the November DST change."""
    values: dict[str, Any] = {
        "school": cast.jefferson,
        "title": "Jefferson coaches' check-in",
        "first_date": datetime.date(2025, 10, 21),
        "start_time": datetime.time(9, 0),
        "duration_minutes": 45,
        "frequency": "weekly",
        "count": 6,
        "time_zone": "America/New_York",
        "place": "Library",
    }
    values.update(fields)
    return services.create_series(acting_user=by or cast.lena, **values)
