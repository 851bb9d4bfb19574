"""The network of coordination centers: who coordinates what, on three levels."""

from __future__ import annotations

import re

from sqlalchemy import Column, ForeignKey, Select, String, Table, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base

LEVELS = ("province", "district", "subdistrict")
DISTRICTS: tuple[tuple[str, str], ...] = (
    ("เมืองพัทลุง", "Mueang Phatthalung"),
    ("กงหรา", "Kong Ra"),
    ("เขาชัยสน", "Khao Chaison"),
    ("ตะโหมด", "Tamot"),
    ("ควนขนุน", "Khuan Khanun"),
    ("ปากพะยูน", "Pak Phayun"),
    ("ศรีบรรพต", "Si Banphot"),
    ("ป่าบอน", "Pa Bon"),
    ("บางแก้ว", "Bang Kaeo"),
    ("ป่าพะยอม", "Pa Phayom"),
    ("ศรีนครินทร์", "Srinagarindra"),
)


def district_name(district: str, locale: str) -> str:
    """A district's name in the member's language (stored in Thai)."""
    english = dict(DISTRICTS).get(district)
    return english if locale == "en" and english else district

center_networks = Table(
    "center_networks",
    Base.metadata,
    Column("center_id", ForeignKey("centers.id", ondelete="CASCADE"), primary_key=True),
    Column("network_id", ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True),
)


class Network(Base):
    """A line of business the cooperatives run together (rubber, rice and fertilizer, feed, …)."""

    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))

    centers: Mapped[list[Center]] = relationship(secondary=center_networks, back_populates="networks")


class Center(Base):
    """A coordination center (ศูนย์ประสานงาน): a cooperative or federation at one of three levels."""

    __tablename__ = "centers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_th: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("centers.id"))
    district: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(300))
    pickup_hours: Mapped[str | None] = mapped_column(String(200))  # as staff write it: "จ.-ศ. 08:30-16:30"
    brand: Mapped[str | None] = mapped_column(String(32), unique=True)

    parent: Mapped[Center | None] = relationship(remote_side=[id])
    networks: Mapped[list[Network]] = relationship(secondary=center_networks, back_populates="centers")

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_th


def center_by_code(db: Session, code: str) -> Center | None:
    return db.scalar(select(Center).where(Center.code == code))


def district_cooperative(db: Session, district: str) -> Center | None:
    """The district cooperative where a member of `district` picks up goods."""
    return db.scalar(select(Center).where(Center.level == "district", Center.district == district))


def cooperatives_in(db: Session, district: str) -> list[Center]:
    """The cooperatives a member of `district` may belong to: the district's own first, then its sub-district
    ones (Khuan Khanun has Phanom Wang's)."""
    return list(db.scalars(select(Center).where(Center.district == district, Center.level.in_(("district",
                                                                                                  "subdistrict")))
                           .order_by(Center.level, Center.id)))


def feed_center(db: Session, brand: str) -> Center | None:
    """Feed orders go by brand to that brand's center, whatever the member's district."""
    return db.scalar(select(Center).where(Center.brand == brand))


def network_center(db: Session, network_code: str) -> Center | None:
    """The province-level center that coordinates a network."""
    return db.scalar(network_center_query(network_code))


def network_center_query(network_code: str) -> Select[Center]:
    """network_center as a query, for use inside another statement."""
    return (select(Center).join(Center.networks).where(Network.code == network_code, Center.brand.is_(None))
            .order_by(Center.id).limit(1))


def center_and_below(db: Session, center_id: int) -> set[int]:
    """A center and every center under it (a district cooperative and its sub-district centers): what a
    coordinator of that center may see and change."""
    found, frontier = {center_id}, {center_id}
    while frontier:
        frontier = set(db.scalars(select(Center.id).where(Center.parent_id.in_(frontier)))) - found
        found |= frontier
    return found


CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,31}")
_PHONE = re.compile(r"\+?[0-9][0-9 -]{5,30}")
LIMITS = {"phone": 32, "address": 300, "pickup_hours": 200, "name_th": 200, "name_en": 200}


class CenterRefused(ValueError):
    """A center's detail that cannot be stored: `field` and `reason` (bad_code, taken, not_a_district,
    bad_phone, too_long, missing)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def _text(field: str, value: str | None, required: bool = False) -> str | None:
    cleaned = " ".join((value or "").split()) or None
    if cleaned is None and required:
        raise CenterRefused(field, "missing")
    if cleaned is not None and len(cleaned) > LIMITS[field]:
        raise CenterRefused(field, "too_long")
    return cleaned


def set_contact(center: Center, phone: str | None, address: str | None, pickup_hours: str | None) -> None:
    """A center's phone, address and pickup hours, as members are told them (contact, pickup); empty clears."""
    cleaned = _text("phone", phone)
    if cleaned is not None and not _PHONE.fullmatch(cleaned):
        raise CenterRefused("phone", "bad_phone")
    center.phone = cleaned
    center.address = _text("address", address)
    center.pickup_hours = _text("pickup_hours", pickup_hours)


def add_subdistrict(db: Session, code: str, name_th: str, name_en: str, parent: Center) -> Center:
    """A sub-district center, set up by a district cooperative with local organisations: in its district, under
    it; its members pick up there."""
    code = code.strip().upper()
    if not CODE.fullmatch(code):
        raise CenterRefused("code", "bad_code")
    if center_by_code(db, code) is not None:
        raise CenterRefused("code", "taken")
    if parent.level != "district" or parent.brand is not None:
        raise CenterRefused("parent", "not_a_district")
    thai, english = _text("name_th", name_th, required=True), _text("name_en", name_en, required=True)
    assert thai is not None and english is not None
    center = Center(code=code, name_th=thai, name_en=english, level="subdistrict", parent_id=parent.id,
                    district=parent.district)
    db.add(center)
    db.flush()
    return center
