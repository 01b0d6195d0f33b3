"""Loading the official list of regions into the database."""

import csv
import logging
from pathlib import Path

from django.db import transaction

from kotacerdas.common.loading import LoadReport, upsert
from kotacerdas.regions.models import Region, RegionKind

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent / "data"


def _read_csv(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_regions():
    """Bring the regions table in line with ``data/regions.csv``.

    Side effects: creates or updates Region rows; never deletes one, because
    registrations refer to them.
    """
    zones = {
        row["province_code"]: row["time_zone"]
        for row in _read_csv("province_time_zones.csv")
    }
    rows = _read_csv("regions.csv")
    existing = {region.code: region for region in Region.objects.all()}
    report = LoadReport()

    provinces = {}
    for row in rows:
        if row["kind"] != RegionKind.PROVINCE:
            continue
        provinces[row["code"]] = upsert(
            Region,
            row["code"],
            {
                "code": row["code"],
                "name": row["name"],
                "official_name": row["official_name"],
                "kind": row["kind"],
                "province_id": None,
                "time_zone": zones[row["code"]],
            },
            existing,
            report,
        )

    for row in rows:
        if row["kind"] == RegionKind.PROVINCE:
            continue
        province = provinces[row["province_code"]]
        upsert(
            Region,
            row["code"],
            {
                "code": row["code"],
                "name": row["name"],
                "official_name": row["official_name"],
                "kind": row["kind"],
                "province_id": province.pk,
                "time_zone": province.time_zone,
            },
            existing,
            report,
        )

    logger.info("Regions loaded: %s", report)
    return report
