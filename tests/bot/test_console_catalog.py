"""The console's products and centers: admins add products and sub-district centers; a coordinator keeps their own
centers' phone, address and pickup hours, which members are then told."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.network import Center, center_by_code
from models.products import Product, product_by_code
from tests.bot.admin_signin import form_field
from tests.bot.test_console import staff
from tests.support import Chat, registered, texts

PRODUCT = {"code": "feed-cp-chicken", "name_th": "อาหารไก่ไข่ ซีพี", "name_en": "CP layer feed", "category": "feed",
           "network": "feed", "brand": "cp", "animal": "chicken", "formula": "", "unit": "sack", "pack_unit": "sack",
           "pack_size": "1", "unit_kg": "30", "max_order": "100", "retail_price": "480.00",
           "synonyms": "อาหารไก่, อาหารไก่ไข่"}


def _csrf(client: object, path: str = "/admin/catalog") -> str:
    return form_field(client.get(path).get_data(as_text=True), "csrf_token")  # type: ignore[attr-defined]


def test_the_catalog_needs_a_sign_in(seeded: Flask) -> None:
    client = seeded.test_client()
    assert client.get("/admin/catalog").status_code == 401
    assert client.post("/admin/catalog/products", data=PRODUCT).status_code in (400, 401)


def test_an_admin_adds_a_product_with_its_pack_and_retail_price(seeded: Flask, db: Session) -> None:
    admin = staff(seeded, "Uadmin", role="admin")
    added = admin.post("/admin/catalog/products", data={**PRODUCT, "csrf_token": _csrf(admin)})
    assert added.status_code == 303
    product = product_by_code(db, "feed-cp-chicken")
    assert product is not None and product.retail_price == 480 and product.pack_size == 1
    assert product.brand == "cp" and product.animal == "chicken" and "อาหารไก่" in product.synonyms
    assert "อาหารไก่ไข่ ซีพี" in admin.get(added.location).get_data(as_text=True)


def test_a_bad_product_is_refused_field_by_field_and_nothing_is_added(seeded: Flask, db: Session) -> None:
    admin = staff(seeded, "Uadmin", role="admin")
    csrf = _csrf(admin)
    before = len(db.scalars(select(Product)).all())
    cases = [
        ({"code": "Feed CP!"}, "ใช้ตัวพิมพ์เล็ก"),
        ({"max_order": "0"}, "ต้องมากกว่า 0"),
        ({"max_order": "ten"}, "ต้องเป็นตัวเลข"),
        ({"retail_price": "-5"}, "ต้องไม่ต่ำกว่า 0"),
        ({"pack_size": "30"}, "ขนาดแพ็กเป็น 1"),
        ({"brand": ""}, "ตัวเลือกนี้ไม่มีในรายการ"),
        ({"name_th": ""}, "กรุณากรอกช่องนี้"),
    ]
    for change, message in cases:
        refused = admin.post("/admin/catalog/products", data={**PRODUCT, **change, "csrf_token": csrf})
        assert refused.status_code == 400, change
        assert message in refused.get_data(as_text=True), change
    assert len(db.scalars(select(Product)).all()) == before
    assert admin.post("/admin/catalog/products", data={**PRODUCT, "csrf_token": csrf}).status_code == 303
    taken = admin.post("/admin/catalog/products", data={**PRODUCT, "csrf_token": csrf})
    assert taken.status_code == 400 and "รหัสนี้มีอยู่แล้ว" in taken.get_data(as_text=True)


def test_an_admin_adds_a_subdistrict_center_under_a_district(seeded: Flask, db: Session) -> None:
    admin = staff(seeded, "Uadmin", role="admin")
    district = center_by_code(db, "DIST-05")
    assert district is not None
    data = {"csrf_token": _csrf(admin), "parent": str(district.id), "code": "SUB-05-99",
            "name_th": "ศูนย์ตำบลแพรกหา", "name_en": "Phraek Ha center"}
    assert admin.post("/admin/catalog/centers", data=data).status_code == 303
    added = center_by_code(db, "SUB-05-99")
    assert added is not None and added.level == "subdistrict" and added.parent_id == district.id
    assert added.district == district.district
    again = admin.post("/admin/catalog/centers", data=data)
    assert again.status_code == 400 and "รหัสนี้มีอยู่แล้ว" in again.get_data(as_text=True)
    federation = center_by_code(db, "PROV-RUBBER")
    assert federation is not None
    not_district = admin.post("/admin/catalog/centers", data={**data, "code": "SUB-X", "parent": str(federation.id)})
    assert not_district.status_code == 400
    assert center_by_code(db, "SUB-X") is None


def test_coordinators_do_not_add_products_or_centers(seeded: Flask, db: Session) -> None:
    coordinator = staff(seeded, "Ucoord", center="DIST-05")
    page = coordinator.get("/admin/catalog").get_data(as_text=True)
    assert "/admin/catalog/products" not in page and "/admin/catalog/centers\"" not in page
    csrf = _csrf(coordinator)
    assert coordinator.post("/admin/catalog/products", data={**PRODUCT, "csrf_token": csrf}).status_code == 404
    assert product_by_code(db, "feed-cp-chicken") is None


def test_a_coordinator_keeps_their_own_centers_contact_details_only(seeded: Flask, db: Session) -> None:
    coordinator = staff(seeded, "Ucoord", center="DIST-05")
    own, other = center_by_code(db, "DIST-05"), center_by_code(db, "DIST-06")
    assert own is not None and other is not None
    page = coordinator.get("/admin/catalog").get_data(as_text=True)
    assert own.name_th in page and other.name_th not in page
    csrf = _csrf(coordinator)
    saved = coordinator.post(f"/admin/catalog/centers/{own.id}", data={
        "csrf_token": csrf, f"c{own.id}-phone": "074-690-111", f"c{own.id}-address": "ถนนควนขนุน-พัทลุง",
        f"c{own.id}-pickup_hours": "จ.-ศ. 08:30-16:30"})
    assert saved.status_code == 303
    db.expire_all()
    center = db.get(Center, own.id)
    assert center is not None and center.phone == "074-690-111" and center.pickup_hours == "จ.-ศ. 08:30-16:30"
    bad = coordinator.post(f"/admin/catalog/centers/{own.id}", data={"csrf_token": csrf, f"c{own.id}-phone": "โทรมา"})
    assert bad.status_code == 400 and "ตัวเลข" in bad.get_data(as_text=True)
    db.expire_all()
    assert db.get(Center, own.id).phone == "074-690-111"  # type: ignore[union-attr]
    assert coordinator.post(f"/admin/catalog/centers/{other.id}", data={
        "csrf_token": csrf, f"c{other.id}-phone": "074-000-000"}).status_code == 404
    assert coordinator.post(f"/admin/catalog/centers/{own.id}", data={
        f"c{own.id}-phone": "074-000-000"}).status_code == 400  # no CSRF token
    db.expire_all()
    assert db.get(Center, other.id).phone is None  # type: ignore[union-attr]
    assert db.get(Center, own.id).phone == "074-690-111"  # type: ignore[union-attr]


def test_members_asking_who_to_contact_hear_the_address_and_hours(chat: Chat, seeded: Flask, db: Session) -> None:
    coordinator = staff(seeded, "Ucoord", center="DIST-05")
    own = center_by_code(db, "DIST-05")
    assert own is not None
    saved = coordinator.post(f"/admin/catalog/centers/{own.id}", data={
        "csrf_token": _csrf(coordinator), f"c{own.id}-phone": "074-690-111", f"c{own.id}-address": "หมู่ 3 ต.ควนขนุน",
        f"c{own.id}-pickup_hours": "จ.-ศ. 08:30-16:30"})
    assert saved.status_code == 303
    registered(seeded, chat.user_id)
    answer = texts(chat.say("ติดต่อสหกรณ์"))
    assert "074-690-111" in answer and "หมู่ 3 ต.ควนขนุน" in answer and "เวลารับของ: จ.-ศ. 08:30-16:30" in answer


def test_the_pages_read_in_english_too(seeded: Flask) -> None:
    admin = staff(seeded, "Uadmin", role="admin")
    admin.get("/admin/language/en")
    for path, words in (("/admin/catalog", "Add a product"), ("/admin/members?q=x", "No member found."),
                        ("/admin/prices", "Price history"), ("/admin/announcements", "New announcement")):
        page = admin.get(path).get_data(as_text=True)
        assert words in page and 'lang="en"' in page, path
