"""Products the network buys or sells together, and which center coordinates each.

A product is ordered in one unit (the member's: sacks, kg, heads, bags) and bought from the supplier in
whole packs of `pack_size` of those units (formic acid: ordered by the kg, bought in 30 kg containers).
Routing is data, not code: feed goes by brand to that brand's center; every other product to the
center of its network. Piglets have no network of their own in the province: the demo seed puts them
in the agricultural federation's network ('rice_fertilizer'), the federation of the district
cooperatives where piglets are picked up; an admin may change a product's network.
"""

from __future__ import annotations

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
