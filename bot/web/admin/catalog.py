"""Products and centers (/admin/catalog): the products rounds are opened for (pack size, unit, the retail price
savings are counted against), the sub-district centers under a district, and each center's phone, address and
pickup hours, which members are told when they ask who to contact or where to collect.

Admins add products and centers; a coordinator keeps their own centers' contact details (others: 404). The rules
are models.products.add_product and models.network.add_subdistrict / set_contact."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, g, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import DecimalField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Optional

from bot.web.admin import labels
from bot.web.admin.auth import admin_required, bp, in_scope, staff_required
from bot.web.admin.auth import db as _db
from bot.web.admin.forms import N_, ConsoleForm, choices
from models.network import Center, CenterRefused, Network, add_subdistrict, set_contact
from models.products import ANIMALS, UNITS, Product, ProductRefused, add_product

REQUIRED = N_("This field is required.")
CATEGORY_NAMES = {"feed": N_("Animal feed"), "acid": N_("Formic acid"), "fertilizer": N_("Fertilizer"),
                  "rice": N_("Rice"), "piglet": N_("Piglets"), "rubber": N_("Rubber")}
UNIT_NAMES = {"sack": N_("sack"), "kg": N_("kg"), "container": N_("container"), "head": N_("head"),
              "bag": N_("bag")}
PROBLEMS = {
    "bad_code": N_("Use lower-case letters, digits and dashes, like feed-cp-chicken."),
    "taken": N_("This code is taken."),
    "unknown": N_("Not a valid choice."),
    "not_positive": N_("Must be more than zero."),
    "negative": N_("Cannot be below zero."),
    "pack_of_one": N_("When the pack is the unit itself, the pack size is 1."),
    "missing": REQUIRED,
    "not_a_district": N_("Choose a district cooperative."),
    "bad_phone": N_("A phone number has digits, spaces and dashes only, like 074-613-000."),
    "too_long": N_("This is too long."),
}
CENTER_CODE_PROBLEM = N_("Use capital letters, digits and dashes, like SUB-05-PW.")


class ProductForm(ConsoleForm):
    code = StringField(N_("Code"), validators=[DataRequired(REQUIRED)])
    name_th = StringField(N_("Name in Thai"), validators=[DataRequired(REQUIRED)])
    name_en = StringField(N_("Name in English"), validators=[DataRequired(REQUIRED)])
    category = SelectField(N_("Kind"), choices=choices(CATEGORY_NAMES.items()))
    network = SelectField(N_("Network"), choices=[])
    brand = SelectField(N_("Feed brand"), choices=[])
    animal = SelectField(N_("For animals"), choices=choices([("", "-"), *((a, labels.INTERESTS[a]) for a in ANIMALS)]))
    formula = StringField(N_("Fertilizer formula"), validators=[Optional()])
    unit = SelectField(N_("Members order in"), choices=choices((u, UNIT_NAMES[u]) for u in UNITS))
    pack_unit = SelectField(N_("Bought from the supplier in"), choices=choices((u, UNIT_NAMES[u]) for u in UNITS))
    pack_size = DecimalField(N_("Units in a pack"), default=1, places=3, validators=[InputRequired(REQUIRED)])
    unit_kg = DecimalField(N_("Kilograms in a unit"), places=3, validators=[Optional()])
    max_order = DecimalField(N_("Most one member may order"), places=3, validators=[InputRequired(REQUIRED)])
    retail_price = DecimalField(N_("Retail price a unit, baht (for savings)"), places=2, validators=[Optional()])
    synonyms = StringField(N_("Other words members use, separated by commas"), validators=[Optional()])


class ContactForm(ConsoleForm):
    phone = StringField(N_("Phone"))
    address = StringField(N_("Address"))
    pickup_hours = StringField(N_("Pickup hours"))


class SubdistrictForm(ConsoleForm):
    code = StringField(N_("Code"), validators=[DataRequired(REQUIRED)])
    name_th = StringField(N_("Name in Thai"), validators=[DataRequired(REQUIRED)])
    name_en = StringField(N_("Name in English"), validators=[DataRequired(REQUIRED)])
    parent = SelectField(N_("District cooperative"), choices=[])


def _product_form(form: ProductForm | None = None) -> ProductForm:
    form = form or ProductForm()
    db = _db()
    form.network.choices = choices((n.code, n.name_en if g.locale == "en" else n.name_th)
                                   for n in db.scalars(select(Network).order_by(Network.id)))
    form.brand.choices = choices([("", "-"), *((c.brand or "", c.name(g.locale)) for c in db.scalars(
        select(Center).where(Center.brand.is_not(None)).order_by(Center.id)))])
    return form


def _subdistrict_form(form: SubdistrictForm | None = None) -> SubdistrictForm:
    form = form or SubdistrictForm()
    form.parent.choices = choices((str(c.id), c.name(g.locale)) for c in _db().scalars(
        select(Center).where(Center.level == "district", Center.brand.is_(None)).order_by(Center.id)))
    return form


def _page(status: int = 200, **forms: Any) -> tuple[str, int]:
    db = _db()
    centers = [c for c in db.scalars(select(Center).order_by(Center.level, Center.id)) if in_scope(c.id)]
    contacts = {c.id: ContactForm(obj=c, prefix=f"c{c.id}", formdata=None) for c in centers}
    if "contact" in forms:
        contacts[forms["contact_id"]] = forms["contact"]
    admin = g.member.role == "admin"
    return render_template(
        "admin/catalog.html", products=list(db.scalars(select(Product).order_by(Product.category, Product.id))),
        centers=centers, contacts=contacts, admin=admin,
        product_form=forms.get("product") or (_product_form() if admin else None),
        subdistrict_form=forms.get("subdistrict") or (_subdistrict_form() if admin else None),
        category_names=CATEGORY_NAMES, **labels.context()), status


@bp.get("/catalog")
@staff_required
def catalog() -> tuple[str, int]:
    return _page()


@bp.post("/catalog/products")
@admin_required
def catalog_product() -> Response | tuple[str, int]:
    _ = g._
    db = _db()
    form = _product_form(ProductForm())
    if not form.validate():
        return _page(400, product=form)
    try:
        product = add_product(
            db, code=form.code.data or "", name_th=form.name_th.data or "", name_en=form.name_en.data or "",
            category=form.category.data or "", unit=form.unit.data or "", pack_unit=form.pack_unit.data or "",
            pack_size=form.pack_size.data, max_order=form.max_order.data,
            network_code=form.network.data or "", retail_price=form.retail_price.data, brand=form.brand.data,
            animal=form.animal.data or None, formula=form.formula.data, unit_kg=form.unit_kg.data,
            synonyms=[word.strip() for word in (form.synonyms.data or "").split(",") if word.strip()])
    except ProductRefused as refused:
        db.rollback()
        getattr(form, refused.field).errors.append(PROBLEMS[refused.reason])
        return _page(400, product=form)
    db.commit()
    flash(_("Added {product}.").format(product=product.name(g.locale)))
    return redirect(url_for("admin.catalog"), 303)


@bp.post("/catalog/centers")
@admin_required
def catalog_center() -> Response | tuple[str, int]:
    _ = g._
    db = _db()
    form = _subdistrict_form(SubdistrictForm())
    if not form.validate():
        return _page(400, subdistrict=form)
    parent = db.get(Center, int(form.parent.data or 0))
    assert parent is not None  # one of the choices
    try:
        center = add_subdistrict(db, form.code.data or "", form.name_th.data or "", form.name_en.data or "", parent)
    except CenterRefused as refused:
        db.rollback()
        problem = CENTER_CODE_PROBLEM if refused.reason == "bad_code" else PROBLEMS[refused.reason]
        getattr(form, refused.field).errors.append(problem)
        return _page(400, subdistrict=form)
    db.commit()
    flash(_("Added {center}.").format(center=center.name(g.locale)))
    return redirect(url_for("admin.catalog"), 303)


@bp.post("/catalog/centers/<int:center_id>")
@staff_required
def catalog_contact(center_id: int) -> Response | tuple[str, int]:
    _ = g._
    db = _db()
    center = db.get(Center, center_id)
    if center is None or not in_scope(center.id):
        abort(404)
    form = ContactForm(prefix=f"c{center.id}")
    if not form.validate():
        return _page(400, contact=form, contact_id=center.id)
    try:
        set_contact(center, form.phone.data, form.address.data, form.pickup_hours.data)
    except CenterRefused as refused:
        db.rollback()
        getattr(form, refused.field).errors.append(PROBLEMS[refused.reason])
        return _page(400, contact=form, contact_id=center.id)
    db.commit()
    flash(_("Saved {center}.").format(center=center.name(g.locale)))
    return redirect(url_for("admin.catalog") + f"#center-{center.id}", 303)
