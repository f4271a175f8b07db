"""assemble's orders: newest first, then by slug; a unit's list merges its former units' in that order."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from cchc_site.core.model import Article, Body
from cchc_site.domain.vietnamese import VIETNAM_TZ
from cchc_site.site.assemble import _merged, _newest_first


def article(slug: str, when: datetime) -> Article:
    return Article(slug=slug, title=slug, date=when, province="ha-tinh", source_rel=f"{slug}.md", body=Body("", ""))


def test_newest_first_then_by_slug_across_time_zones() -> None:
    rng = random.Random(3)
    base = datetime(2024, 1, 1, tzinfo=VIETNAM_TZ)
    items = [
        article(
            f"s{rng.randint(0, 50):02d}-{i}",
            (base + timedelta(days=rng.randint(0, 5))).astimezone(rng.choice([VIETNAM_TZ, timezone.utc])),
        )
        for i in range(200)
    ]
    expected = sorted(items, key=lambda e: (-e.date.timestamp(), e.slug))
    assert _newest_first(items) == expected
    positions = list(range(len(expected)))
    groups = [positions[0::3], positions[1::3], positions[2::3]]
    assert _merged(groups, expected) == tuple(expected)
    assert _merged([positions[5:9]], expected) == tuple(expected[5:9])
