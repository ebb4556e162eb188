"""Clusters of schools that review each other, and clusters proposed from the register."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from thep_desktop.database import Database
from thep_desktop.domain.peer_reviews import ClusterKind
from thep_desktop.domain.validation import check_email, check_phone
from thep_desktop.models import Cluster, ClusterSchool, Review, School, SchoolStatus
from thep_desktop.models.base import utcnow
from thep_desktop.services.peer_reviews.peer_reviews_permissions import MANAGE_REVIEWS
from thep_desktop.services.peer_reviews.review_data import (
    ClusterDetail,
    ClusterInput,
    ClusterMember,
    ClusterProposal,
)
from thep_desktop.services.peer_reviews.review_records import member_of, school_members
from thep_desktop.services.shared.actor import Actor
from thep_desktop.services.shared.errors import (
    NotFoundError,
    ServiceError,
    ValidationError,
    changed_meanwhile,
)
from thep_desktop.services.shared.forms import FieldChecker
from thep_desktop.services.shared.permissions import VIEW
from thep_desktop.services.shared.retry import save

CLUSTER_LABELS = {
    "name": "Name",
    "kind": "Kind",
    "school_ids": "Schools",
    "lead_contact_name": "Lead contact",
    "lead_contact_email": "Lead contact's email",
    "lead_contact_phone": "Lead contact's telephone",
    "lead_school_id": "Lead contact's school",
    "notes": "Notes",
}

# What clusters can be proposed by: the register's column and the kind of cluster made.
PROPOSE_BY = {
    "trust": ("trust", ClusterKind.MAT),
    "phase": ("phase", ClusterKind.PHASE),
    "diocese": ("diocese", ClusterKind.DIOCESE),
}

_GONE = "This cluster is no longer there: someone else may have deleted it."


class ClustersService:
    def __init__(self, database: Database) -> None:
        self.db = database

    def list_clusters(self, actor: Actor, include_inactive: bool = True) -> list[ClusterDetail]:
        """Every cluster by name with its schools: three statements whatever the number."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            query = select(Cluster).options(selectinload(Cluster.members)).order_by(Cluster.name)
            if not include_inactive:
                query = query.where(Cluster.active)
            rows = list(session.scalars(query))
            return _details(session, rows)

    def get_cluster(self, actor: Actor, cluster_id: int) -> ClusterDetail:
        actor.require(VIEW)
        with self.db.read_session() as session:
            row = session.scalar(
                select(Cluster)
                .options(selectinload(Cluster.members))
                .where(Cluster.id == cluster_id)
            )
            if row is None:
                raise NotFoundError(_GONE)
            return _details(session, [row])[0]

    def find_cluster(self, actor: Actor, name: str) -> ClusterDetail:
        """A cluster by its name, in any case (as ``--to cluster:NAME`` gives it)."""
        actor.require(VIEW)
        wanted = " ".join((name or "").split()).casefold()
        with self.db.read_session() as session:
            found = [
                cluster_id
                for cluster_id, cluster_name in session.execute(select(Cluster.id, Cluster.name))
                if cluster_name.casefold() == wanted
            ]
        if not found:
            known = ", ".join(c.name for c in self.list_clusters(actor)) or "none yet"
            raise NotFoundError(f"There is no cluster called {name!r}. The clusters: {known}.")
        return self.get_cluster(actor, found[0])

    def clusters_of_school(self, actor: Actor, school_id: int) -> list[ClusterDetail]:
        actor.require(VIEW)
        with self.db.read_session() as session:
            ids = set(
                session.scalars(
                    select(ClusterSchool.cluster_id).where(ClusterSchool.school_id == school_id)
                )
            )
        return [cluster for cluster in self.list_clusters(actor) if cluster.id in ids]

    def school_choices(self, actor: Actor) -> list[ClusterMember]:
        """The open schools of the register by name, to put in a cluster."""
        actor.require(VIEW)
        with self.db.read_session() as session:
            rows = session.scalars(
                select(School)
                .where(School.status != SchoolStatus.CLOSED)
                .order_by(School.name, School.urn)
            )
            return [member_of(row) for row in rows]

    def propose_clusters(self, actor: Actor, by: str) -> list[ClusterProposal]:
        """Clusters made from the register, by trust, phase or diocese, to edit before saving.

        Only groups of two schools or more are proposed (a cluster of one cannot review
        itself), from the open schools; a proposal named like a saved cluster says so.
        """
        actor.require(VIEW)
        if by not in PROPOSE_BY:
            choices = ", ".join(PROPOSE_BY)
            raise ValidationError({"by": f"Clusters can be proposed by {choices}."})
        column, kind = PROPOSE_BY[by]
        groups: dict[str, list[ClusterMember]] = defaultdict(list)
        for school in self.school_choices(actor):
            value = " ".join(getattr(school, column).split())
            if value and value.casefold() not in ("not applicable", "none", "does not apply"):
                groups[value].append(school)
        existing = {c.name.casefold(): c.id for c in self.list_clusters(actor)}
        return [
            ClusterProposal(name, kind, tuple(schools), existing.get(name.casefold()))
            for name, schools in sorted(groups.items(), key=lambda item: item[0].casefold())
            if len(schools) >= 2
        ]

    @save
    def save_cluster(
        self,
        actor: Actor,
        data: ClusterInput,
        cluster_id: int | None = None,
        expected_version: int | None = None,
    ) -> ClusterDetail:
        """A new cluster (``cluster_id`` None) or a change to one loaded at ``expected_version``.

        A cluster needs a name no other cluster has and at least two schools (a school
        cannot review itself). Refused in words, nothing saved.
        """
        actor.require(MANAGE_REVIEWS)
        checker = FieldChecker(Cluster.__table__, CLUSTER_LABELS)  # type: ignore[arg-type]
        name = " ".join(checker.text("name", data.name, required=True).split())
        values: dict[str, object] = {
            "name": name,
            "lead_contact_name": checker.text("lead_contact_name", data.lead_contact_name),
            "lead_contact_email": checker.text(
                "lead_contact_email", data.lead_contact_email, check=check_email
            ),
            "lead_contact_phone": checker.text(
                "lead_contact_phone", data.lead_contact_phone, check=check_phone
            ),
            "lead_school_id": data.lead_school_id,
            "notes": checker.text("notes", data.notes),
            "active": bool(data.active),
        }
        try:
            values["kind"] = (
                data.kind if isinstance(data.kind, ClusterKind) else ClusterKind.parse(data.kind)
            )
        except ValueError as exc:
            checker.fail("kind", str(exc))
        school_ids = tuple(dict.fromkeys(data.school_ids))
        if len(school_ids) < 2:
            checker.fail(
                "school_ids",
                "A cluster needs at least two schools: a school cannot review itself"
                + (" (this one has one)." if school_ids else "."),
            )
        if checker.errors:
            raise ValidationError(checker.errors)
        try:
            with self.db.session() as session:
                known = school_members(session, school_ids)
                missing = [school_id for school_id in school_ids if school_id not in known]
                if missing:
                    raise ValidationError(
                        {"school_ids": "Some of these schools are no longer in the register."}
                    )
                if data.lead_school_id is not None and data.lead_school_id not in known:
                    raise ValidationError(
                        {"lead_school_id": "The lead contact's school must be in the cluster."}
                    )
                _refuse_taken_name(session, name, cluster_id)
                if cluster_id is None:
                    row = Cluster(**values, created_by=actor.name, updated_by=actor.name)
                    session.add(row)
                    row.members = []
                else:
                    found = session.scalar(
                        select(Cluster)
                        .options(selectinload(Cluster.members))
                        .where(Cluster.id == cluster_id)
                    )
                    if found is None:
                        raise NotFoundError(_GONE)
                    row = found
                    if expected_version is not None and row.version != expected_version:
                        raise changed_meanwhile("cluster")
                    for field, value in values.items():
                        setattr(row, field, value)
                    row.updated_at = utcnow()
                    row.updated_by = actor.name
                _set_members(session, row, school_ids, actor)
                session.flush()
                new_id = row.id
        except StaleDataError:
            raise changed_meanwhile("cluster") from None
        except IntegrityError:  # someone else took the name at the same moment
            raise ValidationError({"name": f"There is already a cluster called {name}."}) from None
        return self.get_cluster(actor, new_id)

    @save
    def delete_cluster(self, actor: Actor, cluster_id: int, expected_version: int) -> None:
        """Remove a cluster no review names; one with reviews is retired instead."""
        actor.require(MANAGE_REVIEWS)
        with self.db.session() as session:
            row = session.scalar(
                select(Cluster)
                .options(selectinload(Cluster.members))
                .where(Cluster.id == cluster_id)
            )
            if row is None:
                raise NotFoundError(_GONE)
            if row.version != expected_version:
                raise changed_meanwhile("cluster")
            used = session.scalar(select(func.count(Review.id)).where(Review.cluster_id == row.id))
            if used:
                raise ServiceError(
                    f"{row.name} has {used} review{'s' if used != 1 else ''} on record, so it "
                    "stays for their history. Untick Active to retire it instead."
                )
            session.delete(row)


def _refuse_taken_name(session: Session, name: str, cluster_id: int | None) -> None:
    for other_id, other_name in session.execute(select(Cluster.id, Cluster.name)):
        if other_id != cluster_id and other_name.casefold() == name.casefold():
            raise ValidationError({"name": f"There is already a cluster called {other_name}."})


def _set_members(session: Session, row: Cluster, school_ids: tuple[int, ...], actor: Actor) -> None:
    """The cluster's schools become ``school_ids``: those leaving and joining, one row each."""
    keep = set(school_ids)
    for member in list(row.members):
        if member.school_id not in keep:
            row.members.remove(member)
    present = {member.school_id for member in row.members}
    for school_id in school_ids:
        if school_id not in present:
            row.members.append(
                ClusterSchool(school_id=school_id, created_by=actor.name, updated_by=actor.name)
            )


def _details(session: Session, rows: list[Cluster]) -> list[ClusterDetail]:
    ids = {member.school_id for row in rows for member in row.members}
    ids |= {row.lead_school_id for row in rows if row.lead_school_id is not None}
    schools = school_members(session, ids)
    used = dict(
        session.execute(
            select(Review.cluster_id, func.count(Review.id))
            .where(Review.cluster_id.in_([row.id for row in rows]))
            .group_by(Review.cluster_id)
        ).all()
    )
    details = []
    for row in rows:
        members = sorted(
            (schools[m.school_id] for m in row.members if m.school_id in schools),
            key=lambda school: (school.name.casefold(), school.urn),
        )
        lead = schools.get(row.lead_school_id) if row.lead_school_id is not None else None
        details.append(
            ClusterDetail(
                id=row.id,
                uuid=row.uuid,
                version=row.version,
                name=row.name,
                kind=row.kind,
                lead_contact_name=row.lead_contact_name,
                lead_contact_email=row.lead_contact_email,
                lead_contact_phone=row.lead_contact_phone,
                lead_school_id=row.lead_school_id,
                lead_school_name=lead.name if lead else "",
                notes=row.notes,
                active=row.active,
                schools=tuple(members),
                reviews=int(used.get(row.id, 0)),
            )
        )
    return details
