"""The service catalogue on both databases: prices to the penny, codes unique, used items kept."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from invoice_records import customer, table_sums

from thep_desktop.database import Database
from thep_desktop.domain.invoices import VatCode
from thep_desktop.services.invoices.catalogue_service import ServiceItemInput, default_catalogue
from thep_desktop.services.invoices.invoice_data import DraftInput
from thep_desktop.services.registry import Services
from thep_desktop.services.shared.errors import ConflictError, ServiceError, ValidationError

OFSTED = ServiceItemInput(
    "ofsted-prep", "Ofsted preparation day", "A mock inspection day", "day", "750.00"
)


def test_the_default_catalogue_saves_and_lists_by_name(services: Services) -> None:
    defaults = default_catalogue()
    assert {i.code for i in defaults} >= {"SLA-DAY", "TRN-HALF", "TRN-FULL", "PP-REVIEW"}
    assert len({i.code for i in defaults}) == len(defaults)
    for item in defaults:
        services.catalogue.save_item(services.actor, item)
    listed = services.catalogue.list_items(services.actor)
    assert [i.name for i in listed] == sorted(i.name for i in defaults)
    sla = next(i for i in listed if i.code == "SLA-DAY")
    assert (sla.unit_price, sla.vat_code, sla.used) == (Decimal("650.00"), VatCode.STANDARD, False)
    assert sla.label == "SLA-DAY  School improvement SLA day: £650.00 a day"


def test_a_line_from_the_catalogue_goes_on_a_draft_at_its_price(services: Services) -> None:
    item = services.catalogue.save_item(services.actor, OFSTED)
    assert item.code == "OFSTED-PREP"
    line = services.catalogue.line_for(services.actor, item.id, "1.5")
    assert (line.quantity, line.unit_price, line.vat_code, line.service_item_id) == (
        Decimal("1.5"),
        Decimal("750.00"),
        VatCode.STANDARD,
        item.id,
    )
    made = services.invoices.create_draft(
        services.actor, DraftInput(customer_id=customer(services), lines=(line,))
    )
    assert made.lines[0].description == "Ofsted preparation day: A mock inspection day"
    assert (made.total_net, made.total) == (Decimal("1125.00"), Decimal("1350.00"))
    assert services.catalogue.get_item(services.actor, item.id).used
    with pytest.raises(ValidationError, match="quantity|Quantity"):
        services.catalogue.line_for(services.actor, item.id, "two")


def test_bad_items_are_refused_in_words_and_nothing_is_saved(
    services: Services, db: Database
) -> None:
    services.catalogue.save_item(services.actor, OFSTED)
    before = table_sums(db)
    with pytest.raises(ValidationError) as refused:
        services.catalogue.save_item(services.actor, replace(OFSTED, code="X1", unit_price="9.999"))
    assert "fractions of a penny" in refused.value.field_errors["unit_price"]
    with pytest.raises(ValidationError) as refused:
        services.catalogue.save_item(services.actor, replace(OFSTED, name="Another"))
    assert refused.value.field_errors == {
        "code": "The code OFSTED-PREP is already used by another service"
    }
    with pytest.raises(ValidationError) as refused:
        services.catalogue.save_item(
            services.actor, ServiceItemInput("", "", unit_price="-5", vat_code="lots")
        )
    assert set(refused.value.field_errors) == {"code", "name", "unit_price", "vat_code"}
    assert table_sums(db) == before


def test_a_changed_price_applies_from_now_and_a_stale_change_is_refused(
    services: Services, db: Database
) -> None:
    item = services.catalogue.save_item(services.actor, OFSTED)
    changed = services.catalogue.save_item(
        services.actor, replace(item.as_input(), unit_price="795.00"), item.id, item.version
    )
    assert changed.unit_price == Decimal("795.00") and changed.version == item.version + 1
    before = table_sums(db)
    with pytest.raises(ConflictError):
        services.catalogue.save_item(
            services.actor, replace(item.as_input(), unit_price="800.00"), item.id, item.version
        )
    assert table_sums(db) == before


def test_a_used_item_is_retired_never_deleted_and_an_unused_one_may_go(
    services: Services, db: Database
) -> None:
    used = services.catalogue.save_item(services.actor, OFSTED)
    spare = services.catalogue.save_item(
        services.actor, ServiceItemInput("GOV-REVIEW", "Governance review", unit_price="1350")
    )
    services.invoices.create_draft(
        services.actor,
        DraftInput(
            customer_id=customer(services),
            lines=(services.catalogue.line_for(services.actor, used.id, "1"),),
        ),
    )
    before = table_sums(db)
    with pytest.raises(ServiceError, match="Retire it instead"):
        services.catalogue.delete_item(services.actor, used.id, used.version)
    assert table_sums(db) == before
    services.catalogue.delete_item(services.actor, spare.id, spare.version)
    retired = services.catalogue.save_item(
        services.actor, replace(used.as_input(), active=False), used.id, used.version
    )
    assert not retired.active
    assert services.catalogue.list_items(services.actor) == []
    assert [i.id for i in services.catalogue.list_items(services.actor, True)] == [used.id]
    with pytest.raises(ServiceError, match="retired"):
        services.catalogue.line_for(services.actor, used.id, "1")


def test_the_defaults_are_added_once_beside_the_offices_own(
    services: Services, db: Database
) -> None:
    services.catalogue.save_item(
        services.actor, ServiceItemInput("SLA-DAY", "Our own SLA day", unit_price="600.00")
    )
    added = services.catalogue.add_defaults(services.actor)
    assert len(added) == len(default_catalogue()) - 1
    assert "SLA-DAY" not in {i.code for i in added}
    own = [i for i in services.catalogue.list_items(services.actor) if i.code == "SLA-DAY"]
    assert [(i.name, i.unit_price) for i in own] == [("Our own SLA day", Decimal("600.00"))]
    before = table_sums(db)
    assert services.catalogue.add_defaults(services.actor) == []
    assert table_sums(db) == before
