"""Writes in the civic domain. Each service validates, saves atomically and audits."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from . import cil, geo
from .audit import audit_record
from .framework import validate_rules
from .models import (
    BoundaryGeneration,
    CilReceipt,
    FrameworkRules,
    Place,
    Role,
    RoleKind,
    User,
    VerificationMethod,
)
from .money import pounds


@transaction.atomic
def rules_update(
    *, actor: User, place: Place, values: dict, locked_fields: list[str]
) -> FrameworkRules:
    """Set `place`'s own framework rules. Raises ValidationError naming each broken rule."""
    rules = FrameworkRules.objects.select_for_update().filter(place=place).first()
    before = rules.own_values() if rules else {}
    before_locks = list(rules.locked_fields) if rules else []
    rules = rules or FrameworkRules(place=place)
    for name in FrameworkRules.INHERITABLE:
        value = values.get(name)
        if (
            value is None
            and FrameworkRules._meta.get_field(name).get_internal_type() == "CharField"
        ):
            value = ""  # text choices store "inherit" as blank, the others as NULL
        setattr(rules, name, value)
    rules.locked_fields = sorted(set(locked_fields))
    validate_rules(place, rules)
    rules.full_clean(exclude=["place"])
    rules.save()
    after = rules.own_values()
    changed = {
        name: {"from": before.get(name), "to": after.get(name)}
        for name in FrameworkRules.INHERITABLE
        if before.get(name) != after.get(name)
    }
    if before_locks != rules.locked_fields:
        changed["locked_fields"] = {"from": before_locks, "to": rules.locked_fields}
    if changed:
        audit_record(
            actor=actor,
            action="rules.change",
            target=rules,
            place=place,
            summary=_("Framework rules changed at %(place)s") % {"place": place.name},
            data=changed,
        )
    return rules


def role_check(*, kind: str, verification_method: str) -> None:
    """The rules every role obeys, wherever it is given: public page, admin or forum."""
    if kind not in RoleKind.values:
        raise ValidationError(_("Unknown role."))
    if (
        kind == RoleKind.RESIDENT
        and verification_method not in VerificationMethod.values
    ):
        raise ValidationError(_("A resident's verification method must be recorded."))


@transaction.atomic
def role_grant(
    *,
    actor: User | None,
    user: User,
    place: Place,
    kind: str,
    verification_method: str = "",
) -> Role:
    """Give `user` a role on `place`. Residents need a recorded verification method."""
    role_check(kind=kind, verification_method=verification_method)
    role, created = Role.objects.get_or_create(
        user=user,
        place=place,
        kind=kind,
        defaults={"verification_method": verification_method, "granted_by": actor},
    )
    if created:
        audit_record(
            actor=actor,
            action="role.grant",
            target=role,
            place=place,
            summary=_("%(kind)s role on %(place)s given to user #%(user)s")
            % {"kind": role.get_kind_display(), "place": place.name, "user": user.pk},
            data={"kind": kind, "user": user.pk, "method": verification_method},
        )
    return role


@transaction.atomic
def role_change(
    *, actor: User, role: Role, place: Place, kind: str, verification_method: str
) -> Role:
    """Change a role's place, kind or verification method, recording what changed."""
    role_check(kind=kind, verification_method=verification_method)
    before = {
        "place": role.place_id,
        "kind": role.kind,
        "method": role.verification_method,
    }
    role.place, role.kind, role.verification_method = place, kind, verification_method
    role.save()
    after = {"place": place.pk, "kind": kind, "method": verification_method}
    changed = {
        k: {"from": before[k], "to": after[k]} for k in before if before[k] != after[k]
    }
    if changed:
        audit_record(
            actor=actor,
            action="role.change",
            target=role,
            place=place,
            summary=_("%(kind)s role on %(place)s of user #%(user)s changed")
            % {
                "kind": role.get_kind_display(),
                "place": place.name,
                "user": role.user_id,
            },
            data=changed,
        )
    return role


@transaction.atomic
def role_revoke(*, actor: User, role: Role) -> None:
    audit_record(
        actor=actor,
        action="role.revoke",
        target=role,
        place=role.place,
        summary=_("%(kind)s role on %(place)s removed from user #%(user)s")
        % {
            "kind": role.get_kind_display(),
            "place": role.place.name,
            "user": role.user_id,
        },
        data={"kind": role.kind, "user": role.user_id},
    )
    role.delete()


@transaction.atomic
def boundaries_import(
    *,
    actor: User,
    place: Place,
    text: str | bytes,
    valid_from: datetime.date | None = None,
    source: str = "",
) -> list[Place]:
    """Add a generation of boundaries from a GeoJSON file, in force from `valid_from`
    (None: correct the generation in force today, or record the first): a single shape is this place's; a feature
    collection's features are matched to this place and the places inside it by GSS
    code, else by name (or slug). Every feature must match a place, or nothing is
    saved. A generation already recorded from that day is replaced; earlier ones are
    kept, so past votes keep their maps."""
    found = geo.parse(text)
    if len(found) == 1 and not found[0].name and not found[0].code:
        targets = [(place, found[0].geometry)]
    else:
        inside = list(Place.objects.filter(path__startswith=place.path))
        by_code = {p.gss_code: p for p in inside if p.gss_code}
        by_name = {
            key: p for p in inside for key in (p.name.casefold(), p.slug.casefold())
        }
        targets, unmatched = [], []
        for feature in found:
            match = by_code.get(feature.code) or by_name.get(feature.name.casefold())
            if match is None:
                unmatched.append(feature.code or feature.name or "?")
            else:
                targets.append((match, feature.geometry))
        if unmatched:
            raise geo.GeoError(
                _(
                    "These features match no place in %(p)s by official code or by "
                    "name: %(names)s. Give the places their GSS codes, rename the "
                    "features, or upload each place's boundary on its own page."
                )
                % {"p": place.name, "names": ", ".join(unmatched[:10])}
            )
    names = [p.name for p, _g in targets]
    if len(set(names)) != len(names):
        raise geo.GeoError(_("Two features are for the same place."))
    # No date: a correction of the generation in force today (or the first one).
    in_force = (
        BoundaryGeneration.objects.filter(place__in=[p for p, _g in targets]).in_force(
            timezone.localdate()
        )
        if valid_from is None
        else {}
    )
    for target, geometry in targets:
        day = in_force[target.pk].valid_from if target.pk in in_force else valid_from
        BoundaryGeneration.objects.update_or_create(
            place=target,
            valid_from=day,
            defaults={"geometry": geometry, "source": source[:200]},
        )
    boundaries_in_force(places=[p for p, _g in targets])
    audit_record(
        actor=actor,
        action="place.boundaries",
        target=place,
        place=place,
        summary=(
            _("Boundaries imported for %(names)s, in force from %(day)s")
            % {"names": ", ".join(names), "day": valid_from.isoformat()}
            if valid_from
            else _("Boundaries imported for %(names)s") % {"names": ", ".join(names)}
        ),
        data={"valid_from": valid_from.isoformat() if valid_from else None},
    )
    return [p for p, _g in targets]


def boundaries_in_force(*, places=None, on: datetime.date | None = None) -> int:
    """Set each place's boundary to its generation in force on `on` (today): run when
    a generation is added and each day (a change recorded ahead of the day it takes
    effect, as a boundary order usually is, takes effect then). Returns how many
    places changed."""
    on = on or timezone.localdate()
    generations = BoundaryGeneration.objects.all()
    if places is not None:
        generations = generations.filter(place__in=places)
    in_force = generations.in_force(on)
    changed = [
        place
        for place in Place.objects.filter(pk__in=in_force).only("boundary")
        if place.boundary != in_force[place.pk].geometry
    ]
    for place in changed:
        place.boundary = in_force[place.pk].geometry
    Place.objects.bulk_update(changed, ["boundary"])
    return len(changed)


@transaction.atomic
def cil_receipt_save(receipt: CilReceipt) -> CilReceipt:
    """Save a CIL receipt (validated) and work out again the neighbourhood portions of
    its area's financial year: the two halves share the year's cap. Refused, saving
    nothing, where a portion would fall below what budgets already hold of it."""
    receipt.full_clean()
    receipt.save()
    cil_portions_update(receipt.place_id, receipt.financial_year)
    receipt.refresh_from_db(fields=["portion_pence"])
    return receipt


def cil_portions_update(place_id: int, financial_year: int) -> None:
    year = CilReceipt.objects.filter(place_id=place_id, financial_year=financial_year)
    receipts = list(year.select_for_update().order_by("pk"))
    allocated = dict(
        year.values_list("pk").annotate(
            held=Coalesce(Sum("contributions__amount_pence"), 0)
        )
    )
    found = cil.portions([r.as_receipt() for r in receipts])
    for receipt, portion in zip(receipts, found, strict=True):
        receipt.allocated = allocated.get(receipt.pk, 0)
        if portion.portion_pence < receipt.allocated:
            raise ValidationError(
                _(
                    "The neighbourhood portion of %(receipt)s would be %(portion)s, "
                    "but budgets already hold %(held)s of it: take it out of those "
                    "budgets first."
                )
                % {
                    "receipt": receipt,
                    "portion": pounds(portion.portion_pence),
                    "held": pounds(receipt.allocated),
                }
            )
        receipt.portion_pence = portion.portion_pence
    CilReceipt.objects.bulk_update(receipts, ["portion_pence"])
