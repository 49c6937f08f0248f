"""The chart library the pages run is the one recorded, byte for byte, with its licence."""

import hashlib
import re

from monitoring.pages import assets

THIRD_PARTY = assets.STATIC / "vendor" / "THIRD_PARTY.md"


def test_each_vendored_file_matches_the_digest_its_record_gives() -> None:
    recorded = re.findall(r"\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|", THIRD_PARTY.read_text())

    assert recorded
    for name, digest in recorded:
        path = assets.STATIC / "vendor" / name
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, name
        assert (path.parent / "LICENSE.md").is_file(), f"{name} has no licence beside it"


def test_the_pages_assets_are_all_served_and_nothing_else_is() -> None:
    served = assets.served()

    assert "vendor/chart.js/chart.umd.min.js" in served
    assert {"kota.css", "charts.js", "icon.svg"} <= set(served)
    assert not [name for name in served if name.endswith((".py", ".html", ".po"))]
