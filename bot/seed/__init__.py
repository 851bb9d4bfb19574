"""`coopbot seed`: the real Phatthalung network (its centers, districts and networks), and with --demo, data to
try things with.

Seeding is idempotent: rows are matched by code and updated, never duplicated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from bot.seed import news as seed_news
from bot.seed import orders as seed_orders
from bot.seed import prices as seed_prices
from bot.settings import Settings
from models.network import DISTRICTS, Center, Network, center_by_code

NETWORKS = (
    ("rubber", "เครือข่ายยางพารา", "Rubber network"),
    ("rice_fertilizer", "เครือข่ายข้าวสารและปุ๋ย", "Rice and fertilizer network"),
    ("feed", "เครือข่ายอาหารสัตว์", "Animal feed network"),
    ("community", "เครือข่ายวิสาหกิจชุมชน", "Community enterprise network"),
)

PROVINCE_CENTERS: tuple[dict[str, Any], ...] = (
    {
        "code": "PROV-AGRI",
        "name_th": "ชุมนุมสหกรณ์การเกษตรจังหวัดพัทลุง จำกัด",
        "name_en": "Phatthalung Provincial Agricultural Cooperative Federation Ltd.",
        "networks": ("rice_fertilizer",),
    },
    {
        "code": "PROV-RUBBER",
        "name_th": "ชุมนุมสหกรณ์การยางจังหวัดพัทลุง จำกัด",
        "name_en": "Phatthalung Rubber Cooperative Federation Ltd.",
        "networks": ("rubber",),
    },
    {
        "code": "PROV-COMMUNITY",
        "name_th": "ชมรมเครือข่ายวิสาหกิจชุมชนจังหวัดพัทลุง",
        "name_en": "Phatthalung Community Enterprise Network Club",
        "networks": ("community",),
    },
)

# Feed is coordinated by brand, each brand by a different cooperative, for the whole province.
FEED_CENTERS: tuple[dict[str, Any], ...] = (
    {
        "code": "FEED-BETAGRO",
        "name_th": "สหกรณ์การเกษตร กรป.กลาง นพค.พัทลุง จำกัด",
        "name_en": "Central Development Unit (Phatthalung) Agricultural Cooperative Ltd.",
        "brand": "betagro",
        "level": "subdistrict",
    },
    {
        "code": "FEED-LAEMTHONG",
        "name_th": "สหกรณ์การเกษตรพนมวังก์ จำกัด",
        "name_en": "Phanom Wang Agricultural Cooperative Ltd.",
        "brand": "laemthong",
        "level": "subdistrict",
        "district": "ควนขนุน",
    },
)
CP_DISTRICT = "ปากพะยูน"  # Pak Phayun's district cooperative coordinates CP feed for the province.


def district_code(index: int) -> str:
    return f"DIST-{index + 1:02d}"


def _upsert(db: Session, code: str, **values: Any) -> Center:
    center = center_by_code(db, code) or Center(code=code)
    for name, value in values.items():
        setattr(center, name, value)
    db.add(center)
    return center


def network(db: Session) -> dict[str, int]:
    networks: dict[str, Network] = {}
    for code, name_th, name_en in NETWORKS:
        found = db.query(Network).filter_by(code=code).one_or_none() or Network(code=code)
        found.name_th, found.name_en = name_th, name_en
        db.add(found)
        networks[code] = found
    province = [
        _upsert(
            db,
            spec["code"],
            name_th=spec["name_th"],
            name_en=spec["name_en"],
            level="province",
            networks=[networks[n] for n in spec["networks"]],
        )
        for spec in PROVINCE_CENTERS
    ]
    federation = province[0]
    db.flush()
    for index, (district, english) in enumerate(DISTRICTS):
        _upsert(
            db,
            district_code(index),
            name_th=f"สหกรณ์การเกษตร{district} จำกัด",
            name_en=f"{english} Agricultural Cooperative Ltd.",
            level="district",
            district=district,
            parent_id=federation.id,
            brand="cp" if district == CP_DISTRICT else None,
            networks=[networks["feed"]] if district == CP_DISTRICT else [],
        )
    db.flush()
    for spec in FEED_CENTERS:
        parent = (
            db.query(Center).filter_by(level="district", district=spec["district"]).one()
            if spec.get("district")
            else federation
        )
        _upsert(
            db,
            spec["code"],
            name_th=spec["name_th"],
            name_en=spec["name_en"],
            level=spec["level"],
            district=spec.get("district"),
            parent_id=parent.id,
            brand=spec["brand"],
            networks=[networks["feed"]],
        )
    db.flush()
    return {"networks": len(NETWORKS), "centers": db.query(Center).count()}


# Features add their demo data here: each takes the session and settings and returns counts.
DEMO_STEPS: list[Callable[[Session, Settings], dict[str, int]]] = [seed_orders.demo_rounds, seed_prices.demo_prices,
                                                                  seed_news.demo_news]


def demo(db: Session, settings: Settings) -> dict[str, int]:
    counts: dict[str, int] = {}
    for step in DEMO_STEPS:
        counts.update(step(db, settings))
    return counts
