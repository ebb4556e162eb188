"""Many more schools, members and invoices for the dashboard: bulk inserts into a database
that may already hold the demo (the benchmark, and the test that the dashboard's statement
count does not grow with the data).

Every kind of record the dashboard counts is there in proportion: open and closed schools of
the borough and a few of another authority, with Ofsted histories (a few never inspected);
full and associate members, some under notice, some that joined or left this year or in the
years before; membership fee invoices, traded services and hand-typed lines, a credit note
now and then, receipts set against some of them, so that every age column of the aged debt
has something in it.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select

from thep_desktop.database import Database
from thep_desktop.models import (
    Allocation,
    Customer,
    Invoice,
    InvoiceLine,
    Member,
    MembershipPeriod,
    OfstedInspection,
    Payment,
    School,
    ServiceItem,
)
from thep_desktop.models.base import utcnow

PHASES = ("Primary", "Secondary", "Nursery", "All-through", "16 plus", "Not applicable")
FIRST_URN = 800_000


def add_office(
    db: Database,
    schools: int,
    invoices: int,
    *,
    today: date,
    seed: int = 17,
    la_code: str = "211",
) -> None:
    """Add ``schools`` schools (four in five of them members) and ``invoices`` issued
    invoices (with lines, a credit note for one in forty, receipts for half), dated around
    ``today``, in one transaction."""
    rng = random.Random(seed)
    now = utcnow()
    stamp = {"created_at": now, "created_by": "bench", "updated_at": now, "updated_by": "bench"}
    with db.session() as session:
        first_urn = FIRST_URN + (session.scalar(select(func.count(School.id))) or 0)
        school_rows = []
        for i in range(schools):
            closed = i % 29 == 0
            school_rows.append(
                {
                    "uuid": uuid.uuid4(),
                    "urn": first_urn + i,
                    "la_code": la_code if i % 41 else "999",
                    "name": f"Bulk School {first_urn + i}",
                    "phase": PHASES[i % len(PHASES)] if i % 53 else "",
                    "status": "closed" if closed else "open",
                    "close_date": today - timedelta(days=400) if closed else None,
                    "pupils_on_roll": rng.randint(30, 1600) if i % 37 else None,
                    **stamp,
                }
            )
        session.execute(insert(School), school_rows)
        school_ids = list(
            session.scalars(select(School.id).where(School.urn >= first_urn).order_by(School.id))
        )
        # Their Ofsted histories: a graded inspection each (one in eleven never inspected),
        # an ungraded one since for every third school.
        grades = ("outstanding", "good", "good", "requires_improvement", "inadequate")
        inspections = []
        for n, school in enumerate(school_ids):
            if n % 11 == 0:
                continue
            graded_on = date(2014, 9, 1) + timedelta(days=rng.randint(0, 3500))
            inspections.append(
                {
                    "uuid": uuid.uuid4(),
                    "school_id": school,
                    "inspected_on": graded_on,
                    "kind": "graded",
                    "overall_grade": grades[n % len(grades)],
                    "source": "demo",
                    **stamp,
                }
            )
            if n % 3 == 0:
                inspections.append(
                    {
                        "uuid": uuid.uuid4(),
                        "school_id": school,
                        "inspected_on": graded_on + timedelta(days=900),
                        "kind": "ungraded",
                        "overall_grade": "",
                        "source": "demo",
                        **stamp,
                    }
                )
        session.execute(insert(OfstedInspection), inspections)
        member_schools = [s for n, s in enumerate(school_ids) if n % 5]
        session.execute(
            insert(Member),
            [
                {"uuid": uuid.uuid4(), "kind": "school", "school_id": s, "name": "", **stamp}
                for s in member_schools
            ]
            + [
                {
                    "uuid": uuid.uuid4(),
                    "kind": "organisation",
                    "school_id": None,
                    "name": f"Bulk Partner {n}",
                    **stamp,
                }
                for n in range(max(1, schools // 100))
            ],
        )
        members = list(
            session.scalars(
                select(Member.id)
                .where((Member.school_id.in_(member_schools)) | Member.name.like("Bulk Partner %"))
                .order_by(Member.id)
            )
        )
        periods = []
        for n, member in enumerate(members):
            admitted = today - timedelta(days=rng.randint(1, 8 * 365))
            period = {
                "uuid": uuid.uuid4(),
                "member_id": member,
                "category": "associate" if n >= len(member_schools) else "full",
                "applied_on": admitted - timedelta(days=20),
                "admitted_on": admitted,
                "guarantee": Decimal("25.00"),
                "supports_aims": True,
                "agrees_to_pay_fee": True,
                "notice_received_on": None,
                "ends_on": None,
                **stamp,
            }
            if n % 17 == 0:  # under notice, leaving after today
                period["notice_received_on"] = max(admitted, today - timedelta(days=30))
                period["ends_on"] = today + timedelta(days=200)
            elif n % 23 == 0:  # left
                period["notice_received_on"] = admitted
                period["ends_on"] = min(today, admitted + timedelta(days=rng.randint(30, 900)))
            periods.append(period)
        session.execute(insert(MembershipPeriod), periods)
        session.execute(
            insert(Customer),
            [{"uuid": uuid.uuid4(), "member_id": m, "name": "", **stamp} for m in members],
        )
        customer_of = dict(
            session.execute(
                select(Customer.member_id, Customer.id).where(Customer.member_id.in_(members))
            ).all()
        )
        item = session.scalar(select(ServiceItem.id).limit(1))
        if item is None:
            session.execute(
                insert(ServiceItem),
                [
                    {
                        "uuid": uuid.uuid4(),
                        "code": "BULK-TRAINING",
                        "name": "Training day",
                        "unit_price": Decimal("450.00"),
                        **stamp,
                    }
                ],
            )
            item = session.scalar(select(ServiceItem.id).limit(1))
        sequence = (
            session.scalar(select(func.max(Invoice.sequence)).where(Invoice.kind == "invoice")) or 0
        ) + 1_000
        note_sequence = (
            session.scalar(select(func.max(Invoice.sequence)).where(Invoice.kind == "credit_note"))
            or 0
        ) + 1_000
        rows = []
        for n in range(invoices):
            member = members[n % len(members)]
            day = today - timedelta(days=rng.randint(0, 700))
            fee = n % 3 != 0
            net = Decimal(rng.randint(100, 5000)) + Decimal("0.50")
            vat = Decimal("0.00") if fee else (net / 5).quantize(Decimal("0.01"))
            rows.append(
                {
                    "uuid": uuid.uuid4(),
                    "kind": "invoice",
                    "state": "issued",
                    "sequence": sequence + n,
                    "number": f"BULK-{sequence + n:07d}",
                    "customer_id": customer_of[member],
                    "member_id": member,
                    "invoice_date": day,
                    "due_date": day + timedelta(days=30),
                    "reference": f"Bulk {n}",
                    "customer_name": f"Member {member}",
                    "total_net": net,
                    "total_vat": vat,
                    "total": net + vat,
                    "fee_year": (day.year if day.month >= 9 else day.year - 1) if fee else None,
                    "issued_at": now,
                    "issued_by": "bench",
                    **stamp,
                }
            )
        session.execute(insert(Invoice), rows)
        found = session.execute(
            select(
                Invoice.id,
                Invoice.customer_id,
                Invoice.member_id,
                Invoice.invoice_date,
                Invoice.total_net,
                Invoice.total_vat,
                Invoice.total,
                Invoice.fee_year,
            )
            .where(Invoice.number.like("BULK-%"))
            .order_by(Invoice.id)
        ).all()
        session.execute(
            insert(InvoiceLine),
            [
                {
                    "uuid": uuid.uuid4(),
                    "invoice_id": r.id,
                    "position": 1,
                    "description": "Membership fee"
                    if r.fee_year
                    else ("Training day" if r.id % 5 else "Conference places (typed in)"),
                    "quantity": Decimal("1.00"),
                    "unit_price": r.total_net,
                    "vat_code": "outside_scope" if r.fee_year else "standard",
                    "account_code": "200",
                    "net": r.total_net,
                    "vat": r.total_vat,
                    "service_item_id": None if r.fee_year or not r.id % 5 else item,
                    **stamp,
                }
                for r in found
            ],
        )
        credited = found[::40]
        notes = [
            {
                "uuid": uuid.uuid4(),
                "kind": "credit_note",
                "state": "issued",
                "sequence": note_sequence + n,
                "number": f"BULKCN-{note_sequence + n:07d}",
                "customer_id": r.customer_id,
                "member_id": r.member_id,
                "invoice_date": r.invoice_date + timedelta(days=5),
                "due_date": r.invoice_date + timedelta(days=5),
                "reference": "Credit",
                "customer_name": f"Member {r.member_id}",
                "total_net": r.total_net,
                "total_vat": r.total_vat,
                "total": r.total,
                "credits_invoice_id": r.id,
                "credit_reason": "Bulk credit",
                "fee_year": r.fee_year,
                "issued_at": now,
                "issued_by": "bench",
                **stamp,
            }
            for n, r in enumerate(credited)
        ]
        if notes:
            session.execute(insert(Invoice), notes)
            note_ids = list(
                session.scalars(
                    select(Invoice.id).where(Invoice.number.like("BULKCN-%")).order_by(Invoice.id)
                )
            )
            session.execute(
                insert(InvoiceLine),
                [
                    {
                        "uuid": uuid.uuid4(),
                        "invoice_id": note,
                        "position": 1,
                        "description": "Credit",
                        "quantity": Decimal("1.00"),
                        "unit_price": r.total_net,
                        "vat_code": "outside_scope" if r.fee_year else "standard",
                        "account_code": "200",
                        "net": r.total_net,
                        "vat": r.total_vat,
                        "service_item_id": None,
                        **stamp,
                    }
                    for note, r in zip(note_ids, credited, strict=True)
                ],
            )
            session.execute(
                insert(Allocation),
                [
                    {
                        "uuid": uuid.uuid4(),
                        "invoice_id": r.id,
                        "credit_note_id": note,
                        "payment_id": None,
                        "amount": r.total,
                        "allocated_on": r.invoice_date + timedelta(days=5),
                        **stamp,
                    }
                    for note, r in zip(note_ids, credited, strict=True)
                ],
            )
        credited_ids = {r.id for r in credited}
        paid = [r for n, r in enumerate(found) if n % 2 and r.id not in credited_ids]
        paid_on = [min(today, r.invoice_date + timedelta(days=rng.randint(5, 60))) for r in paid]
        session.execute(
            insert(Payment),
            [
                {
                    "uuid": uuid.uuid4(),
                    "customer_id": r.customer_id,
                    "kind": "receipt",
                    "received_on": on,
                    "amount": r.total,
                    "method": "BACS",
                    "reference": f"BULK {r.id}",
                    **stamp,
                }
                for r, on in zip(paid, paid_on, strict=True)
            ],
        )
        payment_ids = list(
            session.scalars(
                select(Payment.id).where(Payment.reference.like("BULK %")).order_by(Payment.id)
            )
        )
        session.execute(
            insert(Allocation),
            [
                {
                    "uuid": uuid.uuid4(),
                    "invoice_id": r.id,
                    "payment_id": p,
                    "credit_note_id": None,
                    "amount": r.total,
                    "allocated_on": on,
                    **stamp,
                }
                for r, p, on in zip(paid, payment_ids, paid_on, strict=True)
            ],
        )
