"""Demo products and rounds for `coopbot seed --demo`: one open round per product, closing in seven days.

Feed of each brand (routed to that brand's center), formic acid (rubber network), fertilizer and rice
(the agricultural federation), piglets (also the federation: see models.products), and one selling
round of unsmoked sheet. Prices are plausible demo figures, not quotes. Re-running adds nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.settings import Settings
from models.base import BANGKOK
from models.network import Network
from models.products import Product, coordinating_center, product_by_code
from models.rounds import CLOSING_TIME, Round

D = Decimal
PRODUCTS: tuple[dict[str, Any], ...] = (
    {"code": "feed-cp-pig", "name_th": "อาหารหมูขุน ซีพี", "name_en": "CP pig feed", "category": "feed",
     "brand": "cp", "animal": "pig", "synonyms": ["อาหารหมู", "อาหารสุกร", "ซีพี", "CP"], "unit": "sack",
     "unit_kg": D(30), "max_order": D(200), "retail_price": D("590.00"), "network": "feed",
     "round": {"price": D("582.00"), "tiers": [{"min": "100", "price": "577.00"}], "max_total": D(400)}},
    {"code": "feed-betagro-pig", "name_th": "อาหารหมูขุน เบทาโกร", "name_en": "Betagro pig feed",
     "category": "feed", "brand": "betagro", "animal": "pig", "unit": "sack", "unit_kg": D(30),
     "synonyms": ["อาหารหมู", "เบทาโก", "เบทาโกร", "Betagro"], "max_order": D(200), "retail_price": D("585.00"),
     "network": "feed", "round": {"price": D("577.00"), "max_total": D(300)}},
    {"code": "feed-laemthong-pig", "name_th": "อาหารหมูขุน แหลมทอง", "name_en": "Laemthong pig feed",
     "category": "feed", "brand": "laemthong", "animal": "pig", "unit": "sack", "unit_kg": D(30),
     "synonyms": ["อาหารหมู", "แหลมทอง", "Laemthong"], "max_order": D(200), "retail_price": D("570.00"),
     "network": "feed", "round": {"price": D("562.00"), "max_total": D(300)}},
    {"code": "acid-formic", "name_th": "กรดฟอร์มิก (กรดมด)", "name_en": "Formic acid", "category": "acid",
     "synonyms": ["กรดมด", "กรดฟอร์มิก", "ฟอร์มิค", "น้ำกรด"], "unit": "kg", "pack_unit": "container",
     "pack_size": D(30), "max_order": D(600), "retail_price": D("60.00"), "network": "rubber",
     "round": {"price": D("47.00"), "min_total": D(90), "shortfall_rule": "round_up", "below_minimum": "extend"}},
    {"code": "fert-15-15-15", "name_th": "ปุ๋ยสูตร 15-15-15", "name_en": "Fertilizer 15-15-15",
     "category": "fertilizer", "formula": "15-15-15", "synonyms": ["ปุ๋ย", "ปุ๋ยสามสิบห้า"], "unit": "sack",
     "unit_kg": D(50), "max_order": D(200), "retail_price": D("950.00"), "network": "rice_fertilizer",
     "round": {"price": D("840.00"), "min_total": D(20)}},
    {"code": "rice-sangyod-5kg", "name_th": "ข้าวสังข์หยดพัทลุง 5 กก.", "name_en": "Sangyod rice 5 kg",
     "category": "rice", "synonyms": ["ข้าวสาร", "ข้าวสังข์หยด"], "unit": "bag", "unit_kg": D(5),
     "max_order": D(100), "retail_price": D("200.00"), "network": "rice_fertilizer",
     "round": {"price": D("175.00")}},
    {"code": "piglet", "name_th": "ลูกหมู (ราว 16 กก.)", "name_en": "Piglets (about 16 kg)", "category": "piglet",
     "synonyms": ["ลูกหมู", "ลูกสุกร"], "unit": "head", "unit_kg": D(16), "max_order": D(20),
     "retail_price": D("2200.00"), "network": "rice_fertilizer", "round": {"price": D("2150.00"), "max_total": D(40)}},
    {"code": "rubber-uss", "name_th": "ยางแผ่นดิบ", "name_en": "Unsmoked rubber sheet", "category": "rubber",
     "rubber_type": "uss", "synonyms": ["ยางแผ่นดิบ", "ยางแผ่น"], "unit": "kg", "max_order": D(5000),
     "retail_price": D("61.00"), "network": "rubber", "round": {"direction": "sell", "price": D("62.00")}},
    {"code": "rubber-latex", "name_th": "น้ำยางสด", "name_en": "Field latex", "category": "rubber",
     "rubber_type": "latex", "synonyms": ["น้ำยาง", "น้ำยางสด"], "unit": "kg", "max_order": D(5000),
     "network": "rubber"},
    {"code": "rubber-rss3", "name_th": "ยางแผ่นรมควัน", "name_en": "Ribbed smoked sheet", "category": "rubber",
     "rubber_type": "rss3", "synonyms": ["ยางรมควัน"], "unit": "kg", "max_order": D(5000), "network": "rubber"},
    {"code": "rubber-cuplump", "name_th": "ยางก้อนถ้วย", "name_en": "Cup lump", "category": "rubber",
     "rubber_type": "cuplump", "synonyms": ["ยางถ้วย", "ขี้ยาง"], "unit": "kg", "max_order": D(5000),
     "network": "rubber"},
)


def products(db: Session) -> list[tuple[Product, dict[str, Any] | None]]:
    """Upsert the demo products by code; returns each with its demo round's terms (or None)."""
    networks = {n.code: n for n in db.scalars(select(Network))}
    result = []
    for spec in PRODUCTS:
        values = {k: v for k, v in spec.items() if k not in ("round", "network")}
        values.setdefault("pack_unit", values["unit"])
        values.setdefault("pack_size", D(1))
        product = product_by_code(db, spec["code"]) or Product()
        for name, value in values.items():
            setattr(product, name, value)
        product.network = networks.get(spec["network"])
        db.add(product)
        result.append((product, spec.get("round")))
    db.flush()
    return result


def demo_rounds(db: Session, settings: Settings) -> dict[str, int]:
    today = datetime.now(BANGKOK).date()
    closes = datetime.combine(today + timedelta(days=7), CLOSING_TIME, BANGKOK)
    opened = 0
    for product, terms in products(db):
        if terms is None:
            continue
        center = coordinating_center(db, product)
        already = db.scalar(select(Round.id).where(Round.product_id == product.id, Round.status == "open"))
        if center is None or already is not None:
            continue
        db.add(Round(product=product, center=center, opens_at=datetime.now(BANGKOK), closes_at=closes,
                     pickup_on=closes.date() + timedelta(days=3), **terms))
        opened += 1
    db.flush()
    return {"products": len(PRODUCTS), "demo rounds opened": opened}
