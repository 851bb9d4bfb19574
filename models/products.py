"""Products the network buys or sells together, and which center coordinates each.

A product is ordered in one unit (the member's: sacks, kg, heads, bags) and bought from the supplier in
whole packs of `pack_size` of those units (formic acid: ordered by the kg, bought in 30 kg containers).
Routing is data, not code: feed goes by brand to that brand's center; every other product to the
center of its network. Piglets have no network of their own in the province: the demo seed puts them
in the agricultural federation's network ('rice_fertilizer'), the federation of the district
cooperatives where piglets are picked up; an admin may change a product's network.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import ForeignKey, Numeric, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base, JSONType
from models.network import Center, Network, feed_center, network_center

CATEGORIES = ("feed", "acid", "fertilizer", "rice", "piglet", "rubber")
UNITS = ("sack", "kg", "container", "head", "bag")


class Product(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(48), unique=True)
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    synonyms: Mapped[list[str]] = mapped_column(JSONType, default=list)
    category: Mapped[str] = mapped_column(String(16), index=True)
    brand: Mapped[str | None] = mapped_column(String(32))
    animal: Mapped[str | None] = mapped_column(String(16))
    formula: Mapped[str | None] = mapped_column(String(16))
    rubber_type: Mapped[str | None] = mapped_column(String(16))
    unit: Mapped[str] = mapped_column(String(16))
    pack_unit: Mapped[str] = mapped_column(String(16))
    pack_size: Mapped[Decimal] = mapped_column(Numeric(10, 3), default=Decimal(1))
    unit_kg: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    max_order: Mapped[Decimal] = mapped_column(Numeric(12, 3))
    retail_price: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    network_id: Mapped[int | None] = mapped_column(ForeignKey("networks.id"))
    active: Mapped[bool] = mapped_column(default=True)

    network: Mapped[Network | None] = relationship()

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_th

    @property
    def by_dry_rubber(self) -> bool:
        """Field latex and cup lump are paid per kg of dry rubber: weight × DRC %; sheets by weight."""
        return self.rubber_type in USUAL_DRC


USUAL_DRC = {"latex": Decimal(33), "cuplump": Decimal(55)}
"""a DRC to estimate with before any is measured at a center: field latex is usually 30-40 %, cup lump
about half its weight"""


def coordinating_center(db: Session, product: Product) -> Center | None:
    """Feed goes by brand to that brand's center, whatever the member's district; the rest by network."""
    if product.category == "feed" and product.brand:
        return feed_center(db, product.brand)
    if product.network is None:
        return None
    return network_center(db, product.network.code)


def product_by_code(db: Session, code: str) -> Product | None:
    return db.scalar(select(Product).where(Product.code == code))


def to_order_units(product: Product, quantity: Any, unit: str | None) -> Decimal | None:
    """The quantity in the product's order unit: '2 containers' of acid is 60 kg. None when the unit
    does not apply to this product (the caller says which units do)."""
    try:
        amount = Decimal(str(quantity))
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite():
        return None
    if unit is None or unit == product.unit:
        return amount
    if unit == product.pack_unit:
        return amount * product.pack_size
    return None


ANIMALS = ("pig", "chicken", "duck", "fish", "cattle")
CODE = re.compile(r"[a-z0-9][a-z0-9-]{1,47}")


class ProductRefused(ValueError):
    """A product that cannot be added: `field` and `reason` (bad_code, taken, unknown, not_positive,
    negative, pack_of_one, missing)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def add_product(db: Session, *, code: str, name_th: str, name_en: str, category: str, unit: str, pack_unit: str,
                pack_size: Decimal, max_order: Decimal, network_code: str, retail_price: Decimal | None = None,
                brand: str | None = None, animal: str | None = None, formula: str | None = None,
                unit_kg: Decimal | None = None, synonyms: list[str] | None = None) -> Product:
    """A product the network may open rounds for. Ordered in `unit`, bought from the supplier in packs of
    `pack_size` of them (`pack_unit`; the same unit packs by one); `retail_price` is what a member would pay
    alone, against which savings are counted. Feed names its brand, whose center it goes to."""
    code = code.strip().lower()
    if not CODE.fullmatch(code):
        raise ProductRefused("code", "bad_code")
    if product_by_code(db, code) is not None:
        raise ProductRefused("code", "taken")
    for field, value in (("name_th", name_th), ("name_en", name_en)):
        if not value.strip():
            raise ProductRefused(field, "missing")
    if category not in CATEGORIES:
        raise ProductRefused("category", "unknown")
    for field, value in (("unit", unit), ("pack_unit", pack_unit)):
        if value not in UNITS:
            raise ProductRefused(field, "unknown")
    for field, number in (("pack_size", pack_size), ("max_order", max_order), ("unit_kg", unit_kg)):
        if number is not None and (not Decimal(number).is_finite() or number <= 0):
            raise ProductRefused(field, "not_positive")
    if pack_unit == unit and pack_size != 1:
        raise ProductRefused("pack_size", "pack_of_one")
    if retail_price is not None and (not Decimal(retail_price).is_finite() or retail_price < 0):
        raise ProductRefused("retail_price", "negative")
    network = db.scalar(select(Network).where(Network.code == network_code))
    if network is None:
        raise ProductRefused("network", "unknown")
    if category == "feed" and (not brand or feed_center(db, brand) is None):
        raise ProductRefused("brand", "unknown")
    if animal is not None and animal not in ANIMALS:
        raise ProductRefused("animal", "unknown")
    product = Product(code=code, name_th=name_th.strip(), name_en=name_en.strip(), category=category,
                      brand=brand or None if category == "feed" else None, animal=animal or None,
                      formula=(formula or "").strip() or None, unit=unit, pack_unit=pack_unit, pack_size=pack_size,
                      unit_kg=unit_kg, max_order=max_order, retail_price=retail_price, network_id=network.id,
                      synonyms=[word for word in dict.fromkeys([name_th.strip(), *(synonyms or [])]) if word],
                      active=True)
    db.add(product)
    db.flush()
    return product
